import GRDB
import StrataEngine

/// The database schema: one migrator, one migration per released schema change.
///
/// JSON columns are TEXT checked with `json_valid`, dates are GRDB's UTC text
/// (`yyyy-MM-dd HH:mm:ss.SSS`), so the database reads well in a SQL shell. Constraints and
/// triggers hold even for writes that bypass ``SQLiteStore`` (a SQL shell with foreign keys on).
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration(StoreMigrations.names[0]) { db in
            try createDesiredState(db)
            try createObservedState(db)
            try createHistory(db)
        }
        migrator.registerMigration(StoreMigrations.names[1]) { db in
            try db.execute(
                sql: """
                    ALTER TABLE instance_status ADD COLUMN pnl REAL NOT NULL DEFAULT 0;
                    ALTER TABLE instance_status ADD COLUMN position REAL NOT NULL DEFAULT 0;
                    ALTER TABLE instance_status ADD COLUMN tick_latency_p50 REAL;
                    ALTER TABLE instance_status ADD COLUMN tick_latency_p99 REAL;
                    """)
        }
        migrator.registerMigration(StoreMigrations.names[2]) { db in
            try createReplay(db)
        }
        migrator.registerMigration(StoreMigrations.names[3]) { db in
            try createShadows(db)
        }
        migrator.registerMigration(StoreMigrations.names[4]) { db in
            try createCluster(db)
        }
        migrator.registerMigration(StoreMigrations.names[5]) { db in
            try db.execute(sql: ResearchRunSchema.sqlite)
        }
        migrator.registerMigration(StoreMigrations.names[6]) { db in
            try db.execute(sql: RiskSchema.sqlite)
        }
        migrator.registerMigration(StoreMigrations.names[7]) { db in
            try db.execute(sql: WebhookSchema.sqlite)
        }
        migrator.registerMigration(StoreMigrations.names[8]) { db in
            try db.execute(sql: AccountSchema.sqlite)
        }
        migrator.registerMigration(StoreMigrations.names[9]) { db in
            try db.execute(sql: EquityHistorySchema.sqlite)
        }
        return migrator
    }

    /// Nodes and leases: the same tables as the PostgreSQL store's, so both hold one schema; the
    /// embedded store serves one machine and never fills them.
    private static func createCluster(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE nodes (
                    name TEXT PRIMARY KEY NOT NULL CHECK (name <> ''),
                    address TEXT,
                    started_at DATETIME NOT NULL,
                    heartbeat_at DATETIME NOT NULL
                );
                CREATE TABLE instance_leases (
                    instance_id TEXT PRIMARY KEY NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
                    node TEXT NOT NULL CHECK (node <> ''),
                    token INTEGER NOT NULL CHECK (token > 0),
                    expires_at DATETIME NOT NULL
                );
                CREATE INDEX instance_leases_on_node ON instance_leases(node);
                """)
    }

    /// Shadows (desired state: their writes move the change token), their signals, and the audit
    /// fields `shadow` and `promote` (SQLite cannot alter a CHECK: the audit log is rebuilt).
    private static func createShadows(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE instance_shadows (
                    instance_id TEXT PRIMARY KEY NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
                    source TEXT,
                    config TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config) AND json_type(config) = 'object'),
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL,
                    promote_requested_at DATETIME
                );
                CREATE TRIGGER shadows_bump_on_insert AFTER INSERT ON instance_shadows
                BEGIN UPDATE change_generation SET value = value + 1 WHERE id = 1; END;
                CREATE TRIGGER shadows_bump_on_update AFTER UPDATE ON instance_shadows
                BEGIN UPDATE change_generation SET value = value + 1 WHERE id = 1; END;
                CREATE TRIGGER shadows_bump_on_delete AFTER DELETE ON instance_shadows
                BEGIN UPDATE change_generation SET value = value + 1 WHERE id = 1; END;

                ALTER TABLE signals ADD COLUMN shadow INTEGER NOT NULL DEFAULT 0 CHECK (shadow IN (0, 1));
                CREATE INDEX signals_on_instance_shadow ON signals(instance_id, shadow, id);

                CREATE TABLE audit_log_v4 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    instance_id TEXT NOT NULL REFERENCES instances(id),
                    at DATETIME NOT NULL,
                    actor TEXT NOT NULL CHECK (actor <> ''),
                    field TEXT NOT NULL CHECK (field IN ('create', 'mode', 'config', 'shadow', 'promote')),
                    old TEXT CHECK (old IS NULL OR json_valid(old)),
                    new TEXT NOT NULL CHECK (json_valid(new))
                );
                INSERT INTO audit_log_v4 SELECT * FROM audit_log;
                DROP TABLE audit_log;
                ALTER TABLE audit_log_v4 RENAME TO audit_log;
                CREATE INDEX audit_log_on_instance ON audit_log(instance_id, id);
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
    }

    /// State snapshots and the tick journal; orders, fills and signals name their tick.
    private static func createReplay(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE state_snapshots (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    instance_id TEXT NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
                    version TEXT NOT NULL CHECK (version <> ''),
                    tick_seq INTEGER NOT NULL CHECK (tick_seq >= 0),
                    taken_at DATETIME NOT NULL,
                    reason TEXT NOT NULL CHECK (reason IN ('periodic', 'stop', 'off', 'reload')),
                    state BLOB NOT NULL
                );
                CREATE INDEX state_snapshots_on_instance ON state_snapshots(instance_id, tick_seq, id);

                -- Every tick the engine delivered, numbered engine-wide in delivery order. Keyed
                -- by market first: a replay reads one market's range, retention trims per market.
                CREATE TABLE tick_journal (
                    market TEXT NOT NULL,
                    seq INTEGER NOT NULL CHECK (seq > 0),
                    ts REAL NOT NULL,
                    price REAL NOT NULL,
                    volume REAL, bid REAL, ask REAL, open REAL, high REAL, low REAL,
                    PRIMARY KEY (market, seq)
                ) WITHOUT ROWID;
                -- The highest seq journaled (one row): a restart numbers on from it.
                CREATE TABLE tick_journal_head (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    seq INTEGER NOT NULL
                );
                INSERT INTO tick_journal_head (id, seq) VALUES (1, 0);

                ALTER TABLE orders ADD COLUMN tick_seq INTEGER;
                ALTER TABLE fills ADD COLUMN tick_seq INTEGER;
                ALTER TABLE signals ADD COLUMN tick_seq INTEGER;
                """)
    }

    /// Accounts, instances, the audit log and the change generation.
    private static func createDesiredState(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE accounts (
                    name TEXT PRIMARY KEY NOT NULL CHECK (name <> ''),
                    broker TEXT NOT NULL,
                    created_at DATETIME NOT NULL
                );
                CREATE TABLE instances (
                    id TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
                    strategy_type TEXT NOT NULL CHECK (strategy_type <> ''),
                    account TEXT NOT NULL REFERENCES accounts(name),
                    market TEXT NOT NULL CHECK (market <> ''),
                    mode TEXT NOT NULL CHECK (mode IN ('off', 'observe', 'active')),
                    config TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(config) AND json_type(config) = 'object'),
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL
                );
                CREATE INDEX instances_on_market ON instances(market);

                -- Identity is immutable whoever writes: the store has no call for it, and this
                -- trigger refuses it from a SQL shell too.
                CREATE TRIGGER instances_identity_immutable
                BEFORE UPDATE OF id, strategy_type, account, market ON instances
                WHEN NEW.id IS NOT OLD.id OR NEW.strategy_type IS NOT OLD.strategy_type
                  OR NEW.account IS NOT OLD.account OR NEW.market IS NOT OLD.market
                BEGIN
                    SELECT RAISE(ABORT, 'instance identity is immutable');
                END;

                -- The change token: one row bumped by every write to instances, by any client,
                -- inside the writing transaction. Reading it is one primary-key lookup.
                CREATE TABLE change_generation (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    value INTEGER NOT NULL
                );
                INSERT INTO change_generation (id, value) VALUES (1, 0);
                CREATE TRIGGER instances_bump_on_insert AFTER INSERT ON instances
                BEGIN UPDATE change_generation SET value = value + 1 WHERE id = 1; END;
                CREATE TRIGGER instances_bump_on_update AFTER UPDATE ON instances
                BEGIN UPDATE change_generation SET value = value + 1 WHERE id = 1; END;
                CREATE TRIGGER instances_bump_on_delete AFTER DELETE ON instances
                BEGIN UPDATE change_generation SET value = value + 1 WHERE id = 1; END;

                CREATE TABLE audit_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    instance_id TEXT NOT NULL REFERENCES instances(id),
                    at DATETIME NOT NULL,
                    actor TEXT NOT NULL CHECK (actor <> ''),
                    field TEXT NOT NULL CHECK (field IN ('create', 'mode', 'config')),
                    old TEXT CHECK (old IS NULL OR json_valid(old)),
                    new TEXT NOT NULL CHECK (json_valid(new))
                );
                CREATE INDEX audit_log_on_instance ON audit_log(instance_id, id);
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
    }

    /// Status and strategy versions: written by the engine, never part of the desired state.
    private static func createObservedState(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE instance_status (
                    instance_id TEXT PRIMARY KEY NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
                    status TEXT NOT NULL CHECK (status IN ('loading', 'running', 'stopped', 'error')),
                    last_error_message TEXT,
                    last_error_kind TEXT,
                    last_error_traceback TEXT,
                    version TEXT,
                    ticks INTEGER NOT NULL DEFAULT 0,
                    last_tick_at DATETIME,
                    memory_bytes INTEGER NOT NULL DEFAULT 0,
                    cpu_seconds REAL NOT NULL DEFAULT 0,
                    updated_at DATETIME NOT NULL
                );
                CREATE TABLE strategy_versions (
                    strategy_type TEXT NOT NULL,
                    hash TEXT NOT NULL,
                    source TEXT NOT NULL,
                    first_seen DATETIME NOT NULL,
                    PRIMARY KEY (strategy_type, hash)
                );
                CREATE INDEX strategy_versions_on_type ON strategy_versions(strategy_type, first_seen);
                """)
    }

    /// Orders, fills, signals and logs, each read per instance, newest first.
    private static func createHistory(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE orders (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    instance_id TEXT NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
                    market TEXT NOT NULL,
                    side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
                    quantity REAL NOT NULL,
                    type TEXT NOT NULL CHECK (type IN ('market', 'limit')),
                    price REAL,
                    tag TEXT,
                    status TEXT NOT NULL CHECK (status IN ('open', 'filled', 'cancelled', 'rejected')),
                    filled_quantity REAL NOT NULL,
                    average_price REAL,
                    fee REAL NOT NULL,
                    created_at REAL NOT NULL,
                    filled_at REAL,
                    reject_reason TEXT
                );
                CREATE INDEX orders_on_instance ON orders(instance_id, seq);
                CREATE TABLE fills (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE,
                    order_id TEXT NOT NULL REFERENCES orders(id),
                    instance_id TEXT NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
                    market TEXT NOT NULL,
                    side TEXT NOT NULL CHECK (side IN ('buy', 'sell')),
                    quantity REAL NOT NULL,
                    price REAL NOT NULL,
                    fee REAL NOT NULL,
                    time REAL NOT NULL
                );
                CREATE INDEX fills_on_instance ON fills(instance_id, seq);
                CREATE INDEX fills_on_order ON fills(order_id);
                CREATE TABLE signals (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    instance_id TEXT NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
                    request TEXT NOT NULL CHECK (json_valid(request)),
                    time REAL NOT NULL,
                    price REAL,
                    reason TEXT NOT NULL
                );
                CREATE INDEX signals_on_instance ON signals(instance_id, id);
                CREATE TABLE instance_logs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    instance_id TEXT NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
                    time REAL NOT NULL,
                    level TEXT NOT NULL,
                    message TEXT NOT NULL
                );
                CREATE INDEX instance_logs_on_instance ON instance_logs(instance_id, id);
                """)
    }
}
