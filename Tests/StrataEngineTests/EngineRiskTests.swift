import Foundation
import StrataPersistence
import StrataRuntime
import Testing

@testable import StrataEngine

/// The risk gate in the live engine, against a real SQLite file: limits and halts from the
/// store, applied at the reconcile before the next tick round, and kept across a restart.
@Suite struct EngineRiskTests {
    /// Each tick: one order (a resting limit buy at half the price when `offset` > 0, else a
    /// market order of `side`), and, on tick `close_at`, a sell of the whole position.
    static let trader = """
        CONFIG_SCHEMA = {
          side = { type = "string", default = "buy" },
          offset = { type = "number", default = 0 },
          close_at = { type = "integer", default = 0 },
        }
        function init() return { n = 0, placed = 0, refused = 0, last = "" } end
        function on_tick(tick)
          state.n = state.n + 1
          local order, err
          if config.offset > 0 then
            order, err = context.place_order{ side = config.side, qty = 1, type = "limit", price = tick.price * config.offset }
          else
            order, err = context.place_order{ side = config.side, qty = 1 }
          end
          if order then state.placed = state.placed + 1 else state.refused = state.refused + 1; state.last = err end
          if state.n == config.close_at then
            local sold, why = context.place_order{ side = "sell", qty = context.get_position() }
            state.sell = sold and "ok" or why
          end
        end
        function render()
          local widgets = {}
          for _, key in ipairs({ "placed", "refused", "last", "sell" }) do
            widgets[#widgets + 1] = { type = "metric", label = key, value = state[key] or "" }
          end
          return { widgets = widgets }
        end
        """

    let folder: URL
    let limits: StrategyLimits

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-risk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.trader.write(to: folder.appendingPathComponent("trader.lua"), atomically: true, encoding: .utf8)
        var limits = StrategyLimits()
        limits.tickDeadline = .seconds(10)
        limits.loadDeadline = .seconds(20)
        self.limits = limits
    }

    func engine(_ store: SQLiteStore) -> Engine {
        Engine(store: store, library: StrategyLibrary(directory: folder, limits: limits), limits: limits, workers: 2)
    }

    func store() throws -> SQLiteStore {
        try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
    }

    func create(_ store: SQLiteStore, _ id: String, account: String, config: [String: JSONValue] = [:]) throws {
        _ = try store.createInstance(
            InstanceIdentity(id: id, strategyType: "trader", account: account, market: "X/USD"), mode: .active, config: config, actor: .cli)
    }

    /// What the script keeps under `key`, as its render shows it.
    func state(_ engine: Engine, _ id: String, _ key: String) throws -> JSONValue? {
        let rendered = try #require(try engine.render(instanceID: id)?.get())
        let widgets = rendered.objectValue?["widgets"]?.arrayValue ?? []
        return widgets.first { $0.objectValue?["label"] == .string(key) }?.objectValue?["value"]
    }

    @Test func aHaltStopsEveryAccountAtTheNextRoundCancelsOpenOrdersAndSurvivesARestart() async throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // Given four instances on two accounts resting limit orders every tick
        let store = try store()
        for (id, account) in [("a1", "alpha"), ("a2", "alpha"), ("b1", "beta"), ("b2", "beta")] {
            try create(store, id, account: account, config: ["offset": .number(0.5)])
        }
        let first = engine(store)
        try first.reconcile()
        let control = first.events.subscribe(EventHub.Filter(kinds: [.control]))
        for ts in 1...3 { first.tick(Tick(market: "X/USD", ts: Double(ts), price: 100)) }
        #expect(first.broker.allOpenOrders.count == 12)

        // When every account is halted and the engine reconciles (as its loop does on the write)
        try store.setHalt(account: nil, to: .halted, actor: .cli)
        try first.reconcile()

        // Then the open orders are cancelled and the very next round's orders are all refused
        #expect(first.broker.allOpenOrders.isEmpty)
        first.tick(Tick(market: "X/USD", ts: 4, price: 100))
        for id in ["a1", "a2", "b1", "b2"] {
            #expect(try state(first, id, "placed") == .integer(3))
            #expect(try state(first, id, "refused") == .integer(1))
            #expect(try state(first, id, "last") == .string("refused by risk: account halt (trading is halted)"))
        }
        try first.flushActivity()
        let signal = try #require(try store.signals(instanceID: "b2", limit: 10).last)
        #expect(signal.rule == .halted && signal.time == 4)
        #expect(try store.orders(instanceID: "a1", limit: 10).allSatisfy { $0.status == .cancelled })

        // And the change was published once, with the orders it cancelled
        var iterator = control.makeAsyncIterator()
        let event = try #require(await iterator.next())
        guard case .control(let change) = event.payload else {
            Issue.record("not a control event")
            return
        }
        #expect(change.objectValue?["action"] == .string("halt") && change.objectValue?["cancelled_orders"] == .integer(12))

        // And a restarted engine (its scripts start afresh) is halted from its first round
        let second = engine(store)
        try second.reconcile()
        second.tick(Tick(market: "X/USD", ts: 5, price: 100))
        #expect(try state(second, "a1", "refused") == .integer(1) && state(second, "a1", "placed") == .integer(0))

        // And resuming one account while every account is halted changes nothing; lifting all does
        try store.setHalt(account: nil, to: .trading, actor: .cli)
        try store.setHalt(account: "beta", to: .reduceOnly, actor: .cli)
        try second.reconcile()
        second.tick(Tick(market: "X/USD", ts: 6, price: 100))
        #expect(try state(second, "a1", "placed") == .integer(1))
        #expect(try state(second, "b1", "last") == .string("refused by risk: account reduce_only (trading is halted, reduce-only)"))
    }

    @Test func aDailyLossGoesReduceOnlyUntilTheNextDayAcrossARestart() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // Given an instance that buys 1 each tick and sells all on its second tick, limited to
        // a loss of 5 a day
        let store = try store()
        try create(store, "d", account: "paper", config: ["close_at": .integer(2)])
        try store.setRiskLimits(instanceID: "d", to: RiskLimits(maxDailyLoss: 5), actor: .cli)
        let day = 20_000.0 * 86_400
        let first = engine(store)
        try first.reconcile()

        // When it buys at 100 and the price falls to 90 (a loss of 10)
        first.tick(Tick(market: "X/USD", ts: day + 60, price: 100))
        first.tick(Tick(market: "X/USD", ts: day + 120, price: 90))

        // Then the second buy is refused by the daily loss and the closing sell passes
        #expect(try state(first, "d", "placed") == .integer(1))
        #expect(try state(first, "d", "last")?.stringValue?.hasPrefix("refused by risk: instance max_daily_loss") == true)
        #expect(try state(first, "d", "sell") == .string("ok"))
        try first.flushActivity()
        #expect(try store.riskDayMarks().map(\.key) == ["i:d"])

        // And after a restart the same day is still reduce-only; the next day trades again
        let second = engine(store)
        try second.reconcile()
        second.tick(Tick(market: "X/USD", ts: day + 180, price: 90))
        #expect(try state(second, "d", "refused") == .integer(1))
        second.tick(Tick(market: "X/USD", ts: day + 86_400 + 60, price: 90))
        #expect(try state(second, "d", "placed") == .integer(1))
    }
}
