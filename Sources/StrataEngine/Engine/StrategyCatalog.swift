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
        /// Why the newest save does not load (the old version, if any, still runs).
        public var problem: InstanceStatus.Failure?
    }

    /// By strategy type.
    public var entries: [String: Entry]

    public init(entries: [String: Entry] = [:]) {
        self.entries = entries
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
}

extension InstanceStatus.Failure: Error {}
