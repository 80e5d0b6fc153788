import Foundation
import StrataEngine
import StrataPersistence
import StrataPostgres

/// Opens the store `--db` names: a `postgres://` URL (the store several nodes share) or a
/// SQLite file (the embedded default for one machine).
enum StoreOpening {
    /// Opens `db`; `fencing` is a cluster node's lease book (PostgreSQL only).
    static func open(_ db: String, fencing: LeaseBook? = nil) throws -> any InstanceStore {
        if PostgresLocation.isPostgresURL(db) {
            return try PostgresStore(url: db, fencing: fencing)
        }
        return try SQLiteStore(path: db)
    }

    /// `db` as it may be shown (a URL without its password).
    static func describe(_ db: String) -> String {
        guard PostgresLocation.isPostgresURL(db) else { return db }
        return (try? PostgresLocation(url: db).description) ?? "a PostgreSQL URL"
    }
}
