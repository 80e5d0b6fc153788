import Crypto
import Foundation
import StrataEngine
import StrataRuntime
import Testing

@testable import StrataNotify

/// Deliveries against a real receiver on loopback: signed, retried, timed out, refused, dropped.
@Suite struct NotifierDeliveryTests {
    @Test func anEventIsDeliveredWithASignatureTheReceiverCanCheck() async throws {
        // Given a receiver and a webhook for notify events with a secret
        let receiver = try await WebhookReceiver()
        let fixture = try NotifyFixture()
        let webhook = try await fixture.add(url: receiver.url, events: ["notify"], secret: "s3cret ✓")

        // When an instance notifies, and logs a plain line (not for webhooks)
        fixture.events.publish([.notify("bot-1", "price crossed 100 \"quoted\"\n✓")])
        fixture.events.publish([
            EngineEvent(instanceID: "bot-1", payload: .log(InstanceLogEntry(instanceID: "bot-1", time: 1, level: .info, message: "plain")))
        ])

        // Then the receiver gets one POST whose signature is HMAC-SHA256(secret, "t.body")
        #expect(await receiver.waitFor(1))
        try await Task.sleep(for: .milliseconds(200))
        let requests = receiver.requests
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        let header = try #require(request.headers["strata-signature"])
        let parts = Dictionary(
            uniqueKeysWithValues: header.split(separator: ",").map { $0.split(separator: "=", maxSplits: 1).map(String.init) }.map { ($0[0], $0[1]) })
        let timestamp = try #require(parts["t"].flatMap { Int64($0) })
        #expect(abs(Double(timestamp) - Date().timeIntervalSince1970) < 30)
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(request.body)".utf8), using: SymmetricKey(data: Data("s3cret ✓".utf8)))
        #expect(parts["v1"] == mac.map { String(format: "%02x", $0) }.joined())
        #expect(WebhookSignature.verify(header: header, body: request.body, secret: "s3cret ✓"))
        #expect(!WebhookSignature.verify(header: header, body: request.body + " ", secret: "s3cret ✓"))
        #expect(!WebhookSignature.verify(header: header, body: request.body, secret: "other"))
        #expect(request.headers["content-type"] == "application/json")
        #expect(request.headers["strata-event"] == "notify")

        // And the body is the event: id, type, at, instance_id, data.text
        let body = try #require(JSONValue(parsing: request.body)?.objectValue)
        #expect(body["type"] == .string("notify"))
        #expect(body["instance_id"] == .string("bot-1"))
        #expect(body["data"]?["text"] == .string("price crossed 100 \"quoted\"\n✓"))
        #expect(body["id"]?.stringValue == request.headers["strata-delivery"])
        #expect(body["at"]?.stringValue?.hasSuffix("Z") == true)

        // And the delivery log says delivered, HTTP 200, attempt 1
        let lines = try await fixture.deliveries(webhook.id) { !$0.isEmpty }
        #expect(lines.map(\.outcome) == [.delivered])
        #expect(lines.first?.statusCode == 200 && lines.first?.attempt == 1 && lines.first?.eventType == .notify)
        await fixture.notifier.shutdown()
        await receiver.stop()
    }

    @Test func aReceiverAnswering500ThenOKIsRetriedAndTheLogShowsBothAttempts() async throws {
        // Given a receiver that fails the first request with a 500
        let receiver = try await WebhookReceiver { number in .init(status: number == 0 ? 500 : 200) }
        let fixture = try NotifyFixture()
        let webhook = try await fixture.add(url: receiver.url, events: ["halt", "resume"])

        // When the kill switch is thrown
        fixture.notifier.post(.halt, data: ["account": .null, "reduce_only": .bool(false)])

        // Then the same event (same id) arrives twice, and the log shows retrying then delivered
        #expect(await receiver.waitFor(2))
        let ids = receiver.requests.map { JSONValue(parsing: $0.body)?["id"] }
        #expect(ids.count == 2 && ids[0] == ids[1])
        #expect(JSONValue(parsing: receiver.requests[0].body)?["instance_id"] == .null)
        #expect(JSONValue(parsing: receiver.requests[0].body)?["type"] == .string("halt"))
        let lines = try await fixture.deliveries(webhook.id) { $0.count >= 2 }
        #expect(lines.map(\.outcome) == [.retrying, .delivered])
        #expect(lines.map(\.attempt) == [1, 2])
        #expect(lines.map(\.statusCode) == [500, 200])
        #expect(lines[0].error == "HTTP 500 Internal Server Error")
        #expect(fixture.notifier.counts(webhookID: webhook.id)?.delivered == 1)
        await fixture.notifier.shutdown()
        await receiver.stop()
    }

    @Test func aReceiverThatTimesOutIsRetriedThenGivenUp() async throws {
        // Given a receiver far slower than the request timeout (0.5 s)
        let receiver = try await WebhookReceiver { _ in .init(delay: 6) }
        let fixture = try NotifyFixture()
        let webhook = try await fixture.add(url: receiver.url, events: ["resume"])

        // When an event is posted
        let started = Date()
        fixture.notifier.post(.resume)

        // Then every attempt ends at the timeout, the last one as failed
        let lines = try await fixture.deliveries(webhook.id) { $0.contains { $0.outcome == .failed } }
        #expect(lines.map(\.outcome) == [.retrying, .retrying, .failed])
        #expect(lines.allSatisfy { $0.statusCode == nil && $0.error?.contains("timed out") == true })
        // (each attempt ends at the timeout, not with the answer; a loaded machine adds its delay)
        #expect(lines.allSatisfy { $0.durationMilliseconds >= 400 && $0.durationMilliseconds < 5000 }, "\(lines.map(\.durationMilliseconds))")
        #expect(lines.last?.error?.hasPrefix("gave up after 3 attempts") == true)
        #expect(Date().timeIntervalSince(started) < 15)
        await fixture.notifier.shutdown()
        await receiver.stop()
    }

    @Test func anAnswerRetryingCannotFixIsNotRetriedAndRedirectsAreNotFollowed() async throws {
        let receiver = try await WebhookReceiver { number in
            number == 0 ? .init(status: 404) : .init(status: 302, headers: ["Location": "http://127.0.0.1:1/elsewhere"])
        }
        let fixture = try NotifyFixture()
        let webhook = try await fixture.add(url: receiver.url, events: ["halt"])
        fixture.notifier.post(.halt)
        fixture.notifier.post(.halt)
        let lines = try await fixture.deliveries(webhook.id) { $0.count >= 2 }
        #expect(lines.map(\.outcome) == [.failed, .failed])
        #expect(lines.map(\.statusCode) == [404, 302])
        #expect(lines[0].error?.hasPrefix("not retried: HTTP 404") == true)
        #expect(receiver.requests.count == 2)
        await fixture.notifier.shutdown()
        await receiver.stop()
    }

    @Test func aDeadEndpointEndsItsRetriesAndTheLogSaysSo() async throws {
        // Given a webhook on a port nothing listens on
        let fixture = try NotifyFixture()
        let webhook = try await fixture.add(url: "http://127.0.0.1:\(try closedPort())/hook", events: ["notify"])

        // When an event is published
        fixture.events.publish([.notify("bot-1", "hello")])

        // Then three attempts are refused and the last gives up
        let lines = try await fixture.deliveries(webhook.id) { $0.contains { $0.outcome == .failed } }
        #expect(lines.map(\.outcome) == [.retrying, .retrying, .failed])
        #expect(lines.allSatisfy { $0.statusCode == nil && $0.error?.contains("refused") == true }, "\(lines.map(\.error))")
        #expect(fixture.notifier.counts(webhookID: webhook.id)?.failed == 1)
        await fixture.notifier.shutdown()
    }

    @Test func aFullQueueDropsTheOldestEventsAndTheLogCountsThem() async throws {
        // Given a slow receiver and a queue of 3
        let receiver = try await WebhookReceiver { _ in .init(delay: 0.3) }
        var options = NotifyFixture.fastOptions
        options.queueCapacity = 3
        options.requestTimeout = 10  // a loaded machine must not turn the slow answers into retries
        let fixture = try NotifyFixture(options: options)
        let webhook = try await fixture.add(url: receiver.url, events: ["notify"])

        // When 20 events come at once
        for index in 0..<20 { fixture.events.publish([.notify("bot-1", "n\(index)")]) }

        // Then at most 4 are delivered (one taken at once, perhaps, and the 3 queued) and the
        // other 16 or 17 dropped: one log line says how many
        let lines = try await fixture.deliveries(webhook.id) { $0.filter { $0.outcome == .delivered }.count >= 3 }
        try await Task.sleep(for: .milliseconds(700))
        let dropped = lines.filter { $0.outcome == .dropped }
        let count = try #require(fixture.notifier.counts(webhookID: webhook.id)?.dropped)
        #expect(count == 16 || count == 17)
        #expect(dropped.count == 1)
        #expect(dropped.first?.error?.contains("dropped the \(count) oldest") == true, "\(dropped)")
        #expect(dropped.first?.attempt == 0)
        // and the newest survive, in order
        let texts = receiver.requests.compactMap { JSONValue(parsing: $0.body)?["data"]?["text"]?.stringValue }
        #expect(texts.count == 20 - count)
        #expect(texts.suffix(3) == ["n17", "n18", "n19"])
        await fixture.notifier.shutdown()
        await receiver.stop()
    }

    @Test func webhooksGetOnlyTheirEventsAndRemovedOnesNothing() async throws {
        let receiver = try await WebhookReceiver()
        let fixture = try NotifyFixture()
        let fills = try await fixture.add(url: receiver.url + "?w=fills", events: ["fill"])
        let notes = try await fixture.add(url: receiver.url + "?w=notes", events: ["notify"], secret: nil)
        fixture.events.publish([.notify("a", "one")])
        #expect(await receiver.waitFor(1))
        #expect(receiver.requests[0].headers["strata-signature"] == nil)
        try fixture.store.removeWebhook(id: notes.id, actor: .cli)
        await fixture.notifier.reload()
        fixture.events.publish([.notify("a", "two")])
        try await Task.sleep(for: .milliseconds(300))
        #expect(receiver.requests.count == 1)
        #expect(try fixture.store.deliveries(webhookID: fills.id, limit: 10).isEmpty)
        await fixture.notifier.shutdown()
        await receiver.stop()
    }

    @Test func aHugeAnswerIsNotReadWhole() async throws {
        // Given a receiver answering 200 with 32 MiB
        let receiver = try await WebhookReceiver { _ in .init(bodyBytes: 32 << 20) }
        let fixture = try NotifyFixture()
        let webhook = try await fixture.add(url: receiver.url, events: ["halt"])
        fixture.notifier.post(.halt)
        fixture.notifier.post(.halt)

        // Then both are delivered, each having read at most 16 KiB of it
        let lines = try await fixture.deliveries(webhook.id) { $0.count >= 2 }
        #expect(lines.map(\.outcome) == [.delivered, .delivered])
        await fixture.notifier.shutdown()
        await receiver.stop()
    }

    @Test func withNoWebhookTheEngineHasNoSubscriberAndOnlyWantedKindsAreHeard() async throws {
        let fixture = try NotifyFixture()
        await fixture.notifier.reload()
        #expect(fixture.events.subscriberCount == 0)
        let webhook = try await fixture.add(url: "http://127.0.0.1:9/hook", events: ["fill"])
        #expect(fixture.events.subscriberCount == 1)
        #expect(fixture.events.wants(.order) && !fixture.events.wants(.status) && !fixture.events.wants(.log))
        try fixture.store.removeWebhook(id: webhook.id, actor: .cli)
        await fixture.notifier.reload()
        try await Task.sleep(for: .milliseconds(100))
        #expect(fixture.events.subscriberCount == 0)
        await fixture.notifier.shutdown()
    }
}
