import Foundation
import StrataRuntime
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A `strata serve` process for a test: started on a free port (read from its `dashboard:` line),
/// asked over HTTP, stopped with a signal and timed. Requests may come from several threads
/// (`baseURL` is set once, in `init`; `Process` is thread-safe).
final class LiveServer: @unchecked Sendable {
    let process = Process()
    let log: URL
    private(set) var baseURL: URL?

    /// Starts `strata serve ARGUMENTS --port 0` and waits (up to `timeout`) until it listens.
    init(_ arguments: [String], environment: [String: String] = [:], log: URL, timeout: Duration = .seconds(30)) throws {
        self.log = log
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = try #require(strataBinary as URL?, "strata binary not found; run swift build first")
        process.arguments = ["serve"] + arguments + ["--port", "0"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.currentDirectoryURL = repositoryRoot
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, process.isRunning {
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix("dashboard: ") }) {
                baseURL = URL(string: String(line.dropFirst("dashboard: ".count)))
                return
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("strata serve did not start listening: \(output)")
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// What the server wrote on stderr so far.
    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// One HTTP exchange; nil when there is no answer within `timeout`.
    func request(_ method: String, _ path: String, body: JSONValue? = nil, timeout: Double = 10) -> (status: Int, body: JSONValue?)? {
        guard let baseURL, let url = URL(string: path, relativeTo: baseURL) else { return nil }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        if let body {
            request.httpBody = Data(body.encoded().utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let answer = Answer()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, _ in
            if let response = response as? HTTPURLResponse {
                answer.set(response.statusCode, data.flatMap { JSONValue(parsing: String(decoding: $0, as: UTF8.self)) })
            }
            done.signal()
        }.resume()
        guard done.wait(timeout: .now() + timeout + 1) == .success else { return nil }
        return answer.value
    }

    /// Sends `signal` and waits up to `bound` for the process to end.
    /// - Returns: the seconds it took, or nil if it did not end (it is then killed).
    func stop(_ signal: Int32 = SIGTERM, within bound: Double) -> Double? {
        let start = ContinuousClock.now
        kill(process.processIdentifier, signal)
        while process.isRunning && ContinuousClock.now - start < .seconds(bound) { Thread.sleep(forTimeInterval: 0.02) }
        guard !process.isRunning else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// One HTTP answer, handed from URLSession's queue to the waiting test.
private final class Answer: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (Int, JSONValue?)?
    func set(_ status: Int, _ body: JSONValue?) { lock.withLock { stored = (status, body) } }
    var value: (status: Int, body: JSONValue?)? { lock.withLock { stored.map { (status: $0.0, body: $0.1) } } }
}

/// Runs one query with the sqlite3 shell (another process on the database) and returns its
/// rows as JSON objects (column name to value).
func sqlRows(_ db: String, _ query: String) throws -> [[String: JSONValue]] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = ["-json", "-cmd", ".timeout 5000", db, query]
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    guard !text.isEmpty else { return [] }
    return JSONValue(parsing: text)?.arrayValue?.compactMap(\.objectValue) ?? []
}
