import ArgumentParser
import Foundation
import StrataIsolation
import StrataRuntime

/// `strata check FILE`: validates a strategy in the sandbox and runs it on synthetic ticks.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load a strategy in the sandbox, run init, N synthetic ticks and render, and report.",
        discussion: """
            By default the script runs in a worker process under seccomp and rlimits, so a script that \
            crashes or wedges its process gets a verdict (crashed, cpu_limit, memory_limit) instead of \
            taking the command down. Exit status: 0 when the script passes, 1 when it fails, 2 on bad usage.
            """
    )

    @Argument(help: "The strategy file (.lua).")
    var file: String

    @Flag(help: "Print exactly one JSON object.")
    var json = false

    @Option(help: "How many synthetic ticks to feed to on_tick.")
    var ticks = 1000

    @Option(help: "Config as a JSON object (fields left out take their defaults).")
    var config: String?

    @Option(help: "The market the synthetic ticks are for.")
    var market = "TEST/USD"

    @Option(help: "process (a confined worker process, the default) or none (in this process; only for your own scripts).")
    var isolation = "process"

    func run() throws {
        guard isolation == "process" || isolation == "none" else { failUsage("--isolation must be process or none, got '\(isolation)'") }
        if isolation == "none" { StuckCallGuard.install(json: json) }
        guard ticks >= 0 else { failUsage("--ticks must be 0 or more, got \(ticks)") }
        var configValues: [String: JSONValue] = [:]
        if let config {
            guard let parsed = JSONValue(parsing: config), let object = parsed.objectValue else {
                failUsage("--config must be a JSON object, like '{\"fast\": 5}'; got: \(config)")
            }
            configValues = object
        }
        let url = URL(fileURLWithPath: file)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            failUsage("cannot read \(file): no such file or not readable")
        }
        let name = url.deletingPathExtension().lastPathComponent
        let script = StrategyScript.file(url, name: name, source: String(decoding: data, as: UTF8.self))
        let check = StrategyCheck(script: script, config: configValues, ticks: ticks, market: market)
        let report = isolation == "process" ? IsolatedCheck(check: check).run() : check.run()
        print(json ? report.json.encoded() : report.summary)
        if !report.ok { throw ExitCode(1) }
    }
}
