import Foundation
import StrataRuntime

/// The worker side of an optimization job: reads the bars once, confines itself, then runs its
/// trials one after another. Progress words: `{"phase": "load", "trial": i}` as a trial starts,
/// `{"phase": "tick", "bars": n}` at most every 50 ms within it, `{"result": …}` (a
/// ``TrialResult`` wire) when it ends. The answer is `{"done": n}`, or `{"error": …}` when the
/// data file cannot be used.
public enum OptimizeWorker {
    /// The request a job sends: the backtest settings (a ``BacktestRequest`` wire) and the trials.
    public static func request(_ request: OptimizationRequest, script: StrategyScript, trials: [TrialSpec]) -> JSONValue {
        let backtest = BacktestRequest(script: script, dataPath: request.dataPath, settings: request.settings, outputs: [:]).wire
        return .object(["optimize": .object(["backtest": backtest["backtest"] ?? .null, "trials": .array(trials.map(\.json))])])
    }

    /// Reads the bars of `path` for `segments` segments: the bars, or why they cannot be used.
    public static func readBars(path: String, segments: Int) -> Result<[Bar], OptimizationError> {
        let bars: [Bar]
        do {
            bars = try BarCSVReader.read(path: path)
        } catch {
            return .failure(OptimizationError("\(error)"))
        }
        guard bars.count >= 2 * segments else {
            let need = segments > 1 ? "walk-forward with \(segments - 1) windows needs at least \(2 * segments) bars" : "an optimization needs at least 2 bars"
            return .failure(OptimizationError("\(path): \(need); the data has \(bars.count)"))
        }
        return .success(bars)
    }

    /// Serves a `{"optimize": …}` request; returns the exit status.
    public static func run(_ session: WorkerSession, confinement: WorkerConfinement) -> Int32 {
        guard let body = session.request["optimize"], let backtest = BacktestRequest(wire: .object(["backtest": body["backtest"] ?? .null])),
            let items = body["trials"]?.arrayValue
        else {
            session.fail("not an optimize request")
            return 70
        }
        let trials = items.compactMap(TrialSpec.init(json:))
        let segments = trials.map(\.segments).max() ?? 1
        let bars: [Bar]
        switch readBars(path: backtest.dataPath, segments: segments) {
        case .success(let read): bars = read
        case .failure(let error): return session.answer(.object(["error": .string(error.message)]))
        }
        guard session.confine(confinement) else { return 70 }
        for trial in trials {
            session.progress(.object(["phase": .string("load"), "trial": .integer(Int64(trial.index))]))
            var lastWord = ContinuousClock.now
            var ticking = false
            let result = TrialRun.run(trial, bars: bars, script: backtest.script, settings: backtest.settings) { done in
                let now = ContinuousClock.now
                guard !ticking || now - lastWord >= .milliseconds(50) else { return }
                ticking = true
                lastWord = now
                session.progress(.object(["phase": .string("tick"), "bars": .integer(Int64(done))]))
            }
            session.progress(.object(["result": result.wire]))
        }
        return session.answer(.object(["done": .integer(Int64(trials.count))]))
    }
}
