import Foundation
import GRDB
import StrataEngine
import StrataRuntime

// State snapshots and the tick journal (see `ReplayStore`).
extension SQLiteStore {
    public func saveSnapshots(_ snapshots: [StateSnapshot], keep: Int) throws {
        guard !snapshots.isEmpty else { return }
        try write("saveSnapshots", instanceID: snapshots.count == 1 ? snapshots[0].instanceID : nil) { db in
            let insert = try db.cachedStatement(
                sql: "INSERT INTO state_snapshots (instance_id, version, tick_seq, taken_at, reason, state) VALUES (?, ?, ?, ?, ?, ?)")
            let trim = try db.cachedStatement(
                sql: """
                    DELETE FROM state_snapshots WHERE instance_id = ?1 AND id <= (
                        SELECT id FROM state_snapshots WHERE instance_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)
                    """)
            for snapshot in snapshots {
                try insert.execute(arguments: [
                    snapshot.instanceID, snapshot.version, snapshot.tickSeq, StorageDate.text(snapshot.takenAt),
                    snapshot.reason.rawValue, Data(snapshot.bytes),
                ])
                try trim.execute(arguments: [snapshot.instanceID, max(1, keep)])
            }
        }
    }

    public func latestSnapshots() throws -> [String: StateSnapshot] {
        try read("latestSnapshots", instanceID: nil) { db in
            // SQLite's bare columns with MAX(): each group's values come from its newest row.
            let rows = try Row.fetchAll(
                db, sql: "SELECT *, MAX(id) FROM state_snapshots GROUP BY instance_id")
            var latest: [String: StateSnapshot] = [:]
            for row in rows {
                let snapshot = try StateSnapshot(row: row)
                latest[snapshot.instanceID] = snapshot
            }
            return latest
        }
    }

    public func snapshot(instanceID: String, atOrBefore seq: Int64?) throws -> StateSnapshot? {
        try read("snapshot", instanceID: instanceID) { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM state_snapshots WHERE instance_id = ? AND tick_seq <= ?
                    ORDER BY tick_seq DESC, id DESC LIMIT 1
                    """, arguments: [instanceID, seq ?? Int64.max]
            ).map(StateSnapshot.init(row:))
        }
    }

    public func snapshots(instanceID: String, limit: Int) throws -> [StateSnapshot] {
        try read("snapshots", instanceID: instanceID) { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM state_snapshots WHERE instance_id = ? ORDER BY id DESC LIMIT ?",
                arguments: [instanceID, max(0, limit)]
            ).map(StateSnapshot.init(row:))
        }
    }

    public func journaledTicks(market: String, after: Int64, through: Int64?, limit: Int) throws -> [Tick] {
        try read("journaledTicks", instanceID: nil) { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM tick_journal WHERE market = ? AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?
                    """, arguments: [market, after, through ?? Int64.max, max(0, limit)]
            ).map(Tick.init(journalRow:))
        }
    }

    public func journaledTicks(market: String, through: Int64, last limit: Int) throws -> [Tick] {
        try read("journaledTicks", instanceID: nil) { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (SELECT * FROM tick_journal WHERE market = ? AND seq <= ? ORDER BY seq DESC LIMIT ?)
                    ORDER BY seq
                    """, arguments: [market, through, max(0, limit)]
            ).map(Tick.init(journalRow:))
        }
    }

    public func lastTickSeq() throws -> Int64 {
        try read("lastTickSeq", instanceID: nil) { db in
            try Int64.fetchOne(db, sql: "SELECT seq FROM tick_journal_head WHERE id = 1") ?? 0
        }
    }

    public func tickSeq(market: String, atOrBefore ts: Double) throws -> Int64? {
        try read("tickSeq", instanceID: nil) { db in
            // Ticks of one market are journaled in time order: the newest seq whose time is not
            // after `ts` (a scan of the market's range, newest first).
            try Int64.fetchOne(
                db, sql: "SELECT seq FROM tick_journal WHERE market = ? AND ts <= ? ORDER BY seq DESC LIMIT 1",
                arguments: [market, ts])
        }
    }

    @discardableResult
    public func pruneJournal(keepTicks: Int, maxAge: Double?) throws -> Int {
        try write("pruneJournal", instanceID: nil) { db in
            let markets = try String.fetchAll(db, sql: "SELECT DISTINCT market FROM tick_journal")
            var deleted = 0
            for market in markets {
                try db.execute(
                    sql: """
                        DELETE FROM tick_journal WHERE market = ?1 AND seq <= (
                            SELECT seq FROM tick_journal WHERE market = ?1 ORDER BY seq DESC LIMIT 1 OFFSET ?2)
                        """, arguments: [market, max(1, keepTicks)])
                deleted += db.changesCount
                if let maxAge,
                    let newest = try Double.fetchOne(
                        db, sql: "SELECT ts FROM tick_journal WHERE market = ? ORDER BY seq DESC LIMIT 1", arguments: [market])
                {
                    try db.execute(
                        sql: "DELETE FROM tick_journal WHERE market = ? AND ts < ?", arguments: [market, newest - maxAge])
                    deleted += db.changesCount
                }
            }
            return deleted
        }
    }
}

extension StateSnapshot {
    init(row: Row) throws {
        let bytes: Data = try row.decode(forColumn: "state")
        self.init(
            id: try row.decode(forColumn: "id"), instanceID: try row.decode(forColumn: "instance_id"),
            version: try row.decode(forColumn: "version"), tickSeq: try row.decode(forColumn: "tick_seq"),
            takenAt: try row.decode(forColumn: "taken_at"),
            reason: try row.enumValue("reason"), bytes: [UInt8](bytes))
    }
}

extension Tick {
    init(journalRow row: Row) throws {
        self.init(
            market: try row.decode(forColumn: "market"), ts: try row.decode(forColumn: "ts"),
            price: try row.decode(forColumn: "price"), volume: try row.decode(forColumn: "volume"),
            bid: try row.decode(forColumn: "bid"), ask: try row.decode(forColumn: "ask"),
            open: try row.decode(forColumn: "open"), high: try row.decode(forColumn: "high"),
            low: try row.decode(forColumn: "low"))
        seq = try row.decode(forColumn: "seq")
    }
}
