import ArgumentParser
import Foundation
import StrataRuntime

/// `strata bench`: measures Strata side by side with a plain C program driving the same Lua.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark Strata against the C baseline in tools/bench (built if missing).",
        discussion: "Run it from a release build: swift run -c release strata bench"
    )

    static let scenarios = ["dispatch_empty": "empty.lua", "dispatch_sma": "sma.lua"]

    @Flag(help: "Print {\"scenarios\": [...]} as JSON.")
    var json = false

    @Option(help: "Run only this scenario (\(scenarios.keys.sorted().joined(separator: ", "))).")
    var scenario: String?

    @Option(help: "Calls per repetition.")
    var calls = 1_000_000

    @Option(help: "The folder with baseline.c, build.sh and strategies/.")
    var benchDir = "tools/bench"

    func run() throws {
        let names = scenario.map { [$0] } ?? Self.scenarios.keys.sorted()
        for name in names where Self.scenarios[name] == nil {
            failUsage("unknown scenario '\(name)' (choose from \(Self.scenarios.keys.sorted().joined(separator: ", ")))")
        }
        guard calls > 0 else { failUsage("--calls must be positive") }
        let baseline = try BaselineProgram(benchDir: benchDir)
        var results: [JSONValue] = []
        for name in names {
            let script = "\(benchDir)/strategies/\(Self.scenarios[name]!)"
            if !json { FileHandle.standardError.write(Data("running \(name)…\n".utf8)) }
            let guarded = try DispatchBenchmark(scriptPath: script, calls: calls, guarded: true).run()
            let unguarded = try DispatchBenchmark(scriptPath: script, calls: calls, guarded: false).run()
            let base = try baseline.nsPerCall(script: script, calls: calls)
            results.append(.object([
                "name": .string(name), "value": .number(round2(guarded)), "unit": .string("ns/call"),
                "baseline": .number(round2(base)), "ratio": .number(round2(guarded / base, digits: 3)),
                "unguarded": .number(round2(unguarded)),
                "guard_overhead_pct": .number(round2((guarded / unguarded - 1) * 100)),
            ]))
            if !json {
                print(String(format: "%-16@ strata %8.1f ns/call   C baseline %8.1f ns/call   ratio %.3f   guards %+.1f%% (unguarded %.1f)",
                             name as NSString, guarded, base, guarded / base, (guarded / unguarded - 1) * 100, unguarded))
            }
        }
        if json { print(JSONValue.object(["scenarios": .array(results)]).encoded()) }
    }

    private func round2(_ x: Double, digits: Double = 2) -> Double {
        let scale = pow(10, digits)
        return (x * scale).rounded() / scale
    }
}

/// The C baseline program, built by its own script when missing.
struct BaselineProgram {
    let binary: String

    /// Builds the baseline with its own script (which rebuilds only when the source changed).
    init(benchDir: String) throws {
        let path = try Self.execute(["/bin/sh", "\(benchDir)/build.sh"])
        binary = path.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func nsPerCall(script: String, calls: Int) throws -> Double {
        let output = try Self.execute([binary, "dispatch", script, "--calls", String(calls), "--json"])
        guard let value = JSONValue(parsing: output), let ns = value["ns_per_call"]?.doubleValue else {
            throw UsageError("unexpected output from \(binary): \(output)")
        }
        return ns
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
