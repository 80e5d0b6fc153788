import Foundation
import PostgresNIO
import StrataEngine
import StrataRuntime

/// Accounts as records (migration v9), as the SQLite store holds them: currency, starting cash,
/// fundings, resets and the fills' and orders' sequences at the last reset. Writes to accounts notify the
/// engines; the control audit accepts the fields `account`, `funding` and `reset`.
enum PostgresAccountSchema {
    static let sql = """
        ALTER TABLE accounts ADD COLUMN base_currency text NOT NULL DEFAULT 'USD' CHECK (length(base_currency) BETWEEN 3 AND 10);
        ALTER TABLE accounts ADD COLUMN starting_cash double precision NOT NULL DEFAULT 100000 CHECK (starting_cash >= 0);
        ALTER TABLE accounts ADD COLUMN funded double precision NOT NULL DEFAULT 0 CHECK (funded >= 0);
        ALTER TABLE accounts ADD COLUMN resets bigint NOT NULL DEFAULT 0 CHECK (resets >= 0);
        ALTER TABLE accounts ADD COLUMN reset_at timestamptz;
        ALTER TABLE accounts ADD COLUMN reset_fill_seq bigint NOT NULL DEFAULT 0;
        ALTER TABLE accounts ADD COLUMN reset_order_seq bigint NOT NULL DEFAULT 0;
        CREATE TRIGGER accounts_bump AFTER INSERT OR UPDATE ON accounts
        FOR EACH STATEMENT EXECUTE FUNCTION strata_bump_generation();
        ALTER TABLE control_audit DROP CONSTRAINT control_audit_field_check;
        ALTER TABLE control_audit ADD CONSTRAINT control_audit_field_check
            CHECK (field IN ('risk', 'halt', 'account', 'funding', 'reset'));
        CREATE INDEX control_audit_on_account ON control_audit(account, id);
        """
}

// Accounts as records (see `AccountStore`). Not fenced: the operator's wishes. A write locks the
// account's row, so two writers take turns and each audits what it replaced.
extension PostgresStore {
    public func account(name: String) throws -> AccountRecord? {
        try read("account", instanceID: nil) { session in try Self.fetchAccount(session, name, lock: false) }
    }

    @discardableResult
    public func createAccount(_ account: AccountRecord, actor: AuditActor) throws -> AccountRecord {
        try AccountAudit.check(account, operation: "createAccount")
        return try write("createAccount", instanceID: nil) { session in
            let now = clock()
            let inserted = try session.rows(
                """
                INSERT INTO accounts (name, broker, created_at, base_currency, starting_cash)
                VALUES (\(account.name), \(account.broker), \(PostgresTime(now)), \(account.baseCurrency), \(account.startingCash))
                ON CONFLICT (name) DO NOTHING RETURNING name
                """)
            guard inserted.first != nil, let created = try Self.fetchAccount(session, account.name, lock: false) else {
                throw StoreError(.alreadyExists, "account \(account.name) already exists", operation: "createAccount")
            }
            try Self.appendControlAudit(
                session, at: now, actor: actor, account: account.name, field: .account, old: nil, new: AccountAudit.created(created))
            return created
        }
    }

    @discardableResult
    public func fundAccount(_ name: String, amount: Double, actor: AuditActor) throws -> AccountRecord {
        try write("fundAccount", instanceID: nil) { session in
            guard let old = try Self.fetchAccount(session, name, lock: true) else {
                throw StoreError(.notFound, "no account \(name)", operation: "fundAccount")
            }
            try AccountAudit.checkFunding(amount, of: old)
            try session.run("UPDATE accounts SET funded = funded + \(amount) WHERE name = \(name)")
            guard let funded = try Self.fetchAccount(session, name, lock: false) else {
                throw StoreError(.database, "the account just funded cannot be read", operation: "fundAccount")
            }
            try Self.appendControlAudit(
                session, at: clock(), actor: actor, account: name, field: .funding, old: AccountAudit.funding(old, amount: nil),
                new: AccountAudit.funding(funded, amount: amount))
            return funded
        }
    }

    @discardableResult
    public func resetAccount(_ name: String, actor: AuditActor) throws -> AccountRecord {
        try write("resetAccount", instanceID: nil) { session in
            guard let old = try Self.fetchAccount(session, name, lock: true) else {
                throw StoreError(.notFound, "no account \(name)", operation: "resetAccount")
            }
            // The instances' rows are locked too: a mode set to active meanwhile waits for the reset.
            let active = try session.rows(
                "SELECT id FROM instances WHERE account = \(name) AND mode = 'active' ORDER BY id FOR SHARE"
            ).map { try $0.decode(String.self) }
            try AccountAudit.checkReset(old, active: active)
            let now = clock()
            let fillSeq = try session.rows("SELECT COALESCE(MAX(seq), 0) FROM fills").first.map { try $0.decode(Int64.self) } ?? 0
            let orderSeq = try session.rows("SELECT COALESCE(MAX(seq), 0) FROM orders").first.map { try $0.decode(Int64.self) } ?? 0
            try session.run(
                """
                UPDATE accounts SET funded = 0, resets = resets + 1, reset_at = \(PostgresTime(now)), reset_fill_seq = \(fillSeq),
                    reset_order_seq = \(orderSeq)
                WHERE name = \(name)
                """)
            guard let reset = try Self.fetchAccount(session, name, lock: false) else {
                throw StoreError(.database, "the account just reset cannot be read", operation: "resetAccount")
            }
            try Self.appendControlAudit(
                session, at: now, actor: actor, account: name, field: .reset, old: AccountAudit.funding(old, amount: nil),
                new: AccountAudit.reset(reset))
            return reset
        }
    }

    public func accountAudit(name: String, limit: Int) throws -> [ControlAuditEntry] {
        try read("accountAudit", instanceID: nil) { session in
            try session.rows(
                """
                SELECT * FROM (
                    SELECT id, \(unescaped: PostgresMilliseconds.readSQL("at")), actor, account, field, old, new FROM control_audit
                    WHERE account = \(name) ORDER BY id DESC LIMIT \(Int64(max(0, limit)))
                ) AS newest ORDER BY id
                """
            ).map(Self.controlAuditEntry)
        }
    }

    public func tradingHistory() throws -> TradingHistory {
        try read("tradingHistory", instanceID: nil) { session in
            // One snapshot for the three reads: a fill committed between them would lack its order.
            try session.transaction {
                try session.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                let before = try session.rows(
                    """
                    SELECT fills.id FROM fills JOIN instances ON instances.id = fills.instance_id
                    JOIN accounts ON accounts.name = instances.account JOIN orders ON orders.id = fills.order_id
                    WHERE fills.seq <= accounts.reset_fill_seq OR orders.seq <= accounts.reset_order_seq
                    """
                ).map { try $0.decode(String.self) }
                let ordersBefore = try session.rows(
                    """
                    SELECT orders.id FROM orders JOIN instances ON instances.id = orders.instance_id
                    JOIN accounts ON accounts.name = instances.account WHERE orders.seq <= accounts.reset_order_seq
                    """
                ).map { try $0.decode(String.self) }
                return TradingHistory(
                    orders: try session.rows("SELECT * FROM orders ORDER BY seq").map { try Order(postgres: $0.makeRandomAccess()) },
                    fills: try session.rows("SELECT * FROM fills ORDER BY seq").map { try FillRecord(postgres: $0.makeRandomAccess()) },
                    fillsBeforeReset: Set(before), ordersBeforeReset: Set(ordersBefore))
            }
        }
    }

    public func fillsSinceReset(instanceID: String, limit: Int) throws -> [FillRecord] {
        try read("fillsSinceReset", instanceID: instanceID) { session in
            try session.rows(
                """
                SELECT * FROM (
                    SELECT fills.* FROM fills JOIN instances ON instances.id = fills.instance_id
                    JOIN accounts ON accounts.name = instances.account JOIN orders ON orders.id = fills.order_id
                    WHERE fills.instance_id = \(instanceID) AND fills.seq > accounts.reset_fill_seq AND orders.seq > accounts.reset_order_seq
                    ORDER BY fills.seq DESC LIMIT \(Int64(max(0, limit)))
                ) AS newest ORDER BY seq
                """
            ).map { try FillRecord(postgres: $0.makeRandomAccess()) }
        }
    }

    static func fetchAccount(_ session: PostgresSession, _ name: String, lock: Bool) throws -> AccountRecord? {
        let rows =
            try lock ? session.rows("SELECT * FROM accounts WHERE name = \(name) FOR UPDATE") : session.rows("SELECT * FROM accounts WHERE name = \(name)")
        return try rows.first.map { try AccountRecord(postgres: $0.makeRandomAccess()) }
    }
}
