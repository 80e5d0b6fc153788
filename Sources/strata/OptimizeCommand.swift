import ArgumentParser
import Foundation
import StrataIsolation
import StrataRuntime
import Synchronization

/// `strata optimize STRATEGY --data CSV`: a parameter sweep of backtests, optionally walk-forward.
struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Sweep a strategy's config over backtests and rank the trials by a metric.",
        discussion: """
            --param NAME=FROM:TO:STEP or NAME=a,b,c (repeatable) sweeps a config field; NAME alone takes the \
            schema's min..max (5 values) or enum values; with no --param every numeric field with min and max and \
            every enum and boolean field is swept. Fields not swept keep --config (or their defaults). \
            --walk-forward K splits the bars into K+1 equal segments: window i optimises on segment i-1 and \
            scores its best on segment i (out-of-sample, the honest number). Trials run in confined worker \
            processes, --jobs at a time. Exit status: 0 done, 1 every trial failed or the script does not load, \
            2 bad usage (parameters, constraints, data), 130 interrupted (the trials done so far are printed).
            """
    )

    @Argument(help: "A strategy type from --strategies, or a path to a .lua file.")
    var strategy: String

    @Option(help: "The OHLCV CSV file (gzip-compressed too), or a folder of them read as one series.")
    var data: String

    @Option(name: .customLong("param"), help: "NAME=FROM:TO:STEP, NAME=a,b,c or NAME (repeatable).")
    var params: [String] = []

    @Option(help: "grid (every combination) or random (--trials distinct points of the grid).")
    var search = "grid"

    @Option(help: "Points a random search tries (default 100).")
    var trials: Int?

    @Option(help: "Seed of the random search (the same seed, the same points).")
    var seed: UInt64 = 1

    @Option(help: "What trials are ranked by: \(OptimizationMetric.allCases.map(\.rawValue).joined(separator: ", ")).")
    var metric = "sharpe"

    @Flag(help: "Higher is better (the default, but for max_drawdown_pct and fees).")
    var maximize = false

    @Flag(help: "Lower is better.")
    var minimize = false

    @Option(name: .customLong("walk-forward"), help: "Walk-forward windows K (bars split into K+1 segments).")
    var walkForward = 0

    @Option(name: .customLong("constraint"), help: "A condition on the parameters, like \"fast < slow\" (repeatable).")
    var constraints: [String] = []

    @Option(help: "Trials run at once (default: the number of cores).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print one JSON object: every trial, the best, the windows.")
    var json = false

    @Option(help: "Also write a self-contained HTML report to this file.")
    var report: String?

    @Option(help: "Rows of the text table.")
    var top = 10

    @Option(help: "The base config as a JSON object (fields not swept keep it).")
    var config: String?

    @Option(help: "The market name ticks carry (default: the data file's name).")
    var market: String?

    @OptionGroup var broker: BrokerOptions

    @Option(help: "The folder of strategy types.")
    var strategies = "strategies-lua"

    @Option(help: "process (confined worker processes, the default) or none (threads here; only for your own scripts).")
    var isolation = "process"

    func run() throws {
        let request = makeRequest()
        let optimizer = Optimizer(request: request)
        let progress = SharedProgressBar()
        let showProgress = !json
        OptimizeInterrupt.install()
        let result: OptimizationResult
        do {
            result = try optimizer.run(
                onTrial: { _, done, total in
                    progress.bar.withLock { bar in
                        if bar == nil { bar = ProgressBar(total: total, enabled: showProgress, unit: "trials") }
                        bar?.update(done)
                    }
                },
                isCancelled: { OptimizeInterrupt.requested })
        } catch {
            progress.bar.withLock { $0?.finish() }
            if error.kind == .script { fail(error.message) }
            failUsage(error.message)
        }
        progress.bar.withLock { $0?.finish() }
        if let report {
            let page = OptimizeReport.html(result: result, request: request)
            do {
                try page.write(toFile: report, atomically: true, encoding: .utf8)
            } catch {
                failUsage("cannot write the report to \(report): \(error.localizedDescription)")
            }
        }
        let text = json ? result.json.encoded() : OptimizeSummary.text(result, request: request, top: top)
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
        if result.cancelled { throw ExitCode(130) }
        if result.succeeded == 0 {
            if !json { FileHandle.standardError.write(Data("strata: every trial failed\n".utf8)) }
            throw ExitCode(1)
        }
    }

    private func fail(_ message: String) -> Never {
        if json {
            let body = JSONValue.object(["ok": .bool(false), "error": .string(message)]).encoded()
            FileHandle.standardOutput.write(Data((body + "\n").utf8))
        } else {
            FileHandle.standardError.write(Data("strata: \(message)\n".utf8))
        }
        Foundation.exit(1)
    }

    private func makeRequest() -> OptimizationRequest {
        guard isolation == "process" || isolation == "none" else { failUsage("--isolation must be process or none, got '\(isolation)'") }
        guard !(maximize && minimize) else { failUsage("give --maximize or --minimize, not both") }
        let chosen: OptimizationMetric
        do {
            chosen = try OptimizationMetric.named(metric)
        } catch {
            failUsage("--metric: \(error.message)")
        }
        let searchKind: TrialSearch
        switch search {
        case "grid":
            guard trials == nil else { failUsage("--trials needs --search random (a grid tries every point)") }
            searchKind = .grid
        case "random": searchKind = .random(trials: trials ?? 100, seed: seed)
        default: failUsage("--search must be grid or random, got '\(search)'")
        }
        guard top >= 0 else { failUsage("--top must be 0 or more") }
        let request = OptimizationRequest(
            script: loadScript(), dataPath: data, settings: makeSettings(), params: params, search: searchKind, metric: chosen,
            direction: maximize ? .maximize : minimize ? .minimize : nil, walkForward: walkForward, constraints: constraints, jobs: jobs,
            isolation: isolation == "none" ? .none : .process)
        do {
            try request.validate()
        } catch {
            failUsage(error.message)
        }
        return request
    }

    private func makeSettings() -> Backtest.Settings {
        var settings = Backtest.Settings()
        settings.market = market ?? BacktestCommand.marketName(data)
        broker.apply(to: &settings.broker)
        if let config {
            guard let object = JSONValue(parsing: config)?.objectValue else {
                failUsage("--config must be a JSON object, like '{\"qty\": 2}'; got: \(config)")
            }
            settings.config = object
        }
        return settings
    }

    private func loadScript() -> StrategyScript {
        let path = strategy.hasSuffix(".lua") || strategy.contains("/") ? strategy : "\(strategies)/\(strategy).lua"
        guard let contents = FileManager.default.contents(atPath: path) else {
            failUsage("cannot read strategy \(path): give a type from \(strategies)/ or a path to a .lua file")
        }
        return StrategyScript.file(URL(fileURLWithPath: path), source: String(decoding: contents, as: UTF8.self))
    }
}

/// The progress bar, drawn from the job threads one trial at a time.
final class SharedProgressBar: Sendable {
    let bar = Mutex<ProgressBar?>(nil)
}

/// Ctrl-C during `strata optimize`: SIGINT asks the run to stop (workers killed, the trials
/// done so far printed). The signal is blocked in the command's threads (the runtime blocks it
/// in the main thread already) and taken by a thread of its own with `sigwait`; a thread that
/// does not block it runs the handler, which only sets the flag.
enum OptimizeInterrupt {
    static let flag = Atomic<Bool>(false)

    static var requested: Bool { flag.load(ordering: .relaxed) }

    static func install() {
        signal(SIGINT) { _ in OptimizeInterrupt.flag.store(true, ordering: .relaxed) }
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let watcher = Thread {
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, SIGINT)
            var signal: Int32 = 0
            while sigwait(&set, &signal) == 0 {
                if signal == SIGINT { OptimizeInterrupt.flag.store(true, ordering: .relaxed) }
            }
        }
        watcher.start()
    }
}
