import Foundation

/// Fans engine events out to live subscribers (the HTTP event stream). Publishing never
/// blocks the engine: each subscriber has a bounded buffer, and one that reads too slowly
/// loses its oldest unread events. With no subscribers, publishing is one lock and a check.
public final class EventHub: @unchecked Sendable {
    /// Which events a subscriber wants.
    public struct Filter: Sendable {
        /// Only this instance's events (nil: all instances).
        public var instanceID: String?
        /// Only these kinds.
        public var kinds: Set<EngineEvent.Kind>

        public init(instanceID: String? = nil, kinds: Set<EngineEvent.Kind> = Set(EngineEvent.Kind.allCases)) {
            self.instanceID = instanceID
            self.kinds = kinds
        }

        /// Whether `event` passes.
        public func admits(_ event: EngineEvent) -> Bool {
            kinds.contains(event.kind) && (instanceID == nil || instanceID == event.instanceID)
        }
    }

    private struct Subscriber {
        var filter: Filter
        var continuation: AsyncStream<EngineEvent>.Continuation
    }

    private let lock = NSLock()
    private var subscribers: [UInt64: Subscriber] = [:]
    private var nextID: UInt64 = 0

    public init() {}

    /// Whether anyone listens for `kind` (lets the engine skip building events nobody reads).
    public func wants(_ kind: EngineEvent.Kind) -> Bool {
        lock.withLock { subscribers.values.contains { $0.filter.kinds.contains(kind) } }
    }

    /// A stream of the events that pass `filter`, from now on. It ends when the consumer stops
    /// iterating (or is cancelled); at most `buffer` unread events are kept.
    public func subscribe(_ filter: Filter, buffer: Int = 1000) -> AsyncStream<EngineEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: EngineEvent.self, bufferingPolicy: .bufferingNewest(buffer))
        let id = lock.withLock {
            nextID += 1
            subscribers[nextID] = Subscriber(filter: filter, continuation: continuation)
            return nextID
        }
        continuation.onTermination = { [weak self] _ in
            guard let self else { return }
            _ = self.lock.withLock { self.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Hands each event to the subscribers whose filter admits it.
    public func publish(_ events: [EngineEvent]) {
        guard !events.isEmpty else { return }
        let current = lock.withLock { Array(subscribers.values) }
        for subscriber in current {
            for event in events where subscriber.filter.admits(event) {
                subscriber.continuation.yield(event)
            }
        }
    }

    /// Publishes statuses as `status` events; builds nothing when no one listens for them.
    public func publishStatuses(_ statuses: [InstanceStatus]) {
        guard wants(.status) else { return }
        publish(statuses.map { EngineEvent(instanceID: $0.instanceID, payload: .status($0)) })
    }

    /// The number of live subscribers.
    public var subscriberCount: Int { lock.withLock { subscribers.count } }
}
