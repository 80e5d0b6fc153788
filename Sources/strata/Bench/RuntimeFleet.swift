import Foundation
import StrataRuntime

/// Many runtimes of one script created in a plain loop, without store or engine: what the
/// runtime alone costs to load (load_10k's `runtime_only_seconds`) and to tick (fanout_10k's
/// `runtime_loop_ns_per_instance_tick`), to tell the engine's share from the runtime's.
final class RuntimeFleet {
    let runtimes: [StrategyInstance]
    /// Seconds to create them all (each one kept alive, as a running engine keeps them).
    let seconds: Double
    let market = "BTC/USD"

    init(scriptPath: String, instances: Int) throws {
        guard let data = FileManager.default.contents(atPath: scriptPath) else { throw UsageError("cannot read \(scriptPath)") }
        let script = StrategyScript(name: "sma", source: String(decoding: data, as: UTF8.self), chunkName: "@sma.lua")
        let broker = PaperBroker()
        var runtimes: [StrategyInstance] = []
        runtimes.reserveCapacity(instances)
        let start = ContinuousClock.now
        for i in 0..<instances {
            let identity = InstanceIdentity(id: "sma-\(i)", strategyType: "sma", account: "paper", market: market)
            runtimes.append(try StrategyInstance(identity: identity, script: script, mode: .observe, broker: broker))
        }
        seconds = nanoseconds(ContinuousClock.now - start) / 1e9
        self.runtimes = runtimes
    }

    /// Hands each tick to every runtime in turn, on this thread.
    func tickAll(_ ticks: [Tick]) throws {
        for runtime in runtimes {
            for tick in ticks { try runtime.tick(tick) }
        }
    }
}
