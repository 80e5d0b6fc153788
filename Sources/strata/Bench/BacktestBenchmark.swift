import Foundation
import StrataRuntime

/// backtest_sma_1m: bars per second of the `strata backtest` machinery (`Backtest`: the live
/// runtime with its guards, the paper broker, the equity curve) running sma.lua over a million
/// bars of EURUSD tiled (the same file as `backtest-vs-peers.sh`, written to `out/` when
/// missing). Reading the CSV is not timed, as in `strata backtest`'s own bars/s. The baseline
/// is the C program calling `on_tick` over the same bars, a fresh tick table per bar, no broker.
struct BacktestBenchmark {
    let scriptPath: String
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
    func barsPerSecond(data: String) throws -> Double {
        guard let text = FileManager.default.contents(atPath: scriptPath) else { throw UsageError("cannot read \(scriptPath)") }
        let script = StrategyScript(name: "sma", source: String(decoding: text, as: UTF8.self), chunkName: "@sma.lua")
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
        let rate = try barsPerSecond(data: data)
        session.progress("running the C backtest baseline…")
        let base = try session.baseline().number("bars_per_second", of: "backtest", script: scriptPath, ["--data", data])
        return BenchFigure(
            name: "backtest_sma_1m", rate: rate, unit: "bars/s", baselineRate: base,
            extras: [
                "bars": .integer(Int64(bars)), "data": .string(data),
                "ns_per_bar": .number(BenchFigure.rounded(1e9 / rate)),
                "baseline_ns_per_bar": .number(BenchFigure.rounded(1e9 / base)),
            ],
            note: String(format: "%.0f ns/bar (C %.0f ns/bar)", 1e9 / rate, 1e9 / base))
    }
}
