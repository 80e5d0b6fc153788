import StrataRuntime

extension Engine {
    /// Publishes a `mode` event for each owned instance whose desired mode differs from the one
    /// the previous reconcile read. Level-based like the reconciler: a change made by any process
    /// (the CLI, the API, a SQL shell) is seen once, at the next reconcile; an instance that
    /// appears (created, or a lease taken) or goes away is not a mode change, nor is a restart.
    func publishModeChanges(_ desired: [InstanceRecord]) {
        var modes: [String: InstanceMode] = [:]
        modes.reserveCapacity(desired.count)
        for record in desired where modes[record.id] == nil { modes[record.id] = record.mode }
        defer { desiredModes = modes }
        guard let before = desiredModes else { return }
        var changes: [EngineEvent] = []
        for (id, mode) in modes {
            if let old = before[id], old != mode {
                changes.append(EngineEvent(instanceID: id, payload: .mode(ModeChange(instanceID: id, old: old, new: mode))))
            }
        }
        events.publish(changes.sorted { $0.instanceID < $1.instanceID })
    }
}
