import Foundation
import StrataEngine
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// `…/risk`, `/api/halt`, `/api/resume`, `/api/halts`: limits and the kill switch, applied by
    /// the running engine, and every bad input refused naming its field.
    @Suite struct RiskAPITests {
        @Test func limitsRefuseOrdersAsSignalsNamingTheRuleAndAreAudited() async throws {
            try await withAPI { api, _ in
                // Given an instance trading 0.5 a tick
                try await api.create("r-1", mode: "active", config: ["qty": 0.5])
                try await eventually("orders") { (try await api.get("/api/instances/r-1/orders").json?["orders"]?.arrayValue?.count ?? 0) >= 1 }

                // When its orders are limited to 0.1
                let set = try await api.put("/api/instances/r-1/risk", ["max_order_quantity": 0.1, "max_position": .null])
                #expect(set.status == 200, "\(set.text)")
                #expect(set.json?["limits"] == ["max_order_quantity": 0.1])
                #expect(set.json?["halt"] == "trading" && set.json?["account"] == "paper")

                // Then its next orders are signals naming the rule
                try await eventually("refused") {
                    let signals = try await api.get("/api/instances/r-1/signals").json?["signals"]?.arrayValue ?? []
                    return signals.contains { $0["rule"] == "max_order_quantity" }
                }
                let signal = try await api.get("/api/instances/r-1/signals").json?["signals"]?.arrayValue?.last
                #expect(signal?["reason"] == "refused by risk: instance max_order_quantity (0.5 > 0.1)")
                #expect(try await api.get("/api/instances/r-1/risk").json?["limits"] == ["max_order_quantity": 0.1])

                // And the change is audited; clearing them is audited too
                #expect(try await api.put("/api/instances/r-1/risk", [:]).json?["limits"] == [:])
                let audit = try await api.get("/api/instances/r-1/audit").json?["audit"]?.arrayValue?.filter { $0["field"] == "risk" }
                #expect(audit?.count == 2)
                #expect(audit?.first?["new"] == [:])

                // And the account's limits are its own
                let account = try await api.put("/api/accounts/paper/risk", ["max_orders_per_minute": 600, "max_daily_loss": 1e6])
                #expect(account.status == 200, "\(account.text)")
                #expect(try await api.get("/api/accounts/paper/risk").json?["limits"]?["max_orders_per_minute"] == 600)
                #expect(try await api.get("/api/instances/r-1/risk").json?["account_limits"]?["max_daily_loss"] == 1_000_000)
            }
        }

        @Test func haltAndResumeReachTheRunningEngine() async throws {
            try await withAPI { api, _ in
                try await api.create("h-1", mode: "active", config: ["qty": 0.5])
                try await eventually("orders") { (try await api.get("/api/instances/h-1/orders").json?["orders"]?.arrayValue?.count ?? 0) >= 1 }

                // When everything is halted
                let halted = try await api.post("/api/halt", [:])
                #expect(halted.status == 200, "\(halted.text)")
                #expect(halted.json?["state"] == "halted")
                #expect(halted.json?["halts"]?.arrayValue?.first?["account"] == .null)
                #expect(halted.json?["halts"]?.arrayValue?.first?["actor"] == "api")

                // Then orders become signals with the rule `halt`, while the instance keeps running
                try await eventually("halted") {
                    let signals = try await api.get("/api/instances/h-1/signals").json?["signals"]?.arrayValue ?? []
                    return signals.contains { $0["rule"] == "halt" }
                }
                #expect(try await api.state("h-1") == "running")
                #expect(try await api.get("/api/instances/h-1/risk").json?["halt"] == "halted")

                // And one account on reduce-only, then resuming everything, clears the list
                #expect(try await api.post("/api/halt", ["account": "paper", "reduce_only": true]).json?["halts"]?.arrayValue?.count == 2)
                let resumed = try await api.post("/api/resume", [:])
                #expect(resumed.status == 200 && resumed.json?["state"] == "trading" && resumed.json?["halts"] == [])
                let audit = try await api.get("/api/halts").json?["audit"]?.arrayValue?.map { $0["new"] ?? .null }
                #expect(audit == ["halted", "reduce_only", "trading", "trading"])
            }
        }

        @Test func badRiskInputIsRefusedByField() async throws {
            try await withAPI { api, _ in
                try await api.create("b-1")
                let cases: [(uri: String, body: JSONValue, status: Int, field: String)] = [
                    ("/api/instances/b-1/risk", ["max_size": 1], 422, "max_size"),
                    ("/api/instances/b-1/risk", ["max_position": -1], 422, "max_position"),
                    ("/api/instances/b-1/risk", ["max_position": 0], 422, "max_position"),
                    ("/api/instances/b-1/risk", ["max_position": "2"], 422, "max_position"),
                    ("/api/instances/b-1/risk", ["max_position": [1]], 422, "max_position"),
                    ("/api/instances/b-1/risk", ["max_order_notional": 1e300], 400, "max_order_notional"),
                    ("/api/instances/b-1/risk", ["max_orders_per_minute": 1.5], 422, "max_orders_per_minute"),
                    ("/api/instances/b-1/risk", ["max_daily_loss": true], 422, "max_daily_loss"),
                    ("/api/accounts/paper/risk", ["max_daily_loss": ["nested": 1]], 422, "max_daily_loss"),
                    ("/api/instances/ghost/risk", ["max_position": 1], 404, "id"),
                    ("/api/accounts/ghost/risk", ["max_position": 1], 404, "account"),
                    ("/api/accounts/a%01b/risk", [:], 400, "name"),
                ]
                for row in cases {
                    let answer = try await api.put(row.uri, row.body)
                    #expect(answer.status == row.status, "\(row.uri) \(row.body.encoded()): \(answer.text)")
                    #expect(answer.message(for: row.field) != nil, "\(row.uri) \(row.body.encoded()): \(answer.text)")
                }
                let posts: [(uri: String, body: JSONValue, status: Int, field: String)] = [
                    ("/api/halt", ["account": ""], 400, "account"),
                    ("/api/halt", ["account": 5], 400, "account"),
                    ("/api/halt", ["account": .null], 400, "account"),
                    ("/api/halt", ["reduce_only": .null], 400, "reduce_only"),
                    ("/api/halt", ["account": "a\u{0}b"], 400, "account"),
                    ("/api/halt", ["reduce_only": "yes"], 400, "reduce_only"),
                    ("/api/halt", ["everything": true], 400, "everything"),
                    ("/api/halt", ["account": "ghost"], 404, "account"),
                    ("/api/resume", ["reduce_only": true], 400, "reduce_only"),
                    ("/api/resume", ["account": "ghost"], 404, "account"),
                ]
                for row in posts {
                    let answer = try await api.post(row.uri, row.body)
                    #expect(answer.status == row.status, "\(row.uri) \(row.body.encoded()): \(answer.text)")
                    #expect(answer.message(for: row.field) != nil, "\(row.uri) \(row.body.encoded()): \(answer.text)")
                }
                // Nothing was halted or limited by the refused requests
                #expect(try await api.get("/api/halts").json?["audit"] == [])
                #expect(try await api.get("/api/instances/b-1/risk").json?["limits"] == [:])
            }
        }
    }
}
