import GRDB
import StrataEngine

extension SQLiteStore {
    /// Runs `body` in one IMMEDIATE write transaction (all or nothing), mapping failures to ``StoreError``.
    func write<T>(_ operation: String, instanceID: String?, _ body: (Database) throws -> T) throws -> T {
        try gate.pass(operation, instanceID: instanceID) {
            try Self.perform(operation, instanceID: instanceID) { try pool.write(body) }
        }
    }

    /// Runs `body` in one read transaction (a consistent snapshot), mapping failures to ``StoreError``.
    func read<T>(_ operation: String, instanceID: String?, _ body: (Database) throws -> T) throws -> T {
        try gate.pass(operation, instanceID: instanceID) {
            try Self.perform(operation, instanceID: instanceID) { try pool.read(body) }
        }
    }

    /// Maps database and decoding errors to ``StoreError``; a ``StoreError`` passes through.
    static func perform<T>(_ operation: String, instanceID: String?, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(error, operation: operation, instanceID: instanceID)
        } catch {
            throw StoreError(
                .corruptData, "stored data could not be read", instanceID: instanceID,
                operation: operation, underlying: String(describing: error))
        }
    }
}

extension StoreError {
    /// The store error for a database error: constraint violations get their own codes.
    init(_ error: DatabaseError, operation: String, instanceID: String?) {
        let underlying = error.description
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_TRIGGER where (error.message ?? "").contains("identity is immutable"):
            self.init(
                .identityImmutable, "instance identity is immutable", instanceID: instanceID,
                operation: operation, underlying: underlying)
        case .SQLITE_CONSTRAINT_PRIMARYKEY, .SQLITE_CONSTRAINT_UNIQUE:
            self.init(
                .alreadyExists, "a row with this key already exists", instanceID: instanceID,
                operation: operation, underlying: underlying)
        case .SQLITE_CONSTRAINT_FOREIGNKEY:
            self.init(
                .notFound, "refers to an instance, account or order that does not exist",
                instanceID: instanceID, operation: operation, underlying: underlying)
        case .SQLITE_CONSTRAINT_CHECK, .SQLITE_CONSTRAINT_NOTNULL:
            self.init(
                .invalidArgument, "a value the database does not accept", instanceID: instanceID,
                operation: operation, underlying: underlying)
        default:
            self.init(
                .database, error.message ?? "database error", instanceID: instanceID,
                operation: operation, underlying: underlying)
        }
    }
}
