import NIOCore
import StrataEngine
import StrataRuntime

/// The bytes of the `text/event-stream` messages.
enum EventStreamFrame {
    /// The first bytes of every stream, sent once it is subscribed.
    static let opening = ByteBuffer(string: "retry: 2000\n: connected\n\n")
    static let keepAlive = ByteBuffer(string: ": keep-alive\n\n")

    /// `event: TYPE` and `data: JSON` (one line: the encoder escapes newlines in strings).
    static func event(_ event: EngineEvent) -> ByteBuffer {
        ByteBuffer(string: "event: \(event.kind.rawValue)\ndata: \(APIJSON.event(event).encoded())\n\n")
    }

    /// A comment telling a slow client how many events it lost.
    static func dropped(_ count: Int) -> ByteBuffer {
        ByteBuffer(string: ": dropped \(count) events (the client read too slowly)\n\n")
    }
}
