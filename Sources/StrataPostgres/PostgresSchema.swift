import StrataEngine

/// The schema in PostgreSQL: the same tables, columns, constraints and append-only audit log as
/// the SQLite store, migration by migration under the names of ``StoreMigrations`` (the one
/// description both stores follow), plus what only a server can do: the desired state's writes
/// `NOTIFY` the engines, and writes for an instance are fenced by its lease.
///
/// JSON columns are `text` checked as JSON (the bytes stay as written, as in SQLite); times are
/// `timestamptz`; market times (`ts`, `time`) stay seconds as `double precision`.
enum PostgresSchema {
    /// The channel the desired state's writes notify.
    static let desiredStateChannel = "strata_desired_state"

    /// Each migration's statements, by name, in ``StoreMigrations/names`` order.
    static let migrations: [(name: String, sql: String)] = [
        (StoreMigrations.names[0], desiredState + observedState + history),
        (StoreMigrations.names[1], statusFigures),
        (StoreMigrations.names[2], replay),
        (StoreMigrations.names[3], shadows),
        (StoreMigrations.names[4], cluster),
        (StoreMigrations.names[5], researchRuns),
        (StoreMigrations.names[6], PostgresRiskSchema.sql),
        (StoreMigrations.names[7], webhooks),
        (StoreMigrations.names[8], PostgresAccountSchema.sql),
        (StoreMigrations.names[9], PostgresEquitySchema.sql),
    ]

    private static let desiredState = """
        CREATE FUNCTION strata_is_json(value text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
        BEGIN
            PERFORM value::jsonb;
            RETURN true;
        EXCEPTION WHEN others THEN
            RETURN false;
        END $$;
        CREATE FUNCTION strata_is_json_object(value text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
            SELECT strata_is_json(value) AND jsonb_typeof(value::jsonb) = 'object'
        $$;

        CREATE TABLE accounts (
            name text PRIMARY KEY CHECK (name <> ''),
            broker text NOT NULL,
            created_at timestamptz NOT NULL
        );
        CREATE TABLE instances (
            id text PRIMARY KEY CHECK (id <> ''),
            strategy_type text NOT NULL CHECK (strategy_type <> ''),
            account text NOT NULL REFERENCES accounts(name),
            market text NOT NULL CHECK (market <> ''),
            mode text NOT NULL CHECK (mode IN ('off', 'observe', 'active')),
            config text NOT NULL DEFAULT '{}' CHECK (strata_is_json_object(config)),
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL
        );
        CREATE INDEX instances_on_market ON instances(market);

        -- Identity is immutable whoever writes (a SQL shell too).
        CREATE FUNCTION strata_identity_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.id IS DISTINCT FROM OLD.id OR NEW.strategy_type IS DISTINCT FROM OLD.strategy_type
               OR NEW.account IS DISTINCT FROM OLD.account OR NEW.market IS DISTINCT FROM OLD.market THEN
                RAISE EXCEPTION 'instance identity is immutable';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER instances_identity_immutable BEFORE UPDATE ON instances
        FOR EACH ROW EXECUTE FUNCTION strata_identity_immutable();

        -- The change token: bumped by every write to the desired state, by any client, inside
        -- the writing transaction; the same statement notifies the engines when it commits.
        CREATE TABLE change_generation (
            id integer PRIMARY KEY CHECK (id = 1),
            value bigint NOT NULL
        );
        INSERT INTO change_generation (id, value) VALUES (1, 0);
        CREATE FUNCTION strata_bump_generation() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE change_generation SET value = value + 1 WHERE id = 1;
            PERFORM pg_notify('\(desiredStateChannel)', '');
            RETURN NULL;
        END $$;
        CREATE TRIGGER instances_bump AFTER INSERT OR UPDATE OR DELETE ON instances
        FOR EACH STATEMENT EXECUTE FUNCTION strata_bump_generation();

        CREATE TABLE audit_log (
            id bigserial PRIMARY KEY,
            instance_id text NOT NULL REFERENCES instances(id),
            at timestamptz NOT NULL,
            actor text NOT NULL CHECK (actor <> ''),
            field text NOT NULL CHECK (field IN ('create', 'mode', 'config')),
            old text CHECK (old IS NULL OR strata_is_json(old)),
            new text NOT NULL CHECK (strata_is_json(new))
        );
        CREATE INDEX audit_log_on_instance ON audit_log(instance_id, id);
        CREATE FUNCTION strata_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'the audit log is append-only';
        END $$;
        CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION strata_append_only();

        """

    private static let observedState = """
        CREATE TABLE instance_status (
            instance_id text PRIMARY KEY REFERENCES instances(id) ON DELETE CASCADE,
            status text NOT NULL CHECK (status IN ('loading', 'running', 'stopped', 'error')),
            last_error_message text,
            last_error_kind text,
            last_error_traceback text,
            version text,
            ticks bigint NOT NULL DEFAULT 0,
            last_tick_at timestamptz,
            memory_bytes bigint NOT NULL DEFAULT 0,
            cpu_seconds double precision NOT NULL DEFAULT 0,
            updated_at timestamptz NOT NULL
        );
        CREATE TABLE strategy_versions (
            strategy_type text NOT NULL,
            hash text NOT NULL,
            source text NOT NULL,
            first_seen timestamptz NOT NULL,
            PRIMARY KEY (strategy_type, hash)
        );
        CREATE INDEX strategy_versions_on_type ON strategy_versions(strategy_type, first_seen);

        """

    private static let history = """
        CREATE TABLE orders (
            seq bigserial PRIMARY KEY,
            id text NOT NULL UNIQUE,
            instance_id text NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
            market text NOT NULL,
            side text NOT NULL CHECK (side IN ('buy', 'sell')),
            quantity double precision NOT NULL,
            type text NOT NULL CHECK (type IN ('market', 'limit')),
            price double precision,
            tag text,
            status text NOT NULL CHECK (status IN ('open', 'filled', 'cancelled', 'rejected')),
            filled_quantity double precision NOT NULL,
            average_price double precision,
            fee double precision NOT NULL,
            created_at double precision NOT NULL,
            filled_at double precision,
            reject_reason text
        );
        CREATE INDEX orders_on_instance ON orders(instance_id, seq);
        CREATE TABLE fills (
            seq bigserial PRIMARY KEY,
            id text NOT NULL UNIQUE,
            order_id text NOT NULL REFERENCES orders(id),
            instance_id text NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
            market text NOT NULL,
            side text NOT NULL CHECK (side IN ('buy', 'sell')),
            quantity double precision NOT NULL,
            price double precision NOT NULL,
            fee double precision NOT NULL,
            time double precision NOT NULL
        );
        CREATE INDEX fills_on_instance ON fills(instance_id, seq);
        CREATE INDEX fills_on_order ON fills(order_id);
        CREATE TABLE signals (
            id bigserial PRIMARY KEY,
            instance_id text NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
            request text NOT NULL CHECK (strata_is_json(request)),
            time double precision NOT NULL,
            price double precision,
            reason text NOT NULL
        );
        CREATE INDEX signals_on_instance ON signals(instance_id, id);
        CREATE TABLE instance_logs (
            id bigserial PRIMARY KEY,
            instance_id text NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
            time double precision NOT NULL,
            level text NOT NULL,
            message text NOT NULL
        );
        CREATE INDEX instance_logs_on_instance ON instance_logs(instance_id, id);
        """

    private static let statusFigures = """
        ALTER TABLE instance_status ADD COLUMN pnl double precision NOT NULL DEFAULT 0;
        ALTER TABLE instance_status ADD COLUMN position double precision NOT NULL DEFAULT 0;
        ALTER TABLE instance_status ADD COLUMN tick_latency_p50 double precision;
        ALTER TABLE instance_status ADD COLUMN tick_latency_p99 double precision;
        """

    private static let replay = """
        CREATE TABLE state_snapshots (
            id bigserial PRIMARY KEY,
            instance_id text NOT NULL REFERENCES instances(id) ON DELETE CASCADE,
            version text NOT NULL CHECK (version <> ''),
            tick_seq bigint NOT NULL CHECK (tick_seq >= 0),
            taken_at timestamptz NOT NULL,
            reason text NOT NULL CHECK (reason IN ('periodic', 'stop', 'off', 'reload')),
            state bytea NOT NULL
        );
        CREATE INDEX state_snapshots_on_instance ON state_snapshots(instance_id, tick_seq, id);
        CREATE TABLE tick_journal (
            market text NOT NULL,
            seq bigint NOT NULL CHECK (seq > 0),
            ts double precision NOT NULL,
            price double precision NOT NULL,
            volume double precision, bid double precision, ask double precision,
            open double precision, high double precision, low double precision,
            PRIMARY KEY (market, seq)
        );
        CREATE TABLE tick_journal_head (
            id integer PRIMARY KEY CHECK (id = 1),
            seq bigint NOT NULL
        );
        INSERT INTO tick_journal_head (id, seq) VALUES (1, 0);
        ALTER TABLE orders ADD COLUMN tick_seq bigint;
        ALTER TABLE fills ADD COLUMN tick_seq bigint;
        ALTER TABLE signals ADD COLUMN tick_seq bigint;
        """

    private static let shadows = """
        CREATE TABLE instance_shadows (
            instance_id text PRIMARY KEY REFERENCES instances(id) ON DELETE CASCADE,
            source text,
            config text NOT NULL DEFAULT '{}' CHECK (strata_is_json_object(config)),
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            promote_requested_at timestamptz
        );
        CREATE TRIGGER shadows_bump AFTER INSERT OR UPDATE OR DELETE ON instance_shadows
        FOR EACH STATEMENT EXECUTE FUNCTION strata_bump_generation();
        ALTER TABLE signals ADD COLUMN shadow integer NOT NULL DEFAULT 0 CHECK (shadow IN (0, 1));
        CREATE INDEX signals_on_instance_shadow ON signals(instance_id, shadow, id);
        ALTER TABLE audit_log DROP CONSTRAINT audit_log_field_check;
        ALTER TABLE audit_log ADD CONSTRAINT audit_log_field_check
            CHECK (field IN ('create', 'mode', 'config', 'shadow', 'promote'));
        """

    /// Nodes and leases. `strata_lease_holds` is the fence: a write for an instance passes only
    /// while the lease still carries the writer's token, and it locks the lease row until the
    /// write commits, so a takeover waits for the write and the new owner reads what it wrote.
    private static let cluster = """
        CREATE TABLE nodes (
            name text PRIMARY KEY CHECK (name <> ''),
            address text,
            started_at timestamptz NOT NULL,
            heartbeat_at timestamptz NOT NULL
        );
        CREATE TABLE instance_leases (
            instance_id text PRIMARY KEY REFERENCES instances(id) ON DELETE CASCADE,
            node text NOT NULL CHECK (node <> ''),
            token bigint NOT NULL CHECK (token > 0),
            expires_at timestamptz NOT NULL
        );
        CREATE INDEX instance_leases_on_node ON instance_leases(node);
        CREATE FUNCTION strata_lease_holds(p_instance text, p_token bigint) RETURNS boolean
        LANGUAGE plpgsql AS $$
        DECLARE held bigint;
        BEGIN
            IF p_token IS NULL THEN RETURN true; END IF;
            SELECT token INTO held FROM instance_leases WHERE instance_id = p_instance FOR SHARE;
            RETURN held IS NOT DISTINCT FROM p_token;
        END $$;
        """
}
