import Foundation
import Logging
import StrataEngine
import Synchronization

/// Writes delivery lines to the store off every caller's path: lines wait in a bounded backlog
/// and one writer (a serial queue) writes them in batches. A store that is down loses lines
/// past the backlog (counted and logged), never the host's memory nor a delivery's time.
final class DeliveryLog: Sendable {
    private struct Backlog {
        var lines: [WebhookDelivery] = []
        var scheduled = false
        var lost = 0
    }

    private let store: any WebhookStore
    private let capacity: Int
    private let logger: Logger
    private let backlog = Mutex(Backlog())
    private let writer = DispatchQueue(label: "strata-webhook-log")

    init(store: any WebhookStore, capacity: Int, logger: Logger) {
        self.store = store
        self.capacity = capacity
        self.logger = logger
    }

    /// Lines lost because the backlog was full or the store refused them.
    var lost: Int { backlog.withLock { $0.lost } }

    func record(_ line: WebhookDelivery) {
        let schedule = backlog.withLock { state -> Bool in
            guard state.lines.count < capacity else {
                state.lost += 1
                return false
            }
            state.lines.append(line)
            defer { state.scheduled = true }
            return !state.scheduled
        }
        if schedule { writer.async { self.flush() } }
    }

    /// Waits until every line recorded so far is written (tests, shutdown).
    func drain() async {
        await withCheckedContinuation { continuation in
            writer.async {
                self.flush()
                continuation.resume()
            }
        }
    }

    private func flush() {
        let lines = backlog.withLock { state -> [WebhookDelivery] in
            state.scheduled = false
            defer { state.lines.removeAll(keepingCapacity: true) }
            return state.lines
        }
        guard !lines.isEmpty else { return }
        do {
            try store.appendDeliveries(lines)
        } catch {
            backlog.withLock { $0.lost += lines.count }
            logger.error("webhook delivery log: \(lines.count) lines not written: \(error)")
        }
    }
}
