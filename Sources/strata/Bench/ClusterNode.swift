import Foundation
import StrataIsolation

/// One `strata serve --node NAME` process of a benchmark's cluster: this same binary, on a free
/// loopback port, its stderr in a log file. Killed when released.
final class ClusterNode {
    let name: String
    let process = Process()
    let log: URL

    /// Starts the node and returns once it listens (its `dashboard:` line), or throws after `timeout` seconds.
    init(name: String, db: String, strategies: URL, arguments: [String], logFolder: URL, timeout: Double = 60) throws {
        self.name = name
        log = logFolder.appendingPathComponent("\(name)-\(UUID().uuidString.prefix(4)).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: WorkerProcess.currentExecutable)
        process.arguments =
            ["serve", "--db", db, "--node", name, "--strategies", strategies.path, "--no-demo", "--isolation", "none", "--port", "0"]
            + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while !output.contains("dashboard: ") {
            guard process.isRunning, Date() < deadline else {
                throw UsageError("node \(name) did not start: \(output.suffix(1_000))")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    deinit {
        if process.isRunning { kill(SIGKILL) }
    }

    /// What the node wrote on stderr so far.
    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Sends `signal`; with SIGKILL, waits for the process to be gone.
    func kill(_ signal: Int32) {
        _ = Foundation.kill(process.processIdentifier, signal)
        if signal == SIGKILL { process.waitUntilExit() }
    }

    /// Stops the node gracefully (SIGTERM; SIGKILL after `within` seconds).
    func stop(within: Double = 30) {
        guard process.isRunning else { return }
        kill(SIGTERM)
        let deadline = Date().addingTimeInterval(within)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(SIGKILL) }
        process.waitUntilExit()
    }
}
