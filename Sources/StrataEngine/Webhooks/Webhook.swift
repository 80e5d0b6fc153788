import Foundation
import StrataRuntime

/// What a webhook can be told about. The raw values are the names the CLI, the API and the
/// posted events use.
public enum WebhookEventType: String, Sendable, Codable, CaseIterable, Comparable {
    /// An order filled (the paper broker fills an order whole).
    case fill
    /// The risk gate refused an order (the script got `nil, reason`).
    case riskRefusal = "risk_refusal"
    /// An instance failed: its status went to `error` (a quarantine is one, of kind `quarantined`).
    case instanceError = "instance_error"
    /// An instance's mode changed (off, observe, active).
    case modeChange = "mode_change"
    /// Trading was halted (the kill switch).
    case halt
    /// Trading was resumed.
    case resume
    /// A strategy called `context.notify(text)`.
    case notify

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The names, comma-separated, for messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// A configured receiver of webhook events: where to POST, which events, the secret that signs
/// them. Desired state, kept in the store (``WebhookStore``).
public struct Webhook: Sendable, Equatable {
    /// Assigned by the store, increasing.
    public var id: Int64
    /// An `http` or `https` URL (see ``WebhookSpec``).
    public var url: String
    /// The events it receives, in ``WebhookEventType`` order, at least one.
    public var events: [WebhookEventType]
    /// The HMAC-SHA256 key of the signature header; nil: events are posted unsigned. Never shown.
    public var secret: String?
    /// A disabled webhook keeps its configuration and receives nothing.
    public var enabled: Bool
    public var createdAt: Date

    public init(id: Int64, url: String, events: [WebhookEventType], secret: String?, enabled: Bool, createdAt: Date) {
        self.id = id
        self.url = url
        self.events = events
        self.secret = secret
        self.enabled = enabled
        self.createdAt = createdAt
    }

    /// Whether it wants events of `type`.
    public func wants(_ type: WebhookEventType) -> Bool {
        enabled && events.contains(type)
    }

    /// As the API and the CLI show it: everything but the secret, and whether there is one.
    public var json: JSONValue {
        .object([
            "id": .integer(id), "url": .string(url), "events": .array(events.map { .string($0.rawValue) }),
            "has_secret": .bool(secret != nil), "enabled": .bool(enabled),
            "created_at": .string(ISO8601DateFormatter().string(from: createdAt)),
        ])
    }
}
