import Foundation
import StrataEngine
import StrataPostgres
import Testing

@testable import StrataPersistence

/// The stores every contract test runs against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }
}

/// A fresh, empty database of one kind — a SQLite file or a PostgreSQL database — with the
/// stores opened on it closed and the database removed when the value is released.
final class TestStore {
    let kind: StoreKind
    private let sqlite: TestDatabase?
    private let postgres: TestPostgres.Database?
    private var opened: [any InstanceStore] = []

    init(_ kind: StoreKind) throws {
        self.kind = kind
        switch kind {
        case .sqlite:
            sqlite = try TestDatabase()
            postgres = nil
        case .postgres:
            sqlite = nil
            postgres = try TestPostgres.Database()
        }
    }

    deinit {
        for store in opened { try? store.close() }
    }

    /// Opens a store on the database (several may be open at once, like several processes).
    func open(logCapacity: Int = SQLiteStore.defaultLogCapacity, fencing: LeaseBook? = nil) throws -> any InstanceStore {
        let store: any InstanceStore
        if let sqlite {
            store = try sqlite.open(logCapacity: logCapacity)
        } else {
            store = try postgres!.open(logCapacity: logCapacity, fencing: fencing)
        }
        opened.append(store)
        return store
    }

    /// The PostgreSQL database's URL (nil for SQLite).
    var postgresURL: String? { postgres?.url }

    /// Runs `sql` through the database's own shell (`sqlite3 FILE` or `psql URL`), as an
    /// operator would: its exit status, its output (rows one a line, columns split by `|`) and
    /// its errors.
    @discardableResult
    func shell(_ sql: String) throws -> (status: Int32, output: String, stderr: String) {
        let process = Process()
        if let sqlite {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            process.arguments = [sqlite.path, sql]
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
            process.arguments = [postgres!.url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql]
        }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text.trimmingCharacters(in: .whitespacesAndNewlines), errorText)
    }

    /// The single number `sql` selects, through the shell.
    func count(_ sql: String) throws -> Int? {
        let result = try shell(sql)
        return result.status == 0 ? Int(result.output) : nil
    }
}
