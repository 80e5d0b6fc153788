import Foundation
import StrataPersistence
import StrataRuntime
import Testing

@testable import StrataEngine

/// `Engine.recordEquity`: points of running instances and their accounts at each tier's new
/// interval of engine time, a restart that continues the series, and failed writes retried.
@Suite struct EngineEquityTests {
    /// 10 s kept 100 s, 60 s kept 1,000 s, 600 s for ever.
    static let policy = try! EquityHistoryPolicy(tiers: [
        .init(interval: 10, retention: 100), .init(interval: 60, retention: 1_000), .init(interval: 600, retention: nil),
    ])

    let folder: URL
    let limits: StrategyLimits

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-equity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try EngineActivityTests.trader.write(to: folder.appendingPathComponent("trader.lua"), atomically: true, encoding: .utf8)
        var limits = StrategyLimits()
        limits.tickDeadline = .seconds(10)
        limits.loadDeadline = .seconds(20)
        self.limits = limits
    }

    var path: String { folder.appendingPathComponent("strata.db").path }

    func engine(_ store: SQLiteStore) throws -> Engine {
        let engine = Engine(store: store, library: StrategyLibrary(directory: folder, limits: limits), limits: limits)
        engine.equityPolicy = Self.policy
        try engine.reconcile()
        return engine
    }

    static let identity = InstanceIdentity(id: "eq", strategyType: "trader", account: "paper", market: "X/USD")

    /// One loop step at tick time `ts` (price 100 + ts), as `EngineLoop.step` runs it.
    func step(_ engine: Engine, _ ts: Int) throws {
        engine.tick(Tick(market: "X/USD", ts: Double(ts), price: 100 + Double(ts)))
        try engine.flushActivity()
        engine.recordEquity()
    }

    @Test func pointsFollowTheTiersAndARestartContinuesTheSeriesWithoutRewritingABucket() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: path)
        try store.createInstance(Self.identity, mode: .active, config: [:], actor: .cli)
        let first = try engine(store)

        // Given nothing ticked yet: nothing is recorded
        first.recordEquity()
        first.waitForEquityWrites()
        #expect(try store.latestEquityPoints().isEmpty)

        // When 25 s of ticks pass (the trader buys, buys, sells every 3 ticks)
        var expected: [Double: (instance: Double, account: Double)] = [:]
        for ts in 1...25 {
            try step(first, ts)
            let price = 100 + Double(ts)
            let book = first.broker.book(for: "eq")
            expected[Double(ts)] = (100_000 + book.pnl(at: price), first.broker.cash(of: "paper") + book.position * price)
        }
        first.flushEquity()

        // Then the finest tier has a point at the first tick and at each new 10 s, the coarser ones at the first tick
        let series = try store.equityPoints(scope: .instance, name: "eq", from: -.infinity, to: .infinity)
        #expect(series.points.map(\.t) == [1, 10, 20])
        #expect(
            try store.latestEquityPoints().map { "\($0.scope.rawValue) \($0.tier) \($0.t)" } == [
                "account 10 20.0", "account 60 1.0", "account 600 1.0", "instance 10 20.0", "instance 60 1.0", "instance 600 1.0",
            ])
        // valued as base cash + PnL (instance) and cash + position × price (account)
        for point in series.points {
            #expect(point.equity == expected[point.t]?.instance)
            #expect(point.price == 100 + point.t)
        }
        let account = try store.equityPoints(scope: .account, name: "paper", from: -.infinity, to: .infinity).points
        #expect(account.map(\.equity) == [1, 10, 20].map { expected[$0]?.account })
        // An account's position is its gross exposure: the instance's |position × price|
        let positions = Dictionary(uniqueKeysWithValues: series.points.map { ($0.t, abs($0.position * (100 + $0.t))) })
        #expect(account.allSatisfy { $0.position == positions[$0.t] && $0.price == nil })
        let last = series.points.last!
        #expect(last.position == 2 && last.fees == 0)  // buys at ticks 3, 6, 12, 15; sells at 9, 18
        try store.close()

        // When a new engine opens the same file and ticks on from 25 to 35
        let reopened = try SQLiteStore(path: path)
        defer { try? reopened.close() }
        let second = try engine(reopened)
        #expect(second.broker.position(for: Self.identity) == first.broker.position(for: Self.identity))
        var positionAt30 = Double.nan
        for ts in 25...35 {
            try step(second, ts)
            if ts == 30 { positionAt30 = second.broker.position(for: Self.identity) }
        }
        second.flushEquity()

        // Then the series goes on: the bucket of t=20 (still current at 25) is not written again
        let continued = try reopened.equityPoints(scope: .instance, name: "eq", from: -.infinity, to: .infinity).points
        #expect(continued.map(\.t) == [1, 10, 20, 30])
        #expect(continued.prefix(3).map(\.equity) == series.points.map(\.equity))
        #expect(continued.last?.position == positionAt30)
        let summary = try #require(try reopened.equitySummaries(scope: .instance).first)
        #expect(summary.firstT == 1 && summary.lastT == 30 && summary.lastEquity == continued.last?.equity)
        #expect(second.counters.health.count(.equityWrite) == 0)
    }

    @Test func aFailedWriteIsCountedAndItsPointsGoWithTheNextOnes() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: path)
        defer { try? store.close() }
        try store.createInstance(Self.identity, mode: .observe, config: [:], actor: .cli)
        let engine = try engine(store)

        // Given a database that refuses equity points (as a full disk would)
        try sqlite3(path, "CREATE TRIGGER refuse BEFORE INSERT ON equity_points BEGIN SELECT RAISE(ABORT, 'disk full'); END;")

        // When the first points are due, the write fails: counted, nothing thrown, the loop goes on
        try step(engine, 1)
        engine.waitForEquityWrites()
        #expect(engine.counters.health.count(.equityWrite) == 1)
        #expect(engine.counters.health.lastFailure?.contains("disk full") == true)
        try step(engine, 5)
        engine.waitForEquityWrites()
        #expect(engine.counters.health.count(.equityWrite) == 1)  // nothing due: no retry at each step

        // Then once the database accepts them again, the next due points carry the earlier ones
        try sqlite3(path, "DROP TRIGGER refuse;")
        try step(engine, 10)
        engine.waitForEquityWrites()
        #expect(try store.equityPoints(scope: .instance, name: "eq", from: -.infinity, to: .infinity).points.map(\.t) == [1, 10])
        #expect(try store.latestEquityPoints().count == 6)
        #expect(engine.counters.health.count(.equityWrite) == 1)
    }

    @Test func aFailedReadOfWhereTheHistoryStandsIsTriedAgainAfterAFinestIntervalNotAtEveryStep() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: path)
        defer { try? store.close() }
        try store.createInstance(Self.identity, mode: .observe, config: [:], actor: .cli)
        let engine = try engine(store)
        try sqlite3(path, "ALTER TABLE equity_points RENAME TO equity_points_away;")

        // When the first steps cannot read the stored points: one failure counted, nothing recorded
        for ts in 1...9 { try step(engine, ts) }
        engine.waitForEquityWrites()
        #expect(engine.counters.health.count(.equityWrite) == 1)

        // Then 10 s later (the finest interval) it reads again and records
        try sqlite3(path, "ALTER TABLE equity_points_away RENAME TO equity_points;")
        try step(engine, 11)
        engine.flushEquity()
        #expect(try store.equityPoints(scope: .instance, name: "eq", from: -.infinity, to: .infinity).points.map(\.t) == [11])
        #expect(engine.counters.health.count(.equityWrite) == 1)
    }

    @Test func pruningRunsAtMostOncePerPruneIntervalOfEngineTime() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: path)
        defer { try? store.close() }
        try store.createInstance(Self.identity, mode: .observe, config: [:], actor: .cli)
        let engine = try engine(store)
        engine.equityPolicy = try EquityHistoryPolicy(tiers: Self.policy.tiers, pruneInterval: 100)

        // When 300 s of ticks pass, one every 5 s
        for ts in stride(from: 0, through: 300, by: 5) { try step(engine, ts) }
        engine.flushEquity()

        // Then the finest tier keeps about its retention (100 s) as of the last prune (at 200 or 300)
        let points = try store.equityPoints(scope: .instance, name: "eq", from: -.infinity, to: .infinity).points
        let finest = points.filter { $0.tier == 10 }.map(\.t)
        #expect(finest.first == 200 && finest.last == 300)
        #expect(points.filter { $0.tier == 60 }.map(\.t) == [0, 60, 120, 180])
    }
}
