import Foundation
import NIOCore
import StrataEngine

/// One open event stream's side of the fan-out: the frames waiting to be written to its
/// client, at most `capacity` of them (past it the oldest go, counted), and a wake-up for the
/// task that writes them. Frames are shared: every client holds the same bytes of an event.
final class EventStreamClient: @unchecked Sendable {
    let filter: EventHub.Filter
    let capacity: Int
    /// Signals new frames; many signals before the writer wakes make one.
    let wakes: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let lock = NSLock()
    private var frames: [ByteBuffer] = []
    /// Index of the oldest unwritten frame in `frames` (taken frames are dropped in bulk).
    private var start = 0
    private var dropped = 0
    private var release: (@Sendable () -> Void)?

    init(filter: EventHub.Filter, capacity: Int, release: @escaping @Sendable () -> Void) {
        self.filter = filter
        self.capacity = max(1, capacity)
        self.release = release
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a frame for the client, dropping the oldest past `capacity`.
    func enqueue(_ frame: ByteBuffer) {
        lock.withLock {
            frames.append(frame)
            if frames.count - start > capacity {
                start += 1
                dropped += 1
            }
            // Compact now and then, so the array does not grow without end.
            if start > 1024, start * 2 > frames.count {
                frames.removeFirst(start)
                start = 0
            }
        }
        wake.yield()
    }

    /// Every waiting frame, oldest first, and how many were dropped since the last call.
    func takeAll() -> (frames: ArraySlice<ByteBuffer>, dropped: Int) {
        lock.withLock {
            let taken = frames[start...]
            frames = []
            start = 0
            defer { dropped = 0 }
            return (taken, dropped)
        }
    }

    /// Ends the wake-ups (the writer finishes) and frees the client's place in the registry; idempotent.
    func close() {
        let release = lock.withLock {
            defer { self.release = nil }
            return self.release
        }
        wake.finish()
        release?()
    }
}

extension EventStreamClient {
    /// What the answer's body holds: when the body never runs (a `HEAD`, a client gone before
    /// the answer was written), dropping the answer drops the ticket, which closes the client
    /// and frees its place.
    final class Ticket: Sendable {
        let client: EventStreamClient

        init(_ client: EventStreamClient) {
            self.client = client
        }

        deinit { client.close() }
    }
}
