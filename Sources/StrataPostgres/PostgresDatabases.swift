import PostgresNIO
import StrataEngine

/// Creating and dropping whole databases on a server: what tests, benchmarks and a first
/// cluster setup need (a store works inside one database and never creates one).
public enum PostgresDatabases {
    /// Creates database `name` on the server of `url` (connecting to the URL's own database to do
    /// so) and returns the URL of the new one.
    /// - Throws: ``StoreError`` `invalidArgument` for a name other than letters, digits and `_`;
    ///   `alreadyExists` when it exists.
    public static func create(_ name: String, onServerOf url: String) throws -> String {
        let location = try checked(name, url: url)
        try withAdminSession(location) { session in
            try session.run(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        }
        return urlText(location.database(name))
    }

    /// Drops database `name` (if it exists), ending its connections first.
    public static func drop(_ name: String, onServerOf url: String) throws {
        let location = try checked(name, url: url)
        try withAdminSession(location) { session in
            try session.run(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        }
    }

    private static func checked(_ name: String, url: String) throws -> PostgresLocation {
        guard !name.isEmpty, name.count <= 63, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
            !(name.first?.isNumber ?? true)
        else {
            throw StoreError(.invalidArgument, "bad database name '\(name)' (letters, digits and _, not starting with a digit)")
        }
        return try PostgresLocation(url: url)
    }

    private static func withAdminSession(_ location: PostgresLocation, _ body: (PostgresSession) throws -> Void) throws {
        let pool = try PostgresConnectionPool(location: location, limit: 1)
        defer { pool.close() }
        do {
            try pool.withSession(body)
        } catch {
            throw PostgresFailure.storeError(error, operation: "createDatabase", instanceID: nil, location: location)
        }
    }

    /// The URL of `location`, password included (for handing to a store).
    static func urlText(_ location: PostgresLocation) -> String {
        let credentials = location.password.map { "\(location.username):\($0)" } ?? location.username
        if let socketFolder = location.socketFolder {
            return "postgres://\(credentials)@localhost/\(location.database)?host=\(socketFolder)&port=\(location.port)"
        }
        return "postgres://\(credentials)@\(location.host):\(location.port)/\(location.database)"
    }
}
