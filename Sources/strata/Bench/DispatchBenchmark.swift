import Foundation
import StrataRuntime

/// Times `on_tick` through Strata's runtime: the same script and the same kind of ticks as the
/// C baseline (`tools/bench/baseline.c`), so the two figures can be compared.
struct DispatchBenchmark {
    let scriptPath: String
    let calls: Int
    /// With guards: the deadline watchdog and the memory cap, as in production.
    let guarded: Bool

    /// Median nanoseconds per call over 5 repetitions, after a warm-up of a tenth of the calls.
    func run() throws -> Double {
        guard let data = FileManager.default.contents(atPath: scriptPath) else {
            throw UsageError("cannot read \(scriptPath)")
        }
        var limits = StrategyLimits()
        if !guarded {
            limits.memoryBytes = 0
            limits.tickDeadline = .zero
        }
        let script = StrategyScript(name: "bench", source: String(decoding: data, as: UTF8.self))
        let identity = InstanceIdentity(id: "bench", strategyType: "bench", account: "paper", market: "BTC/USD")
        let instance = try StrategyInstance(
            identity: identity, script: script, mode: .observe,
            broker: PaperBroker(), limits: limits)
        // The same deterministic walk for every run; volume only, like the baseline's ticks.
        var random = SplitMix64(seed: 42)
        var price = 100.0
        let ticks: [Tick] = (0..<4096).map { i in
            price *= 1 + (random.nextUnit() - 0.5) * 0.002
            return Tick(market: "BTC/USD", ts: 1_700_000_000 + Double(i), price: price, volume: 1)
        }
        func pass(_ count: Int) throws {
            for i in 0..<count { try instance.tick(ticks[i & 4095]) }
        }
        try pass(max(calls / 10, 1))
        var samples: [Double] = []
        for _ in 0..<5 {
            let start = ContinuousClock.now
            try pass(calls)
            let elapsed = ContinuousClock.now - start
            let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
            samples.append(ns / Double(calls))
        }
        return samples.sorted()[2]
    }
}

extension DispatchBenchmark {
    /// dispatch_empty / dispatch_sma: ns per `on_tick` call with guards (and without, to show
    /// what the guards cost) against the C baseline on one state. With `engines`, the same
    /// script as one instance of a fresh engine too: in this process and in one worker process
    /// (`--isolation process`), a tick per round (`Engine.tick`: one round trip per tick) and in
    /// rounds of `--tick-batch` ticks (`Engine.process`).
    static func figure(name: String, script: String, engines: Bool = false, session: BenchSession) throws -> BenchFigure {
        session.progress("running \(name)…")
        let calls = session.sizes.calls
        let guarded = try DispatchBenchmark(scriptPath: script, calls: calls, guarded: true).run()
        let unguarded = try DispatchBenchmark(scriptPath: script, calls: calls, guarded: false).run()
        let base = try session.baseline().nsPerCall(script: script, calls: calls)
        let overhead = (guarded / unguarded - 1) * 100
        var extras: [String: JSONValue] = [
            "unguarded": .number(BenchFigure.rounded(unguarded)),
            "guard_overhead_pct": .number(BenchFigure.rounded(overhead)),
            "calls": .integer(Int64(calls)),
        ]
        var note = String(format: "guards %+.1f%% (unguarded %.1f ns)", overhead, unguarded)
        if engines {
            let (more, line) = try engineSide(script: script, in: session)
            extras.merge(more) { _, new in new }
            note += "; " + line
        }
        return BenchFigure(name: name, value: guarded, unit: "ns/call", baseline: base, extras: extras, note: note)
    }

    /// The engine side: one instance in an engine, in this process and in one worker process.
    /// A round trip to the worker costs tens of microseconds, so fewer ticks are timed there
    /// (a fiftieth of `--calls`, one at a time and in batches).
    private static func engineSide(script: String, in session: BenchSession) throws -> ([String: JSONValue], String) {
        let calls = session.sizes.calls
        let batch = max(2, session.sizes.tickBatch)
        func run(_ processes: Int?, batch: Int, ticks: Int) throws -> EngineRoundTrip.Measurement {
            let side = processes == nil ? "in-process" : "isolated"
            session.progress("  \(side) engine, \(batch == 1 ? "one tick per round" : "rounds of \(batch) ticks")…")
            return try EngineRoundTrip(scriptPath: script, strategyType: "sma", processes: processes, batch: batch)
                .measure(ticks: ticks, progress: { _ in })
        }
        let local = try run(nil, batch: 1, ticks: max(calls / 10, 100))
        let localBatched = try run(nil, batch: batch, ticks: max(calls / 10, 100 * batch))
        let isolated = try run(1, batch: 1, ticks: max(calls / 50, 20))
        let isolatedBatched = try run(1, batch: batch, ticks: max(calls / 50, 20 * batch))
        let extras: [String: JSONValue] = [
            "engine_ns_per_call": .number(BenchFigure.rounded(local.nsPerTick)),
            "engine_batched_ns_per_call": .number(BenchFigure.rounded(localBatched.nsPerTick)),
            "isolated_ns_per_call": .number(BenchFigure.rounded(isolated.nsPerTick)),
            "isolated_round_trip_p50_us": .number(BenchFigure.rounded(isolated.roundP50)),
            "isolated_round_trip_p99_us": .number(BenchFigure.rounded(isolated.roundP99)),
            "isolated_batched_ns_per_call": .number(BenchFigure.rounded(isolatedBatched.nsPerTick)),
            "isolated_ratio": .number(BenchFigure.rounded(isolated.nsPerTick / local.nsPerTick, digits: 3)),
            "isolated_batched_ratio": .number(BenchFigure.rounded(isolatedBatched.nsPerTick / localBatched.nsPerTick, digits: 3)),
            "tick_batch": .integer(Int64(batch)),
        ]
        let line = String(
            format: "engine %.0f ns (batches of %d: %.0f); 1 worker process %.0f ns per Engine.tick (%.1f× the engine), batches of %d %.0f ns (%.1f×)",
            local.nsPerTick, batch, localBatched.nsPerTick, isolated.nsPerTick, isolated.nsPerTick / local.nsPerTick, batch,
            isolatedBatched.nsPerTick, isolatedBatched.nsPerTick / localBatched.nsPerTick)
        return (extras, line)
    }
}
