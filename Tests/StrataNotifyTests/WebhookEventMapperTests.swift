import Foundation
import StrataEngine
import StrataRuntime
import Testing

@testable import StrataNotify

/// Which engine events become which webhook events, and the pieces the notifier is built of.
@Suite struct WebhookEventMapperTests {
    static let request = OrderRequest(side: .buy, quantity: 2)

    @Test func anAccountsFundingOrResetIsNoHalt() {
        for action in ["fund", "reset"] {
            let change: JSONValue = .object(["action": .string(action), "account": .string("desk"), "base_cash": .number(1_000)])
            #expect(WebhookEventMapper.webhookEvent(for: EngineEvent(instanceID: "", payload: .control(change))) == nil)
        }
        let halt: JSONValue = .object(["action": .string("halt"), "account": .null])
        #expect(WebhookEventMapper.webhookEvent(for: EngineEvent(instanceID: "", payload: .control(halt)))?.type == .halt)
    }

    @Test func fillsRefusalsErrorsModesAndNotificationsMapAndNothingElseDoes() throws {
        var order = Order(id: "o-1", instanceID: "a", market: "X/USD", request: Self.request, status: .open, createdAt: 5)
        #expect(WebhookEventMapper.webhookEvent(for: EngineEvent(instanceID: "a", payload: .order(order))) == nil)
        order.status = .filled
        order.filledQuantity = 2
        order.averagePrice = 101.5
        order.filledAt = 6
        let fill = try #require(WebhookEventMapper.webhookEvent(for: EngineEvent(instanceID: "a", payload: .order(order))))
        #expect(fill.type == .fill && fill.instanceID == "a")
        #expect(fill.data["price"] == .number(101.5) && fill.data["order_id"] == .string("o-1") && fill.data["side"] == .string("buy"))

        let observed = SignalRecord(instanceID: "a", request: Self.request, time: 1, price: 100)
        #expect(WebhookEventMapper.webhookEvent(for: EngineEvent(instanceID: "a", payload: .signal(observed))) == nil)
        let refused = SignalRecord(
            instanceID: "a", request: Self.request, time: 1, price: .nan, reason: "refused by risk: instance max_position (|3| > 2)",
            rule: .maxPosition)
        let refusal = try #require(WebhookEventMapper.webhookEvent(for: EngineEvent(instanceID: "a", payload: .signal(refused))))
        #expect(refusal.type == .riskRefusal && refusal.data["reason"] == .string(refused.reason))
        #expect(refusal.data["rule"] == .string("max_position"))
        #expect(refusal.data["price"] == .null)

        #expect(WebhookEventMapper.webhookEvent(for: EngineEvent(instanceID: "a", payload: .status(InstanceStatus(instanceID: "a", state: .running)))) == nil)
        let failed = InstanceStatus(instanceID: "a", state: .error, lastError: .init(message: "quarantined: boom", kind: "quarantined"))
        let error = try #require(WebhookEventMapper.webhookEvent(for: EngineEvent(instanceID: "a", payload: .status(failed))))
        #expect(error.type == .instanceError && error.data["kind"] == .string("quarantined"))

        let mode = try #require(
            WebhookEventMapper.webhookEvent(for: EngineEvent(instanceID: "a", payload: .mode(ModeChange(instanceID: "a", old: .observe, new: .active)))))
        #expect(mode.type == .modeChange && mode.data == .object(["old": .string("observe"), "new": .string("active")]))

        #expect(WebhookEventMapper.webhookEvent(for: .notify("a", "hi"))?.data["text"] == .string("hi"))
        let info = EngineEvent(instanceID: "a", payload: .log(InstanceLogEntry(instanceID: "a", time: 1, level: .info, message: "x")))
        #expect(WebhookEventMapper.webhookEvent(for: info) == nil)
        #expect(WebhookEventMapper.webhookEvent(for: EngineEvent(instanceID: "", payload: .research(.object([:])))) == nil)

        #expect(WebhookEventMapper.kinds(for: [.fill, .notify]) == [.order, .log])
        #expect(WebhookEventMapper.kinds(for: [.halt, .resume]) == [.control])

        // The kill switch as an engine applied it: a halt, then a resume
        for action in ["halt", "resume"] {
            let change: JSONValue = .object(["action": .string(action), "account": .null, "cancelled_orders": .integer(3)])
            let event = try #require(WebhookEventMapper.webhookEvent(for: EngineEvent(instanceID: "", payload: .control(change))))
            #expect(event.type == (action == "halt" ? .halt : .resume) && event.data == change)
        }
    }

    @Test func theBodyIsOneJSONObjectAndHugeDataIsReplaced() throws {
        let event = WebhookEvent(id: "evt_1", type: .halt, at: Date(timeIntervalSince1970: 0.25), instanceID: nil, data: .object(["k": .string("\u{0}\"\n")]))
        let body = try #require(JSONValue(parsing: event.body))
        #expect(
            body
                == .object([
                    "id": .string("evt_1"), "type": .string("halt"), "at": .string("1970-01-01T00:00:00.250Z"), "instance_id": .null,
                    "data": .object(["k": .string("\u{0}\"\n")]),
                ]))
        let huge = WebhookEvent(type: .notify, instanceID: "a", data: .object(["text": .string(String(repeating: "x", count: 100_000))]))
        #expect(JSONValue(parsing: huge.body)?["data"] == .object(["truncated": .bool(true)]))
    }

    @Test func theQueueDropsTheOldestAndSaysHowMany() {
        var queue = DeliveryQueue(capacity: 2)
        for index in 0..<5 { queue.push(WebhookEvent(id: "e\(index)", type: .notify, instanceID: nil, data: .null)) }
        var taken = queue.take()
        #expect(taken.event?.id == "e3" && taken.dropped == 3 && taken.lastDropped?.id == "e2")
        taken = queue.take()
        #expect(taken.event?.id == "e4" && taken.dropped == 0)
        #expect(queue.take().event == nil)
        #expect(queue.droppedTotal == 3)
        // Long runs stay O(1) per push and keep order
        for index in 0..<10_000 { queue.push(WebhookEvent(id: "f\(index)", type: .notify, instanceID: nil, data: .null)) }
        #expect(queue.count == 2 && queue.take().event?.id == "f9998")
    }

    @Test func backoffGrowsIsCappedAndJittered() {
        let policy = RetryPolicy(maxAttempts: 5, baseDelay: 1, maxDelay: 5)
        #expect(policy.delay(after: 1, jitter: 1) == 1)
        #expect(policy.delay(after: 2, jitter: 1) == 2)
        #expect(policy.delay(after: 3, jitter: 0) == 2)
        #expect(policy.delay(after: 10, jitter: 1) == 5)
        #expect(policy.delay(after: 1_000, jitter: 1) == 5)
        #expect(RetryPolicy.isRetryable(status: nil) && RetryPolicy.isRetryable(status: 503) && RetryPolicy.isRetryable(status: 429))
        #expect(!RetryPolicy.isRetryable(status: 400) && !RetryPolicy.isRetryable(status: 301))
    }

    @Test func theNotifiersOwnBoundHoldsPerInstanceAndForgetsOldWindows() {
        var bound = NotifyGuard()
        var admitted = (0..<20).map { bound.admit("a", at: Double($0)) }
        #expect(admitted.allSatisfy { $0 })
        admitted = [bound.admit("a", at: 30), bound.admit("b", at: 30), bound.admit("a", at: 60)]
        #expect(admitted == [false, true, true])
        #expect(bound.refused == 1)
        // A clock gone far back (the stored times are in its future) does not lock anyone out
        let back = bound.admit("a", at: -1_000)
        #expect(back)
    }
}
