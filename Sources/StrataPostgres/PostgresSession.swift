import Logging
import PostgresNIO
import StrataEngine

/// One borrowed connection, used by one thread: statements wait for their results.
final class PostgresSession {
    let connection: PostgresConnection
    let logger: Logger
    /// Set when a statement failed in a way that leaves the connection unusable (a failed
    /// rollback): the pool closes it rather than reuse it.
    private(set) var isBroken = false

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Runs `query` and returns its rows.
    @discardableResult
    func rows(_ query: PostgresQuery) throws -> [PostgresRow] {
        try connection.query(query, logger: logger).wait().rows
    }

    /// Runs `query` and returns how many rows it changed.
    @discardableResult
    func run(_ query: PostgresQuery) throws -> Int {
        try connection.query(query, logger: logger).wait().metadata.rows ?? 0
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try run("BEGIN")
        do {
            let result = try body()
            try run("COMMIT")
            return result
        } catch {
            do { try run("ROLLBACK") } catch { isBroken = true }
            throw error
        }
    }
}

/// Turning PostgresNIO's errors into ``StoreError``s that say what failed.
enum PostgresFailure {
    /// SQLSTATE codes Strata tells apart.
    static let uniqueViolation = "23505"
    static let foreignKeyViolation = "23503"
    static let checkViolation = "23514"
    static let notNullViolation = "23502"
    static let raisedException = "P0001"

    /// The SQLSTATE of a server error, or nil.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// `error` as a ``StoreError``: store errors pass through; a server error keeps its message,
    /// detail and SQLSTATE; a connection failure names the server.
    static func storeError(_ error: any Error, operation: String, instanceID: String?, location: PostgresLocation? = nil)
        -> StoreError
    {
        if let error = error as? StoreError { return error }
        if let error = error as? PSQLError {
            if let info = error.serverInfo {
                let message = info[.message] ?? "the server refused the statement"
                var underlying = "SQLSTATE \(info[.sqlState] ?? "?")"
                if let detail = info[.detail] { underlying += ": \(detail)" }
                let code: StoreError.Code
                switch info[.sqlState] {
                case raisedException? where message.contains("identity is immutable"): code = .identityImmutable
                case uniqueViolation?: code = .alreadyExists
                case foreignKeyViolation?: code = .notFound
                case checkViolation?, notNullViolation?: code = .invalidArgument
                default: code = .database
                }
                return StoreError(code, message, instanceID: instanceID, operation: operation, underlying: underlying)
            }
            let place = location.map { " at \($0)" } ?? ""
            return StoreError(
                .database, "cannot reach the PostgreSQL server\(place)", instanceID: instanceID, operation: operation,
                underlying: String(reflecting: error.code))
        }
        return StoreError(.database, "\(error)", instanceID: instanceID, operation: operation)
    }
}
