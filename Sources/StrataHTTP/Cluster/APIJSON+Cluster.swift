import StrataEngine
import StrataRuntime

extension APIJSON {
    /// `Node`: one registered node of the cluster.
    static func node(_ record: NodeRecord) -> JSONValue {
        .object([
            "name": .string(record.name), "address": optional(record.address, JSONValue.string),
            "started_at": time(record.startedAt), "heartbeat_at": time(record.heartbeatAt),
            "alive": .bool(record.alive), "leases": .integer(Int64(record.leases)),
        ])
    }
}
