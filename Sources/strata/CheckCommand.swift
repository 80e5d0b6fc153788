import ArgumentParser
import Foundation
import StrataRuntime

/// `strata check FILE`: validates a strategy in the sandbox and runs it on synthetic ticks.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Load a strategy in the sandbox, run init, N synthetic ticks and render, and report.",
        discussion: "Exit status: 0 when the script passes, 1 when it fails, 2 on bad usage."
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

    func run() throws {
        StuckCallGuard.install(json: json)
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
        let script = StrategyScript(name: name, source: String(decoding: data, as: UTF8.self), chunkName: "@\(url.lastPathComponent)")
        let report = StrategyCheck(script: script, config: configValues, ticks: ticks, market: market).run()
        print(json ? report.json.encoded() : report.summary)
        if !report.ok { throw ExitCode(1) }
    }
}
