import Foundation
import StrataRuntime

/// load_10k: seconds to load many instances of sma.lua. The figure is the engine's path, the
/// one users see — `Engine.reconcile()` over a store with that many rows (see `EngineFleet`;
/// creating the rows is not timed, `store_rows_seconds` says how long it took);
/// a second figure is `StrategyInstance` creation alone, in a loop, without store or engine
/// (`RuntimeFleet`).
/// The baseline is the C program creating as many states (openlibs, load and run, `init()`).
struct LoadBenchmark {
    let scriptPath: String
    let instances: Int

    /// - Parameters:
    ///   - reconcileSeconds: the load time of each in-process engine fleet built; the first is the figure.
    ///   - isolatedSeconds: the load time of each fleet in worker processes (fanout_10k's).
    ///   - runtimeOnly: seconds to create as many runtimes in a loop (`RuntimeFleet`).
    func figure(
        reconcileSeconds runs: [Double], isolatedSeconds: [Double] = [], rowSeconds: Double, runtimeOnly: Double, session: BenchSession,
        postgres: Bool = false
    ) throws -> BenchFigure {
        let reconcileSeconds = runs[0]
        session.progress("running the C load baseline (\(instances) states)…")
        let base = try session.baseline().number("seconds", of: "load", script: scriptPath, ["--states", String(instances)])
        let perInstance = reconcileSeconds / Double(instances) * 1e6
        if postgres {
            return BenchFigure(
                name: "load_10k_postgres", value: reconcileSeconds, unit: "s (Engine.reconcile)", baseline: base,
                extras: [
                    "instances": .integer(Int64(instances)), "us_per_instance": .number(BenchFigure.rounded(perInstance)),
                    "store_rows_seconds": .number(BenchFigure.rounded(rowSeconds, digits: 3)),
                    "measured": .string("Engine.reconcile() loading every row of a PostgreSQL store (mode observe)"),
                ],
                note: String(format: "%.0f µs each; rows in PostgreSQL", perInstance))
        }
        var figure = BenchFigure(
            name: "load_10k", value: reconcileSeconds, unit: "s (Engine.reconcile)", baseline: base,
            extras: [
                "instances": .integer(Int64(instances)), "us_per_instance": .number(BenchFigure.rounded(perInstance)),
                "all_runs_seconds": .array(runs.map { .number(BenchFigure.rounded($0, digits: 4)) }),
                "store_rows_seconds": .number(BenchFigure.rounded(rowSeconds, digits: 3)),
                "runtime_only_seconds": .number(BenchFigure.rounded(runtimeOnly, digits: 4)),
                "measured": .string("Engine.reconcile() loading every row of a SQLite store (mode observe)"),
            ],
            note: String(format: "%.0f µs each; StrategyInstance loop alone %.3f s", perInstance, runtimeOnly))
        if !isolatedSeconds.isEmpty {
            figure.extras["isolated_runs_seconds"] = .array(isolatedSeconds.map { .number(BenchFigure.rounded($0, digits: 4)) })
            figure.note += String(format: "; in worker processes %.3f s", isolatedSeconds[0])
        }
        return figure
    }
}
