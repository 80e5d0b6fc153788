import Foundation
import PostgresNIO
import StrataEngine

/// Applies ``PostgresSchema/migrations`` in order, each in its own transaction under an advisory
/// lock, so nodes starting at once migrate one after another and each finds the others' work.
enum PostgresMigrator {
    /// An arbitrary, fixed key for `pg_advisory_xact_lock`.
    static let lockKey: Int64 = 0x5354_5241_5441  // "STRATA"

    static func migrate(_ session: PostgresSession) throws {
        try session.transaction {
            try session.run("SELECT pg_advisory_xact_lock(\(lockKey))")
            try session.run(
                """
                CREATE TABLE IF NOT EXISTS strata_migrations (
                    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
                """)
            let applied = Set(try session.rows("SELECT name FROM strata_migrations").map { try $0.decode(String.self) })
            let known = Set(StoreMigrations.names)
            if let unknown = applied.subtracting(known).sorted().first {
                throw StoreError(
                    .database, "the database has migration '\(unknown)', which this strata does not know: it was made by a newer version",
                    operation: "migrate")
            }
            for migration in PostgresSchema.migrations where !applied.contains(migration.name) {
                for statement in statements(migration.sql) {
                    try session.run(PostgresQuery(unsafeSQL: statement))
                }
                try session.run("INSERT INTO strata_migrations (name) VALUES (\(migration.name))")
            }
        }
    }

    /// `sql` cut into single statements (the extended query protocol takes one at a time): at
    /// each `;` outside quotes, `$$` bodies and `--` comments.
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var inDollar = false
        var inQuote = false
        var inComment = false
        var previous: Character = " "
        for character in sql {
            if inComment {
                if character == "\n" { inComment = false }
            } else if !inQuote, previous == "$", character == "$" {
                inDollar.toggle()
            } else if !inDollar, character == "'" {
                inQuote.toggle()
            } else if !inDollar, !inQuote, previous == "-", character == "-" {
                inComment = true
            } else if !inDollar, !inQuote, character == ";" {
                let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !statement.isEmpty { statements.append(statement) }
                current = ""
                previous = " "
                continue
            }
            current.append(character)
            previous = character == "$" && previous == "$" ? " " : character
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { statements.append(last) }
        return statements
    }

    /// The migrations a database has applied, oldest first.
    static func applied(_ session: PostgresSession) throws -> [String] {
        try session.rows("SELECT name FROM strata_migrations ORDER BY applied_at, name").map { try $0.decode(String.self) }
    }
}
