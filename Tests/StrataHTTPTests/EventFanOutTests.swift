import Foundation
import NIOCore
import StrataEngine
import StrataRuntime
import Testing

@testable import StrataHTTP

extension StrataHTTPSuite {
    /// Many event streams: one subscription and one encoding per event for all of them, a cap
    /// with a clear refusal, bounded buffers for slow readers, and other requests unaffected.
    @Suite struct EventFanOutTests {
        @Test func allStreamsShareOneSubscriptionAndGetTheSameBytes() async throws {
            try await withAPI(.live, keepAlive: .seconds(30)) { api, fixture in
                let port = try #require(api.client.port)
                try await api.create("s-1", mode: "observe")
                var streams: [RawHTTPConnection] = []
                for _ in 0..<5 {
                    let stream = try RawHTTPConnection(port: port)
                    try stream.get("/api/events?types=status,log")
                    #expect(await stream.read { $0.contains(": connected\n\n") })
                    streams.append(stream)
                }
                #expect(fixture.server.openEventStreams == 5)
                #expect(fixture.loop.events.subscriberCount == 1, "one hub subscription feeds every stream")
                for stream in streams {
                    #expect(await stream.read(until: { EventStreamTests.events("log", in: $0).count >= 3 }, timeout: .seconds(15)))
                }
                // The same log events reach every stream, in the same order, as the same text
                let first = Self.logLines(streams[0].received)
                for stream in streams.dropFirst() {
                    let lines = Self.logLines(stream.received)
                    let shared = lines.filter(Set(first).contains)
                    #expect(shared.count >= 2, "\(lines.count) vs \(first.count)")
                    #expect(shared == first.filter(Set(lines).contains))
                }
                for stream in streams { stream.close() }
                try await eventually("every stream to end") { fixture.server.openEventStreams == 0 }
                try await eventually("the shared subscription to go") { fixture.loop.events.subscriberCount == 0 }
            }
        }

        /// The `data:` lines of the log events.
        static func logLines(_ text: String) -> [String] {
            text.components(separatedBy: "\n\n").compactMap { block in
                let lines = block.components(separatedBy: .newlines)
                guard lines.contains("event: log") else { return nil }
                return lines.first { $0.hasPrefix("data: ") }
            }
        }

        static func threeStreams(_ options: inout APIServerOptions) { options.maxEventStreams = 3 }
        static func smallBuffers(_ options: inout APIServerOptions) { options.eventStreamBuffer = 50 }

        @Test func streamsPastTheCapAreRefusedWith429UntilOneCloses() async throws {
            try await withAPI(.live, keepAlive: .milliseconds(300), tune: Self.threeStreams) { api, fixture in
                let port = try #require(api.client.port)
                var streams: [RawHTTPConnection] = []
                for _ in 0..<3 {
                    let stream = try RawHTTPConnection(port: port)
                    try stream.get("/api/events")
                    #expect(await stream.read { $0.contains(": connected") })
                    streams.append(stream)
                }
                let refused = try await api.get("/api/events")
                #expect(refused.status == 429)
                #expect(refused.errorFields == [""])
                #expect(refused.message(for: "")?.contains("at most 3") == true)
                #expect(refused.headers[.retryAfter] == "5")
                #expect(fixture.server.openEventStreams == 3)
                // Other requests are served as usual
                #expect(try await api.get("/api/instances").status == 200)

                streams[0].close()
                try await eventually("a place to free up") { fixture.server.openEventStreams == 2 }
                let again = try RawHTTPConnection(port: port)
                try again.get("/api/events")
                #expect(await again.read { $0.contains(": connected") })
            }
        }

        @Test func readersThatNeverReadDoNotHoldUpRequests() async throws {
            try await withAPI(.live, tune: Self.smallBuffers) { api, fixture in
                let port = try #require(api.client.port)
                for index in 0..<8 { try await api.create("busy-\(index)", mode: "observe") }
                // Twenty unfiltered streams whose clients never read a byte
                var streams: [RawHTTPConnection] = []
                for _ in 0..<20 {
                    let stream = try RawHTTPConnection(port: port)
                    try stream.get("/api/events")
                    streams.append(stream)
                }
                try await eventually("the streams to open") { fixture.server.openEventStreams == 20 }
                for _ in 0..<10 {
                    try await Task.sleep(for: .milliseconds(300))
                    let list = try await api.get("/api/instances")
                    #expect(list.status == 200)
                    #expect(list.json?["total"] == 8)
                }
                for stream in streams { stream.close() }
                try await eventually("every stream to end") { fixture.server.openEventStreams == 0 }
            }
        }

        @Test func aSlowClientKeepsTheNewestFramesAndIsToldHowManyWentMissing() {
            let client = EventStreamClient(filter: EventHub.Filter(), capacity: 3) {}
            for index in 1...5 { client.enqueue(ByteBuffer(string: "\(index)")) }
            let (frames, dropped) = client.takeAll()
            #expect(frames.map { String(buffer: $0) } == ["3", "4", "5"])
            #expect(dropped == 2)
            #expect(client.takeAll().frames.isEmpty)
            #expect(client.takeAll().dropped == 0)
            for index in 1...3000 { client.enqueue(ByteBuffer(string: "\(index)")) }
            #expect(client.takeAll().frames.map { String(buffer: $0) } == ["2998", "2999", "3000"])
        }

        @Test func aClosedClientFreesItsPlaceOnce() {
            let freed = Counter()
            let client = EventStreamClient(filter: EventHub.Filter(), capacity: 3) { freed.increment() }
            client.close()
            client.close()
            #expect(freed.value == 1)
        }
    }
}

/// A thread-safe count.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
