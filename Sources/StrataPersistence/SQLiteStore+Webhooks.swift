import Foundation
import GRDB
import StrataEngine
import StrataRuntime

/// The webhook tables (migration v8): the webhooks, their delivery logs, and the audit of their
/// changes. Deleting a webhook deletes its delivery log; the audit keeps its lines.
enum WebhookSchema {
    static let sqlite = """
        CREATE TABLE webhooks (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            url TEXT NOT NULL CHECK (url <> ''),
            events TEXT NOT NULL CHECK (json_valid(events) AND json_type(events) = 'array'),
            secret TEXT,
            enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
            created_at DATETIME NOT NULL
        );
        CREATE TABLE webhook_deliveries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
            event_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            attempt INTEGER NOT NULL CHECK (attempt >= 0),
            at DATETIME NOT NULL,
            outcome TEXT NOT NULL CHECK (outcome IN ('delivered', 'retrying', 'failed', 'dropped')),
            status_code INTEGER,
            error TEXT,
            duration_ms REAL NOT NULL DEFAULT 0
        );
        CREATE INDEX webhook_deliveries_on_webhook ON webhook_deliveries(webhook_id, id);
        CREATE TABLE webhook_audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at DATETIME NOT NULL,
            actor TEXT NOT NULL CHECK (actor <> ''),
            webhook_id INTEGER NOT NULL,
            action TEXT NOT NULL CHECK (action IN ('add', 'remove')),
            webhook TEXT NOT NULL CHECK (json_valid(webhook))
        );
        CREATE TRIGGER webhook_audit_no_update BEFORE UPDATE ON webhook_audit
        BEGIN SELECT RAISE(ABORT, 'the webhook audit is append-only'); END;
        CREATE TRIGGER webhook_audit_no_delete BEFORE DELETE ON webhook_audit
        BEGIN SELECT RAISE(ABORT, 'the webhook audit is append-only'); END;
        """
}

// Webhooks (see `WebhookStore`): not the instances' desired state, so no change token moves.
extension SQLiteStore: WebhookStore {
    @discardableResult
    public func addWebhook(_ spec: WebhookSpec, actor: AuditActor) throws -> Webhook {
        try write("addWebhook", instanceID: nil) { db in
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM webhooks") ?? 0
            guard count < WebhookSpec.maxWebhooks else {
                throw StoreError(.invalidArgument, "there are \(count) webhooks already, the most kept; remove one first")
            }
            let now = clock()
            let events = JSONValue.array(spec.events.map { .string($0.rawValue) }).encoded()
            try db.execute(
                sql: "INSERT INTO webhooks (url, events, secret, enabled, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [spec.url, events, spec.secret, spec.enabled, StorageDate.value(now)])
            let stored = try Row.fetchOne(db, sql: "SELECT * FROM webhooks WHERE id = ?", arguments: [db.lastInsertedRowID])
            let webhook = try Webhook(row: try stored ?? { throw StoreError(.database, "the webhook just added is gone") }())
            try Self.audit(db, at: now, actor: actor, webhook: webhook, action: .add)
            return webhook
        }
    }

    public func webhooks() throws -> [Webhook] {
        try read("webhooks", instanceID: nil) { db in
            try Row.fetchAll(db, sql: "SELECT * FROM webhooks ORDER BY id").map(Webhook.init(row:))
        }
    }

    @discardableResult
    public func removeWebhook(id: Int64, actor: AuditActor) throws -> Bool {
        try write("removeWebhook", instanceID: nil) { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM webhooks WHERE id = ?", arguments: [id]) else { return false }
            let webhook = try Webhook(row: row)
            try db.execute(sql: "DELETE FROM webhooks WHERE id = ?", arguments: [id])
            try Self.audit(db, at: clock(), actor: actor, webhook: webhook, action: .remove)
            return true
        }
    }

    public func appendDeliveries(_ deliveries: [WebhookDelivery]) throws {
        guard !deliveries.isEmpty else { return }
        try write("appendDeliveries", instanceID: nil) { db in
            let existing = Set(try Int64.fetchAll(db, sql: "SELECT id FROM webhooks"))
            var touched = Set<Int64>()
            for line in deliveries where existing.contains(line.webhookID) {
                try db.execute(
                    sql: """
                        INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, attempt, at, outcome, status_code, error, duration_ms)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        line.webhookID, line.eventID, line.eventType.rawValue, line.attempt, StorageDate.value(line.at),
                        line.outcome.rawValue, line.statusCode, line.error, line.durationMilliseconds,
                    ])
                touched.insert(line.webhookID)
            }
            for webhookID in touched {
                try db.execute(
                    sql: """
                        DELETE FROM webhook_deliveries WHERE webhook_id = ? AND id <= (
                            SELECT id FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)
                        """, arguments: [webhookID, webhookID, WebhookDelivery.keptPerWebhook])
            }
        }
    }

    public func deliveries(webhookID: Int64, limit: Int) throws -> [WebhookDelivery] {
        try read("deliveries", instanceID: nil) { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?",
                arguments: [webhookID, max(0, limit)]
            ).map(WebhookDelivery.init(row:))
        }
    }

    public func webhookAudit(limit: Int) throws -> [WebhookAuditEntry] {
        try read("webhookAudit", instanceID: nil) { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM (SELECT * FROM webhook_audit ORDER BY id DESC LIMIT ?) ORDER BY id", arguments: [max(0, limit)]
            ).map { row in
                WebhookAuditEntry(
                    id: try row.decode(forColumn: "id"), at: try row.decode(forColumn: "at"),
                    actor: AuditActor(rawValue: try row.decode(forColumn: "actor")), webhookID: try row.decode(forColumn: "webhook_id"),
                    action: try row.enumValue("action"), webhook: try row.json("webhook"))
            }
        }
    }

    private static func audit(_ db: Database, at: Date, actor: AuditActor, webhook: Webhook, action: WebhookAuditEntry.Action) throws {
        try db.execute(
            sql: "INSERT INTO webhook_audit (at, actor, webhook_id, action, webhook) VALUES (?, ?, ?, ?, ?)",
            arguments: [StorageDate.value(at), actor.rawValue, webhook.id, action.rawValue, webhook.json.encoded()])
    }
}

extension Webhook {
    init(row: Row) throws {
        let names = try row.json("events")
        guard case .array(let items) = names else { throw Row.corrupt("events", names.encoded()) }
        let events = try items.map { item in
            guard case .string(let name) = item, let type = WebhookEventType(rawValue: name) else { throw Row.corrupt("events", names.encoded()) }
            return type
        }
        self.init(
            id: try row.decode(forColumn: "id"), url: try row.decode(forColumn: "url"), events: events,
            secret: try row.decode(forColumn: "secret"), enabled: try row.decode(forColumn: "enabled"),
            createdAt: try row.decode(forColumn: "created_at"))
    }
}

extension WebhookDelivery {
    init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"), webhookID: try row.decode(forColumn: "webhook_id"),
            eventID: try row.decode(forColumn: "event_id"), eventType: try row.enumValue("event_type"),
            attempt: try row.decode(forColumn: "attempt"), at: try row.decode(forColumn: "at"), outcome: try row.enumValue("outcome"),
            statusCode: try row.decode(forColumn: "status_code"), error: try row.decode(forColumn: "error"),
            durationMilliseconds: try row.decode(forColumn: "duration_ms"))
    }
}
