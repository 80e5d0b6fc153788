import Foundation
import PostgresNIO
import StrataEngine
import StrataRuntime

extension PostgresSchema {
    /// The webhook tables (migration v8): the SQLite store's, column for column.
    static let webhooks = """
        CREATE TABLE webhooks (
            id bigserial PRIMARY KEY,
            url text NOT NULL CHECK (url <> ''),
            events text NOT NULL CHECK (strata_is_json(events) AND jsonb_typeof(events::jsonb) = 'array'),
            secret text,
            enabled integer NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
            created_at timestamptz NOT NULL
        );
        CREATE TABLE webhook_deliveries (
            id bigserial PRIMARY KEY,
            webhook_id bigint NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
            event_id text NOT NULL,
            event_type text NOT NULL,
            attempt integer NOT NULL CHECK (attempt >= 0),
            at timestamptz NOT NULL,
            outcome text NOT NULL CHECK (outcome IN ('delivered', 'retrying', 'failed', 'dropped')),
            status_code integer,
            error text,
            duration_ms double precision NOT NULL DEFAULT 0
        );
        CREATE INDEX webhook_deliveries_on_webhook ON webhook_deliveries(webhook_id, id);
        CREATE TABLE webhook_audit (
            id bigserial PRIMARY KEY,
            at timestamptz NOT NULL,
            actor text NOT NULL CHECK (actor <> ''),
            webhook_id bigint NOT NULL,
            action text NOT NULL CHECK (action IN ('add', 'remove')),
            webhook text NOT NULL CHECK (strata_is_json(webhook))
        );
        CREATE TRIGGER webhook_audit_append_only BEFORE UPDATE OR DELETE ON webhook_audit
        FOR EACH ROW EXECUTE FUNCTION strata_append_only();
        """
}

// Webhooks (see `WebhookStore`): not desired state (no NOTIFY) and not a node's fenced work.
extension PostgresStore: WebhookStore {
    @discardableResult
    public func addWebhook(_ spec: WebhookSpec, actor: AuditActor) throws -> Webhook {
        try write("addWebhook", instanceID: nil) { session in
            // One writer at a time, so two adds cannot both pass the count.
            try session.run("LOCK TABLE webhooks IN SHARE ROW EXCLUSIVE MODE")
            let count = try session.rows("SELECT count(*) AS n FROM webhooks").first?.makeRandomAccess().value("n", as: Int64.self) ?? 0
            guard count < WebhookSpec.maxWebhooks else {
                throw StoreError(.invalidArgument, "there are \(count) webhooks already, the most kept; remove one first")
            }
            let now = clock()
            let events = JSONValue.array(spec.events.map { .string($0.rawValue) }).encoded()
            guard
                let row = try session.rows(
                    """
                    INSERT INTO webhooks (url, events, secret, enabled, created_at)
                    VALUES (\(spec.url), \(events), \(spec.secret), \(Int32(spec.enabled ? 1 : 0)), \(epochMilliseconds: now))
                    RETURNING \(unescaped: Self.webhookColumns)
                    """
                ).first
            else { throw StoreError(.database, "the webhook just added is gone") }
            let webhook = try Self.webhook(row)
            try Self.auditWebhook(session, at: now, actor: actor, webhook: webhook, action: .add)
            return webhook
        }
    }

    public func webhooks() throws -> [Webhook] {
        try read("webhooks", instanceID: nil) { session in
            try session.rows("SELECT \(unescaped: Self.webhookColumns) FROM webhooks ORDER BY id").map(Self.webhook(_:))
        }
    }

    @discardableResult
    public func removeWebhook(id: Int64, actor: AuditActor) throws -> Bool {
        try write("removeWebhook", instanceID: nil) { session in
            guard let row = try session.rows("DELETE FROM webhooks WHERE id = \(id) RETURNING \(unescaped: Self.webhookColumns)").first else {
                return false
            }
            try Self.auditWebhook(session, at: clock(), actor: actor, webhook: try Self.webhook(row), action: .remove)
            return true
        }
    }

    public func appendDeliveries(_ deliveries: [WebhookDelivery]) throws {
        guard !deliveries.isEmpty else { return }
        try write("appendDeliveries", instanceID: nil) { session in
            let existing = Set(try session.rows("SELECT id FROM webhooks").map { try $0.makeRandomAccess().value("id", as: Int64.self) })
            var touched = Set<Int64>()
            for line in deliveries where existing.contains(line.webhookID) {
                try session.run(
                    """
                    INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, attempt, at, outcome, status_code, error, duration_ms)
                    VALUES (\(line.webhookID), \(line.eventID), \(line.eventType.rawValue), \(Int32(clamping: line.attempt)),
                        \(epochMilliseconds: line.at), \(line.outcome.rawValue), \(line.statusCode.map { Int32(clamping: $0) }),
                        \(line.error), \(line.durationMilliseconds))
                    """)
                touched.insert(line.webhookID)
            }
            for webhookID in touched.sorted() {
                try session.run(
                    """
                    DELETE FROM webhook_deliveries WHERE webhook_id = \(webhookID) AND id <= (
                        SELECT id FROM webhook_deliveries WHERE webhook_id = \(webhookID)
                        ORDER BY id DESC LIMIT 1 OFFSET \(Int64(WebhookDelivery.keptPerWebhook)))
                    """)
            }
        }
    }

    public func deliveries(webhookID: Int64, limit: Int) throws -> [WebhookDelivery] {
        try read("deliveries", instanceID: nil) { session in
            try session.rows(
                """
                SELECT id, webhook_id, event_id, event_type, attempt, \(unescaped: PostgresMilliseconds.readSQL("at")) AS at_ms, outcome,
                    status_code, error, duration_ms
                FROM webhook_deliveries WHERE webhook_id = \(webhookID) ORDER BY id DESC LIMIT \(Int64(max(0, limit)))
                """
            ).map { row in
                let row = row.makeRandomAccess()
                return WebhookDelivery(
                    id: try row.value("id"), webhookID: try row.value("webhook_id"), eventID: try row.value("event_id"),
                    eventType: try row.enumValue("event_type"), attempt: Int(try row.value("attempt", as: Int32.self)),
                    at: PostgresMilliseconds.date(try row.value("at_ms")), outcome: try row.enumValue("outcome"),
                    statusCode: try row.value("status_code", as: Int32?.self).map(Int.init), error: try row.value("error"),
                    durationMilliseconds: try row.value("duration_ms"))
            }
        }
    }

    public func webhookAudit(limit: Int) throws -> [WebhookAuditEntry] {
        try read("webhookAudit", instanceID: nil) { session in
            try session.rows(
                """
                SELECT * FROM (SELECT id, \(unescaped: PostgresMilliseconds.readSQL("at")) AS at_ms, actor, webhook_id, action, webhook
                    FROM webhook_audit ORDER BY id DESC LIMIT \(Int64(max(0, limit)))) AS newest
                ORDER BY id
                """
            ).map { row in
                let row = row.makeRandomAccess()
                return WebhookAuditEntry(
                    id: try row.value("id"), at: PostgresMilliseconds.date(try row.value("at_ms")),
                    actor: AuditActor(rawValue: try row.value("actor")), webhookID: try row.value("webhook_id"),
                    action: try row.enumValue("action"), webhook: try row.json("webhook"))
            }
        }
    }

    private static let webhookColumns =
        "id, url, events, secret, enabled, \(PostgresMilliseconds.readSQL("created_at")) AS created_ms"

    private static func webhook(_ row: PostgresRow) throws -> Webhook {
        let row = row.makeRandomAccess()
        let names = try row.json("events")
        guard case .array(let items) = names else { throw PostgresRandomAccessRow.corrupt("events", names.encoded()) }
        let events = try items.map { item in
            guard case .string(let name) = item, let type = WebhookEventType(rawValue: name) else {
                throw PostgresRandomAccessRow.corrupt("events", names.encoded())
            }
            return type
        }
        return Webhook(
            id: try row.value("id"), url: try row.value("url"), events: events, secret: try row.value("secret"),
            enabled: try row.value("enabled", as: Int32.self) != 0, createdAt: PostgresMilliseconds.date(try row.value("created_ms")))
    }

    private static func auditWebhook(
        _ session: PostgresSession, at: Date, actor: AuditActor, webhook: Webhook, action: WebhookAuditEntry.Action
    ) throws {
        try session.run(
            """
            INSERT INTO webhook_audit (at, actor, webhook_id, action, webhook)
            VALUES (\(epochMilliseconds: at), \(actor.rawValue), \(webhook.id), \(action.rawValue), \(webhook.json.encoded()))
            """)
    }
}
