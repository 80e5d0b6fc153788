import CStrataIsolation
import CStrataLua
import Foundation
import StrataRuntime

/// The worker's side of one request (`strata worker`): it says which thread runs scripts,
/// reads the request from its trusted parent, lets the caller read what the request names,
/// confines itself, and only then runs the script, reporting progress and answering once.
public final class WorkerSession {
    public let channel: WorkerChannel
    /// The request, as the parent sent it.
    public let request: JSONValue
    /// A fault a test asks the worker to commit (`STRATA_WORKER_FAULT`): `segv` (dies of SIGSEGV),
    /// `hang` (sleeps with signals blocked) or `spin` (burns CPU in C with signals blocked), at
    /// the first tick of a run. Tests use it to show that the supervisor survives a
    /// real crash and a real wedge.
    private var fault = ProcessInfo.processInfo.environment["STRATA_WORKER_FAULT"]

    /// Greets the parent and reads its request; nil (after telling the parent) when none came.
    public init?(channel: WorkerChannel) {
        self.channel = channel
        // The thread that runs the script: the supervisor watches its CPU time.
        try? channel.send(JSONValue.object(["hello": .object(["thread": .integer(Int64(strata_thread_id()))])]).frame)
        guard let frame = try? channel.receive(), let request = JSONValue(frame: frame) else {
            try? channel.send(JSONValue.object(["failure": .string("the worker got no request")]).frame)
            return nil
        }
        self.request = request
    }

    /// Confines the process for good; false (after telling the parent) when it cannot.
    public func confine(_ confinement: WorkerConfinement) -> Bool {
        do {
            try confinement.apply()
        } catch {
            fail(error.description)
            return false
        }
        // A call the in-process watchdog could not stop (stuck in C code): end the process
        // with a status the supervisor reads as a CPU-limit verdict.
        strata_setstuckhandler { _ in _exit(WorkerExit.stuckStatus) }
        return true
    }

    /// Tells the parent how far the run is (and so that the worker is alive).
    public func progress(_ body: JSONValue) {
        try? channel.send(JSONValue.object(["progress": body]).frame)
        if let fault, body["phase"] == .string("tick") {
            self.fault = nil
            Self.commit(fault)
        }
    }

    /// The answer; returns the process's exit status.
    public func answer(_ body: JSONValue) -> Int32 {
        (try? channel.send(JSONValue.object(["answer": body]).frame)) == nil ? 70 : 0
    }

    /// A failure of the worker itself (not of the script).
    public func fail(_ message: String) {
        try? channel.send(JSONValue.object(["failure": .string(message)]).frame)
    }

    /// Crashes or wedges this process for real, as a fault-injection test asks: `segv` (dies of
    /// SIGSEGV), `spin` (burns CPU in C with signals blocked), `hang` (sleeps with signals
    /// blocked); anything else does nothing.
    public static func commit(_ fault: String) {
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
