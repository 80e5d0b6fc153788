import Foundation
import StrataRuntime
import Testing

/// Running the built `strata` binary as a real process, for every CLI test.

/// The built `strata` executable: it sits beside the test bundle in `.build/<triple>/debug/`.
let strataBinary: URL? = {
    let starts = [Bundle.main.bundleURL, URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])]
    for start in starts {
        var folder = start.deletingLastPathComponent()
        if start.hasDirectoryPath { folder = start }
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("strata")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
    }
    return nil
}()

/// The repository root, from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// What one run of `strata` did.
struct StrataRun {
    var status: Int32
    var stdout: String
    var stderr: String

    /// Stdout parsed as exactly one JSON object (nil if it is anything else).
    var json: [String: JSONValue]? {
        guard case .object(let object)? = JSONValue(parsing: stdout) else { return nil }
        return object
    }

    /// The same as `json`.
    var object: [String: JSONValue]? { json }
}

/// A fresh temporary folder, removed by the caller.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("strata-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs `strata` with `arguments` and waits for it (output goes to files, so no pipe can fill).
func strata(_ arguments: String...) throws -> StrataRun {
    try strata(arguments)
}

/// - Parameter environment: variables set for this run on top of the test's own.
func strata(_ arguments: [String], environment: [String: String] = [:]) throws -> StrataRun {
    let binary = try #require(strataBinary, "strata binary not found next to the test bundle; run swift build first")
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("out")
    let err = folder.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    process.currentDirectoryURL = repositoryRoot
    let outHandle = try FileHandle(forWritingTo: out)
    let errHandle = try FileHandle(forWritingTo: err)
    defer {
        try? outHandle.close()
        try? errHandle.close()
    }
    process.standardOutput = outHandle
    process.standardError = errHandle
    try process.run()
    // strata promises never to hang; a generous bound keeps a broken build from hanging the suite.
    let deadline = ContinuousClock.now + .seconds(120)
    while process.isRunning && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.01) }
    if process.isRunning {
        process.terminate()
        Issue.record("strata \(arguments.joined(separator: " ")) did not exit within 120 s")
    }
    process.waitUntilExit()
    return StrataRun(
        status: process.terminationStatus,
        stdout: try String(contentsOf: out, encoding: .utf8),
        stderr: try String(contentsOf: err, encoding: .utf8))
}
