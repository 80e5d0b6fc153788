import Foundation
import Logging
import PostgresNIO
import StrataEngine
import StrataRuntime
import Synchronization

/// The ``InstanceStore`` for several nodes: one PostgreSQL database that every `strata serve`
/// node, every CLI and a SQL shell share. Same contract as the SQLite store (one transaction per
/// call, the same schema, constraints and audit), plus:
/// - the desired state's writes are pushed: each commit notifies every store listening on the
///   database (``observeDesiredState(_:)`` sees other processes' writes too, without polling);
/// - with a ``LeaseBook`` (a cluster node's store), every write for an instance — status,
///   orders, fills, signals, logs, snapshots — carries the node's fencing token, and the
///   database refuses it when the lease no longer carries that token.
///
/// Calls block the calling thread while the pool's event loop talks to the server; never call
/// them from an event loop.
public final class PostgresStore: InstanceStore, ClusterStore, ResearchStore {
    /// The default number of log lines kept per instance (as the SQLite store).
    public static let defaultLogCapacity = 1_000

    let pool: PostgresConnectionPool
    /// How many log lines ``appendLogs(_:)`` keeps per instance.
    public let logCapacity: Int
    /// The node's fencing tokens; nil: writes are not fenced (one node, the CLI).
    public let fencing: LeaseBook?
    let clock: @Sendable () -> Date
    let listener: PostgresChangeListener
    /// The nodes this store has registered (``heartbeat(node:address:timeout:)``): its first
    /// heartbeat for a name starts a new life of the node (a new `started_at`).
    let registeredNodes = Mutex<Set<String>>([])

    /// Connects to `url`, migrates the database to the current schema (one node at a time,
    /// under an advisory lock) and starts listening for desired-state changes.
    /// - Parameters:
    ///   - connections: the most connections open at once (plus one for listening).
    ///   - fencing: the node's lease book, for a cluster node.
    /// - Throws: ``StoreError`` naming the server or the statement that failed.
    public init(
        url: String, logCapacity: Int = PostgresStore.defaultLogCapacity, connections: Int = 8,
        fencing: LeaseBook? = nil, clock: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        let location = try PostgresLocation(url: url)
        self.pool = try PostgresConnectionPool(location: location, limit: connections)
        self.logCapacity = max(1, logCapacity)
        self.fencing = fencing
        self.clock = clock
        self.listener = PostgresChangeListener(pool: pool)
        do {
            try pool.withSession { try PostgresMigrator.migrate($0) }
        } catch {
            pool.close()
            throw PostgresFailure.storeError(error, operation: "migrate", instanceID: nil, location: location)
        }
    }

    /// The database, without its password.
    public var location: PostgresLocation { pool.location }

    /// Closes the connections; later calls throw.
    public func close() throws {
        listener.stop()
        pool.close()
    }

    // MARK: Shared by the extensions

    /// Runs `body` with a connection, mapping failures to ``StoreError``.
    func read<T>(_ operation: String, instanceID: String?, _ body: (PostgresSession) throws -> T) throws -> T {
        do {
            return try pool.withSession(body)
        } catch {
            throw PostgresFailure.storeError(error, operation: operation, instanceID: instanceID, location: location)
        }
    }

    /// Runs `body` in one transaction (all or nothing), mapping failures to ``StoreError``.
    func write<T>(_ operation: String, instanceID: String?, _ body: (PostgresSession) throws -> T) throws -> T {
        try read(operation, instanceID: instanceID) { session in try session.transaction { try body(session) } }
    }

    /// The fencing token a write for `instanceID` carries: nil when writes are not fenced.
    /// - Returns: `.refused` when this node holds no lease for the instance (the write is dropped).
    func fence(_ instanceID: String) -> Fence {
        guard let fencing else { return .unfenced }
        guard let token = fencing.token(for: instanceID) else { return .refused }
        return .token(token)
    }

    /// What a write for one instance carries.
    enum Fence {
        /// Writes are not fenced (no lease book): bind NULL, which `strata_lease_holds` passes.
        case unfenced
        /// The node's token: the statement passes only while the lease carries it.
        case token(Int64)
        /// The node holds no lease for the instance: the write is not even sent.
        case refused

        /// The value bound for `strata_lease_holds(instance_id, $token)`.
        var bound: Int64? {
            if case .token(let token) = self { return token }
            return nil
        }
    }

    /// The records among `records` the store may send (their instance is unfenced or leased by
    /// this node), each with its token; the others are counted as refused.
    func fenced<Record>(_ records: [Record], instanceID: (Record) -> String) -> [(record: Record, token: Int64?)] {
        var passed: [(record: Record, token: Int64?)] = []
        passed.reserveCapacity(records.count)
        var refused = 0
        for record in records {
            let fence = fence(instanceID(record))
            if case .refused = fence {
                refused += 1
            } else {
                passed.append((record, fence.bound))
            }
        }
        fencing?.countRefused(refused)
        return passed
    }

    /// Counts the rows a fenced statement did not write (the database refused their token).
    func countRefused(sent: Int, written: Int) {
        fencing?.countRefused(sent - written)
    }
}
