import Foundation
import StrataEngine
import StrataRuntime
import Testing

extension TestStrategies {
    /// Its schema takes any `lo`/`hi`, but init() and on_config refuse `lo >= hi`, and on_tick
    /// fails when `div` is 0.
    static let picky = """
        CONFIG_SCHEMA = {
          lo = { type = "integer", default = 1 }, hi = { type = "integer", default = 10 },
          div = { type = "float", default = 2 },
        }
        local function check() if config.lo >= config.hi then error("lo must be below hi") end end
        function init() check() return { n = 0 } end
        function on_config(old) check() end
        function on_tick(tick)
          state.n = state.n + 1
          if config.div == 0 then error("cannot divide by zero") end
        end
        function render() return { widgets = { { type = "metric", label = "n", value = state.n } } } end
        """
}

extension StrataHTTPSuite {
    /// A config that passes the schema but breaks the script is refused before it is stored:
    /// the running instance never sees it.
    @Suite struct ConfigTrialAPITests {
        @Test func aConfigTheScriptRefusesIsA422WithoutAField() async throws {
            try await withAPI { api, fixture in
                try await api.create("p-1", type: "picky", mode: "observe")
                try await eventually("p-1 running") { try await api.state("p-1") == "running" }

                // init()/on_config refuse it: 422, one field-less error with the script's traceback
                let refused = try await api.patch("/api/instances/p-1/config", ["lo": 20])
                #expect(refused.status == 422)
                #expect(refused.errorFields == [""])
                #expect(refused.message(for: "")?.contains("lo must be below hi") == true, "\(refused.text)")
                let traceback = refused.json?["errors"]?.arrayValue?.first?["traceback"]?.stringValue
                #expect(traceback?.contains("stack traceback") == true)
                // a tick failing after the change is refused too
                let ticking = try await api.patch("/api/instances/p-1/config", ["div": 0])
                #expect(ticking.status == 422)
                #expect(ticking.message(for: "")?.contains("cannot divide by zero") == true, "\(ticking.text)")

                // nothing was written, and the live instance keeps running
                #expect(try fixture.store.instance(id: "p-1")?.config["lo"] == 1)
                #expect(try fixture.store.auditLog(instanceID: "p-1").map(\.field) == [.create])
                #expect(try await api.state("p-1") == "running")

                // a change the script takes is stored and reaches it
                let good = try await api.patch("/api/instances/p-1/config", ["lo": 5])
                #expect(good.status == 200, "\(good.text)")
                #expect(good.json?["config"]?["lo"] == 5)

                // create tries the config the same way: nothing is created
                let created = try await api.post(
                    "/api/instances",
                    ["id": "p-2", "strategy_type": "picky", "account": "paper", "market": "X/USD", "config": ["lo": 3, "hi": 3]])
                #expect(created.status == 422)
                #expect(created.errorFields == [""])
                #expect(try fixture.store.instance(id: "p-2") == nil)
            }
        }
    }
}
