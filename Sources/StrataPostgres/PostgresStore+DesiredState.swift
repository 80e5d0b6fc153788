import Foundation
import PostgresNIO
import StrataEngine
import StrataRuntime

// The desired state: instances and their audit log. Not fenced (any node, the CLI and the API
// may change it); every write notifies the engines on commit, through the schema's trigger.
extension PostgresStore {
    @discardableResult
    public func createInstance(
        _ identity: InstanceIdentity, mode: InstanceMode, config: [String: JSONValue],
        actor: AuditActor
    ) throws -> InstanceRecord {
        guard !identity.id.isEmpty, !identity.strategyType.isEmpty, !identity.account.isEmpty,
            !identity.market.isEmpty
        else {
            throw StoreError(
                .invalidArgument, "id, strategy type, account and market must not be empty",
                instanceID: identity.id, operation: "createInstance")
        }
        return try write("createInstance", instanceID: identity.id) { session in
            if try Self.fetchInstance(session, id: identity.id) != nil {
                throw StoreError(
                    .alreadyExists, "instance \(identity.id) already exists",
                    instanceID: identity.id, operation: "createInstance")
            }
            let now = PostgresTime(clock())
            try session.run(
                """
                INSERT INTO accounts (name, broker, created_at) VALUES (\(identity.account), \(AccountRecord.paperBroker), \(now))
                ON CONFLICT (name) DO NOTHING
                """)
            // A creation racing this one on another connection fails here on the primary key
            // (`alreadyExists`), after the check above found nothing.
            try session.run(
                """
                INSERT INTO instances (id, strategy_type, account, market, mode, config, created_at, updated_at)
                VALUES (\(identity.id), \(identity.strategyType), \(identity.account), \(identity.market),
                    \(mode.rawValue), \(JSONValue.object(config).encoded()), \(now), \(now))
                """)
            let record = try Self.requireInstance(session, id: identity.id, operation: "createInstance")
            try Self.appendAudit(
                session, instanceID: identity.id, at: now, actor: actor, field: .create, old: nil,
                new: record.auditValue)
            return record
        }
    }

    public func instances() throws -> [InstanceRecord] {
        try read("instances", instanceID: nil) { session in
            try session.rows("SELECT * FROM instances ORDER BY created_at, id").map {
                try InstanceRecord(postgres: $0.makeRandomAccess())
            }
        }
    }

    public func instance(id: String) throws -> InstanceRecord? {
        try read("instance", instanceID: id) { session in try Self.fetchInstance(session, id: id) }
    }

    @discardableResult
    public func setMode(id: String, to mode: InstanceMode, actor: AuditActor) throws -> InstanceRecord {
        try write("setMode", instanceID: id) { session in
            let record = try Self.requireInstance(session, id: id, operation: "setMode", locking: true)
            guard record.mode != mode else { return record }
            let now = PostgresTime(clock())
            try session.run("UPDATE instances SET mode = \(mode.rawValue), updated_at = \(now) WHERE id = \(id)")
            try Self.appendAudit(
                session, instanceID: id, at: now, actor: actor, field: .mode,
                old: .string(record.mode.rawValue), new: .string(mode.rawValue))
            return try Self.requireInstance(session, id: id, operation: "setMode")
        }
    }

    @discardableResult
    public func setConfig(id: String, to config: [String: JSONValue], actor: AuditActor) throws -> InstanceRecord {
        try write("setConfig", instanceID: id) { session in
            let record = try Self.requireInstance(session, id: id, operation: "setConfig", locking: true)
            // Compared as canonical JSON text, so 1 and 1.0 (which read back alike) are no change.
            let oldText = JSONValue.object(record.config).encoded()
            let newText = JSONValue.object(config).encoded()
            guard oldText != newText else { return record }
            let now = PostgresTime(clock())
            try session.run("UPDATE instances SET config = \(newText), updated_at = \(now) WHERE id = \(id)")
            let updated = try Self.requireInstance(session, id: id, operation: "setConfig")
            try Self.appendAudit(
                session, instanceID: id, at: now, actor: actor, field: .config,
                old: .object(record.config), new: .object(updated.config))
            return updated
        }
    }

    public func auditLog(instanceID: String) throws -> [AuditEntry] {
        try read("auditLog", instanceID: instanceID) { session in
            try session.rows("SELECT * FROM audit_log WHERE instance_id = \(instanceID) ORDER BY id").map {
                try AuditEntry(postgres: $0.makeRandomAccess())
            }
        }
    }

    // MARK: Helpers shared by the extensions

    /// The instance `id`, or nil; with `locking`, its row stays locked until the transaction
    /// ends, so a concurrent change waits instead of being lost.
    static func fetchInstance(_ session: PostgresSession, id: String, locking: Bool = false) throws -> InstanceRecord? {
        let lock = locking ? " FOR UPDATE" : ""
        return try session.rows("SELECT * FROM instances WHERE id = \(id)\(unescaped: lock)").first.map {
            try InstanceRecord(postgres: $0.makeRandomAccess())
        }
    }

    /// The instance `id`; `notFound` if there is none.
    static func requireInstance(
        _ session: PostgresSession, id: String, operation: String, locking: Bool = false
    ) throws -> InstanceRecord {
        guard let record = try fetchInstance(session, id: id, locking: locking) else {
            throw StoreError(.notFound, "no instance \(id)", instanceID: id, operation: operation)
        }
        return record
    }

    /// Appends one audit entry (in the caller's transaction).
    static func appendAudit(
        _ session: PostgresSession, instanceID: String, at: PostgresTime, actor: AuditActor, field: AuditField,
        old: JSONValue?, new: JSONValue
    ) throws {
        try session.run(
            """
            INSERT INTO audit_log (instance_id, at, actor, field, old, new)
            VALUES (\(instanceID), \(at), \(actor.rawValue), \(field.rawValue), \(old?.encoded()), \(new.encoded()))
            """)
    }
}
