import Foundation
import StrataRuntime

/// One line of a webhook's delivery log: an attempt to POST one event, or events the queue
/// dropped. The store keeps the newest ``keptPerWebhook`` per webhook.
public struct WebhookDelivery: Sendable, Equatable {
    /// How the attempt ended.
    public enum Outcome: String, Sendable, Codable, CaseIterable {
        /// The receiver answered 2xx.
        case delivered
        /// It failed and will be tried again after a backoff.
        case retrying
        /// It failed and no attempt is left (or the answer was one that retrying cannot fix).
        case failed
        /// The queue was full: older events were dropped (`error` says how many).
        case dropped
    }

    /// How many lines the store keeps per webhook.
    public static let keptPerWebhook = 1_000
    /// The longest error text stored (bytes).
    public static let maxErrorBytes = 500

    /// Assigned by the store (0 before).
    public var id: Int64
    public var webhookID: Int64
    /// The event's id (the same on every attempt; receivers use it to drop duplicates).
    public var eventID: String
    public var eventType: WebhookEventType
    /// 1 for the first try; 0 for a `dropped` line.
    public var attempt: Int
    public var at: Date
    public var outcome: Outcome
    /// The receiver's HTTP status, when it answered.
    public var statusCode: Int?
    /// What went wrong (connection refused, timeout, the status), when something did.
    public var error: String?
    /// How long the attempt took.
    public var durationMilliseconds: Double

    public init(
        id: Int64 = 0, webhookID: Int64, eventID: String, eventType: WebhookEventType, attempt: Int, at: Date,
        outcome: Outcome, statusCode: Int? = nil, error: String? = nil, durationMilliseconds: Double = 0
    ) {
        self.id = id
        self.webhookID = webhookID
        self.eventID = eventID
        self.eventType = eventType
        self.attempt = attempt
        self.at = at
        self.outcome = outcome
        self.statusCode = statusCode
        self.error = error.map { $0.utf8.count > Self.maxErrorBytes ? String(decoding: $0.utf8.prefix(Self.maxErrorBytes), as: UTF8.self) : $0 }
        self.durationMilliseconds = durationMilliseconds.isFinite ? max(0, durationMilliseconds) : 0
    }

    /// As the API and the CLI show it.
    public var json: JSONValue {
        .object([
            "id": .integer(id), "webhook_id": .integer(webhookID), "event_id": .string(eventID),
            "event_type": .string(eventType.rawValue), "attempt": .integer(Int64(attempt)),
            "at": .string(ISO8601DateFormatter.withMilliseconds.string(from: at)), "outcome": .string(outcome.rawValue),
            "status_code": statusCode.map { .integer(Int64($0)) } ?? .null, "error": error.map(JSONValue.string) ?? .null,
            "duration_ms": .number((durationMilliseconds * 10).rounded() / 10),
        ])
    }
}

extension ISO8601DateFormatter {
    /// `2026-12-06T19:35:59.123Z`.
    static var withMilliseconds: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }
}
