import Foundation
import PostgresNIO
import StrataEngine

// Status and versions: what the engine observes, kept apart from the desired state. None of
// these writes touches `instances`, so none of them changes the change token. Statuses are
// fenced; versions are not (they belong to a strategy type, not to an instance).
extension PostgresStore {
    public func saveStatus(_ status: InstanceStatus) throws {
        try upsert([status], overRunningOnly: false, operation: "saveStatus")
    }

    public func saveStatuses(_ statuses: [InstanceStatus], overRunningOnly: Bool) throws {
        guard !statuses.isEmpty else { return }
        try upsert(statuses, overRunningOnly: overRunningOnly, operation: "saveStatuses")
    }

    /// All of `statuses` in one statement. Of two statuses of one instance the last is kept (one
    /// statement's `ON CONFLICT DO UPDATE` cannot touch a row twice; SQLite's loop keeps the last).
    private func upsert(_ statuses: [InstanceStatus], overRunningOnly: Bool, operation: String) throws {
        try writeFenced(
            fencedStatement(
                operation, Self.keepingLast(statuses, key: \.instanceID), instanceID: \.instanceID,
                columns: """
                    instance_id text, status text, last_error_message text, last_error_kind text,
                    last_error_traceback text, version text, ticks bigint, last_tick_at bigint, memory_bytes bigint,
                    cpu_seconds double precision, pnl double precision, position double precision,
                    tick_latency_p50 double precision, tick_latency_p99 double precision, updated_at bigint
                    """,
                fields: { status in
                    [
                        "instance_id": .text(status.instanceID), "status": .text(status.state.rawValue),
                        "last_error_message": .text(status.lastError?.message),
                        "last_error_kind": .text(status.lastError?.kind),
                        "last_error_traceback": .text(status.lastError?.traceback), "version": .text(status.version),
                        "ticks": .integer(status.ticks), "last_tick_at": .time(status.lastTickAt),
                        "memory_bytes": .integer(status.memoryBytes), "cpu_seconds": .number(status.cpuSeconds),
                        "pnl": .number(status.pnl), "position": .number(status.position),
                        "tick_latency_p50": .number(status.tickLatencyP50),
                        "tick_latency_p99": .number(status.tickLatencyP99), "updated_at": .time(status.updatedAt),
                    ]
                },
                insert: """
                    INSERT INTO instance_status (instance_id, status, last_error_message, last_error_kind,
                        last_error_traceback, version, ticks, last_tick_at, memory_bytes, cpu_seconds,
                        pnl, position, tick_latency_p50, tick_latency_p99, updated_at)
                    SELECT instance_id, status, last_error_message, last_error_kind, last_error_traceback, version,
                        ticks, to_timestamp(last_tick_at / 1000.0), memory_bytes, cpu_seconds, pnl, position,
                        tick_latency_p50, tick_latency_p99, to_timestamp(updated_at / 1000.0)
                    FROM passed ORDER BY n
                    ON CONFLICT (instance_id) DO UPDATE SET
                        status = excluded.status, last_error_message = excluded.last_error_message,
                        last_error_kind = excluded.last_error_kind, last_error_traceback = excluded.last_error_traceback,
                        version = excluded.version, ticks = excluded.ticks, last_tick_at = excluded.last_tick_at,
                        memory_bytes = excluded.memory_bytes, cpu_seconds = excluded.cpu_seconds,
                        pnl = excluded.pnl, position = excluded.position, tick_latency_p50 = excluded.tick_latency_p50,
                        tick_latency_p99 = excluded.tick_latency_p99, updated_at = excluded.updated_at
                    \(overRunningOnly ? "WHERE instance_status.status = 'running'" : "")
                    """))
    }

    public func status(instanceID: String) throws -> InstanceStatus? {
        try read("status", instanceID: instanceID) { session in
            try session.rows("SELECT * FROM instance_status WHERE instance_id = \(instanceID)").first.map {
                try InstanceStatus(postgres: $0.makeRandomAccess())
            }
        }
    }

    public func statuses() throws -> [InstanceStatus] {
        try read("statuses", instanceID: nil) { session in
            try session.rows("SELECT * FROM instance_status ORDER BY instance_id").map {
                try InstanceStatus(postgres: $0.makeRandomAccess())
            }
        }
    }

    @discardableResult
    public func recordVersion(_ version: StrategyVersion) throws -> StrategyVersion {
        try write("recordVersion", instanceID: nil) { session in
            try session.run(
                """
                INSERT INTO strategy_versions (strategy_type, hash, source, first_seen)
                VALUES (\(version.strategyType), \(version.hash), \(version.source), \(PostgresTime(version.firstSeen)))
                ON CONFLICT (strategy_type, hash) DO NOTHING
                """)
            guard let stored = try Self.fetchVersion(session, strategyType: version.strategyType, hash: version.hash) else {
                throw StoreError(.database, "the version just recorded cannot be read", operation: "recordVersion")
            }
            return stored
        }
    }

    public func version(strategyType: String, hash: String) throws -> StrategyVersion? {
        try read("version", instanceID: nil) { session in
            try Self.fetchVersion(session, strategyType: strategyType, hash: hash)
        }
    }

    public func versions(strategyType: String) throws -> [StrategyVersion] {
        try read("versions", instanceID: nil) { session in
            // `ctid` stands in for SQLite's rowid as the tie-break: insertion order while no
            // row of the (never updated) table is deleted.
            try session.rows(
                "SELECT * FROM strategy_versions WHERE strategy_type = \(strategyType) ORDER BY first_seen, ctid"
            ).map { try StrategyVersion(postgres: $0.makeRandomAccess()) }
        }
    }

    static func fetchVersion(_ session: PostgresSession, strategyType: String, hash: String) throws -> StrategyVersion? {
        try session.rows("SELECT * FROM strategy_versions WHERE strategy_type = \(strategyType) AND hash = \(hash)")
            .first.map { try StrategyVersion(postgres: $0.makeRandomAccess()) }
    }

    /// `records` with one record per key: the last one given, at the place of the first.
    static func keepingLast<Record>(_ records: [Record], key: (Record) -> String) -> [Record] {
        var place: [String: Int] = [:]
        var kept: [Record] = []
        kept.reserveCapacity(records.count)
        for record in records {
            if let index = place[key(record)] {
                kept[index] = record
            } else {
                place[key(record)] = kept.count
                kept.append(record)
            }
        }
        return kept
    }
}
