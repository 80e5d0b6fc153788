import Foundation
import Testing

/// Both stores hold one schema: after every migration, the same tables with the same columns.
@Suite struct SchemaParityTests {
    @Test func bothStoresHoldTheSameTablesAndColumns() throws {
        // Given a migrated SQLite file and a migrated PostgreSQL database
        let sqlite = try TestStore(.sqlite)
        let postgres = try TestStore(.postgres)
        _ = try sqlite.open()
        _ = try postgres.open()

        // When their tables' columns are listed by their own shells
        let sqliteColumns = try sqlite.shell(
            """
            SELECT m.name || '.' || p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'grdb_%' ORDER BY 1;
            """)
        let postgresColumns = try postgres.shell(
            """
            SELECT table_name || '.' || column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name <> 'strata_migrations' ORDER BY 1;
            """)
        #expect(sqliteColumns.status == 0 && postgresColumns.status == 0, "\(sqliteColumns.stderr)\(postgresColumns.stderr)")

        // Then they are the same (the accounts' v9 columns included)
        let inSQLite = Set(sqliteColumns.output.split(separator: "\n").map(String.init))
        let inPostgres = Set(postgresColumns.output.split(separator: "\n").map(String.init))
        #expect(inSQLite.contains("accounts.reset_fill_seq") && inSQLite.contains("accounts.base_currency"))
        #expect(
            inSQLite == inPostgres,
            "only in SQLite: \(inSQLite.subtracting(inPostgres).sorted()); only in PostgreSQL: \(inPostgres.subtracting(inSQLite).sorted())")
    }
}
