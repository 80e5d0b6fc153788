import Foundation
import PostgresNIO
import StrataEngine

/// Where a PostgreSQL database is, from a `postgres://` (or `postgresql://`) URL:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, or a Unix socket folder given as
/// `?host=/run/postgresql` (the server's socket is `FOLDER/.s.PGSQL.PORT`). TLS is not offered:
/// connect over loopback, a Unix socket or a private network.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// The folder of the server's Unix socket, when it is reached through one.
    public var socketFolder: String?
    public var username: String
    public var password: String?
    public var database: String

    /// Whether `text` names a PostgreSQL database rather than a SQLite file.
    public static func isPostgresURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses `url`.
    /// - Throws: ``StoreError`` `invalidArgument` naming what is wrong and how a URL looks.
    public init(url: String) throws {
        let example = "postgres://USER:PASSWORD@HOST:5432/DATABASE"
        guard Self.isPostgresURL(url), let parts = URLComponents(string: url) else {
            throw StoreError(.invalidArgument, "not a PostgreSQL URL: '\(url)' (expected \(example))", operation: "open")
        }
        let query = Dictionary((parts.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { _, last in last }
        for name in query.keys where !["host", "port", "user", "password", "sslmode"].contains(name) {
            throw StoreError(.invalidArgument, "unknown parameter '\(name)' in the PostgreSQL URL", operation: "open")
        }
        if let mode = query["sslmode"], mode != "disable" {
            throw StoreError(
                .invalidArgument, "sslmode=\(mode) is not supported: Strata connects without TLS (loopback, a Unix socket or a private network)",
                operation: "open")
        }
        let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        guard !database.isEmpty else {
            throw StoreError(.invalidArgument, "the PostgreSQL URL names no database (expected \(example))", operation: "open")
        }
        let portText = query["port"] ?? parts.port.map(String.init) ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw StoreError(.invalidArgument, "bad port '\(portText)' in the PostgreSQL URL", operation: "open")
        }
        let username = query["user"] ?? parts.user ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let hostParameter = query["host"] ?? ""
        self.host = hostParameter.hasPrefix("/") ? "localhost" : (parts.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost")
        self.socketFolder = hostParameter.hasPrefix("/") ? hostParameter : nil
        self.port = port
        self.username = username
        self.password = query["password"] ?? parts.password
        self.database = database
    }

    /// The URL without its password.
    public var description: String {
        if let socketFolder { return "postgres://\(username)@/\(database)?host=\(socketFolder)&port=\(port)" }
        return "postgres://\(username)@\(host):\(port)/\(database)"
    }

    /// The same server, another database (tests make one per store).
    public func database(_ name: String) -> PostgresLocation {
        var copy = self
        copy.database = name
        return copy
    }

    var configuration: PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socketFolder {
            configuration = .init(
                unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)", username: username, password: password, database: database)
        } else {
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: .disable)
        }
        configuration.options.connectTimeout = .seconds(5)
        return configuration
    }
}
