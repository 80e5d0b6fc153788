import Foundation
import StrataRuntime

/// memory_per_instance: bytes per idle sandboxed SMA instance, right after `init()` — what the
/// instance's allocator counts (`memoryUsed`, the figure its status shows), averaged over many
/// instances; the growth of the process's resident set per instance is a second figure. The
/// baseline is a plain `lua_State` with the standard libraries and the same script after
/// `init()`, counted by Lua (`LUA_GCCOUNT`) at the same point; its count after a full
/// collection is reported beside it (Strata cannot be asked to collect from outside).
struct MemoryBenchmark {
    let scriptPath: String
    let instances: Int

    struct Measurement {
        var bytesPerInstance: Double
        var residentBytesPerInstance: Double
        var peakBytesPerInstance: Double
    }

    func measure() throws -> Measurement {
        guard let data = FileManager.default.contents(atPath: scriptPath) else { throw UsageError("cannot read \(scriptPath)") }
        let script = StrategyScript(name: "sma", source: String(decoding: data, as: UTF8.self), chunkName: "@sma.lua")
        let broker = PaperBroker()
        var runtimes: [StrategyInstance] = []
        runtimes.reserveCapacity(instances)
        let residentBefore = residentBytes()
        for i in 0..<instances {
            let identity = InstanceIdentity(id: "sma-\(i)", strategyType: "sma", account: "paper", market: "BTC/USD")
            runtimes.append(try StrategyInstance(identity: identity, script: script, mode: .observe, broker: broker))
        }
        let resident = Double(residentBytes() - residentBefore)
        let count = Double(instances)
        return Measurement(
            bytesPerInstance: Double(runtimes.reduce(0) { $0 + $1.memoryUsed }) / count,
            residentBytesPerInstance: resident / count,
            peakBytesPerInstance: Double(runtimes.reduce(0) { $0 + $1.memoryPeak }) / count)
    }

    func figure(session: BenchSession) throws -> BenchFigure {
        session.progress("measuring memory of \(instances) idle instances…")
        let strata = try measure()
        session.progress("running the C memory baseline (\(instances) states)…")
        let base = try session.baseline().run("memory", script: scriptPath, ["--states", String(instances)])
        guard let before = base["before_collect"]?.doubleValue else { throw UsageError("the C memory baseline reported nothing") }
        return BenchFigure(
            name: "memory_per_instance", value: strata.bytesPerInstance, unit: "bytes (Lua allocator, after init)", baseline: before,
            extras: [
                "instances": .integer(Int64(instances)),
                "peak_bytes_per_instance": .number(strata.peakBytesPerInstance.rounded()),
                "rss_bytes_per_instance": .number(strata.residentBytesPerInstance.rounded()),
                "baseline_after_full_collect": base["bytes_per_state"] ?? .null,
                "baseline_rss_bytes_per_instance": base["rss_bytes_per_state"] ?? .null,
            ],
            note: String(
                format: "%.1f KB each; resident set +%.1f KB each (C: +%.1f KB)", strata.bytesPerInstance / 1024,
                strata.residentBytesPerInstance / 1024, (base["rss_bytes_per_state"]?.doubleValue ?? 0) / 1024))
    }
}
