import Dispatch
import Foundation
import PostgresNIO
import StrataEngine
import Synchronization

/// Pushes the desired state's changes: one connection of its own `LISTEN`s on
/// ``PostgresSchema/desiredStateChannel`` (which every write to instances and shadows notifies
/// on commit, whoever wrote) and calls the registered actions. Started by the first observer; a
/// lost connection is made again, and the actions are called once on reconnect, since changes
/// may have been missed meanwhile.
final class PostgresChangeListener: Sendable {
    private let pool: PostgresConnectionPool
    private let actions = Mutex<[Int: @Sendable () -> Void]>([:])
    private let nextKey = Atomic<Int>(0)
    private let state = Mutex<State>(State())
    /// Signalled once the first `LISTEN` is in place.
    private let listening = DispatchSemaphore(value: 0)

    private struct State {
        var started = false
        var stopped = false
        var connection: PostgresConnection?
    }

    init(pool: PostgresConnectionPool) {
        self.pool = pool
    }

    /// Registers `action` until the observation ends. The first observer waits (up to 5 s) until
    /// the listening connection is in place, so a write committed after this returns is heard.
    func observe(_ action: @escaping @Sendable () -> Void) -> StoreObservation {
        let key = nextKey.wrappingAdd(1, ordering: .relaxed).oldValue
        actions.withLock { $0[key] = action }
        startOnce()
        return StoreObservation { [weak self] in
            _ = self?.actions.withLock { $0.removeValue(forKey: key) }
        }
    }

    /// Closes the listening connection for good.
    func stop() {
        let connection = state.withLock { state in
            state.stopped = true
            return state.connection
        }
        try? connection?.close().wait()
    }

    private func startOnce() {
        let start = state.withLock { state in
            defer { state.started = true }
            return !state.started
        }
        guard start else { return }
        let thread = Thread { [self] in listenUntilStopped() }
        thread.name = "strata-pg-listen"
        thread.start()
        _ = listening.wait(timeout: .now() + 5)
    }

    private func notify() {
        for action in actions.withLock({ Array($0.values) }) { action() }
    }

    private func listenUntilStopped() {
        var first = true
        while !state.withLock({ $0.stopped }) {
            do {
                let connection = try pool.connect()
                let keep = state.withLock { state in
                    if !state.stopped { state.connection = connection }
                    return !state.stopped
                }
                guard keep else {
                    try? connection.close().wait()
                    return
                }
                connection.addListener(channel: PostgresSchema.desiredStateChannel) { [weak self] _, _ in
                    self?.notify()
                }
                _ = try connection.query("LISTEN \(unescaped: PostgresSchema.desiredStateChannel)", logger: pool.logger).wait()
                if first {
                    listening.signal()
                } else {
                    notify()
                }
                first = false
                try? connection.closeFuture.wait()
            } catch {
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
    }
}

extension PostgresStore {
    /// Calls `action` after each commit that changes instances or shadows, by this process or
    /// any other on the database (pushed by `NOTIFY`, not polled).
    public func observeDesiredState(_ action: @escaping @Sendable () -> Void) -> StoreObservation {
        listener.observe(action)
    }

    /// One primary-key read of the `change_generation` row, bumped by every write to the desired state.
    public func changeToken() throws -> StoreChangeToken {
        try read("changeToken", instanceID: nil) { session in
            let value = try session.rows("SELECT value FROM change_generation WHERE id = 1").first?.decode(Int64.self) ?? 0
            return StoreChangeToken(generation: value)
        }
    }
}
