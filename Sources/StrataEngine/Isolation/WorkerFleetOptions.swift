import Foundation
import StrataIsolation
import StrataRuntime

/// How `strata serve --isolation process` runs instances: how many worker processes, which
/// program, and how each is confined.
public struct WorkerFleetOptions: Sendable {
    public var workers: Int
    public var executable: String
    public var confinement: WorkerConfinement
    /// Offer `strata_test_fault` to scripts (tests only: `STRATA_TEST_FAULTS=1`).
    public var faults: Bool

    public init(
        workers: Int, executable: String = WorkerProcess.currentExecutable, confinement: WorkerConfinement = WorkerConfinement(),
        faults: Bool = ProcessInfo.processInfo.environment["STRATA_TEST_FAULTS"] == "1"
    ) {
        self.workers = max(1, workers)
        self.executable = executable
        self.confinement = confinement
        self.faults = faults
    }
}

/// What went wrong for the engine to record after a fleet operation: instances that failed, and
/// instances whose worker was replaced under them (their state started over with `init()`).
struct FleetOutcome {
    var failed: [(RemoteInstance, StrategyError)] = []
    /// Each restarted instance, and why its worker was replaced.
    var restarted: [(RemoteInstance, String)] = []
    /// Crashes and wedges, by the version of the instance whose call it was.
    var crashes: [(version: String, instance: String, error: StrategyError)] = []
    /// Worker processes started to replace dead ones.
    var replacedWorkers = 0
    /// Instances whose saved state could not be restored (they started over with `init()`).
    var notes: [(RemoteInstance, InstanceStatus.Failure)] = []

    mutating func merge(_ other: FleetOutcome) {
        failed += other.failed
        notes += other.notes
        restarted += other.restarted
        crashes += other.crashes
        replacedWorkers += other.replacedWorkers
    }
}
