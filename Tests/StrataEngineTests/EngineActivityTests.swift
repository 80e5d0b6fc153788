import Foundation
import StrataPersistence
import StrataRuntime
import Testing

@testable import StrataEngine

/// `Engine.flushActivity` and the broker's restore on restart, against a real SQLite file.
@Suite struct EngineActivityTests {
    /// Every `every` ticks: an order (buy, buy, sell, repeating) and a log line.
    static let trader = """
        CONFIG_SCHEMA = { every = { type = "integer", default = 3, min = 1 } }
        function init() return { n = 0 } end
        function on_tick(tick)
          state.n = state.n + 1
          if state.n % config.every == 0 then
            local side = (state.n % (3 * config.every) == 0) and "sell" or "buy"
            local order, err = context.place_order{ side = side, qty = 1, type = "market" }
            context.log(side .. " " .. (order and order.status or tostring(err)))
          end
        end
        function render() return { widgets = { { type = "metric", label = "n", value = state.n } } } end
        """

    let folder: URL
    let limits: StrategyLimits

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-activity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.trader.write(to: folder.appendingPathComponent("trader.lua"), atomically: true, encoding: .utf8)
        var limits = StrategyLimits()
        limits.tickDeadline = .seconds(10)
        limits.loadDeadline = .seconds(20)
        self.limits = limits
    }

    func engine(_ store: SQLiteStore) -> Engine {
        Engine(store: store, library: StrategyLibrary(directory: folder, limits: limits), limits: limits)
    }

    func store() throws -> SQLiteStore {
        try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
    }

    func identity(_ id: String) -> InstanceIdentity {
        InstanceIdentity(id: id, strategyType: "trader", account: "paper", market: "X/USD")
    }

    @Test func flushesOnlyWhatIsNewAndARestartContinuesThePosition() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try store()
        _ = try store.createInstance(identity("act"), mode: .active, config: [:], actor: .cli)
        _ = try store.createInstance(identity("obs"), mode: .observe, config: [:], actor: .cli)
        let first = engine(store)
        try first.reconcile()
        #expect(first.runtimes.keys.sorted() == ["act", "obs"])

        // Given 18 ticks, flushed every few ticks and again with nothing new
        for ts in 1...18 {
            first.tick(Tick(market: "X/USD", ts: Double(ts), price: 100 + Double(ts)))
            if ts % 4 == 0 { try first.flushActivity() }
        }
        try first.flushActivity()
        try first.flushActivity()

        // Then the store holds every order, fill, signal and log line, once
        let orders = try store.orders(instanceID: "act", limit: 100)
        let fills = try store.fills(instanceID: "act", limit: 100)
        #expect(orders.count == 6)
        #expect(Set(orders.map(\.id)).count == orders.count)
        #expect(orders.allSatisfy { $0.status == .filled })
        #expect(fills.map(\.orderID) == orders.map(\.id))
        #expect(fills.map(\.side) == [.buy, .buy, .sell, .buy, .buy, .sell])
        #expect(try store.signals(instanceID: "obs", limit: 100).count == 6)
        #expect(try store.signals(instanceID: "act", limit: 100).isEmpty)
        #expect(
            try store.logs(instanceID: "act", limit: 100).map(\.message) == [
                "buy filled", "buy filled", "sell filled",
                "buy filled", "buy filled", "sell filled",
            ])
        #expect(try store.logs(instanceID: "obs", limit: 100).count == 6)
        let position = first.broker.position(for: identity("act"))
        #expect(position == 2)
        let cash = first.broker.cash(of: "paper")

        // When a new engine starts over the same database (a restart)
        let second = engine(try self.store())
        try second.reconcile()
        // Then the position and cash continue from the stored fills
        let signed = fills.reduce(0.0) { $0 + ($1.side == .buy ? $1.quantity : -$1.quantity) }
        #expect(second.broker.position(for: identity("act")) == signed)
        #expect(second.broker.position(for: identity("act")) == position)
        #expect(abs(second.broker.cash(of: "paper") - cash) < 1e-9)
        // And new orders get new ids: nothing stored is overwritten or duplicated
        for ts in 19...27 { second.tick(Tick(market: "X/USD", ts: Double(ts), price: 100)) }
        try second.flushActivity()
        let after = try store.orders(instanceID: "act", limit: 100)
        #expect(after.count == 9)
        #expect(Set(after.map(\.id)).count == 9)
        #expect(Array(after.prefix(6)) == orders)
        #expect(try store.fills(instanceID: "act", limit: 100).count == 9)
        #expect(second.broker.position(for: identity("act")) == position + 1)
    }

    @Test func aRestartRepairsWhatACrashBetweenTwoWritesLeft() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try store()
        _ = try store.createInstance(identity("act"), mode: .active, config: [:], actor: .cli)
        // Given a filled order whose fill was never written, and an order left open
        var filled = Order(
            id: "o7", instanceID: "act", market: "X/USD", request: OrderRequest(side: .buy, quantity: 2),
            status: .filled, filledQuantity: 2, averagePrice: 50, createdAt: 1)
        filled.filledAt = 1
        let open = Order(
            id: "o8", instanceID: "act", market: "X/USD",
            request: OrderRequest(side: .buy, quantity: 1, type: .limit, price: 10), status: .open, createdAt: 2)
        try store.saveOrders([filled, open])

        // When an engine starts
        let engine = engine(store)
        try engine.reconcile()
        try engine.reconcile()

        // Then the fill is written and booked once, the open order is closed, and ids go on
        #expect(try store.fills(instanceID: "act", limit: 10).map(\.id) == ["o7"])
        #expect(engine.broker.position(for: identity("act")) == 2)
        #expect(try store.orders(instanceID: "act", limit: 10).map(\.status) == [.filled, .cancelled])
        #expect(engine.broker.nextOrderNumber == 9)
    }

    @Test func aFailedFlushKeepsEveryJournaledTickWithTheDecisionsItLedTo() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("strata.db").path
        let store = try store()
        _ = try store.createInstance(identity("act"), mode: .active, config: ["every": .integer(2)], actor: .cli)
        let engine = engine(store)
        try engine.reconcile()

        // Given a database that refuses log lines (the last rows of a step), as a full disk would
        try sqlite3(path, "CREATE TRIGGER refuse BEFORE INSERT ON instance_logs BEGIN SELECT RAISE(ABORT, 'disk full'); END;")

        // When a step's ticks place orders and log, its write fails and keeps none of it
        for ts in 1...6 { engine.tick(Tick(market: "X/USD", ts: Double(ts), price: 100 + Double(ts))) }
        #expect(throws: StoreError.self) { try engine.flushActivity() }
        #expect(try store.lastTickSeq() == 0)
        #expect(try store.orders(instanceID: "act", limit: 100).isEmpty)
        #expect(try store.fills(instanceID: "act", limit: 100).isEmpty)

        // Then once the database accepts it, the next flush writes both steps together
        try sqlite3(path, "DROP TRIGGER refuse;")
        for ts in 7...10 { engine.tick(Tick(market: "X/USD", ts: Double(ts), price: 100 + Double(ts))) }
        try engine.flushActivity()
        let journaled = try store.journaledTicks(market: "X/USD", after: 0, through: nil, limit: 100).map(\.seq)
        #expect(journaled.count == 10)
        let orders = try store.orders(instanceID: "act", limit: 100)
        #expect(orders.count == 5)
        #expect(orders.allSatisfy { journaled.contains($0.request.tickSeq ?? -1) })
        #expect(try store.fills(instanceID: "act", limit: 100).map(\.orderID) == orders.map(\.id))
        #expect(try store.logs(instanceID: "act", limit: 100).count == 5)
        // And the live decisions replay identically from the first tick
        let replay = try InstanceReplay(store: store).run(InstanceReplay.Request(instanceID: "act", fromSeq: journaled.first))
        #expect(replay.identical, "\(replay.differences)")
        #expect(replay.live.count == 5)
    }

    @Test func restoreBooksAFillWithoutAnOrder() {
        let broker = PaperBroker(startingCash: 1_000)
        let who = identity("a")
        broker.restore(fillOf: "o41", for: who, side: .buy, quantity: 3, price: 10, fee: 0.5, time: 1)
        broker.restore(fillOf: "o12", for: who, side: .sell, quantity: 1, price: 20, fee: 0, time: 2)
        #expect(broker.position(for: who) == 2)
        #expect(broker.cash(of: "paper") == 1_000 - 30.5 + 20)
        #expect(broker.book(for: "a").realised == 10)
        #expect(broker.history.isEmpty && broker.allOpenOrders.isEmpty)
        #expect(broker.nextOrderNumber == 42)
        guard case .success(let order) = broker.placeOrder(OrderRequest(side: .sell, quantity: 2), for: who, price: 10, time: 3) else {
            Issue.record("order refused")
            return
        }
        #expect(order.id == "o42")
        #expect(broker.position(for: who) == 0)
    }
}
