import Foundation
import StrataEngine
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// A status never says `running` for an instance that is not ticking: while the engine's
    /// thread is held (here by a job that blocks it, as a script stuck in C code would), the API
    /// shows its running instances as `stalled`, and `running` again once it steps.
    @Suite struct EngineStallTests {
        @Test func aStalledEngineShowsItsInstancesAsStalledNotRunning() async throws {
            try await withAPI { api, fixture in
                try fixture.seed("ticking", mode: .observe)
                try await fixture.ready()
                var running = false
                for _ in 0..<100 where !running {
                    running = try await api.get("/api/instances/ticking").json?["status"]?["state"] == "running"
                    if !running { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(running)
                // Hold the engine's thread past the stall threshold.
                let held = Task { try await fixture.loop.perform { _ in Thread.sleep(forTimeInterval: EngineLoop.stallAfter + 2) } }
                try await Task.sleep(for: .seconds(EngineLoop.stallAfter + 1))
                let detail = try await api.get("/api/instances/ticking")
                #expect(detail.json?["status"]?["state"] == "stalled", "\(detail.text)")
                #expect(detail.json?["status"]?["last_error"]?["kind"] == "stalled")
                let list = try await api.get("/api/instances")
                #expect(list.json?["instances"]?.arrayValue?.first?["status"] == "stalled")
                try await held.value
                try await Task.sleep(for: .milliseconds(500))
                #expect(try await api.get("/api/instances/ticking").json?["status"]?["state"] == "running")
            }
        }
    }
}
