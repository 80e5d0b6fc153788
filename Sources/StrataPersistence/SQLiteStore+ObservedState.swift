import Foundation
import GRDB
import StrataEngine

// Status and versions: what the engine observes, kept apart from the desired state. None of
// these writes touches `instances`, so none of them changes the change token.
extension SQLiteStore {
    public func saveStatus(_ status: InstanceStatus) throws {
        try write("saveStatus", instanceID: status.instanceID) { db in try Self.upsert(status, in: db) }
    }

    public func saveStatuses(_ statuses: [InstanceStatus], overRunningOnly: Bool) throws {
        guard !statuses.isEmpty else { return }
        try write("saveStatuses", instanceID: nil) { db in
            for status in statuses { try Self.upsert(status, in: db, overRunningOnly: overRunningOnly) }
        }
    }

    private static func upsert(_ status: InstanceStatus, in db: Database, overRunningOnly: Bool = false) throws {
        // A cached statement: a batch of 10,000 statuses is parsed once, not 10,000 times.
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO instance_status (instance_id, status, last_error_message, last_error_kind,
                    last_error_traceback, version, ticks, last_tick_at, memory_bytes, cpu_seconds,
                    pnl, position, tick_latency_p50, tick_latency_p99, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(instance_id) DO UPDATE SET
                    status = excluded.status, last_error_message = excluded.last_error_message,
                    last_error_kind = excluded.last_error_kind, last_error_traceback = excluded.last_error_traceback,
                    version = excluded.version, ticks = excluded.ticks, last_tick_at = excluded.last_tick_at,
                    memory_bytes = excluded.memory_bytes, cpu_seconds = excluded.cpu_seconds,
                    pnl = excluded.pnl, position = excluded.position, tick_latency_p50 = excluded.tick_latency_p50,
                    tick_latency_p99 = excluded.tick_latency_p99, updated_at = excluded.updated_at
                \(overRunningOnly ? "WHERE instance_status.status = 'running'" : "")
                """)
        try statement.execute(arguments: [
            status.instanceID, status.state.rawValue, status.lastError?.message,
            status.lastError?.kind, status.lastError?.traceback, status.version, status.ticks,
            StorageDate.value(status.lastTickAt), status.memoryBytes, status.cpuSeconds, status.pnl,
            status.position, status.tickLatencyP50, status.tickLatencyP99,
            StorageDate.value(status.updatedAt),
        ])
    }

    public func status(instanceID: String) throws -> InstanceStatus? {
        try read("status", instanceID: instanceID) { db in
            try Row.fetchOne(db, sql: "SELECT * FROM instance_status WHERE instance_id = ?", arguments: [instanceID])
                .map(InstanceStatus.init(row:))
        }
    }

    public func statuses() throws -> [InstanceStatus] {
        try read("statuses", instanceID: nil) { db in
            try Row.fetchAll(db, sql: "SELECT * FROM instance_status ORDER BY instance_id").map(InstanceStatus.init(row:))
        }
    }

    @discardableResult
    public func recordVersion(_ version: StrategyVersion) throws -> StrategyVersion {
        try write("recordVersion", instanceID: nil) { db in
            try db.execute(
                sql: """
                    INSERT INTO strategy_versions (strategy_type, hash, source, first_seen) VALUES (?, ?, ?, ?)
                    ON CONFLICT(strategy_type, hash) DO NOTHING
                    """, arguments: [version.strategyType, version.hash, version.source, version.firstSeen])
            return try Self.fetchVersion(db, strategyType: version.strategyType, hash: version.hash)!
        }
    }

    public func version(strategyType: String, hash: String) throws -> StrategyVersion? {
        try read("version", instanceID: nil) { db in try Self.fetchVersion(db, strategyType: strategyType, hash: hash) }
    }

    public func versions(strategyType: String) throws -> [StrategyVersion] {
        try read("versions", instanceID: nil) { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM strategy_versions WHERE strategy_type = ? ORDER BY first_seen, rowid",
                arguments: [strategyType]
            ).map(StrategyVersion.init(row:))
        }
    }

    static func fetchVersion(_ db: Database, strategyType: String, hash: String) throws -> StrategyVersion? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM strategy_versions WHERE strategy_type = ? AND hash = ?",
            arguments: [strategyType, hash]
        ).map(StrategyVersion.init(row:))
    }
}
