import Foundation
import StrataRuntime

/// The engine's side of process isolation: loading instances into the ``WorkerFleet`` and
/// recording what the fleet reports — failures, instances restarted in a new worker, and the
/// crashes that lead to backoff and quarantine.
extension Engine {
    /// Loads instances in worker processes (one message per worker, whatever their number).
    func loadRemote(_ loads: [(InstanceRecord, StrategyScript)]) {
        guard let fleet else { return }
        var requests: [(identity: InstanceIdentity, script: StrategyScript, mode: InstanceMode, config: [String: JSONValue], resume: ResumePoint?)] =
            []
        for (record, script) in loads {
            let snapshot = RuntimeSnapshot(identity: record.identity, mode: record.mode, config: record.config, version: script.version)
            instances[record.id] = RunningInstance(failed: snapshot, error: nil)
            if let count = crashLedger.quarantined[script.version] {
                fail(record.id, Self.quarantine(version: script.version, crashes: count))
                continue
            }
            requests.append((record.identity, script, record.mode, record.config, resumePoint(for: record.identity)))
        }
        guard !requests.isEmpty else { return }
        let (loaded, outcome) = fleet.load(requests)
        for remote in loaded {
            guard var instance = instances[remote.identity.id] else { continue }
            instance.snapshot.failed = false
            instance.slot = InstanceSlot(id: remote.identity.id, remote: remote)
            instances[remote.identity.id] = instance
            cursor.failedSinceStart.remove(remote.identity.id)
            stage(status(of: remote.identity.id, remote, state: .running))
        }
        take(outcome)
    }

    /// Records what happened in the fleet outside a round (a render or a change that crashed).
    func takeFleetOutcome() {
        guard let fleet else { return }
        take(fleet.takeOutcome())
    }

    /// Records a fleet outcome: failed instances go to `error`, restarted ones say why, and
    /// each crash counts towards its version's quarantine and its instance's backoff.
    func take(_ outcome: FleetOutcome) {
        guard !outcome.failed.isEmpty || !outcome.restarted.isEmpty || outcome.replacedWorkers > 0 || !outcome.notes.isEmpty else { return }
        let now = Date().timeIntervalSince1970
        if outcome.replacedWorkers > 0 { counters.record(.workerRestart, "replaced \(outcome.replacedWorkers) worker process(es)") }
        for (remote, error) in outcome.failed {
            for (id, shadow) in shadows where shadow.slot?.runtime === remote { shadowFailed(id, error) }
        }
        for (remote, error) in outcome.failed {
            // Its current runtime, or the placeholder of a load under way (no runtime, no error yet).
            guard let instance = instances[remote.identity.id],
                instance.runtime === remote || (instance.slot == nil && instance.lastError == nil)
            else { continue }
            fail(remote.identity.id, error)
        }
        for crash in outcome.crashes {
            let quarantines = crashLedger.record(version: crash.version, instance: crash.instance, at: now)
            if quarantines {
                quarantine(version: crash.version)
            } else if crashLedger.quarantined[crash.version] == nil, var instance = instances[crash.instance], instance.slot == nil {
                let delay = crashLedger.backoff(for: crash.instance)
                instance.retryAt = now + delay
                if var failure = instance.lastError {
                    failure.message += "; restarting in \(Int(delay)) s"
                    instance.lastError = failure
                    stage(
                        InstanceStatus(
                            instanceID: crash.instance, state: .error, lastError: failure, version: instance.snapshot.version,
                            ticks: Int64(instance.runtime?.ticksProcessed ?? 0)))
                }
                instances[crash.instance] = instance
            }
        }
        for (remote, cause) in outcome.restarted where instances[remote.identity.id]?.runtime === remote {
            let how = remote.resumed ? "state restored from its last snapshot and the ticks since" : "state started over with init()"
            let notice = InstanceStatus.Failure(
                message: "restarted in a new worker process, \(how): another instance's call ended the old one (\(cause))", kind: "restarted")
            instances[remote.identity.id]?.lastError = notice
            stage(status(of: remote.identity.id, remote, state: .running))
        }
        for (remote, note) in outcome.notes where instances[remote.identity.id]?.runtime === remote {
            instances[remote.identity.id]?.lastError = note
            stage(status(of: remote.identity.id, remote, state: .running))
        }
        indexByMarket()
    }

    /// Stops every instance of a quarantined version.
    private func quarantine(version: String) {
        let error = Self.quarantine(version: version, crashes: crashLedger.quarantined[version] ?? CrashLedger.quarantineAfter)
        for (id, instance) in instances where instance.snapshot.version == version {
            if instance.slot != nil {
                fail(id, error)
            } else {
                var failed = instances[id]!
                failed.retryAt = nil
                failed.lastError = InstanceStatus.Failure(message: error.message, kind: error.kind.rawValue, traceback: nil)
                instances[id] = failed
                stage(
                    InstanceStatus(
                        instanceID: id, state: .error, lastError: failed.lastError, version: version, ticks: 0))
            }
            instances[id]?.retryAt = nil
        }
        counters.record(.workerRestart, "quarantined strategy version \(version.prefix(12))")
    }

    static func quarantine(version: String, crashes: Int) -> StrategyError {
        StrategyError(
            kind: .quarantined, phase: .load,
            message: "quarantined: version \(version.prefix(12)) crashed or wedged its worker process \(crashes) times "
                + "within \(Int(CrashLedger.window / 60)) minutes; save a new version, or switch the instance off and on to try again")
    }

    /// Lets instances whose backoff has passed be loaded again (the reconciler sees them as new).
    func retryCrashedInstances(now: Double) {
        for (id, instance) in instances {
            guard let retryAt = instance.retryAt, retryAt <= now else { continue }
            guard crashLedger.quarantined[instance.snapshot.version] == nil else {
                instances[id]?.retryAt = nil
                continue
            }
            instances[id] = nil
        }
    }

    /// Drops a remote instance's state in its worker.
    func releaseRemote(_ slot: InstanceSlot?) {
        guard let fleet, let remote = slot?.runtime as? RemoteInstance else { return }
        fleet.unload(remote)
    }

    /// Fetches memory and timing from the workers before statuses are built.
    func refreshRemoteStats() {
        guard let fleet else { return }
        fleet.refreshStats()
        takeFleetOutcome()
    }

    /// Ends the worker processes (graceful stop: statuses are written by the caller).
    public func stopWorkers() {
        fleet?.stop()
    }
}
