import LuaBridge
import Testing

@testable import StrataRuntime

/// Shared helpers of the runtime tests: real instances of inline scripts on a paper broker.

/// The identity every test instance uses unless it needs its own.
func identity(_ id: String = "i1", market: String = "TEST/USD") -> InstanceIdentity {
    InstanceIdentity(id: id, strategyType: "test", account: "paper", market: market)
}

extension StrategyLimits {
    /// The standard limits with generous deadlines: these tests check behaviour, not speed, and
    /// a loaded machine can stall a 50 ms call past its wall-clock deadline.
    static var testing: StrategyLimits {
        var limits = StrategyLimits()
        limits.loadDeadline = .seconds(20)
        limits.tickDeadline = .seconds(10)
        limits.renderDeadline = .seconds(10)
        return limits
    }
}

/// Loads `source` as the strategy `test` (chunk name `test.lua`) and runs `init()`.
func makeInstance(
    _ source: String, mode: InstanceMode = .active, config: [String: JSONValue] = [:],
    broker: PaperBroker = PaperBroker(), restoring saved: SavedState? = nil, limits: StrategyLimits = .testing, id: String = "i1"
) throws(StrategyError) -> StrategyInstance {
    try StrategyInstance(
        identity: identity(id), script: StrategyScript(name: "test", source: source),
        mode: mode, config: config, broker: broker, limits: limits, restoring: saved)
}

/// A tick of the test market.
func tick(_ price: Double = 100, at ts: Double = 1_700_000_000) -> Tick {
    Tick(market: "TEST/USD", ts: ts, price: price)
}

/// Evaluates a Lua expression in a fresh sandboxed state and returns its value, so tests can
/// write Lua tables (such as a CONFIG_SCHEMA) the way scripts write them.
func luaValue(_ expression: String) throws -> LuaValue {
    let state = try LuaState()
    try state.load("return " + expression, chunkName: "=expression")
    try state.call(arguments: 0, results: 1, deadline: .seconds(1))
    defer { state.pop() }
    return try state.value(at: -1)
}

extension StrategyInstance {
    /// The script's `state` global, read raw (no metamethods run).
    func stateValue() throws -> LuaValue {
        lua.pushGlobal("state")
        defer { lua.pop() }
        return try lua.value(at: -1)
    }

    /// One field of `state`.
    func state(_ key: String) throws -> LuaValue? {
        try stateValue()[key]
    }

    /// The messages in the instance log, oldest first.
    var logMessages: [String] { log.lines.map(\.message) }
}

/// The error `body` throws as a `StrategyError`, or nil when it does not throw.
func strategyError(_ body: () throws -> Void) -> StrategyError? {
    do {
        try body()
        return nil
    } catch let error as StrategyError {
        return error
    } catch {
        Issue.record("expected a StrategyError, got \(error)")
        return nil
    }
}
