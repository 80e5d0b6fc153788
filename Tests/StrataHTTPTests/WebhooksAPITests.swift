import Foundation
import StrataEngine
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// `/api/webhooks`: add, list (never the secret), remove, the delivery log; every bad input
    /// refused naming its field.
    @Suite struct WebhooksAPITests {
        @Test func aWebhookIsAddedListedWithoutItsSecretLoggedAndRemoved() async throws {
            try await withAPI { api, fixture in
                #expect(try await api.get("/api/webhooks").json == ["webhooks": []])
                let added = try await api.post(
                    "/api/webhooks", ["url": "https://example.com/hook?team=1", "events": ["notify", "fill", "fill"], "secret": "s3cret"])
                #expect(added.status == 201, "\(added.text)")
                #expect(added.json?["events"] == ["fill", "notify"])
                #expect(added.json?["has_secret"] == .bool(true) && added.json?["enabled"] == .bool(true))
                #expect(!added.text.contains("s3cret"))
                let id = try #require(added.json?["id"].flatMap { if case .integer(let n) = $0 { n } else { nil } })

                let listed = try await api.get("/api/webhooks")
                #expect(listed.json?["webhooks"]?.arrayValue?.count == 1 && !listed.text.contains("s3cret"))

                // The delivery log, newest first, from the store
                try fixture.store.appendDeliveries([
                    WebhookDelivery(webhookID: id, eventID: "evt_1", eventType: .fill, attempt: 1, at: Date(), outcome: .retrying, error: "connection refused"),
                    WebhookDelivery(webhookID: id, eventID: "evt_1", eventType: .fill, attempt: 2, at: Date(), outcome: .delivered, statusCode: 200),
                ])
                let log = try await api.get("/api/webhooks/\(id)/deliveries?limit=10")
                #expect(log.json?["deliveries"]?.arrayValue?.compactMap { $0["outcome"]?.stringValue } == ["delivered", "retrying"])
                #expect(try await api.get("/api/webhooks/\(id)/deliveries?limit=0").status == 400)

                // Removed: 204, then 404; audited with actor api
                #expect(try await api.send(.delete, "/api/webhooks/\(id)").status == 204)
                #expect(try await api.send(.delete, "/api/webhooks/\(id)").status == 404)
                #expect(try await api.get("/api/webhooks/\(id)/deliveries").status == 404)
                #expect(try fixture.store.webhookAudit(limit: 10).map(\.actor) == [.api, .api])
            }
        }

        @Test func badInputIsRefusedNamingTheField() async throws {
            try await withAPI { api, _ in
                let cases: [(JSONValue, Int, [String])] = [
                    (["url": "ftp://example.com/", "events": ["fill"]], 422, ["url"]),
                    (["url": "not a url", "events": ["fill"]], 422, ["url"]),
                    (["url": "https://user:pw@example.com/", "events": ["fill"]], 422, ["url"]),
                    (["url": .string("https://example.com/" + String(repeating: "a", count: 5_000)), "events": ["fill"]], 422, ["url"]),
                    (["url": "https://example.com/", "events": ["fills"]], 422, ["events"]),
                    (["url": "https://example.com/", "events": []], 422, ["events"]),
                    (["url": "https://example.com/", "events": ["fill"], "secret": .string(String(repeating: "k", count: 100_000))], 422, ["secret"]),
                    (["url": "https://example.com/", "events": ["fill"], "secret": ""], 422, ["secret"]),
                    (["url": 42, "events": "fill"], 400, ["events", "url"]),
                    (["url": "https://example.com/", "events": [1, .null]], 400, ["events[0]", "events[1]"]),
                    (["url": "https://example.com/", "events": ["fill"], "secret": 7, "enabled": "yes"], 400, ["enabled", "secret"]),
                    (["events": ["fill"], "extra": true], 400, ["extra", "url"]),
                ]
                for (body, status, fields) in cases {
                    let answer = try await api.post("/api/webhooks", body)
                    #expect(answer.status == status, "\(body.encoded().prefix(80)) → \(answer.status) \(answer.text.prefix(200))")
                    #expect(answer.errorFields.sorted() == fields, "\(answer.text.prefix(300))")
                }
                #expect(try await api.send(.post, "/api/webhooks", raw: Array("[1,2".utf8)).status == 400)
                #expect(try await api.get("/api/webhooks").json == ["webhooks": []])
                for id in ["0", "-1", "abc", "99999999999999999999", "1e3", "7"] {
                    #expect(try await api.send(.delete, "/api/webhooks/\(id)").status == 404, "\(id)")
                    #expect(try await api.get("/api/webhooks/\(id)/deliveries").status == 404, "\(id)")
                }
                #expect(try await api.send(.put, "/api/webhooks").status == 405)
                #expect(try await api.send(.get, "/api/webhooks/1").status == 405)
            }
        }
    }
}
