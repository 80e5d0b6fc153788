import Foundation
import StrataRuntime

/// The text `strata optimize` prints: the top trials sorted by the metric, the best line, and
/// with walk-forward the windows and the out-of-sample figure.
enum OptimizeSummary {
    /// Metric columns of the table, beside the one ranked by.
    static let columns: [OptimizationMetric] = [.sharpe, .returnPercent, .maxDrawdownPercent, .trades]

    static func text(_ result: OptimizationResult, request: OptimizationRequest, top: Int) -> String {
        var lines: [String] = []
        let search: String
        switch request.search {
        case .grid: search = "grid"
        case .random(let trials, let seed): search = "random (\(trials) asked, seed \(seed))"
        }
        lines.append(
            "optimize \(request.script.name) on \(request.settings.market): \(result.trials.count) of \(result.planned) trials, \(search), "
                + "\(result.metric.rawValue) (\(result.direction.rawValue)), \(request.jobs) job\(request.jobs == 1 ? "" : "s"), "
                + String(format: "%.1f s", result.elapsedSeconds))
        if result.cancelled { lines.append("interrupted: the trials done so far") }
        let names = result.trials.first.map { $0.params.keys.sorted() } ?? []
        let metrics = [result.metric] + columns.filter { $0 != result.metric }
        let searchTrials = result.ranked.filter { !$0.outOfSample }
        if top > 0, !searchTrials.isEmpty {
            var rows = [["rank", "trial"] + (request.walkForward > 0 ? ["window"] : []) + names + metrics.map(\.rawValue)]
            for (rank, trial) in searchTrials.prefix(top).enumerated() {
                var row = ["\(rank + 1)", "\(trial.index)"]
                if request.walkForward > 0 { row.append(trial.window.map(String.init) ?? "") }
                row += names.map { value(trial.params[$0]) }
                row += metrics.map { metric in trial.ok ? trial.score(metric).map(number) ?? "–" : "failed" }
                rows.append(row)
            }
            lines.append("")
            lines += table(rows)
        }
        lines.append("")
        if let best = result.best {
            let label = request.walkForward > 0 ? "best (last window, in-sample)" : "best"
            lines.append("\(label): trial \(best.index): \(params(best.params)) → \(result.metric.rawValue) \(best.score(result.metric).map(number) ?? "–")")
        } else {
            lines.append("best: none (no trial has a \(result.metric.rawValue))")
        }
        let failed = result.trials.filter { !$0.ok }
        if let first = failed.first {
            lines.append(
                "failed: \(failed.count) trial\(failed.count == 1 ? "" : "s") (first: trial \(first.index), \(params(first.params)): \(first.error ?? ""))")
        }
        if !result.windows.isEmpty {
            lines.append("")
            lines.append("walk-forward: \(request.walkForward) rolling windows; each optimises on one segment and is scored on the next")
            var rows = [["window", "in-sample bars", "best", "in-sample", "out-of-sample", "oos return %"]]
            for window in result.windows {
                rows.append([
                    "\(window.window)", "\(window.barsFrom)..<\(window.barsTo)", window.best.map { params($0.params) } ?? "–",
                    window.best?.score(result.metric).map(number) ?? "–", window.outOfSample?.score(result.metric).map(number) ?? "–",
                    window.outOfSample?.metrics[OptimizationMetric.returnPercent.rawValue].map(number) ?? "–",
                ])
            }
            lines += table(rows)
            let inSample = result.windows.compactMap { $0.best?.score(result.metric) }
            let meanIn = inSample.isEmpty ? "–" : number(inSample.reduce(0, +) / Double(inSample.count))
            lines.append(
                "out-of-sample \(result.metric.rawValue): mean \(result.meanOutOfSample.map(number) ?? "–") (in-sample mean \(meanIn)); "
                    + "compounded out-of-sample return \(result.compoundedOutOfSampleReturn.map(number) ?? "–")%")
        }
        return lines.joined(separator: "\n")
    }

    static func params(_ params: [String: JSONValue]) -> String {
        params.keys.sorted().map { "\($0)=\(value(params[$0]))" }.joined(separator: " ")
    }

    static func value(_ value: JSONValue?) -> String {
        switch value {
        case .integer(let i): return String(i)
        case .number(let d): return String(format: "%g", d)
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case nil: return ""
        default: return value?.encoded() ?? ""
        }
    }

    static func number(_ x: Double) -> String {
        x.rounded() == x && abs(x) < 1e15 ? String(Int64(x)) : abs(x) >= 1000 ? String(format: "%.0f", x) : String(format: "%.3f", x)
    }

    /// Rows as columns padded to their widest cell (numbers right-aligned).
    static func table(_ rows: [[String]]) -> [String] {
        let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { column, cell in
                let fill = String(repeating: " ", count: widths[column] - cell.count)
                return Double(cell) != nil || cell == "–" ? fill + cell : cell + fill
            }.joined(separator: "  ")
        }
    }
}
