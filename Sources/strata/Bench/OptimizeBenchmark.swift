import Foundation
import StrataIsolation
import StrataRuntime

/// optimize_grid: trials per second of `strata optimize` (confined worker processes, as the
/// CLI runs) over a 100-trial SMA grid — fast 5…50 step 5 × slow 60…240 step 20, every point
/// with fast < slow — on the tiled million-bar file, with one job and with two (the ratio is
/// the gain from the second core). The strategy is tools/peers/sma_reference.lua, the rule
/// backtesting.py's SmaCross trades (tools/bench/strategies/sma.lua takes no config). The peer
/// is backtesting.py's `Backtest.optimize` on the same grid and data in the same run
/// (tools/peers/optimize_peer.py): at about 10 s a trial it times a stated subset of the grid.
struct OptimizeBenchmark {
    let name = "optimize_grid"
    let bars: Int
    let source: String
    /// Grid points the peer times (0: no peer).
    let peerTrials: Int
    static let fast = "5:50:5"
    static let slow = "60:240:20"

    func figure(session: BenchSession) throws -> BenchFigure {
        let data = try BacktestBenchmark(scriptPath: session.script("sma.lua"), bars: bars, source: source).dataFile(session: session)
        let root = URL(fileURLWithPath: session.benchDir).deletingLastPathComponent().deletingLastPathComponent()
        let scriptPath = root.appendingPathComponent("tools/peers/sma_reference.lua").path
        guard let text = FileManager.default.contents(atPath: scriptPath) else { throw UsageError("cannot read \(scriptPath)") }
        let script = StrategyScript.file(URL(fileURLWithPath: scriptPath), source: String(decoding: text, as: UTF8.self))
        var rates: [Int: Double] = [:]
        var trials = 0
        for jobs in [1, 2] {
            session.progress("optimizing a 100-trial SMA grid over \(bars) bars with \(jobs) job\(jobs == 1 ? "" : "s")…")
            var settings = Backtest.Settings()
            settings.market = "EURUSD"
            settings.broker.startingCash = 1e9
            let request = OptimizationRequest(
                script: script, dataPath: data, settings: settings, params: ["fast=\(Self.fast)", "slow=\(Self.slow)"], constraints: ["fast < slow"],
                jobs: jobs)
            let start = ContinuousClock.now
            let result: OptimizationResult
            do {
                result = try Optimizer(request: request).run()
            } catch {
                throw UsageError("the optimization failed: \(error.message)")
            }
            let seconds = nanoseconds(ContinuousClock.now - start) / 1e9
            guard result.failed == 0 else { throw UsageError("\(result.failed) trials failed: \(result.trials.first { !$0.ok }?.error ?? "")") }
            trials = result.trials.count
            rates[jobs] = Double(trials) / seconds
        }
        let one = rates[1] ?? 0
        let two = rates[2] ?? 0
        var extras: [String: JSONValue] = [
            "bars": .integer(Int64(bars)), "data": .string(data), "script": .string(scriptPath), "trials": .integer(Int64(trials)),
            "trials_per_second_1_job": .number(BenchFigure.rounded(one)), "trials_per_second_2_jobs": .number(BenchFigure.rounded(two)),
            "second_core_gain": .number(BenchFigure.rounded(two / one, digits: 3)),
        ]
        var note = String(format: "1 job %.2f trials/s; 2 jobs %.2f trials/s (%.2f× from the second core)", one, two, two / one)
        guard peerTrials > 0, let peer = try runPeer(data: data, root: root, session: session) else {
            note += peerTrials > 0 ? "; backtesting.py not set up (tools/peers/setup.sh)" : "; no peer (--optimize-peer-trials 0)"
            return BenchFigure(name: name, value: two, unit: "trials/s (2 jobs)", baseline: nil, extras: extras, note: note)
        }
        let peerRate = peer["trials_per_second"]?.doubleValue ?? 0
        extras["peer"] = peer
        extras["speedup_vs_backtesting_py"] = .number(BenchFigure.rounded(two / peerRate, digits: 3))
        note += String(
            format: "; backtesting.py Backtest.optimize %.4f trials/s (%@ of the grid) → %.1f×", peerRate,
            peer["subset"]?.stringValue ?? "", two / peerRate)
        var figure = BenchFigure(name: name, rate: two, unit: "trials/s (2 jobs)", baselineRate: peerRate, extras: extras, note: note)
        figure.ratioMeans = "backtesting.py's cost per trial / Strata's is 1/ratio (baseline: backtesting.py, not C)"
        return figure
    }

    /// Runs optimize_peer.py under tools/.venv; nil when the venv is missing.
    func runPeer(data: String, root: URL, session: BenchSession) throws -> JSONValue? {
        let python = root.appendingPathComponent("tools/.venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else { return nil }
        session.progress("timing backtesting.py's Backtest.optimize on \(peerTrials) points of the same grid…")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            root.appendingPathComponent("tools/peers/optimize_peer.py").path, "--csv", data, "--fast", Self.fast, "--slow", Self.slow,
            "--points", String(peerTrials), "--json",
        ]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let bytes = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let json = JSONValue(parsing: String(decoding: bytes, as: UTF8.self)) else {
            throw UsageError("tools/peers/optimize_peer.py failed (status \(process.terminationStatus))")
        }
        return json
    }
}
