import Foundation
import GRDB
import StrataEngine
import StrataRuntime

/// The `research_runs` table (migration v6): backtests and optimizations the server ran.
enum ResearchRunSchema {
    static let sqlite = """
        CREATE TABLE research_runs (
            id TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
            kind TEXT NOT NULL CHECK (kind IN ('backtest', 'optimization')),
            instance_id TEXT,
            strategy_type TEXT NOT NULL,
            version TEXT NOT NULL,
            data_file TEXT NOT NULL,
            parameters TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(parameters) AND json_type(parameters) = 'object'),
            status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
            progress REAL NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
            created_at DATETIME NOT NULL,
            started_at DATETIME,
            finished_at DATETIME,
            summary TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(summary) AND json_type(summary) = 'object'),
            detail TEXT NOT NULL DEFAULT 'null' CHECK (json_valid(detail)),
            report TEXT,
            error TEXT
        );
        CREATE INDEX research_runs_on_kind ON research_runs(kind, created_at);
        CREATE INDEX research_runs_on_instance ON research_runs(instance_id, kind, created_at);
        """
}

// Research runs (see `ResearchStore`): not desired state, so no change token moves.
extension SQLiteStore {
    public func saveResearchRun(_ run: ResearchRun) throws {
        try write("saveResearchRun", instanceID: run.instanceID) { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO research_runs (id, kind, instance_id, strategy_type, version, data_file, parameters, status,
                        progress, created_at, started_at, finished_at, summary, detail, report, error)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.id, run.kind.rawValue, run.instanceID, run.strategyType, run.version, run.dataFile,
                    JSONValue.object(run.parameters).encoded(), run.status.rawValue, min(1, max(0, run.progress)),
                    StorageDate.value(run.createdAt), StorageDate.value(run.startedAt), StorageDate.value(run.finishedAt),
                    JSONValue.object(run.summary).encoded(), run.detail.encoded(), run.report, run.error,
                ])
            // The oldest finished runs past the bound go; unfinished ones are never pruned.
            try db.execute(
                sql: """
                    DELETE FROM research_runs WHERE id IN (
                        SELECT id FROM research_runs WHERE kind = ? AND status IN ('done', 'failed', 'cancelled')
                        ORDER BY created_at DESC, id DESC LIMIT -1 OFFSET ?)
                    """, arguments: [run.kind.rawValue, ResearchRun.keptPerKind])
        }
    }

    public func researchRuns(kind: ResearchRun.Kind, instanceID: String?, limit: Int) throws -> [ResearchRun] {
        try read("researchRuns", instanceID: instanceID) { db in
            let columns =
                "id, kind, instance_id, strategy_type, version, data_file, parameters, status, progress, created_at, "
                + "started_at, finished_at, summary, 'null' AS detail, CASE WHEN report IS NULL THEN NULL ELSE '' END AS report, error"
            let rows =
                if let instanceID {
                    try Row.fetchAll(
                        db, sql: "SELECT \(columns) FROM research_runs WHERE kind = ? AND instance_id = ? ORDER BY created_at DESC, id DESC LIMIT ?",
                        arguments: [kind.rawValue, instanceID, max(0, limit)])
                } else {
                    try Row.fetchAll(
                        db, sql: "SELECT \(columns) FROM research_runs WHERE kind = ? ORDER BY created_at DESC, id DESC LIMIT ?",
                        arguments: [kind.rawValue, max(0, limit)])
                }
            return try rows.map(ResearchRun.init(row:))
        }
    }

    public func researchRun(id: String) throws -> ResearchRun? {
        try read("researchRun", instanceID: nil) { db in
            try Row.fetchOne(db, sql: "SELECT * FROM research_runs WHERE id = ?", arguments: [id]).map(ResearchRun.init(row:))
        }
    }

    public func researchReport(id: String) throws -> String? {
        try read("researchReport", instanceID: nil) { db in
            try String.fetchOne(db, sql: "SELECT report FROM research_runs WHERE id = ?", arguments: [id])
        }
    }

    @discardableResult
    public func deleteResearchRun(id: String) throws -> Bool {
        try write("deleteResearchRun", instanceID: nil) { db in
            try db.execute(sql: "DELETE FROM research_runs WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    @discardableResult
    public func failUnfinishedResearchRuns(message: String, at date: Date) throws -> Int {
        try write("failUnfinishedResearchRuns", instanceID: nil) { db in
            try db.execute(
                sql: "UPDATE research_runs SET status = 'failed', error = ?, finished_at = ? WHERE status IN ('queued', 'running')",
                arguments: [message, StorageDate.value(date)])
            return db.changesCount
        }
    }
}

extension ResearchRun {
    init(row: Row) throws {
        guard let parameters = try row.json("parameters").objectValue else {
            throw Row.corrupt("parameters", try row.decode(String.self, forColumn: "parameters"))
        }
        guard let summary = try row.json("summary").objectValue else {
            throw Row.corrupt("summary", try row.decode(String.self, forColumn: "summary"))
        }
        self.init(
            id: try row.decode(forColumn: "id"), kind: try row.enumValue("kind"), instanceID: try row.decode(forColumn: "instance_id"),
            strategyType: try row.decode(forColumn: "strategy_type"), version: try row.decode(forColumn: "version"),
            dataFile: try row.decode(forColumn: "data_file"), parameters: parameters, status: try row.enumValue("status"),
            progress: try row.decode(forColumn: "progress"), createdAt: try row.decode(forColumn: "created_at"),
            startedAt: try row.decode(forColumn: "started_at"), finishedAt: try row.decode(forColumn: "finished_at"),
            summary: summary, detail: try row.json("detail"), report: try row.decode(forColumn: "report"),
            error: try row.decode(forColumn: "error"))
    }
}
