import Foundation
import Logging
import LuaBridge
import ServiceLifecycle
import StrataEngine
import StrataHTTP
import StrataPersistence
import StrataRuntime
import Synchronization

/// soak: the engine as `strata serve` runs it, for `duration` — many instances ticking on a
/// synthetic feed (a tenth of them active: orders and fills; the rest observe: signals; every
/// one logging now and then), statuses saved every second, and event-stream readers attached
/// over loopback to the real HTTP server. The resident set is sampled all along; the figure
/// is its least-squares slope after a warm-up, in MiB per hour (goal: about 0).
struct SoakBenchmark {
    let instances: Int
    /// Seconds of the whole run, warm-up included.
    let duration: Double
    let readers: Int
    /// Ticks per second per market (10 markets).
    let rate: Double

    /// An EMA crossover that trades at most once every 40 ticks, and logs one flip in ten.
    static let strategy = """
        CONFIG_SCHEMA = {}
        function init() return { n = 0, fast = 0, slow = 0, side = "sell", last = 0 } end
        function on_tick(tick)
          local s = state
          s.n = s.n + 1
          if s.n == 1 then s.fast, s.slow = tick.price, tick.price end
          s.fast = s.fast + (tick.price - s.fast) * 0.2
          s.slow = s.slow + (tick.price - s.slow) * 0.02
          local want = s.fast > s.slow and "buy" or "sell"
          if s.n > 50 and want ~= s.side and s.n - s.last >= 40 then
            s.side, s.last = want, s.n
            context.place_order{ side = want, qty = 0.01, type = "market" }
            if s.n % 10 == 0 then context.log("flip to " .. want .. " at " .. tick.price) end
          end
        end
        function render() return { widgets = { { type = "metric", label = "ticks", value = state.n } } } end
        """

    /// One resident-set sample.
    struct Sample {
        var seconds: Double
        var bytes: Int
    }

    /// The seconds of the warm-up, whose samples the slope leaves out: a quarter of the run,
    /// between 10 s and 5 min (caches, the SQLite page cache and the allocators settle).
    var warmup: Double { min(max(duration / 4, 10), 300) }

    /// Seconds between samples: each minute, more often for short runs (at least 30 samples).
    var sampleInterval: Double { min(60, max(1, duration / 30)) }

    func figure(session: BenchSession) async throws -> BenchFigure {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-soak-\(UUID().uuidString)")
        let strategies = folder.appendingPathComponent("strategies")
        try FileManager.default.createDirectory(at: strategies, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.strategy.write(to: strategies.appendingPathComponent("soak.lua"), atomically: true, encoding: .utf8)
        let store = try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
        session.progress("soak: creating \(instances) instance rows…")
        let markets = (0..<10).map { "M\($0)/USD" }
        for i in 0..<instances {
            let identity = InstanceIdentity(id: String(format: "soak-%05d", i), strategyType: "soak", account: "paper", market: markets[i % 10])
            try store.createInstance(identity, mode: i % 10 == 0 ? .active : .observe, config: [:], actor: "bench")
        }
        let engine = Engine(store: store, library: StrategyLibrary(directory: strategies), tickBatch: 16)
        let loop = EngineLoop(engine: engine, feed: SyntheticFeed(markets: [], rate: rate, start: Date().timeIntervalSince1970))
        var logger = Logger(label: "strata-soak")
        logger.logLevel = .error
        let server = APIServer(engine: loop, options: APIServerOptions(host: "127.0.0.1", port: 0))
        let listening = PortBox()
        let app = server.makeApplication(logger: logger) { port in listening.set(port) }
        let group = ServiceGroup(services: [app], logger: logger)
        let serving = Task { try await group.run() }
        session.progress("soak: loading \(instances) instances…")
        loop.start()
        let start = ContinuousClock.now
        while try store.statuses().filter({ $0.state == .running }).count < instances {
            guard ContinuousClock.now - start < .seconds(600) else { throw UsageError("soak: the instances did not all start") }
            try await Task.sleep(for: .milliseconds(500))
        }
        while listening.port == nil { try await Task.sleep(for: .milliseconds(10)) }
        let readers = try EventStreamReaders(count: self.readers, port: listening.port ?? 0)
        session.progress(
            String(format: "soak: running %.0f s (warm-up %.0f s, a sample every %.0f s), %d readers…", duration, warmup, sampleInterval, self.readers))
        let ticksBefore = try store.statuses().reduce(Int64(0)) { $0 + $1.ticks }
        let began = ContinuousClock.now
        var samples: [Sample] = []
        var reportedMinute = -1
        while true {
            let elapsed = nanoseconds(ContinuousClock.now - began) / 1e9
            samples.append(Sample(seconds: elapsed, bytes: residentBytes()))
            if Int(elapsed / 60) > reportedMinute {
                reportedMinute = Int(elapsed / 60)
                session.progress(String(format: "soak: %5.0f s, resident %.1f MiB", elapsed, Double(samples.last!.bytes) / 1_048_576))
            }
            guard elapsed < duration else { break }
            try await Task.sleep(for: .seconds(min(sampleInterval, duration - elapsed + 0.001)))
        }
        server.closeEventStreams()
        await loop.stop()
        let ticks = try store.statuses().reduce(Int64(0)) { $0 + $1.ticks } - ticksBefore
        await group.triggerGracefulShutdown()
        try? await serving.value
        try store.close()
        return figure(samples: samples, ticks: ticks, readers: readers, health: loop.health)
    }

    func figure(samples: [Sample], ticks: Int64, readers: EventStreamReaders, health: EngineHealth) -> BenchFigure {
        let settled = samples.filter { $0.seconds >= warmup }
        let slope = Self.slope(settled.map { ($0.seconds, Double($0.bytes)) }) * 3600 / 1_048_576
        let first = settled.first ?? samples[0]
        let last = samples[samples.count - 1]
        let mib = { (bytes: Int) in Double(bytes) / 1_048_576 }
        let arena = LuaArenaPool.stats
        return BenchFigure(
            name: "soak", value: slope, unit: "MiB/hour (resident set slope)", baseline: nil,
            extras: [
                "instances": .integer(Int64(instances)), "duration_seconds": .number(BenchFigure.rounded(last.seconds)),
                "warmup_seconds": .number(warmup), "sample_interval_seconds": .number(sampleInterval),
                "samples": .array(samples.map { .array([.number(BenchFigure.rounded($0.seconds)), .integer(Int64($0.bytes))]) }),
                "rss_after_warmup_mib": .number(BenchFigure.rounded(mib(first.bytes))),
                "rss_end_mib": .number(BenchFigure.rounded(mib(last.bytes))),
                "instance_ticks": .integer(ticks), "readers": .integer(Int64(readers.count)),
                "reader_bytes": .array(readers.bytes.map { .integer(Int64($0)) }),
                "arena_pooled_mib": .number(BenchFigure.rounded(mib(arena.pooled))),
                "arena_slabs_mib": .number(BenchFigure.rounded(mib(arena.slabs))),
                "engine_failures": .object(
                    Dictionary(uniqueKeysWithValues: EngineHealth.Problem.allCases.map { ($0.rawValue, JSONValue.integer(Int64(health.count($0)))) })),
            ],
            note: String(
                format: "RSS %.0f → %.0f MiB after a %.0f s warm-up, %.0f s run, %d samples; %.0f instance-ticks/s; %d readers got %.1f MiB",
                mib(first.bytes), mib(last.bytes), warmup, last.seconds, settled.count, Double(ticks) / max(last.seconds, 1), readers.count,
                mib(readers.bytes.reduce(0, +))))
    }

    /// The least-squares slope of y over x (0 with fewer than two points).
    static func slope(_ points: [(Double, Double)]) -> Double {
        guard points.count >= 2 else { return 0 }
        let n = Double(points.count)
        let meanX = points.reduce(0) { $0 + $1.0 } / n
        let meanY = points.reduce(0) { $0 + $1.1 } / n
        let sxy = points.reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
        let sxx = points.reduce(0) { $0 + ($1.0 - meanX) * ($1.0 - meanX) }
        return sxx > 0 ? sxy / sxx : 0
    }
}

/// The port the HTTP server listens on, once it does.
final class PortBox: Sendable {
    private let value = Mutex<Int?>(nil)
    func set(_ port: Int) { value.withLock { $0 = port } }
    var port: Int? { value.withLock { $0 } }
}
