import Foundation
import GRDB
import StrataEngine
import StrataRuntime

// Accounts and the reads of orders, fills, signals and logs (their writes: SQLiteStore+Activity).
// Each call is one transaction.
extension SQLiteStore {
    @discardableResult
    public func ensureAccount(_ account: AccountRecord) throws -> AccountRecord {
        try write("ensureAccount", instanceID: nil) { db in
            try db.execute(
                sql: "INSERT INTO accounts (name, broker, created_at) VALUES (?, ?, ?) ON CONFLICT(name) DO NOTHING",
                arguments: [account.name, account.broker, account.createdAt])
            return try AccountRecord(
                row: try Row.fetchOne(
                    db, sql: "SELECT * FROM accounts WHERE name = ?",
                    arguments: [account.name])!)
        }
    }

    public func accounts() throws -> [AccountRecord] {
        try read("accounts", instanceID: nil) { db in
            try Row.fetchAll(db, sql: "SELECT * FROM accounts ORDER BY name").map(AccountRecord.init(row:))
        }
    }

    public func orders(instanceID: String, limit: Int) throws -> [Order] {
        try tail("orders", order: "seq", instanceID: instanceID, limit: limit).map(Order.init(row:))
    }

    public func fills(instanceID: String, limit: Int) throws -> [FillRecord] {
        try tail("fills", order: "seq", instanceID: instanceID, limit: limit).map(FillRecord.init(row:))
    }

    public func allOrdersAndFills() throws -> (orders: [Order], fills: [FillRecord]) {
        try read("allOrdersAndFills", instanceID: nil) { db in
            (
                try Row.fetchAll(db, sql: "SELECT * FROM orders ORDER BY seq").map(Order.init(row:)),
                try Row.fetchAll(db, sql: "SELECT * FROM fills ORDER BY seq").map(FillRecord.init(row:))
            )
        }
    }

    public func signals(instanceID: String, limit: Int) throws -> [SignalRecord] {
        try signals(instanceID: instanceID, shadow: false, limit: limit)
    }

    public func shadowSignals(instanceID: String, limit: Int) throws -> [SignalRecord] {
        try signals(instanceID: instanceID, shadow: true, limit: limit)
    }

    private func signals(instanceID: String, shadow: Bool, limit: Int) throws -> [SignalRecord] {
        try read("signals", instanceID: instanceID) { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM (SELECT * FROM signals WHERE instance_id = ? AND shadow = ? ORDER BY id DESC LIMIT ?) ORDER BY id",
                arguments: [instanceID, shadow ? 1 : 0, max(0, limit)]
            ).map(SignalRecord.init(row:))
        }
    }

    public func logs(instanceID: String, limit: Int) throws -> [InstanceLogEntry] {
        try tail("instance_logs", order: "id", instanceID: instanceID, limit: limit).map(InstanceLogEntry.init(row:))
    }

    public func logs(instanceID: String, around time: Double, window: Double, limit: Int) throws -> [InstanceLogEntry] {
        try read("logsAround", instanceID: instanceID) { db in
            // A scan of the instance's lines (at most the log capacity), the nearest kept.
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (
                        SELECT * FROM instance_logs WHERE instance_id = ?1 AND time BETWEEN ?2 - ?3 AND ?2 + ?3
                        ORDER BY abs(time - ?2), id LIMIT ?4)
                    ORDER BY id
                    """, arguments: [instanceID, time, max(0, window), max(0, limit)]
            ).map(InstanceLogEntry.init(row:))
        }
    }

    /// The newest `limit` rows of `table` for one instance, oldest first (`table` and `order` are
    /// constants of this file, never user input).
    private func tail(_ table: String, order: String, instanceID: String, limit: Int) throws -> [Row] {
        try read(table, instanceID: instanceID) { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (SELECT * FROM \(table) WHERE instance_id = ? ORDER BY \(order) DESC LIMIT ?)
                    ORDER BY \(order)
                    """, arguments: [instanceID, max(0, limit)])
        }
    }
}
