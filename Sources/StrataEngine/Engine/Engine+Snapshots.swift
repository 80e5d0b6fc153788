import Foundation
import StrataRuntime

/// State that survives a restart: the tick journal (every delivered tick, numbered engine-wide
/// in delivery order) and each instance's `state` snapshots. A loaded instance resumes from its
/// newest snapshot and catches up on the ticks journaled since (see ``StatePersistence``).
extension Engine {
    // MARK: The journal

    /// Numbers `ticks` on from the last journaled seq and queues them for the journal. Until
    /// the store has said where the journal ends, ticks go unnumbered (seq 0: not journaled).
    func number(_ ticks: [Tick]) -> [Tick] {
        if let cluster {
            // Nodes number from blocks the store reserves for each, so journals never collide.
            if cursor.lastSeq + Int64(ticks.count) >= cursor.seqLimit {
                let size = max(ticks.count, Self.tickSeqBlock)
                guard let first = try? cluster.store.reserveTickSeqs(size) else { return ticks }
                cursor.lastSeq = first - 1
                cursor.seqLimit = first + Int64(size)
            }
        } else if !cursor.seqLoaded {
            guard let last = try? store.lastTickSeq() else { return ticks }
            cursor.lastSeq = last
            cursor.seqLoaded = true
        }
        var numbered = ticks
        for index in numbered.indices {
            cursor.lastSeq += 1
            numbered[index].seq = cursor.lastSeq
        }
        if persistence.journal {
            cursor.pendingJournal += numbered
            // A store that keeps failing must not grow the engine without bound.
            if cursor.pendingJournal.count > Self.pendingJournalCap {
                cursor.pendingJournal.removeFirst(cursor.pendingJournal.count - Self.pendingJournalCap)
                counters.record(.activityWrite, "the tick journal fell behind; the oldest unwritten ticks were dropped")
            }
        }
        return numbered
    }

    static var pendingJournalCap: Int { 1_000_000 }

    /// Tick numbers a cluster node reserves at a time.
    static var tickSeqBlock: Int { 4_096 }

    /// Trims the journal to the configured retention, on the status queue (deleting many
    /// rows must not delay ticks).
    public func pruneJournalInBackground() {
        guard persistence.journal else { return }
        let store = store
        let persistence = persistence
        let counters = counters
        statusWriter.async {
            do {
                try store.pruneJournal(keepTicks: persistence.journalTicksKept, maxAge: persistence.journalMaxAge)
            } catch {
                counters.record(.activityWrite, "journal retention: \(error)")
            }
        }
    }

    // MARK: Resuming

    /// Where an instance being loaded resumes: its newest snapshot and the journaled ticks of its
    /// market since (up to the round under way), or nil to start with `init()` — no snapshot,
    /// persistence off, or the instance failed in this run (its state may be why).
    func resumePoint(for identity: InstanceIdentity) -> ResumePoint? {
        guard persistence.snapshots, !cursor.failedSinceStart.contains(identity.id) else { return nil }
        do {
            guard let snapshot = try store.snapshot(instanceID: identity.id, atOrBefore: nil) else { return nil }
            // In a cluster the journal holds the ticks of every node's own feed, numbered in
            // blocks (not in time order across nodes): an instance taken over resumes from its
            // snapshot without a catch-up.
            if cluster != nil {
                cursor.savedDigests[identity.id] = Self.digest(snapshot.bytes)
                return ResumePoint(saved: snapshot.saved, ticks: [])
            }
            let through = cursor.roundStart == .max ? nil : cursor.roundStart - 1
            let limit = persistence.catchUpLimit
            var ticks = try store.journaledTicks(market: identity.market, after: snapshot.tickSeq, through: through, limit: limit + 1)
            // The ticks the store has not been given yet (written with the step's activity).
            let stored = ticks.last?.seq ?? snapshot.tickSeq
            ticks += cursor.pendingJournal.lazy.filter { $0.market == identity.market && $0.seq > stored && $0.seq <= through ?? .max }
            cursor.savedDigests[identity.id] = Self.digest(snapshot.bytes)
            guard ticks.count <= limit else { return ResumePoint(saved: snapshot.saved, ticks: [], truncated: true) }
            return ResumePoint(saved: snapshot.saved, ticks: ticks)
        } catch {
            counters.record(.activityWrite, "cannot read the saved state of \(identity.id): \(error)")
            return nil
        }
    }

    /// Builds an in-process instance, resuming it when it can: a resume that fails (a corrupt
    /// or oversized snapshot, `on_restore` or the catch-up raising) starts over with `init()`,
    /// and the returned note says why.
    func makeLocal(_ record: InstanceRecord, script: StrategyScript) throws(StrategyError) -> (StrategyInstance, InstanceStatus.Failure?) {
        func build(_ saved: SavedState?) throws(StrategyError) -> StrategyInstance {
            try StrategyInstance(
                identity: record.identity, script: script, mode: record.mode, config: record.config, broker: sharedBroker, limits: limits,
                restoring: saved)
        }
        if let resume = resumePoint(for: record.identity) {
            do {
                let runtime = try build(resume.saved)
                if let setAside = runtime.savedStateSetAside {
                    return (runtime, InstanceStatus.Failure(message: setAside, kind: StrategyError.Kind.snapshot.rawValue))
                }
                let caught = try runtime.catchUp(resume.ticks, within: limits.loadDeadline)
                return (runtime, Self.catchUpNote(caught: caught, of: resume))
            } catch {
                return (try build(nil), Self.restoreNote(error))
            }
        }
        return (try build(nil), nil)
    }

    static func restoreNote(_ error: StrategyError) -> InstanceStatus.Failure {
        InstanceStatus.Failure(
            message: "the saved state could not be restored, so init() started over: \(error.message)", kind: StrategyError.Kind.snapshot.rawValue,
            traceback: error.traceback)
    }

    /// The status note of a restore that did not catch up on every journaled tick (nil: it did).
    static func catchUpNote(caught: Int, of resume: ResumePoint) -> InstanceStatus.Failure? {
        if resume.truncated {
            return InstanceStatus.Failure(
                message: "restored the saved state without catching up: more ticks were journaled since it was taken than a restore replays",
                kind: StrategyError.Kind.snapshot.rawValue)
        }
        guard caught < resume.ticks.count else { return nil }
        return InstanceStatus.Failure(
            message: "restored the saved state and caught up on \(caught) of the \(resume.ticks.count) ticks journaled since, within the load deadline",
            kind: StrategyError.Kind.snapshot.rawValue)
    }

    // MARK: Snapshots

    /// Takes a snapshot of every running instance (or of `ids`) and writes them: periodic rounds
    /// skip states unchanged since their last save; any other reason saves them all.
    /// - Parameter background: write on the status queue (the loop's periodic round).
    public func saveSnapshots(reason: StateSnapshot.Reason, ids: [String]? = nil, background: Bool = false) {
        guard persistence.snapshots else { return }
        let taken = takeSnapshots(reason: reason, ids: ids)
        guard !taken.isEmpty else { return }
        let store = store
        let keep = persistence.snapshotsKept
        let counters = counters
        if background {
            statusWriter.async {
                do { try store.saveSnapshots(taken, keep: keep) } catch { counters.record(.activityWrite, "snapshots: \(error)") }
            }
        } else {
            cursor.pendingSnapshots += taken
            flushSnapshots()
        }
    }

    /// Writes the snapshots taken on the engine's thread (kept for the next try on failure).
    func flushSnapshots() {
        guard !cursor.pendingSnapshots.isEmpty else { return }
        do {
            try store.saveSnapshots(cursor.pendingSnapshots, keep: persistence.snapshotsKept)
            cursor.pendingSnapshots = []
        } catch {
            counters.record(.activityWrite, "snapshots: \(error)")
        }
    }

    /// Saves the states of `ids` (or every running instance) now, in memory.
    func takeSnapshots(reason: StateSnapshot.Reason, ids: [String]?) -> [StateSnapshot] {
        let chosen = ids.map { $0.compactMap { id in instances[id].map { (id, $0) } } } ?? instances.map { ($0.key, $0.value) }
        var results: [(String, Result<SavedState?, StrategyError>)] = []
        var remotes: [RemoteInstance] = []
        for (id, instance) in chosen {
            guard let slot = instance.slot else { continue }
            if let local = slot.local {
                do throws(StrategyError) {
                    results.append((id, .success(try local.savedState())))
                } catch {
                    results.append((id, .failure(error)))
                }
            } else if let remote = slot.runtime as? RemoteInstance {
                remotes.append(remote)
            }
        }
        if let fleet, !remotes.isEmpty {
            for (remote, result) in fleet.saveStates(remotes) { results.append((remote.identity.id, result)) }
            takeFleetOutcome()
        }
        let now = Date()
        var taken: [StateSnapshot] = []
        for (id, result) in results {
            guard let instance = instances[id], let runtime = instance.runtime else { continue }
            switch result {
            case .success(nil):
                continue
            case .success(let saved?):
                let digest = Self.digest(saved.bytes)
                if reason == .periodic && cursor.savedDigests[id] == digest { continue }
                cursor.savedDigests[id] = digest
                taken.append(
                    StateSnapshot(
                        instanceID: id, version: saved.version, tickSeq: cursor.seqByMarket[runtime.identity.market] ?? 0, takenAt: now,
                        reason: reason, bytes: saved.bytes))
                if instance.lastError?.kind == StrategyError.Kind.snapshot.rawValue {
                    instances[id]?.lastError = nil
                    stage(status(of: id, runtime, state: .running))
                }
            case .failure(let error):
                // The instance runs on; its status says why its state is not kept.
                guard instance.lastError?.message != "state not saved: \(error.message)" else { continue }
                instances[id]?.lastError = InstanceStatus.Failure(
                    message: "state not saved: \(error.message)", kind: StrategyError.Kind.snapshot.rawValue, traceback: error.traceback)
                stage(status(of: id, runtime, state: .running))
            }
        }
        return taken
    }

    static func digest(_ bytes: [UInt8]) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes.count)
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        return hasher.finalize()
    }
}

extension Engine {
    /// Takes a snapshot of one instance before it is switched off or reloaded (written with the
    /// reconcile's other changes).
    func takeSnapshotsBeforeChange(of id: String, reason: StateSnapshot.Reason) {
        guard persistence.snapshots, instances[id]?.slot != nil else { return }
        cursor.pendingSnapshots += takeSnapshots(reason: reason, ids: [id])
    }
}
