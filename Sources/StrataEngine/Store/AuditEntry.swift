import Foundation
import StrataRuntime

/// Who made a change. Open: any name is allowed, the common ones are constants.
public struct AuditActor: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The `strata` command line.
    public static let cli: AuditActor = "cli"
    /// The HTTP API (and so the dashboard).
    public static let api: AuditActor = "api"
    /// The engine itself (demo instances, migrations of config to a new schema).
    public static let engine: AuditActor = "engine"
}

/// What an audit entry changed.
public enum AuditField: String, Sendable, Codable, CaseIterable {
    /// The instance was created; `new` holds its identity, mode and config.
    case create
    /// The mode changed; `old` and `new` are JSON strings.
    case mode
    /// The config changed; `old` and `new` are JSON objects.
    case config
    /// The shadow was set or removed; `old` and `new` are `{ "version", "config" }` or null.
    case shadow
    /// The shadow was promoted; `new` is the version and config the instance takes.
    case promote
    /// The instance's risk limits were set; `old` and `new` are the limits' objects.
    case risk
}

/// One entry of the append-only audit log: who changed what of which instance, when, from what to what.
public struct AuditEntry: Sendable, Equatable, Codable {
    /// Increasing with insertion order; assigned by the store.
    public var id: Int64
    public var instanceID: String
    public var at: Date
    public var actor: AuditActor
    public var field: AuditField
    /// The value before the change; nil for a creation.
    public var old: JSONValue?
    /// The value after the change.
    public var new: JSONValue

    public init(
        id: Int64, instanceID: String, at: Date, actor: AuditActor, field: AuditField,
        old: JSONValue?, new: JSONValue
    ) {
        self.id = id
        self.instanceID = instanceID
        self.at = at
        self.actor = actor
        self.field = field
        self.old = old
        self.new = new
    }
}
