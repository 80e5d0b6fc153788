import ArgumentParser
import Foundation
import StrataEngine
import StrataIsolation
import StrataRuntime

/// `strata backtest STRATEGY --data CSV` (or `--instance ID`): the live runtime on a simulated clock.
struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Run a strategy over OHLCV bars from a CSV file with the paper broker.",
        discussion: """
            Orders placed while handling bar t fill at bar t+1's open (--fill next-open, the default) \
            or at bar t's close (--fill close); limit orders fill when a later bar's range reaches them. \
            The script runs in a confined worker process by default (--isolation none: in this process), \
            so a script that crashes or wedges its process fails the run with a verdict instead. \
            With --instance ID instead of STRATEGY, the instance's current version (as stored in --db: the code \
            the live instance runs), its config (--config changes fields of it) and its market (unless --market) are used. \
            Exit status: 0 when the run completes, 1 when the script fails, 2 on bad usage.
            """
    )

    @Argument(help: "A strategy type from --strategies, or a path to a .lua file (or give --instance).")
    var strategy: String?

    @Option(help: "Backtest this instance of --db: its current strategy version, config and market.")
    var instance: String?

    @Option(help: "The database --instance is in: a SQLite file or a postgres:// URL.")
    var db = "strata.db"

    @Option(help: "The OHLCV CSV file (gzip-compressed too), or a folder of them read as one series in name order (one file per day, say).")
    var data: String

    @Option(help: "The market name ticks carry (default: the instance's market, or the data file's name).")
    var market: String?

    @Option(help: "Config as a JSON object (fields left out take their defaults).")
    var config: String?

    @OptionGroup var broker: BrokerOptions

    @Option(help: "The folder of strategy types.")
    var strategies = "strategies-lua"

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(name: .customLong("no-timing"), help: "Leave elapsed_seconds and bars_per_second out of --json (for byte-identical output).")
    var noTiming = false

    @Option(help: "Also write a self-contained HTML report to this file.")
    var report: String?

    @Option(help: "process (a confined worker process, the default) or none (in this process; only for your own scripts).")
    var isolation = "process"

    func run() throws {
        guard isolation == "process" || isolation == "none" else { failUsage("--isolation must be process or none, got '\(isolation)'") }
        guard (strategy == nil) != (instance == nil) else { failUsage("give either a STRATEGY or --instance ID (exactly one)") }
        let target = try instance.map(loadInstance)
        var settings = try makeSettings(instance: target?.record)
        if let record = target?.record, market == nil { settings.market = record.market }
        let request = BacktestRequest(
            script: try target?.script ?? loadScript(), dataPath: data, settings: settings,
            outputs: ["json": json, "timing": !noTiming, "report": report != nil])
        let output = isolation == "process" ? runInWorker(request) : runHere(request)
        if let report, let page = output.report {
            do {
                try page.write(toFile: report, atomically: true, encoding: .utf8)
            } catch {
                failUsage("cannot write the report to \(report): \(error.localizedDescription)")
            }
        }
        FileHandle.standardOutput.write(Data(output.stdout.utf8))
        FileHandle.standardError.write(Data(output.stderr.utf8))
        if output.status != 0 { throw ExitCode(output.status) }
    }

    private func runHere(_ request: BacktestRequest) -> BacktestOutput {
        StuckCallGuard.install(json: json)
        let job = BacktestJob(request: request)
        switch job.readBars() {
        case .unusable(let output): return output
        case .read(let bars):
            let progress = ProgressBar(total: bars.count, enabled: !json)
            defer { progress.finish() }
            return job.run(bars: bars, progress: progress.update)
        }
    }

    /// The run in a confined worker: its progress drives the bar here; a crash or a wedge is the
    /// script's failure, reported like any other.
    private func runInWorker(_ request: BacktestRequest) -> BacktestOutput {
        let limits = request.settings.limits
        let beat = limits.tickDeadline * Backtest.progressInterval + .milliseconds(50)
        var progress: ProgressBar?
        var phase = StrategyError.Phase.load
        var bar: Int?
        // Reading the data file is Strata's own work, bounded by the file; then each word resets the budget.
        let outcome = WorkerCall(confinement: WorkerConfinement()).run(request.wire, budget: .seconds(60)) { body in
            switch body["phase"]?.stringValue {
            case "tick":
                phase = .tick
                bar = body["bars"]?.intValue
                if progress == nil { progress = ProgressBar(total: body["total"]?.intValue ?? 1, enabled: !json) }
                progress?.update(bar ?? 0)
                return beat
            case "report": return .seconds(60)
            default: return limits.loadDeadline * 2 + beat
            }
        }
        progress?.finish()
        switch outcome {
        case .success(let answer):
            return BacktestOutput(wire: answer) ?? BacktestOutput()
        case .failure(let failure):
            let error = failure.error(in: phase)
            var output = BacktestOutput()
            output.status = 1
            let near = bar.map { " (after bar \($0))" } ?? ""
            if json {
                output.stdout =
                    JSONValue.object([
                        "ok": .bool(false), "phase": .string(error.phase.rawValue),
                        "error": .object(["kind": .string(error.kind.rawValue), "message": .string(error.message + near), "line": .null, "traceback": .null]),
                    ]).encoded() + "\n"
            } else {
                output.stderr = "backtest failed: \(error.kind.rawValue) in \(error.phase.rawValue)\n  \(error.message)\(near)\n"
            }
            return output
        }
    }

    /// The instance `id` of `--db` and its current script; exit 2 when there is no such
    /// instance or no stored version of its strategy.
    private func loadInstance(_ id: String) throws -> (record: InstanceRecord, script: StrategyScript) {
        let store: any InstanceStore
        do {
            store = try StoreOpening.open(db)
        } catch {
            failUsage("cannot open the database \(StoreOpening.describe(db)): \(error)")
        }
        defer { try? store.close() }
        let modules = ModuleFolder.beside(strategies: URL(fileURLWithPath: strategies))
        let offer = ModuleOffer(sources: modules.sources(maxBytes: StrategyLimits.standard.maxSourceBytes), folder: modules.displayName)
        do {
            guard let record = try store.instance(id: id) else { failUsage("no instance \(id) in \(StoreOpening.describe(db))") }
            return (record, try ResearchRunScript.current(of: record, store: store, modules: offer).script)
        } catch let missing as ResearchRunScript.Missing {
            failUsage(missing.description)
        } catch {
            failUsage("cannot read instance \(id) from \(StoreOpening.describe(db)): \(error)")
        }
    }

    private func makeSettings(instance record: InstanceRecord?) throws -> Backtest.Settings {
        var settings = Backtest.Settings()
        settings.market = market ?? Self.marketName(data)
        broker.apply(to: &settings.broker)
        settings.config = record?.config ?? [:]
        if let config {
            guard let object = JSONValue(parsing: config)?.objectValue else {
                failUsage("--config must be a JSON object, like '{\"fast\": 5}'; got: \(config)")
            }
            settings.config.merge(object) { _, new in new }
        }
        return settings
    }

    private func loadScript() throws -> StrategyScript {
        let strategy = strategy ?? ""
        let path = strategy.hasSuffix(".lua") || strategy.contains("/") ? strategy : "\(strategies)/\(strategy).lua"
        guard let contents = FileManager.default.contents(atPath: path) else {
            failUsage("cannot read strategy \(path): give a type from \(strategies)/ or a path to a .lua file")
        }
        let url = URL(fileURLWithPath: path)
        return StrategyScript.file(url, source: String(decoding: contents, as: UTF8.self))
    }

    /// The market a data file (or folder) stands for by default: its name without `.gz` and
    /// its extension (`data/GOOG.csv.gz` → `GOOG`).
    static func marketName(_ path: String) -> String {
        var url = URL(fileURLWithPath: path)
        if url.pathExtension == "gz" { url = url.deletingPathExtension() }
        return url.deletingPathExtension().lastPathComponent
    }
}
