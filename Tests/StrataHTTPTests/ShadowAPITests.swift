import Foundation
import StrataEngine
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// `…/shadow`: set, read beside the instance, refuse bad scripts and configs, remove, promote.
    @Suite struct ShadowAPITests {
        @Test func aShadowRunsBesideItsInstanceAndIsPromotedWithoutARestart() async throws {
            try await withAPI { api, fixture in
                try await api.create("s-1", mode: "active", config: ["qty": 0.5])
                try await eventually("running") { try await api.state("s-1") == "running" }
                #expect(try await api.get("/api/instances/s-1/shadow").json?["status"] == "none")

                let set = try await api.put("/api/instances/s-1/shadow", ["config": ["qty": 0.25, "note": "shadow"]])
                #expect(set.status == 200, "\(set.text)")
                #expect(set.json?["own_script"] == .bool(false))
                #expect(set.json?["config"]?["qty"] == 0.25)
                try await eventually("shadow signals") {
                    let shown = try await api.get("/api/instances/s-1/shadow")
                    return shown.json?["status"] == "running" && (shown.json?["shadow_signals"]?.arrayValue?.count ?? 0) >= 2
                }
                let shown = try await api.get("/api/instances/s-1/shadow")
                #expect(shown.json?["widgets"]?.arrayValue?.last?["text"] == "shadow")
                #expect(shown.json?["shadow_signals"]?.arrayValue?.first?["intent"]?["quantity"] == 0.25)
                #expect((shown.json?["live_orders"]?.arrayValue?.count ?? 0) >= 1)
                #expect(shown.json?["live_signals"] == [])

                let promoted = try await api.send(.post, "/api/instances/s-1/shadow/promote")
                #expect(promoted.status == 200, "\(promoted.text)")
                #expect(promoted.json?["config"]?["qty"] == 0.25)
                try await eventually("promoted") { try await api.get("/api/instances/s-1/shadow").json?["status"] == "none" }
                let ui = try await api.get("/api/instances/s-1/ui")
                #expect(ui.json?["widgets"]?.arrayValue?.last?["text"] == "shadow")
                let audit = try await api.get("/api/instances/s-1/audit").json?["audit"]?.arrayValue?.compactMap { $0["field"]?.stringValue }
                #expect(audit?.contains("promote") == true && audit?.contains("shadow") == true)
                #expect(try await api.state("s-1") == "running")
                _ = fixture
            }
        }

        @Test func badShadowsAreRefusedByField() async throws {
            try await withAPI { api, _ in
                try await api.create("s-2", mode: "observe")
                let unknown = try await api.put("/api/instances/s-2/shadow", ["config": ["qty": 99]])
                #expect(unknown.status == 422)
                #expect(unknown.message(for: "config.qty") != nil, "\(unknown.text)")
                let extra = try await api.put("/api/instances/s-2/shadow", ["script": "x"])
                #expect(extra.status == 400)
                let wrongType = try await api.put("/api/instances/s-2/shadow", ["source": 5, "config": "x"])
                #expect(wrongType.status == 400)
                #expect(wrongType.message(for: "source") != nil && wrongType.message(for: "config") != nil)
                let broken = try await api.put("/api/instances/s-2/shadow", ["source": "function init( return end"])
                #expect(broken.status == 422)
                #expect(broken.message(for: "source")?.contains("does not load") == true, "\(broken.text)")
                // A hostile script is refused in its vetting worker, not run in the server.
                let hostile = try await api.put("/api/instances/s-2/shadow", ["source": "local t = {} while true do t[#t + 1] = {} end"])
                #expect(hostile.status == 422)
                #expect(try await api.get("/api/instances/nope/shadow").status == 404)
                #expect(try await api.send(.delete, "/api/instances/s-2/shadow").status == 204)  // idempotent
                #expect(try await api.send(.post, "/api/instances/s-2/shadow/promote").status == 409)
                #expect(try await api.send(.post, "/api/instances/nope/shadow/promote").status == 404)
                #expect(try await api.put("/api/instances/s-2/shadow", ["config": ["qty": 2]]).status == 200)
                #expect(try await api.send(.delete, "/api/instances/s-2/shadow").status == 204)
                #expect(try await api.get("/api/instances/s-2/shadow").json?["status"] == "none")
            }
        }
    }
}
