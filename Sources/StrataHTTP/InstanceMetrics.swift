import Foundation
import Metrics
import Prometheus
import StrataEngine
import StrataRuntime

/// The Prometheus metrics of `/metrics`, refreshed from the store at each scrape: per-instance
/// gauges labelled by instance id, and instance counts by status and by mode. Metrics go
/// through swift-metrics into this server's own registry (no global bootstrap, so several
/// servers in one process do not share or clash).
final class InstanceMetrics: @unchecked Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let lock = NSLock()
    /// The gauges of each instance, by metric name.
    private var perInstance: [String: [String: Meter]] = [:]
    private var byStatus: [InstanceStatus.State: Meter] = [:]
    private var byMode: [InstanceMode: Meter] = [:]
    private let eventStreams: Meter

    init() {
        factory = PrometheusMetricsFactory(registry: registry)
        for state in InstanceStatus.State.allCases {
            byStatus[state] = Meter(label: "strata_instances", dimensions: [("status", state.rawValue)], factory: factory)
        }
        for mode in InstanceMode.allCases {
            byMode[mode] = Meter(label: "strata_instances_by_mode", dimensions: [("mode", mode.rawValue)], factory: factory)
        }
        eventStreams = Meter(label: "strata_event_subscribers", dimensions: [], factory: factory)
    }

    /// Refreshes every gauge from the store and returns the text exposition.
    func scrape(records: [InstanceRecord], statuses: [InstanceStatus], eventSubscribers: Int) -> String {
        lock.withLock {
            update(records: records, statuses: statuses)
            eventStreams.set(eventSubscribers)
            return registry.emitToString()
        }
    }

    private func update(records: [InstanceRecord], statuses: [InstanceStatus]) {
        let byID = Dictionary(statuses.map { ($0.instanceID, $0) }, uniquingKeysWith: { first, _ in first })
        var statusCounts: [InstanceStatus.State: Int] = [:]
        var modeCounts: [InstanceMode: Int] = [:]
        var seen: Set<String> = []
        for record in records {
            let status = byID[record.id]
            statusCounts[status?.state ?? .stopped, default: 0] += 1
            modeCounts[record.mode, default: 0] += 1
            guard let status else { continue }
            seen.insert(record.id)
            let values: [(String, Double?)] = [
                ("strata_instance_ticks", Double(status.ticks)),
                ("strata_instance_cpu_seconds", status.cpuSeconds),
                ("strata_instance_memory_bytes", Double(status.memoryBytes)),
                ("strata_instance_pnl", status.pnl),
                ("strata_instance_tick_latency_p50_seconds", status.tickLatencyP50),
                ("strata_instance_tick_latency_p99_seconds", status.tickLatencyP99),
            ]
            var gauges = perInstance[record.id] ?? [:]
            for (name, value) in values {
                if let value, value.isFinite {
                    let gauge = gauges[name] ?? Meter(label: name, dimensions: [("instance_id", record.id)], factory: factory)
                    gauge.set(value)
                    gauges[name] = gauge
                } else if let gauge = gauges.removeValue(forKey: name) {
                    gauge.destroy()
                }
            }
            perInstance[record.id] = gauges
        }
        // Instances that are gone (or lost their status) leave the exposition.
        for (id, gauges) in perInstance where !seen.contains(id) {
            for gauge in gauges.values { gauge.destroy() }
            perInstance[id] = nil
        }
        for (state, gauge) in byStatus { gauge.set(statusCounts[state] ?? 0) }
        for (mode, gauge) in byMode { gauge.set(modeCounts[mode] ?? 0) }
    }
}
