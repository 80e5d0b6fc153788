import StrataIsolation
import StrataRuntime

/// What the engine knows about each strategy type in its folder, as a value another thread
/// may read: the current good version and its config schema, and the error of a broken save.
public struct StrategyCatalog: Sendable {
    /// One strategy type.
    public struct Entry: Sendable {
        public var strategyType: String
        /// The content hash of the current good version; nil when no save has loaded yet.
        public var version: String?
        /// The config schema of the current good version; nil when none has loaded.
        public var schema: ConfigSchema?
        /// The current good version itself (a config is tried on it before it is stored).
        public var script: StrategyScript?
        /// Why the newest save does not load (the old version, if any, still runs).
        public var problem: InstanceStatus.Failure?
    }

    /// By strategy type.
    public var entries: [String: Entry]
    /// The limits the engine runs these scripts under.
    public var limits: StrategyLimits
    /// The strata program that runs config trials as confined worker processes (process
    /// isolation); nil runs them in this process.
    public var trialWorker: String?

    public init(entries: [String: Entry] = [:], limits: StrategyLimits = .standard, trialWorker: String? = nil) {
        self.entries = entries
        self.limits = limits
        self.trialWorker = trialWorker
    }

    /// The schema a config for `strategyType` is validated against, or why there is none.
    public func schema(for strategyType: String) -> Result<ConfigSchema, InstanceStatus.Failure> {
        guard let entry = entries[strategyType] else {
            let known = entries.values.filter { $0.version != nil }.map(\.strategyType).sorted()
            return .failure(.init(message: "no strategy type '\(strategyType)' (loaded: \(known.joined(separator: ", ")))", kind: "unknown_type"))
        }
        guard let schema = entry.schema else {
            return .failure(entry.problem ?? .init(message: "strategy type '\(strategyType)' has not loaded", kind: "load"))
        }
        return .success(schema)
    }

    /// Tries `proposed` on a scratch copy of an instance of `identity.strategyType` (see
    /// ``ConfigTrial``); `current` is nil for an instance being created.
    /// - Returns: nil when the script takes the config (or no good version is known: the
    ///   caller has refused that already through ``schema(for:)``), else the script's error.
    public func trial(
        _ proposed: [String: JSONValue], identity: InstanceIdentity, mode: InstanceMode, current: [String: JSONValue]?
    ) -> StrategyError? {
        guard let script = entries[identity.strategyType]?.script else { return nil }
        let trial = ConfigTrial(script: script, identity: identity, mode: mode, current: current, proposed: proposed, limits: limits)
        guard let trialWorker else { return trial.run() }
        return IsolatedConfigTrial(trial: trial, executable: trialWorker).run()
    }
}

extension InstanceStatus.Failure: Error {}
