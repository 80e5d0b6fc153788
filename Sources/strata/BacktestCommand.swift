import ArgumentParser
import Foundation
import StrataRuntime

/// `strata backtest STRATEGY --data CSV`: the live runtime on a simulated clock.
struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Run a strategy over OHLCV bars from a CSV file with the paper broker.",
        discussion: """
            Orders placed while handling bar t fill at bar t+1's open (--fill next-open, the default) \
            or at bar t's close (--fill close); limit orders fill when a later bar's range reaches them. \
            Exit status: 0 when the run completes, 1 when the script fails, 2 on bad usage.
            """
    )

    @Argument(help: "A strategy type from --strategies, or a path to a .lua file.")
    var strategy: String

    @Option(help: "The OHLCV CSV file.")
    var data: String

    @Option(help: "The market name ticks carry (default: the data file's name).")
    var market: String?

    @Option(help: "Config as a JSON object (fields left out take their defaults).")
    var config: String?

    @Option(help: "Starting cash in the quote asset.")
    var cash = 100_000.0

    @Option(name: .customLong("fee-bps"), help: "Fee in basis points of traded value.")
    var feeBps = 0.0

    @Option(name: .customLong("slippage-bps"), help: "Slippage in basis points.")
    var slippageBps = 0.0

    @Option(help: "When market orders fill: next-open or close.")
    var fill = "next-open"

    @Option(help: "The folder of strategy types.")
    var strategies = "strategies-lua"

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(name: .customLong("no-timing"), help: "Leave elapsed_seconds and bars_per_second out of --json (for byte-identical output).")
    var noTiming = false

    @Option(help: "Also write a self-contained HTML report to this file.")
    var report: String?

    func run() throws {
        StuckCallGuard.install(json: json)
        let settings = try makeSettings()
        let script = try loadScript()
        let bars: [Bar]
        do {
            bars = try BarCSVReader.read(path: data)
        } catch {
            failUsage("\(error)")
        }
        let progress = ProgressBar(total: bars.count, enabled: !json)
        let result: BacktestResult
        do {
            result = try Backtest(script: script, bars: bars, settings: settings).run(progress: progress.update)
            progress.finish()
        } catch {
            progress.finish()
            printFailure(error, bars: bars)
            throw ExitCode(1)
        }
        if let report {
            let page = BacktestReport.html(result: result, strategy: script, market: settings.market)
            do {
                try page.write(toFile: report, atomically: true, encoding: .utf8)
            } catch {
                failUsage("cannot write the report to \(report): \(error.localizedDescription)")
            }
        }
        print(
            json ? result.json(strategy: script, includeTiming: !noTiming).encoded() : BacktestSummary.text(result, strategy: script, market: settings.market))
    }

    private func makeSettings() throws -> Backtest.Settings {
        var settings = Backtest.Settings()
        settings.market = market ?? URL(fileURLWithPath: data).deletingPathExtension().lastPathComponent
        guard let model = PaperBroker.FillModel(rawValue: fill) else { failUsage("--fill must be next-open or close, got '\(fill)'") }
        settings.broker.fillModel = model
        guard cash > 0, cash.isFinite else { failUsage("--cash must be a positive number") }
        guard feeBps >= 0, feeBps < 10_000 else { failUsage("--fee-bps must be between 0 and 10000") }
        guard slippageBps >= 0, slippageBps < 10_000 else { failUsage("--slippage-bps must be between 0 and 10000") }
        settings.broker.startingCash = cash
        settings.broker.feeBps = feeBps
        settings.broker.slippageBps = slippageBps
        if let config {
            guard let object = JSONValue(parsing: config)?.objectValue else {
                failUsage("--config must be a JSON object, like '{\"fast\": 5}'; got: \(config)")
            }
            settings.config = object
        }
        return settings
    }

    private func loadScript() throws -> StrategyScript {
        let path = strategy.hasSuffix(".lua") || strategy.contains("/") ? strategy : "\(strategies)/\(strategy).lua"
        guard let contents = FileManager.default.contents(atPath: path) else {
            failUsage("cannot read strategy \(path): give a type from \(strategies)/ or a path to a .lua file")
        }
        let url = URL(fileURLWithPath: path)
        return StrategyScript(
            name: url.deletingPathExtension().lastPathComponent,
            source: String(decoding: contents, as: UTF8.self), chunkName: "@\(url.lastPathComponent)")
    }

    private func printFailure(_ failure: BacktestFailure, bars: [Bar]) {
        let error = failure.error
        if json {
            var object: [String: JSONValue] = [
                "ok": .bool(false), "phase": .string(error.phase.rawValue),
                "error": .object([
                    "kind": .string(error.kind.rawValue), "message": .string(error.message),
                    "line": error.line.map { .integer(Int64($0)) } ?? .null,
                    "traceback": error.traceback.map(JSONValue.string) ?? .null,
                ]),
            ]
            if let index = failure.barIndex {
                object["bar"] = .integer(Int64(index + 1))
                object["bar_time"] = .string(UTCTime.iso8601(bars[index].time))
            }
            print(JSONValue.object(object).encoded())
            return
        }
        var lines = ["backtest failed: \(error.kind.rawValue) in \(error.phase.rawValue)"]
        if let index = failure.barIndex { lines.append("  at bar \(index + 1) of \(bars.count) (\(UTCTime.iso8601(bars[index].time)))") }
        lines.append("  \(error.message)")
        if let traceback = error.traceback { lines.append(traceback.split(separator: "\n").map { "  \($0)" }.joined(separator: "\n")) }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
