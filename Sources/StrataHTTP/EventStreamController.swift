import Foundation
import Hummingbird
import StrataEngine
import StrataRuntime

/// `GET /api/events`: the engine's live events as Server-Sent Events, `event: TYPE` and
/// `data: JSON` per event, a comment line every `keepAliveInterval`. It ends when the client
/// goes (the next write fails), when the request task is cancelled, or when the server closes
/// its streams on shutdown. A slow reader loses its oldest unread events (and is told how many
/// in a comment); the engine never waits. Past the registry's cap a new stream gets 429 with `Retry-After`.
struct EventStreamController<Context: RequestContext>: Sendable {
    let registry: EventStreamRegistry
    let keepAliveInterval: Duration

    func addRoutes(to router: Router<Context>) {
        router.get("/api/events") { request, _ in try self.stream(request) }
    }

    func stream(_ request: Request) throws -> Response {
        var query = QueryReader(request)
        let filter = try Self.filter(&query)
        let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"]
        let ticket: EventStreamClient.Ticket
        switch registry.admit(filter) {
        case .admitted(let admitted): ticket = admitted
        case .closed: return Response(status: .ok, headers: headers, body: ResponseBody())
        case .full:
            throw APIError(
                .tooManyRequests,
                [.init("", "too many event streams are open (at most \(registry.maxStreams)); retry later, or filter by instance")],
                headers: [.retryAfter: "5"])
        }
        let keepAlive = keepAliveInterval
        let body = ResponseBody { writer in
            let client = ticket.client
            let heartbeat = Task {
                while !Task.isCancelled {
                    try await Task.sleep(for: keepAlive)
                    client.enqueue(EventStreamFrame.keepAlive)
                }
            }
            defer {
                heartbeat.cancel()
                client.close()
            }
            // Sent once subscribed (at admission): from here on the client sees every event.
            try await writer.write(EventStreamFrame.opening)
            for await _ in client.wakes {
                let (frames, dropped) = client.takeAll()
                guard !frames.isEmpty || dropped > 0 else { continue }
                // One write for everything waiting: a burst of events costs one trip through the channel.
                var batch = ByteBuffer()
                batch.reserveCapacity(frames.reduce(0) { $0 + $1.readableBytes } + (dropped > 0 ? 64 : 0))
                if dropped > 0 { batch.writeImmutableBuffer(EventStreamFrame.dropped(dropped)) }
                for frame in frames { batch.writeImmutableBuffer(frame) }
                try await writer.write(batch)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// `?instance=ID&types=status,log` as a hub filter; unknown or empty types are a 400 naming `types`,
    /// an instance id with control or bidirectional-formatting characters a 400 naming `instance`.
    static func filter(_ query: inout QueryReader) throws -> EventHub.Filter {
        var kinds = Set(EngineEvent.Kind.allCases)
        if !query.rejectEmpty("types"), let types = query.string("types") {
            // Exactly `status,log`: no spaces, no empty names (as the document's pattern says).
            kinds = []
            for name in types.split(separator: ",", omittingEmptySubsequences: false) {
                if let kind = EngineEvent.Kind(rawValue: String(name)) {
                    kinds.insert(kind)
                } else {
                    query.reject(
                        "types", "unknown event type '\(QueryReader.shown(String(name)))' (status, order, signal, log, research, mode, comma-separated)")
                    break
                }
            }
        }
        let instance = query.identifier("instance")
        try query.check()
        return EventHub.Filter(instanceID: instance, kinds: kinds)
    }
}
