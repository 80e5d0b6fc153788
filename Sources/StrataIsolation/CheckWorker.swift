import CStrataIsolation
import CStrataLua
import Foundation
import StrataRuntime

/// The worker side of an isolated check (`strata worker` with a check request): confined
/// first, then it reads one request, runs ``StrategyCheck`` reporting its progress, answers
/// with the report and exits. A script that crashes or wedges it costs only this process.
public enum CheckWorker {
    /// A fault a test asks the worker to commit at its first tick (`STRATA_WORKER_FAULT`):
    /// `segv` (dies of SIGSEGV), `hang` (sleeps, with signals blocked) or `spin` (burns CPU in C
    /// with signals blocked). Tests use it
    /// to show that the supervisor survives a real crash and a real wedge.
    static let faultVariable = "STRATA_WORKER_FAULT"

    /// Serves one check on `channel` and returns the process's exit status.
    public static func run(channel: WorkerChannel, confinement: WorkerConfinement) -> Int32 {
        let fault = ProcessInfo.processInfo.environment[faultVariable]
        // The thread that runs the script: the supervisor watches its CPU time.
        try? channel.send(JSONValue.object(["hello": .object(["thread": .integer(Int64(strata_thread_id()))])]).frame)
        do {
            try confinement.apply()
        } catch {
            try? channel.send(JSONValue.object(["failure": .string(error.description)]).frame)
            return 70
        }
        // A call the in-process watchdog could not stop (stuck in C code): end the process
        // with a status the supervisor reads as a CPU-limit verdict.
        strata_setstuckhandler { _ in _exit(WorkerExit.stuckStatus) }
        guard let frame = try? channel.receive(), let request = JSONValue(frame: frame), var check = CheckWire.check(from: request) else {
            try? channel.send(JSONValue.object(["failure": .string("the worker got no valid check request")]).frame)
            return 70
        }
        check.progress = { phase, ticks in
            try? channel.send(CheckWire.progress(phase: phase, ticks: ticks).frame)
            if phase == "tick" && ticks == 0 { commit(fault) }
        }
        let report = check.run()
        return (try? channel.send(CheckWire.report(report).frame)) == nil ? 70 : 0
    }

    private static func commit(_ fault: String?) {
        switch fault {
        case "segv": strata_raise_segv()
        case "spin": strata_spin_forever()
        case "hang":
            var all = sigset_t()
            sigfillset(&all)
            pthread_sigmask(SIG_BLOCK, &all, nil)
            while true { sleep(1000) }
        default: return
        }
    }
}
