import Foundation
import StrataRuntime

/// One request served by a fresh worker process, from the supervisor's side: start the worker,
/// send the request, relay its progress, and return its answer — or, when the worker dies or
/// wedges, why. The worker is watched by ``WorkerWatch`` between two words; each progress
/// message sets the budget until the next one.
public struct WorkerCall {
    /// The program to run as `… worker` (this binary by default).
    public var executable: String
    public var confinement: WorkerConfinement

    public init(executable: String = WorkerProcess.currentExecutable, confinement: WorkerConfinement) {
        self.executable = executable
        self.confinement = confinement
    }

    /// Runs `request` in a new worker.
    /// - Parameters:
    ///   - budget: how long the worker may work before its first progress message.
    ///   - cancel: asked between words (at least every ``WorkerWatch/slice``); true kills the
    ///     worker and ends the call with ``WorkerFailure/cancelled``.
    ///   - progress: called with each `{"progress": …}` body; returns the budget until the next word.
    /// - Returns: the body of the worker's `{"answer": …}`, or why there is none.
    public func run(
        _ request: JSONValue, budget: Duration, cancel: () -> Bool = { false }, progress: (JSONValue) -> Duration
    ) -> Result<JSONValue, WorkerFailure> {
        let worker: WorkerProcess
        do {
            worker = try WorkerProcess.start(executable: executable, arguments: ["strata", "worker"] + confinement.arguments)
            try worker.channel.send(request.frame)
        } catch {
            return .failure(.unavailable("cannot start a worker process: \(error)"))
        }
        defer { worker.wait() }
        var thread = worker.pid
        var watch = WorkerWatch(budget: budget, now: .now, cpu: .zero)
        while true {
            if cancel() {
                worker.kill()
                return .failure(.cancelled)
            }
            let frame: [UInt8]
            do {
                frame = try worker.channel.receive(until: .now + WorkerWatch.slice)
            } catch .timedOut {
                guard let why = watch.verdict(now: .now, cpu: worker.cpuTime(thread: thread) ?? .zero) else { continue }
                worker.kill()
                return .failure(.stuck(why))
            } catch {
                return .failure(WorkerFailure(exit: worker.wait(), killed: worker.killed))
            }
            guard let message = JSONValue(frame: frame) else {
                worker.kill()
                return .failure(.unavailable("the worker sent a frame that is not JSON"))
            }
            if let hello = message["hello"] {
                thread = hello["thread"]?.intValue.flatMap(Int32.init(exactly:)) ?? thread
                watch = WorkerWatch(budget: watch.budget, now: .now, cpu: worker.cpuTime(thread: thread) ?? .zero)
            } else if let body = message["progress"] {
                watch = WorkerWatch(budget: progress(body), now: .now, cpu: worker.cpuTime(thread: thread) ?? .zero)
            } else if let answer = message["answer"] {
                return .success(answer)
            } else {
                worker.kill()
                return .failure(.unavailable(message["failure"]?.stringValue ?? "the worker sent an unknown message"))
            }
        }
    }
}

/// Why a worker gave no answer, classed as the script's verdict.
public enum WorkerFailure: Error, Equatable {
    /// Killed by the supervisor: stuck (burning CPU without a word) or idle past its budget.
    case stuck(String)
    /// Its own watchdog found a call stuck in C and ended the process.
    case stuckInC
    /// It used up its CPU-time rlimit.
    case cpuTime(WorkerExit)
    /// It died: a signal, or an exit without an answer.
    case crashed(WorkerExit)
    /// No worker could run the request (it could not start or confine itself).
    case unavailable(String)
    /// The caller cancelled the call; the worker was killed.
    case cancelled

    public init(exit: WorkerExit, killed: Bool) {
        if exit.status == WorkerExit.stuckStatus {
            self = .stuckInC
        } else if exit.signal == SIGXCPU || (exit.signal == SIGKILL && !killed) {
            self = .cpuTime(exit)
        } else {
            self = .crashed(exit)
        }
    }

    /// The script error this failure means, for a call in `phase`.
    public func error(in phase: StrategyError.Phase) -> StrategyError {
        let function = phase.functionName
        switch self {
        case .stuck(let why):
            return StrategyError(kind: .cpuLimit, phase: phase, message: "killed: \(function) \(why)")
        case .stuckInC:
            return StrategyError(
                kind: .cpuLimit, phase: phase,
                message: "cpu limit: \(function) is stuck in C code that cannot be interrupted (a Lua 5.4.4 limitation); the worker was stopped")
        case .cpuTime(let exit):
            return StrategyError(kind: .cpuLimit, phase: phase, message: "cpu limit: the worker used up its CPU time (\(exit))")
        case .crashed(let exit):
            let how = exit.signalName.map { "crashed: \($0)" } ?? "crashed: the worker \(exit) without answering"
            return StrategyError(kind: .crashed, phase: phase, message: "\(how) in \(function)")
        case .unavailable(let why):
            return StrategyError(kind: .crashed, phase: phase, message: why)
        case .cancelled:
            return StrategyError(kind: .crashed, phase: phase, message: "cancelled")
        }
    }
}
