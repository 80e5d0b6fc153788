import Foundation
import StrataRuntime
import Testing

/// `strata bench` at tiny sizes: the shape of what it prints, never how fast anything is.
@Suite struct BenchCommandTests {
    /// Sizes small enough for a debug build to run every scenario in about a second.
    static let tiny = [
        "--instances", "40", "--ticks", "3", "--tick-batch", "2", "--memory-instances", "20", "--bars", "300",
        "--calls", "2000", "--journal-ticks", "3000", "--replay-ticks", "500", "--ta-updates", "2000",
        "--optimize-peer-trials", "0", "--equity-hours", "30",
        // Last: the PostgreSQL test drops these two.
        "--postgres", "none",
    ]

    /// Runs `bench --json` on `scenarios` and returns its figures.
    private func figures(_ scenarios: String) throws -> [[String: JSONValue]] {
        let run = try strata(["bench", "--json", "--scenario", scenarios] + Self.tiny)
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(run.json, "stdout is not one JSON object: \(run.stdout)")
        #expect(json.keys.sorted() == ["scenarios"])
        #expect(run.stderr.isEmpty, "--json prints nothing else: \(run.stderr)")
        return try #require(json["scenarios"]?.arrayValue).map { try #require($0.objectValue) }
    }

    @Test(arguments: [
        ("fanout_10k", "instances", 40), ("load_10k", "instances", 40),
        ("memory_per_instance", "instances", 20), ("backtest_sma_1m", "bars", 300),
        ("backtest_ta_sma_1m", "bars", 300), ("ta_update", "updates", 2000),
        ("snapshot_10k", "instances", 40), ("journal_1m", "ticks", 3000), ("replay_sma", "ticks", 500),
        ("equity_history", "instances", 40),
    ])
    func aScenarioReportsItsFigureBaselineAndRatio(_ name: String, _ sizeKey: String, _ size: Int) throws {
        let figure = try #require(try figures(name).first)
        #expect(figure["name"] == .string(name))
        #expect(figure[sizeKey] == .integer(Int64(size)), "the figure names the size it measured")
        #expect(figure["unit"]?.stringValue?.isEmpty == false)
        let value = try #require(figure["value"]?.doubleValue)
        let baseline = try #require(figure["baseline"]?.doubleValue)
        let ratio = try #require(figure["ratio"]?.doubleValue)
        #expect(value > 0 && baseline > 0 && ratio > 0)
        // Cost units: Strata / baseline. Throughput units say so, and invert it.
        let expected = figure["ratio_means"] == nil ? value / baseline : baseline / value
        #expect(abs(ratio - expected) <= 0.002 + expected * 0.01, "ratio \(ratio) vs \(expected)")
    }

    /// optimize_grid at tiny sizes, the peer skipped: the 100-trial grid with one job and two.
    @Test func theOptimizeGridReportsTrialsPerSecondWithOneJobAndTwo() throws {
        let figure = try #require(try figures("optimize_grid").first)
        #expect(figure["name"] == .string("optimize_grid"))
        #expect(figure["bars"] == .integer(300))
        #expect(figure["trials"] == .integer(100))
        #expect((figure["value"]?.doubleValue ?? 0) > 0)
        #expect((figure["trials_per_second_1_job"]?.doubleValue ?? 0) > 0)
        #expect((figure["second_core_gain"]?.doubleValue ?? 0) > 0)
        #expect(figure["baseline"] == .null, "no peer with --optimize-peer-trials 0")
    }

    /// The PostgreSQL figures over the test command's server: load and reconcile beside SQLite's,
    /// a failover of real nodes, and the cluster's ticks per second beside one node's.
    @Test func postgresFiguresStandBesideSQLites() throws {
        let server = try #require(ProcessInfo.processInfo.environment["STRATA_TEST_POSTGRES_URL"], "tools/test.sh starts PostgreSQL")
        let run = try strata(
            ["bench", "--json", "--scenario", "load_10k,reconcile_latency,failover,cluster_10k", "--postgres", server]
                + Self.tiny.dropLast(2) + ["--failover-instances", "6", "--failover-trials", "1", "--cluster-rate", "50", "--cluster-window", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let figures = try #require(run.json?["scenarios"]?.arrayValue).compactMap(\.objectValue)
        let byName = Dictionary(figures.map { ($0["name"]?.stringValue ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        #expect(
            Set(byName.keys) == ["load_10k", "load_10k_postgres", "reconcile_latency", "reconcile_latency_postgres", "failover", "cluster_10k"])
        #expect((byName["load_10k_postgres"]?["value"]?.doubleValue ?? 0) > 0)
        #expect(byName["load_10k_postgres"]?["instances"] == .integer(40))
        #expect((byName["reconcile_latency_postgres"]?["samples"]?.doubleValue ?? 0) > 0)
        let failover = try #require(byName["failover"])
        #expect((failover["value"]?.doubleValue ?? 0) > 0)
        #expect(failover["trials_seconds"]?.arrayValue?.count == 1)
        let cluster = try #require(byName["cluster_10k"])
        #expect((cluster["value"]?.doubleValue ?? 0) > 0 && (cluster["baseline"]?.doubleValue ?? 0) > 0)
        #expect(cluster["instances"] == .integer(40))
    }

    @Test func taUpdateTimesEveryIndicatorInCAndInPlainLua() throws {
        let figure = try #require(try figures("ta_update").first)
        let indicators = try #require(figure["indicators"]?.objectValue)
        #expect(indicators.keys.sorted() == TaIndicatorNames.all.sorted())
        for (name, row) in indicators {
            #expect(row["ta_ns"]?.doubleValue != nil && row["lua_ns"]?.doubleValue != nil, "\(name)")
        }
    }

    @Test func theTaBacktestReportsThePlainLuaBacktestBeside() throws {
        let figure = try #require(try figures("backtest_ta_sma_1m").first)
        #expect(figure["script"]?.stringValue?.hasSuffix("sma_ta.lua") == true)
        #expect(figure["baseline_script"]?.stringValue?.hasSuffix("sma.lua") == true)
        #expect((figure["compared_bars_per_second"]?.doubleValue ?? 0) > 0)
        #expect((figure["speedup_vs_compared"]?.doubleValue ?? 0) > 0)
    }

    @Test func hotReloadsLoseNoTick() throws {
        let run = try strata(["bench", "--json", "--scenario", "reload_latency", "--reloads", "5"])
        #expect(run.status == 0, "\(run.stderr)")
        let figure = try #require(run.json?["scenarios"]?.arrayValue?.first)
        #expect(figure["name"] == .string("reload_latency"))
        #expect((figure["ticks_delivered"]?.doubleValue ?? 0) > 0)
        #expect(figure["ticks_lost"] == .integer(0))
    }

    @Test func fanoutReportsEachEngineSetUpWithTickLatencyAndCores() throws {
        let figure = try #require(try figures("fanout_10k").first)
        #expect(figure["unit"] == .string("ns per instance-tick"))
        #expect(figure["ticks"] == .integer(3))
        #expect(figure["tick_p99_ms"]?.doubleValue != nil)
        let cores = try #require(figure["cores"]?.doubleValue)
        #expect(cores >= 1)
        // Engines: one worker (the figure), one per core, one worker with batches of --tick-batch;
        // one worker process and one per core; then the runtimes alone, ticked in a loop.
        let setups = try #require(figure["setups"]?.arrayValue)
        #expect(setups.map { $0["path"]?.stringValue } == ["engine", "engine", "engine", "engine", "engine", "runtime loop"])
        #expect(setups.map { $0["isolation"]?.stringValue } == ["none", "none", "none", "process", "process", "none"])
        #expect(setups.map { $0["workers"]?.doubleValue } == [1, cores, 1, 1, cores, 1])
        #expect(setups.map { $0["tick_batch"]?.doubleValue } == [1, 1, 2, 1, 1, 1])
        #expect(figure["value"] == setups.first?["ns_per_instance_tick"])
        for key in ["speedup", "batch_speedup", "runtime_loop_ns_per_instance_tick"] {
            #expect(figure[key]?.doubleValue != nil, "missing \(key)")
        }
    }

    @Test func fanoutReportsTheIsolatedSideItsGoalAndTheCrossingCost() throws {
        let figure = try #require(try figures("fanout_10k").first)
        for key in ["isolated_ns_per_instance_tick", "isolated_ratio", "isolated_default_ratio", "crossing_us_per_round", "in_process_round_us"] {
            #expect((figure[key]?.doubleValue ?? 0) > 0, "missing \(key)")
        }
        #expect(figure["isolated_goal"] == .string("≤ 1.2×"))
        let ratio = try #require(figure["isolated_ratio"]?.doubleValue)
        #expect(figure["isolated_goal_met"] == .bool(ratio <= 1.2))
        #expect([.bool(true), .bool(false)].contains(figure["isolated_default_goal_met"]))
    }

    @Test func dispatchSMAReportsTheEngineInAWorkerProcessBesideTheInProcessFigure() throws {
        let figure = try #require(try figures("dispatch_sma").first)
        #expect(figure["name"] == .string("dispatch_sma"))
        for key in [
            "engine_ns_per_call", "engine_batched_ns_per_call", "isolated_ns_per_call", "isolated_batched_ns_per_call",
            "isolated_round_trip_p50_us", "isolated_ratio",
        ] {
            #expect((figure[key]?.doubleValue ?? 0) > 0, "missing \(key)")
        }
        #expect(figure["tick_batch"] == .integer(2))
    }

    @Test func aWorkerCrashOrWedgeCostsTheSurvivorsNoTick() throws {
        let run = try strata(["bench", "--json", "--scenario", "worker_crash", "--canaries", "20"])
        #expect(run.status == 0, "\(run.stderr)")
        let figures = try #require(run.json?["scenarios"]?.arrayValue)
        #expect(figures.map { $0["name"]?.stringValue } == ["worker_crash_segv", "worker_crash_spin"])
        for figure in figures {
            #expect(figure["unit"]?.stringValue?.hasPrefix("ms") == true)
            #expect((figure["recovery_ms"]?.doubleValue ?? 0) > 0)
            #expect(figure["recovery_goal"] == .string("≤ 1 s"))
            #expect([.bool(true), .bool(false)].contains(figure["recovery_goal_met"]))
            #expect(figure["canaries"] == .integer(20))
            #expect(figure["ticks_delivered"] == .integer(40))
            #expect(figure["missed_ticks"] == .integer(0), "\(figure)")
            #expect(figure["missed_goal_met"] == .bool(true))
            #expect(figure["survivors_running"] == .integer(20))
            #expect(figure["culprit_state"] == .string("error"))
            #expect(figure["fault_round"] == .integer(20))
        }
    }

    @Test func aCommaListRunsEachNamedScenarioOnceInRunningOrder() throws {
        let names = try figures("load_10k,memory_per_instance").map { $0["name"]?.stringValue }
        #expect(names == ["memory_per_instance", "load_10k"])
    }

    @Test func soakRunsTheEngineWithReadersAndReportsTheResidentSetSlope() throws {
        let run = try strata(["bench", "--json", "--scenario", "soak", "--instances", "40", "--duration", "12s", "--readers", "2"])
        #expect(run.status == 0, "\(run.stderr)")
        let figure = try #require(run.json?["scenarios"]?.arrayValue?.first)
        #expect(figure["name"]?.stringValue == "soak")
        #expect(figure["unit"]?.stringValue?.hasPrefix("MiB/hour") == true)
        #expect(figure["value"]?.doubleValue != nil)
        #expect((figure["samples"]?.arrayValue?.count ?? 0) >= 10)
        #expect((figure["instance_ticks"]?.doubleValue ?? 0) > 0)
        #expect(figure["reader_bytes"]?.arrayValue?.allSatisfy { ($0.doubleValue ?? 0) > 0 } == true)
    }

    @Test func soakRejectsADurationItCannotRead() throws {
        let run = try strata(["bench", "--json", "--scenario", "soak", "--duration", "soon"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--duration"))
    }

    @Test func withoutJSONItPrintsATableAndProgressOnStderr() throws {
        let run = try strata(["bench", "--scenario", "memory_per_instance"] + Self.tiny)
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("scenario") == true)
        #expect(lines.last?.hasPrefix("memory_per_instance") == true)
        #expect(run.stderr.contains("idle instances"))
    }

    @Test(arguments: [
        (["bench", "--scenario", "fanout_1m"], "fanout_1m"),
        (["bench", "--scenario", "load_10k", "--instances", "0"], "--instances"),
    ])
    func badUsageExitsWithTwo(_ arguments: [String], _ mention: String) throws {
        let run = try strata(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.contains(mention), "stderr: \(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test func persistenceFiguresSayWhatTheyStored() throws {
        let figures = try figures("snapshot_10k,journal_1m,replay_sma")
        #expect(figures.map { $0["name"]?.stringValue } == ["snapshot_10k", "journal_1m", "replay_sma"])
        #expect(figures[0]["saved"] == .integer(40))
        #expect((figures[0]["bytes_per_instance"]?.doubleValue ?? 0) > 100)
        #expect((figures[1]["bytes_per_million_ticks"]?.doubleValue ?? 0) > 0)
        #expect(figures[2]["identical"] == .bool(true))
    }
}

/// The indicators `ta_update` times (those of `tools/bench/strategies/ta_update.lua`).
enum TaIndicatorNames {
    static let all = [
        "sma", "ema", "wma", "rma", "rsi", "macd", "bollinger", "stdev", "atr", "highest", "lowest", "roc", "vwap", "crossover",
    ]
}
