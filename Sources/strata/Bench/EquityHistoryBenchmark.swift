import Foundation
import StrataEngine
import StrataPersistence
import StrataRuntime

/// `equity_history`: what the instance list's return and drawdown columns cost once every
/// instance has a month of history. `--instances` (10,000) instance rows, each given
/// `--equity-hours` (720) hourly points through `appendEquityPoints` (all instances' points of a
/// day per call, as an engine that fell behind would write them); then the read the list makes,
/// `equitySummaries(scope: .instance)`, median of 5. The baseline (`baseline equity`) reads the
/// same rows of the same file through the bare sqlite3 API. Extras: the append rate and one
/// instance's month read back (`equityPoints`, tiers merged).
struct EquityHistoryBenchmark {
    let scriptPath: String
    let instances: Int
    let hours: Int
    static let rounds = 5

    func figure(session: BenchSession) throws -> BenchFigure {
        let rows = try FleetStore(scriptPath: scriptPath, instances: instances, progress: session.progress)
        let store = try SQLiteStore(path: rows.database)
        defer { try? store.close() }
        let names = (0..<instances).map { String(format: "sma-%05d", $0) }
        session.progress("appending \(hours) hourly points to each of \(instances) instances…")
        let start = 1_767_225_600.0
        let appendStart = ContinuousClock.now
        var hour = 0
        while hour < hours {
            let day = hour..<min(hour + 24, hours)
            var points: [EquityPoint] = []
            points.reserveCapacity(day.count * instances)
            for (index, name) in names.enumerated() {
                // A drift of its own per instance (half rise, half fall) and a wobble.
                let drift = Double(index % 200 - 100)
                for h in day {
                    let equity = 100_000 + drift * Double(h) + 50 * sin(Double(h + index))
                    points.append(EquityPoint(scope: .instance, name: name, tier: 3_600, t: start + Double(h) * 3_600, equity: equity))
                }
            }
            try store.appendEquityPoints(points)
            hour = day.upperBound
        }
        let appendSeconds = nanoseconds(ContinuousClock.now - appendStart) / 1e9
        session.progress("reading the summaries (\(Self.rounds) rounds)…")
        var reads: [Double] = []
        var count = 0
        for _ in 0..<Self.rounds {
            let begin = ContinuousClock.now
            count = try store.equitySummaries(scope: .instance).count
            reads.append(nanoseconds(ContinuousClock.now - begin) / 1e6)
        }
        var series: [Double] = []
        var seriesPoints = 0
        for _ in 0..<Self.rounds {
            let begin = ContinuousClock.now
            seriesPoints = try store.equityPoints(scope: .instance, name: names[0], from: -.infinity, to: .infinity).points.count
            series.append(nanoseconds(ContinuousClock.now - begin) / 1e6)
        }
        session.progress("running the C summaries baseline…")
        let base = try session.baseline().run("equity", script: rows.database)
        let ms = reads.quantile(0.5)
        let pointsPerSecond = Double(instances * hours) / appendSeconds
        return BenchFigure(
            name: "equity_history", value: ms, unit: "ms per summaries read", baseline: base["ms_per_read"]?.doubleValue ?? .nan,
            extras: [
                "instances": .integer(Int64(instances)), "hours": .integer(Int64(hours)), "summaries": .integer(Int64(count)),
                "append_points_per_second": .number(BenchFigure.rounded(pointsPerSecond)),
                "series_ms": .number(BenchFigure.rounded(series.quantile(0.5))), "series_points": .integer(Int64(seriesPoints)),
                "baseline_rows": base["rows"] ?? .null,
            ],
            note: String(
                format: "%d summaries beside %d points; appended at %.0f points/s; one month read back in %.1f ms", count,
                instances * hours, pointsPerSecond, series.quantile(0.5)))
    }
}
