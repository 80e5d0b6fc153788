import Foundation
import GRDB
import StrataEngine
import StrataRuntime

// Shadows (see `ShadowStore`): desired state, audited, moving the change token.
extension SQLiteStore {
    @discardableResult
    public func setShadow(instanceID: String, source: String?, config: [String: JSONValue], actor: AuditActor) throws -> ShadowRecord {
        try write("setShadow", instanceID: instanceID) { db in
            _ = try Self.requireInstance(db, id: instanceID, operation: "setShadow")
            let old = try Self.fetchShadow(db, instanceID: instanceID)
            let now = clock()
            try db.execute(
                sql: """
                    INSERT INTO instance_shadows (instance_id, source, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT(instance_id) DO UPDATE SET source = excluded.source, config = excluded.config,
                        updated_at = excluded.updated_at, promote_requested_at = NULL
                    """, arguments: [instanceID, source, JSONValue.object(config).encoded(), now, now])
            let shadow = try Self.fetchShadow(db, instanceID: instanceID)!
            try Self.appendAudit(db, instanceID: instanceID, at: now, actor: actor, field: .shadow, old: old?.auditValue, new: shadow.auditValue)
            return shadow
        }
    }

    @discardableResult
    public func removeShadow(instanceID: String, actor: AuditActor) throws -> Bool {
        try write("removeShadow", instanceID: instanceID) { db in
            guard let old = try Self.fetchShadow(db, instanceID: instanceID) else { return false }
            try db.execute(sql: "DELETE FROM instance_shadows WHERE instance_id = ?", arguments: [instanceID])
            try Self.appendAudit(db, instanceID: instanceID, at: clock(), actor: actor, field: .shadow, old: old.auditValue, new: .null)
            return true
        }
    }

    public func shadows() throws -> [ShadowRecord] {
        try read("shadows", instanceID: nil) { db in
            try Row.fetchAll(db, sql: "SELECT * FROM instance_shadows ORDER BY instance_id").map(ShadowRecord.init(row:))
        }
    }

    public func shadow(instanceID: String) throws -> ShadowRecord? {
        try read("shadow", instanceID: instanceID) { db in try Self.fetchShadow(db, instanceID: instanceID) }
    }

    @discardableResult
    public func requestPromotion(instanceID: String, actor: AuditActor) throws -> InstanceRecord {
        try write("requestPromotion", instanceID: instanceID) { db in
            let record = try Self.requireInstance(db, id: instanceID, operation: "requestPromotion")
            guard let shadow = try Self.fetchShadow(db, instanceID: instanceID) else {
                throw StoreError(.notFound, "instance \(instanceID) has no shadow to promote", instanceID: instanceID, operation: "requestPromotion")
            }
            let now = clock()
            let newText = JSONValue.object(shadow.config).encoded()
            if JSONValue.object(record.config).encoded() != newText {
                try db.execute(sql: "UPDATE instances SET config = ?, updated_at = ? WHERE id = ?", arguments: [newText, now, instanceID])
                try Self.appendAudit(
                    db, instanceID: instanceID, at: now, actor: actor, field: .config, old: .object(record.config), new: .object(shadow.config))
            }
            try db.execute(sql: "UPDATE instance_shadows SET promote_requested_at = ? WHERE instance_id = ?", arguments: [now, instanceID])
            try Self.appendAudit(db, instanceID: instanceID, at: now, actor: actor, field: .promote, old: nil, new: shadow.auditValue)
            return try Self.requireInstance(db, id: instanceID, operation: "requestPromotion")
        }
    }

    public func completePromotion(instanceID: String) throws {
        try write("completePromotion", instanceID: instanceID) { db in
            try db.execute(
                sql: "DELETE FROM instance_shadows WHERE instance_id = ? AND promote_requested_at IS NOT NULL", arguments: [instanceID])
        }
    }

    static func fetchShadow(_ db: Database, instanceID: String) throws -> ShadowRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM instance_shadows WHERE instance_id = ?", arguments: [instanceID]).map(ShadowRecord.init(row:))
    }
}

extension ShadowRecord {
    init(row: Row) throws {
        guard case .object(let config) = try row.json("config") else { throw Row.corrupt("config", "not an object") }
        self.init(
            instanceID: try row.decode(forColumn: "instance_id"), source: try row.decode(forColumn: "source"), config: config,
            createdAt: try row.decode(forColumn: "created_at"), updatedAt: try row.decode(forColumn: "updated_at"),
            promoteRequestedAt: try row.decode(forColumn: "promote_requested_at"))
    }

    /// What the audit log records of it.
    var auditValue: JSONValue {
        .object(["version": version.map(JSONValue.string) ?? .null, "config": .object(config)])
    }
}
