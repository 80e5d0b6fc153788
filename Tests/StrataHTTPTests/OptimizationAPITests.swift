import Foundation
import HTTPTypes
import StrataEngine
import StrataHTTP
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// `/api/optimizations` and `/api/strategies/{type}/parameters`: sweeps of the test strategy
    /// on a file of the data folder in real workers, followed on the event stream, read back,
    /// cancelled; every bad request refused naming its field.
    @Suite struct OptimizationAPITests {
        static func qtyAndEnabled(_ extra: [String: JSONValue] = [:]) -> JSONValue {
            var body: [String: JSONValue] = [
                "strategy_type": "widgets", "data": "BTCUSD.csv", "metric": "return_pct", "jobs": 2,
                "params": [["name": "qty", "values": [0.1, 0.5]], ["name": "enabled", "values": [true, false]]],
            ]
            body.merge(extra) { _, new in new }
            return .object(body)
        }

        static func finished(_ api: APIClient, _ id: String) async throws -> JSONValue {
            var run: JSONValue = .null
            try await eventually("ended", timeout: .seconds(90)) {
                run = try await api.get("/api/optimizations/\(id)").json ?? .null
                return ["done", "failed", "cancelled"].contains(run["status"]?.stringValue ?? "")
            }
            return run
        }

        @Test func theDefaultSweepComesFromTheSchema() async throws {
            try await BacktestAPITests.withBacktests { api, _ in
                let answer = try await api.get("/api/strategies/widgets/parameters")
                #expect(answer.status == 200, "\(answer.text)")
                let parameters = answer.json?["parameters"]?.arrayValue ?? []
                #expect(parameters.compactMap { $0["name"]?.stringValue }.sorted() == ["enabled", "qty", "side", "window"])
                let window = try #require(parameters.first { $0["name"] == "window" })
                #expect(window["type"] == "integer" && window["from"] == 2 && window["to"] == 50 && window["step"] == 12)
                #expect(window["values"] == [2, 14, 26, 38, 50])
                #expect(parameters.first { $0["name"] == "side" }?["values"] == ["both", "long"])
                #expect(parameters.first { $0["name"] == "side" }?["from"] == nil)
                #expect(answer.json?["metrics"]?.arrayValue?.contains("sharpe") == true && answer.json?["default_metric"] == "sharpe")
                #expect(try await api.get("/api/strategies/nope/parameters").status == 404)
                #expect(try await api.get("/api/strategies/syntax_error/parameters").status == 409)
            }
        }

        @Test func aGridRunsInWorkersItsTrialsStreamAndItsResultIsKept() async throws {
            try await BacktestAPITests.withBacktests { api, fixture in
                let events = fixture.loop.events.subscribe(EventHub.Filter(kinds: [.research]))

                // When a 2×2 grid starts
                let started = try await api.post("/api/optimizations", Self.qtyAndEnabled())
                #expect(started.status == 202, "\(started.text)")
                let id = try #require(started.json?["id"]?.stringValue)
                #expect(id.hasPrefix("opt-") && started.headers[.location] == "/api/optimizations/\(id)")
                #expect(started.json?["kind"] == "optimization" && started.json?["strategy_type"] == "widgets")
                #expect(started.json?["parameters"]?["params"] == ["qty=0.1,0.5", "enabled=true,false"])

                // Then every trial arrives once on the event stream, and the run ends done
                var trials: [JSONValue] = []
                var last: JSONValue = .null
                for await event in events {
                    guard case .research(let body) = event.payload, body["id"]?.stringValue == id else { continue }
                    trials += (body["extra"]?.arrayValue ?? []).compactMap { $0["trial"] }
                    last = body
                    if body["status"]?.stringValue.map({ ["done", "failed", "cancelled"].contains($0) }) == true { break }
                }
                #expect(last["status"] == "done", "\(last)")
                #expect(trials.compactMap { $0["index"]?.intValue }.sorted() == [0, 1, 2, 3])
                let run = try await Self.finished(api, id)
                #expect(run["summary"]?["planned"] == 4 && run["summary"]?["completed"] == 4 && run["summary"]?["failed"] == 0)
                #expect(run["summary"]?["metric"] == "return_pct" && run["summary"]?["parameters"] == ["qty", "enabled"])
                let best = try #require(run["summary"]?["best"])
                let stored = run["detail"]?["trials"]?.arrayValue ?? []
                #expect(stored.count == 4)
                let bestScore = best["metrics"]?["return_pct"]?.doubleValue ?? .nan
                #expect(stored.allSatisfy { ($0["metrics"]?["return_pct"]?.doubleValue ?? -.infinity) <= bestScore })
                #expect(run["has_report"] == true)
                #expect(try fixture.server.research.runs?.store.researchReport(id: id)?.contains("<svg") == true)

                // And it is listed by strategy type, not among the backtests
                #expect(try await api.get("/api/optimizations?strategy_type=widgets").json?["optimizations"]?.arrayValue?.count == 1)
                #expect(try await api.get("/api/optimizations?strategy_type=picky").json?["optimizations"] == [])
                #expect(try await api.get("/api/backtests").json?["backtests"] == [])
                #expect(try await api.get("/api/backtests/\(id)").status == 404)
            }
        }

        @Test func aRandomWalkForwardSearchOfAnInstanceScoresEachWindowOutOfSample() async throws {
            try await BacktestAPITests.withBacktests { api, _ in
                try await api.create("opt-i", mode: "observe", config: ["qty": 0.25, "side": "long"])
                try await eventually("running") { try await api.state("opt-i") == "running" }
                let body: JSONValue = [
                    "instance_id": "opt-i", "data": "BTCUSD.csv", "search": "random", "trials": 3, "seed": 7, "walk_forward": 2,
                    "params": [["name": "window", "from": 2, "to": 20, "step": 6], ["name": "qty", "values": [0.1, 1]]],
                    "constraints": ["window > 2"],
                ]
                let started = try await api.post("/api/optimizations", body)
                #expect(started.status == 202, "\(started.text)")
                let id = try #require(started.json?["id"]?.stringValue)
                #expect(started.json?["instance_id"] == "opt-i" && started.json?["parameters"]?["market"] == "X/USD")
                let run = try await Self.finished(api, id)
                #expect(run["status"] == "done", "\(run)")
                // 3 random points × 2 windows in sample, then one out-of-sample trial per window
                #expect(run["summary"]?["planned"] == 8)
                let windows = run["summary"]?["walk_forward"]?["windows"]?.arrayValue ?? []
                #expect(windows.count == 2)
                #expect(windows.allSatisfy { $0["out_of_sample"]?["sample"] == "out" && $0["best"]?["params"]?["window"] != nil })
                let trials = run["detail"]?["trials"]?.arrayValue ?? []
                #expect(trials.allSatisfy { ($0["params"]?["window"]?.intValue ?? 0) > 2 })
                // The instance's config is the base: `side` was not swept and kept its value
                #expect(run["summary"]?["best"]?["params"]?["side"] == nil)
            }
        }

        @Test func aLongOptimizationIsCancelledKeepingItsTrials() async throws {
            try await BacktestAPITests.withBacktests { api, fixture in
                let slow = """
                    CONFIG_SCHEMA = { n = { type = "integer", default = 1, min = 1, max = 1000 } }
                    function init() return {} end
                    function on_tick(tick) if tick.open == nil then return end local x = 0 for i = 1, 300000 do x = x + i end end
                    function render() return { widgets = {} } end
                    """
                try slow.write(to: fixture.folder.appendingPathComponent("strategies/slow.lua"), atomically: true, encoding: .utf8)
                try await eventually("catalog") { fixture.loop.catalog.entries["slow"]?.version != nil }
                let started = try await api.post(
                    "/api/optimizations",
                    ["strategy_type": "slow", "data": "BTCUSD.csv", "params": [["name": "n", "from": 1, "to": 200, "step": 1]], "jobs": 1])
                #expect(started.status == 202, "\(started.text)")
                let id = try #require(started.json?["id"]?.stringValue)
                try await eventually("running") { try await api.get("/api/optimizations/\(id)").json?["status"] == "running" }
                #expect(try await api.send(.post, "/api/optimizations/\(id)/cancel").status == 200)
                let run = try await Self.finished(api, id)
                #expect(run["status"] == "cancelled" && run["error"] == "cancelled", "\(run)")
                #expect(run["summary"]?["cancelled"] == true && run["summary"]?["planned"] == 200)
                #expect(run["has_report"] == true, "a cancelled optimization keeps the report of the trials it finished")
                let listed = try await api.get("/api/optimizations?strategy_type=slow").json?["optimizations"]?.arrayValue ?? []
                #expect(listed.first?["has_report"] == true && listed.first?["detail"] == nil)
                #expect(fixture.server.research.runs?.unfinished == 0)
                #expect(try await api.send(.post, "/api/optimizations/\(id)/cancel").status == 409)
            }
        }

        @Test func badRequestsAreRefusedNamingTheField() async throws {
            try await BacktestAPITests.withBacktests { api, _ in
                try await api.create("opt-v", mode: "off")
                let window = { (spec: JSONValue) -> JSONValue in ["strategy_type": "widgets", "data": "BTCUSD.csv", "params": [spec]] }
                for (body, field) in [
                    (["data": "BTCUSD.csv"], "strategy_type"),
                    (["strategy_type": "widgets"], "data"),
                    (["strategy_type": "widgets", "data": "../secret.csv"], "data"),
                    (["strategy_type": "widgets", "data": "escape.csv"], "data"),
                    (window(["name": "nope", "values": [1]]), "params[0]"),
                    (window(["name": "window", "from": 1, "to": 10, "step": 1]), "params[0]"),
                    (window(["name": "window", "from": 10, "to": 2, "step": 1]), "params[0]"),
                    (window(["name": "window", "from": 2, "to": 10, "step": 0]), "params[0]"),
                    (window(["name": "window", "from": 2, "to": 10, "step": 0.5]), "params[0]"),
                    (window(["name": "window", "values": []]), "params[0]"),
                    (window(["name": "window", "values": [3], "from": 2]), "params[0]"),
                    (window(["name": "side", "values": ["both", "short"]]), "params[0]"),
                    (window(["name": "note"]), "params[0]"),
                    (window(["name": "../x"]), "params[0]"),
                    (window(["name": "window", "shape": "x"]), "params[0]"),
                    (window("window=2:10:1"), "params[0]"),
                    (window(["name": "window", "from": 2, "to": 2_000_000_000, "step": 1]), "params[0]"),
                    (["strategy_type": "widgets", "data": "BTCUSD.csv", "params": "window"], "params"),
                    (["strategy_type": "widgets", "data": "BTCUSD.csv", "constraints": ["window <"]], "constraints"),
                    (["strategy_type": "widgets", "data": "BTCUSD.csv", "constraints": ["speed < 3"]], "constraints"),
                    (["strategy_type": "widgets", "data": "BTCUSD.csv", "constraints": [3]], "constraints"),
                    (
                        [
                            "strategy_type": "widgets", "data": "BTCUSD.csv", "params": [["name": "window", "from": 2, "to": 4, "step": 1]],
                            "constraints": ["window > 10"],
                        ], "params"
                    ),
                    (["strategy_type": "widgets", "data": "BTCUSD.csv", "metric": "luck"], "metric"),
                    (["strategy_type": "widgets", "data": "BTCUSD.csv", "direction": "up"], "direction"),
                    (["strategy_type": "widgets", "data": "BTCUSD.csv", "search": "annealing"], "search"),
                    (["strategy_type": "widgets", "data": "BTCUSD.csv", "trials": 5], "trials"),
                    (["strategy_type": "widgets", "data": "BTCUSD.csv", "search": "random", "trials": 0], "trials"),
                    (["strategy_type": "widgets", "data": "BTCUSD.csv", "walk_forward": 101], "walk_forward"),
                    (["strategy_type": "widgets", "data": "BTCUSD.csv", "walk_forward": 1.5], "walk_forward"),
                    (["strategy_type": "widgets", "data": "BTCUSD.csv", "jobs": 0], "jobs"),
                    (["strategy_type": "widgets", "data": "BTCUSD.csv", "config": ["window": 500]], "config"),
                    (["strategy_type": "widgets", "data": "BTCUSD.csv", "config": "x"], "config"),
                    (["strategy_type": "widgets", "data": "BTCUSD.csv", "cash": -1], "cash"),
                    (["strategy_type": "widgets", "data": "BTCUSD.csv", "script": "os.exit()"], "script"),
                    (["strategy_type": "picky", "instance_id": "opt-v", "data": "BTCUSD.csv"], "strategy_type"),
                ] as [(JSONValue, String)] {
                    let answer = try await api.post("/api/optimizations", body)
                    #expect(answer.status == 400 && answer.errorFields.contains(field), "\(body): \(answer.text)")
                }
                #expect(try await api.post("/api/optimizations", ["strategy_type": "nope", "data": "BTCUSD.csv"]).status == 404)
                #expect(try await api.post("/api/optimizations", ["instance_id": "nope", "data": "BTCUSD.csv"]).status == 404)
                #expect(try await api.post("/api/optimizations", ["strategy_type": "syntax_error", "data": "BTCUSD.csv"]).status == 409)
                #expect(try await api.get("/api/optimizations/opt-0000000000000000").status == 404)
                #expect(try await api.get("/api/optimizations?limit=0").status == 400)
                #expect(try await api.get("/api/optimizations").json?["optimizations"] == [])
            }
        }
    }
}
