import ArgumentParser
import Foundation
import StrataRuntime

/// `strata bench`: measures Strata side by side with a plain C program driving the same Lua.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark Strata against the C baseline in tools/bench (built if missing).",
        discussion: """
            Run it from a release build: swift run -c release strata bench. Every scenario runs \
            the C program on the same work in the same run; ratio is Strata's cost / the baseline's. \
            The size options exist for quick runs and tests; the figures' names stay the same. \
            soak runs only when named (--scenario soak): the engine, its HTTP server and event-stream \
            readers for --duration, reporting the slope of the resident set in MiB per hour (no baseline). \
            With PostgreSQL (--postgres; by default a throwaway server when Debian's postgresql package \
            is installed) load_10k and reconcile_latency are also measured over it (load_10k_postgres, \
            reconcile_latency_postgres), and failover and cluster_10k run real `strata serve` nodes over it.
            """
    )

    /// Every scenario, in the order they run: memory first, while the heap is still small
    /// (its resident-set figure is a difference), then the big fleets; soak last.
    static let scenarios = [
        "dispatch_empty", "dispatch_sma", "memory_per_instance", "load_10k", "fanout_10k",
        "backtest_sma_1m", "backtest_ta_sma_1m", "optimize_grid", "ta_update", "snapshot_10k", "journal_1m", "replay_sma", "equity_history", "reload_latency",
        "reconcile_latency", "halt_latency",
        "worker_crash", "failover", "cluster_10k", "soak",
    ]

    /// Scenarios that need a PostgreSQL server (measured over it, or over it too).
    static let overPostgres: Set<String> = ["load_10k", "reconcile_latency", "failover", "cluster_10k"]

    /// Scenarios that run only when named (they take minutes by design).
    static let onRequest: Set<String> = ["soak"]

    @Flag(help: "Print {\"scenarios\": [...]} as JSON, and nothing else.")
    var json = false

    @Option(help: "Run only these scenarios, comma-separated (\(scenarios.joined(separator: ", "))).")
    var scenario: String?

    @Option(help: "Calls per repetition (dispatch_*).")
    var calls = 1_000_000

    @Option(help: "Instances (fanout_10k, load_10k).")
    var instances = 10_000

    @Option(help: "Timed ticks, each to every instance (fanout_10k).")
    var ticks = 100

    @Option(help: "Ticks per batch of fanout_10k's batched engine (1: no batched engine).")
    var tickBatch = 10

    @Option(help: "Healthy instances beside the one that crashes its worker (worker_crash).")
    var canaries = 1_000

    @Option(help: "Faults worker_crash commits, comma-separated: segv, spin, hang.")
    var faults = "segv,spin"

    @Option(help: "Idle instances averaged (memory_per_instance).")
    var memoryInstances = 1_000

    @Option(help: "Bars (backtest_sma_1m, backtest_ta_sma_1m).")
    var bars = 1_000_000

    @Option(name: .customLong("optimize-peer-trials"), help: "Grid points backtesting.py's optimize is timed on (optimize_grid; 0: no peer).")
    var optimizePeerTrials = 4

    @Option(name: .customLong("ta-updates"), help: "Updates timed per indicator and implementation (ta_update).")
    var taUpdates = 1_000_000

    @Option(help: "The short OHLCV file tiled into the bars file when that is missing.")
    var barsSource = "data/EURUSD.csv"

    @Option(name: .customLong("journal-ticks"), help: "Ticks journaled (journal_1m).")
    var journalTicks = 1_000_000

    @Option(name: .customLong("replay-ticks"), help: "Journaled ticks replayed (replay_sma).")
    var replayTicks = 200_000

    @Option(name: .customLong("equity-hours"), help: "Hourly equity points per instance (equity_history).")
    var equityHours = 720

    @Option(help: "Hot reloads timed (reload_latency).")
    var reloads = 100

    @Option(help: "How long soak runs, warm-up included: seconds, or with m or h (5m, 2h).")
    var duration = "3m"

    @Option(help: "Event-stream readers attached over loopback during soak.")
    var readers = 3

    @Option(name: .customLong("soak-rate"), help: "Ticks per second per market during soak (10 markets).")
    var soakRate = 2.0

    @Option(
        help: """
            PostgreSQL for the cluster scenarios and the _postgres figures: auto (a throwaway server when the \
            postgresql package is installed, stopped at the end), none, or a postgres:// URL (a database is created per scenario).
            """)
    var postgres = "auto"

    @Option(name: .customLong("failover-instances"), help: "Active instances over the three nodes (failover).")
    var failoverInstances = 30

    @Option(name: .customLong("failover-trials"), help: "Nodes killed, one after another (failover).")
    var failoverTrials = 3

    @Option(name: .customLong("cluster-rate"), help: "Synthetic ticks per second per market, 10 markets (cluster_10k).")
    var clusterRate = 200.0

    @Option(name: .customLong("cluster-window"), help: "Seconds ticks are counted for, per setup (cluster_10k).")
    var clusterWindow = 10.0

    @Option(help: "The folder with baseline*.c, build.sh and strategies/.")
    var benchDir = "tools/bench"

    func run() async throws {
        let names = requestedScenarios()
        for (flag, value) in [
            ("--calls", calls), ("--instances", instances), ("--ticks", ticks), ("--tick-batch", tickBatch),
            ("--memory-instances", memoryInstances), ("--bars", bars), ("--reloads", reloads), ("--canaries", canaries),
            ("--ta-updates", taUpdates), ("--equity-hours", equityHours),
        ] where value <= 0 {
            failUsage("\(flag) must be positive")
        }
        guard let durationSeconds = Self.seconds(duration), durationSeconds > 0 else {
            failUsage("--duration must be a positive number of seconds, or minutes/hours with m or h (5m, 2h), got '\(duration)'")
        }
        guard readers >= 0, soakRate > 0 else { failUsage("--readers must be 0 or more and --soak-rate positive") }
        let faultKinds = faults.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for kind in faultKinds where !WorkerCrashBenchmark.kinds.contains(kind) {
            failUsage("unknown fault '\(kind)' (choose from \(WorkerCrashBenchmark.kinds.joined(separator: ", ")))")
        }
        guard !faultKinds.isEmpty else { failUsage("--faults needs a kind") }
        guard failoverInstances > 0, failoverTrials > 0, clusterRate > 0, clusterWindow > 0 else {
            failUsage("--failover-instances, --failover-trials, --cluster-rate and --cluster-window must be positive")
        }
        guard postgres == "auto" || postgres == "none" || postgres.hasPrefix("postgres://") || postgres.hasPrefix("postgresql://") else {
            failUsage("--postgres must be auto, none or a postgres:// URL, got '\(postgres)'")
        }
        let sizes = BenchSizes(
            calls: calls, instances: instances, ticks: ticks, tickBatch: tickBatch, canaries: canaries, memoryInstances: memoryInstances,
            bars: bars, reloads: reloads)
        let session = BenchSession(benchDir: benchDir, sizes: sizes, quiet: json)
        var figures: [BenchFigure] = []
        func add(_ figure: BenchFigure) {
            figures.append(figure)
            session.progress("  " + figure.row)
        }
        let server = try postgresServer(names, session: session)
        for name in names {
            switch name {
            case "dispatch_empty": add(try DispatchBenchmark.figure(name: name, script: session.script("empty.lua"), session: session))
            case "dispatch_sma":
                add(try DispatchBenchmark.figure(name: name, script: session.script("sma.lua"), engines: true, session: session))
            case "memory_per_instance":
                add(try MemoryBenchmark(scriptPath: session.script("sma.lua"), instances: memoryInstances).figure(session: session))
            case "load_10k":
                try runFleets(names, session: session).forEach(add)
                if let server { add(try postgresLoad(server, session: session)) }
            case "fanout_10k" where !names.contains("load_10k"): try runFleets(names, session: session).forEach(add)
            case "backtest_sma_1m":
                add(try BacktestBenchmark(scriptPath: session.script("sma.lua"), bars: bars, source: barsSource).figure(session: session))
            case "backtest_ta_sma_1m":
                let benchmark = BacktestBenchmark(
                    name: name, scriptPath: session.script("sma_ta.lua"), baselineScriptPath: session.script("sma.lua"),
                    comparedScriptPath: session.script("sma.lua"), bars: bars, source: barsSource)
                add(try benchmark.figure(session: session))
            case "optimize_grid":
                add(try OptimizeBenchmark(bars: bars, source: barsSource, peerTrials: optimizePeerTrials).figure(session: session))
            case "ta_update":
                add(try TaUpdateBenchmark(scriptPath: session.script("ta_update.lua"), updates: taUpdates).figure(session: session))
            case "reload_latency", "reconcile_latency":
                guard name == "reload_latency" || !names.contains("reload_latency") else { break }
                session.progress("running engine latencies (\(reloads) reloads)…")
                try await EngineLatencyBenchmark(reloads: reloads).run().figures(names).forEach(add)
                if let server, names.contains("reconcile_latency") {
                    session.progress("running the reconcile latency over PostgreSQL…")
                    let figures = try await EngineLatencyBenchmark(reloads: 0, database: try server.database("latency")).run()
                    figures.figures(names, postgres: true).forEach(add)
                }
            case "halt_latency": add(try await HaltLatencyBenchmark().figure(session: session))
            case "snapshot_10k":
                add(
                    try PersistenceBenchmark(scriptPath: session.script("sma.lua")).snapshotFigure(
                        instances: instances, warmup: session.sizes.warmupTicks, session: session))
            case "journal_1m":
                add(try PersistenceBenchmark(scriptPath: session.script("sma.lua")).journalFigure(ticks: journalTicks, batch: 1_000, session: session))
            case "replay_sma":
                add(try PersistenceBenchmark(scriptPath: session.script("sma.lua")).replayFigure(ticks: replayTicks, session: session))
            case "equity_history":
                add(try EquityHistoryBenchmark(scriptPath: session.script("sma.lua"), instances: instances, hours: equityHours).figure(session: session))
            case "worker_crash":
                for kind in faultKinds {
                    add(try WorkerCrashBenchmark(canaries: canaries, fault: kind).figure(session: session))
                }
            case "failover":
                guard let server else { break }
                add(
                    try FailoverBenchmark(instances: failoverInstances, trials: failoverTrials)
                        .figure(postgres: server, script: session.example("sma_cross.lua"), session: session))
            case "cluster_10k":
                guard let server else { break }
                add(
                    try ClusterThroughputBenchmark(instances: instances, rate: clusterRate, window: clusterWindow)
                        .figure(postgres: server, script: session.script("sma.lua"), session: session))
            case "soak":
                add(
                    try await SoakBenchmark(instances: instances, duration: durationSeconds, readers: readers, rate: soakRate)
                        .figure(session: session))
            default: break
            }
        }
        if json {
            print(JSONValue.object(["scenarios": .array(figures.map(\.json))]).encoded())
        } else {
            print(BenchFigure.header)
            for figure in figures { print(figure.row) }
        }
    }

    /// The PostgreSQL server of this run when a scenario wants one and one can be had; a line
    /// says why not otherwise (the SQLite figures are measured anyway).
    private func postgresServer(_ names: [String], session: BenchSession) throws -> BenchPostgres? {
        guard postgres != "none", names.contains(where: Self.overPostgres.contains) else { return nil }
        let given = postgres == "auto" ? nil : postgres
        if let reason = BenchPostgres.unavailable(given: given, benchDir: benchDir) {
            session.progress("skipping the PostgreSQL figures (failover, cluster_10k, *_postgres): \(reason)")
            return nil
        }
        return try BenchPostgres(given: given, benchDir: benchDir, progress: session.progress)
    }

    /// load_10k_postgres: the first fleet of load_10k, its rows in PostgreSQL.
    private func postgresLoad(_ server: BenchPostgres, session: BenchSession) throws -> BenchFigure {
        let script = session.script("sma.lua")
        let rows = try FleetStore(scriptPath: script, instances: instances, postgres: try server.database("load"), progress: session.progress)
        let setup = fanoutSetups()[0]
        // The fleet is released as soon as its load time is read.
        let seconds = try EngineFleet(rows, workers: setup.workers, tickBatch: setup.batch, processes: setup.processes, progress: session.progress)
            .reconcileSeconds
        return try LoadBenchmark(scriptPath: script, instances: instances).figure(
            reconcileSeconds: [seconds], rowSeconds: rows.rowSeconds, runtimeOnly: 0, session: session, postgres: true)
    }

    /// The engines fanout_10k measures: one worker (the figure), the default workers (one per
    /// core), then one worker with tick batches of `--tick-batch`; then the same instances in one
    /// worker process and in the default number of them (one per core, as `strata serve`).
    func fanoutSetups() -> [FanoutBenchmark.Setup] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return [.init(workers: 1, batch: 1), .init(workers: nil, batch: 1)] + (tickBatch > 1 ? [.init(workers: 1, batch: tickBatch)] : [])
            + [.init(workers: nil, batch: 1, processes: 1), .init(workers: nil, batch: 1, processes: cores)]
    }

    /// `90`, `90s`, `5m` or `2h` in seconds; nil when it is none of those.
    static func seconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        guard let last = text.last else { return nil }
        if let unit = units[last] { return Double(text.dropLast()).map { $0 * unit } }
        return Double(text)
    }

    /// The scenarios asked for, in running order; an unknown name is bad usage.
    private func requestedScenarios() -> [String] {
        guard let scenario else { return Self.scenarios.filter { !Self.onRequest.contains($0) } }
        let asked = scenario.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for name in asked where !Self.scenarios.contains(name) {
            failUsage("unknown scenario '\(name)' (choose from \(Self.scenarios.joined(separator: ", ")))")
        }
        guard !asked.isEmpty else { failUsage("--scenario needs a name") }
        return Self.scenarios.filter(asked.contains)
    }

    /// load_10k and fanout_10k share their fleets, all over one store of rows: the first
    /// fleet's reconcile is the load figure (every fleet's is listed). Each fleet is released
    /// before the next one (and before the baselines) is built.
    private func runFleets(_ names: [String], session: BenchSession) throws -> [BenchFigure] {
        let script = session.script("sma.lua")
        let fanout = FanoutBenchmark(ticks: ticks, warmupTicks: session.sizes.warmupTicks)
        var measurements: [FanoutBenchmark.Measurement] = []
        var loadSeconds: [Double] = []
        var isolatedLoadSeconds: [Double] = []
        let rows = try FleetStore(scriptPath: script, instances: instances, progress: session.progress)
        let setups = fanoutSetups()
        for setup in names.contains("fanout_10k") ? setups : [setups[0]] {
            // The fleet lives only inside this closure, so its memory is gone after it.
            let (seconds, measurement) = try { () throws -> (Double, FanoutBenchmark.Measurement?) in
                let fleet = try EngineFleet(
                    rows, workers: setup.workers, tickBatch: setup.batch, processes: setup.processes, progress: session.progress)
                guard names.contains("fanout_10k") else { return (fleet.reconcileSeconds, nil) }
                session.progress("ticking \(instances) instances…")
                return (fleet.reconcileSeconds, try fanout.measure(fleet))
            }()
            if setup.processes == nil { loadSeconds.append(seconds) } else { isolatedLoadSeconds.append(seconds) }
            if let measurement { measurements.append(measurement) }
        }
        session.progress("creating \(instances) runtimes without the engine…")
        let runtimeOnlySeconds = try { () throws -> Double in
            let fleet = try RuntimeFleet(scriptPath: script, instances: instances)
            if names.contains("fanout_10k") {
                session.progress("ticking them in a loop…")
                measurements.append(try fanout.measure(fleet))
            }
            return fleet.seconds
        }()
        var figures: [BenchFigure] = []
        if names.contains("load_10k") {
            figures.append(
                try LoadBenchmark(scriptPath: script, instances: instances)
                    .figure(
                        reconcileSeconds: loadSeconds, isolatedSeconds: isolatedLoadSeconds, rowSeconds: rows.rowSeconds, runtimeOnly: runtimeOnlySeconds,
                        session: session))
        }
        if !measurements.isEmpty {
            session.progress("timing the crossing: one empty instance, in a worker process and in this process…")
            let empty = session.script("empty.lua")
            // 2,000 rounds at the default size, fewer for the quick sizes of tests.
            let rounds = min(2_000, max(60, ticks * 20))
            let crossing = (
                isolated: try EngineRoundTrip(scriptPath: empty, strategyType: "empty", processes: 1, batch: 1).measure(ticks: rounds, progress: { _ in }),
                local: try EngineRoundTrip(scriptPath: empty, strategyType: "empty", processes: nil, batch: 1).measure(ticks: rounds, progress: { _ in })
            )
            figures.append(try fanout.figure(measurements, crossing: crossing, instances: instances, session: session))
        }
        return figures
    }
}
