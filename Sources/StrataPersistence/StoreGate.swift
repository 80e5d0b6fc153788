import Foundation
import StrataEngine
import Synchronization

/// Lets a store be closed while other threads still use it. GRDB's `close()` must not race a
/// read or write on another thread (the connection is freed under it), and the engine thread,
/// the HTTP server and a stop watchdog all share one store: every operation passes the gate,
/// and closing shuts it and waits for the operations under way.
final class StoreGate: Sendable {
    private struct Passage {
        var closed = false
        var inside = 0
    }

    private let passage = Mutex(Passage())

    /// Runs `body` unless the store is closed (then it throws `database` "the store is closed").
    func pass<T>(_ operation: String, instanceID: String?, _ body: () throws -> T) throws -> T {
        let open = passage.withLock { passage in
            guard !passage.closed else { return false }
            passage.inside += 1
            return true
        }
        guard open else {
            throw StoreError(.database, "the store is closed", instanceID: instanceID, operation: operation)
        }
        defer { passage.withLock { $0.inside -= 1 } }
        return try body()
    }

    /// Shuts the gate and waits (up to `patience`) until no operation is under way. Returns
    /// false when one is still running then: closing the connections would free them under it.
    func shut(patience: Duration = .seconds(10)) -> Bool {
        passage.withLock { $0.closed = true }
        let deadline = ContinuousClock.now + patience
        while passage.withLock({ $0.inside }) > 0 {
            guard ContinuousClock.now < deadline else { return false }
            Thread.sleep(forTimeInterval: 0.001)
        }
        return true
    }
}
