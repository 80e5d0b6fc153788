/// The `optimize --report` page: one self-contained HTML5 document (inline CSS and SVG, no
/// scripts, no external resources, like ``BacktestReport``): the best trial, a heatmap of the
/// metric over the first two parameters (a bar chart for one), the walk-forward windows, and
/// the trials sorted by the metric.
public enum OptimizeReport {
    /// Trial rows at most.
    static let maxRows = 2_000

    public static func html(result: OptimizationResult, request: OptimizationRequest) -> String {
        let escape = BacktestReport.escape
        let heading = "Optimize: \(request.script.name)"
        var page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        page += "<title>\(escape(heading)) · \(escape(request.settings.market))</title>\n<style>\(style)</style>\n</head>\n<body>\n"
        page += "<header><h1>\(escape(heading))</h1>\n<p class=\"sub\">\(escape(request.settings.market)) · strategy "
        page += "<b>\(escape(request.script.name))</b> version <code>\(escape(request.script.version))</code> · "
        page += "\(result.trials.count) of \(result.planned) trials · \(escape(result.metric.rawValue)) (\(result.direction.rawValue))"
        page += result.cancelled ? " · <b>interrupted</b>" : ""
        page += "</p></header>\n"
        if let best = result.best {
            page += "<section><h2>Best</h2>\n<p>Trial \(best.index): <b>\(escape(paramsText(best.params)))</b> → "
            page += "\(escape(result.metric.rawValue)) <b>\(best.score(result.metric).map(number) ?? "–")</b>"
            page += result.windows.isEmpty ? "" : " (in-sample, last window)"
            page += "</p></section>\n"
        }
        let searchTrials = result.trials.filter { !$0.outOfSample && $0.window == (result.windows.isEmpty ? nil : result.windows.last?.window) }
        if result.parameterNames.count >= 2 {
            page += "<section><h2>Heatmap</h2>\n" + heatmap(searchTrials, result: result) + "</section>\n"
        } else if result.parameterNames.count == 1 {
            page +=
                "<section><h2>\(escape(result.metric.rawValue)) by \(escape(result.parameterNames[0]))</h2>\n" + bars(searchTrials, result: result)
                + "</section>\n"
        }
        if !result.windows.isEmpty { page += "<section><h2>Walk-forward</h2>\n" + windows(result) + "</section>\n" }
        page += "<section><h2>Trials</h2>\n" + trials(result) + "</section>\n"
        page += "</body>\n</html>\n"
        return page
    }

    // MARK: Charts

    /// Cells of the first two parameters; a cell is the best metric over the other parameters.
    static func heatmap(_ trials: [TrialResult], result: OptimizationResult) -> String {
        let escape = BacktestReport.escape
        let xName = result.parameterNames[0]
        let yName = result.parameterNames[1]
        let xs = ordered(trials.compactMap { $0.params[xName] })
        let ys = ordered(trials.compactMap { $0.params[yName] })
        var cells: [String: Double] = [:]
        for trial in trials {
            guard let score = trial.score(result.metric), let x = trial.params[xName], let y = trial.params[yName] else { continue }
            let key = "\(x.encoded())|\(y.encoded())"
            if let current = cells[key], !OptimizationMetric.better(score, than: current, result.direction) { continue }
            cells[key] = score
        }
        guard !xs.isEmpty, !ys.isEmpty, !cells.isEmpty else { return SVGChart.empty(height: 120, message: "no trial has a value") }
        let low = cells.values.min() ?? 0
        let high = cells.values.max() ?? 0
        let left = 70.0
        let top = 10.0
        let bottom = 40.0
        let cellWidth = min(80, (1000 - left - 10) / Double(xs.count))
        let cellHeight = min(36, max(12, 480 / Double(ys.count)))
        let height = top + cellHeight * Double(ys.count) + bottom
        let c = SVGChart.coordinate
        var body = ""
        for (row, y) in ys.reversed().enumerated() {
            let yPos = top + Double(row) * cellHeight
            body += "<text x=\"\(c(left - 6))\" y=\"\(c(yPos + cellHeight / 2 + 4))\" text-anchor=\"end\">\(escape(label(y)))</text>"
            for (column, x) in xs.enumerated() {
                let xPos = left + Double(column) * cellWidth
                let rect = "x=\"\(c(xPos))\" y=\"\(c(yPos))\" width=\"\(c(cellWidth - 1))\" height=\"\(c(cellHeight - 1))\""
                guard let value = cells["\(x.encoded())|\(y.encoded())"] else {
                    body += "<rect \(rect) fill=\"#f6f8fa\"><title>\(escape("\(xName)=\(label(x)) \(yName)=\(label(y)): no trial"))</title></rect>"
                    continue
                }
                var share = high > low ? (value - low) / (high - low) : 0.5
                if result.direction == .minimize { share = 1 - share }
                let title = "\(xName)=\(label(x)) \(yName)=\(label(y)): \(result.metric.rawValue) \(number(value))"
                body += "<rect \(rect) fill=\"\(colour(share))\"><title>\(escape(title))</title></rect>"
                if cellWidth >= 34, cellHeight >= 14 {
                    body +=
                        "<text x=\"\(c(xPos + cellWidth / 2))\" y=\"\(c(yPos + cellHeight / 2 + 4))\" text-anchor=\"middle\" class=\"v\">\(number(value))</text>"
                }
            }
        }
        let axisY = top + cellHeight * Double(ys.count)
        for (column, x) in xs.enumerated() {
            body += "<text x=\"\(c(left + (Double(column) + 0.5) * cellWidth))\" y=\"\(c(axisY + 14))\" text-anchor=\"middle\">\(escape(label(x)))</text>"
        }
        body += "<text x=\"\(c(left + cellWidth * Double(xs.count) / 2))\" y=\"\(c(axisY + 32))\" text-anchor=\"middle\" class=\"axis\">\(escape(xName))</text>"
        body +=
            "<text x=\"12\" y=\"\(c(top + cellHeight * Double(ys.count) / 2))\" class=\"axis\" transform=\"rotate(-90 12 \(c(top + cellHeight * Double(ys.count) / 2)))\" text-anchor=\"middle\">\(escape(yName))</text>"
        let legend =
            "<p class=\"legend\"><span style=\"background:\(colour(0))\"></span> worse · better <span style=\"background:\(colour(1))\"></span> "
            + "\(escape(result.metric.rawValue)) from \(number(low)) to \(number(high))"
            + (result.parameterNames.count > 2 ? "; each cell is the best over the other parameters" : "") + "</p>\n"
        return
            "<svg viewBox=\"0 0 1000 \(c(height))\" role=\"img\" aria-label=\"\(escape(result.metric.rawValue)) by \(escape(xName)) and \(escape(yName))\">\(body)</svg>\n"
            + legend
    }

    /// One parameter: a bar per value.
    static func bars(_ trials: [TrialResult], result: OptimizationResult) -> String {
        let escape = BacktestReport.escape
        let name = result.parameterNames[0]
        let points = trials.compactMap { trial in trial.score(result.metric).flatMap { score in trial.params[name].map { ($0, score) } } }
        guard !points.isEmpty else { return SVGChart.empty(height: 120, message: "no trial has a value") }
        let values = ordered(points.map(\.0))
        let scores = Dictionary(points.map { ($0.0.encoded(), $0.1) }, uniquingKeysWith: { a, _ in a })
        let low = min(0, scores.values.min() ?? 0)
        let high = max(0, scores.values.max() ?? 0)
        let left = 70.0
        let top = 10.0
        let plot = 220.0
        let width = (1000 - left - 10) / Double(values.count)
        let c = SVGChart.coordinate
        func y(_ v: Double) -> Double { high > low ? top + (high - v) / (high - low) * plot : top + plot / 2 }
        var body = "<line x1=\"\(c(left))\" x2=\"990\" y1=\"\(c(y(0)))\" y2=\"\(c(y(0)))\" stroke=\"#8c959f\"/>"
        for (index, value) in values.enumerated() {
            guard let score = scores[value.encoded()] else { continue }
            let x = left + Double(index) * width
            let top = min(y(score), y(0))
            let title = "\(name)=\(label(value)): \(result.metric.rawValue) \(number(score))"
            body +=
                "<rect x=\"\(c(x + 1))\" y=\"\(c(top))\" width=\"\(c(max(1, width - 2)))\" height=\"\(c(max(0.5, abs(y(score) - y(0)))))\" fill=\"#0969da\"><title>\(escape(title))</title></rect>"
            if values.count <= 40 {
                body += "<text x=\"\(c(x + width / 2))\" y=\"\(c(10 + plot + 16))\" text-anchor=\"middle\">\(escape(label(value)))</text>"
            }
        }
        body += "<text x=\"\(c(left - 6))\" y=\"\(c(y(high) + 4))\" text-anchor=\"end\">\(number(high))</text>"
        body += "<text x=\"\(c(left - 6))\" y=\"\(c(y(low) + 4))\" text-anchor=\"end\">\(number(low))</text>"
        return "<svg viewBox=\"0 0 1000 \(c(plot + 40))\" role=\"img\" aria-label=\"\(escape(result.metric.rawValue)) by \(escape(name))\">\(body)</svg>\n"
    }

    // MARK: Tables

    static func windows(_ result: OptimizationResult) -> String {
        let escape = BacktestReport.escape
        var html = "<table class=\"grid\"><thead><tr><th>Window</th><th>In-sample bars</th><th>From</th><th>To</th><th>Best</th>"
        html +=
            "<th>In-sample \(escape(result.metric.rawValue))</th><th>Out-of-sample \(escape(result.metric.rawValue))</th><th>Out-of-sample return %</th></tr></thead><tbody>\n"
        for window in result.windows {
            html += "<tr><td>\(window.window)</td><td>\(window.barsFrom)–\(window.barsTo - 1)</td>"
            html += "<td>\(window.fromTime.map { escape(UTCTime.iso8601($0)) } ?? "–")</td><td>\(window.toTime.map { escape(UTCTime.iso8601($0)) } ?? "–")</td>"
            html += "<td>\(window.best.map { escape(paramsText($0.params)) } ?? "–")</td>"
            html += "<td>\(window.best?.score(result.metric).map(number) ?? "–")</td>"
            html += "<td><b>\(window.outOfSample?.score(result.metric).map(number) ?? "–")</b></td>"
            html += "<td>\(window.outOfSample?.metrics[OptimizationMetric.returnPercent.rawValue].map(number) ?? "–")</td></tr>\n"
        }
        html += "</tbody></table>\n<p>Out-of-sample \(escape(result.metric.rawValue)): mean <b>\(result.meanOutOfSample.map(number) ?? "–")</b>; "
        html += "compounded out-of-sample return <b>\(result.compoundedOutOfSampleReturn.map(number) ?? "–")%</b>. "
        html += "Each window optimises on one segment of the bars and is scored on the next (rolling).</p>\n"
        return html
    }

    static func trials(_ result: OptimizationResult) -> String {
        let escape = BacktestReport.escape
        let metrics =
            [result.metric] + [OptimizationMetric.sharpe, .returnPercent, .maxDrawdownPercent, .winRatePercent, .trades].filter { $0 != result.metric }
        var html = "<table class=\"grid\"><thead><tr><th>Rank</th><th>Trial</th>"
        if !result.windows.isEmpty { html += "<th>Window</th><th>Sample</th>" }
        html += result.parameterNames.map { "<th>\(escape($0))</th>" }.joined()
        html += metrics.map { "<th>\(escape($0.rawValue))</th>" }.joined() + "<th>Error</th></tr></thead><tbody>\n"
        let ranked = result.ranked
        for (rank, trial) in ranked.prefix(maxRows).enumerated() {
            html += "<tr><td>\(rank + 1)</td><td>\(trial.index)</td>"
            if !result.windows.isEmpty { html += "<td>\(trial.window.map(String.init) ?? "")</td><td>\(trial.outOfSample ? "out" : "in")</td>" }
            html += result.parameterNames.map { "<td>\(escape(trial.params[$0].map(label) ?? ""))</td>" }.joined()
            html += metrics.map { "<td>\(trial.score($0).map(number) ?? "–")</td>" }.joined()
            html += "<td>\(escape(trial.error ?? ""))</td></tr>\n"
        }
        html += "</tbody></table>\n"
        if ranked.count > maxRows { html += "<p>The best \(maxRows) of \(ranked.count) trials.</p>\n" }
        return html
    }

    // MARK: Helpers

    /// Distinct values, numbers in numeric order, others in first-seen order.
    static func ordered(_ values: [JSONValue]) -> [JSONValue] {
        var seen: [JSONValue] = []
        for value in values where !seen.contains(value) { seen.append(value) }
        guard seen.allSatisfy({ $0.doubleValue != nil }) else { return seen }
        return seen.sorted { ($0.doubleValue ?? 0) < ($1.doubleValue ?? 0) }
    }

    static func label(_ value: JSONValue) -> String {
        switch value {
        case .integer(let i): return String(i)
        case .number(let d): return ReportNumber.fixed(d, decimals: d.rounded() == d ? 0 : 4, grouped: false)
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        default: return value.encoded()
        }
    }

    static func paramsText(_ params: [String: JSONValue]) -> String {
        params.keys.sorted().map { "\($0)=\(label(params[$0] ?? .null))" }.joined(separator: " ")
    }

    static func number(_ x: Double) -> String {
        ReportNumber.fixed(x, decimals: abs(x) >= 1000 ? 0 : 3)
    }

    /// From red (worse, 0) through pale yellow to green (better, 1).
    static func colour(_ share: Double) -> String {
        let t = share.isFinite ? min(max(share, 0), 1) : 0.5
        var r = 255.0
        var g = 240.0
        var b = 170.0
        if t < 0.5 {
            r = 215 + 40 * t * 2
            g = 48 + 192 * t * 2
            b = 39 + 131 * t * 2
        } else {
            r = 255 - 229 * (t - 0.5) * 2
            g = 240 - 88 * (t - 0.5) * 2
            b = 170 - 90 * (t - 0.5) * 2
        }
        func hex(_ v: Double) -> String {
            let n = Int(v.rounded())
            let digits = Array("0123456789abcdef")
            return String([digits[n / 16], digits[n % 16]])
        }
        return "#" + hex(r) + hex(g) + hex(b)
    }

    static let style = """
        body{font:14px/1.45 -apple-system,system-ui,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;padding:0 16px 40px;color:#1f2328}
        h1{font-size:22px;margin:18px 0 2px}h2{font-size:17px;margin:22px 0 8px}.sub{color:#57606a;margin:0}
        svg{width:100%;height:auto;font-size:11px;fill:#1f2328}svg .v{font-size:10px}svg .axis{font-size:12px;font-weight:600}
        table.grid{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
        .grid th,.grid td{border-bottom:1px solid #d0d7de;padding:3px 8px;text-align:right}.grid th{background:#f6f8fa}
        .legend span{display:inline-block;width:14px;height:10px;border:1px solid #d0d7de}
        """
}
