import Foundation
import StrataRuntime

/// What a replay did, beside what happened live.
public struct ReplayResult: Sendable {
    /// Where the replayed instance started.
    public enum Start: Sendable, Equatable {
        /// From a snapshot taken after tick `tickSeq`.
        case snapshot(tickSeq: Int64, takenAt: Date, version: String)
        /// From `init()` at the journal's first tick (no snapshot that early).
        case initialize

        init(_ snapshot: StateSnapshot) {
            self = .snapshot(tickSeq: snapshot.tickSeq, takenAt: snapshot.takenAt, version: snapshot.version)
        }
    }

    public var instanceID: String
    public var fromSeq: Int64
    public var toSeq: Int64
    public var start: Start
    /// The version replayed, and the one that ran live.
    public var version: String
    public var liveVersion: String
    /// Ticks handed to the instance (from its start, before `fromSeq` too).
    public var ticks = 0
    public var elapsed: Duration = .zero
    /// Decisions on ticks `fromSeq...toSeq`, by tick.
    public var replay: [ReplayDecision] = []
    public var live: [ReplayDecision] = []
    /// Log lines the replay wrote from `fromSeq` on.
    public var logs: [LogLine] = []
    /// The script error that ended the replay early, if one did.
    public var error: StrategyError?

    init(instanceID: String, fromSeq: Int64, toSeq: Int64, start: Start, version: String, liveVersion: String) {
        self.instanceID = instanceID
        self.fromSeq = fromSeq
        self.toSeq = toSeq
        self.start = start
        self.version = version
        self.liveVersion = liveVersion
    }

    /// Where the replay differs from live.
    public var differences: [ReplayDifference] { ReplayDifference.between(live: live, replay: replay) }

    /// Whether the replay made exactly the decisions live made.
    public var identical: Bool { error == nil && differences.isEmpty }

    public var elapsedSeconds: Double {
        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    public var ticksPerSecond: Double {
        elapsedSeconds > 0 ? Double(ticks) / elapsedSeconds : 0
    }

    static func order(_ a: ReplayDecision, _ b: ReplayDecision) -> Bool {
        (a.tickSeq, a.kind.rawValue) < (b.tickSeq, b.kind.rawValue)
    }

    /// The `--json` form.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "instance": .string(instanceID), "from_seq": .integer(fromSeq), "to_seq": .integer(toSeq),
            "version": .string(version), "live_version": .string(liveVersion), "ticks": .integer(Int64(ticks)),
            "elapsed_ms": .number((elapsedSeconds * 1000).rounded()),
            "ticks_per_second": .number(ticksPerSecond.rounded()), "identical": .bool(identical),
            "live": .array(live.map(\.json)), "replay": .array(replay.map(\.json)),
            "differences": .array(
                differences.map {
                    .object([
                        "tick_seq": .integer($0.tickSeq), "only_live": .array($0.onlyLive.map(\.json)),
                        "only_replay": .array($0.onlyReplay.map(\.json)),
                    ])
                }),
            "logs": .array(logs.map { .object(["time": .number($0.time), "level": .string($0.level.rawValue), "message": .string($0.message)]) }),
        ]
        switch start {
        case .snapshot(let seq, let takenAt, let version):
            object["start"] = .object([
                "from": .string("snapshot"), "tick_seq": .integer(seq), "taken_at": .string(ISO8601DateFormatter().string(from: takenAt)),
                "version": .string(version),
            ])
        case .initialize:
            object["start"] = .object(["from": .string("init")])
        }
        if let error {
            object["error"] = .object([
                "kind": .string(error.kind.rawValue), "message": .string(error.message), "traceback": error.traceback.map(JSONValue.string) ?? .null,
            ])
        }
        return .object(object)
    }
}
