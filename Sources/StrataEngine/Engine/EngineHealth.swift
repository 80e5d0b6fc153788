import Foundation
import Synchronization

/// What went wrong in the engine that is not one instance's fault: counted, kept for the
/// health view and `/metrics`, and logged by the loop. A failure here is never swallowed.
public struct EngineHealth: Sendable, Equatable {
    /// A kind of engine failure.
    public enum Problem: String, Sendable, CaseIterable {
        /// A write of statuses (periodic save or state change) failed; the next one retries.
        case statusWrite = "status_write"
        /// Writing orders, fills, signals or logs failed; the next step retries.
        case activityWrite = "activity_write"
        /// Reading the desired state or applying it failed.
        case reconcile
        /// The strategies folder cannot be read (missing, not a folder, no permission).
        case strategiesFolder = "strategies_folder"
        /// The deadline watchdog could not start: runaway scripts are not stopped.
        case watchdog
        /// The strategies folder cannot be watched: saves are noticed at the next resync only.
        case fileWatch = "file_watch"
        /// A worker process crashed or wedged and was replaced, or a strategy version was
        /// quarantined for it (the instance whose call it was says why in its status).
        case workerRestart = "worker_restart"
        /// A lease round failed (the shared store out of reach), or this node's leases lapsed
        /// and it stopped its instances.
        case cluster
        /// Writing or pruning the equity history failed; the next record retries.
        case equityWrite = "equity_write"
    }

    /// How many times each problem happened.
    public var counts: [Problem: Int] = [:]
    /// Conditions that hold now (a missing folder, a watchdog that did not start), by problem.
    public var conditions: [Problem: String] = [:]
    /// The most recent failure's message.
    public var lastFailure: String?

    public init() {}

    /// Whether nothing is wrong now.
    public var isHealthy: Bool { conditions.isEmpty }

    /// Failures of `problem` so far.
    public func count(_ problem: Problem) -> Int { counts[problem] ?? 0 }
}

/// The engine's failure counters, shared by the engine's thread and its background status
/// writer. Lines not logged yet wait in a bounded list that the loop drains.
public final class EngineCounters: Sendable {
    private struct State {
        var health = EngineHealth()
        var unlogged: [String] = []
    }

    private let state = Mutex(State())
    /// The most lines kept for the log between two drains.
    static let unloggedCapacity = 100

    public init() {}

    /// Counts one failure of `problem` and keeps `message` for the log.
    public func record(_ problem: EngineHealth.Problem, _ message: String) {
        state.withLock { state in
            state.health.counts[problem, default: 0] += 1
            state.health.lastFailure = message
            if state.unlogged.count < Self.unloggedCapacity { state.unlogged.append("\(problem.rawValue): \(message)") }
        }
    }

    /// Sets or clears a standing condition; setting a new one counts it once and logs it.
    public func set(_ problem: EngineHealth.Problem, _ message: String?) {
        let isNew = state.withLock { state in
            let isNew = message != nil && state.health.conditions[problem] != message
            state.health.conditions[problem] = message
            return isNew
        }
        if isNew, let message { record(problem, message) }
    }

    /// The counts and conditions now.
    public var health: EngineHealth { state.withLock { $0.health } }

    /// The failure lines recorded since the last call.
    public func drainUnlogged() -> [String] {
        state.withLock { state in
            defer { state.unlogged = [] }
            return state.unlogged
        }
    }
}
