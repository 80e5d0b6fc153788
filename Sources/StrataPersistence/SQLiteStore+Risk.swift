import Foundation
import GRDB
import StrataEngine
import StrataRuntime

/// The risk gate's tables (migration v7): limits and halts are desired state (their writes move
/// the change token), the control audit is append-only, day marks are the engine's own notes.
/// The audit log is rebuilt to accept the field `risk` (SQLite cannot alter a CHECK).
enum RiskSchema {
    static let sqlite = """
        CREATE TABLE risk_limits (
            scope TEXT NOT NULL CHECK (scope IN ('instance', 'account')),
            name TEXT NOT NULL CHECK (name <> ''),
            limits TEXT NOT NULL CHECK (json_valid(limits) AND json_type(limits) = 'object'),
            updated_at DATETIME NOT NULL,
            PRIMARY KEY (scope, name)
        );
        CREATE TRIGGER risk_limits_bump_on_insert AFTER INSERT ON risk_limits
        BEGIN UPDATE change_generation SET value = value + 1 WHERE id = 1; END;
        CREATE TRIGGER risk_limits_bump_on_update AFTER UPDATE ON risk_limits
        BEGIN UPDATE change_generation SET value = value + 1 WHERE id = 1; END;
        CREATE TRIGGER risk_limits_bump_on_delete AFTER DELETE ON risk_limits
        BEGIN UPDATE change_generation SET value = value + 1 WHERE id = 1; END;

        CREATE TABLE trading_halts (
            account TEXT PRIMARY KEY NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('reduce_only', 'halted')),
            actor TEXT NOT NULL CHECK (actor <> ''),
            since DATETIME NOT NULL
        );
        CREATE TRIGGER trading_halts_bump_on_insert AFTER INSERT ON trading_halts
        BEGIN UPDATE change_generation SET value = value + 1 WHERE id = 1; END;
        CREATE TRIGGER trading_halts_bump_on_update AFTER UPDATE ON trading_halts
        BEGIN UPDATE change_generation SET value = value + 1 WHERE id = 1; END;
        CREATE TRIGGER trading_halts_bump_on_delete AFTER DELETE ON trading_halts
        BEGIN UPDATE change_generation SET value = value + 1 WHERE id = 1; END;

        CREATE TABLE control_audit (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at DATETIME NOT NULL,
            actor TEXT NOT NULL CHECK (actor <> ''),
            account TEXT,
            field TEXT NOT NULL CHECK (field IN ('risk', 'halt')),
            old TEXT CHECK (old IS NULL OR json_valid(old)),
            new TEXT NOT NULL CHECK (json_valid(new))
        );
        CREATE TRIGGER control_audit_no_update BEFORE UPDATE ON control_audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER control_audit_no_delete BEFORE DELETE ON control_audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

        CREATE TABLE risk_day_marks (
            key TEXT PRIMARY KEY NOT NULL CHECK (key <> ''),
            day INTEGER NOT NULL,
            pnl REAL NOT NULL
        );

        ALTER TABLE signals ADD COLUMN rule TEXT;

        CREATE TABLE audit_log_v7 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            instance_id TEXT NOT NULL REFERENCES instances(id),
            at DATETIME NOT NULL,
            actor TEXT NOT NULL CHECK (actor <> ''),
            field TEXT NOT NULL CHECK (field IN ('create', 'mode', 'config', 'shadow', 'promote', 'risk')),
            old TEXT CHECK (old IS NULL OR json_valid(old)),
            new TEXT NOT NULL CHECK (json_valid(new))
        );
        INSERT INTO audit_log_v7 SELECT * FROM audit_log;
        DROP TABLE audit_log;
        ALTER TABLE audit_log_v7 RENAME TO audit_log;
        CREATE INDEX audit_log_on_instance ON audit_log(instance_id, id);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """
}

// The risk gate's desired state (see `RiskStore`).
extension SQLiteStore {
    public func riskSettings() throws -> RiskSettings {
        try read("riskSettings", instanceID: nil) { db in
            var settings = RiskSettings()
            for row in try Row.fetchAll(db, sql: "SELECT scope, name, limits FROM risk_limits") {
                let limits = try Self.limits(row)
                let name: String = try row.decode(forColumn: "name")
                if try row.decode(String.self, forColumn: "scope") == "instance" {
                    settings.instanceLimits[name] = limits
                } else {
                    settings.accountLimits[name] = limits
                }
            }
            settings.halts = try Self.fetchHalts(db)
            return settings
        }
    }

    @discardableResult
    public func setRiskLimits(instanceID: String, to limits: RiskLimits, actor: AuditActor) throws -> RiskLimits {
        try write("setRiskLimits", instanceID: instanceID) { db in
            _ = try Self.requireInstance(db, id: instanceID, operation: "setRiskLimits")
            let now = clock()
            let old = try Self.replaceLimits(db, scope: "instance", name: instanceID, limits: limits, at: now)
            if old != limits {
                try Self.appendAudit(db, instanceID: instanceID, at: now, actor: actor, field: .risk, old: old.json, new: limits.json)
            }
            return limits
        }
    }

    @discardableResult
    public func setRiskLimits(account: String, to limits: RiskLimits, actor: AuditActor) throws -> RiskLimits {
        try write("setRiskLimits", instanceID: nil) { db in
            try Self.requireAccount(db, account, operation: "setRiskLimits")
            let now = clock()
            let old = try Self.replaceLimits(db, scope: "account", name: account, limits: limits, at: now)
            if old != limits {
                try Self.appendControlAudit(db, at: now, actor: actor, account: account, field: .risk, old: old.json, new: limits.json)
            }
            return limits
        }
    }

    @discardableResult
    public func setHalt(account: String?, to halt: TradingHalt, actor: AuditActor) throws -> [TradingHaltRecord] {
        try write("setHalt", instanceID: nil) { db in
            if let account { try Self.requireAccount(db, account, operation: "setHalt") }
            let key = account ?? ""
            let old = try Self.fetchHalts(db).first { $0.account == account }?.state ?? .trading
            if old != halt {
                let now = clock()
                if halt == .trading {
                    try db.execute(sql: "DELETE FROM trading_halts WHERE account = ?", arguments: [key])
                } else {
                    try db.execute(
                        sql: """
                            INSERT INTO trading_halts (account, state, actor, since) VALUES (?, ?, ?, ?)
                            ON CONFLICT(account) DO UPDATE SET state = excluded.state, actor = excluded.actor, since = excluded.since
                            """, arguments: [key, halt.rawValue, actor.rawValue, now])
                }
                try Self.appendControlAudit(
                    db, at: now, actor: actor, account: account, field: .halt, old: .string(old.rawValue), new: .string(halt.rawValue))
            }
            return try Self.fetchHalts(db)
        }
    }

    public func controlAudit(limit: Int) throws -> [ControlAuditEntry] {
        try read("controlAudit", instanceID: nil) { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM (SELECT * FROM control_audit ORDER BY id DESC LIMIT ?) ORDER BY id", arguments: [max(0, limit)]
            ).map(ControlAuditEntry.init(row:))
        }
    }

    public func riskDayMarks() throws -> [RiskDayMark] {
        try read("riskDayMarks", instanceID: nil) { db in
            try Row.fetchAll(db, sql: "SELECT key, day, pnl FROM risk_day_marks ORDER BY key").map {
                RiskDayMark(key: try $0.decode(forColumn: "key"), day: try $0.decode(forColumn: "day"), pnl: try $0.decode(forColumn: "pnl"))
            }
        }
    }

    public func saveRiskDayMarks(_ marks: [RiskDayMark]) throws {
        guard !marks.isEmpty else { return }
        try write("saveRiskDayMarks", instanceID: nil) { db in
            for mark in marks {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO risk_day_marks (key, day, pnl) VALUES (?, ?, ?)", arguments: [mark.key, mark.day, mark.pnl])
            }
        }
    }

    /// Stores `limits` for a scope (none: removes the row) and returns what was there.
    private static func replaceLimits(_ db: Database, scope: String, name: String, limits: RiskLimits, at: Date) throws -> RiskLimits {
        let old =
            try Row.fetchOne(db, sql: "SELECT limits FROM risk_limits WHERE scope = ? AND name = ?", arguments: [scope, name])
            .map(Self.limits) ?? .none
        guard old != limits else { return old }
        if limits.isEmpty {
            try db.execute(sql: "DELETE FROM risk_limits WHERE scope = ? AND name = ?", arguments: [scope, name])
        } else {
            try db.execute(
                sql: """
                    INSERT INTO risk_limits (scope, name, limits, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(scope, name) DO UPDATE SET limits = excluded.limits, updated_at = excluded.updated_at
                    """, arguments: [scope, name, limits.json.encoded(), at])
        }
        return old
    }

    private static func limits(_ row: Row) throws -> RiskLimits {
        let text: String = try row.decode(forColumn: "limits")
        guard let json = JSONValue(parsing: text), case .success(let limits) = RiskLimits.parse(json) else { throw Row.corrupt("limits", text) }
        return limits
    }

    private static func fetchHalts(_ db: Database) throws -> [TradingHaltRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM trading_halts ORDER BY account").map { row in
            let account: String = try row.decode(forColumn: "account")
            return TradingHaltRecord(
                account: account.isEmpty ? nil : account, state: try row.enumValue("state"),
                actor: AuditActor(rawValue: try row.decode(forColumn: "actor")),
                since: try row.decode(forColumn: "since"))
        }
    }

    static func requireAccount(_ db: Database, _ name: String, operation: String) throws {
        guard try Row.fetchOne(db, sql: "SELECT 1 FROM accounts WHERE name = ?", arguments: [name]) != nil else {
            throw StoreError(.notFound, "no account \(name)", operation: operation)
        }
    }

    static func appendControlAudit(
        _ db: Database, at: Date, actor: AuditActor, account: String?, field: ControlAuditEntry.Field, old: JSONValue?, new: JSONValue
    ) throws {
        try db.execute(
            sql: "INSERT INTO control_audit (at, actor, account, field, old, new) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [at, actor.rawValue, account, field.rawValue, old?.encoded(), new.encoded()])
    }
}
