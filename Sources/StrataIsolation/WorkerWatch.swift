import Foundation
import StrataRuntime

/// Decides when a silent worker is stuck, from its wall-clock silence and the CPU time it used
/// meanwhile: a worker on a loaded machine that got little CPU is waited for, one that burnt its
/// budget twice over without a word is stuck in code no hook reaches, and one that used no CPU
/// for a second past its budget is blocked. A value type: the caller feeds it what it reads.
public struct WorkerWatch {
    /// The budget of the call under way (its deadline).
    public var budget: Duration
    /// When the last word came, and the worker's CPU time then.
    var since: ContinuousClock.Instant
    var cpuAtStart: Duration
    /// The CPU time at the last look, and when it last moved.
    var lastCPU: Duration
    var cpuMovedAt: ContinuousClock.Instant
    /// Past this much silence the worker is killed whatever it did (a machine can be slow, not
    /// this slow).
    public static let ceiling: Duration = .seconds(60)

    public init(budget: Duration, now: ContinuousClock.Instant, cpu: Duration) {
        self.budget = budget
        self.since = now
        self.cpuAtStart = cpu
        self.lastCPU = cpu
        self.cpuMovedAt = now
    }

    /// Why the worker should be killed now, or nil to keep waiting.
    public mutating func verdict(now: ContinuousClock.Instant, cpu: Duration) -> String? {
        if cpu != lastCPU {
            lastCPU = cpu
            cpuMovedAt = now
        }
        let silent = now - since
        let used = cpu - cpuAtStart
        if used >= budget * 2 + .milliseconds(250) {
            return "stuck in code that cannot be interrupted, \(StrategyLimits.describe(used)) of CPU without an answer"
        }
        if silent >= budget * 2 + .seconds(1) && now - cpuMovedAt >= .seconds(1) {
            return "stopped answering (idle for \(StrategyLimits.describe(now - cpuMovedAt)))"
        }
        if silent >= Self.ceiling {
            return "no answer for \(StrategyLimits.describe(silent))"
        }
        return nil
    }

    /// How long to wait for a word before looking again.
    public static let slice: Duration = .milliseconds(100)
}
