import Foundation
import StrataRuntime

/// The C baseline program (`tools/bench/baseline*.c`), built by its own script when missing.
struct BaselineProgram {
    let binary: String

    /// Builds the baseline with its own script (which rebuilds only when a source changed).
    init(benchDir: String) throws {
        let path = try Self.execute(["/bin/sh", "\(benchDir)/build.sh"])
        binary = path.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs one scenario of the baseline with `--json` and returns its one JSON object.
    func run(_ scenario: String, script: String, _ arguments: [String] = []) throws -> [String: JSONValue] {
        let output = try Self.execute([binary, scenario, script, "--json"] + arguments)
        guard case .object(let object)? = JSONValue(parsing: output) else {
            throw UsageError("unexpected output from \(binary) \(scenario): \(output)")
        }
        return object
    }

    /// One number from `run`'s object.
    func number(_ key: String, of scenario: String, script: String, _ arguments: [String] = []) throws -> Double {
        let object = try run(scenario, script: script, arguments)
        guard let value = object[key]?.doubleValue else {
            throw UsageError("\(binary) \(scenario) did not report \(key)")
        }
        return value
    }

    func nsPerCall(script: String, calls: Int) throws -> Double {
        try number("ns_per_call", of: "dispatch", script: script, ["--calls", String(calls)])
    }

    @discardableResult
    static func execute(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw UsageError("\(arguments.joined(separator: " ")) failed with status \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
