import Foundation
import StrataEngine
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// `GET /api/instances/{id}/equity`, `GET /api/accounts/{name}/equity`, and the list's
    /// `return_pct` / `max_drawdown_pct`, on a live server on loopback; every bad parameter named.
    @Suite struct EquityAPITests {
        /// Points of `name` in `tier` at `times`, equity `equity(t)`.
        static func points(_ name: String, scope: EquityScope = .instance, tier: Int, _ times: [Double], equity: (Double) -> Double)
            -> [EquityPoint]
        {
            times.map { EquityPoint(scope: scope, name: name, tier: tier, t: $0, equity: equity($0), position: 2, realised: 3, fees: 0.25, price: 7) }
        }

        @Test func theSeriesMergesTiersThinsToMaxPointsAndEchoesTheRange() async throws {
            try await withAPI(.live) { api, fixture in
                try fixture.seed("e-1")
                // An hourly tier from 0, a minute tier from 36,000
                try fixture.store.appendEquityPoints(
                    Self.points("e-1", tier: 3_600, stride(from: 0.0, through: 36_000, by: 3_600).map { $0 }) { 100_000 + $0 }
                        + Self.points("e-1", tier: 60, stride(from: 36_000.0, through: 39_540, by: 60).map { $0 }) { 100_000 + $0 })

                let whole = try await api.get("/api/instances/e-1/equity")
                #expect(whole.status == 200, "\(whole.text)")
                let series = try #require(whole.json)
                #expect(series["scope"] == "instance" && series["name"] == "e-1")
                #expect(series["from"]?.doubleValue == 0 && series["to"]?.doubleValue == 39_540)
                #expect(series["resolution_seconds"]?.arrayValue?.compactMap(\.doubleValue) == [60, 3_600])
                let points = try #require(series["points"]?.arrayValue)
                #expect(points.count == 10 + 60)
                #expect(points.first?.arrayValue?.compactMap(\.doubleValue) == [0, 100_000, 2, 3, 0.25])
                #expect(points.last?.arrayValue?.first?.doubleValue == 39_540)

                // max_points thins evenly, keeping the first and the last
                let thin = try await api.get("/api/instances/e-1/equity?max_points=2").json?["points"]?.arrayValue
                #expect(thin?.compactMap { $0.arrayValue?.first?.doubleValue } == [0, 39_540])
                let five = try await api.get("/api/instances/e-1/equity?max_points=5").json?["points"]?.arrayValue
                #expect(five?.count == 5)

                // A range echoes what was asked and takes the tiers within it
                let range = try await api.get("/api/instances/e-1/equity?from=7000&to=36060.5").json
                #expect(range?["from"]?.doubleValue == 7_000 && range?["to"]?.doubleValue == 36_060.5)
                #expect(
                    range?["points"]?.arrayValue?.compactMap { $0.arrayValue?.first?.doubleValue } == [
                        7_200, 10_800, 14_400, 18_000, 21_600, 25_200, 28_800, 32_400, 36_000, 36_060,
                    ])

                // An instance with no history: no points, null bounds
                try fixture.seed("e-empty")
                let empty = try await api.get("/api/instances/e-empty/equity").json
                #expect(empty?["points"] == [] && empty?["from"] == .null && empty?["to"] == .null && empty?["resolution_seconds"] == [])

                // The account's series
                try fixture.store.appendEquityPoints(Self.points("paper", scope: .account, tier: 60, [60, 120]) { _ in 5 })
                let account = try await api.get("/api/accounts/paper/equity").json
                #expect(account?["scope"] == "account" && account?["points"]?.arrayValue?.count == 2)
            }
        }

        @Test func theRunningEngineRecordsARunningInstanceAndItsAccount() async throws {
            try await withAPI(.live) { api, _ in
                // Given an instance that buys as it runs: its first tick records every tier
                try await api.create("live-1", mode: "active", config: ["qty": 0.5])
                try await eventually("a point") {
                    (try await api.get("/api/instances/live-1/equity").json?["points"]?.arrayValue?.count ?? 0) >= 1
                }
                let series = try await api.get("/api/instances/live-1/equity").json
                #expect(series?["resolution_seconds"] == [60])
                let point = series?["points"]?.arrayValue?.first?.arrayValue?.compactMap(\.doubleValue) ?? []
                // [t, equity, position, realised, fees]: tick time (now-ish), base cash + PnL
                #expect(point.count == 5)
                #expect(abs((point.first ?? 0) - Date().timeIntervalSince1970) < 600)
                #expect(abs((point.dropFirst().first ?? 0) - 100_000) < 1_000)
                let account = try await api.get("/api/accounts/paper/equity").json
                #expect(account?["points"]?.arrayValue?.isEmpty == false)
                let row = try await api.get("/api/instances?q=live-1").json?["instances"]?.arrayValue?.first
                #expect(row?["return_pct"]?.doubleValue != nil && row?["max_drawdown_pct"]?.doubleValue != nil)
            }
        }

        @Test func badParametersAreNamedAndUnknownInstancesAndAccountsAre404() async throws {
            try await withAPI(.live) { api, fixture in
                try fixture.seed("e-1")
                let bad: [(String, String)] = [
                    ("from=abc", "from"), ("from=NaN", "from"), ("to=inf", "to"), ("to=1e12", "to"), ("from=", "from"),
                    ("from=-1e400", "from"), ("max_points=1", "max_points"), ("max_points=10001", "max_points"),
                    ("max_points=2.5", "max_points"), ("max_points=", "max_points"), ("from=5&to=1", "from"),
                    ("from=\(String(repeating: "9", count: 5_000))", "from"), ("to=%FF", "to"), ("from=0x10", "from"),
                ]
                for (query, field) in bad {
                    for path in ["/api/instances/e-1/equity", "/api/accounts/paper/equity"] {
                        let answer = try await api.get("\(path)?\(query)")
                        #expect(answer.status == 400, "\(path)?\(query): \(answer.text)")
                        let fields = answer.json?["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue }
                        #expect(fields == [field], "\(path)?\(query): \(answer.text)")
                    }
                }
                // Unknown parameters are ignored; from = to is a range of one moment
                #expect(try await api.get("/api/instances/e-1/equity?from=5&to=5&x=1").status == 200)
                #expect(try await api.get("/api/instances/e-1/equity?from=-100000000000&to=100000000000&max_points=10000").status == 200)

                let ghost = try await api.get("/api/instances/ghost/equity")
                #expect(ghost.status == 404 && ghost.text.contains("ghost"))
                let noAccount = try await api.get("/api/accounts/nobody/equity")
                #expect(noAccount.status == 404 && noAccount.text.contains("nobody"))
                #expect(try await api.get("/api/accounts/%00/equity").status == 400)
                #expect(try await api.post("/api/instances/e-1/equity", [:]).status == 405)
            }
        }

        @Test func theListCarriesReturnAndDrawdownAndSortsByThemWithNullsLast() async throws {
            try await withAPI(.live) { api, fixture in
                for id in ["up", "down", "none", "flat"] { try fixture.seed(id) }
                // up: 100 → 110 (+10 %); down: 100 → 120 → 90 (−10 %, drawdown 25 %); flat: 100 → 100
                try fixture.store.appendEquityPoints(
                    Self.points("up", tier: 60, [60, 120]) { $0 == 60 ? 100 : 110 }
                        + Self.points("down", tier: 60, [60, 120, 180]) { [60: 100, 120: 120, 180: 90][$0]! }
                        + Self.points("flat", tier: 60, [60, 120]) { _ in 100 })

                func ids(_ query: String) async throws -> [String] {
                    let answer = try await api.get("/api/instances?\(query)")
                    #expect(answer.status == 200, "\(answer.text)")
                    return answer.json?["instances"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
                }
                #expect(try await ids("sort=return_pct") == ["down", "flat", "up", "none"])
                #expect(try await ids("sort=return_pct&order=desc") == ["up", "flat", "down", "none"])
                #expect(try await ids("sort=max_drawdown_pct&order=desc") == ["down", "flat", "up", "none"])
                #expect(try await ids("sort=max_drawdown_pct") == ["flat", "up", "down", "none"])

                let rows = try await api.get("/api/instances?sort=id").json?["instances"]?.arrayValue ?? []
                let byID = Dictionary(uniqueKeysWithValues: rows.compactMap { row in row["id"]?.stringValue.map { ($0, row) } })
                #expect(byID["up"]?["return_pct"]?.doubleValue.map { abs($0 - 10) < 1e-9 } == true)
                #expect(byID["down"]?["max_drawdown_pct"]?.doubleValue == 25)
                #expect(byID["down"]?["return_pct"]?.doubleValue == -10)
                #expect(byID["none"]?["return_pct"] == .null && byID["none"]?["max_drawdown_pct"] == .null)
                #expect(try await api.get("/api/instances?sort=drawdown").status == 400)
            }
        }

        /// 10,000 instances with a month of hourly points each (7.2 million points): the list
        /// answers from the summaries alone (its time is measured by `strata bench`, not here).
        @Test func theListOfTenThousandInstancesWithAMonthOfHistoryEachAnswers() async throws {
            try await withAPI(.live) { api, fixture in
                await fixture.stopEngine()
                // i % 200 − 100 units an hour: half rise, half fall; written as a SQL shell would
                let sql = """
                    INSERT OR IGNORE INTO accounts (name, broker, created_at) VALUES ('paper', 'paper', '2026-01-01 00:00:00.000');
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
                    INSERT INTO instances (id, strategy_type, account, market, mode, config, created_at, updated_at)
                    SELECT printf('bulk-%05d', i), 'widgets', 'paper', 'X/USD', 'off', '{}', '2026-01-01 00:00:00.000',
                        '2026-01-01 00:00:00.000' FROM n;
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000),
                        h(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM h WHERE k < 719)
                    INSERT INTO equity_points (scope, name, tier, t, equity, position, realised, fees, price)
                    SELECT 'instance', printf('bulk-%05d', i), 3600, 1767225600 + k * 3600, 100000 + (i % 200 - 100) * k, 0, 0, 0, NULL
                    FROM n, h ORDER BY 2, 4;
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
                    INSERT INTO equity_summaries (scope, name, first_t, first_equity, last_t, last_equity, peak, max_drawdown_pct)
                    SELECT 'instance', printf('bulk-%05d', i), 1767225600, 100000, 1767225600 + 719 * 3600, 100000 + (i % 200 - 100) * 719,
                        max(100000, 100000 + (i % 200 - 100) * 719), max(0, (100 - i % 200) * 719 / 1000.0) FROM n;
                    """
                let shell = Process()
                shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
                shell.arguments = [fixture.folder.appendingPathComponent("strata.db").path, sql]
                try shell.run()
                while shell.isRunning { try await Task.sleep(for: .milliseconds(50)) }
                #expect(shell.terminationStatus == 0)

                // The best returns first (i % 200 = 199: +99 × 719 on 100,000), the deepest drawdown first
                let best = try await api.get("/api/instances?sort=return_pct&order=desc&limit=3").json
                #expect(best?["total"] == 10_000)
                let top = best?["instances"]?.arrayValue ?? []
                #expect(top.compactMap { $0["id"]?.stringValue } == ["bulk-00199", "bulk-00399", "bulk-00599"])
                #expect(top.first?["return_pct"]?.doubleValue.map { abs($0 - 71.181) < 1e-9 } == true)
                let deepest = try await api.get("/api/instances?sort=max_drawdown_pct&order=desc&limit=1").json?["instances"]?.arrayValue?.first
                #expect(deepest?["id"] == "bulk-00200" && deepest?["max_drawdown_pct"]?.doubleValue.map { abs($0 - 71.9) < 1e-9 } == true)
                let page = try await api.get("/api/instances?sort=return_pct&offset=9990&limit=10").json?["instances"]?.arrayValue
                #expect(page?.count == 10 && page?.allSatisfy { $0["return_pct"] != .null } == true)

                // And one instance's month reads back thinned
                let series = try await api.get("/api/instances/bulk-00001/equity?max_points=100").json
                let points = series?["points"]?.arrayValue ?? []
                #expect(points.count == 100)
                #expect(points.first?.arrayValue?.first?.doubleValue == 1_767_225_600)
                let lastHour: Double = 1_767_225_600 + 719 * 3_600
                #expect(points.last?.arrayValue?.first?.doubleValue == lastHour)
                #expect(series?["resolution_seconds"]?.arrayValue?.compactMap(\.doubleValue) == [3_600])
            }
        }
    }
}
