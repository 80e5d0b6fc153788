import Foundation
import StrataRuntime

/// Where the webhooks and their delivery logs live. Same rules as ``InstanceStore``:
/// thread-safe, one transaction per call, ``StoreError`` on failure. Webhooks are not the
/// instances' desired state: writing them moves no change token and wakes no engine (the
/// notifier reads them again every few seconds).
public protocol WebhookStore: Sendable {
    /// Stores a new webhook and appends an `add` line to the webhook audit, atomically.
    /// - Throws: ``StoreError/Code/invalidArgument`` when ``WebhookSpec/maxWebhooks`` are stored already.
    /// - Returns: the stored webhook, with its id.
    @discardableResult
    func addWebhook(_ spec: WebhookSpec, actor: AuditActor) throws -> Webhook

    /// Every webhook, by id.
    func webhooks() throws -> [Webhook]

    /// Deletes a webhook with its delivery log, and appends a `remove` line to the audit.
    /// - Returns: whether there was one.
    @discardableResult
    func removeWebhook(id: Int64, actor: AuditActor) throws -> Bool

    /// Appends delivery lines, then keeps the newest ``WebhookDelivery/keptPerWebhook`` of each
    /// webhook written to. Lines of a webhook removed meanwhile are skipped.
    func appendDeliveries(_ deliveries: [WebhookDelivery]) throws

    /// The newest `limit` delivery lines of a webhook, newest first.
    func deliveries(webhookID: Int64, limit: Int) throws -> [WebhookDelivery]

    /// The newest `limit` lines of the webhook audit, oldest first.
    func webhookAudit(limit: Int) throws -> [WebhookAuditEntry]
}

/// A change to the webhooks: who added or removed which, when. The secret is never recorded.
public struct WebhookAuditEntry: Sendable, Equatable {
    public enum Action: String, Sendable, Codable, CaseIterable {
        case add
        case remove
    }

    public var id: Int64
    public var at: Date
    public var actor: AuditActor
    public var webhookID: Int64
    public var action: Action
    /// The webhook as ``Webhook/json`` shows it (no secret).
    public var webhook: JSONValue

    public init(id: Int64, at: Date, actor: AuditActor, webhookID: Int64, action: Action, webhook: JSONValue) {
        self.id = id
        self.at = at
        self.actor = actor
        self.webhookID = webhookID
        self.action = action
        self.webhook = webhook
    }
}
