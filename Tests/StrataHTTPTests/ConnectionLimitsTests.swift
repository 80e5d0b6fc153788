import Foundation
import HTTPTypes
import StrataHTTP
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// What a misbehaving client gets over a real socket: a short body is a 400, a slow head or
    /// body a 408, an idle connection is closed, bytes that are not HTTP a JSON 400; every one
    /// of those answers carries the security headers.
    @Suite struct ConnectionLimitsTests {
        /// The status code of a raw answer.
        static func status(_ text: String) -> Int? {
            guard text.hasPrefix("HTTP/1.1 ") else { return nil }
            return Int(text.dropFirst(9).prefix(3))
        }

        /// The JSON body of a raw answer with a Content-Length.
        static func jsonBody(_ text: String) -> JSONValue? {
            guard let range = text.range(of: "\r\n\r\n") else { return nil }
            return JSONValue(parsing: String(text[range.upperBound...]))
        }

        static func expectSecurityHeaders(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
            let lower = text.lowercased()
            #expect(lower.contains("content-security-policy: default-src 'self';"), "\(text.prefix(300))", sourceLocation: sourceLocation)
            #expect(lower.contains("x-content-type-options: nosniff"), sourceLocation: sourceLocation)
            #expect(lower.contains("referrer-policy: no-referrer"), sourceLocation: sourceLocation)
        }

        /// Whether a raw answer holds a whole `Errors` body.
        static func complete(_ text: String) -> Bool {
            jsonBody(text)?["errors"] != nil
        }

        @Test func aBodyCutShortIsA400NeverA500() async throws {
            try await withAPI(.live) { api, fixture in
                let port = try #require(api.client.port)
                try await api.create("c-1")
                for (method, path) in [("POST", "/api/instances"), ("PATCH", "/api/instances/c-1/config"), ("PUT", "/api/instances/c-1/mode")] {
                    let connection = try RawHTTPConnection(port: port)
                    try connection.send(
                        "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"mode\": ")
                    connection.shutdownWrite()
                    #expect(await connection.read(until: Self.complete), "\(path): \(connection.received)")
                    #expect(Self.status(connection.received) == 400, "\(path): \(connection.received)")
                    #expect(Self.jsonBody(connection.received)?["errors"]?.arrayValue?.first?["field"] == "body")
                    Self.expectSecurityHeaders(connection.received)
                }
                #expect(try fixture.store.instance(id: "c-1")?.mode == .off)
            }
        }

        static func shortTimeouts(_ options: inout APIServerOptions) {
            options.headerTimeout = .milliseconds(400)
            options.bodyTimeout = .milliseconds(400)
            options.idleTimeout = .milliseconds(1500)
        }

        @Test func slowHeadsAndBodiesGet408AndIdleConnectionsAreClosed() async throws {
            try await withAPI(.live, tune: Self.shortTimeouts) { api, _ in
                let port = try #require(api.client.port)
                try await api.create("t-1")

                // A head that never ends
                let head = try RawHTTPConnection(port: port)
                try head.send("GET /api/instances HTTP/1.1\r\nHost: localhost\r\nX-Slow: 1\r\n")
                #expect(await head.isClosedByServer(within: .seconds(5)))
                #expect(Self.status(head.received) == 408, "\(head.received)")
                #expect(Self.jsonBody(head.received)?["errors"] != nil)
                Self.expectSecurityHeaders(head.received)

                // A body that stops halfway, on every route with a body
                for (method, path) in [("POST", "/api/instances"), ("PATCH", "/api/instances/t-1/config"), ("PUT", "/api/instances/t-1/mode")] {
                    let body = try RawHTTPConnection(port: port)
                    try body.send(
                        "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{\"mode\":")
                    #expect(await body.isClosedByServer(within: .seconds(5)), "\(path)")
                    #expect(Self.status(body.received) == 408, "\(path): \(body.received)")
                    #expect(Self.jsonBody(body.received)?["errors"]?.arrayValue?.first?["field"] == "body", "\(body.received)")
                    Self.expectSecurityHeaders(body.received)
                }

                // A connection that sends nothing is closed after the idle timeout, without an answer
                let idle = try RawHTTPConnection(port: port)
                #expect(await idle.isClosedByServer(within: .seconds(6)))
                #expect(idle.received.isEmpty)

                // A kept-alive connection answers requests spaced beyond the header timeout
                // (the header clock starts at a request's first byte, not at the last answer)
                let keptAlive = try RawHTTPConnection(port: port)
                for round in 1...2 {
                    try keptAlive.get("/api/instances/t-1")
                    #expect(await keptAlive.read { $0.components(separatedBy: "HTTP/1.1 200").count == round + 1 && $0.hasSuffix("}") })
                    try await Task.sleep(for: .milliseconds(900))
                }
                #expect(!keptAlive.received.contains("408"))
            }
        }

        @Test func bytesThatAreNotHTTPGetAJSON400WithTheSecurityHeaders() async throws {
            try await withAPI(.live) { api, _ in
                let port = try #require(api.client.port)
                for garbage in ["NOT HTTP AT ALL\r\n\r\n", "GET / HTTP/1.1\r\nHost: localhost\r\nBad Header\r\n\r\n", "GET /\u{1}x HTTP/1.1\r\n\r\n"] {
                    let connection = try RawHTTPConnection(port: port)
                    try connection.send(garbage)
                    #expect(await connection.isClosedByServer(within: .seconds(5)))
                    #expect(Self.status(connection.received) == 400, "\(garbage.debugDescription): \(connection.received)")
                    #expect(Self.jsonBody(connection.received)?["errors"] != nil, "\(connection.received)")
                    Self.expectSecurityHeaders(connection.received)
                }
            }
        }

        @Test func headAnswersEveryGetRouteWithoutABody() async throws {
            try await withAPI { api, fixture in
                try await api.create("h-1")
                for path in [
                    "/api/instances", "/api/instances/h-1", "/api/instances/h-1/orders", "/api/instances/h-1/audit", "/api/strategies",
                    "/metrics", "/", "/app.js", "/api/instances/nope", "/api/nope", "/api/instances?limit=0",
                ] {
                    let get = try await api.get(path)
                    let head = try await api.send(.head, path)
                    #expect(head.status == get.status, "\(path)")
                    #expect(head.text.isEmpty, "\(path)")
                    #expect(head.headers[.contentType] == get.headers[.contentType], "\(path)")
                    if get.headers[.contentLength] != nil, path != "/metrics" {
                        #expect(head.headers[.contentLength] == get.headers[.contentLength], "\(path)")
                    }
                }
                // HEAD of the event stream opens no stream
                let events = try await api.send(.head, "/api/events")
                #expect(events.status == 200)
                #expect(events.headers[.contentType] == "text/event-stream; charset=utf-8")
                try await eventually("the stream's place to be freed") { fixture.server.openEventStreams == 0 }
            }
        }
    }
}
