import Foundation
import StrataRuntime

/// `strata check` in a worker process: the script runs under the worker's confinement and the
/// sandbox's limits, and whatever it does to its process — a crash, a wedge in C code no hook
/// reaches, memory past the process's bound — comes back as a verdict, never as a hang or a
/// dead CLI.
public struct IsolatedCheck {
    public var check: StrategyCheck
    /// The program to run as `… worker` (this binary by default).
    public var executable: String
    public var confinement: WorkerConfinement

    public init(check: StrategyCheck, executable: String = WorkerProcess.currentExecutable, confinement: WorkerConfinement? = nil) {
        self.check = check
        self.executable = executable
        self.confinement = confinement ?? Self.confinement(for: check)
    }

    /// A one-shot worker's bounds: CPU seconds for the whole run at its deadlines, twice over.
    static func confinement(for check: StrategyCheck) -> WorkerConfinement {
        let limits = check.limits
        let calls = Double(check.ticks) * limits.tickDeadline.seconds + 2 * limits.loadDeadline.seconds + limits.renderDeadline.seconds
        return WorkerConfinement(cpuSeconds: UInt64(max(10, (2 * calls).rounded(.up))))
    }

    /// Runs the check; never throws: every outcome is a report.
    public func run() -> StrategyCheckReport {
        let start = ContinuousClock.now
        var report = StrategyCheckReport(strategy: check.script.name, version: check.script.version)
        let worker: WorkerProcess
        do {
            worker = try WorkerProcess.start(executable: executable, arguments: ["strata", "worker"] + confinement.arguments)
            try worker.channel.send(CheckWire.request(check).frame)
        } catch {
            report.error = StrategyError(kind: .crashed, phase: .load, message: "cannot start a worker process: \(error)")
            return report
        }
        var phase = StrategyError.Phase.load
        var thread = worker.pid
        // The chunk and init() are two calls, each with the load deadline.
        var watch = WorkerWatch(budget: check.limits.loadDeadline * 2, now: .now, cpu: .zero)
        while true {
            let frame: [UInt8]
            do {
                frame = try worker.channel.receive(until: .now + WorkerWatch.slice)
            } catch .timedOut {
                guard let why = watch.verdict(now: .now, cpu: worker.cpuTime(thread: thread) ?? .zero) else { continue }
                worker.kill()
                worker.wait()
                report.error = StrategyError(kind: .cpuLimit, phase: phase, message: "killed: \(phase.functionName) \(why)")
                break
            } catch {
                report.error = Self.death(of: worker, in: phase, channel: error)
                break
            }
            guard let message = JSONValue(frame: frame) else {
                worker.kill()
                report.error = StrategyError(kind: .crashed, phase: phase, message: "the worker sent a frame that is not JSON")
                break
            }
            if let hello = message["hello"] {
                thread = hello["thread"]?.intValue.flatMap(Int32.init(exactly:)) ?? thread
                watch = WorkerWatch(budget: watch.budget, now: .now, cpu: worker.cpuTime(thread: thread) ?? .zero)
            } else if let progress = message["progress"] {
                let name = progress["phase"]?.stringValue ?? "load"
                phase = name == "tick" ? .tick : name == "render" ? .render : .load
                report.ticks = progress["ticks"]?.intValue ?? report.ticks
                let budget = phase == .tick ? check.limits.tickDeadline : phase == .render ? check.limits.renderDeadline : check.limits.loadDeadline * 2
                watch = WorkerWatch(budget: budget, now: .now, cpu: worker.cpuTime(thread: thread) ?? .zero)
            } else if let answer = CheckWire.report(from: message) {
                report = answer
                break
            } else {
                let failure = message["failure"]?.stringValue ?? "the worker sent an unknown message"
                worker.kill()
                report.error = StrategyError(kind: .crashed, phase: phase, message: failure)
                break
            }
        }
        worker.wait()
        report.elapsed = ContinuousClock.now - start
        return report
    }

    /// The verdict for a worker whose channel closed before it answered.
    static func death(of worker: WorkerProcess, in phase: StrategyError.Phase, channel: WorkerChannelError) -> StrategyError {
        let exit = worker.wait()
        if exit.status == WorkerExit.stuckStatus {
            return StrategyError(
                kind: .cpuLimit, phase: phase,
                message: "cpu limit: \(phase.functionName) is stuck in C code that cannot be interrupted (a Lua 5.4.4 limitation); the worker was stopped")
        }
        if exit.signal == SIGXCPU || (exit.signal == SIGKILL && !worker.killed) {
            return StrategyError(kind: .cpuLimit, phase: phase, message: "cpu limit: the worker used up its CPU time (\(exit))")
        }
        let how = exit.signalName.map { "crashed: \($0)" } ?? "crashed: the worker \(exit) without answering"
        return StrategyError(kind: .crashed, phase: phase, message: "\(how) in \(phase.functionName)")
    }
}

extension Duration {
    /// In seconds, as a Double.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
