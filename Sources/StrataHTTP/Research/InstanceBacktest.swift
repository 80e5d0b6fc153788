import Foundation
import StrataEngine
import StrataIsolation
import StrataRuntime

/// A backtest the server runs for the API: the instance's current version and config over a
/// data file, in a confined `strata worker` process (as `strata backtest` runs it), asking for
/// the JSON result, the equity curve and the HTML report. Its progress is the share of bars done;
/// cancelling kills the worker.
struct InstanceBacktest: Sendable {
    /// The most trades a run's detail keeps (the newest); `summary.closed_trades` counts them all.
    static let maxTrades = 1000

    /// The `strata` program run as the worker.
    let executable: String
    let request: BacktestRequest

    func run(_ progress: ResearchProgress) -> ResearchOutcome {
        let limits = request.settings.limits
        let beat = limits.tickDeadline * Backtest.progressInterval + .milliseconds(50)
        var phase = StrategyError.Phase.load
        var bar: Int?
        let call = WorkerCall(executable: executable, confinement: WorkerConfinement())
        let cancelled = { progress.isCancelled }
        let heard = { (body: JSONValue) -> Duration in
            switch body["phase"]?.stringValue {
            case "tick":
                phase = .tick
                bar = body["bars"]?.intValue
                let total = max(1, body["total"]?.intValue ?? 1)
                progress.report(fraction: Double(bar ?? 0) / Double(total) * 0.98)
                return beat
            case "report": return .seconds(60)
            default: return limits.loadDeadline * 2 + beat
            }
        }
        let outcome = call.run(request.wire, budget: .seconds(60), cancel: cancelled, progress: heard)
        switch outcome {
        case .success(let answer): return Self.outcome(answer: answer)
        case .failure(.cancelled): return ResearchOutcome(error: "cancelled")
        case .failure(let failure):
            let error = failure.error(in: phase)
            let near = bar.map { " (after bar \($0))" } ?? ""
            return ResearchOutcome(error: "\(error.kind.rawValue) in \(error.phase.rawValue): \(error.message)\(near)")
        }
    }

    /// The worker's answer (`strata backtest --json`'s output and the report) as an outcome.
    static func outcome(answer: JSONValue) -> ResearchOutcome {
        let status = answer["status"]?.intValue ?? 1
        let stdout = answer["stdout"]?.stringValue ?? ""
        guard status == 0, case .object(var result)? = JSONValue(parsing: stdout) else {
            if status == 1, let failure = JSONValue(parsing: stdout), let error = failure["error"] {
                return ResearchOutcome(error: describe(failure: failure, error: error))
            }
            let stderr = (answer["stderr"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let text = stderr.hasPrefix("strata: ") ? String(stderr.dropFirst(8)) : stderr
            return ResearchOutcome(error: text.isEmpty ? "the backtest gave no result" : text)
        }
        let trades = result.removeValue(forKey: "trades")?.arrayValue ?? []
        let curve = result.removeValue(forKey: "equity_curve") ?? .array([])
        return ResearchOutcome(
            summary: result,
            detail: .object([
                "trades": .array(Array(trades.suffix(maxTrades))), "trades_total": .integer(Int64(trades.count)), "equity_curve": curve,
            ]),
            report: answer["report"]?.stringValue)
    }

    /// A script failure as one text: what, where, the message and the traceback.
    private static func describe(failure: JSONValue, error: JSONValue) -> String {
        var lines = ["\(error["kind"]?.stringValue ?? "error") in \(failure["phase"]?.stringValue ?? "run")"]
        if let bar = failure["bar"]?.intValue {
            lines[0] += " at bar \(bar)" + (failure["bar_time"]?.stringValue.map { " (\($0))" } ?? "")
        }
        lines.append(error["message"]?.stringValue ?? "")
        if let traceback = error["traceback"]?.stringValue, !traceback.isEmpty { lines.append(traceback) }
        return lines.joined(separator: "\n")
    }
}
