/// The events waiting for one webhook: first in, first out, at most `capacity`; when full, the
/// oldest waiting event is dropped to make room (a receiver that is down for long gets the most
/// recent events once it is back), and the drops are counted until they are reported.
public struct DeliveryQueue: Sendable {
    public let capacity: Int
    private var items: [WebhookEvent] = []
    private var head = 0
    /// Events dropped since the last ``take()`` that reported them.
    public private(set) var droppedUnreported = 0
    /// Every event ever dropped.
    public private(set) var droppedTotal = 0
    /// The newest event dropped since the last report (the delivery log names it).
    public private(set) var lastDropped: WebhookEvent?

    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Events waiting.
    public var count: Int { items.count - head }

    public mutating func push(_ event: WebhookEvent) {
        if count >= capacity {
            lastDropped = items[head]
            head += 1
            droppedUnreported += 1
            droppedTotal += 1
        }
        items.append(event)
        // Compacting only when half is dead keeps each push amortised O(1).
        if head > 64, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
    }

    /// The oldest waiting event, and how many were dropped since the last call that said so
    /// (with the newest of them).
    public mutating func take() -> (event: WebhookEvent?, dropped: Int, lastDropped: WebhookEvent?) {
        let dropped = droppedUnreported
        let last = lastDropped
        droppedUnreported = 0
        lastDropped = nil
        guard head < items.count else {
            items.removeAll(keepingCapacity: true)
            head = 0
            return (nil, dropped, last)
        }
        let event = items[head]
        head += 1
        return (event, dropped, last)
    }
}
