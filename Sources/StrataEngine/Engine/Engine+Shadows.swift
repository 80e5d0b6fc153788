import Foundation
import StrataRuntime

/// A shadow the engine runs beside an instance: what it was built from, and its runtime (nil
/// once it failed: it stays failed until its record changes).
struct RunningShadow {
    var record: ShadowRecord
    /// The version it runs.
    var version: String
    var slot: InstanceSlot?
    var error: StrategyError?
}

/// What a live view shows of a shadow.
public struct ShadowView: Sendable {
    public var record: ShadowRecord
    public var version: String
    public var running: Bool
    public var error: StrategyError?
    public var ticks: Int
    public var logs: [LogLine]
}

/// Shadows: another version or config of an instance, in observe mode on the same ticks (see
/// ``ShadowRecord``). They start from the instance's state, run where instances run (in this
/// process, or in the workers), and their would-be orders are stored as shadow signals.
extension Engine {
    /// Brings the running shadows in line with the store's: loads new and changed ones (from
    /// their instance's current state), drops removed ones and those whose instance is not
    /// running, and carries out requested promotions.
    func reconcileShadows() throws {
        let desired = try store.shadows()
        let wanted = Set(desired.map(\.instanceID))
        for id in shadows.keys where !wanted.contains(id) { dropShadow(id) }
        for record in desired {
            guard let instance = instances[record.instanceID], let live = instance.runtime else {
                dropShadow(record.instanceID)
                continue
            }
            guard let script = shadowScript(record, type: live.identity.strategyType) else { continue }
            if record.promoteRequestedAt != nil {
                promote(record, script: script)
                continue
            }
            if let current = shadows[record.instanceID], current.record.config == record.config, current.version == script.version {
                continue  // unchanged (running, or failed until its record changes)
            }
            dropShadow(record.instanceID)
            loadShadow(record, script: script, beside: live)
        }
    }

    /// The script a shadow runs: its own, or its instance type's current one.
    private func shadowScript(_ record: ShadowRecord, type: String) -> StrategyScript? {
        guard let source = record.source else { return library.current[type] }
        // Its own source may require any module of the folder (checked here every reconcile, it
        // is offered them all: its version changes with any module, and then it loads again).
        return StrategyScript(
            name: type, source: source, chunkName: "@\(type).lua (shadow)", modules: library.moduleSources, moduleFolder: library.modules.displayName)
    }

    /// A shadow's identity: its instance's, under an id of its own, so that it has a book of its
    /// own (it never trades: its position stays 0) and a worker that hosts both keeps them apart.
    static func shadowIdentity(of identity: InstanceIdentity) -> InstanceIdentity {
        InstanceIdentity(id: identity.id + "~shadow", strategyType: identity.strategyType, account: identity.account, market: identity.market)
    }

    private func loadShadow(_ record: ShadowRecord, script: StrategyScript, beside live: any InstanceRuntime) {
        let saved = currentState(of: live)
        let identity = Self.shadowIdentity(of: live.identity)
        var shadow = RunningShadow(record: record, version: script.version)
        if let fleet, live is RemoteInstance {
            let resume = saved.map { ResumePoint(saved: $0, ticks: []) }
            let (loaded, outcome) = fleet.load([(identity, script, .observe, record.config, resume)])
            if let remote = loaded.first {
                shadow.slot = InstanceSlot(id: record.instanceID, remote: remote)
            } else {
                shadow.error = outcome.failed.first?.1 ?? StrategyError(kind: .crashed, phase: .load, message: "the shadow did not load")
            }
            // The shadow's own failure is kept here; replaced workers count as usual.
            var rest = outcome
            rest.failed = []
            rest.crashes = []
            rest.notes = []
            take(rest)
        } else {
            do {
                shadow.slot = InstanceSlot(id: record.instanceID, runtime: try makeShadow(record, script: script, identity: identity, saved: saved))
            } catch {
                shadow.error = error
            }
        }
        shadows[record.instanceID] = shadow
    }

    /// An in-process shadow, from `saved` (or `init()` when that cannot be restored).
    private func makeShadow(_ record: ShadowRecord, script: StrategyScript, identity: InstanceIdentity, saved: SavedState?) throws(StrategyError)
        -> StrategyInstance
    {
        if let saved,
            let restored = try? StrategyInstance(
                identity: identity, script: script, mode: .observe, config: record.config, broker: sharedBroker, limits: limits, restoring: saved)
        {
            return restored
        }
        return try StrategyInstance(identity: identity, script: script, mode: .observe, config: record.config, broker: sharedBroker, limits: limits)
    }

    /// The state a runtime holds now (nil: it cannot be saved, or `on_save()` opted out).
    private func currentState(of runtime: any InstanceRuntime) -> SavedState? {
        if let local = runtime as? StrategyInstance { return try? local.savedState() }
        guard let fleet, let remote = runtime as? RemoteInstance else { return nil }
        defer { takeFleetOutcome() }
        guard case .success(let saved)? = fleet.saveStates([remote]).first?.1 else { return nil }
        return saved
    }

    func dropShadow(_ id: String) {
        guard let shadow = shadows.removeValue(forKey: id) else { return }
        releaseRemote(shadow.slot)
    }

    /// Hands the shadow's state, version and config to its instance, which keeps its mode and
    /// runs on without a restart; then removes the shadow.
    private func promote(_ record: ShadowRecord, script: StrategyScript) {
        guard var instance = instances[record.instanceID], let live = instance.runtime, let shadow = shadows[record.instanceID],
            let shadowRuntime = shadow.slot?.runtime
        else {
            // Nothing running to hand over: the instance starts from its new config and version.
            dropShadow(record.instanceID)
            try? store.completePromotion(instanceID: record.instanceID)
            return
        }
        let saved = currentState(of: shadowRuntime)
        let mode = instance.snapshot.mode
        let identity = live.identity
        dropShadow(record.instanceID)
        releaseRemote(instance.slot)
        instance.slot = nil
        instance.snapshot = RuntimeSnapshot(identity: identity, mode: mode, config: record.config, version: script.version)
        instance.lastError = nil
        instances[record.instanceID] = instance
        if let fleet {
            let (loaded, outcome) = fleet.load([(identity, script, mode, record.config, saved.map { ResumePoint(saved: $0, ticks: []) })])
            if let remote = loaded.first {
                instances[record.instanceID]?.slot = InstanceSlot(id: record.instanceID, remote: remote)
                stage(status(of: record.instanceID, remote, state: .running))
            }
            take(outcome)
        } else {
            do {
                let runtime = try StrategyInstance(
                    identity: identity, script: script, mode: mode, config: record.config, broker: sharedBroker, limits: limits, restoring: saved)
                instances[record.instanceID]?.slot = InstanceSlot(id: record.instanceID, runtime: runtime)
                stage(status(of: record.instanceID, runtime, state: .running))
            } catch {
                fail(record.instanceID, error)
            }
        }
        do {
            try store.completePromotion(instanceID: record.instanceID)
        } catch {
            counters.record(.reconcile, "promotion of \(record.instanceID): \(error)")
        }
        indexByMarket()
    }

    /// Hands a round's ticks to the in-process shadows of their markets (worker-hosted ones get
    /// them with their worker's round); a shadow that fails stops, its instance runs on.
    func tickShadows(_ round: [Tick]) {
        guard !shadows.isEmpty else { return }
        for (id, shadow) in shadows {
            guard let slot = shadow.slot, let local = slot.local else { continue }
            for tick in round where tick.market == local.identity.market { slot.deliver(tick) }
            if let failure = slot.failure { shadowFailed(id, failure) }
        }
    }

    /// Stops a failed shadow and keeps why.
    func shadowFailed(_ id: String, _ error: StrategyError) {
        guard var shadow = shadows[id] else { return }
        releaseRemote(shadow.slot)
        shadow.slot = nil
        shadow.error = error
        shadows[id] = shadow
    }

    /// What a live view shows of an instance's shadow (nil: none running or failed).
    public func shadowView(instanceID: String) -> ShadowView? {
        guard let shadow = shadows[instanceID] else { return nil }
        let runtime = shadow.slot?.runtime
        return ShadowView(
            record: shadow.record, version: shadow.version, running: runtime != nil, error: shadow.error, ticks: runtime?.ticksProcessed ?? 0,
            logs: runtime.map { Array($0.log.lines) } ?? [])
    }

    /// Calls the shadow's `render()` (nil: no running shadow).
    public func renderShadow(instanceID: String) -> Result<JSONValue, StrategyError>? {
        guard let runtime = shadows[instanceID]?.slot?.runtime else { return nil }
        defer { takeFleetOutcome() }
        do {
            return .success(try runtime.render())
        } catch {
            return .failure(error)
        }
    }

    /// The shadows' new signals, as shadow signal records (their cursors move as the instances' do).
    func collectShadowSignals() -> (records: [SignalRecord], cursors: [(InstanceSlot, Int)]) {
        var records: [SignalRecord] = []
        var cursors: [(InstanceSlot, Int)] = []
        for shadow in shadows.values {
            guard let slot = shadow.slot else { continue }
            let recorded = slot.runtime.signalsRecorded
            guard recorded != slot.signalsFlushed else { continue }
            let kept = slot.runtime.signals
            records += kept.suffix(min(recorded - slot.signalsFlushed, kept.count)).map {
                var record = SignalRecord($0, reason: "shadow: would have placed it")
                record.instanceID = shadow.record.instanceID
                record.shadow = true
                return record
            }
            cursors.append((slot, recorded))
        }
        return (records, cursors)
    }
}
