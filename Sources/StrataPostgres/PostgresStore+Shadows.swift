import Foundation
import PostgresNIO
import StrataEngine
import StrataRuntime

// Shadows (see `ShadowStore`): desired state, audited as the SQLite store does. Not fenced (the
// operator's wishes, not a node's work); `instance_shadows`' trigger moves the change token and
// notifies the engines when the write commits. Each write locks its instance's row first, so
// two writers of one instance's desired state take turns and each audits what it replaced.
extension PostgresStore {
    @discardableResult
    public func setShadow(instanceID: String, source: String?, config: [String: JSONValue], actor: AuditActor) throws -> ShadowRecord {
        try write("setShadow", instanceID: instanceID) { session in
            _ = try Self.lockInstance(session, id: instanceID, operation: "setShadow")
            let old = try Self.fetchShadow(session, instanceID: instanceID)
            let now = clock()
            guard
                let row = try session.rows(
                    """
                    INSERT INTO instance_shadows (instance_id, source, config, created_at, updated_at)
                    VALUES (\(instanceID), \(source), \(JSONValue.object(config).encoded()),
                        \(epochMilliseconds: now), \(epochMilliseconds: now))
                    ON CONFLICT (instance_id) DO UPDATE SET source = excluded.source, config = excluded.config,
                        updated_at = excluded.updated_at, promote_requested_at = NULL
                    RETURNING \(unescaped: Self.shadowColumns)
                    """
                ).first
            else { throw StoreError(.database, "the shadow was not stored", instanceID: instanceID, operation: "setShadow") }
            let shadow = try Self.shadow(row)
            try Self.appendShadowAudit(
                session, instanceID: instanceID, at: now, actor: actor, field: .shadow, old: old?.auditValue, new: shadow.auditValue)
            return shadow
        }
    }

    @discardableResult
    public func removeShadow(instanceID: String, actor: AuditActor) throws -> Bool {
        try write("removeShadow", instanceID: instanceID) { session in
            guard try Self.lockInstance(session, id: instanceID, operation: nil) != nil,
                let old = try Self.fetchShadow(session, instanceID: instanceID)
            else { return false }
            try session.run("DELETE FROM instance_shadows WHERE instance_id = \(instanceID)")
            try Self.appendShadowAudit(
                session, instanceID: instanceID, at: clock(), actor: actor, field: .shadow,
                old: old.auditValue, new: .null)
            return true
        }
    }

    public func shadows() throws -> [ShadowRecord] {
        try read("shadows", instanceID: nil) { session in
            try session.rows("SELECT \(unescaped: Self.shadowColumns) FROM instance_shadows ORDER BY instance_id").map(Self.shadow(_:))
        }
    }

    public func shadow(instanceID: String) throws -> ShadowRecord? {
        try read("shadow", instanceID: instanceID) { session in try Self.fetchShadow(session, instanceID: instanceID) }
    }

    @discardableResult
    public func requestPromotion(instanceID: String, actor: AuditActor) throws -> InstanceRecord {
        try write("requestPromotion", instanceID: instanceID) { session in
            guard let record = try Self.lockInstance(session, id: instanceID, operation: "requestPromotion") else {
                throw StoreError(.notFound, "no instance \(instanceID)", instanceID: instanceID, operation: "requestPromotion")
            }
            guard let shadow = try Self.fetchShadow(session, instanceID: instanceID) else {
                throw StoreError(.notFound, "instance \(instanceID) has no shadow to promote", instanceID: instanceID, operation: "requestPromotion")
            }
            let now = clock()
            let newText = JSONValue.object(shadow.config).encoded()
            if JSONValue.object(record.config).encoded() != newText {
                try session.run("UPDATE instances SET config = \(newText), updated_at = \(epochMilliseconds: now) WHERE id = \(instanceID)")
                try Self.appendShadowAudit(
                    session, instanceID: instanceID, at: now, actor: actor, field: .config, old: .object(record.config),
                    new: .object(shadow.config))
            }
            try session.run("UPDATE instance_shadows SET promote_requested_at = \(epochMilliseconds: now) WHERE instance_id = \(instanceID)")
            try Self.appendShadowAudit(session, instanceID: instanceID, at: now, actor: actor, field: .promote, old: nil, new: shadow.auditValue)
            guard let promoted = try Self.lockInstance(session, id: instanceID, operation: "requestPromotion") else {
                throw StoreError(.notFound, "no instance \(instanceID)", instanceID: instanceID, operation: "requestPromotion")
            }
            return promoted
        }
    }

    public func completePromotion(instanceID: String) throws {
        _ = try write("completePromotion", instanceID: instanceID) { session in
            try session.run("DELETE FROM instance_shadows WHERE instance_id = \(instanceID) AND promote_requested_at IS NOT NULL")
        }
    }

    public func shadowSignals(instanceID: String, limit: Int) throws -> [SignalRecord] {
        try read("shadowSignals", instanceID: instanceID) { session in
            try session.rows(
                """
                SELECT * FROM (
                    SELECT id, instance_id, request, time, price, reason FROM signals
                    WHERE instance_id = \(instanceID) AND shadow = 1 ORDER BY id DESC LIMIT \(Int64(max(0, limit)))
                ) AS newest ORDER BY id
                """
            ).map { row in
                let (id, instanceID, text, time, price, reason) = try row.decode((Int64, String, String, Double, Double?, String).self)
                guard let request = try? JSONDecoder().decode(OrderRequest.self, from: Data(text.utf8)) else {
                    throw Self.corruptShadowData("request", text)
                }
                var signal = SignalRecord(id: id, instanceID: instanceID, request: request, time: time, price: price, reason: reason)
                signal.shadow = true
                return signal
            }
        }
    }

    // MARK: Rows

    /// Locks the instance's row for the rest of the transaction and returns it (`NO KEY UPDATE`:
    /// the engine's history writes, which only check the key, go on meanwhile).
    /// - Throws: `notFound` when there is none and `operation` is given.
    private static func lockInstance(_ session: PostgresSession, id: String, operation: String?) throws -> InstanceRecord? {
        let row = try session.rows(
            """
            SELECT id, strategy_type, account, market, mode, config, \(unescaped: PostgresMilliseconds.readSQL("created_at")),
                \(unescaped: PostgresMilliseconds.readSQL("updated_at"))
            FROM instances WHERE id = \(id) FOR NO KEY UPDATE
            """
        ).first
        guard let row else {
            if let operation { throw StoreError(.notFound, "no instance \(id)", instanceID: id, operation: operation) }
            return nil
        }
        let (id, strategyType, account, market, modeText, configText, createdAt, updatedAt) = try row.decode(
            (String, String, String, String, String, String, Int64, Int64).self)
        guard let mode = InstanceMode(rawValue: modeText) else { throw corruptShadowData("mode", modeText) }
        guard let config = JSONValue(parsing: configText)?.objectValue else { throw corruptShadowData("config", configText) }
        return InstanceRecord(
            identity: InstanceIdentity(id: id, strategyType: strategyType, account: account, market: market), mode: mode,
            config: config, createdAt: PostgresMilliseconds.date(createdAt), updatedAt: PostgresMilliseconds.date(updatedAt))
    }

    private static let shadowColumns = """
        instance_id, source, config, \(PostgresMilliseconds.readSQL("created_at")), \(PostgresMilliseconds.readSQL("updated_at")),
        \(PostgresMilliseconds.readSQL("promote_requested_at"))
        """

    private static func fetchShadow(_ session: PostgresSession, instanceID: String) throws -> ShadowRecord? {
        try session.rows("SELECT \(unescaped: shadowColumns) FROM instance_shadows WHERE instance_id = \(instanceID)").first.map(shadow(_:))
    }

    /// A shadow from ``shadowColumns``.
    private static func shadow(_ row: PostgresRow) throws -> ShadowRecord {
        let (instanceID, source, configText, createdAt, updatedAt, promoteRequestedAt) = try row.decode(
            (String, String?, String, Int64, Int64, Int64?).self)
        guard case .object(let config) = JSONValue(parsing: configText) else { throw corruptShadowData("config", configText) }
        return ShadowRecord(
            instanceID: instanceID, source: source, config: config, createdAt: PostgresMilliseconds.date(createdAt),
            updatedAt: PostgresMilliseconds.date(updatedAt), promoteRequestedAt: promoteRequestedAt.map(PostgresMilliseconds.date))
    }

    private static func appendShadowAudit(
        _ session: PostgresSession, instanceID: String, at: Date, actor: AuditActor, field: AuditField, old: JSONValue?, new: JSONValue
    ) throws {
        try session.run(
            """
            INSERT INTO audit_log (instance_id, at, actor, field, old, new)
            VALUES (\(instanceID), \(epochMilliseconds: at), \(actor.rawValue), \(field.rawValue), \(old?.encoded()), \(new.encoded()))
            """)
    }

    private static func corruptShadowData(_ column: String, _ value: String) -> StoreError {
        StoreError(.corruptData, "column \(column) holds a value the engine cannot read: \(value.prefix(80))")
    }
}

extension ShadowRecord {
    /// What the audit log records of it (as the SQLite store).
    fileprivate var auditValue: JSONValue {
        .object(["version": version.map(JSONValue.string) ?? .null, "config": .object(config)])
    }
}
