import Foundation
import StrataEngine
import StrataRuntime

/// One event as a webhook receives it: the JSON body of the POST,
/// `{"id", "type", "at", "instance_id", "data"}`. The id is the same on every attempt, so a
/// receiver can drop a duplicate (a retry after a response that was lost).
public struct WebhookEvent: Sendable, Equatable {
    /// The most bytes of `data` posted; a larger `data` is replaced by `{"truncated": true}`.
    public static let maxDataBytes = 16_384

    public var id: String
    public var type: WebhookEventType
    public var at: Date
    /// The instance concerned (nil: none, as for a halt of every account).
    public var instanceID: String?
    public var data: JSONValue

    public init(id: String = Self.newID(), type: WebhookEventType, at: Date = Date(), instanceID: String?, data: JSONValue) {
        self.id = id
        self.type = type
        self.at = at
        self.instanceID = instanceID
        self.data = data
    }

    /// `evt_` and 32 hex digits.
    public static func newID() -> String {
        "evt_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// The POST body: compact JSON, keys sorted.
    public var body: String {
        var data = data.encoded()
        if data.utf8.count > Self.maxDataBytes { data = #"{"truncated":true}"# }
        let head = JSONValue.object([
            "id": .string(id), "type": .string(type.rawValue),
            "at": .string(WebhookEvent.timeText(at)),
            "instance_id": instanceID.map(JSONValue.string) ?? .null,
        ]).encoded()
        // `data` goes last, spliced in whole: the head's keys sort before it.
        return String(head.dropLast()) + #","data":"# + data + "}"
    }

    /// `2026-12-06T19:35:59.123Z`.
    static func timeText(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
