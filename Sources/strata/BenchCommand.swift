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

    static let scenarios = ["dispatch_empty": "empty.lua", "dispatch_sma": "sma.lua", "reload_latency": "", "reconcile_latency": ""]

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
        var results: [JSONValue] = []
        if names.contains("reload_latency") || names.contains("reconcile_latency") {
            if !json { FileHandle.standardError.write(Data("running engine latencies (100 reloads)…\n".utf8)) }
            let figures = try EngineLatencyBenchmark(reloads: 100).run()
            for (name, samples) in [("reload_latency", figures.reload), ("reconcile_latency", figures.reconcile)] where names.contains(name) {
                let median = samples.quantile(0.5) * 1000, p99 = samples.quantile(0.99) * 1000
                results.append(.object(["name": .string(name), "value": .number(round2(median)), "unit": .string("ms (median)"),
                                        "p99": .number(round2(p99)), "samples": .integer(Int64(samples.count))]))
                if !json { print(String(format: "%-17@ median %.2f ms   p99 %.2f ms   (%d samples)", name as NSString, median, p99, samples.count)) }
            }
        }
        let dispatch = names.filter { $0.hasPrefix("dispatch_") }
        let baseline = dispatch.isEmpty ? nil : try BaselineProgram(benchDir: benchDir)
        for name in dispatch {
            guard let baseline else { break }
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
