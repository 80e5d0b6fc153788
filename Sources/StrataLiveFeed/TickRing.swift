import StrataRuntime

/// A bounded first-in first-out queue of ticks: when full, the oldest tick makes room for the
/// newest (a live engine wants the latest prices; one that fell this far behind has lost the
/// old ones' moment anyway). Each tick carries when it arrived, for the engine's wake-up.
struct TickRing {
    let capacity: Int
    private var storage: [(tick: Tick, arrivedAt: Double)] = []
    private var head = 0

    init(capacity: Int) {
        precondition(capacity > 0, "a tick ring needs room for at least one tick")
        self.capacity = capacity
    }

    var count: Int { storage.count - head }
    var isEmpty: Bool { count == 0 }
    /// When the oldest waiting tick arrived.
    var oldestArrival: Double? { isEmpty ? nil : storage[head].arrivedAt }

    /// Appends `tick`; returns the tick dropped to make room, if any.
    mutating func append(_ tick: Tick, at now: Double) -> Tick? {
        var dropped: Tick?
        if count == capacity {
            dropped = storage[head].tick
            head += 1
        }
        storage.append((tick, now))
        compact()
        return dropped
    }

    /// Removes and returns up to `limit` ticks, oldest first.
    mutating func take(_ limit: Int) -> [Tick] {
        let end = head + min(limit, count)
        let taken = storage[head..<end].map(\.tick)
        head = end
        compact()
        return taken
    }

    /// Reclaims the space of taken ticks once they are half the storage (amortised O(1)).
    private mutating func compact() {
        if head > 0, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
    }
}
