import Foundation
import StrataEngine
import StrataRuntime

/// Research runs as the API shows them (schemas/openapi.yaml `ResearchRun`).
enum ResearchRunJSON {
    /// The run's fields; `full` adds `summary`'s companions `detail` (lists leave it out).
    static func run(_ run: ResearchRun, full: Bool) -> JSONValue {
        var body = head(run)
        body["parameters"] = .object(run.parameters)
        body["summary"] = .object(run.summary)
        body["created_at"] = APIJSON.time(run.createdAt)
        body["started_at"] = APIJSON.optional(run.startedAt) { APIJSON.time($0) }
        body["finished_at"] = APIJSON.optional(run.finishedAt) { APIJSON.time($0) }
        body["error"] = APIJSON.optional(run.error, JSONValue.string)
        body["has_report"] = .bool(run.report != nil)
        if full { body["detail"] = run.detail }
        return .object(body)
    }

    /// The `research` event's data: the run's head and its summary once it has ended.
    static func event(_ run: ResearchRun) -> [String: JSONValue] {
        var body = head(run)
        if run.status.isFinished {
            body["summary"] = .object(run.summary)
            body["error"] = APIJSON.optional(run.error, JSONValue.string)
        }
        return body
    }

    private static func head(_ run: ResearchRun) -> [String: JSONValue] {
        [
            "id": .string(run.id), "kind": .string(run.kind.rawValue), "instance_id": APIJSON.optional(run.instanceID, JSONValue.string),
            "strategy_type": .string(run.strategyType), "version": .string(run.version), "data": .string(run.dataFile),
            "status": .string(run.status.rawValue), "progress": .number(run.progress),
        ]
    }
}
