import Foundation
import StrataEngine
import StrataRuntime

extension InstanceRecord {
    /// The record as the CLI prints it with --json (desired state only).
    var cliJSON: [String: JSONValue] {
        [
            "id": .string(id), "strategy_type": .string(strategyType), "account": .string(account),
            "market": .string(market), "mode": .string(mode.rawValue), "config": .object(config),
            "created_at": .string(CLIDate.text(createdAt)), "updated_at": .string(CLIDate.text(updatedAt)),
        ]
    }

    /// The record with its observed state: `status` is "stopped" until the engine writes one.
    func cliJSON(status: InstanceStatus?) -> [String: JSONValue] {
        var object = cliJSON
        object["status"] = .string(status?.state.rawValue ?? InstanceStatus.State.stopped.rawValue)
        object["version"] = status?.version.map(JSONValue.string) ?? .null
        object["ticks"] = .integer(status?.ticks ?? 0)
        object["last_tick_at"] = status?.lastTickAt.map { .string(CLIDate.text($0)) } ?? .null
        object["memory_bytes"] = .integer(status?.memoryBytes ?? 0)
        object["cpu_seconds"] = .number(status?.cpuSeconds ?? 0)
        object["last_error"] =
            status?.lastError.map { failure in
                .object([
                    "message": .string(failure.message), "kind": .string(failure.kind),
                    "traceback": failure.traceback.map(JSONValue.string) ?? .null,
                ])
            } ?? .null
        return object
    }
}

extension AuditEntry {
    /// The entry as the CLI prints it with --json.
    var cliJSON: JSONValue {
        .object([
            "id": .integer(id), "at": .string(CLIDate.text(at)), "actor": .string(actor.rawValue),
            "field": .string(field.rawValue), "old": old ?? .null, "new": new,
        ])
    }
}

/// Timestamps as ISO 8601 UTC with milliseconds.
enum CLIDate {
    static func text(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }
}
