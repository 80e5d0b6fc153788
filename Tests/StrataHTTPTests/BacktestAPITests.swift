import Foundation
import HTTPTypes
import StrataEngine
import StrataHTTP
import StrataRuntime
import Testing

/// The built `strata` program (beside the test bundle): the worker each API backtest runs in.
let strataProgram: String? = {
    var folder = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = folder.appendingPathComponent("strata").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        folder.deleteLastPathComponent()
    }
    return nil
}()

extension StrataHTTPSuite {
    /// `/api/data-files` and `/api/backtests`: run an instance's current version on a file of the
    /// data folder in a real worker, follow it, read it, cancel it; every bad request refused.
    @Suite struct BacktestAPITests {
        static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

        /// A data folder: BTCUSD.csv, a folder of two days, a hidden file, a non-data file, and
        /// links: one inside (listed), one to a file outside (not listed).
        static func dataFolder(in folder: URL) throws -> URL {
            let data = folder.appendingPathComponent("data")
            let days = data.appendingPathComponent("days")
            try FileManager.default.createDirectory(at: days, withIntermediateDirectories: true)
            let bars = try String(contentsOf: repository.appendingPathComponent("data/BTCUSD.csv"), encoding: .utf8)
            try bars.write(to: data.appendingPathComponent("BTCUSD.csv"), atomically: true, encoding: .utf8)
            let lines = bars.split(separator: "\n", omittingEmptySubsequences: true)
            try (lines.prefix(40).joined(separator: "\n") + "\n").write(to: days.appendingPathComponent("1.csv"), atomically: true, encoding: .utf8)
            try ([String(lines[0])] + lines.dropFirst(40).prefix(40).map(String.init)).joined(separator: "\n")
                .write(to: days.appendingPathComponent("2.csv"), atomically: true, encoding: .utf8)
            try "x".write(to: data.appendingPathComponent(".hidden.csv"), atomically: true, encoding: .utf8)
            try "notes".write(to: data.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
            let outside = folder.appendingPathComponent("secret.csv")
            try "time,open,high,low,close\n".write(to: outside, atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: data.appendingPathComponent("escape.csv").path, withDestinationPath: outside.path)
            try FileManager.default.createSymbolicLink(atPath: data.appendingPathComponent("alias.csv").path, withDestinationPath: "BTCUSD.csv")
            return data
        }

        static func withBacktests(_ body: @Sendable (APIClient, APIFixture) async throws -> Void) async throws {
            let program = try #require(strataProgram, "strata binary not found next to the test bundle; run swift build first")
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("strata-bt-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: scratch) }
            let data = try dataFolder(in: scratch)
            try await withAPI(
                tune: {
                    $0.dataDirectory = data
                    $0.researchWorker = program
                }, body)
        }

        @Test func theDataFilesAreTheFolderEntriesAndNothingOutsideIt() async throws {
            try await Self.withBacktests { api, _ in
                let answer = try await api.get("/api/data-files")
                #expect(answer.status == 200)
                let files = answer.json?["files"]?.arrayValue ?? []
                #expect(files.compactMap { $0["name"]?.stringValue } == ["BTCUSD.csv", "alias.csv", "days"])
                #expect(files.first?["market"] == "BTCUSD")
                #expect(files.last?["folder"] == true && files.first?["folder"] == false)
                #expect((files.first?["size"]?.intValue ?? 0) > 1000)
            }
        }

        @Test func anInstanceIsBacktestedInAWorkerAndItsResultKept() async throws {
            try await Self.withBacktests { api, fixture in
                // Given a running instance (its version is stored)
                try await api.create("bt-i", mode: "observe", config: ["qty": 0.25])
                try await eventually("running") { try await api.state("bt-i") == "running" }

                // When it is backtested on a data file
                let started = try await api.post("/api/backtests", ["instance_id": "bt-i", "data": "BTCUSD.csv", "cash": 5000, "fee_bps": 10])
                #expect(started.status == 202, "\(started.text)")
                let id = try #require(started.json?["id"]?.stringValue)
                #expect(id.hasPrefix("bt-") && started.headers[.location] == "/api/backtests/\(id)")
                #expect(started.json?["status"] == "queued" && started.json?["version"]?.stringValue?.isEmpty == false)

                // Then it finishes with metrics, trades and an equity curve
                var run: JSONValue = .null
                try await eventually("done", timeout: .seconds(60)) {
                    run = try await api.get("/api/backtests/\(id)").json ?? .null
                    return run["status"] == "done" || run["status"] == "failed"
                }
                #expect(run["status"] == "done", "\(run)")
                #expect(run["progress"] == 1 && run["has_report"] == true && run["error"] == .null)
                #expect(run["summary"]?["starting_cash"] == 5000)
                #expect((run["summary"]?["fees_paid"]?.doubleValue ?? 0) > 0)
                #expect(run["parameters"]?["fee_bps"] == 10 && run["parameters"]?["market"] == "X/USD")
                let curve = run["detail"]?["equity_curve"]?.arrayValue ?? []
                #expect(!curve.isEmpty && curve.count <= 500 && curve.first?.arrayValue?.count == 2)
                #expect((run["detail"]?["trades_total"]?.intValue ?? 0) > 0)

                // And its report is served under a policy that runs no script
                let report = try fixture.server.research.runs?.store.researchReport(id: id)
                #expect(report?.contains("<html") == true)
                let listed = try await api.get("/api/backtests?instance_id=bt-i")
                #expect(listed.json?["backtests"]?.arrayValue?.map { $0["id"] } == [.string(id)])
                #expect(listed.json?["backtests"]?.arrayValue?.first?["detail"] == nil)
                #expect(try await api.get("/api/backtests?instance_id=other").json?["backtests"] == [])

                // And a finished run cannot be cancelled, but it can be deleted
                #expect(try await api.send(.post, "/api/backtests/\(id)/cancel").status == 409)
                #expect(try await api.send(.delete, "/api/backtests/\(id)").status == 204)
                #expect(try await api.get("/api/backtests/\(id)").status == 404)
            }
        }

        @Test func aFolderOfFilesRunsAndItsReportHasAStrictPolicy() async throws {
            try await Self.withBacktests { api, fixture in
                try await api.create("bt-r", mode: "observe")
                try await eventually("running") { try await api.state("bt-r") == "running" }
                let id = try #require(try await api.post("/api/backtests", ["instance_id": "bt-r", "data": "days"]).json?["id"]?.stringValue)
                try await eventually("done", timeout: .seconds(60)) { try await api.get("/api/backtests/\(id)").json?["status"] == "done" }
                let response = try await api.client.execute(uri: "/api/backtests/\(id)/report", method: .get, headers: [:], body: nil)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                let policy = response.headers[.contentSecurityPolicy] ?? ""
                #expect(policy.contains("default-src 'none'") && policy.contains("sandbox") && !policy.contains("script-src"))
                #expect(String(buffer: response.body).contains("</html>"))
                #expect(try fixture.server.research.runs?.store.researchRun(id: id)?.dataFile == "days")
            }
        }

        @Test func aLongRunIsCancelledAndItsWorkerKilled() async throws {
            try await Self.withBacktests { api, fixture in
                // Given a strategy that burns time on every bar (bars carry `open`; the live ticks need not)
                let slow = """
                    CONFIG_SCHEMA = {}
                    function init() return {} end
                    function on_tick(tick) if tick.open == nil then return end local x = 0 for i = 1, 3000000 do x = x + i end end
                    function render() return { widgets = {} } end
                    """
                try slow.write(to: fixture.folder.appendingPathComponent("strategies/slow.lua"), atomically: true, encoding: .utf8)
                try await eventually("catalog") { fixture.loop.catalog.entries["slow"] != nil }
                try await api.create("bt-slow", type: "slow", mode: "observe")
                try await eventually("running") { try await api.state("bt-slow") == "running" }

                // When a backtest starts, and a second waits behind it (one at a time)
                let first = try #require(try await api.post("/api/backtests", ["instance_id": "bt-slow", "data": "BTCUSD.csv"]).json?["id"]?.stringValue)
                let second = try #require(try await api.post("/api/backtests", ["instance_id": "bt-slow", "data": "BTCUSD.csv"]).json?["id"]?.stringValue)
                try await eventually("running") { try await api.get("/api/backtests/\(first)").json?["status"] == "running" }
                #expect(try await api.get("/api/backtests/\(second)").json?["status"] == "queued")

                // Then cancelling the queued one ends it at once, the running one shortly
                let cancelledQueued = try await api.send(.post, "/api/backtests/\(second)/cancel")
                #expect(cancelledQueued.status == 200 && cancelledQueued.json?["status"] == "cancelled")
                #expect(try await api.send(.post, "/api/backtests/\(first)/cancel").status == 200)
                try await eventually("cancelled", timeout: .seconds(10)) {
                    try await api.get("/api/backtests/\(first)").json?["status"] == "cancelled"
                }
                #expect(try await api.get("/api/backtests/\(first)").json?["error"] == "cancelled")
                #expect(fixture.server.research.runs?.unfinished == 0)
            }
        }

        @Test func badRequestsAreRefusedNamingTheField() async throws {
            try await Self.withBacktests { api, _ in
                try await api.create("bt-v", mode: "off")
                for (body, field) in [
                    (["instance_id": "bt-v", "data": "../secret.csv"], "data"),
                    (["instance_id": "bt-v", "data": "/etc/passwd"], "data"),
                    (["instance_id": "bt-v", "data": "escape.csv"], "data"),
                    (["instance_id": "bt-v", "data": ".hidden.csv"], "data"),
                    (["instance_id": "bt-v", "data": "README.md"], "data"),
                    (["instance_id": "bt-v", "data": "days/1.csv"], "data"),
                    (["instance_id": "bt-v", "data": "BTC\u{0}USD.csv"], "data"),
                    (["instance_id": "bt-v"], "data"),
                    (["instance_id": "bt-v", "data": "BTCUSD.csv", "cash": 0], "cash"),
                    (["instance_id": "bt-v", "data": "BTCUSD.csv", "cash": "lots"], "cash"),
                    (["instance_id": "bt-v", "data": "BTCUSD.csv", "fee_bps": -1], "fee_bps"),
                    (["instance_id": "bt-v", "data": "BTCUSD.csv", "slippage_bps": 10_000], "slippage_bps"),
                    (["instance_id": "bt-v", "data": "BTCUSD.csv", "fill": "never"], "fill"),
                    (["instance_id": "bt-v", "data": "BTCUSD.csv", "path": "/etc"], "path"),
                    (["data": "BTCUSD.csv"], "instance_id"),
                ] as [(JSONValue, String)] {
                    let answer = try await api.post("/api/backtests", body)
                    #expect(answer.status == 400 && answer.errorFields.contains(field), "\(body): \(answer.text)")
                }
                let unknown = try await api.post("/api/backtests", ["instance_id": "nope", "data": "BTCUSD.csv"])
                #expect(unknown.status == 404)
                // An instance that never ran has no stored version: 409
                let unrun = try await api.post("/api/backtests", ["instance_id": "bt-v", "data": "BTCUSD.csv"])
                #expect(unrun.status == 409 || unrun.status == 202, "\(unrun.text)")
                #expect(try await api.get("/api/backtests/bt-0000000000000000").status == 404)
                #expect(try await api.get("/api/backtests/..%2Fx/report").status == 404)
                #expect(try await api.get("/api/backtests?limit=0").status == 400)
            }
        }
    }
}
