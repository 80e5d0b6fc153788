import Testing

@testable import LuaBridge
@testable import StrataRuntime

/// `require` in a strategy instance: modules from the script's version, run once per state.
@Suite struct RequireTests {
    static let identity = InstanceIdentity(id: "t", strategyType: "s", account: "paper", market: "X/USD")

    /// A strategy whose top level runs `top` and whose render shows `label`.
    static func strategy(_ top: String, label: String = "label") -> String {
        """
        \(top)
        CONFIG_SCHEMA = {}
        function init() return { n = 0 } end
        function on_tick(tick) state.n = state.n + 1 end
        function render() return { widgets = { { type = "metric", label = \(label), value = state.n } } } end
        """
    }

    func load(_ source: String, modules: [String: String]) throws(StrategyError) -> StrategyInstance {
        try StrategyInstance(
            identity: Self.identity, script: StrategyScript(name: "s", source: source, modules: modules), broker: PaperBroker(),
            limits: .testing)
    }

    func loadError(_ source: String, modules: [String: String]) -> String {
        do {
            _ = try load(source, modules: modules)
            return "loaded"
        } catch {
            return error.message
        }
    }

    func label(_ instance: StrategyInstance) throws -> String? {
        try instance.render()["widgets"]?.arrayValue?.first?["label"]?.stringValue
    }

    @Test func nestedModulesRunOncePerStateAndShareTheirValue() throws {
        let modules = [
            "util": "count = (count or 0) + 1; return { twice = function(x) return 2 * x end, loads = count }",
            "signals.trend": "local u = require 'util'; return { util = u, label = 'trend ' .. u.twice(21) }",
        ]
        let instance = try load(
            Self.strategy("local t = require 'signals.trend'; local u = require 'util'; assert(t.util == u)", label: "t.label"), modules: modules)
        #expect(try label(instance) == "trend 42")
        #expect(instance.requiredModules == ["signals.trend", "util"])
        // A second state runs the modules again: the cache is the state's own.
        let other = try load(Self.strategy("local u = require 'util'", label: "tostring(u.loads)"), modules: modules)
        #expect(try label(other) == "1")
    }

    @Test func aModuleThatReturnsNothingIsTrueAndRunsInTheSandbox() throws {
        let instance = try load(Self.strategy("local m = require 'plain'", label: "tostring(m) .. ' ' .. tostring(io)"), modules: ["plain": "x = 1"])
        #expect(try label(instance) == "true nil")
    }

    @Test func cyclesAndMissingModulesNameTheChain() {
        let cycle = loadError(Self.strategy("require 'a'"), modules: ["a": "require 'b'", "b": "require 'a'"])
        #expect(cycle.contains("require cycle: a -> b -> a"), "\(cycle)")
        let missing = loadError(Self.strategy("require 'a'"), modules: ["a": "require 'x'"])
        #expect(missing.contains("module 'x' not found in lib (required by s -> a)"), "\(missing)")
        let syntax = loadError(Self.strategy("require 'a'"), modules: ["a": "return {"])
        #expect(syntax.contains("error loading module 'a' (required by s): lib/a.lua:1:"), "\(syntax)")
        let raised = loadError(Self.strategy("require 'a'"), modules: ["a": "require 'b'", "b": "\n error('boom')"])
        #expect(raised.contains("error in module 'b' (required by s -> a): lib/b.lua:2: boom"), "\(raised)")
    }

    @Test func aChainDeeperThanTheLimitIsRefused() {
        var modules: [String: String] = [:]
        for level in 1...40 { modules["m\(level)"] = level == 40 ? "return 1" : "return require 'm\(level + 1)'" }
        let error = loadError(Self.strategy("require 'm1'"), modules: modules)
        #expect(error.contains("require nested too deeply (limit 32): s -> m1 -> m2"), "\(error)")
    }

    @Test(arguments: ["../x", "/etc/passwd", "a..b", ".a", "a.", "", "a/b", "a b", "a\\0b", "é"])
    func hostileNamesAreRefusedWithoutAnyLookup(_ name: String) {
        let error = loadError(Self.strategy("require '\(name)'"), modules: ["a": "return 1", "x": "return 1"])
        #expect(error.contains("bad argument #1 to 'require' (invalid module name"), "\(error)")
    }

    @Test func aNewModuleAfterTheLoadIsRefusedButTheCacheStillAnswers() throws {
        let source = """
            local a = require 'a'
            CONFIG_SCHEMA = {}
            function init() return {} end
            function on_tick(tick) assert(require 'a' == a); if tick.price > 1 then require 'b' end end
            function render() return { widgets = {} } end
            """
        let instance = try load(source, modules: ["a": "return {}", "b": "return {}"])
        try instance.tick(Tick(market: "X/USD", ts: 1, price: 1))
        let error = strategyError { try instance.tick(Tick(market: "X/USD", ts: 2, price: 2)) }
        #expect(error?.message.contains("require 'b': a module can only be loaded while the strategy loads") == true, "\(String(describing: error))")
    }

    @Test func theVersionCoversTheModulesTheLoadRequired() throws {
        let source = Self.strategy("local a = require 'a'")
        let plain = StrategyScript(name: "s", source: source)
        #expect(plain.version == ContentHash.hex(of: source))  // no modules: the hash of old
        let offered = StrategyScript(name: "s", source: source, modules: ["a": "return 1", "unused": "return 2"])
        let prepared = try StrategyInstance.prepare(offered, identity: Self.identity, limits: .testing).script
        #expect(prepared.modules == ["a": "return 1"])
        let unusedChanged = StrategyScript(name: "s", source: source, modules: ["a": "return 1", "unused": "return 3"])
        #expect(try StrategyInstance.prepare(unusedChanged, identity: Self.identity, limits: .testing).script.version == prepared.version)
        let usedChanged = StrategyScript(name: "s", source: source, modules: ["a": "return 9"])
        #expect(try StrategyInstance.prepare(usedChanged, identity: Self.identity, limits: .testing).script.version != prepared.version)
    }

    @Test func aReloadLoadsTheNewModulesFromAnEmptyCacheKeepingState() throws {
        let source = Self.strategy("local m = require 'm'", label: "m.label")
        let instance = try load(source, modules: ["m": "return { label = 'v1' }"])
        try instance.tick(Tick(market: "X/USD", ts: 1, price: 1))
        let functions = instance.lua.hostFunctions.count
        try instance.reload(StrategyScript(name: "s", source: source, modules: ["m": "return { label = 'v2' }"]))
        #expect(instance.lua.hostFunctions.count == functions)  // the old version's sources are let go
        #expect(try label(instance) == "v2")
        #expect(instance.ticksProcessed == 1)
        // A broken module refuses the reload and leaves the running version alone.
        #expect(throws: StrategyError.self) {
            try instance.reload(StrategyScript(name: "s", source: source, modules: ["m": "error('broken')"]))
        }
        #expect(try label(instance) == "v2")
    }
}
