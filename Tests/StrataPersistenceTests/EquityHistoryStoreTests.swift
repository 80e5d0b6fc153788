import Foundation
import StrataEngine
import StrataRuntime
import Testing

/// The equity history's contract, the same on both stores: append (idempotent, summarised in
/// time order), query (tiers merged), prune, the newest points for a restart, and bad input.
@Suite struct EquityHistoryStoreTests {
    static let policy = try! EquityHistoryPolicy(tiers: [
        .init(interval: 10, retention: 100), .init(interval: 60, retention: 1_000), .init(interval: 600, retention: nil),
    ])

    /// Points of `name` at `times` in `tier`, equity `equity(t)`.
    static func points(
        _ name: String, tier: Int, _ times: [Double], scope: EquityScope = .instance, equity: (Double) -> Double = { 1_000 + $0 }
    ) -> [EquityPoint] {
        times.map {
            EquityPoint(scope: scope, name: name, tier: tier, t: $0, equity: equity($0), position: 1, realised: 2, fees: 0.5, price: 3)
        }
    }

    @Test(arguments: ReplayTestStores.allCases)
    func appendsAreIdempotentAndSummariesFollowThePointsInTimeOrder(_ kind: ReplayTestStores) throws {
        let opened = try kind.open()
        let store = opened.store
        // Given a rise to a peak of 1,200, a fall to 900 and a recovery to 1,100, written as all
        // tiers are (the same moment in several tiers), twice
        let curve: [Double: Double] = [0: 1_000, 10: 1_200, 20: 900, 30: 1_100]
        let batch = [10, 60].flatMap { tier in Self.points("a", tier: tier, [0, 10, 20, 30]) { curve[$0]! } }
        try store.appendEquityPoints(batch)
        try store.appendEquityPoints(batch)

        // Then each point is stored once, and the summary says first, last, peak and drawdown
        #expect(try store.equityPoints(scope: .instance, name: "a", from: -.infinity, to: .infinity).points.count == 4)
        let summary = try #require(try store.equitySummaries(scope: .instance).first)
        #expect(
            summary == EquitySummary(scope: .instance, name: "a", firstT: 0, firstEquity: 1_000, lastT: 30, lastEquity: 1_100, peak: 1_200, maxDrawdownPct: 25))
        #expect(summary.returnPct == 10)

        // When an older point arrives late, it is stored but does not move the summary
        try store.appendEquityPoints(Self.points("a", tier: 600, [5]) { _ in 1 })
        #expect(try store.equitySummaries(scope: nil) == [summary])

        // And a new low beyond the old drawdown deepens it; other names and scopes are apart
        try store.appendEquityPoints(Self.points("a", tier: 10, [40]) { _ in 600 } + Self.points("a", tier: 10, [40], scope: .account) { _ in 50 })
        let summaries = try store.equitySummaries(scope: nil)
        #expect(summaries.map(\.scope) == [.account, .instance])
        #expect(summaries[1].maxDrawdownPct == 50 && summaries[1].lastEquity == 600 && summaries[1].peak == 1_200)
        #expect(summaries[0].firstEquity == 50 && summaries[0].maxDrawdownPct == 0)
        #expect(try store.equitySummaries(scope: .account).map(\.name) == ["a"])
    }

    @Test(arguments: ReplayTestStores.allCases)
    func aQueryMergesTiersUsingACoarserOneOnlyBeforeTheFinerOnesFirstPoint(_ kind: ReplayTestStores) throws {
        let opened = try kind.open()
        let store = opened.store
        // Given the daily-like tier from 0, the middle one from 1,200 and the finest from 1,500
        try store.appendEquityPoints(
            Self.points("m", tier: 600, [0, 600, 1_200, 1_800]) + Self.points("m", tier: 60, [1_200, 1_260, 1_320, 1_500, 1_560])
                + Self.points("m", tier: 10, [1_500, 1_510, 1_520]) + Self.points("other", tier: 10, [1_000]))

        // Then the whole history takes each tier where no finer one has begun
        let all = try store.equityPoints(scope: .instance, name: "m", from: -.infinity, to: .infinity)
        #expect(all.points.map(\.t) == [0, 600, 1_200, 1_260, 1_320, 1_500, 1_510, 1_520])
        #expect(all.points.map(\.tier) == [600, 600, 60, 60, 60, 10, 10, 10])
        #expect(all.tiers == [10, 60, 600])
        #expect(all.points.first == EquityPoint(scope: .instance, name: "m", tier: 600, t: 0, equity: 1_000, position: 1, realised: 2, fees: 0.5, price: 3))

        // And a range takes the same points within it, naming only the tiers it used
        let middle = try store.equityPoints(scope: .instance, name: "m", from: 500, to: 1_300)
        #expect(middle.points.map(\.t) == [600, 1_200, 1_260])
        #expect(middle.tiers == [60, 600])
        #expect(try store.equityPoints(scope: .instance, name: "m", from: 1_505, to: 1_505).points.isEmpty)
        #expect(try store.equityPoints(scope: .instance, name: "m", from: 2_000, to: 1_000).points.isEmpty)
        #expect(try store.equityPoints(scope: .account, name: "m", from: -.infinity, to: .infinity) == EquityRange(points: [], tiers: []))
        #expect(try store.equityPoints(scope: .instance, name: "nobody", from: 0, to: 1).points.isEmpty)
    }

    @Test(arguments: ReplayTestStores.allCases)
    func pruningDeletesEachTiersPointsPastItsRetentionAndKeepsSummaries(_ kind: ReplayTestStores) throws {
        let opened = try kind.open()
        let store = opened.store
        let times = stride(from: 0.0, through: 2_000, by: 100).map { $0 }
        try store.appendEquityPoints(Self.points("p", tier: 10, times) + Self.points("p", tier: 60, times) + Self.points("p", tier: 600, times))
        let before = try store.equitySummaries(scope: nil)

        // When pruned at 2,000: the finest keeps t ≥ 1,900, the middle t ≥ 1,000, the last all
        let deleted = try store.pruneEquityPoints(policy: Self.policy, now: 2_000)
        #expect(deleted == 19 + 10)
        let merged = try store.equityPoints(scope: .instance, name: "p", from: -.infinity, to: .infinity)
        #expect(merged.points.map(\.t) == stride(from: 0.0, through: 2_000, by: 100).map { $0 })
        #expect(merged.points.map(\.tier) == Array(repeating: 600, count: 10) + Array(repeating: 60, count: 9) + [10, 10])
        #expect(try store.equitySummaries(scope: nil) == before)
        #expect(try store.pruneEquityPoints(policy: Self.policy, now: 2_000) == 0)
        #expect(throws: StoreError.self) { try store.pruneEquityPoints(policy: Self.policy, now: .nan) }
    }

    @Test(arguments: ReplayTestStores.allCases)
    func theLatestPointOfEachSeriesAndTierIsWhereARestartContinues(_ kind: ReplayTestStores) throws {
        let opened = try kind.open()
        let store = opened.store
        #expect(try store.latestEquityPoints().isEmpty)
        try store.appendEquityPoints(
            Self.points("b", tier: 10, [10, 20, 30]) + Self.points("b", tier: 60, [10, 70]) + Self.points("a", tier: 10, [5])
                + Self.points("a", tier: 10, [8], scope: .account))
        let latest = try store.latestEquityPoints()
        #expect(
            latest.map { "\($0.scope.rawValue) \($0.name) \($0.tier) \($0.t)" } == [
                "account a 10 8.0", "instance a 10 5.0", "instance b 10 30.0", "instance b 60 70.0",
            ])
    }

    @Test(arguments: ReplayTestStores.allCases)
    func hostilePointsAndParametersAreRefusedAndWriteNothing(_ kind: ReplayTestStores) throws {
        let opened = try kind.open()
        let store = opened.store
        let good = Self.points("ok", tier: 10, [1])[0]
        var bad: [EquityPoint] = []
        for (path, value) in [(\EquityPoint.equity, Double.nan), (\.t, .infinity), (\.position, -.infinity), (\.realised, .nan), (\.fees, .nan)] {
            var point = good
            point[keyPath: path] = value
            bad.append(point)
        }
        var noName = good
        noName.name = ""
        var noTier = good
        noTier.tier = 0
        var badPrice = good
        badPrice.price = .nan
        var longName = good
        longName.name = String(repeating: "n", count: 1_001)
        var nulName = good
        nulName.name = "a\u{0}b"
        bad += [noName, noTier, badPrice, longName, nulName]
        for point in bad {
            let error = #expect(throws: StoreError.self) { try store.appendEquityPoints([good, point]) }
            #expect(error?.code == .invalidArgument)
        }
        #expect(try store.latestEquityPoints().isEmpty)
        #expect(try store.equitySummaries(scope: nil).isEmpty)

        // Names of any characters, long ones too, are data (bound parameters), never SQL
        let names = ["'; DROP TABLE equity_points; --", "ü\u{7}x 🙂", String(repeating: "é", count: 500), "a\"b"]
        try store.appendEquityPoints(names.flatMap { Self.points($0, tier: 10, [1]) })
        for name in names {
            #expect(try store.equityPoints(scope: .instance, name: name, from: 0, to: 2).points.map(\.name) == [name])
        }
        #expect(throws: StoreError.self) { try store.equityPoints(scope: .instance, name: "ok", from: .nan, to: 1) }
        #expect(throws: StoreError.self) { try store.equityPoints(scope: .instance, name: "ok", from: 0, to: .nan) }
        try store.appendEquityPoints([])
    }
}

/// Both stores hold the equity history in the same tables and columns.
@Suite struct EquityHistorySchemaTests {
    @Test func bothStoresHoldTheSameTablesAndColumns() throws {
        func columns(_ kind: StoreKind) throws -> [String] {
            let database = try TestStore(kind)
            _ = try database.open()
            var found: [String] = []
            for table in ["equity_points", "equity_summaries"] {
                let sql =
                    kind == .sqlite
                    ? "SELECT name FROM pragma_table_info('\(table)') ORDER BY cid;"
                    : "SELECT column_name FROM information_schema.columns WHERE table_name = '\(table)' ORDER BY ordinal_position;"
                let result = try database.shell(sql)
                #expect(result.status == 0, "\(result.stderr)")
                found += result.output.split(separator: "\n").map { "\(table).\($0)" }
            }
            return found
        }
        let sqlite = try columns(.sqlite)
        #expect(sqlite.count == 9 + 8)
        #expect(try columns(.postgres) == sqlite)
    }
}
