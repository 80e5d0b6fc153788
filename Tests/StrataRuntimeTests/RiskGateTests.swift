import LuaBridge
import Testing

@testable import StrataRuntime

/// The risk gate between real Lua instances and the paper broker: a refused order comes back to
/// the script as `nil, reason` and is recorded as a signal naming the rule, exactly as observe
/// mode records one; orders below the limits reach the broker.
@Suite struct RiskGateTests {
    static let buyer = #"""
        CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0 } }
        function init() return { placed = 0, refused = 0 } end
        function on_tick(tick)
          local order, err = context.place_order{ side = tick.price >= 1000 and "sell" or "buy", qty = config.qty }
          if order then state.placed = state.placed + 1 else state.refused, state.last = state.refused + 1, err end
        end
        function render() return { widgets = {} } end
        """#

    static func instance(_ id: String, gate: RiskGatedBroker, qty: Double = 1, account: String = "paper") throws -> StrategyInstance {
        try StrategyInstance(
            identity: InstanceIdentity(id: id, strategyType: "buyer", account: account, market: "TEST/USD"),
            script: StrategyScript(name: "buyer", source: buyer), mode: .active, config: ["qty": .number(qty)], broker: gate,
            limits: .testing)
    }

    /// How many orders the script saw refused, and the last reason.
    static func refused(_ instance: StrategyInstance) throws -> (count: LuaValue?, last: LuaValue?) {
        (try instance.state("refused"), try instance.state("last"))
    }

    @Test func anInstanceLimitRefusesAtItsLimitAndTheRefusalIsASignal() throws {
        let gate = RiskGatedBroker(base: PaperBroker())
        gate.instanceLimits["a"] = RiskLimits(maxPosition: 2)
        let a = try Self.instance("a", gate: gate)
        for second in 0..<3 { try a.tick(tick(100, at: 1_700_000_000 + Double(second))) }
        #expect(try a.state("placed") == .integer(2), "two orders reach a position of 2")
        #expect(try Self.refused(a) == (1, "refused by risk: instance max_position (|3| > 2)"))
        #expect(a.signals.count == 1 && a.signals.first?.reason == "refused by risk: instance max_position (|3| > 2)")
        #expect(a.ordersPlaced == 2)
    }

    @Test func anAccountLimitCountsEveryInstanceOfTheAccountInTheMarket() throws {
        let gate = RiskGatedBroker(base: PaperBroker())
        gate.accountLimits["shared"] = RiskLimits(maxPosition: 3)
        let a = try Self.instance("a", gate: gate, qty: 2, account: "shared")
        let b = try Self.instance("b", gate: gate, qty: 2, account: "shared")
        let c = try Self.instance("c", gate: gate, qty: 2, account: "other")
        try a.tick(tick(100, at: 1_700_000_000))
        try b.tick(tick(100, at: 1_700_000_001))
        try c.tick(tick(100, at: 1_700_000_002))
        #expect(try a.state("placed") == .integer(1) && c.state("placed") == .integer(1), "another account is not limited")
        #expect(try Self.refused(b) == (1, "refused by risk: account max_position (|4| > 3)"))
    }

    @Test func aHaltRefusesEveryOrderAndReduceOnlyLetsClosingThrough() throws {
        let base = PaperBroker()
        let gate = RiskGatedBroker(base: base)
        let a = try Self.instance("a", gate: gate)
        try a.tick(tick(100, at: 1_700_000_000))
        try a.tick(tick(101, at: 1_700_000_001))
        let position = gate.position(for: a.identity)
        gate.halt = .halted
        try a.tick(tick(102, at: 1_700_000_002))
        #expect(try Self.refused(a) == (1, "refused by risk: account halt (trading is halted)"))
        gate.halt = .trading
        gate.accountHalts["paper"] = .reduceOnly
        try a.tick(tick(103, at: 1_700_000_003))
        #expect(try Self.refused(a) == (2, "refused by risk: account reduce_only (trading is halted, reduce-only)"))
        try a.tick(tick(1_000, at: 1_700_000_004))
        #expect(position >= 1 && a.ordersPlaced == 3, "a sell of 1 out of \(position) reduces, and passes reduce-only")
        #expect(a.signals.count == 2 && a.signals.allSatisfy { $0.reason?.hasPrefix("refused by risk") == true })
    }

    @Test func ordersPerMinuteAreCountedInEngineTime() throws {
        let gate = RiskGatedBroker(base: PaperBroker())
        gate.instanceLimits["a"] = RiskLimits(maxOrdersPerMinute: 2)
        let a = try Self.instance("a", gate: gate)
        for second in [0.0, 10, 20, 61] { try a.tick(tick(100, at: 1_700_000_000 + second)) }
        #expect(try a.state("placed") == .integer(3), "the third in the first minute is refused, the one at 61 s passes")
        #expect(try Self.refused(a) == (1, "refused by risk: instance max_orders_per_minute (2 orders in the last minute, at most 2)"))
    }
}
