import Foundation
import GRDB
import StrataEngine
import StrataRuntime

// Accounts, orders, fills, signals and logs. Each call is one transaction.
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

    public func saveOrders(_ orders: [Order]) throws {
        guard !orders.isEmpty else { return }
        try write("saveOrders", instanceID: orders.first?.instanceID) { db in
            for order in orders {
                let request = order.request
                // What an order was asked to do never changes; only its progress does.
                try db.execute(
                    sql: """
                        INSERT INTO orders (id, instance_id, market, side, quantity, type, price, tag, status,
                            filled_quantity, average_price, fee, created_at, filled_at, reject_reason, tick_seq)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(id) DO UPDATE SET
                            status = excluded.status, filled_quantity = excluded.filled_quantity,
                            average_price = excluded.average_price, fee = excluded.fee,
                            filled_at = excluded.filled_at, reject_reason = excluded.reject_reason
                        """,
                    arguments: [
                        order.id, order.instanceID, order.market, request.side.rawValue, request.quantity,
                        request.type.rawValue, request.price, request.tag, order.status.rawValue,
                        order.filledQuantity, order.averagePrice, order.fee, order.createdAt,
                        order.filledAt, order.rejectReason, request.tickSeq,
                    ])
            }
        }
    }

    public func appendFills(_ fills: [FillRecord]) throws {
        guard !fills.isEmpty else { return }
        try write("appendFills", instanceID: fills.first?.instanceID) { db in
            for fill in fills {
                try db.execute(
                    sql: """
                        INSERT INTO fills (id, order_id, instance_id, market, side, quantity, price, fee, time, tick_seq)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING
                        """,
                    arguments: [
                        fill.id, fill.orderID, fill.instanceID, fill.market, fill.side.rawValue,
                        fill.quantity, fill.price, fill.fee, fill.time, fill.tickSeq,
                    ])
            }
        }
    }

    public func appendSignals(_ signals: [SignalRecord]) throws {
        guard !signals.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try write("appendSignals", instanceID: signals.first?.instanceID) { db in
            for signal in signals {
                let request = String(decoding: try encoder.encode(signal.request), as: UTF8.self)
                try db.execute(
                    sql: "INSERT INTO signals (instance_id, request, time, price, reason, tick_seq, shadow, rule) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [
                        signal.instanceID, request, signal.time, signal.price, signal.reason, signal.request.tickSeq, signal.shadow ? 1 : 0,
                        signal.rule?.rawValue,
                    ])
            }
        }
    }

    /// Appends `entries` and deletes, per instance touched, every line older than the newest
    /// ``logCapacity`` — in the same transaction, so the log never holds more than that.
    public func appendLogs(_ entries: [InstanceLogEntry]) throws {
        guard !entries.isEmpty else { return }
        try write("appendLogs", instanceID: entries.first?.instanceID) { db in
            for entry in entries {
                try db.execute(
                    sql: "INSERT INTO instance_logs (instance_id, time, level, message) VALUES (?, ?, ?, ?)",
                    arguments: [entry.instanceID, entry.time, entry.level.rawValue, entry.message])
            }
            for instanceID in Set(entries.map(\.instanceID)) {
                try db.execute(
                    sql: """
                        DELETE FROM instance_logs WHERE instance_id = ?1 AND id <= (
                            SELECT id FROM instance_logs WHERE instance_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)
                        """, arguments: [instanceID, logCapacity])
            }
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
