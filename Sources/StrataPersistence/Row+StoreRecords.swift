import Foundation
import GRDB
import StrataEngine
import StrataRuntime

// Row → record decoding. A value the schema allows but the engine cannot read (a mode or JSON
// written badly from a SQL shell) throws `corruptData` naming the column, rather than trapping.

extension Row {
    /// A JSON column, parsed.
    func json(_ column: String) throws -> JSONValue {
        let text: String = try decode(forColumn: column)
        guard let value = JSONValue(parsing: text) else { throw Self.corrupt(column, text) }
        return value
    }

    /// A nullable JSON column, parsed.
    func optionalJSON(_ column: String) throws -> JSONValue? {
        let text: String? = try decode(forColumn: column)
        guard let text else { return nil }
        guard let value = JSONValue(parsing: text) else { throw Self.corrupt(column, text) }
        return value
    }

    /// A text column holding a raw value of `T`.
    func enumValue<T: RawRepresentable>(_ column: String, as type: T.Type = T.self) throws -> T where T.RawValue == String {
        let text: String = try decode(forColumn: column)
        guard let value = T(rawValue: text) else { throw Self.corrupt(column, text) }
        return value
    }

    static func corrupt(_ column: String, _ value: String) -> StoreError {
        StoreError(.corruptData, "column \(column) holds a value the engine cannot read: \(value.prefix(80))")
    }
}

extension InstanceRecord {
    init(row: Row) throws {
        let identity = InstanceIdentity(
            id: try row.decode(forColumn: "id"),
            strategyType: try row.decode(forColumn: "strategy_type"),
            account: try row.decode(forColumn: "account"),
            market: try row.decode(forColumn: "market"))
        guard let config = try row.json("config").objectValue else {
            throw Row.corrupt("config", try row.decode(String.self, forColumn: "config"))
        }
        self.init(
            identity: identity, mode: try row.enumValue("mode"), config: config,
            createdAt: try row.decode(forColumn: "created_at"), updatedAt: try row.decode(forColumn: "updated_at"))
    }
}

extension AuditEntry {
    init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"), instanceID: try row.decode(forColumn: "instance_id"),
            at: try row.decode(forColumn: "at"), actor: AuditActor(rawValue: try row.decode(forColumn: "actor")),
            field: try row.enumValue("field"), old: try row.optionalJSON("old"), new: try row.json("new"))
    }
}

extension InstanceStatus {
    init(row: Row) throws {
        var failure: Failure?
        if let message: String = try row.decode(forColumn: "last_error_message") {
            failure = Failure(
                message: message, kind: try row.decode(forColumn: "last_error_kind") ?? "unknown",
                traceback: try row.decode(forColumn: "last_error_traceback"))
        }
        self.init(
            instanceID: try row.decode(forColumn: "instance_id"), state: try row.enumValue("status"),
            lastError: failure, version: try row.decode(forColumn: "version"),
            ticks: try row.decode(forColumn: "ticks"), lastTickAt: try row.decode(forColumn: "last_tick_at"),
            memoryBytes: try row.decode(forColumn: "memory_bytes"), cpuSeconds: try row.decode(forColumn: "cpu_seconds"),
            pnl: try row.decode(forColumn: "pnl"), position: try row.decode(forColumn: "position"),
            tickLatencyP50: try row.decode(forColumn: "tick_latency_p50"),
            tickLatencyP99: try row.decode(forColumn: "tick_latency_p99"),
            updatedAt: try row.decode(forColumn: "updated_at"))
    }
}

extension StrategyVersion {
    init(row: Row) throws {
        self.init(
            strategyType: try row.decode(forColumn: "strategy_type"), hash: try row.decode(forColumn: "hash"),
            source: try row.decode(forColumn: "source"), firstSeen: try row.decode(forColumn: "first_seen"))
    }
}

extension AccountRecord {
    init(row: Row) throws {
        self.init(
            name: try row.decode(forColumn: "name"), broker: try row.decode(forColumn: "broker"),
            baseCurrency: try row.decode(forColumn: "base_currency"), startingCash: try row.decode(forColumn: "starting_cash"),
            funded: try row.decode(forColumn: "funded"), resets: try row.decode(forColumn: "resets"),
            resetAt: try row.decode(forColumn: "reset_at"), resetFillSeq: try row.decode(forColumn: "reset_fill_seq"),
            resetOrderSeq: try row.decode(forColumn: "reset_order_seq"), createdAt: try row.decode(forColumn: "created_at"))
    }
}

extension ControlAuditEntry {
    init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"), at: try row.decode(forColumn: "at"),
            actor: AuditActor(rawValue: try row.decode(forColumn: "actor")), account: try row.decode(forColumn: "account"),
            field: try row.enumValue("field"), old: try row.optionalJSON("old"), new: try row.json("new"))
    }
}

extension Order {
    init(row: Row) throws {
        var request = OrderRequest(
            side: try row.enumValue("side"), quantity: try row.decode(forColumn: "quantity"),
            type: try row.enumValue("type"), price: try row.decode(forColumn: "price"),
            tag: try row.decode(forColumn: "tag"))
        request.tickSeq = try row.decode(forColumn: "tick_seq")
        self.init(
            id: try row.decode(forColumn: "id"), instanceID: try row.decode(forColumn: "instance_id"),
            market: try row.decode(forColumn: "market"), request: request, status: try row.enumValue("status"),
            filledQuantity: try row.decode(forColumn: "filled_quantity"),
            averagePrice: try row.decode(forColumn: "average_price"), fee: try row.decode(forColumn: "fee"),
            createdAt: try row.decode(forColumn: "created_at"))
        filledAt = try row.decode(forColumn: "filled_at")
        rejectReason = try row.decode(forColumn: "reject_reason")
    }
}

extension FillRecord {
    init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"), orderID: try row.decode(forColumn: "order_id"),
            instanceID: try row.decode(forColumn: "instance_id"), market: try row.decode(forColumn: "market"),
            side: try row.enumValue("side"), quantity: try row.decode(forColumn: "quantity"),
            price: try row.decode(forColumn: "price"), fee: try row.decode(forColumn: "fee"),
            time: try row.decode(forColumn: "time"), tickSeq: try row.decode(forColumn: "tick_seq"))
    }
}

extension SignalRecord {
    init(row: Row) throws {
        let text: String = try row.decode(forColumn: "request")
        guard let request = try? JSONDecoder().decode(OrderRequest.self, from: Data(text.utf8)) else {
            throw Row.corrupt("request", text)
        }
        self.init(
            id: try row.decode(forColumn: "id"), instanceID: try row.decode(forColumn: "instance_id"),
            request: request, time: try row.decode(forColumn: "time"), price: try row.decode(forColumn: "price"),
            reason: try row.decode(forColumn: "reason"))
        shadow = try row.decode(forColumn: "shadow") as Int64 != 0
        rule = try (row.decode(forColumn: "rule") as String?).map { text in
            guard let rule = RiskRule(rawValue: text) else { throw Row.corrupt("rule", text) }
            return rule
        }
    }
}

extension InstanceLogEntry {
    init(row: Row) throws {
        self.init(
            id: try row.decode(forColumn: "id"), instanceID: try row.decode(forColumn: "instance_id"),
            time: try row.decode(forColumn: "time"), level: try row.enumValue("level"),
            message: try row.decode(forColumn: "message"))
    }
}
