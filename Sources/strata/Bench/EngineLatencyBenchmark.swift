import Foundation
import StrataEngine
import StrataPersistence
import StrataPostgres
import StrataRuntime

/// Latencies of the live engine, measured from outside it as a user sees them: a script saved
/// to disk until the engine records the new version (it runs on the next tick, ticks arrive
/// every millisecond), and a row written by another connection until the engine has acted on it.
/// Over SQLite another process's writes are seen by polling the store's change token; over
/// PostgreSQL (`database`) by LISTEN/NOTIFY, with the token polled once a second as
/// `strata serve` does there.
struct EngineLatencyBenchmark {
    let reloads: Int
    /// A `postgres://` URL of an empty database to run over instead of a SQLite file.
    var database: String?

    struct Figures {
        var reload: [Double] = []  // seconds, file written → new version running
        var reconcile: [Double] = []  // seconds, external write → instance running
        /// Ticks the reloaded instance's runtime took, and how many of them its script counted in
        /// `state` (kept across every reload): equal when no tick was lost.
        var ticksDelivered = 0
        var ticksCounted = 0
    }

    func run() async throws -> Figures {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-latency-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("probe.lua")
        try Self.probe(0).write(to: script, atomically: true, encoding: .utf8)
        let db = database ?? folder.appendingPathComponent("strata.db").path
        let engineStore = try StoreOpening.open(db)
        let outside = try StoreOpening.open(db)  // stands in for another process
        defer {
            try? outside.close()
            try? engineStore.close()
        }
        let engine = Engine(store: engineStore, library: StrategyLibrary(directory: folder))
        // Over SQLite, another connection's writes are seen by polling the change token: every
        // millisecond here.
        let loop = EngineLoop(
            engine: engine, feed: SyntheticFeed(markets: ["X/USD"], rate: 1000, start: Date().timeIntervalSince1970),
            storePollInterval: database == nil ? 0.001 : 1)
        loop.start()
        do {
            var figures = try measure(outside: outside, script: script)
            let counts = try await loop.perform { engine -> [Int]? in
                guard let runtime = engine.runtime("probe-0") else { return nil }
                let value = try runtime.render()["widgets"]?.arrayValue?.first?["value"]?.doubleValue ?? -1
                return [runtime.ticksProcessed, Int(value)]
            }
            if let counts {
                figures.ticksDelivered = counts[0]
                figures.ticksCounted = counts[1]
            }
            await loop.stop()
            return figures
        } catch {
            await loop.stop()
            throw error
        }
    }

    private func measure(outside: any InstanceStore, script: URL) throws -> Figures {
        var figures = Figures()
        for round in 0..<10 {
            let id = "probe-\(round)"
            let start = Date()
            _ = try outside.createInstance(
                InstanceIdentity(id: id, strategyType: "probe", account: "paper", market: "X/USD"),
                mode: .observe, config: [:], actor: "bench")
            try waitUntil { try outside.status(instanceID: id)?.state == .running }
            figures.reconcile.append(Date().timeIntervalSince(start))
        }
        for round in 1..<(reloads + 1) {
            let start = Date()
            let source = Self.probe(round)
            try source.write(to: script, atomically: true, encoding: .utf8)
            let version = StrategyScript(name: "probe", source: source).version
            try waitUntil { try outside.status(instanceID: "probe-0")?.version == version }
            figures.reload.append(Date().timeIntervalSince(start))
        }
        return figures
    }

    static func probe(_ round: Int) -> String {
        """
        -- round \(round)
        CONFIG_SCHEMA = {}
        function init() return { n = 0 } end
        function on_tick(tick) state.n = state.n + 1 end
        function render() return { widgets = { { type = "metric", label = "n", value = state.n } } } end
        """
    }

    private func waitUntil(_ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(10)
        while try !condition() {
            guard Date() < deadline else { throw UsageError("the engine did not react within 10 s") }
            Thread.sleep(forTimeInterval: 0.0005)
        }
    }
}

extension Array where Element == Double {
    /// The value at quantile `q` (0...1) of the sorted values.
    func quantile(_ q: Double) -> Double {
        guard !isEmpty else { return 0 }
        let sorted = self.sorted()
        return sorted[Swift.min(sorted.count - 1, Int((Double(sorted.count - 1) * q).rounded()))]
    }
}

extension EngineLatencyBenchmark.Figures {
    /// reload_latency and reconcile_latency: medians in ms, p99 beside. No C program can do
    /// this work, so they have no baseline. Over PostgreSQL: reconcile_latency_postgres.
    func figures(_ names: [String], postgres: Bool = false) -> [BenchFigure] {
        let wanted = postgres ? [("reconcile_latency", reconcile)] : [("reload_latency", reload), ("reconcile_latency", reconcile)]
        return wanted.filter { names.contains($0.0) }.map { base, samples in
            let name = postgres ? base + "_postgres" : base
            let median = samples.quantile(0.5) * 1000
            let p99 = samples.quantile(0.99) * 1000
            var extras: [String: JSONValue] = ["p99": .number(BenchFigure.rounded(p99)), "samples": .integer(Int64(samples.count))]
            if postgres { extras["store"] = .string("PostgreSQL (LISTEN/NOTIFY)") }
            if name == "reload_latency" {
                extras["ticks_delivered"] = .integer(Int64(ticksDelivered))
                extras["ticks_lost"] = .integer(Int64(ticksDelivered - ticksCounted))
            }
            return BenchFigure(
                name: name, value: median, unit: "ms (median)", baseline: nil,
                extras: extras,
                note: String(format: "p99 %.2f ms (%d samples)", p99, samples.count)
                    + (name == "reload_latency" ? ", \(ticksDelivered - ticksCounted) of \(ticksDelivered) ticks lost" : ""))
        }
    }
}
