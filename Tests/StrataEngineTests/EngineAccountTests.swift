import Foundation
import StrataPersistence
import StrataRuntime
import Testing

@testable import StrataEngine

/// Fundings and resets in the live engine, against a real SQLite file: applied at the reconcile
/// after the write, and across a restart (a reset made while the engine was stopped included).
@Suite struct EngineAccountTests {
    let folder: URL
    let limits: StrategyLimits
    let buyer = InstanceIdentity(id: "t", strategyType: "trader", account: "desk", market: "X/USD")
    let rester = InstanceIdentity(id: "r", strategyType: "trader", account: "desk", market: "X/USD")

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-accounts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try EngineRiskTests.trader.write(to: folder.appendingPathComponent("trader.lua"), atomically: true, encoding: .utf8)
        var limits = StrategyLimits()
        limits.tickDeadline = .seconds(10)
        limits.loadDeadline = .seconds(20)
        self.limits = limits
    }

    func engine(_ store: SQLiteStore) -> Engine {
        Engine(store: store, library: StrategyLibrary(directory: folder, limits: limits), limits: limits, workers: 2)
    }

    @Test func aResetStartsTheDayAfreshForDailyLossLimits() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // Given a buyer limited to a daily loss of 5 whose day began with a gain of 50 (made yesterday)
        let store = try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
        try store.createAccount(AccountRecord(name: "desk", startingCash: 1_000), actor: .cli)
        try store.createInstance(buyer, mode: .active, config: [:], actor: .cli)
        try store.setRiskLimits(instanceID: "t", to: RiskLimits(maxDailyLoss: 5), actor: .cli)
        let day = 20_000.0 * 86_400
        let engine = engine(store)
        try engine.reconcile()
        engine.tick(Tick(market: "X/USD", ts: day + 60, price: 100))
        engine.tick(Tick(market: "X/USD", ts: day + 86_400 + 60, price: 150))
        #expect(engine.broker.position(for: buyer) == 2)

        // When the account is reset (its profit gone) and the buyer trades again the same day
        try store.setMode(id: "t", to: .observe, actor: .cli)
        try store.resetAccount("desk", actor: .cli)
        try engine.reconcile()
        try store.setMode(id: "t", to: .active, actor: .cli)
        try engine.reconcile()
        engine.tick(Tick(market: "X/USD", ts: day + 86_400 + 180, price: 150))

        // Then the lost profit is no loss of the day: the buy passes
        #expect(engine.broker.position(for: buyer) == 1)
        try engine.flushActivity()
        #expect(try store.signals(instanceID: "t", limit: 10).allSatisfy { $0.rule != .maxDailyLoss })
    }

    @Test func fundingAndResetReachARunningEngineAndARestartedOne() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // Given an account of 1,000 with an instance buying 1 a tick and one resting limit buys
        let store = try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
        try store.createAccount(AccountRecord(name: "desk", startingCash: 1_000), actor: .cli)
        try store.createInstance(buyer, mode: .active, config: [:], actor: .cli)
        try store.createInstance(rester, mode: .active, config: ["offset": .number(0.5)], actor: .cli)
        let first = engine(store)
        try first.reconcile()
        for ts in 1...3 { first.tick(Tick(market: "X/USD", ts: Double(ts), price: 100)) }
        try first.flushActivity()
        #expect(first.broker.cash(of: "desk") == 700 && first.broker.position(for: buyer) == 3)
        #expect(first.broker.openOrders(for: rester).count == 3)

        // When the account is funded with 500 and the engine reconciles
        try store.fundAccount("desk", amount: 500, actor: .cli)
        try first.reconcile()

        // Then its cash grew by the amount and the position stayed
        #expect(first.broker.cash(of: "desk") == 1_200 && first.broker.position(for: buyer) == 3)
        let live = first.accountStatement(try #require(try store.account(name: "desk")), instances: try store.instances())
        #expect(live.priceSource == .live && live.equity == 1_500 && live.positions.map(\.quantity) == [3])
        #expect(live.openOrders.count == 3 && live.account.funded == 500)

        // When the instances are set to observe and the account reset
        try store.setMode(id: "t", to: .observe, actor: .cli)
        try store.setMode(id: "r", to: .observe, actor: .cli)
        try store.resetAccount("desk", actor: .cli)
        try first.reconcile()

        // Then the positions are flat, the open orders cancelled (and stored so), cash the starting cash
        #expect(first.broker.position(for: buyer) == 0 && first.broker.pnl(for: buyer, price: 100) == 0)
        #expect(first.broker.allOpenOrders.isEmpty && first.broker.cash(of: "desk") == 1_000)
        #expect(try store.orders(instanceID: "r", limit: 10).map(\.status) == [.cancelled, .cancelled, .cancelled])

        // When it is funded again and the buyer buys once more
        try store.fundAccount("desk", amount: 200, actor: .cli)
        try store.setMode(id: "t", to: .active, actor: .cli)
        try first.reconcile()
        first.tick(Tick(market: "X/USD", ts: 4, price: 100))
        try first.flushActivity()
        #expect(first.broker.cash(of: "desk") == 1_100 && first.broker.position(for: buyer) == 1)

        // Then a restarted engine replays only the fill after the reset, from the funded base cash
        let second = engine(store)
        try second.reconcile()
        #expect(second.broker.position(for: buyer) == 1 && second.broker.cash(of: "desk") == 1_100)
        #expect(second.broker.baseCash(of: "desk") == 1_200)

        // And a reset made while no engine runs takes effect when the next one starts, even over
        // an order stored filled whose fill a crash lost (repaired, but not counted)
        var lost = Order(id: "o99", instanceID: "t", market: "X/USD", request: OrderRequest(side: .buy, quantity: 1), status: .filled, createdAt: 5)
        lost.filledQuantity = 1
        lost.averagePrice = 100
        try store.saveOrders([lost])
        try store.setMode(id: "t", to: .observe, actor: .cli)
        try store.resetAccount("desk", actor: .cli)
        let third = engine(store)
        try third.reconcile()
        #expect(third.broker.position(for: buyer) == 0 && third.broker.cash(of: "desk") == 1_000)
        let history = AccountStatement.fromHistory(
            account: try #require(try store.account(name: "desk")), instances: try store.instances(), history: try store.tradingHistory())
        #expect(history.priceSource == .lastFill && history.cash == 1_000 && history.positions.isEmpty && history.openOrders.isEmpty)
    }
}
