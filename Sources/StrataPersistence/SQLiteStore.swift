import Foundation
import GRDB
import StrataEngine
import StrataRuntime

/// The embedded ``InstanceStore``: one SQLite file in WAL mode, shared safely by the engine, the
/// CLI and a SQL shell running at the same time.
///
/// Reads run concurrently on a `DatabasePool`'s readers; writes are serialized in this process
/// and take SQLite's write lock (`BEGIN IMMEDIATE`) across processes, waiting up to
/// `busyTimeout` for another process to finish.
public struct SQLiteStore: InstanceStore, ResearchStore {
    /// The default number of log lines kept per instance.
    public static let defaultLogCapacity = 1_000

    let pool: DatabasePool
    /// Every operation passes it; ``close()`` shuts it first (see ``StoreGate``).
    let gate = StoreGate()
    /// How many log lines ``appendLogs(_:)`` keeps per instance.
    public let logCapacity: Int
    let clock: @Sendable () -> Date

    /// Opens (creating if needed) the database at `path` and migrates it to the current schema.
    /// - Parameters:
    ///   - logCapacity: log lines kept per instance; older ones are deleted as new ones arrive.
    ///   - busyTimeout: how long a write waits for another process's write lock.
    ///   - clock: the source of timestamps (tests may pin it).
    /// - Throws: ``StoreError`` with code `database` if the file cannot be opened or migrated.
    public init(
        path: String, logCapacity: Int = SQLiteStore.defaultLogCapacity, busyTimeout: TimeInterval = 5,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        var configuration = Configuration()
        configuration.label = "strata"
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        self.logCapacity = max(1, logCapacity)
        self.clock = clock
        self.pool = try Self.perform("open", instanceID: nil) {
            let pool = try Self.open(path: path, configuration: configuration, patience: busyTimeout)
            try Self.migrate(pool)
            return pool
        }
    }

    /// Opens the pool, trying again while another process holds the lock that switching a new
    /// file to WAL needs (SQLite answers that switch with "database is locked" at once, without
    /// waiting on the busy timeout).
    private static func open(path: String, configuration: Configuration, patience: TimeInterval) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(patience)
        var pause = 0.005
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                Thread.sleep(forTimeInterval: pause)
                pause = min(pause * 2, 0.1)
            }
        }
    }

    /// Migrates, tolerating another process that migrates the same new file at the same time:
    /// each migration commits on its own, so a loser that read "not applied" before the winner
    /// committed fails on an existing table, and simply tries again (finding it applied).
    private static func migrate(_ pool: DatabasePool) throws {
        var attempt = 0
        while true {
            do {
                return try StoreSchema.migrator.migrate(pool)
            } catch {
                attempt += 1
                if attempt >= 5 { throw error }
                Thread.sleep(forTimeInterval: 0.02 * Double(attempt))
            }
        }
    }

    /// The path of the database file.
    public var path: String { pool.path }

    /// Closes the database connections once the operations under way on other threads are
    /// done (a thread still inside one after 10 s leaves the connections open rather than free
    /// them under it). Calls made afterwards throw.
    public func close() throws {
        guard gate.shut() else { return }
        try Self.perform("close", instanceID: nil) { try pool.close() }
    }

    // MARK: Desired state

    @discardableResult
    public func createInstance(
        _ identity: InstanceIdentity, mode: InstanceMode, config: [String: JSONValue],
        actor: AuditActor
    ) throws -> InstanceRecord {
        guard !identity.id.isEmpty, !identity.strategyType.isEmpty, !identity.account.isEmpty,
            !identity.market.isEmpty
        else {
            throw StoreError(
                .invalidArgument, "id, strategy type, account and market must not be empty",
                instanceID: identity.id, operation: "createInstance")
        }
        return try write("createInstance", instanceID: identity.id) { db in
            if try Self.fetchInstance(db, id: identity.id) != nil {
                throw StoreError(
                    .alreadyExists, "instance \(identity.id) already exists",
                    instanceID: identity.id, operation: "createInstance")
            }
            let now = clock()
            try db.execute(
                sql: "INSERT INTO accounts (name, broker, created_at) VALUES (?, ?, ?) ON CONFLICT(name) DO NOTHING",
                arguments: [identity.account, AccountRecord.paperBroker, now])
            try db.execute(
                sql: """
                    INSERT INTO instances (id, strategy_type, account, market, mode, config, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    identity.id, identity.strategyType, identity.account, identity.market,
                    mode.rawValue, JSONValue.object(config).encoded(), now, now,
                ])
            let record = try Self.fetchInstance(db, id: identity.id)!
            try Self.appendAudit(
                db, instanceID: identity.id, at: now, actor: actor, field: .create,
                old: nil, new: record.auditValue)
            return record
        }
    }

    public func instances() throws -> [InstanceRecord] {
        try read("instances", instanceID: nil) { db in
            try Row.fetchAll(db, sql: "SELECT * FROM instances ORDER BY created_at, id").map(InstanceRecord.init(row:))
        }
    }

    public func instance(id: String) throws -> InstanceRecord? {
        try read("instance", instanceID: id) { db in try Self.fetchInstance(db, id: id) }
    }

    @discardableResult
    public func setMode(id: String, to mode: InstanceMode, actor: AuditActor) throws -> InstanceRecord {
        try write("setMode", instanceID: id) { db in
            let record = try Self.requireInstance(db, id: id, operation: "setMode")
            guard record.mode != mode else { return record }
            let now = clock()
            try db.execute(
                sql: "UPDATE instances SET mode = ?, updated_at = ? WHERE id = ?",
                arguments: [mode.rawValue, now, id])
            try Self.appendAudit(
                db, instanceID: id, at: now, actor: actor, field: .mode,
                old: .string(record.mode.rawValue), new: .string(mode.rawValue))
            return try Self.requireInstance(db, id: id, operation: "setMode")
        }
    }

    @discardableResult
    public func setConfig(id: String, to config: [String: JSONValue], actor: AuditActor) throws -> InstanceRecord {
        try write("setConfig", instanceID: id) { db in
            let record = try Self.requireInstance(db, id: id, operation: "setConfig")
            // Compared as canonical JSON text, so 1 and 1.0 (which read back alike) are no change.
            let oldText = JSONValue.object(record.config).encoded()
            let newText = JSONValue.object(config).encoded()
            guard oldText != newText else { return record }
            let now = clock()
            try db.execute(
                sql: "UPDATE instances SET config = ?, updated_at = ? WHERE id = ?",
                arguments: [newText, now, id])
            let updated = try Self.requireInstance(db, id: id, operation: "setConfig")
            try Self.appendAudit(
                db, instanceID: id, at: now, actor: actor, field: .config,
                old: .object(record.config), new: .object(updated.config))
            return updated
        }
    }

    public func auditLog(instanceID: String) throws -> [AuditEntry] {
        try read("auditLog", instanceID: instanceID) { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM audit_log WHERE instance_id = ? ORDER BY id",
                arguments: [instanceID]
            ).map(AuditEntry.init(row:))
        }
    }

    /// One primary-key read of the `change_generation` row, which triggers on `instances` bump
    /// inside every writing transaction, whoever the writer is.
    public func changeToken() throws -> StoreChangeToken {
        try read("changeToken", instanceID: nil) { db in
            let value = try Int64.fetchOne(db, sql: "SELECT value FROM change_generation WHERE id = 1") ?? 0
            return StoreChangeToken(generation: value)
        }
    }

    // MARK: Helpers shared by the extensions

    static func fetchInstance(_ db: Database, id: String) throws -> InstanceRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM instances WHERE id = ?", arguments: [id]).map(InstanceRecord.init(row:))
    }

    static func requireInstance(_ db: Database, id: String, operation: String) throws -> InstanceRecord {
        guard let record = try fetchInstance(db, id: id) else {
            throw StoreError(.notFound, "no instance \(id)", instanceID: id, operation: operation)
        }
        return record
    }

    static func appendAudit(
        _ db: Database, instanceID: String, at: Date, actor: AuditActor, field: AuditField,
        old: JSONValue?, new: JSONValue
    ) throws {
        try db.execute(
            sql: "INSERT INTO audit_log (instance_id, at, actor, field, old, new) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [instanceID, at, actor.rawValue, field.rawValue, old?.encoded(), new.encoded()])
    }
}
