import Foundation
import PostgresNIO
import StrataEngine
import StrataRuntime

/// The risk gate's tables (migration v7), as the SQLite store holds them: limits and halts are
/// desired state (their writes move the change token and notify the engines), the control audit
/// is append-only, day marks are the engines' own notes.
enum PostgresRiskSchema {
    static let sql = """
        CREATE TABLE risk_limits (
            scope text NOT NULL CHECK (scope IN ('instance', 'account')),
            name text NOT NULL CHECK (name <> ''),
            limits text NOT NULL CHECK (strata_is_json_object(limits)),
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (scope, name)
        );
        CREATE TRIGGER risk_limits_bump AFTER INSERT OR UPDATE OR DELETE ON risk_limits
        FOR EACH STATEMENT EXECUTE FUNCTION strata_bump_generation();
        CREATE TABLE trading_halts (
            account text PRIMARY KEY,
            state text NOT NULL CHECK (state IN ('reduce_only', 'halted')),
            actor text NOT NULL CHECK (actor <> ''),
            since timestamptz NOT NULL
        );
        CREATE TRIGGER trading_halts_bump AFTER INSERT OR UPDATE OR DELETE ON trading_halts
        FOR EACH STATEMENT EXECUTE FUNCTION strata_bump_generation();
        CREATE TABLE control_audit (
            id bigserial PRIMARY KEY,
            at timestamptz NOT NULL,
            actor text NOT NULL CHECK (actor <> ''),
            account text,
            field text NOT NULL CHECK (field IN ('risk', 'halt')),
            old text CHECK (old IS NULL OR strata_is_json(old)),
            new text NOT NULL CHECK (strata_is_json(new))
        );
        CREATE TRIGGER control_audit_append_only BEFORE UPDATE OR DELETE ON control_audit
        FOR EACH ROW EXECUTE FUNCTION strata_append_only();
        CREATE TABLE risk_day_marks (
            key text PRIMARY KEY CHECK (key <> ''),
            day bigint NOT NULL,
            pnl double precision NOT NULL
        );
        ALTER TABLE signals ADD COLUMN rule text;
        ALTER TABLE audit_log DROP CONSTRAINT audit_log_field_check;
        ALTER TABLE audit_log ADD CONSTRAINT audit_log_field_check
            CHECK (field IN ('create', 'mode', 'config', 'shadow', 'promote', 'risk'));
        """
}

// The risk gate's desired state (see `RiskStore`). Not fenced: the operator's wishes, not a
// node's work. Writes of one scope take a transaction-level advisory lock, so two writers take
// turns and each audits what it replaced.
extension PostgresStore {
    public func riskSettings() throws -> RiskSettings {
        try read("riskSettings", instanceID: nil) { session in
            var settings = RiskSettings()
            for row in try session.rows("SELECT scope, name, limits FROM risk_limits") {
                let (scope, name, text) = try row.decode((String, String, String).self)
                let limits = try Self.parseLimits(text)
                if scope == "instance" { settings.instanceLimits[name] = limits } else { settings.accountLimits[name] = limits }
            }
            settings.halts = try Self.fetchHalts(session)
            return settings
        }
    }

    @discardableResult
    public func setRiskLimits(instanceID: String, to limits: RiskLimits, actor: AuditActor) throws -> RiskLimits {
        try write("setRiskLimits", instanceID: instanceID) { session in
            guard try session.rows("SELECT 1 FROM instances WHERE id = \(instanceID) FOR NO KEY UPDATE").first != nil else {
                throw StoreError(.notFound, "no instance \(instanceID)", instanceID: instanceID, operation: "setRiskLimits")
            }
            let now = clock()
            let old = try Self.replaceLimits(session, scope: "instance", name: instanceID, limits: limits, at: now)
            if old != limits {
                try session.run(
                    """
                    INSERT INTO audit_log (instance_id, at, actor, field, old, new)
                    VALUES (\(instanceID), \(epochMilliseconds: now), \(actor.rawValue), \(AuditField.risk.rawValue),
                        \(old.json.encoded()), \(limits.json.encoded()))
                    """)
            }
            return limits
        }
    }

    @discardableResult
    public func setRiskLimits(account: String, to limits: RiskLimits, actor: AuditActor) throws -> RiskLimits {
        try write("setRiskLimits", instanceID: nil) { session in
            try Self.requireAccount(session, account, operation: "setRiskLimits")
            let now = clock()
            let old = try Self.replaceLimits(session, scope: "account", name: account, limits: limits, at: now)
            if old != limits {
                try Self.appendControlAudit(session, at: now, actor: actor, account: account, field: .risk, old: old.json, new: limits.json)
            }
            return limits
        }
    }

    @discardableResult
    public func setHalt(account: String?, to halt: TradingHalt, actor: AuditActor) throws -> [TradingHaltRecord] {
        try write("setHalt", instanceID: nil) { session in
            if let account { try Self.requireAccount(session, account, operation: "setHalt") }
            let key = account ?? ""
            try session.run("SELECT pg_advisory_xact_lock(hashtext(\("halt:" + key)))")
            let old = try Self.fetchHalts(session).first { $0.account == account }?.state ?? .trading
            if old != halt {
                let now = clock()
                if halt == .trading {
                    try session.run("DELETE FROM trading_halts WHERE account = \(key)")
                } else {
                    try session.run(
                        """
                        INSERT INTO trading_halts (account, state, actor, since)
                        VALUES (\(key), \(halt.rawValue), \(actor.rawValue), \(epochMilliseconds: now))
                        ON CONFLICT (account) DO UPDATE SET state = excluded.state, actor = excluded.actor, since = excluded.since
                        """)
                }
                try Self.appendControlAudit(
                    session, at: now, actor: actor, account: account, field: .halt, old: .string(old.rawValue), new: .string(halt.rawValue))
            }
            return try Self.fetchHalts(session)
        }
    }

    public func controlAudit(limit: Int) throws -> [ControlAuditEntry] {
        try read("controlAudit", instanceID: nil) { session in
            try session.rows(
                """
                SELECT * FROM (
                    SELECT id, \(unescaped: PostgresMilliseconds.readSQL("at")), actor, account, field, old, new FROM control_audit
                    ORDER BY id DESC LIMIT \(Int64(max(0, limit)))
                ) AS newest ORDER BY id
                """
            ).map(Self.controlAuditEntry)
        }
    }

    /// A control audit entry from a row of `id, at (milliseconds), actor, account, field, old, new`.
    static func controlAuditEntry(_ row: PostgresRow) throws -> ControlAuditEntry {
        let (id, at, actor, account, fieldText, oldText, newText) = try row.decode(
            (Int64, Int64, String, String?, String, String?, String).self)
        guard let field = ControlAuditEntry.Field(rawValue: fieldText) else { throw PostgresRandomAccessRow.corrupt("field", fieldText) }
        guard let new = JSONValue(parsing: newText) else { throw PostgresRandomAccessRow.corrupt("new", newText) }
        let old = try oldText.map { text in
            guard let value = JSONValue(parsing: text) else { throw PostgresRandomAccessRow.corrupt("old", text) }
            return value
        }
        return ControlAuditEntry(
            id: id, at: PostgresMilliseconds.date(at), actor: AuditActor(rawValue: actor), account: account, field: field, old: old,
            new: new)
    }

    public func riskDayMarks() throws -> [RiskDayMark] {
        try read("riskDayMarks", instanceID: nil) { session in
            try session.rows("SELECT key, day, pnl FROM risk_day_marks ORDER BY key").map { row in
                let (key, day, pnl) = try row.decode((String, Int64, Double).self)
                return RiskDayMark(key: key, day: Int(day), pnl: pnl)
            }
        }
    }

    public func saveRiskDayMarks(_ marks: [RiskDayMark]) throws {
        guard !marks.isEmpty else { return }
        try write("saveRiskDayMarks", instanceID: nil) { session in
            for mark in marks {
                try session.run(
                    """
                    INSERT INTO risk_day_marks (key, day, pnl) VALUES (\(mark.key), \(Int64(mark.day)), \(mark.pnl))
                    ON CONFLICT (key) DO UPDATE SET day = excluded.day, pnl = excluded.pnl
                    """)
            }
        }
    }

    /// Stores `limits` for a scope (none: removes the row) and returns what was there.
    private static func replaceLimits(_ session: PostgresSession, scope: String, name: String, limits: RiskLimits, at: Date) throws -> RiskLimits {
        try session.run("SELECT pg_advisory_xact_lock(hashtext(\("risk:" + scope + ":" + name)))")
        let old =
            try session.rows("SELECT limits FROM risk_limits WHERE scope = \(scope) AND name = \(name)").first
            .map { try parseLimits($0.decode(String.self)) } ?? .none
        guard old != limits else { return old }
        if limits.isEmpty {
            try session.run("DELETE FROM risk_limits WHERE scope = \(scope) AND name = \(name)")
        } else {
            try session.run(
                """
                INSERT INTO risk_limits (scope, name, limits, updated_at)
                VALUES (\(scope), \(name), \(limits.json.encoded()), \(epochMilliseconds: at))
                ON CONFLICT (scope, name) DO UPDATE SET limits = excluded.limits, updated_at = excluded.updated_at
                """)
        }
        return old
    }

    private static func parseLimits(_ text: String) throws -> RiskLimits {
        guard let json = JSONValue(parsing: text), case .success(let limits) = RiskLimits.parse(json) else {
            throw PostgresRandomAccessRow.corrupt("limits", text)
        }
        return limits
    }

    private static func fetchHalts(_ session: PostgresSession) throws -> [TradingHaltRecord] {
        try session.rows("SELECT account, state, actor, \(unescaped: PostgresMilliseconds.readSQL("since")) FROM trading_halts ORDER BY account")
            .map { row in
                let (account, stateText, actor, since) = try row.decode((String, String, String, Int64).self)
                guard let state = TradingHalt(rawValue: stateText) else { throw PostgresRandomAccessRow.corrupt("state", stateText) }
                return TradingHaltRecord(
                    account: account.isEmpty ? nil : account, state: state, actor: AuditActor(rawValue: actor), since: PostgresMilliseconds.date(since))
            }
    }

    static func requireAccount(_ session: PostgresSession, _ name: String, operation: String) throws {
        guard try session.rows("SELECT 1 FROM accounts WHERE name = \(name)").first != nil else {
            throw StoreError(.notFound, "no account \(name)", operation: operation)
        }
    }

    static func appendControlAudit(
        _ session: PostgresSession, at: Date, actor: AuditActor, account: String?, field: ControlAuditEntry.Field, old: JSONValue?,
        new: JSONValue
    ) throws {
        try session.run(
            """
            INSERT INTO control_audit (at, actor, account, field, old, new)
            VALUES (\(epochMilliseconds: at), \(actor.rawValue), \(account), \(field.rawValue), \(old?.encoded()), \(new.encoded()))
            """)
    }
}
