import StrataRuntime

/// What the engine holds for one instance: what it runs, or what it last failed with.
public struct RuntimeSnapshot: Sendable, Equatable {
    public var identity: InstanceIdentity
    public var mode: InstanceMode
    public var config: [String: JSONValue]
    /// The script version the runtime was built from.
    public var version: String
    /// Set when the instance failed: it stays failed until its config or script changes, or it
    /// is switched off and on again.
    public var failed: Bool

    public init(identity: InstanceIdentity, mode: InstanceMode, config: [String: JSONValue], version: String, failed: Bool = false) {
        self.identity = identity
        self.mode = mode
        self.config = config
        self.version = version
        self.failed = failed
    }
}

/// One step that brings the running set closer to the desired state.
public enum ReconcileAction: Sendable, Equatable {
    /// Build a runtime for the record with the current version of its script.
    case load(InstanceRecord, version: String)
    /// Drop the runtime (mode off, or the row is gone).
    case unload(id: String)
    /// Swap the context in place: state is kept, nothing re-runs.
    case setMode(id: String, InstanceMode)
    /// Apply a new config (`on_config`, or `init()` again).
    case reconfigure(id: String, [String: JSONValue])
    /// Hot-swap to another version of the script, keeping `state`.
    case reload(id: String, version: String)
}

/// Level-based, idempotent reconciliation (the model of controller-runtime): from the whole
/// desired state and the whole running set, the actions that align them. It keeps no memory
/// of events, so running it again after its actions were applied yields nothing; a value type
/// with no I/O, tested on its own.
public enum Reconciler {
    /// The actions, in a stable order (by instance id).
    /// - Parameters:
    ///   - desired: every instance row.
    ///   - running: what the engine holds, by instance id (failed instances included).
    ///   - versions: the current good version of each strategy type; a type with none (its
    ///     script is missing or never compiled) cannot be loaded or reloaded.
    public static func plan(
        desired: [InstanceRecord], running: [String: RuntimeSnapshot],
        versions: [String: String]
    ) -> [ReconcileAction] {
        var actions: [ReconcileAction] = []
        let wanted = Dictionary(desired.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for id in Set(wanted.keys).union(running.keys).sorted() {
            actions += plan(wanted[id], running[id], version: wanted[id].flatMap { versions[$0.strategyType] })
        }
        return actions
    }

    private static func plan(_ record: InstanceRecord?, _ held: RuntimeSnapshot?, version: String?) -> [ReconcileAction] {
        guard let record, record.mode != .off else {
            return held.map { [.unload(id: $0.identity.id)] } ?? []
        }
        guard let held else {
            return version.map { [.load(record, version: $0)] } ?? []
        }
        if held.failed {
            // Retry only when something that could fix it changed.
            let changed = held.config != record.config || (version != nil && version != held.version)
            return changed ? [.unload(id: record.id)] + (version.map { [.load(record, version: $0)] } ?? []) : []
        }
        var actions: [ReconcileAction] = []
        if let version, version != held.version { actions.append(.reload(id: record.id, version: version)) }
        if held.mode != record.mode { actions.append(.setMode(id: record.id, record.mode)) }
        if held.config != record.config { actions.append(.reconfigure(id: record.id, record.config)) }
        return actions
    }
}
