import StrataRuntime

/// A running instance as the engine holds it: its runtime and what is measured of it. An
/// in-process instance (``local``) is touched by one tick-scheduler thread during a round and
/// by the engine's thread between rounds, never by two threads at once; a remote one is
/// measured by its worker process and updated from its answers.
final class InstanceSlot {
    let id: String
    let runtime: any InstanceRuntime
    /// The same runtime when it runs in this process (what the tick scheduler ticks).
    let local: StrategyInstance?
    /// Estimated seconds spent in the script (sampled ticks, scaled).
    var cpuSeconds: Double = 0
    /// Durations of sampled `on_tick` calls.
    var latencies = LatencyWindow()
    /// Set by a worker when the instance fails during a round; the engine handles it after.
    var failure: StrategyError?
    /// How many of the runtime's signals and log lines `flushActivity` has written.
    var signalsFlushed = 0
    var logsFlushed = 0

    init(id: String, runtime: StrategyInstance) {
        self.id = id
        self.runtime = runtime
        self.local = runtime
    }

    init(id: String, remote: RemoteInstance) {
        self.id = id
        self.runtime = remote
        self.local = nil
    }

    /// One tick in `sampleEvery` is timed: reading a clock on every tick would cost more than
    /// many ticks do.
    static let sampleEvery = 16

    /// Hands `tick` to the runtime; a failure is kept for the engine.
    func deliver(_ tick: Tick) {
        guard failure == nil, let runtime = local else { return }
        let sampled = runtime.ticksProcessed % Self.sampleEvery == 0
        let start = sampled ? ContinuousClock.now : nil
        do {
            try runtime.tick(tick)
        } catch {
            failure = error
        }
        if let start {
            let elapsed = (ContinuousClock.now - start).seconds
            cpuSeconds += Double(Self.sampleEvery) * elapsed
            latencies.add(elapsed)
        }
    }
}

/// The most recent samples of a duration (seconds), for percentiles.
struct LatencyWindow {
    private var samples: [Double] = []
    private var next = 0
    static let capacity = 128

    mutating func add(_ sample: Double) {
        if samples.count < Self.capacity {
            samples.append(sample)
        } else {
            samples[next] = sample
            next = (next + 1) % Self.capacity
        }
    }

    /// The `q` quantile (0...1) of the kept samples (nearest rank), or nil with none.
    func quantile(_ q: Double) -> Double? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
