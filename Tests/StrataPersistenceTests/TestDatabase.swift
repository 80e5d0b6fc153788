import Foundation
import StrataEngine
import StrataRuntime

@testable import StrataPersistence

/// A fresh SQLite file in its own temporary directory, removed when the value is released.
final class TestDatabase {
    let directory: URL
    var path: String { directory.appendingPathComponent("strata.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("strata-store-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Opens a store on the file (several may be open at once, like several processes).
    func open(logCapacity: Int = SQLiteStore.defaultLogCapacity) throws -> SQLiteStore {
        try SQLiteStore(path: path, logCapacity: logCapacity)
    }

    /// Runs `/usr/bin/sqlite3 FILE SQL`, as an operator's SQL shell would; returns status and stderr.
    func sqlite3(_ sql: String) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, text)
    }
}

extension InstanceIdentity {
    /// An identity for tests: `sma_cross` on `paper` / `BTC-USD` unless said otherwise.
    static func sample(
        _ id: String = "sma-1", type: String = "sma_cross", account: String = "paper",
        market: String = "BTC-USD"
    ) -> InstanceIdentity {
        InstanceIdentity(id: id, strategyType: type, account: account, market: market)
    }
}
