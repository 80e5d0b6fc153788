import StrataEngine
import StrataRuntime

// The shapes of `GET /api/instances/{id}/why`.
extension APIJSON {
    /// `JournaledTick`: the optional fields only when the tick had them.
    static func tick(_ tick: Tick) -> JSONValue {
        var object: [String: JSONValue] = ["seq": .integer(tick.seq), "ts": time(seconds: tick.ts), "price": number(tick.price)]
        let optional: [(String, Double?)] = [
            ("volume", tick.volume), ("bid", tick.bid), ("ask", tick.ask), ("open", tick.open), ("high", tick.high), ("low", tick.low),
        ]
        for case (let key, let value?) in optional { object[key] = number(value) }
        return .object(object)
    }

    /// `Snapshot`: where it was taken and what it holds (`state` null with `state_error` when its
    /// bytes do not decode).
    static func snapshot(_ snapshot: StateSnapshot, _ contents: SnapshotContents) -> JSONValue {
        .object([
            "tick_seq": .integer(snapshot.tickSeq), "taken_at": time(snapshot.takenAt),
            "reason": .string(snapshot.reason.rawValue), "version": .string(snapshot.version),
            "bytes": .integer(Int64(snapshot.bytes.count)),
            "state": contents.state ?? .null, "state_truncated": .bool(contents.truncated),
            "state_error": optional(contents.error, JSONValue.string),
        ])
    }
}
