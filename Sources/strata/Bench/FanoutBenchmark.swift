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
struct FanoutBenchmark {
    let ticks: Int
    let warmupTicks: Int

    /// How one engine is built: worker threads (nil: the engine's default) and tick batch.
    struct Setup {
        var workers: Int?
        var batch: Int
    }

    /// What one engine did: the mean cost per instance-tick, and the latency of one
    /// `Engine.process` call (one tick, or one batch, delivered to every instance).
    struct Measurement {
        /// "engine", or "runtime loop" (`RuntimeFleet`: the runtimes ticked in a plain loop).
        var path = "engine"
        var workers: Int
        var batch: Int
        var nsPerInstanceTick: Double
        var callP50: Double  // milliseconds
        var callP99: Double

        var json: JSONValue {
            .object([
                "path": .string(path), "workers": .integer(Int64(workers)), "tick_batch": .integer(Int64(batch)),
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
        measurement.workers = engine.workers
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
    /// listed in `setups`.
    func figure(_ measurements: [Measurement], instances: Int, session: BenchSession) throws -> BenchFigure {
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
        let engines = measurements.filter { $0.path == "engine" }
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
        return BenchFigure(
            name: "fanout_10k", value: first.nsPerInstanceTick, unit: "ns per instance-tick",
            baseline: baseNs, extras: extras, note: note)
    }
}
