import Foundation
import StrataRuntime

/// backtest_sma_1m: bars per second of the `strata backtest` machinery (`Backtest`: the live
/// runtime with its guards, the paper broker, the equity curve) running sma.lua over a million
/// bars of EURUSD tiled (the same file as `backtest-vs-peers.sh`, written to `out/` when
/// missing). Reading the CSV is not timed, as in `strata backtest`'s own bars/s. The baseline
/// is the C program calling `on_tick` over the same bars, a fresh tick table per bar, no broker.
///
/// backtest_ta_sma_1m is the same crossover written with `ta.sma` (sma_ta.lua): its baseline is
/// the same C program on sma.lua (the C baseline has no `ta`), and the figure also gives
/// sma.lua's rate in Strata in the same run, so the gain of the C indicators reads directly.
struct BacktestBenchmark {
    var name = "backtest_sma_1m"
    let scriptPath: String
    /// The script the C baseline runs (the same as `scriptPath` unless that needs `ta`).
    var baselineScriptPath: String?
    /// A second script whose Strata rate is measured beside (backtest_ta_sma_1m: sma.lua).
    var comparedScriptPath: String?
    let bars: Int
    /// The short file to tile.
    let source: String
    static let runs = 3

    /// The bars file in `out/`, written when missing.
    func dataFile(session: BenchSession) throws -> String {
        let path = "\(session.benchDir)/out/bars-\(bars).csv"
        guard !FileManager.default.fileExists(atPath: path) else { return path }
        session.progress("writing \(bars) bars to \(path)…")
        try FileManager.default.createDirectory(atPath: "\(session.benchDir)/out", withIntermediateDirectories: true)
        try BarTiling.write(source: source, count: bars, to: path)
        return path
    }

    /// Median bars per second of `runs` backtests.
    func barsPerSecond(data: String, scriptPath: String) throws -> Double {
        guard let text = FileManager.default.contents(atPath: scriptPath) else { throw UsageError("cannot read \(scriptPath)") }
        let file = URL(fileURLWithPath: scriptPath).lastPathComponent
        let script = StrategyScript(name: "sma", source: String(decoding: text, as: UTF8.self), chunkName: "@\(file)")
        let bars = try BarCSVReader.read(path: data)
        var rates: [Double] = []
        for _ in 0..<Self.runs {
            let result: BacktestResult
            do {
                result = try Backtest(script: script, bars: bars).run()
            } catch {
                throw UsageError("the backtest failed: \(error.error.message)")
            }
            rates.append(Double(bars.count) / (nanoseconds(result.elapsed) / 1e9))
        }
        return rates.quantile(0.5)
    }

    func figure(session: BenchSession) throws -> BenchFigure {
        let data = try dataFile(session: session)
        session.progress("backtesting \(bars) bars (\(Self.runs) runs)…")
        let rate = try barsPerSecond(data: data, scriptPath: scriptPath)
        session.progress("running the C backtest baseline…")
        let baselineScript = baselineScriptPath ?? scriptPath
        let base = try session.baseline().number("bars_per_second", of: "backtest", script: baselineScript, ["--data", data])
        var extras: [String: JSONValue] = [
            "bars": .integer(Int64(bars)), "data": .string(data), "script": .string(scriptPath),
            "baseline_script": .string(baselineScript),
            "ns_per_bar": .number(BenchFigure.rounded(1e9 / rate)),
            "baseline_ns_per_bar": .number(BenchFigure.rounded(1e9 / base)),
        ]
        var note = String(format: "%.0f ns/bar (C %.0f ns/bar)", 1e9 / rate, 1e9 / base)
        if let comparedScriptPath {
            session.progress("backtesting \(bars) bars with \(comparedScriptPath) (\(Self.runs) runs)…")
            let compared = try barsPerSecond(data: data, scriptPath: comparedScriptPath)
            extras["compared_script"] = .string(comparedScriptPath)
            extras["compared_bars_per_second"] = .number(BenchFigure.rounded(compared))
            extras["speedup_vs_compared"] = .number(BenchFigure.rounded(rate / compared, digits: 3))
            note += String(
                format: "; %.2f× the rate of %@ (%.0f ns/bar)", rate / compared, URL(fileURLWithPath: comparedScriptPath).lastPathComponent, 1e9 / compared)
        }
        return BenchFigure(name: name, rate: rate, unit: "bars/s", baselineRate: base, extras: extras, note: note)
    }
}
