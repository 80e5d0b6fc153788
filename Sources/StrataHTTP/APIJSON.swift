import Foundation
import StrataEngine
import StrataRuntime

/// The JSON shapes of the OpenAPI document's schemas, built from the engine's records.
/// Names are snake_case; times are ISO 8601 UTC with milliseconds; engine times (seconds) too.
public enum APIJSON {
    static func time(_ date: Date) -> JSONValue {
        .string(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date))
    }

    /// An engine time (Unix seconds) as a date-time string; null when not finite.
    static func time(seconds: Double) -> JSONValue {
        seconds.isFinite ? time(Date(timeIntervalSince1970: seconds)) : .null
    }

    static func optional<T>(_ value: T?, _ transform: (T) -> JSONValue) -> JSONValue {
        value.map(transform) ?? .null
    }

    /// A finite number, or null (JSON has no NaN).
    static func number(_ value: Double) -> JSONValue {
        value.isFinite ? .number(value) : .null
    }

    /// `Identity`.
    static func identity(_ identity: InstanceIdentity) -> JSONValue {
        .object([
            "id": .string(identity.id), "strategy_type": .string(identity.strategyType),
            "account": .string(identity.account), "market": .string(identity.market),
        ])
    }

    /// `Failure`.
    static func failure(_ failure: InstanceStatus.Failure) -> JSONValue {
        .object([
            "message": .string(failure.message), "kind": .string(failure.kind),
            "traceback": optional(failure.traceback, JSONValue.string),
        ])
    }

    /// `Status`; an instance the engine has not written yet is `stopped` with zero counters.
    static func status(_ status: InstanceStatus?, stalledFor: Double? = nil) -> JSONValue {
        guard var status else {
            return .object([
                "state": .string(InstanceStatus.State.stopped.rawValue), "version": .null, "ticks": .integer(0),
                "last_tick_at": .null, "memory_bytes": .integer(0), "cpu_seconds": .number(0), "pnl": .number(0),
                "position": .number(0), "tick_latency_p50_us": .null, "tick_latency_p99_us": .null,
                "last_error": .null, "updated_at": .null,
            ])
        }
        let state = stalled(status, stalledFor)
        if state == "stalled" { status.lastError = stallNotice(stalledFor) }
        return .object([
            "state": .string(state),
            "version": optional(status.version, JSONValue.string),
            "ticks": .integer(status.ticks),
            "last_tick_at": optional(status.lastTickAt, time),
            "memory_bytes": .integer(status.memoryBytes),
            "cpu_seconds": number(status.cpuSeconds),
            "pnl": number(status.pnl),
            "position": number(status.position),
            "tick_latency_p50_us": optional(status.tickLatencyP50) { number($0 * 1e6) },
            "tick_latency_p99_us": optional(status.tickLatencyP99) { number($0 * 1e6) },
            "last_error": optional(status.lastError, failure),
            "updated_at": time(status.updatedAt),
        ])
    }

    /// The state shown for a stored status: `stalled` instead of `running` while the engine is
    /// stalled (its instances are not ticking, whatever was stored before it stalled).
    static func stalled(_ status: InstanceStatus, _ stalledFor: Double?) -> String {
        status.state == .running && stalledFor != nil ? "stalled" : status.state.rawValue
    }

    static func stallNotice(_ stalledFor: Double?) -> InstanceStatus.Failure {
        InstanceStatus.Failure(
            message: "not ticking: the engine has not completed a round for \(Int(stalledFor ?? 0)) s "
                + "(a script stuck where it cannot be stopped in process? run untrusted scripts with --isolation process)",
            kind: "stalled")
    }

    /// `InstanceSummary`: one row of the list.
    /// `node`: the cluster node holding a live lease for it (nil: none, or one machine).
    static func summary(_ record: InstanceRecord, _ status: InstanceStatus?, stalledFor: Double? = nil, node: String? = nil) -> JSONValue {
        let state = status.map { stalled($0, stalledFor) } ?? InstanceStatus.State.stopped.rawValue
        return .object([
            "id": .string(record.id), "strategy_type": .string(record.strategyType),
            "account": .string(record.account), "market": .string(record.market),
            "mode": .string(record.mode.rawValue),
            "status": .string(state),
            "ticks": .integer(status?.ticks ?? 0),
            "pnl": number(status?.pnl ?? 0),
            "error": optional(state == "stalled" ? stallNotice(stalledFor).message : status?.lastError?.message, JSONValue.string),
            "node": optional(node, JSONValue.string),
        ])
    }

    /// `InstanceDetail`, with the config form's fields from the catalog; `node` as in ``summary(_:_:stalledFor:node:)``.
    static func detail(
        _ record: InstanceRecord, status: InstanceStatus?, catalog: StrategyCatalog, stalledFor: Double? = nil, node: String? = nil
    ) -> JSONValue {
        var fields: [JSONValue] = []
        var schemaError: JSONValue = .null
        switch catalog.schema(for: record.strategyType) {
        case .success(let schema): fields = schema.fields.map(configField)
        case .failure(let failure): schemaError = .string(failure.message)
        }
        return .object([
            "identity": identity(record.identity),
            "mode": .string(record.mode.rawValue),
            "config": .object(record.config),
            "created_at": time(record.createdAt),
            "updated_at": time(record.updatedAt),
            "status": self.status(status, stalledFor: stalledFor),
            "schema": .array(fields),
            "schema_error": schemaError,
            "node": optional(node, JSONValue.string),
        ])
    }

    /// `ConfigField`: what the dashboard needs to build one input.
    static func configField(_ field: ConfigField) -> JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(field.name), "type": .string(field.kind.rawValue), "default": field.defaultValue,
            "min": optional(field.min, number), "max": optional(field.max, number),
            "label": .string(field.label ?? field.name),
            "description": optional(field.description, JSONValue.string),
        ]
        if field.kind == .enum { object["values"] = .array(field.values.map(JSONValue.string)) }
        return .object(object)
    }

    /// `Order`.
    static func order(_ order: Order) -> JSONValue {
        .object([
            "id": .string(order.id), "instance_id": .string(order.instanceID), "market": .string(order.market),
            "side": .string(order.request.side.rawValue), "type": .string(order.request.type.rawValue),
            "quantity": number(order.request.quantity),
            "price": optional(order.request.price, number),
            "tag": optional(order.request.tag, JSONValue.string),
            "status": .string(order.status.rawValue),
            "filled_quantity": number(order.filledQuantity),
            "average_price": optional(order.averagePrice, number),
            "fee": number(order.fee),
            "reason": optional(order.rejectReason, JSONValue.string),
            "created_at": time(seconds: order.createdAt),
            "filled_at": optional(order.filledAt) { time(seconds: $0) },
            "tick_seq": optional(order.request.tickSeq, JSONValue.integer),
        ])
    }

    /// An order request (a signal's intent).
    static func intent(_ request: OrderRequest) -> JSONValue {
        .object([
            "side": .string(request.side.rawValue), "quantity": number(request.quantity), "type": .string(request.type.rawValue),
            "price": optional(request.price, number), "tag": optional(request.tag, JSONValue.string),
        ])
    }

    /// `Signal`.
    static func signal(_ signal: SignalRecord) -> JSONValue {
        .object([
            "id": .integer(signal.id), "instance_id": .string(signal.instanceID), "at": time(seconds: signal.time),
            "intent": intent(signal.request), "price": optional(signal.price, number), "reason": .string(signal.reason),
            "tick_seq": optional(signal.request.tickSeq, JSONValue.integer), "rule": optional(signal.rule) { .string($0.rawValue) },
        ])
    }

    /// `LogLine`.
    static func log(_ entry: InstanceLogEntry) -> JSONValue {
        .object([
            "id": .integer(entry.id), "at": time(seconds: entry.time), "level": .string(entry.level.rawValue),
            "message": .string(entry.message),
        ])
    }

    /// `AuditEntry`.
    static func audit(_ entry: AuditEntry) -> JSONValue {
        .object([
            "id": .integer(entry.id), "at": time(entry.at), "actor": .string(entry.actor.rawValue),
            "field": .string(entry.field.rawValue), "old": entry.old ?? .null, "new": entry.new,
        ])
    }

    /// `Event`: the envelope of one live event, its payload in `data`.
    static func event(_ event: EngineEvent) -> JSONValue {
        let data: JSONValue
        switch event.payload {
        case .status(let status): data = self.status(status)
        case .order(let order): data = self.order(order)
        case .signal(let signal): data = self.signal(signal)
        case .log(let entry): data = log(entry)
        case .research(let run): data = run
        case .control(let change): data = change
        case .mode(let change):
            data = .object([
                "instance_id": .string(change.instanceID), "old": .string(change.old.rawValue), "new": .string(change.new.rawValue),
            ])
        }
        return .object([
            "type": .string(event.kind.rawValue), "instance_id": .string(event.instanceID),
            "at": time(event.at), "data": data,
        ])
    }
}

extension APIJSON {
    /// An instance list row with its `return_pct` and `max_drawdown_pct` (null with no history).
    static func adding(performance summary: EquitySummary?, to object: JSONValue) -> JSONValue {
        guard case .object(var fields) = object else { return object }
        fields["return_pct"] = optional(summary?.returnPct, number)
        fields["max_drawdown_pct"] = optional(summary?.maxDrawdownPct, number)
        return .object(fields)
    }
}
