import Foundation
import HummingbirdTesting
import StrataHTTP
import StrataRuntime
import Testing

extension StrataHTTPSuite {
    /// The live event stream over a real socket, and its parameters.
    @Suite struct EventStreamTests {
        /// The `data:` JSON of every `event: TYPE` in a stream's text.
        static func events(_ type: String, in text: String) -> [JSONValue] {
            text.components(separatedBy: "\n\n").compactMap { block in
                // (Foundation splits "\r\n" of chunked framing too; Swift's Character split would not.)
                let lines = block.components(separatedBy: .newlines)
                guard lines.contains("event: \(type)"), let data = lines.first(where: { $0.hasPrefix("data: ") }) else { return nil }
                return JSONValue(parsing: String(data.dropFirst(6)))
            }
        }

        @Test func streamsStatusAndLogEventsOverARealSocketAndEndsWhenTheClientGoes() async throws {
            try await withAPI(.live, keepAlive: .milliseconds(300)) { api, fixture in
                let port = try #require(api.client.port)
                try await api.create("live-1", mode: "observe")

                let stream = try RawHTTPConnection(port: port)
                try stream.get("/api/events?instance=live-1&types=status,log")
                #expect(await stream.read { $0.contains(": connected\n\n") })
                #expect(stream.received.hasPrefix("HTTP/1.1 200 OK"))
                #expect(stream.received.lowercased().contains("content-type: text/event-stream"))
                #expect(stream.received.contains("Content-Security-Policy: default-src 'self'"))
                #expect(fixture.server.openEventStreams == 1)

                // The engine's status saves (once a second) and the script's log lines arrive
                #expect(
                    await stream.read(
                        until: { Self.events("status", in: $0).contains { $0["data"]?["state"] == "running" } && !Self.events("log", in: $0).isEmpty },
                        timeout: .seconds(15)))
                // (the first may be "loading": the stream can open before the engine has loaded the instance)
                let status = try #require(Self.events("status", in: stream.received).last { $0["data"]?["state"] == "running" })
                #expect(status["type"] == "status")
                #expect(status["instance_id"] == "live-1")
                #expect(status["data"]?["state"] == "running")
                let log = try #require(Self.events("log", in: stream.received).first)
                #expect(log["data"]?["message"]?.stringValue?.hasPrefix("tick ") == true)
                #expect(Self.events("signal", in: stream.received).isEmpty, "types=status,log filters signals out")
                #expect(await stream.read { $0.contains(": keep-alive\n\n") }, "a keep-alive comment")

                // When the client hangs up, the stream ends and unsubscribes
                stream.close()
                try await eventually("the stream to end") { fixture.server.openEventStreams == 0 }
                try await eventually("the hub to drop the subscriber") { fixture.loop.events.subscriberCount == 0 }

                // Shutting down ends open streams
                let second = try RawHTTPConnection(port: port)
                try second.get("/api/events")
                #expect(await second.read { $0.contains(": connected") })
                fixture.server.closeEventStreams()
                #expect(await second.read(until: { $0.hasSuffix("0\r\n\r\n") }), "the chunked response ends")
            }
        }

        @Test func refusesForeignHostNamesWithoutAToken() async throws {
            try await withAPI(.live) { api, _ in
                let port = try #require(api.client.port)
                for host in ["evil.example", "evil.example:\(port)", "192.168.1.5:\(port)"] {
                    let connection = try RawHTTPConnection(port: port)
                    try connection.get("/api/instances", host: host, headers: ["Connection: close"])
                    #expect(await connection.read { $0.contains("\r\n\r\n{") && $0.hasSuffix("}") })
                    #expect(connection.received.hasPrefix("HTTP/1.1 403"), "\(host)")
                    #expect(connection.received.contains("\"field\":\"host\""))
                }
                for host in ["localhost:\(port)", "127.0.0.1:\(port)", "[::1]:\(port)", "LOCALHOST"] {
                    let connection = try RawHTTPConnection(port: port)
                    try connection.get("/api/instances", host: host, headers: ["Connection: close"])
                    #expect(await connection.read { $0.contains("\"instances\"") && $0.hasSuffix("}") })
                    #expect(connection.received.hasPrefix("HTTP/1.1 200"), "\(host)")
                }
            }
        }

        @Test func refusesUnknownEventTypesAndStreamsInRouterModeUntilClosed() async throws {
            try await withAPI { api, fixture in
                let bad = try await api.get("/api/events?types=status,trades")
                #expect(bad.status == 400)
                #expect(bad.errorFields == ["types"])
                #expect(try await api.get("/api/events?types=,").errorFields == ["types"])

                try await api.create("r-1", mode: "observe")
                let reader = Task { try await api.get("/api/events?types=status") }
                try await eventually("subscribed") { fixture.server.openEventStreams == 1 }
                try await Task.sleep(for: .milliseconds(1500))
                fixture.server.closeEventStreams()
                let answer = try await reader.value
                #expect(answer.status == 200)
                #expect(answer.text.hasPrefix("retry: 2000\n: connected\n\n"))
                let statuses = Self.events("status", in: answer.text)
                #expect(!statuses.isEmpty)
                #expect(statuses.allSatisfy { $0["type"] == "status" && $0["data"]?["state"]?.stringValue != nil })
                // Closed streams stay closed: a new one ends at once
                #expect(try await api.get("/api/events").text.isEmpty)
            }
        }
    }
}
