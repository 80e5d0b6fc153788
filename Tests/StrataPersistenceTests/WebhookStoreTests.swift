import Foundation
import StrataEngine
import StrataPersistence
import StrataPostgres
import StrataRuntime
import Testing

/// The webhook contract (webhooks, their delivery logs, the audit), the same on both stores.
@Suite struct WebhookStoreTests {
    static func line(_ webhook: Int64, _ n: Int, outcome: WebhookDelivery.Outcome = .delivered) -> WebhookDelivery {
        WebhookDelivery(
            webhookID: webhook, eventID: "evt_\(n)", eventType: .fill, attempt: 1 + n % 3,
            at: Date(timeIntervalSince1970: 1_700_000_000.125 + Double(n)), outcome: outcome, statusCode: outcome == .delivered ? 200 : nil,
            error: outcome == .delivered ? nil : "connection refused", durationMilliseconds: 12.5)
    }

    @Test(arguments: ReplayTestStores.allCases)
    func webhooksAreAddedListedRemovedAndAudited(_ kind: ReplayTestStores) throws {
        // Given a store
        let opened = try kind.open()
        let store = try #require(opened.store as? any WebhookStore)

        // When two webhooks are added, one unsigned and disabled
        let first = try store.addWebhook(try WebhookSpec(url: "https://example.com/a?x=1", events: ["notify", "fill", "fill"], secret: "k"), actor: .cli)
        let second = try store.addWebhook(try WebhookSpec(url: "http://127.0.0.1:9/b", events: ["halt"], secret: nil, enabled: false), actor: .api)

        // Then they read back in id order with their events in canonical order
        #expect(second.id > first.id)
        #expect(try store.webhooks() == [first, second])
        #expect(first.events == [.fill, .notify] && first.secret == "k" && first.enabled)
        #expect(second.secret == nil && !second.enabled)
        #expect(first.json["has_secret"] == .bool(true) && first.json["secret"] == nil)

        // And removing says whether there was one, and the audit keeps both changes without secrets
        #expect(try store.removeWebhook(id: first.id, actor: .cli))
        #expect(try !store.removeWebhook(id: first.id, actor: .cli))
        #expect(try store.webhooks() == [second])
        let audit = try store.webhookAudit(limit: 10)
        #expect(audit.map(\.action) == [.add, .add, .remove])
        #expect(audit.map(\.actor) == [.cli, .api, .cli])
        #expect(audit.map(\.webhookID) == [first.id, second.id, first.id])
        #expect(!audit.contains { $0.webhook.encoded().contains("\"k\"") })
    }

    @Test(arguments: ReplayTestStores.allCases)
    func deliveryLogsAreKeptNewestFirstBoundedAndGoWithTheirWebhook(_ kind: ReplayTestStores) throws {
        let opened = try kind.open()
        let store = try #require(opened.store as? any WebhookStore)
        let webhook = try store.addWebhook(try WebhookSpec(url: "https://example.com/a", events: ["fill"], secret: "k"), actor: .cli)
        let other = try store.addWebhook(try WebhookSpec(url: "https://example.com/b", events: ["fill"], secret: nil), actor: .cli)

        // Lines read back whole, newest first
        try store.appendDeliveries([Self.line(webhook.id, 0), Self.line(webhook.id, 1, outcome: .retrying), Self.line(other.id, 2)])
        let lines = try store.deliveries(webhookID: webhook.id, limit: 10)
        #expect(lines.map(\.eventID) == ["evt_1", "evt_0"])
        var expected = Self.line(webhook.id, 1, outcome: .retrying)
        expected.id = lines[0].id
        #expect(lines[0] == expected)
        #expect(try store.deliveries(webhookID: webhook.id, limit: 1).count == 1)

        // Past the bound the oldest go, per webhook
        try store.appendDeliveries((2..<(WebhookDelivery.keptPerWebhook + 10)).map { Self.line(webhook.id, $0) })
        let kept = try store.deliveries(webhookID: webhook.id, limit: 5_000)
        #expect(kept.count == WebhookDelivery.keptPerWebhook)
        #expect(kept.last?.eventID == "evt_10")
        #expect(try store.deliveries(webhookID: other.id, limit: 10).count == 1)

        // Lines of a removed webhook are skipped, and its log goes with it
        #expect(try store.removeWebhook(id: webhook.id, actor: .cli))
        try store.appendDeliveries([Self.line(webhook.id, 99), Self.line(other.id, 100)])
        #expect(try store.deliveries(webhookID: webhook.id, limit: 10).isEmpty)
        #expect(try store.deliveries(webhookID: other.id, limit: 10).map(\.eventID) == ["evt_100", "evt_2"])
    }

    @Test(arguments: ReplayTestStores.allCases)
    func theStoreHoldsAtMostFiftyWebhooks(_ kind: ReplayTestStores) throws {
        let opened = try kind.open()
        let store = try #require(opened.store as? any WebhookStore)
        let spec = try WebhookSpec(url: "https://example.com/hook", events: ["fill"], secret: nil)
        for _ in 0..<WebhookSpec.maxWebhooks { try store.addWebhook(spec, actor: .cli) }
        #expect(throws: StoreError.self) { try store.addWebhook(spec, actor: .cli) }
        #expect(try store.webhooks().count == WebhookSpec.maxWebhooks)
    }
}

/// What a webhook may be: each bad URL, event list and secret is refused, naming the field.
@Suite struct WebhookSpecTests {
    @Test(arguments: [
        ("", "url", "empty"),
        ("ftp://example.com/x", "url", "only http and https"),
        ("file:///etc/passwd", "url", "only http and https"),
        ("javascript:alert(1)", "url", "only http and https"),
        ("http://", "url", "no host"),
        ("https://user:pw@example.com/", "url", "user name or password"),
        ("https://example.com/a b", "url", "spaces"),
        ("https://example.com/\u{0}", "url", "control"),
        ("https://exämple.com/", "url", "non-ASCII"),
        ("https://example.com/<b>x</b>", "url", "percent-encode them"),
        ("https://example.com/{a}", "url", "cannot hold"),
        ("https://example.com/#frag", "url", "fragment"),
        ("https://example.com:0/", "url", "port 0"),
        ("https://example.com/" + String(repeating: "a", count: 3_000), "url", "at most 2048"),
    ])
    func badURLsAreRefused(url: String, field: String, words: String) {
        do {
            _ = try WebhookSpec(url: url, events: ["fill"], secret: nil)
            Issue.record("\(url.prefix(40)) was accepted")
        } catch let error as WebhookSpecError {
            #expect(error.problems.map(\.field) == [field])
            #expect(error.problems.first?.message.contains(words) == true, "\(error)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func badEventsAndSecretsAreRefusedAllAtOnce() {
        #expect(throws: WebhookSpecError.self) { try WebhookSpec(url: "https://e.com/", events: [], secret: nil) }
        do {
            _ = try WebhookSpec(url: "nope", events: ["fill", "fils", "<script>"], secret: String(repeating: "s", count: 257))
            Issue.record("accepted")
        } catch let error as WebhookSpecError {
            #expect(error.problems.map(\.field) == ["url", "events", "events", "secret"])
            #expect(error.description.contains("unknown event 'fils'"))
            #expect(error.description.contains("257 characters; at most 256"))
        } catch {
            Issue.record("\(error)")
        }
        #expect(throws: WebhookSpecError.self) { try WebhookSpec(url: "https://e.com/", events: ["fill"], secret: "") }
        #expect(throws: WebhookSpecError.self) { try WebhookSpec(url: "https://e.com/", events: ["fill"], secret: "a\nb") }
        #expect(throws: WebhookSpecError.self) {
            try WebhookSpec(url: "https://e.com/", events: Array(repeating: "fill", count: 1_000_000), secret: nil)
        }
        #expect((try? WebhookSpec(url: "HTTPS://Example.com:8443/p?q=1", events: WebhookEventType.allCases.map(\.rawValue), secret: "é"))?.events.count == 7)
    }
}
