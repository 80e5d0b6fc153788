import Foundation
import GRDB
import StrataEngine
import StrataRuntime

// The writes of what instances do: journaled ticks, orders, fills, signals and logs. Each call
// is one transaction; `appendActivity` writes all five kinds of a loop step in one.
extension SQLiteStore {
    public func appendActivity(_ batch: ActivityBatch) throws {
        guard !batch.isEmpty else { return }
        try write("appendActivity", instanceID: nil) { db in
            try insertTicks(batch.ticks, db)
            try upsertOrders(batch.orders, db)
            try insertFills(batch.fills, db)
            try insertSignals(batch.signals, db)
            try insertLogs(batch.logs, db)
        }
    }

    public func appendTicks(_ ticks: [Tick]) throws {
        guard !ticks.isEmpty else { return }
        try write("appendTicks", instanceID: nil) { db in try insertTicks(ticks, db) }
    }

    public func saveOrders(_ orders: [Order]) throws {
        guard !orders.isEmpty else { return }
        try write("saveOrders", instanceID: orders.first?.instanceID) { db in try upsertOrders(orders, db) }
    }

    public func appendFills(_ fills: [FillRecord]) throws {
        guard !fills.isEmpty else { return }
        try write("appendFills", instanceID: fills.first?.instanceID) { db in try insertFills(fills, db) }
    }

    public func appendSignals(_ signals: [SignalRecord]) throws {
        guard !signals.isEmpty else { return }
        try write("appendSignals", instanceID: signals.first?.instanceID) { db in try insertSignals(signals, db) }
    }

    /// Appends `entries` and deletes, per instance touched, every line older than the newest
    /// ``logCapacity`` — in the same transaction, so the log never holds more than that.
    public func appendLogs(_ entries: [InstanceLogEntry]) throws {
        guard !entries.isEmpty else { return }
        try write("appendLogs", instanceID: entries.first?.instanceID) { db in try insertLogs(entries, db) }
    }

    // MARK: Statements (inside the caller's transaction)

    private func insertTicks(_ ticks: [Tick], _ db: Database) throws {
        guard let last = ticks.last else { return }
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO tick_journal (market, seq, ts, price, volume, bid, ask, open, high, low)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """)
        for tick in ticks {
            try insert.execute(arguments: [
                tick.market, tick.seq, tick.ts, tick.price, tick.volume, tick.bid, tick.ask, tick.open, tick.high, tick.low,
            ])
        }
        try db.execute(sql: "UPDATE tick_journal_head SET seq = max(seq, ?) WHERE id = 1", arguments: [last.seq])
    }

    private func upsertOrders(_ orders: [Order], _ db: Database) throws {
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

    private func insertFills(_ fills: [FillRecord], _ db: Database) throws {
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

    private func insertSignals(_ signals: [SignalRecord], _ db: Database) throws {
        guard !signals.isEmpty else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
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

    private func insertLogs(_ entries: [InstanceLogEntry], _ db: Database) throws {
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
