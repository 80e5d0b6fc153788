import Synchronization

/// What one connection's tasks found out, read after it ends, and whether it opened or was
/// given up first (exactly one of the two happens).
final class ConnectionOutcome: Sendable {
    private struct State {
        var ending: BinanceStreamClient.Ending?
        var delivered = false
        var open = false
        var abandoned = false
    }

    private let state = Mutex(State())

    var ending: BinanceStreamClient.Ending? {
        state.withLock { state in
            guard var ending = state.ending else { return nil }
            ending.deliveredData = ending.deliveredData || state.delivered
            return ending
        }
    }

    var delivered: Bool {
        get { state.withLock { $0.delivered } }
        set { state.withLock { $0.delivered = newValue } }
    }

    /// Whether the connection has opened (its handler runs).
    var isOpen: Bool { state.withLock { $0.open } }

    func end(_ ending: BinanceStreamClient.Ending) {
        state.withLock { state in
            if state.ending == nil { state.ending = ending }
        }
    }

    /// Records that the connection opened; false when it was given up before (then it must close).
    func markOpen() -> Bool {
        state.withLock { state in
            guard !state.abandoned else { return false }
            state.open = true
            return true
        }
    }

    /// Gives the connection up if it has not opened yet.
    /// - Returns: whether it was given up (false: it had opened).
    func abandon() -> Bool {
        state.withLock { state in
            if !state.open { state.abandoned = true }
            return state.abandoned
        }
    }
}

/// The first of several ways a connection attempt can end, handed to the one waiting for it
/// (later ones are ignored).
final class FirstEnding: Sendable {
    private struct State {
        var continuation: CheckedContinuation<BinanceStreamClient.Ending, Never>?
        var early: BinanceStreamClient.Ending?
        var resumed = false
    }

    private let state = Mutex(State())

    /// The waiter; an ending that came before it is handed over at once.
    func set(_ continuation: CheckedContinuation<BinanceStreamClient.Ending, Never>) {
        let early = state.withLock { state -> BinanceStreamClient.Ending? in
            guard let early = state.early, !state.resumed else {
                state.continuation = continuation
                return nil
            }
            state.resumed = true
            return early
        }
        if let early { continuation.resume(returning: early) }
    }

    /// Whether the waiter has its ending.
    var isDone: Bool { state.withLock { $0.resumed || $0.early != nil } }

    func resume(_ ending: BinanceStreamClient.Ending) {
        let continuation = state.withLock { state -> CheckedContinuation<BinanceStreamClient.Ending, Never>? in
            guard !state.resumed else { return nil }
            guard let continuation = state.continuation else {
                if state.early == nil { state.early = ending }
                return nil
            }
            state.resumed = true
            state.continuation = nil
            return continuation
        }
        continuation?.resume(returning: ending)
    }
}
