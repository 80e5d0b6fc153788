import Dispatch
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import StrataEngine
import Synchronization

/// Connections to one PostgreSQL database for synchronous callers: a thread borrows a
/// connection, runs its statements (waiting for each on its own thread, never on an event
/// loop), and gives it back. At most `limit` connections are open at once; a caller beyond
/// that waits for one to come back. A connection that failed is closed, not reused.
///
/// The pool owns its event loop group (one thread does all the I/O) and ends it in ``close()``.
final class PostgresConnectionPool: Sendable {
    let location: PostgresLocation
    private let group: MultiThreadedEventLoopGroup
    private let idle = Mutex<[PostgresConnection]>([])
    private let slots: DispatchSemaphore
    private let nextID = Atomic<Int>(1)
    private let closed = Atomic<Bool>(false)
    let logger: Logger

    /// Opens one connection at once, so a wrong URL fails here with the server's answer.
    init(location: PostgresLocation, limit: Int) throws {
        self.location = location
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        self.slots = DispatchSemaphore(value: max(1, limit))
        var logger = Logger(label: "strata.postgres")
        logger.logLevel = .critical
        self.logger = logger
        do {
            let first = try connect()
            idle.withLock { $0.append(first) }
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    /// Opens a new connection (not counted against the limit: the listener uses one of its own).
    func connect() throws -> PostgresConnection {
        do {
            return try PostgresConnection.connect(
                on: group.next(), configuration: location.configuration,
                id: nextID.wrappingAdd(1, ordering: .relaxed).oldValue, logger: logger
            ).wait()
        } catch {
            throw PostgresFailure.storeError(error, operation: "connect", instanceID: nil, location: location)
        }
    }

    /// Runs `body` with a connection of its own.
    func withSession<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        guard !closed.load(ordering: .acquiring) else {
            throw StoreError(.database, "the store is closed", operation: "connect")
        }
        slots.wait()
        defer { slots.signal() }
        let connection = try idle.withLock { $0.popLast() } ?? connect()
        let session = PostgresSession(connection: connection, logger: logger)
        do {
            let result = try body(session)
            giveBack(connection)
            return result
        } catch {
            if connection.isClosed || session.isBroken {
                try? connection.close().wait()
            } else {
                giveBack(connection)
            }
            throw error
        }
    }

    private func giveBack(_ connection: PostgresConnection) {
        if connection.isClosed { return }
        if closed.load(ordering: .acquiring) {
            try? connection.close().wait()
            return
        }
        idle.withLock { $0.append(connection) }
    }

    /// A pool dropped without ``close()`` (its store was never closed) closes itself: its
    /// connections must not outlive it unclosed.
    deinit {
        close()
    }

    /// Closes the idle connections and ends the event loop; later calls throw. Connections in
    /// use are closed as they come back.
    func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let connections = idle.withLock { list in
            defer { list.removeAll() }
            return list
        }
        for connection in connections { try? connection.close().wait() }
        group.shutdownGracefully { _ in }
    }
}
