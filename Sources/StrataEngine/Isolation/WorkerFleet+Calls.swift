import StrataIsolation
import StrataRuntime

/// Requests about one instance, from the engine's thread between rounds: a mode switch, a
/// config change or reload, and a render. A worker that dies meanwhile is replaced; what that
/// costs is kept for the engine (``WorkerFleet/takeOutcome()``).
extension WorkerFleet {
    /// A request that changes nothing a script sees at once (the mode).
    func send(_ request: HostRequest, to instance: RemoteInstance) {
        guard let host = hosts[instance.worker], instances[instance.slot] != nil else { return }
        if case .failure(let death) = host.converse(request, broker: { _ in nil }) {
            pendingOutcome.merge(replace(instance.worker, after: death, culprit: death.culprit))
        }
    }

    /// Reconfigures or reloads an instance in its worker.
    /// - Throws: the script's error, or the crash it caused (its worker is replaced).
    func change(_ instance: RemoteInstance, _ request: HostRequest, phase: StrategyError.Phase) throws(StrategyError) {
        guard let host = hosts[instance.worker], instances[instance.slot] != nil else {
            throw StrategyError(kind: .crashed, phase: phase, message: "the instance's worker is gone")
        }
        switch host.converse(request, broker: { self.answer($0, worker: instance.worker, round: [:]) }) {
        case .success(.failures(let failures)):
            if let failure = failures.first { throw failure.strategyError }
        case .success:
            throw StrategyError(kind: .crashed, phase: phase, message: "the worker answered with something else")
        case .failure(let death):
            let error = death.failure.error(in: phase)
            if death.culprit == instance.slot { pendingOutcome.crashes.append((instance.script.version, instance.identity.id, error)) }
            instances[instance.slot] = nil
            host.slots.remove(instance.slot)
            pendingOutcome.merge(replace(instance.worker, after: death, culprit: instance.slot))
            throw error
        }
    }

    /// Calls `render()` in the instance's worker.
    func render(_ instance: RemoteInstance) throws(StrategyError) -> JSONValue {
        guard let host = hosts[instance.worker], instances[instance.slot] != nil else {
            throw StrategyError(kind: .crashed, phase: .render, message: "the instance's worker is gone")
        }
        // A render reads the broker view: the worker gets the ones that changed first (a round
        // without ticks).
        collectChangedViews()
        let views = takeViews(for: instance.worker)
        if !views.isEmpty {
            switch host.converse(.round(ticks: [], views: views), broker: { _ in nil }) {
            case .success(.roundDone(let done)): absorbActivity(done, worker: instance.worker)
            case .success: break
            case .failure(let death):
                pendingOutcome.merge(replace(instance.worker, after: death, culprit: death.culprit))
                throw death.failure.error(in: .render)
            }
        }
        switch host.converse(.render(slot: instance.slot), broker: { _ in nil }) {
        case .success(.rendered(let widgets, let failure)):
            if let failure { throw failure.strategyError }
            return widgets ?? .object(["widgets": .array([])])
        case .success:
            throw StrategyError(kind: .crashed, phase: .render, message: "the worker answered with something else")
        case .failure(let death):
            let error = death.failure.error(in: .render)
            if death.culprit == instance.slot {
                pendingOutcome.failed.append((instance, error))
                pendingOutcome.crashes.append((instance.script.version, instance.identity.id, error))
                instances[instance.slot] = nil
                host.slots.remove(instance.slot)
            }
            pendingOutcome.merge(replace(instance.worker, after: death, culprit: death.culprit))
            throw error
        }
    }
}

extension WorkerFleet {
    /// The saved `state` of each of `instances`, one request per worker. A worker that dies
    /// meanwhile is replaced (what that costs is kept for ``takeOutcome()``); its instances
    /// get no snapshot this time.
    func saveStates(_ instances: [RemoteInstance]) -> [(RemoteInstance, Result<SavedState?, StrategyError>)] {
        var results: [(RemoteInstance, Result<SavedState?, StrategyError>)] = []
        for (worker, batch) in Dictionary(grouping: instances, by: \.worker) {
            guard let host = hosts[worker] else { continue }
            let bySlot = Dictionary(batch.map { ($0.slot, $0) }, uniquingKeysWith: { first, _ in first })
            switch host.converse(.save(slots: batch.map(\.slot)), broker: { _ in nil }) {
            case .success(.saved(let saved)):
                for entry in saved {
                    guard let instance = bySlot[entry.slot] else { continue }
                    if let error = entry.error {
                        let failure = StrategyError(wire: error) ?? StrategyError(kind: .snapshot, phase: .save, message: "the worker sent an unreadable error")
                        results.append((instance, .failure(failure)))
                    } else {
                        results.append((instance, .success(entry.state.map { SavedState(bytes: [UInt8]($0), version: entry.version) })))
                    }
                }
            case .success:
                continue
            case .failure(let death):
                pendingOutcome.merge(replace(worker, after: death, culprit: death.culprit))
            }
        }
        return results
    }
}
