import Foundation
import StrataRuntime
import Testing

/// `strata optimize` through the real binary: a grid, a random search, walk-forward windows,
/// constraints, bad parameters, hostile trials, Ctrl-C, and the HTML report.
@Suite struct OptimizeCommandTests {
    static let data = "data/GOOG.csv"

    func optimize(_ arguments: String..., environment: [String: String] = [:]) throws -> StrataRun {
        try strata(["optimize"] + arguments, environment: environment)
    }

    func trials(_ run: StrataRun) throws -> [JSONValue] {
        try #require(run.json?["trials"]?.arrayValue, "stdout: \(run.stdout) stderr: \(run.stderr)")
    }

    @Test func aGridTriesEveryPointInOrderAndNamesTheBest() throws {
        let run = try optimize("sma_cross", "--data", Self.data, "--param", "fast=5:15:5", "--param", "slow=20,40", "--jobs", "2", "--json")
        #expect(run.status == 0, "\(run.stderr)")
        let all = try trials(run)
        #expect(all.count == 6)
        #expect(all.map { $0["params"]?["fast"] } == [5, 5, 10, 10, 15, 15].map { .integer($0) })
        #expect(all.map { $0["params"]?["slow"] } == [20, 40, 20, 40, 20, 40].map { .integer($0) })
        let sharpes = all.compactMap { $0["metrics"]?["sharpe"]?.doubleValue }
        #expect(sharpes.count == 6)
        let best = try #require(run.json?["best"])
        #expect(best["metrics"]?["sharpe"]?.doubleValue == sharpes.max())
        // The same trial in a backtest gives the same figure.
        let fast = try #require(best["params"]?["fast"]?.doubleValue)
        let slow = try #require(best["params"]?["slow"]?.doubleValue)
        let backtest = try strata("backtest", "sma_cross", "--data", Self.data, "--json", "--config", "{\"fast\": \(Int(fast)), \"slow\": \(Int(slow))}")
        #expect(backtest.json?["sharpe"]?.doubleValue == best["metrics"]?["sharpe"]?.doubleValue)
        #expect(backtest.json?["return_pct"]?.doubleValue == best["metrics"]?["return_pct"]?.doubleValue)
        // The text form ranks the trials and prints the best.
        let text = try optimize("sma_cross", "--data", Self.data, "--param", "fast=5:15:5", "--param", "slow=20,40", "--isolation", "none")
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("best: trial \(best["index"]?.doubleValue.map { Int($0) } ?? -1):"), "\(text.stdout)")
    }

    @Test func aRandomSearchIsDistinctAndRepeatsWithItsSeed() throws {
        let arguments = ["sma_cross", "--data", Self.data, "--param", "fast=2:20:1", "--param", "slow=30:90:5", "--search", "random", "--trials", "6"]
        let a = try strata(["optimize"] + arguments + ["--seed", "3", "--json"])
        let b = try strata(["optimize"] + arguments + ["--seed", "3", "--json", "--isolation", "none"])
        let c = try strata(["optimize"] + arguments + ["--seed", "4", "--json"])
        #expect(a.status == 0, "\(a.stderr)")
        let pointsA = try trials(a).map { $0["params"]?.encoded() ?? "" }
        #expect(pointsA.count == 6)
        #expect(Set(pointsA).count == 6)
        #expect(try trials(b).map { $0["params"]?.encoded() ?? "" } == pointsA)
        #expect(try trials(c).map { $0["params"]?.encoded() ?? "" } != pointsA)
    }

    @Test func walkForwardScoresEachInSampleBestOnTheNextSegment() throws {
        let run = try optimize("sma_cross", "--data", Self.data, "--param", "fast=5,10", "--param", "slow=30", "--walk-forward", "3", "--json")
        #expect(run.status == 0, "\(run.stderr)")
        let windows = try #require(run.json?["walk_forward"]?["windows"]?.arrayValue)
        #expect(windows.count == 3)
        // 2148 bars in 4 segments of 537.
        #expect(windows.map { $0["in_sample"]?["bars_from"] } == [0, 537, 1074].map { .integer($0) })
        #expect(windows.map { $0["in_sample"]?["bars_to"] } == [537, 1074, 1611].map { .integer($0) })
        for window in windows {
            let from = try #require(window["in_sample"]?["bars_from"]?.doubleValue)
            #expect(window["out_of_sample"]?["bars_from"]?.doubleValue == from + 537)
            #expect(window["out_of_sample"]?["params"] == window["best"]?["params"])
            #expect(window["out_of_sample_score"]?.doubleValue != nil)
        }
        #expect(windows[2]["out_of_sample"]?["bars_to"] == .integer(2148), "the last segment takes the rest")
        #expect(try trials(run).count == 2 * 3 + 3)
        #expect(run.json?["walk_forward"]?["compounded_out_of_sample_return_pct"]?.doubleValue != nil)
        let text = try optimize("sma_cross", "--data", Self.data, "--param", "fast=5,10", "--param", "slow=30", "--walk-forward", "3")
        #expect(text.stdout.contains("out-of-sample sharpe: mean"), "\(text.stdout)")
    }

    @Test func constraintsFilterTheGrid() throws {
        let run = try optimize(
            "sma_cross", "--data", Self.data, "--param", "fast=10:40:10", "--param", "slow=20:40:10", "--constraint", "fast < slow", "--json")
        #expect(run.status == 0, "\(run.stderr)")
        let all = try trials(run)
        #expect(all.count == 6)
        #expect(all.allSatisfy { ($0["params"]?["fast"]?.doubleValue ?? 0) < ($0["params"]?["slow"]?.doubleValue ?? 0) })
        let unknown = try optimize("sma_cross", "--data", Self.data, "--param", "fast=10,20", "--constraint", "fast < slwo")
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown parameter 'slwo'"), "\(unknown.stderr)")
    }

    @Test(arguments: [
        (["--param", "speed=1:5:1"], "unknown parameter 'speed'"),
        (["--param", "fast=0:10:1"], "fast must be at least 1"),
        (["--param", "fast=1:900:100"], "fast must be at most 500"),
        (["--param", "fast=5:1:1"], "FROM (5) is greater than TO (1)"),
        (["--param", "fast=1:10:0"], "STEP must be greater than 0"),
        (["--param", "fast=1:x:1"], "--param fast=1:x:1"),
        (["--param", "fast=10,20", "--constraint", "fast > 100"], "no trial to run"),
        (["--param", "fast=10,20", "--metric", "alpha"], "unknown metric 'alpha'"),
        (["--param", "fast=10,20", "--trials", "5"], "--trials needs --search random"),
        (["--param", "fast=10,20", "--walk-forward", "2000"], "--walk-forward"),
    ])
    func badParametersExitTwoWithAMessageNamingTheInput(_ extra: [String], _ expected: String) throws {
        let run = try strata(["optimize", "sma_cross", "--data", Self.data] + extra)
        #expect(run.status == 2, "\(extra): \(run.stderr)")
        #expect(run.stderr.contains(expected), "\(extra): \(run.stderr)")
        #expect(run.stdout.isEmpty)
    }

    @Test func aMissingDataFileExitsTwo() throws {
        let run = try optimize("sma_cross", "--data", "no-such-file.csv", "--param", "fast=10,20")
        #expect(run.status == 2)
        #expect(run.stderr.contains("no-such-file.csv"), "\(run.stderr)")
    }

    static let hostile = """
        CONFIG_SCHEMA = { n = { type = "integer", default = 1, min = 1, max = 5 } }
        function init() return { seen = 0 } end
        function on_tick(tick)
          state.seen = state.seen + 1
          if config.n == 2 and state.seen == 10 then error("boom on purpose") end
          if config.n == 3 and state.seen == 10 then while true do end end
          if state.seen == 20 and config.n ~= 4 then context.place_order{ side = "buy", qty = 1 } end
        end
        function render() return { widgets = {} } end
        """

    @Test func aHostileTrialFailsAloneAndACrashingWorkerFailsItsTrials() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = folder.appendingPathComponent("hostile.lua").path
        try Self.hostile.write(toFile: script, atomically: true, encoding: .utf8)
        let run = try optimize(script, "--data", Self.data, "--param", "n=1:5:1", "--metric", "return_pct", "--jobs", "2", "--json")
        #expect(run.status == 0, "\(run.stderr)")
        let all = try trials(run)
        #expect(all.count == 5)
        let errors = all.map { $0["error"]?.stringValue }
        #expect(errors[1]?.contains("boom on purpose") == true, "\(errors)")
        #expect(errors[2]?.contains("cpu_limit") == true, "\(errors)")
        #expect(errors[0] == nil && errors[3] == nil && errors[4] == nil, "\(errors)")
        #expect(run.json?["failed"] == .integer(2))
        // A worker that dies at every trial's first tick: every trial fails with the verdict, exit 1.
        let crashed = try strata(
            ["optimize", script, "--data", Self.data, "--param", "n=1,4", "--jobs", "1", "--json"], environment: ["STRATA_WORKER_FAULT": "segv"])
        #expect(crashed.status == 1, "\(crashed.stderr)")
        let crashedTrials = try trials(crashed)
        #expect(crashedTrials.count == 2)
        #expect(crashedTrials.allSatisfy { $0["error"]?.stringValue?.contains("crashed: SIGSEGV") == true }, "\(crashed.stdout)")
    }

    @Test func theReportHasTheTrialsAHeatmapAndNoScript() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = folder.appendingPathComponent("report.html").path
        let run = try optimize(
            "sma_cross", "--data", Self.data, "--param", "fast=5:15:5", "--param", "slow=20,40", "--report", report, "--isolation", "none")
        #expect(run.status == 0, "\(run.stderr)")
        let page = try String(contentsOfFile: report, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<h2>Heatmap</h2>"))
        #expect(page.components(separatedBy: "<rect ").count - 1 == 6, "one cell per (fast, slow)")
        #expect(page.contains("<title>fast=5 slow=20: sharpe "))
        #expect(page.contains("<h2>Trials</h2>"))
        #expect(!page.lowercased().contains("<script"))
        #expect(!page.contains("http://") && !page.contains("https://"))
    }

    @Test func ctrlCEndsTheRunWithTheTrialsDoneSoFar() throws {
        let binary = try #require(strataBinary)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        let handle = try FileHandle(forWritingTo: out)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["optimize", "sma_cross", "--data", Self.data, "--param", "fast=2:400:1", "--param", "slow=500:2000:10", "--jobs", "1", "--json"]
        process.currentDirectoryURL = repositoryRoot
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Long enough for the first trials to finish on a loaded machine.
        Thread.sleep(forTimeInterval: 6)
        kill(process.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!process.isRunning, "the run ends soon after Ctrl-C")
        if process.isRunning { process.terminate() }
        #expect(process.terminationStatus == 130)
        let json = try #require(JSONValue(parsing: String(decoding: try Data(contentsOf: out), as: UTF8.self)))
        #expect(json["cancelled"] == .bool(true))
        let done = try #require(json["trials"]?.arrayValue)
        // On a loaded machine no trial may have finished yet; the Optimizer's own cancel test
        // checks that finished trials are kept.
        #expect(done.count < 399 * 151)
        #expect(done.allSatisfy { $0["error"] == .null }, "no trial is failed by the interruption")
    }
}
