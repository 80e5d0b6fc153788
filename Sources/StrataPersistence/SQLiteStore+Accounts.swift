import Foundation
import GRDB
import StrataEngine
import StrataRuntime

/// Accounts as records (migration v9): their currency, starting cash, fundings and resets, and
/// the fills' and orders' sequences at the last reset (fills up to it no longer count). A write to an account
/// moves the change token, so the engines apply it. The control audit is rebuilt to accept the
/// fields `account`, `funding` and `reset` (SQLite cannot alter a CHECK).
enum AccountSchema {
    static let sqlite = """
        ALTER TABLE accounts ADD COLUMN base_currency TEXT NOT NULL DEFAULT 'USD' CHECK (length(base_currency) BETWEEN 3 AND 10);
        ALTER TABLE accounts ADD COLUMN starting_cash REAL NOT NULL DEFAULT 100000 CHECK (starting_cash >= 0);
        ALTER TABLE accounts ADD COLUMN funded REAL NOT NULL DEFAULT 0 CHECK (funded >= 0);
        ALTER TABLE accounts ADD COLUMN resets INTEGER NOT NULL DEFAULT 0 CHECK (resets >= 0);
        ALTER TABLE accounts ADD COLUMN reset_at DATETIME;
        ALTER TABLE accounts ADD COLUMN reset_fill_seq INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE accounts ADD COLUMN reset_order_seq INTEGER NOT NULL DEFAULT 0;
        CREATE TRIGGER accounts_bump_on_insert AFTER INSERT ON accounts
        BEGIN UPDATE change_generation SET value = value + 1 WHERE id = 1; END;
        CREATE TRIGGER accounts_bump_on_update AFTER UPDATE ON accounts
        BEGIN UPDATE change_generation SET value = value + 1 WHERE id = 1; END;

        CREATE TABLE control_audit_v9 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at DATETIME NOT NULL,
            actor TEXT NOT NULL CHECK (actor <> ''),
            account TEXT,
            field TEXT NOT NULL CHECK (field IN ('risk', 'halt', 'account', 'funding', 'reset')),
            old TEXT CHECK (old IS NULL OR json_valid(old)),
            new TEXT NOT NULL CHECK (json_valid(new))
        );
        INSERT INTO control_audit_v9 SELECT * FROM control_audit;
        DROP TABLE control_audit;
        ALTER TABLE control_audit_v9 RENAME TO control_audit;
        CREATE INDEX control_audit_on_account ON control_audit(account, id);
        CREATE TRIGGER control_audit_no_update BEFORE UPDATE ON control_audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER control_audit_no_delete BEFORE DELETE ON control_audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """
}

// Accounts as records (see `AccountStore`).
extension SQLiteStore {
    public func account(name: String) throws -> AccountRecord? {
        try read("account", instanceID: nil) { db in try Self.fetchAccount(db, name) }
    }

    @discardableResult
    public func createAccount(_ account: AccountRecord, actor: AuditActor) throws -> AccountRecord {
        try AccountAudit.check(account, operation: "createAccount")
        return try write("createAccount", instanceID: nil) { db in
            if try Self.fetchAccount(db, account.name) != nil {
                throw StoreError(.alreadyExists, "account \(account.name) already exists", operation: "createAccount")
            }
            let now = clock()
            try db.execute(
                sql: "INSERT INTO accounts (name, broker, created_at, base_currency, starting_cash) VALUES (?, ?, ?, ?, ?)",
                arguments: [account.name, account.broker, now, account.baseCurrency, account.startingCash])
            let created = try Self.fetchAccount(db, account.name)!
            try Self.appendControlAudit(db, at: now, actor: actor, account: account.name, field: .account, old: nil, new: AccountAudit.created(created))
            return created
        }
    }

    @discardableResult
    public func fundAccount(_ name: String, amount: Double, actor: AuditActor) throws -> AccountRecord {
        try write("fundAccount", instanceID: nil) { db in
            guard let old = try Self.fetchAccount(db, name) else { throw StoreError(.notFound, "no account \(name)", operation: "fundAccount") }
            try AccountAudit.checkFunding(amount, of: old)
            try db.execute(sql: "UPDATE accounts SET funded = funded + ? WHERE name = ?", arguments: [amount, name])
            let funded = try Self.fetchAccount(db, name)!
            try Self.appendControlAudit(
                db, at: clock(), actor: actor, account: name, field: .funding, old: AccountAudit.funding(old, amount: nil),
                new: AccountAudit.funding(funded, amount: amount))
            return funded
        }
    }

    @discardableResult
    public func resetAccount(_ name: String, actor: AuditActor) throws -> AccountRecord {
        try write("resetAccount", instanceID: nil) { db in
            guard let old = try Self.fetchAccount(db, name) else { throw StoreError(.notFound, "no account \(name)", operation: "resetAccount") }
            let active = try String.fetchAll(
                db, sql: "SELECT id FROM instances WHERE account = ? AND mode = 'active' ORDER BY id", arguments: [name])
            try AccountAudit.checkReset(old, active: active)
            let now = clock()
            let fillSeq = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM fills") ?? 0
            let orderSeq = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM orders") ?? 0
            try db.execute(
                sql: """
                    UPDATE accounts SET funded = 0, resets = resets + 1, reset_at = ?, reset_fill_seq = ?, reset_order_seq = ?
                    WHERE name = ?
                    """,
                arguments: [now, fillSeq, orderSeq, name])
            let reset = try Self.fetchAccount(db, name)!
            try Self.appendControlAudit(
                db, at: now, actor: actor, account: name, field: .reset, old: AccountAudit.funding(old, amount: nil), new: AccountAudit.reset(reset))
            return reset
        }
    }

    public func accountAudit(name: String, limit: Int) throws -> [ControlAuditEntry] {
        try read("accountAudit", instanceID: nil) { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM (SELECT * FROM control_audit WHERE account = ? ORDER BY id DESC LIMIT ?) ORDER BY id",
                arguments: [name, max(0, limit)]
            ).map(ControlAuditEntry.init(row:))
        }
    }

    public func tradingHistory() throws -> TradingHistory {
        try read("tradingHistory", instanceID: nil) { db in
            let before = try String.fetchAll(
                db,
                sql: """
                    SELECT fills.id FROM fills JOIN instances ON instances.id = fills.instance_id
                    JOIN accounts ON accounts.name = instances.account JOIN orders ON orders.id = fills.order_id
                    WHERE fills.seq <= accounts.reset_fill_seq OR orders.seq <= accounts.reset_order_seq
                    """)
            let ordersBefore = try String.fetchAll(
                db,
                sql: """
                    SELECT orders.id FROM orders JOIN instances ON instances.id = orders.instance_id
                    JOIN accounts ON accounts.name = instances.account WHERE orders.seq <= accounts.reset_order_seq
                    """)
            return TradingHistory(
                orders: try Row.fetchAll(db, sql: "SELECT * FROM orders ORDER BY seq").map(Order.init(row:)),
                fills: try Row.fetchAll(db, sql: "SELECT * FROM fills ORDER BY seq").map(FillRecord.init(row:)),
                fillsBeforeReset: Set(before), ordersBeforeReset: Set(ordersBefore))
        }
    }

    public func fillsSinceReset(instanceID: String, limit: Int) throws -> [FillRecord] {
        try read("fillsSinceReset", instanceID: instanceID) { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM (
                        SELECT fills.* FROM fills JOIN instances ON instances.id = fills.instance_id
                        JOIN accounts ON accounts.name = instances.account JOIN orders ON orders.id = fills.order_id
                        WHERE fills.instance_id = ? AND fills.seq > accounts.reset_fill_seq AND orders.seq > accounts.reset_order_seq
                        ORDER BY fills.seq DESC LIMIT ?
                    ) ORDER BY seq
                    """, arguments: [instanceID, max(0, limit)]
            ).map(FillRecord.init(row:))
        }
    }

    static func fetchAccount(_ db: Database, _ name: String) throws -> AccountRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM accounts WHERE name = ?", arguments: [name]).map(AccountRecord.init(row:))
    }
}
