import Foundation
import NIOCore
import StrataEngine

/// The open event streams and the one subscription to the engine's events that feeds them all.
///
/// Each event is encoded once, as its `text/event-stream` frame, and the same bytes are queued
/// for every stream whose filter admits it: two hundred unfiltered streams cost one encoding
/// per event, not two hundred. The subscription exists only while a stream is open (so the
/// engine builds no status events for nobody). At most `maxStreams` are open at once; a
/// shutting-down server ends them all and admits no more.
final class EventStreamRegistry: @unchecked Sendable {
    /// The answer to a new stream.
    enum Admission {
        case admitted(EventStreamClient.Ticket)
        /// `maxStreams` are open.
        case full
        /// The server is shutting down.
        case closed
    }

    let maxStreams: Int
    /// The most frames kept for one slow client.
    let buffer: Int
    private let hub: EventHub
    private let lock = NSLock()
    private var clients: [UInt64: EventStreamClient] = [:]
    private var nextID: UInt64 = 0
    private var closed = false
    /// The task that reads the hub, and which one it is (a stopped one delivers nothing more).
    private var fanOut: Task<Void, Never>?
    private var generation: UInt64 = 0

    init(hub: EventHub, maxStreams: Int, buffer: Int) {
        self.hub = hub
        self.maxStreams = maxStreams
        self.buffer = buffer
    }

    /// A new stream for `filter`, subscribed from now on: every event published after this
    /// returns reaches it (unless it falls `buffer` frames behind).
    func admit(_ filter: EventHub.Filter) -> Admission {
        lock.withLock {
            if closed { return .closed }
            guard clients.count < maxStreams else { return .full }
            nextID += 1
            let id = nextID
            let client = EventStreamClient(filter: filter, capacity: buffer) { [weak self] in self?.remove(id) }
            clients[id] = client
            if fanOut == nil { startFanOut() }
            return .admitted(EventStreamClient.Ticket(client))
        }
    }

    /// Subscribes to the hub now (under the lock, so no event slips between admission and
    /// subscription) and starts the task that fans its events out.
    private func startFanOut() {
        generation += 1
        let current = generation
        // Sized for a burst of statuses of every instance, plus everything else in that second.
        let events = hub.subscribe(EventHub.Filter(), buffer: 50_000)
        fanOut = Task { [weak self] in
            for await event in events {
                guard let self else { return }
                let targets = self.lock.withLock { self.generation == current ? self.clients.values.filter { $0.filter.admits(event) } : [] }
                guard !targets.isEmpty else { continue }
                let frame = EventStreamFrame.event(event)
                for client in targets { client.enqueue(frame) }
            }
        }
    }

    private func remove(_ id: UInt64) {
        lock.withLock {
            guard clients.removeValue(forKey: id) != nil else { return }
            if clients.isEmpty {
                fanOut?.cancel()
                fanOut = nil
                generation += 1
            }
        }
    }

    /// Ends every open stream and refuses new ones.
    func closeAll() {
        let open = lock.withLock {
            closed = true
            return Array(clients.values)
        }
        for client in open { client.close() }
    }

    /// The number of open streams.
    var count: Int { lock.withLock { clients.count } }
}
