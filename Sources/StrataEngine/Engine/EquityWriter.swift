import Dispatch
import Synchronization

/// Writes equity points and prunes them off the engine's thread, one batch at a time, in order.
/// Points whose write failed stay queued (the oldest dropped past ``capacity``) and go with the
/// next batch, so a store that fails for a while loses nothing it comes back from in time.
final class EquityWriter: Sendable {
    private struct State {
        /// Points not written yet, oldest first.
        var pending: [EquityPoint] = []
        /// A prune asked for and not done yet (its engine time).
        var pruneAt: Double?
        /// Whether a drain is queued or running.
        var draining = false
    }

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "strata-equity-writer")
    /// The most points kept waiting while the store fails (10,000 instances × 3 tiers × 10 tries).
    let capacity: Int

    init(capacity: Int = 300_000) {
        self.capacity = max(1, capacity)
    }

    /// Whether points wait for a retry (written or failed batches leave none).
    var hasPending: Bool { state.withLock { !$0.pending.isEmpty || $0.pruneAt != nil } }

    /// Queues `points` (and a prune at `pruneAt`) and starts a drain unless one is under way.
    func submit(
        _ points: [EquityPoint], pruneAt: Double?, store: any EquityHistoryStore, policy: EquityHistoryPolicy, counters: EngineCounters
    ) {
        let (start, dropped) = state.withLock { state -> (Bool, Int) in
            state.pending += points
            let excess = state.pending.count - capacity
            if excess > 0 { state.pending.removeFirst(excess) }
            if let pruneAt { state.pruneAt = max(state.pruneAt ?? pruneAt, pruneAt) }
            guard !state.draining, !state.pending.isEmpty || state.pruneAt != nil else { return (false, max(0, excess)) }
            state.draining = true
            return (true, max(0, excess))
        }
        if dropped > 0 { counters.record(.equityWrite, "equity history fell behind; the oldest \(dropped) unwritten points were dropped") }
        guard start else { return }
        queue.async { self.drain(store: store, policy: policy, counters: counters) }
    }

    /// Waits until no drain is queued or running (one that finds new points queues another).
    func wait() {
        repeat { queue.sync {} } while state.withLock { $0.draining }
    }

    /// Writes what is pending in one batch; on failure puts it back (before newer points) and
    /// stops until the next ``submit``.
    private func drain(store: any EquityHistoryStore, policy: EquityHistoryPolicy, counters: EngineCounters) {
        let (batch, pruneAt) = state.withLock { state in
            defer {
                state.pending = []
                state.pruneAt = nil
            }
            return (state.pending, state.pruneAt)
        }
        var failedPoints: [EquityPoint] = []
        var failedPrune: Double?
        if !batch.isEmpty {
            do {
                try store.appendEquityPoints(batch)
            } catch let error as StoreError where error.code == .invalidArgument {
                // Never written however often it is tried: counted and let go.
                counters.record(.equityWrite, "\(error)")
            } catch {
                counters.record(.equityWrite, "\(error)")
                failedPoints = batch
            }
        }
        if let pruneAt {
            do {
                try store.pruneEquityPoints(policy: policy, now: pruneAt)
            } catch {
                counters.record(.equityWrite, "equity retention: \(error)")
                failedPrune = pruneAt
            }
        }
        // Points submitted while this drain ran found it running and started none: drain again
        // for them (not for a failed batch alone, which waits for the next submit).
        let again = state.withLock { state -> Bool in
            let arrived = !state.pending.isEmpty || state.pruneAt != nil
            state.pending = failedPoints + state.pending
            if state.pending.count > capacity { state.pending.removeFirst(state.pending.count - capacity) }
            if let failedPrune { state.pruneAt = max(state.pruneAt ?? failedPrune, failedPrune) }
            state.draining = arrived
            return arrived
        }
        if again { queue.async { self.drain(store: store, policy: policy, counters: counters) } }
    }
}
