import Foundation
import StrataEngine
import StrataPostgres

/// The tests' PostgreSQL server: the one `tools/test.sh` started (its URL in
/// `STRATA_TEST_POSTGRES_URL`), or else one this test process starts itself with
/// `tools/postgres/test-server.sh` and stops when it exits.
enum TestPostgres {
    /// The server's URL (its database `strata`).
    static let serverURL: String = {
        if let url = ProcessInfo.processInfo.environment["STRATA_TEST_POSTGRES_URL"], !url.isEmpty { return url }
        return OwnServer.start()
    }()

    /// A fresh database on the test server, dropped when the value is released.
    final class Database: @unchecked Sendable {
        let name: String
        let url: String

        init() throws {
            name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            url = try PostgresDatabases.create(name, onServerOf: TestPostgres.serverURL)
        }

        deinit { try? PostgresDatabases.drop(name, onServerOf: TestPostgres.serverURL) }

        /// Opens a store on the database (several may be open at once, like several processes).
        func open(logCapacity: Int = PostgresStore.defaultLogCapacity, fencing: LeaseBook? = nil) throws -> PostgresStore {
            try PostgresStore(url: url, logCapacity: logCapacity, fencing: fencing)
        }
    }

    /// A server of this process's own, stopped at exit.
    private enum OwnServer {
        nonisolated(unsafe) static var folder = ""

        static func start() -> String {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            let script = root.appendingPathComponent("tools/postgres/test-server.sh").path
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-pg-\(UUID().uuidString)").path
            let url = run(script, ["start", folder])
            atexit { _ = OwnServer.run(OwnServer.scriptPath, ["stop", OwnServer.folder]) }
            scriptPath = script
            return url
        }

        nonisolated(unsafe) static var scriptPath = ""

        @discardableResult
        static func run(_ script: String, _ arguments: [String]) -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: script)
            process.arguments = arguments
            let output = Pipe()
            process.standardOutput = output
            do { try process.run() } catch { fatalError("cannot run \(script): \(error)") }
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            // Not `waitUntilExit()`: called from a test's task it can wait for good (it spins a
            // run loop the exit notification never reaches there); the flag is set regardless.
            while process.isRunning { usleep(10_000) }
            guard process.terminationStatus == 0 else { fatalError("\(script) \(arguments.joined(separator: " ")) failed") }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
