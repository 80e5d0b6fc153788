import Foundation
import PostgresNIO
import StrataEngine
import StrataRuntime

extension PostgresSchema {
    /// The `research_runs` table (migration v6): the SQLite store's, column for column.
    static let researchRuns = """
        CREATE TABLE research_runs (
            id text PRIMARY KEY CHECK (id <> ''),
            kind text NOT NULL CHECK (kind IN ('backtest', 'optimization')),
            instance_id text,
            strategy_type text NOT NULL,
            version text NOT NULL,
            data_file text NOT NULL,
            parameters text NOT NULL DEFAULT '{}' CHECK (strata_is_json_object(parameters)),
            status text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
            progress double precision NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
            created_at timestamptz NOT NULL,
            started_at timestamptz,
            finished_at timestamptz,
            summary text NOT NULL DEFAULT '{}' CHECK (strata_is_json_object(summary)),
            detail text NOT NULL DEFAULT 'null' CHECK (strata_is_json(detail)),
            report text,
            error text
        );
        CREATE INDEX research_runs_on_kind ON research_runs(kind, created_at);
        CREATE INDEX research_runs_on_instance ON research_runs(instance_id, kind, created_at);
        """
}

// Research runs (see `ResearchStore`): not desired state (no NOTIFY) and not a node's fenced
// work: a run belongs to the server that started it, whichever instances it leases.
extension PostgresStore {
    public func saveResearchRun(_ run: ResearchRun) throws {
        _ = try write("saveResearchRun", instanceID: run.instanceID) { session in
            let started = run.startedAt.map(PostgresMilliseconds.of)
            let finished = run.finishedAt.map(PostgresMilliseconds.of)
            try session.run(
                """
                INSERT INTO research_runs (id, kind, instance_id, strategy_type, version, data_file, parameters, status, progress,
                    created_at, started_at, finished_at, summary, detail, report, error)
                VALUES (\(run.id), \(run.kind.rawValue), \(run.instanceID), \(run.strategyType), \(run.version), \(run.dataFile),
                    \(JSONValue.object(run.parameters).encoded()), \(run.status.rawValue), \(min(1, max(0, run.progress))),
                    \(epochMilliseconds: run.createdAt), to_timestamp(\(started)::float8 / 1000), to_timestamp(\(finished)::float8 / 1000),
                    \(JSONValue.object(run.summary).encoded()), \(run.detail.encoded()), \(run.report), \(run.error))
                ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, instance_id = excluded.instance_id,
                    strategy_type = excluded.strategy_type, version = excluded.version, data_file = excluded.data_file,
                    parameters = excluded.parameters, status = excluded.status, progress = excluded.progress,
                    created_at = excluded.created_at, started_at = excluded.started_at, finished_at = excluded.finished_at,
                    summary = excluded.summary, detail = excluded.detail, report = excluded.report, error = excluded.error
                """)
            try session.run(
                """
                DELETE FROM research_runs WHERE id IN (
                    SELECT id FROM research_runs WHERE kind = \(run.kind.rawValue) AND status IN ('done', 'failed', 'cancelled')
                    ORDER BY created_at DESC, id DESC OFFSET \(Int64(ResearchRun.keptPerKind)))
                """)
        }
    }

    public func researchRuns(kind: ResearchRun.Kind, instanceID: String?, limit: Int) throws -> [ResearchRun] {
        try read("researchRuns", instanceID: instanceID) { session in
            let rows =
                if let instanceID {
                    try session.rows(
                        """
                        SELECT \(unescaped: Self.researchListColumns) FROM research_runs WHERE kind = \(kind.rawValue) AND instance_id = \(instanceID)
                        ORDER BY created_at DESC, id DESC LIMIT \(Int64(max(0, limit)))
                        """)
                } else {
                    try session.rows(
                        """
                        SELECT \(unescaped: Self.researchListColumns) FROM research_runs WHERE kind = \(kind.rawValue)
                        ORDER BY created_at DESC, id DESC LIMIT \(Int64(max(0, limit)))
                        """)
                }
            return try rows.map(Self.researchRun(_:))
        }
    }

    public func researchRun(id: String) throws -> ResearchRun? {
        try read("researchRun", instanceID: nil) { session in
            try session.rows("SELECT \(unescaped: Self.researchColumns) FROM research_runs WHERE id = \(id)").first.map(Self.researchRun(_:))
        }
    }

    public func researchReport(id: String) throws -> String? {
        try read("researchReport", instanceID: nil) { session in
            try session.rows("SELECT report FROM research_runs WHERE id = \(id)").first.flatMap { try $0.decode(String?.self) }
        }
    }

    @discardableResult
    public func deleteResearchRun(id: String) throws -> Bool {
        try write("deleteResearchRun", instanceID: nil) { session in
            try session.run("DELETE FROM research_runs WHERE id = \(id)") > 0
        }
    }

    @discardableResult
    public func failUnfinishedResearchRuns(message: String, at date: Date) throws -> Int {
        try write("failUnfinishedResearchRuns", instanceID: nil) { session in
            try session.run(
                """
                UPDATE research_runs SET status = 'failed', error = \(message), finished_at = \(epochMilliseconds: date)
                WHERE status IN ('queued', 'running')
                """)
        }
    }

    private static let researchHead =
        "id, kind, instance_id, strategy_type, version, data_file, parameters, status, progress, created_at, started_at, finished_at, summary, error"
    private static let researchColumns = researchHead + ", detail, report"
    private static let researchListColumns = researchHead + ", 'null'::text AS detail, CASE WHEN report IS NULL THEN NULL ELSE ''::text END AS report"

    private static func researchRun(_ row: PostgresRow) throws -> ResearchRun {
        let row = row.makeRandomAccess()
        let kindText: String = try row.value("kind")
        let statusText: String = try row.value("status")
        guard let kind = ResearchRun.Kind(rawValue: kindText) else { throw corruptResearch("kind", kindText) }
        guard let status = ResearchRun.Status(rawValue: statusText) else { throw corruptResearch("status", statusText) }
        guard let parameters = try row.json("parameters").objectValue else { throw corruptResearch("parameters", try row.value("parameters")) }
        guard let summary = try row.json("summary").objectValue else { throw corruptResearch("summary", try row.value("summary")) }
        return ResearchRun(
            id: try row.value("id"), kind: kind, instanceID: try row.value("instance_id"), strategyType: try row.value("strategy_type"),
            version: try row.value("version"), dataFile: try row.value("data_file"), parameters: parameters, status: status,
            progress: try row.value("progress"), createdAt: try row.time("created_at"), startedAt: try row.optionalTime("started_at"),
            finishedAt: try row.optionalTime("finished_at"), summary: summary, detail: try row.json("detail"),
            report: try row.value("report"), error: try row.value("error"))
    }

    private static func corruptResearch(_ column: String, _ value: String) -> StoreError {
        StoreError(.corruptData, "column \(column) holds a value the engine cannot read: \(value.prefix(80))")
    }
}
