import Foundation
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// The list pages, filters and sorts 10,000 instances (its speed is measured by the
    /// browser test's timing and `tools/browser-test`, not asserted here).
    @Suite struct ListPerformanceTests {
        @Test func pagesFiltersAndSortsTenThousandInstances() async throws {
            try await withAPI { api, fixture in
                // The list is served from the store alone; the engine (which would re-read the same
                // rows at every resync) is stopped so that the test measures the server.
                await fixture.stopEngine()
                // Written as an operator's SQL shell would: one statement, one transaction.
                let sql = """
                    INSERT OR IGNORE INTO accounts (name, broker, created_at) VALUES ('paper', 'paper', '2026-01-01 00:00:00.000');
                    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
                    INSERT INTO instances (id, strategy_type, account, market, mode, config, created_at, updated_at)
                    SELECT printf('bulk-%05d', i), 'widgets', 'paper', printf('M%d/USD', i % 50), 'off',
                           json_object('window', 2 + i % 40), '2026-01-01 00:00:00.000', '2026-01-01 00:00:00.000' FROM n;
                    """
                let shell = Process()
                shell.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
                shell.arguments = [fixture.folder.appendingPathComponent("strata.db").path, sql]
                try shell.run()
                while shell.isRunning { try await Task.sleep(for: .milliseconds(20)) }
                #expect(shell.terminationStatus == 0)

                // The first request reads every row; later ones reuse them until a write.
                for query in ["limit=100", "limit=100", "sort=pnl&order=desc&limit=100", "q=m7/&offset=100&limit=50", "sort=market&offset=9900"] {
                    let answer = try await api.get("/api/instances?\(query)")
                    #expect(answer.status == 200)
                    #expect(answer.json?["instances"]?.arrayValue?.isEmpty == false, "\(query)")
                }
                let filtered = try await api.get("/api/instances?q=m7/&limit=1000").json
                #expect(filtered?["total"] == 200)
                let last = try await api.get("/api/instances?sort=id&order=desc&limit=1").json
                #expect(last?["instances"]?.arrayValue?.first?["id"] == "bulk-10000")
                let first = try await api.get("/api/instances?limit=3").json
                #expect(first?["total"] == 10_000)
                #expect(first?["instances"]?.arrayValue?.first?["id"] == "bulk-00001")
            }
        }
    }
}
