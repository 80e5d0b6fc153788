import Foundation
import StrataRuntime

/// `strata check` in a worker process: the script runs under the worker's confinement and the
/// sandbox's limits, and whatever it does to its process — a crash, a wedge in C code no hook
/// reaches, memory past the process's bound — comes back as a verdict, never as a hang or a
/// dead CLI.
public struct IsolatedCheck {
    public var check: StrategyCheck
    public var call: WorkerCall

    public init(check: StrategyCheck, executable: String = WorkerProcess.currentExecutable) {
        self.check = check
        let limits = check.limits
        // CPU seconds for the whole run at its deadlines, twice over.
        let calls = Double(check.ticks) * limits.tickDeadline.seconds + 2 * limits.loadDeadline.seconds + limits.renderDeadline.seconds
        self.call = WorkerCall(executable: executable, confinement: WorkerConfinement(cpuSeconds: UInt64(max(10, (2 * calls).rounded(.up)))))
    }

    /// Runs the check; never throws: every outcome is a report.
    public func run() -> StrategyCheckReport {
        let start = ContinuousClock.now
        let limits = check.limits
        var phase = StrategyError.Phase.load
        var ticks = 0
        // The chunk and init() are two calls, each with the load deadline.
        let outcome = call.run(CheckWire.request(check), budget: limits.loadDeadline * 2) { progress in
            ticks = progress["ticks"]?.intValue ?? ticks
            switch progress["phase"]?.stringValue {
            case "tick":
                phase = .tick
                return limits.tickDeadline
            case "render":
                phase = .render
                return limits.renderDeadline
            default:
                phase = .load
                return limits.loadDeadline * 2
            }
        }
        var report: StrategyCheckReport
        switch outcome {
        case .success(let answer):
            report = CheckWire.report(from: answer) ?? StrategyCheckReport(strategy: check.script.name, version: check.script.version)
        case .failure(let failure):
            report = StrategyCheckReport(strategy: check.script.name, version: check.script.version)
            report.ticks = ticks
            report.error = failure.error(in: phase)
        }
        report.elapsed = ContinuousClock.now - start
        return report
    }
}

extension Duration {
    /// In seconds, as a Double.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
