import Foundation
import StrataRuntime
import Testing

/// `strata bench` at tiny sizes: the shape of what it prints, never how fast anything is.
@Suite struct BenchCommandTests {
    /// Sizes small enough for a debug build to run every scenario in about a second.
    static let tiny = [
        "--instances", "40", "--ticks", "3", "--tick-batch", "2", "--memory-instances", "20", "--bars", "300",
        "--calls", "2000",
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
        // then the runtimes alone, ticked in a loop.
        let setups = try #require(figure["setups"]?.arrayValue)
        #expect(setups.map { $0["path"]?.stringValue } == ["engine", "engine", "engine", "runtime loop"])
        #expect(setups.map { $0["workers"]?.doubleValue } == [1, cores, 1, 1])
        #expect(setups.map { $0["tick_batch"]?.doubleValue } == [1, 1, 2, 1])
        #expect(figure["value"] == setups.first?["ns_per_instance_tick"])
        for key in ["speedup", "batch_speedup", "runtime_loop_ns_per_instance_tick"] {
            #expect(figure[key]?.doubleValue != nil, "missing \(key)")
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
}
