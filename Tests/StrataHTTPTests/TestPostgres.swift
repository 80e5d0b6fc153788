import Foundation
import Glibc
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

        /// Runs the script through `/bin/sh` with its output in a file, and waits with `waitpid`:
        /// Foundation's `Process` can wait for good here (its pipe's end is inherited by the
        /// server the script starts, and its exit notification may never reach a test's task).
        @discardableResult
        static func run(_ script: String, _ arguments: [String]) -> String {
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("strata-pg-\(UUID().uuidString).out").path
            defer { try? FileManager.default.removeItem(atPath: output) }
            let quoted = ([script] + arguments + [">", output]).map { $0 == ">" ? $0 : "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            let words: [String] = ["/bin/sh", "-c", quoted.joined(separator: " ")]
            let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
            defer { for pointer in argv { free(pointer) } }
            var pid: pid_t = 0
            guard posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ) == 0 else { fatalError("cannot run \(script)") }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            guard status == 0 else { fatalError("\(script) \(arguments.joined(separator: " ")) failed") }
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
