/// The schema's versions, in order: the one description every store follows. Each store applies
/// these migrations by name in its own SQL (SQLite through GRDB's migrator, PostgreSQL through
/// its own runner) and records the names it applied, so a database of either kind says which
/// version of the schema it holds, and a test checks that both hold the same tables and columns.
public enum StoreMigrations {
    /// The migrations' names, oldest first.
    public static let names = [
        "v1",
        "v2: status pnl, position, tick latency",
        "v3: state snapshots, tick journal",
        "v4: shadows",
        "v5: nodes and leases",
        "v6: research runs",
        "v7: risk limits and halts",
        "v8: webhooks",
        "v9: accounts",
        "v10: equity history",
    ]
}
