import Foundation
import StrataEngine
import StrataRuntime

/// One instance in a fresh engine, ticked through the engine's own entry points: what a round
/// costs when an instance does (almost) nothing, in this process and across the pipe to a
/// worker process. Used for dispatch_sma's engine side and fanout_10k's crossing cost.
struct EngineRoundTrip {
    let scriptPath: String
    /// The strategy's name in the fleet's folder (and the instance's type).
    let strategyType: String
    /// Worker processes (1 here: one instance), nil for the in-process engine.
    let processes: Int?
    /// Ticks per round: 1 goes through `Engine.tick`, more through `Engine.process` (with the
    /// engine's tick batch set to it, so each call is one round).
    let batch: Int

    /// What the rounds cost: per tick, and per round (one `Engine.tick` / `Engine.process` call).
    struct Measurement {
        var nsPerTick: Double
        var roundP50: Double  // microseconds
        var roundP99: Double
    }

    /// Times `ticks` ticks after a tenth of them untimed, `batch` at a time.
    func measure(ticks: Int, progress: (String) -> Void) throws -> Measurement {
        let rows = try FleetStore(scriptPath: scriptPath, instances: 1, strategyType: strategyType, progress: progress)
        let fleet = try EngineFleet(rows, workers: 1, tickBatch: batch, processes: processes, progress: progress)
        let engine = fleet.engine
        var random = SplitMix64(seed: 42)
        var price = 100.0
        var index = 0
        func nextTicks() -> [Tick] {
            (0..<batch).map { _ in
                price *= 1 + (random.nextUnit() - 0.5) * 0.002
                index += 1
                return Tick(market: fleet.market, ts: 1_700_000_000 + Double(index), price: price, volume: 1)
            }
        }
        func deliver(_ chunk: [Tick]) {
            if chunk.count == 1 { engine.tick(chunk[0]) } else { engine.process(chunk) }
        }
        let rounds = max(1, ticks / batch)
        for _ in 0..<max(1, rounds / 10) { deliver(nextTicks()) }
        var perRound: [Double] = []
        perRound.reserveCapacity(rounds)
        for _ in 0..<rounds {
            let chunk = nextTicks()
            let begin = ContinuousClock.now
            deliver(chunk)
            perRound.append(nanoseconds(ContinuousClock.now - begin))
        }
        try fleet.checkAllRunning()
        let total = perRound.reduce(0, +)
        return Measurement(
            nsPerTick: total / Double(rounds * batch), roundP50: perRound.quantile(0.5) / 1e3, roundP99: perRound.quantile(0.99) / 1e3)
    }
}
