/// The `backtest --report` page: one self-contained HTML5 document with the metrics, the equity
/// curve, the price with the trades marked on it, the drawdown and the trade list.
///
/// Self-contained means no external resources and no JavaScript at all: inline CSS, and charts
/// as inline SVG drawn here. Long series are downsampled (keeping each bucket's extremes) and
/// long trade lists cut to both ends, so a million bars make a page of a few hundred kilobytes.
/// The same result gives the same page, byte for byte; the page holds no generation time.
public enum BacktestReport {
    /// Trade rows kept at each end of the list when it is longer than twice this.
    static let tradeRowsPerEnd = 500
    /// Buckets per chart line: at most about twice as many points.
    static let chartBuckets = 1_000

    /// The report page.
    /// - Parameters:
    ///   - result: what the backtest produced.
    ///   - strategy: the script that ran; its name and version head the page.
    ///   - market: the market the bars are from.
    ///   - title: the page's heading, "Backtest: NAME" when nil.
    public static func html(result: BacktestResult, strategy: StrategyScript, market: String, title: String? = nil) -> String {
        let trades = result.trades
        let heading = title ?? "Backtest: \(strategy.name)"
        var page = ""
        page.reserveCapacity(200_000)
        page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        page += "<title>\(escape(heading)) · \(escape(market))</title>\n<style>\(style)</style>\n</head>\n<body>\n"
        page += "<header><h1>\(escape(heading))</h1>\n<p class=\"sub\">\(escape(market)) · strategy "
        page += "<b>\(escape(strategy.name))</b> version <code>\(escape(strategy.version))</code></p></header>\n"
        page += "<section><h2>Metrics</h2>\n\(metricsTable(result))</section>\n"
        page += charts(result, trades: trades)
        page += "<section><h2>Trades</h2>\n\(tradeTable(trades, bars: result.bars))</section>\n"
        page += "</body>\n</html>\n"
        return page
    }

    /// Text made safe to place in HTML content or a quoted attribute. It goes by Unicode scalar,
    /// not by character: a combining mark after a quote makes one character that is not "\"".
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    // MARK: Tables

    private static func metricsTable(_ result: BacktestResult) -> String {
        let period =
            result.bars.isEmpty
            ? "–"
            : "\(date(result.bars[0].time)) – \(date(result.bars[result.bars.count - 1].time))"
        let returnPercent = result.returnPercent
        let cells: [(String, String, String?)] = [
            ("Bars", ReportNumber.integer(result.bars.count), nil),
            ("Period", period, nil),
            ("Orders", ReportNumber.integer(result.orders.count), nil),
            ("Closed trades", ReportNumber.integer(result.closedTrades), nil),
            ("Open trades", ReportNumber.integer(result.openTrades), nil),
            ("Win rate", ReportNumber.percent(result.winRatePercent), nil),
            ("Starting cash", ReportNumber.amount(result.startingCash), nil),
            ("Final equity", ReportNumber.amount(result.finalEquity), nil),
            ("Return", ReportNumber.percent(returnPercent), returnPercent > 0 ? "pos" : returnPercent < 0 ? "neg" : nil),
            ("Max drawdown", ReportNumber.percent(result.maxDrawdownPercent), nil),
            ("Sharpe ratio", ReportNumber.fixed(result.sharpe, decimals: 2), nil),
            ("Exposure", ReportNumber.percent(result.exposurePercent), nil),
            ("Fees paid", ReportNumber.amount(result.feesPaid), nil),
            ("Elapsed", ReportNumber.fixed(result.elapsedSeconds, decimals: 3) + " s", nil),
            ("Bars per second", ReportNumber.integer(Int(result.barsPerSecond.rounded())), nil),
        ]
        var table = "<table class=\"metrics\">\n"
        for row in Swift.stride(from: 0, to: cells.count, by: 3) {
            table += "<tr>"
            for (label, value, tone) in cells[row..<min(row + 3, cells.count)] {
                table += "<th>\(label)</th><td\(tone.map { " class=\"\($0)\"" } ?? "")>\(value)</td>"
            }
            table += "</tr>\n"
        }
        return table + "</table>\n"
    }

    private static func tradeTable(_ trades: [RoundTrip], bars: [Bar]) -> String {
        guard !trades.isEmpty else { return "<p class=\"note\">No trades.</p>\n" }
        // One number of decimals per column keeps the digits aligned.
        let decimals = priceDecimals(bars)
        func price(_ value: Double) -> String { ReportNumber.fixed(value, decimals: decimals) }
        // Daily data gets dates; anything finer gets times too.
        let dateOnly = trades.allSatisfy {
            $0.entryTime.truncatingRemainder(dividingBy: 86400) == 0
                && ($0.exitTime ?? 0).truncatingRemainder(dividingBy: 86400) == 0
        }
        func when(_ time: Double) -> String { dateOnly ? date(time) : dateAndTime(time) }
        var table =
            "<table class=\"trades\">\n<thead><tr><th>#</th><th>Side</th><th>Entry time</th><th>Entry price</th>"
            + "<th>Exit time</th><th>Exit price</th><th>Qty</th><th>PnL</th><th>Fees</th></tr></thead>\n<tbody>\n"
        let cut = trades.count > 2 * tradeRowsPerEnd
        let shown =
            cut
            ? Array(0..<tradeRowsPerEnd) + Array((trades.count - tradeRowsPerEnd)..<trades.count)
            : Array(trades.indices)
        for index in shown {
            if cut && index == trades.count - tradeRowsPerEnd {
                let left = trades.count - 2 * tradeRowsPerEnd
                table +=
                    "<tr class=\"gap\"><td colspan=\"9\">… \(ReportNumber.integer(left)) trades left out "
                    + "(the first and last \(tradeRowsPerEnd) of \(ReportNumber.integer(trades.count)) are shown) …</td></tr>\n"
            }
            let trade = trades[index]
            table += "<tr class=\"trade\"><td>\(index + 1)</td><td>\(trade.side == .buy ? "long" : "short")</td>"
            table += "<td>\(when(trade.entryTime))</td><td>\(price(trade.entryPrice))</td>"
            var pnl = trade.pnl
            var pnlNote = ""
            if trade.isOpen {
                table += "<td class=\"open\">open</td><td></td>"
                // An open trade's PnL is marked at the last close, as the final equity is.
                if let lastClose = bars.last?.close {
                    let remaining = trade.quantity - trade.exitedQuantity
                    pnl += (lastClose - trade.entryPrice) * remaining * (trade.side == .buy ? 1 : -1)
                    pnlNote = " title=\"unrealised, at the last close\""
                }
            } else {
                table += "<td>\(when(trade.exitTime ?? 0))</td><td>\(price(trade.exitPrice ?? 0))</td>"
            }
            let tone = pnl > 0 ? "pos" : pnl < 0 ? "neg" : ""
            table += "<td>\(ReportNumber.quantity(trade.quantity))</td>"
            table += "<td class=\"\(tone)\(trade.isOpen ? " open" : "")\"\(pnlNote)>\(price(pnl))</td>"
            table += "<td>\(ReportNumber.fixed(trade.fees, decimals: decimals + 2))</td></tr>\n"
        }
        return table + "</tbody>\n</table>\n"
    }

    /// The decimals the market's prices are quoted with, read from up to 1,000 closes spread over
    /// the data (at least 2); by magnitude when the data carries more than 6.
    static func priceDecimals(_ bars: [Bar]) -> Int {
        guard let last = bars.last?.close else { return 2 }
        var needed = 2
        for index in Swift.stride(from: 0, to: bars.count, by: max(1, bars.count / 1_000)) where bars[index].close.isFinite {
            let close = abs(bars[index].close)
            guard
                let fitting = (needed...6).first(where: { decimals in
                    var scaled = close
                    for _ in 0..<decimals { scaled *= 10 }
                    return abs(scaled - scaled.rounded()) <= 1e-10 * max(1, scaled)
                })
            else {
                return abs(last) >= 100 ? 2 : abs(last) >= 1 ? 4 : 6
            }
            needed = fitting
        }
        return needed
    }

    private static func counted(_ count: Int, _ one: String, _ many: String) -> String {
        "\(ReportNumber.integer(count)) \(count == 1 ? one : many)"
    }

    private static func date(_ time: Double) -> String {
        String(UTCTime.iso8601(time).prefix(10))
    }

    private static func dateAndTime(_ time: Double) -> String {
        let text = UTCTime.iso8601(time)
        return String(text.prefix(10)) + " " + String(text.dropFirst(11).prefix(8))
    }

    // MARK: Charts

    /// The three charts, on one shared time axis so they line up down the page.
    private static func charts(_ result: BacktestResult, trades: [RoundTrip]) -> String {
        let count = min(result.bars.count, result.equity.count)
        guard count > 0 else {
            return ["Equity", "Price and trades", "Drawdown"].map {
                "<section><h2>\($0)</h2>\n\(SVGChart.empty(height: 160, message: "No bars."))</section>\n"
            }.joined()
        }
        var times = [Double]()
        var closes = [Double]()
        var drawdown = [Double]()
        times.reserveCapacity(count)
        closes.reserveCapacity(count)
        drawdown.reserveCapacity(count)
        var peak = result.startingCash
        for index in 0..<count {
            let bar = result.bars[index]
            let equity = result.equity[index]
            times.append(bar.time)
            closes.append(bar.close)
            peak = max(peak, equity)
            drawdown.append(peak > 0 ? (equity / peak - 1) * 100 : 0)
        }
        let span = SVGChart.domain(times, padding: 0)
        var html = ""

        let equityLine = SVGChart.downsample(times: times, values: result.equity, buckets: chartBuckets)
        var equity = SVGChart(
            height: 300, times: span,
            values: SVGChart.domain(equityLine.map(\.1) + [result.startingCash]))
        equity.axes { value, step in ReportNumber.tick(value, step: step) }
        equity.rule(at: result.startingCash, class: "start")
        equity.line(equityLine, class: "equity")
        html += "<section><h2>Equity</h2>\n\(equity.svg(label: "Equity curve"))"
        html += "<p class=\"note\">Cash plus the position at each close; dashed: the starting cash.</p></section>\n"

        let priceLine = SVGChart.downsample(times: times, values: closes, buckets: chartBuckets)
        let entries = trades.map { ($0.entryTime, $0.entryPrice) }
        let exits = trades.compactMap { trade in trade.exitTime.flatMap { time in trade.exitPrice.map { (time, $0) } } }
        var price = SVGChart(
            height: 360, times: span,
            values: SVGChart.domain(priceLine.map(\.1) + entries.map(\.1) + exits.map(\.1)))
        price.axes { value, step in ReportNumber.tick(value, step: step) }
        price.line(priceLine, class: "price")
        let entriesDrawn = price.markers(entries, pointingUp: true, class: "entry")
        let exitsDrawn = price.markers(exits, pointingUp: false, class: "exit")
        html += "<section><h2>Price and trades</h2>\n\(price.svg(label: "Close price with trade entries and exits"))"
        html += "<p class=\"note\">Close price; <span class=\"key-entry\">▲ entry</span>, <span class=\"key-exit\">▼ exit</span>"
        html += " at the fill price. \(counted(entries.count, "entry", "entries")), \(counted(exits.count, "exit", "exits"))"
        if entriesDrawn < entries.count || exitsDrawn < exits.count {
            html += " (\(ReportNumber.integer(entriesDrawn + exitsDrawn)) markers drawn: those that overlap or crowd are left out)"
        }
        html += ".</p></section>\n"

        let drawdownLine = SVGChart.downsample(times: times, values: drawdown, buckets: chartBuckets)
        let deepest = drawdownLine.map(\.1).min() ?? 0
        var fall = SVGChart(height: 200, times: span, values: (deepest < 0 ? deepest * 1.05 : -1)...0)
        fall.axes { value, step in ReportNumber.tick(value, step: step) + " %" }
        fall.area(drawdownLine, baseline: 0, class: "drawdown")
        html += "<section><h2>Drawdown</h2>\n\(fall.svg(label: "Drawdown below the running peak of equity"))"
        html += "<p class=\"note\">Equity below its running peak, in percent.</p></section>\n"
        return html
    }

    // MARK: Page style

    private static let style = """

        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;background:#fff;\
        max-width:1100px;margin:0 auto;padding:24px}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px}
        .sub,.note{color:#57606a;margin:4px 0}code{font-size:12px}
        table{border-collapse:collapse;font-variant-numeric:tabular-nums}
        .metrics th{text-align:left;font-weight:normal;color:#57606a;padding:4px 10px 4px 0}
        .metrics td{text-align:right;font-weight:600;padding:4px 36px 4px 0}
        .trades{width:100%;font-size:13px}
        .trades th,.trades td{padding:3px 8px;border-bottom:1px solid #eaeef2;text-align:right;white-space:nowrap}
        .trades th{background:#f6f8fa;position:sticky;top:0}
        .trades td:nth-child(2),.trades th:nth-child(2){text-align:left}
        .trades .gap td{text-align:center;color:#57606a;font-style:italic;background:#f6f8fa}
        .pos{color:#1a7f37}.neg{color:#cf222e}.open{font-style:italic}
        svg{display:block;width:100%;height:auto}svg text{font-size:12px;fill:#57606a}
        .grid{stroke:#eaeef2}.frame{fill:none;stroke:#d0d7de}
        .equity,.price{fill:none;stroke-width:1.4;stroke-linejoin:round}
        .equity{stroke:#0969da}.price{stroke:#424a53}.start{stroke:#8c959f;stroke-dasharray:4 4}
        .drawdown{fill:#cf222e2e;stroke:#cf222e;stroke-width:1;stroke-linejoin:round}
        .entry{fill:#1a7f37}.exit{fill:#cf222e}.entry,.exit{stroke:#fff;stroke-width:.6}
        .key-entry{color:#1a7f37}.key-exit{color:#cf222e}

        """
}
