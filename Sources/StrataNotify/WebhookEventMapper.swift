import Foundation
import StrataEngine
import StrataRuntime

/// Turns engine events into webhook events: a filled order is a `fill`, a signal the risk gate
/// made a `risk_refusal`, a status gone to `error` an `instance_error` (a quarantine is one, of
/// kind `quarantined`), a mode event a `mode_change`, a log line of level `notify` a `notify`,
/// a `control` event of the kill switch (as an engine applied it) a `halt` or a `resume` (an
/// account's funding or reset is not for webhooks).
/// Everything else is not for webhooks. Pure: no state, no I/O.
public enum WebhookEventMapper {
    /// The engine event kinds that can become webhook events of `types`.
    public static func kinds(for types: Set<WebhookEventType>) -> Set<EngineEvent.Kind> {
        var kinds = Set<EngineEvent.Kind>()
        if types.contains(.fill) { kinds.insert(.order) }
        if types.contains(.riskRefusal) { kinds.insert(.signal) }
        if types.contains(.instanceError) { kinds.insert(.status) }
        if types.contains(.modeChange) { kinds.insert(.mode) }
        if types.contains(.notify) { kinds.insert(.log) }
        if types.contains(.halt) || types.contains(.resume) { kinds.insert(.control) }
        return kinds
    }

    /// The webhook event for `event`, or nil when it is not one.
    public static func webhookEvent(for event: EngineEvent) -> WebhookEvent? {
        let instance = event.instanceID
        switch event.payload {
        case .order(let order):
            guard order.status == .filled else { return nil }
            return WebhookEvent(
                type: .fill, at: event.at, instanceID: instance,
                data: .object([
                    "order_id": .string(order.id), "market": .string(order.market), "side": .string(order.request.side.rawValue),
                    "type": .string(order.request.type.rawValue), "quantity": number(order.filledQuantity),
                    "price": number(order.averagePrice), "fee": number(order.fee), "tag": order.request.tag.map(JSONValue.string) ?? .null,
                    "time": number(order.filledAt ?? order.createdAt),
                ]))
        case .signal(let signal):
            guard let rule = signal.rule else { return nil }
            return WebhookEvent(
                type: .riskRefusal, at: event.at, instanceID: instance,
                data: .object([
                    "rule": .string(rule.rawValue), "reason": .string(signal.reason), "side": .string(signal.request.side.rawValue),
                    "type": .string(signal.request.type.rawValue), "quantity": number(signal.request.quantity),
                    "limit_price": number(signal.request.price), "price": number(signal.price), "time": number(signal.time),
                ]))
        case .status(let status):
            guard status.state == .error else { return nil }
            let failure = status.lastError
            return WebhookEvent(
                type: .instanceError, at: event.at, instanceID: instance,
                data: .object([
                    "state": .string(status.state.rawValue), "kind": .string(failure?.kind ?? "unknown"),
                    "message": .string(failure?.message ?? ""), "version": status.version.map(JSONValue.string) ?? .null,
                ]))
        case .mode(let change):
            return WebhookEvent(
                type: .modeChange, at: event.at, instanceID: instance,
                data: .object(["old": .string(change.old.rawValue), "new": .string(change.new.rawValue)]))
        case .log(let entry):
            guard entry.level == .notify else { return nil }
            return WebhookEvent(
                type: .notify, at: event.at, instanceID: instance,
                data: .object(["text": .string(NotifyRateLimit.cut(entry.message)), "time": number(entry.time)]))
        case .control(let change):
            // Only the kill switch's changes: an account's funding or reset is no halt.
            switch change.objectValue?["action"]?.stringValue {
            case "halt"?: return WebhookEvent(type: .halt, at: event.at, instanceID: instance, data: change)
            case "resume"?: return WebhookEvent(type: .resume, at: event.at, instanceID: instance, data: change)
            default: return nil
            }
        case .research:
            return nil
        }
    }

    private static func number(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }
}
