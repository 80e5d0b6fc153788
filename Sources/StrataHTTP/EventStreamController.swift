import Foundation
import Hummingbird
import StrataEngine
import StrataRuntime

/// `GET /api/events`: the engine's live events as Server-Sent Events, `event: TYPE` and
/// `data: JSON` per event, a comment line every `keepAliveInterval`. It ends when the client
/// goes (the next write fails), when the request task is cancelled, or when the server closes
/// its streams on shutdown. A slow reader loses its oldest unread events; the engine never waits.
struct EventStreamController<Context: RequestContext>: Sendable {
    let engine: any EngineGateway
    let registry: EventStreamRegistry
    let keepAliveInterval: Duration

    func addRoutes(to router: Router<Context>) {
        router.get("/api/events") { request, _ in try self.stream(request) }
    }

    func stream(_ request: Request) throws -> Response {
        var query = QueryReader(request)
        let filter = try Self.filter(&query)
        let events = engine.events
        let registry = registry
        let keepAlive = keepAliveInterval
        let body = ResponseBody { writer in
            let (messages, continuation) = AsyncStream.makeStream(of: EventStreamMessage.self, bufferingPolicy: .bufferingNewest(1000))
            guard let token = registry.register(continuation) else { return try await writer.finish(nil) }
            let subscription = events.subscribe(filter)
            let forward = Task {
                for await event in subscription {
                    continuation.yield(.event(type: event.kind.rawValue, json: APIJSON.event(event).encoded()))
                }
                continuation.finish()
            }
            let heartbeat = Task {
                while !Task.isCancelled {
                    try await Task.sleep(for: keepAlive)
                    continuation.yield(.comment("keep-alive"))
                }
            }
            defer {
                forward.cancel()
                heartbeat.cancel()
                continuation.finish()
                registry.remove(token)
            }
            // Sent once subscribed: from here on the client sees every event.
            try await writer.write(ByteBuffer(string: "retry: 2000\n: connected\n\n"))
            for await message in messages {
                try await writer.write(ByteBuffer(string: message.text))
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
            ], body: body)
    }

    /// `?instance=ID&types=status,log` as a hub filter; unknown types are a 400 naming `types`.
    static func filter(_ query: inout QueryReader) throws -> EventHub.Filter {
        var kinds = Set(EngineEvent.Kind.allCases)
        if let types = query.string("types") {
            kinds = []
            for name in types.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
                if let kind = EngineEvent.Kind(rawValue: name) {
                    kinds.insert(kind)
                } else {
                    query.reject("types", "unknown event type '\(QueryReader.shown(name))' (status, order, signal, log)")
                }
            }
            if kinds.isEmpty && query.errors.isEmpty { query.reject("types", "must name at least one of status, order, signal, log") }
        }
        let instance = query.string("instance")
        try query.check()
        return EventHub.Filter(instanceID: instance, kinds: kinds)
    }
}
