import Foundation
import StrataEngine
import StrataRuntime

/// fanout_10k: one market, many SMA instances, every tick delivered to all of them by the
/// engine; the figure is nanoseconds per instance-tick. The baseline is the C program cycling
/// the same ticks through as many plain `lua_State`s.
///
/// It measures several engine set-ups over the same rows: one worker thread (the figure), the
/// default (one per core: `speedup` is its throughput over one worker's), and one worker with
/// tick batches (`batch_speedup`: ticks of one market handed to an instance in one visit);
/// and, to tell the engine's share from the runtime's, the runtimes alone ticked in a loop.
/// Beside them, the process-isolated side (`strata serve --isolation process`): the same
/// instances in one worker process, and in the default number (one per core), each against the
/// in-process engine with as many threads (`isolated_ratio`, goal ≤ 1.2×); and the crossing
/// cost: a round of one worker hosting one instance of an empty `on_tick`.
struct FanoutBenchmark {
    let ticks: Int
    let warmupTicks: Int

    /// How one engine is built: worker threads (nil: the engine's default) and tick batch, or
    /// worker processes (nil: the instances run in this process).
    struct Setup {
        var workers: Int?
        var batch: Int
        var processes: Int?
    }

    /// What the process-isolated side must stay within, against the in-process engine.
    static let isolationGoal = 1.2

    /// What one engine did: the mean cost per instance-tick, and the latency of one
    /// `Engine.process` call (one tick, or one batch, delivered to every instance).
    struct Measurement {
        /// "engine", or "runtime loop" (`RuntimeFleet`: the runtimes ticked in a plain loop).
        var path = "engine"
        /// "process" (worker processes) or "none" (this process), as `strata serve --isolation`.
        var isolation = "none"
        /// Threads, or with isolation "process" worker processes.
        var workers: Int
        var batch: Int
        var nsPerInstanceTick: Double
        var callP50: Double  // milliseconds
        var callP99: Double

        var json: JSONValue {
            .object([
                "path": .string(path), "isolation": .string(isolation), "workers": .integer(Int64(workers)),
                "tick_batch": .integer(Int64(batch)),
                "ns_per_instance_tick": .number(BenchFigure.rounded(nsPerInstanceTick)),
                "call_p50_ms": .number(BenchFigure.rounded(callP50)), "call_p99_ms": .number(BenchFigure.rounded(callP99)),
            ])
        }
    }

    /// Times `ticks` ticks after `warmupTicks` untimed ones, handed over `engine.tickBatch` at a
    /// time (`Engine.tick` when that is 1, `Engine.process` otherwise).
    func measure(_ fleet: EngineFleet) throws -> Measurement {
        let engine = fleet.engine
        var measurement = try measure(instances: fleet.instances, market: fleet.market, batch: engine.tickBatch) { ticks in
            if ticks.count == 1 { engine.tick(ticks[0]) } else { engine.process(ticks) }
        }
        try fleet.checkAllRunning()
        if fleet.processes != nil {
            measurement.isolation = "process"
            measurement.workers = engine.liveWorkers
        } else {
            measurement.workers = engine.workers
        }
        return measurement
    }

    /// The same ticks handed to each runtime in a plain loop on this thread, one at a time.
    func measure(_ fleet: RuntimeFleet) throws -> Measurement {
        var measurement = try measure(instances: fleet.runtimes.count, market: fleet.market, batch: 1, deliver: fleet.tickAll)
        measurement.path = "runtime loop"
        return measurement
    }

    private func measure(instances: Int, market: String, batch: Int, deliver: ([Tick]) throws -> Void) throws -> Measurement {
        var random = SplitMix64(seed: 42)
        var price = 100.0
        var index = 0
        func nextTicks(_ count: Int) -> [Tick] {
            (0..<count).map { _ in
                price *= 1 + (random.nextUnit() - 0.5) * 0.002
                index += 1
                return Tick(market: market, ts: 1_700_000_000 + Double(index), price: price, volume: 1 + Double(index % 100) * 0.01)
            }
        }
        for start in stride(from: 0, to: warmupTicks, by: batch) { try deliver(nextTicks(min(batch, warmupTicks - start))) }
        var perCall: [Double] = []
        var total = 0.0
        for start in stride(from: 0, to: ticks, by: batch) {
            let chunk = nextTicks(min(batch, ticks - start))
            let begin = ContinuousClock.now
            try deliver(chunk)
            let elapsed = nanoseconds(ContinuousClock.now - begin)
            perCall.append(elapsed)
            total += elapsed
        }
        return Measurement(
            workers: 1, batch: batch, nsPerInstanceTick: total / Double(ticks * instances),
            callP50: perCall.quantile(0.5) / 1e6, callP99: perCall.quantile(0.99) / 1e6)
    }

    /// The figure: the first measurement (one worker, no batches) is the value; every one is
    /// listed in `setups`. `crossing`: one round of one empty instance, in a worker process and
    /// in this process (see ``EngineRoundTrip``).
    func figure(
        _ measurements: [Measurement], crossing: (isolated: EngineRoundTrip.Measurement, local: EngineRoundTrip.Measurement)?, instances: Int,
        session: BenchSession
    ) throws -> BenchFigure {
        session.progress("running the C fanout baseline (\(instances) states)…")
        let base = try session.baseline().run(
            "fanout", script: session.script("sma.lua"),
            ["--states", String(instances), "--ticks", String(ticks), "--warmup", String(warmupTicks)])
        guard let baseNs = base["ns_per_instance_tick"]?.doubleValue else { throw UsageError("the C fanout baseline reported nothing") }
        let first = measurements[0]
        var extras: [String: JSONValue] = [
            "instances": .integer(Int64(instances)), "ticks": .integer(Int64(ticks)),
            "workers": .integer(Int64(first.workers)), "cores": .integer(Int64(ProcessInfo.processInfo.activeProcessorCount)),
            "tick_p50_ms": .number(BenchFigure.rounded(first.callP50)), "tick_p99_ms": .number(BenchFigure.rounded(first.callP99)),
            "baseline_tick_p99_ms": base["tick_p99_ms"] ?? .null,
            "setups": .array(measurements.map(\.json)),
        ]
        var note = String(format: "one tick to all: p50 %.1f ms, p99 %.1f ms", first.callP50, first.callP99)
        if let loop = measurements.first(where: { $0.path == "runtime loop" }) {
            extras["runtime_loop_ns_per_instance_tick"] = .number(BenchFigure.rounded(loop.nsPerInstanceTick))
            note += String(format: "; runtimes alone %.0f ns", loop.nsPerInstanceTick)
        }
        let engines = measurements.filter { $0.path == "engine" && $0.isolation == "none" }
        if let parallel = engines.first(where: { $0.workers > 1 && $0.batch == 1 }) {
            let speedup = first.nsPerInstanceTick / parallel.nsPerInstanceTick
            extras["speedup"] = .number(BenchFigure.rounded(speedup, digits: 3))
            note += String(format: "; %d workers %.0f ns (%.2f×)", parallel.workers, parallel.nsPerInstanceTick, speedup)
        }
        if let batched = engines.first(where: { $0.workers == 1 && $0.batch > 1 }) {
            let speedup = first.nsPerInstanceTick / batched.nsPerInstanceTick
            extras["batch_speedup"] = .number(BenchFigure.rounded(speedup, digits: 3))
            note += String(format: "; batches of %d %.0f ns (%.2f×)", batched.batch, batched.nsPerInstanceTick, speedup)
        }
        let isolated = measurements.filter { $0.isolation == "process" }
        for (index, side) in isolated.enumerated() {
            // Each against the in-process engine with as many threads as it has processes.
            guard let local = engines.first(where: { $0.workers == side.workers && $0.batch == side.batch }) else { continue }
            let ratio = side.nsPerInstanceTick / local.nsPerInstanceTick
            let key = index == 0 ? "isolated" : "isolated_default"
            extras[key + "_ns_per_instance_tick"] = .number(BenchFigure.rounded(side.nsPerInstanceTick))
            extras[key + "_ratio"] = .number(BenchFigure.rounded(ratio, digits: 3))
            extras[key + "_goal_met"] = .bool(ratio <= Self.isolationGoal)
            let processes = side.workers == 1 ? "1 process" : "\(side.workers) processes"
            note += "; isolated, \(processes) " + String(format: "%.0f ns: %.3f× in-process", side.nsPerInstanceTick, ratio)
            note += String(format: " (goal ≤ %.1f×: ", Self.isolationGoal) + (ratio <= Self.isolationGoal ? "met yes)" : "met no)")
        }
        if !isolated.isEmpty { extras["isolated_goal"] = .string(String(format: "≤ %.1f×", Self.isolationGoal)) }
        if let crossing {
            extras["crossing_us_per_round"] = .number(BenchFigure.rounded(crossing.isolated.roundP50))
            extras["crossing_us_per_round_p99"] = .number(BenchFigure.rounded(crossing.isolated.roundP99))
            extras["in_process_round_us"] = .number(BenchFigure.rounded(crossing.local.roundP50))
            note += String(
                format: "; crossing %.0f µs per round (p99 %.0f; in-process round %.1f µs)", crossing.isolated.roundP50, crossing.isolated.roundP99,
                crossing.local.roundP50)
        }
        return BenchFigure(
            name: "fanout_10k", value: first.nsPerInstanceTick, unit: "ns per instance-tick",
            baseline: baseNs, extras: extras, note: note)
    }
}
