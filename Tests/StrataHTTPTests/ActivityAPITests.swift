import Foundation
import StrataEngine
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// What instances show and did: on-demand render, orders, signals, logs, audit, strategies.
    @Suite struct ActivityAPITests {
        @Test func rendersOnDemandAndAnswersRenderFailuresWith200() async throws {
            try await withAPI { api, fixture in
                try await api.create("r-1", mode: "observe", config: ["note": "<script>alert(1)</script>"])
                try await api.create("broken-1", type: "broken_render", mode: "observe")
                try await api.create("off-1")
                try await eventually("both running") {
                    let first = try await api.state("r-1")
                    let second = try await api.state("broken-1")
                    return first == "running" && second == "running"
                }

                let ui = try await api.get("/api/instances/r-1/ui")
                #expect(ui.status == 200)
                #expect(ui.json?["instance_id"] == "r-1")
                #expect(ui.json?["error"] == .null)
                #expect(ui.json?["version"]?.stringValue == fixture.loop.catalog.entries["widgets"]?.version)
                let widgets = ui.json?["widgets"]?.arrayValue ?? []
                #expect(widgets.map { $0["type"] } == ["metric", "text"])
                // Strategy text comes back as data, exactly as the script wrote it
                #expect(widgets.last?["text"] == "<script>alert(1)</script>")

                // A render that raises is a 200 with the error; the instance keeps running
                let broken = try await api.get("/api/instances/broken-1/ui")
                #expect(broken.status == 200)
                #expect(broken.json?["widgets"] == [])
                #expect(broken.json?["error"]?["message"]?.stringValue?.contains("render exploded") == true)
                #expect(broken.json?["error"]?["kind"] == "runtime")
                #expect(try await api.state("broken-1") == "running")

                // Not running: 409; unknown: 404
                let off = try await api.get("/api/instances/off-1/ui")
                #expect(off.status == 409)
                #expect(off.message(for: "id")?.contains("not running (its mode is off)") == true)
                #expect(try await api.get("/api/instances/nope/ui").status == 404)

                // A stopped engine cannot render: 409, not a hang or a 5xx
                await fixture.stopEngine()
                let stopped = try await api.get("/api/instances/r-1/ui")
                #expect(stopped.status == 409)
                #expect(stopped.message(for: "id") == "the engine is not running")
            }
        }

        @Test func listsOrdersSignalsAndLogsNewestFirst() async throws {
            try await withAPI { api, fixture in
                try await api.create("obs-1", mode: "observe")
                try await api.create("act-1", market: "Y/USD", mode: "active")
                try await eventually("signals, logs and orders") {
                    let signals = try await api.get("/api/instances/obs-1/signals").json?["signals"]?.arrayValue?.count ?? 0
                    let logs = try await api.get("/api/instances/obs-1/logs").json?["logs"]?.arrayValue?.count ?? 0
                    let orders = try await api.get("/api/instances/act-1/orders").json?["orders"]?.arrayValue?.count ?? 0
                    return signals >= 2 && logs >= 2 && orders >= 2
                }
                let signals = try await api.get("/api/instances/obs-1/signals").json?["signals"]?.arrayValue ?? []
                #expect(signals.first?["intent"]?["side"] == "buy")
                #expect(signals.first?["reason"] == "not allowed: observe mode")
                let signalIDs = signals.compactMap { if case .integer(let id)? = $0["id"] { id } else { nil } }
                #expect(signalIDs == signalIDs.sorted(by: >), "newest first")

                let logs = try await api.get("/api/instances/obs-1/logs?limit=2").json?["logs"]?.arrayValue ?? []
                #expect(logs.count == 2)
                #expect(logs.allSatisfy { $0["message"]?.stringValue?.hasPrefix("tick ") == true && $0["level"] == "info" })
                let logIDs = logs.compactMap { if case .integer(let id)? = $0["id"] { id } else { nil } }
                #expect(logIDs == logIDs.sorted(by: >))

                let orders = try await api.get("/api/instances/act-1/orders?limit=1000").json?["orders"]?.arrayValue ?? []
                #expect(orders.first?["instance_id"] == "act-1")
                #expect(orders.first?["side"] == "buy")
                let times = orders.compactMap { $0["created_at"]?.stringValue }
                #expect(times == times.sorted(by: >))
                #expect(try await api.get("/api/instances/act-1/signals").json?["signals"] == [])

                for route in ["orders", "signals", "logs"] {
                    for limit in ["0", "1001", "x", "-5", "1e3"] {
                        let answer = try await api.get("/api/instances/obs-1/\(route)?limit=\(limit)")
                        #expect(answer.status == 400, "\(route) limit=\(limit)")
                        #expect(answer.errorFields == ["limit"])
                    }
                    #expect(try await api.get("/api/instances/nope/\(route)").status == 404)
                }
            }
        }

        @Test func listsTheAuditLogNewestFirst() async throws {
            try await withAPI { api, fixture in
                try await api.create("a-1")
                try await api.patch("/api/instances/a-1/config", ["window": 8])
                try await api.put("/api/instances/a-1/mode", ["mode": "observe"])
                try fixture.store.setMode(id: "a-1", to: .off, actor: .cli)
                let audit = try await api.get("/api/instances/a-1/audit").json?["audit"]?.arrayValue ?? []
                #expect(audit.map { $0["field"] } == ["mode", "mode", "config", "create"])
                #expect(audit.map { $0["actor"] } == ["cli", "api", "api", "api"])
                #expect(audit[0]["old"] == "observe")
                #expect(audit[0]["new"] == "off")
                #expect(audit[2]["new"]?["window"] == 8)
                #expect(audit[3]["old"] == .null)
                #expect(audit[3]["new"]?["strategy_type"] == "widgets")
                #expect(try await api.get("/api/instances/nope/audit").status == 404)
            }
        }

        @Test func listsStrategiesWithSchemasVersionsAndLoadErrors() async throws {
            try await withAPI { api, fixture in
                let strategies = try await api.get("/api/strategies").json?["strategies"]?.arrayValue ?? []
                #expect(strategies.map { $0["strategy_type"] } == ["broken_render", "picky", "syntax_error", "widgets"])
                let widgets = try #require(strategies.last)
                let version = try #require(widgets["version"]?.stringValue)
                #expect(widgets["error"] == .null)
                #expect(widgets["schema"]?.arrayValue?.count == 5)
                #expect(widgets["versions"]?.arrayValue?.map { $0["hash"] } == [.string(version)])
                let broken = try #require(strategies.first { $0["strategy_type"] == "syntax_error" })
                #expect(broken["version"] == .null)
                #expect(broken["schema"] == [])
                #expect(broken["error"]?["kind"] == "syntax")
                #expect(broken["versions"] == [])
            }
        }
    }
}
