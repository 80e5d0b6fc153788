import Foundation
import StrataRuntime

/// The worker side of an isolated check: runs ``StrategyCheck`` on the request's script once
/// the process is confined, reporting before loading, each tick and rendering.
public enum CheckWorker {
    /// Serves a `{"check": …}` request; returns the process's exit status.
    public static func run(_ session: WorkerSession, confinement: WorkerConfinement) -> Int32 {
        guard var check = CheckWire.check(from: session.request) else {
            session.fail("not a check request")
            return 70
        }
        guard session.confine(confinement) else { return 70 }
        check.progress = { phase, ticks in session.progress(CheckWire.progress(phase: phase, ticks: ticks)) }
        return session.answer(CheckWire.report(check.run()))
    }
}
