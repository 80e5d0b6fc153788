import Foundation
import PostgresNIO
import StrataEngine
import StrataRuntime

// Accounts, orders, fills, signals and logs. Each call is one transaction; the writes for
// instances (orders, fills, signals, logs) are fenced, and each batch is one statement.
extension PostgresStore {
    @discardableResult
    public func ensureAccount(_ account: AccountRecord) throws -> AccountRecord {
        try write("ensureAccount", instanceID: nil) { session in
            try session.run(
                """
                INSERT INTO accounts (name, broker, created_at) VALUES (\(account.name), \(account.broker), \(PostgresTime(account.createdAt)))
                ON CONFLICT (name) DO NOTHING
                """)
            guard let row = try session.rows("SELECT * FROM accounts WHERE name = \(account.name)").first else {
                throw StoreError(.database, "the account just ensured cannot be read", operation: "ensureAccount")
            }
            return try AccountRecord(postgres: row.makeRandomAccess())
        }
    }

    public func accounts() throws -> [AccountRecord] {
        try read("accounts", instanceID: nil) { session in
            try session.rows("SELECT * FROM accounts ORDER BY name").map { try AccountRecord(postgres: $0.makeRandomAccess()) }
        }
    }

    public func saveOrders(_ orders: [Order]) throws { try writeFenced(ordersStatement("saveOrders", orders)) }

    public func appendFills(_ fills: [FillRecord]) throws { try writeFenced(fillsStatement("appendFills", fills)) }

    public func appendSignals(_ signals: [SignalRecord]) throws { try writeFenced(signalsStatement("appendSignals", signals)) }

    /// Appends `entries` and deletes, per instance written to, every line older than the newest
    /// ``logCapacity`` — in the same transaction, so the log never holds more than that.
    public func appendLogs(_ entries: [InstanceLogEntry]) throws { try writeFenced(logsStatement("appendLogs", entries)) }

    /// Of two versions of one order in a call the last is kept, in the place of the first.
    func ordersStatement(_ operation: String, _ orders: [Order]) -> FencedStatement? {
        guard !orders.isEmpty else { return nil }
        return fencedStatement(
            operation, Self.keepingLast(orders, key: \.id), instanceID: \.instanceID,
            columns: """
                id text, instance_id text, market text, side text, quantity double precision, type text,
                price double precision, tag text, status text, filled_quantity double precision,
                average_price double precision, fee double precision, created_at double precision,
                filled_at double precision, reject_reason text, tick_seq bigint
                """,
            fields: { order in
                [
                    "id": .text(order.id), "instance_id": .text(order.instanceID), "market": .text(order.market),
                    "side": .text(order.request.side.rawValue), "quantity": .number(order.request.quantity),
                    "type": .text(order.request.type.rawValue), "price": .number(order.request.price),
                    "tag": .text(order.request.tag), "status": .text(order.status.rawValue),
                    "filled_quantity": .number(order.filledQuantity), "average_price": .number(order.averagePrice),
                    "fee": .number(order.fee), "created_at": .number(order.createdAt),
                    "filled_at": .number(order.filledAt), "reject_reason": .text(order.rejectReason),
                    "tick_seq": .integer(order.request.tickSeq),
                ]
            },
            // What an order was asked to do never changes; only its progress does.
            insert: """
                INSERT INTO orders (id, instance_id, market, side, quantity, type, price, tag, status,
                    filled_quantity, average_price, fee, created_at, filled_at, reject_reason, tick_seq)
                SELECT id, instance_id, market, side, quantity, type, price, tag, status,
                    filled_quantity, average_price, fee, created_at, filled_at, reject_reason, tick_seq
                FROM passed ORDER BY n
                ON CONFLICT (id) DO UPDATE SET
                    status = excluded.status, filled_quantity = excluded.filled_quantity,
                    average_price = excluded.average_price, fee = excluded.fee,
                    filled_at = excluded.filled_at, reject_reason = excluded.reject_reason
                """)
    }

    func fillsStatement(_ operation: String, _ fills: [FillRecord]) -> FencedStatement? {
        guard !fills.isEmpty else { return nil }
        return fencedStatement(
            operation, fills, instanceID: \.instanceID,
            columns: """
                id text, order_id text, instance_id text, market text, side text, quantity double precision,
                price double precision, fee double precision, time double precision, tick_seq bigint
                """,
            fields: { fill in
                [
                    "id": .text(fill.id), "order_id": .text(fill.orderID), "instance_id": .text(fill.instanceID),
                    "market": .text(fill.market), "side": .text(fill.side.rawValue), "quantity": .number(fill.quantity),
                    "price": .number(fill.price), "fee": .number(fill.fee), "time": .number(fill.time),
                    "tick_seq": .integer(fill.tickSeq),
                ]
            },
            // A fill stored already (a replay) is skipped, in this call or an earlier one.
            insert: """
                INSERT INTO fills (id, order_id, instance_id, market, side, quantity, price, fee, time, tick_seq)
                SELECT id, order_id, instance_id, market, side, quantity, price, fee, time, tick_seq
                FROM passed ORDER BY n
                ON CONFLICT (id) DO NOTHING
                """)
    }

    func signalsStatement(_ operation: String, _ signals: [SignalRecord]) throws -> FencedStatement? {
        guard !signals.isEmpty else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var requests: [String] = []
        requests.reserveCapacity(signals.count)
        for signal in signals {
            do {
                requests.append(String(decoding: try encoder.encode(signal.request), as: UTF8.self))
            } catch {
                throw StoreError(
                    .invalidArgument, "the signal's request cannot be encoded as JSON", instanceID: signal.instanceID,
                    operation: operation, underlying: String(describing: error))
            }
        }
        let encoded = zip(signals, requests).map { (signal: $0, request: $1) }
        return fencedStatement(
            operation, encoded, instanceID: \.signal.instanceID,
            columns: "instance_id text, request text, time double precision, price double precision, reason text, tick_seq bigint, shadow integer, rule text",
            fields: { item in
                [
                    "instance_id": .text(item.signal.instanceID), "request": .text(item.request),
                    "time": .number(item.signal.time), "price": .number(item.signal.price),
                    "reason": .text(item.signal.reason), "tick_seq": .integer(item.signal.request.tickSeq),
                    "shadow": .integer(item.signal.shadow ? 1 : 0), "rule": .text(item.signal.rule?.rawValue),
                ]
            },
            insert: """
                INSERT INTO signals (instance_id, request, time, price, reason, tick_seq, shadow, rule)
                SELECT instance_id, request, time, price, reason, tick_seq, shadow, rule FROM passed ORDER BY n
                """)
    }

    func logsStatement(_ operation: String, _ entries: [InstanceLogEntry]) -> FencedStatement? {
        guard !entries.isEmpty else { return nil }
        let capacity = logCapacity
        return fencedStatement(
            operation, entries, instanceID: \.instanceID,
            columns: "instance_id text, time double precision, level text, message text",
            fields: { entry in
                [
                    "instance_id": .text(entry.instanceID), "time": .number(entry.time),
                    "level": .text(entry.level.rawValue), "message": .text(entry.message),
                ]
            },
            insert: """
                INSERT INTO instance_logs (instance_id, time, level, message)
                SELECT instance_id, time, level, message FROM passed ORDER BY n
                """,
            then: { session, instanceIDs in
                // A statement of its own: the insert's rows are not visible to its own statement.
                try session.run(
                    """
                    DELETE FROM instance_logs AS line USING unnest(\(instanceIDs)::text[]) AS touched(instance_id)
                    WHERE line.instance_id = touched.instance_id AND line.id <= (
                        SELECT id FROM instance_logs WHERE instance_id = touched.instance_id
                        ORDER BY id DESC LIMIT 1 OFFSET \(capacity))
                    """)
            })
    }

    public func orders(instanceID: String, limit: Int) throws -> [Order] {
        try tail("orders", order: "seq", instanceID: instanceID, limit: limit).map { try Order(postgres: $0) }
    }

    public func fills(instanceID: String, limit: Int) throws -> [FillRecord] {
        try tail("fills", order: "seq", instanceID: instanceID, limit: limit).map { try FillRecord(postgres: $0) }
    }

    public func allOrdersAndFills() throws -> (orders: [Order], fills: [FillRecord]) {
        try read("allOrdersAndFills", instanceID: nil) { session in
            // One snapshot for both reads: a fill committed between them would lack its order.
            try session.transaction {
                try session.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                return (
                    try session.rows("SELECT * FROM orders ORDER BY seq").map { try Order(postgres: $0.makeRandomAccess()) },
                    try session.rows("SELECT * FROM fills ORDER BY seq").map { try FillRecord(postgres: $0.makeRandomAccess()) }
                )
            }
        }
    }

    public func signals(instanceID: String, limit: Int) throws -> [SignalRecord] {
        try signals(instanceID: instanceID, shadow: false, limit: limit)
    }

    /// The newest `limit` signals of an instance, or of its shadow, oldest first.
    func signals(instanceID: String, shadow: Bool, limit: Int) throws -> [SignalRecord] {
        try read("signals", instanceID: instanceID) { session in
            try session.rows(
                """
                SELECT * FROM (SELECT * FROM signals WHERE instance_id = \(instanceID) AND shadow = \(Int32(shadow ? 1 : 0))
                    ORDER BY id DESC LIMIT \(Int64(max(0, limit)))) AS newest
                ORDER BY id
                """
            ).map { try SignalRecord(postgres: $0.makeRandomAccess()) }
        }
    }

    public func logs(instanceID: String, limit: Int) throws -> [InstanceLogEntry] {
        try tail("instance_logs", order: "id", instanceID: instanceID, limit: limit).map { try InstanceLogEntry(postgres: $0) }
    }

    public func logs(instanceID: String, around time: Double, window: Double, limit: Int) throws -> [InstanceLogEntry] {
        try read("logsAround", instanceID: instanceID) { session in
            // A scan of the instance's lines (at most the log capacity), the nearest kept.
            try session.rows(
                """
                SELECT * FROM (
                    SELECT * FROM instance_logs
                    WHERE instance_id = \(instanceID) AND time BETWEEN \(time) - \(max(0, window)) AND \(time) + \(max(0, window))
                    ORDER BY abs(time - \(time)), id LIMIT \(Int64(max(0, limit)))) AS nearest
                ORDER BY id
                """
            ).map { try InstanceLogEntry(postgres: $0.makeRandomAccess()) }
        }
    }

    /// The newest `limit` rows of `table` for one instance, oldest first (`table` and `order` are
    /// constants of this file, never user input).
    private func tail(_ table: String, order: String, instanceID: String, limit: Int) throws -> [PostgresRandomAccessRow] {
        try read(table, instanceID: instanceID) { session in
            try session.rows(
                """
                SELECT * FROM (SELECT * FROM \(unescaped: table) WHERE instance_id = \(instanceID)
                    ORDER BY \(unescaped: order) DESC LIMIT \(Int64(max(0, limit)))) AS newest
                ORDER BY \(unescaped: order)
                """
            ).map { $0.makeRandomAccess() }
        }
    }
}
