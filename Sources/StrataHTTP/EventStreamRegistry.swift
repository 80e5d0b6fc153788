import Foundation

/// One message of an event stream: an engine event, or a comment that keeps the connection open.
enum EventStreamMessage: Sendable {
    case event(type: String, json: String)
    case comment(String)

    /// The message in the `text/event-stream` format.
    var text: String {
        switch self {
        case .event(let type, let json): "event: \(type)\ndata: \(json)\n\n"
        case .comment(let text): ": \(text)\n\n"
        }
    }
}

/// The open event streams, so that a shutting-down server can end them (an open stream would
/// otherwise keep its connection, and the server, from finishing).
final class EventStreamRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var streams: [UInt64: AsyncStream<EventStreamMessage>.Continuation] = [:]
    private var nextID: UInt64 = 0
    private var closed = false

    /// Adds a stream; nil (and the stream finished) when the registry is already closed.
    func register(_ continuation: AsyncStream<EventStreamMessage>.Continuation) -> UInt64? {
        let id: UInt64? = lock.withLock {
            guard !closed else { return nil }
            nextID += 1
            streams[nextID] = continuation
            return nextID
        }
        if id == nil { continuation.finish() }
        return id
    }

    func remove(_ id: UInt64) {
        _ = lock.withLock { streams.removeValue(forKey: id) }
    }

    /// Ends every open stream and refuses new ones.
    func closeAll() {
        let open = lock.withLock {
            closed = true
            defer { streams.removeAll() }
            return Array(streams.values)
        }
        for continuation in open { continuation.finish() }
    }

    /// The number of open streams.
    var count: Int { lock.withLock { streams.count } }
}
