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
    /// what the guards cost) against the C baseline on one state.
    static func figure(name: String, script: String, session: BenchSession) throws -> BenchFigure {
        session.progress("running \(name)…")
        let calls = session.sizes.calls
        let guarded = try DispatchBenchmark(scriptPath: script, calls: calls, guarded: true).run()
        let unguarded = try DispatchBenchmark(scriptPath: script, calls: calls, guarded: false).run()
        let base = try session.baseline().nsPerCall(script: script, calls: calls)
        let overhead = (guarded / unguarded - 1) * 100
        return BenchFigure(
            name: name, value: guarded, unit: "ns/call", baseline: base,
            extras: [
                "unguarded": .number(BenchFigure.rounded(unguarded)),
                "guard_overhead_pct": .number(BenchFigure.rounded(overhead)),
                "calls": .integer(Int64(calls)),
            ],
            note: String(format: "guards %+.1f%% (unguarded %.1f ns)", overhead, unguarded))
    }
}
