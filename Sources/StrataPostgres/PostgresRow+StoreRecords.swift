import Foundation
import PostgresNIO
import StrataEngine
import StrataRuntime

// Row → record decoding, column by name, as the SQLite store's `Row+StoreRecords.swift`. A value
// the schema allows but the engine cannot read (a mode written badly from psql) throws
// `corruptData` naming the column, rather than trapping.

extension PostgresRandomAccessRow {
    /// The value of `column`; a missing column or a mismatched type is `corruptData`.
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard contains(column) else {
            throw StoreError(.corruptData, "the row has no column \(column)")
        }
        do {
            return try self[column].decode(T.self)
        } catch {
            throw StoreError(
                .corruptData, "column \(column) holds a value the engine cannot read",
                underlying: String(describing: error))
        }
    }

    /// A `timestamptz` column, to the millisecond.
    func time(_ column: String) throws -> Date {
        try value(column, as: PostgresTime.self).date
    }

    /// A nullable `timestamptz` column, to the millisecond.
    func optionalTime(_ column: String) throws -> Date? {
        try value(column, as: PostgresTime?.self)?.date
    }

    /// A JSON text column, parsed.
    func json(_ column: String) throws -> JSONValue {
        let text: String = try value(column)
        guard let parsed = JSONValue(parsing: text) else { throw Self.corrupt(column, text) }
        return parsed
    }

    /// A nullable JSON text column, parsed.
    func optionalJSON(_ column: String) throws -> JSONValue? {
        guard let text = try value(column, as: String?.self) else { return nil }
        guard let parsed = JSONValue(parsing: text) else { throw Self.corrupt(column, text) }
        return parsed
    }

    /// A text column holding a raw value of `T`.
    func enumValue<T: RawRepresentable>(_ column: String, as type: T.Type = T.self) throws -> T where T.RawValue == String {
        let text: String = try value(column)
        guard let parsed = T(rawValue: text) else { throw Self.corrupt(column, text) }
        return parsed
    }

    static func corrupt(_ column: String, _ value: String) -> StoreError {
        StoreError(.corruptData, "column \(column) holds a value the engine cannot read: \(value.prefix(80))")
    }
}

extension InstanceRecord {
    init(postgres row: PostgresRandomAccessRow) throws {
        let identity = InstanceIdentity(
            id: try row.value("id"), strategyType: try row.value("strategy_type"),
            account: try row.value("account"), market: try row.value("market"))
        guard let config = try row.json("config").objectValue else {
            throw PostgresRandomAccessRow.corrupt("config", try row.value("config"))
        }
        self.init(
            identity: identity, mode: try row.enumValue("mode"), config: config,
            createdAt: try row.time("created_at"), updatedAt: try row.time("updated_at"))
    }
}

extension AuditEntry {
    init(postgres row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.value("id"), instanceID: try row.value("instance_id"), at: try row.time("at"),
            actor: AuditActor(rawValue: try row.value("actor")), field: try row.enumValue("field"),
            old: try row.optionalJSON("old"), new: try row.json("new"))
    }
}

extension InstanceStatus {
    init(postgres row: PostgresRandomAccessRow) throws {
        var failure: Failure?
        if let message = try row.value("last_error_message", as: String?.self) {
            failure = Failure(
                message: message, kind: try row.value("last_error_kind", as: String?.self) ?? "unknown",
                traceback: try row.value("last_error_traceback"))
        }
        self.init(
            instanceID: try row.value("instance_id"), state: try row.enumValue("status"), lastError: failure,
            version: try row.value("version"), ticks: try row.value("ticks"),
            lastTickAt: try row.optionalTime("last_tick_at"), memoryBytes: try row.value("memory_bytes"),
            cpuSeconds: try row.value("cpu_seconds"), pnl: try row.value("pnl"), position: try row.value("position"),
            tickLatencyP50: try row.value("tick_latency_p50"), tickLatencyP99: try row.value("tick_latency_p99"),
            updatedAt: try row.time("updated_at"))
    }
}

extension StrategyVersion {
    init(postgres row: PostgresRandomAccessRow) throws {
        self.init(
            strategyType: try row.value("strategy_type"), hash: try row.value("hash"),
            source: try row.value("source"), firstSeen: try row.time("first_seen"))
    }
}

extension AccountRecord {
    init(postgres row: PostgresRandomAccessRow) throws {
        self.init(
            name: try row.value("name"), broker: try row.value("broker"), baseCurrency: try row.value("base_currency"),
            startingCash: try row.value("starting_cash"), funded: try row.value("funded"), resets: Int(try row.value("resets", as: Int64.self)),
            resetAt: try row.optionalTime("reset_at"), resetFillSeq: try row.value("reset_fill_seq"),
            resetOrderSeq: try row.value("reset_order_seq"), createdAt: try row.time("created_at"))
    }
}

extension Order {
    init(postgres row: PostgresRandomAccessRow) throws {
        var request = OrderRequest(
            side: try row.enumValue("side"), quantity: try row.value("quantity"), type: try row.enumValue("type"),
            price: try row.value("price"), tag: try row.value("tag"))
        request.tickSeq = try row.value("tick_seq")
        self.init(
            id: try row.value("id"), instanceID: try row.value("instance_id"), market: try row.value("market"),
            request: request, status: try row.enumValue("status"), filledQuantity: try row.value("filled_quantity"),
            averagePrice: try row.value("average_price"), fee: try row.value("fee"),
            createdAt: try row.value("created_at"))
        filledAt = try row.value("filled_at")
        rejectReason = try row.value("reject_reason")
    }
}

extension FillRecord {
    init(postgres row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.value("id"), orderID: try row.value("order_id"), instanceID: try row.value("instance_id"),
            market: try row.value("market"), side: try row.enumValue("side"), quantity: try row.value("quantity"),
            price: try row.value("price"), fee: try row.value("fee"), time: try row.value("time"),
            tickSeq: try row.value("tick_seq"))
    }
}

extension SignalRecord {
    init(postgres row: PostgresRandomAccessRow) throws {
        let text: String = try row.value("request")
        guard let request = try? JSONDecoder().decode(OrderRequest.self, from: Data(text.utf8)) else {
            throw PostgresRandomAccessRow.corrupt("request", text)
        }
        self.init(
            id: try row.value("id"), instanceID: try row.value("instance_id"), request: request,
            time: try row.value("time"), price: try row.value("price"), reason: try row.value("reason"))
        shadow = try row.value("shadow", as: Int32.self) != 0
        rule = try row.value("rule", as: String?.self).map { text in
            guard let rule = RiskRule(rawValue: text) else { throw PostgresRandomAccessRow.corrupt("rule", text) }
            return rule
        }
    }
}

extension InstanceLogEntry {
    init(postgres row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row.value("id"), instanceID: try row.value("instance_id"), time: try row.value("time"),
            level: try row.enumValue("level"), message: try row.value("message"))
    }
}
