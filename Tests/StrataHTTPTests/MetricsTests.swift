import Foundation
import StrataEngine
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// `/metrics`: Prometheus text refreshed from the store at each scrape.
    @Suite struct MetricsTests {
        /// The value of the sample `name{labels}` in a Prometheus text exposition.
        static func sample(_ text: String, _ series: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
        }

        @Test func exposesPerInstanceGaugesAndCountsAtScrapeTime() async throws {
            try await withAPI { api, fixture in
                try await api.create("run-1", mode: "observe")
                try fixture.seed("off-1")
                try fixture.seed("quoted\"id\\x")
                // A status as the engine writes it, with tick latencies (seconds)
                try fixture.store.saveStatus(
                    InstanceStatus(
                        instanceID: "off-1", state: .stopped, ticks: 42, memoryBytes: 2048,
                        cpuSeconds: 0.25, pnl: -1.5, tickLatencyP50: 0.000004, tickLatencyP99: 0.00002))
                try fixture.store.saveStatus(InstanceStatus(instanceID: "quoted\"id\\x", state: .error, ticks: 1))
                try await eventually("run-1 running with ticks") {
                    (try fixture.store.status(instanceID: "run-1")?.ticks ?? 0) > 0
                }

                let scrape = try await api.get("/metrics")
                #expect(scrape.status == 200)
                #expect(scrape.headers[.contentType]?.hasPrefix("text/plain") == true)
                let text = scrape.text
                #expect(Self.sample(text, #"strata_instance_ticks{instance_id="off-1"}"#) == 42)
                #expect(Self.sample(text, #"strata_instance_memory_bytes{instance_id="off-1"}"#) == 2048)
                #expect(Self.sample(text, #"strata_instance_cpu_seconds{instance_id="off-1"}"#) == 0.25)
                #expect(Self.sample(text, #"strata_instance_pnl{instance_id="off-1"}"#) == -1.5)
                #expect(Self.sample(text, #"strata_instance_tick_latency_p50_seconds{instance_id="off-1"}"#) == 0.000004)
                #expect(Self.sample(text, #"strata_instance_tick_latency_p99_seconds{instance_id="off-1"}"#) == 0.00002)
                #expect((Self.sample(text, #"strata_instance_ticks{instance_id="run-1"}"#) ?? 0) > 0)
                // Label values are escaped
                #expect(Self.sample(text, #"strata_instance_ticks{instance_id="quoted\"id\\x"}"#) == 1)
                #expect(Self.sample(text, #"strata_instances{status="running"}"#) == 1)
                #expect(Self.sample(text, #"strata_instances{status="stopped"}"#) == 1)
                #expect(Self.sample(text, #"strata_instances{status="error"}"#) == 1)
                #expect(Self.sample(text, #"strata_instances{status="loading"}"#) == 0)
                #expect(Self.sample(text, #"strata_instances_by_mode{mode="off"}"#) == 2)
                #expect(Self.sample(text, #"strata_instances_by_mode{mode="observe"}"#) == 1)
                #expect(text.contains("# TYPE strata_instance_ticks gauge"))

                // Unmeasured latencies are left out, not reported as zero
                try fixture.store.saveStatus(InstanceStatus(instanceID: "off-1", state: .stopped, ticks: 43))
                let again = try await api.get("/metrics").text
                #expect(Self.sample(again, #"strata_instance_ticks{instance_id="off-1"}"#) == 43)
                #expect(Self.sample(again, #"strata_instance_tick_latency_p50_seconds{instance_id="off-1"}"#) == nil)
            }
        }
    }
}
