import Foundation
import Testing

@testable import StrataRuntime

/// Daily bars from 2024-01-01 of a deterministic walk around 100.
private func walk(_ count: Int, every step: Double = 86400) -> [Bar] {
    var price = 100.0
    var seed: UInt64 = 42
    return (0..<count).map { index in
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let open = price
        price = max(1, price * (1 + (Double(seed >> 11) / Double(1 << 53) - 0.5) * 0.02))
        return Bar(
            time: 1_704_067_200 + Double(index) * step, open: open, high: max(open, price) + 0.5,
            low: min(open, price) - 0.5, close: price, volume: 1_000)
    }
}

/// A result built by hand: a one-unit long trade opened every `every` bars and closed `hold` bars later.
private func result(_ bars: [Bar], tradeEvery every: Int, hold: Int) -> BacktestResult {
    var book = PositionBook()
    var equity: [Double] = []
    equity.reserveCapacity(bars.count)
    for (index, bar) in bars.enumerated() {
        if index % every == 0 { book.apply(signedQuantity: 1, price: bar.close, fee: 0.01, time: bar.time) }
        if index % every == hold { book.apply(signedQuantity: -1, price: bar.close, fee: 0.01, time: bar.time) }
        equity.append(100_000 + book.pnl(at: bar.close))
    }
    return BacktestResult(
        bars: bars, equity: equity, book: book, startingCash: 100_000, barsInMarket: bars.count / 2,
        orders: [], elapsed: .milliseconds(250), logLines: [])
}

private func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}

/// Buys on the 5th bar of every 20 and sells on the 15th: on 50 bars, two closed trades and one open.
private let everyTwentyBars = StrategyScript(
    name: "every_twenty",
    source: #"""
        CONFIG_SCHEMA = {}
        function init() return { n = 0 } end
        function on_tick(tick)
          state.n = state.n + 1
          if state.n % 20 == 5 then context.place_order{ side = "buy", qty = 1 } end
          if state.n % 20 == 15 then context.place_order{ side = "sell", qty = 1 } end
        end
        function render() return { widgets = {} } end
        """#)

@Suite struct BacktestReportTests {
    @Test func aBacktestPageHasTheMetricsTheChartsAndEveryTrade() throws {
        // Given a real backtest with two closed trades and one open
        var settings = Backtest.Settings()
        settings.limits = .testing
        let result = try Backtest(script: everyTwentyBars, bars: walk(50), settings: settings).run()
        #expect(result.closedTrades == 2 && result.openTrades == 1)
        // When it is reported
        let page = BacktestReport.html(result: result, strategy: everyTwentyBars, market: "GOOG")
        // Then the page holds the metrics, three charts, a row per trade and the markers
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        for label in [
            "Bars", "Closed trades", "Open trades", "Final equity", "Return", "Max drawdown",
            "Sharpe ratio", "Win rate", "Exposure", "Fees paid", "Orders", "Elapsed", "Bars per second",
        ] {
            #expect(page.contains("<th>\(label)</th>"))
        }
        #expect(page.contains("<th>Bars</th><td>50</td>"))
        #expect(page.contains("<th>Closed trades</th><td>2</td>"))
        #expect(page.contains("<th>Open trades</th><td>1</td>"))
        #expect(page.contains("<th>Final equity</th><td>\(ReportNumber.amount(result.finalEquity))</td>"))
        #expect(occurrences(of: "<svg", in: page) == 3)
        #expect(occurrences(of: "<tr class=\"trade\">", in: page) == 3)
        #expect(occurrences(of: "<td class=\"open\">open</td>", in: page) == 1)
        #expect(page.contains("2024-01-06"))  // the first fill: bar 6's open
        #expect(page.contains("<path class=\"entry\""))
        #expect(page.contains("<path class=\"exit\""))
        // And nothing runs or loads: no script, no URL
        #expect(!page.lowercased().contains("<script"))
        #expect(!page.lowercased().contains("http"))
    }

    @Test func textFromTheStrategyAndTheDataIsEscaped() {
        let strategy = StrategyScript(name: "<script>alert(1)</script>", source: "")
        let page = BacktestReport.html(
            result: result(walk(30), tradeEvery: 10, hold: 5), strategy: strategy,
            market: #"A&B "x" 'y'"#, title: "<img src=x onerror=alert(2)>")
        #expect(!page.lowercased().contains("<script"))
        #expect(!page.contains("<img"))
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.contains("A&amp;B &quot;x&quot; &#39;y&#39;"))
        #expect(page.contains("<h1>&lt;img src=x onerror=alert(2)&gt;</h1>"))
    }

    @Test func aCombiningMarkDoesNotHideAQuoteFromEscaping() {
        // "\"" followed by a combining acute accent is one Character, but still a raw quote in the bytes
        #expect(BacktestReport.escape("a\"\u{301} b=<\u{338}x&\u{301}") == "a&quot;\u{301} b=&lt;\u{338}x&amp;\u{301}")
    }

    @Test func aLongTradeListKeepsItsFirstAndLast500Rows() {
        let page = BacktestReport.html(
            result: result(walk(3_600), tradeEvery: 3, hold: 1),
            strategy: everyTwentyBars, market: "TEST/USD")
        #expect(occurrences(of: "<tr class=\"trade\">", in: page) == 1_000)
        #expect(page.contains("<td>500</td>") && !page.contains("<td>501</td>"))
        #expect(page.contains("<td>701</td>") && page.contains("<td>1200</td>"))
        #expect(page.contains("200 trades left out"))
    }

    @Test func aMillionBarsMakeASmallPage() {
        // Given a million minute bars and twenty thousand trades
        let big = result(walk(1_000_000, every: 60), tradeEvery: 50, hold: 20)
        // When reported
        let start = ContinuousClock.now
        let page = BacktestReport.html(result: big, strategy: everyTwentyBars, market: "BTC/USD")
        let elapsed = ContinuousClock.now - start
        // Then the page stays small: downsampled lines, thinned markers, a cut trade list
        #expect(page.utf8.count < 2_000_000)
        #expect(occurrences(of: "<svg", in: page) == 3)
        #expect(occurrences(of: "<tr class=\"trade\">", in: page) == 1_000)
        #expect(page.contains("19,000 trades left out"))
        print("1,000,000 bars: \(page.utf8.count) bytes in \(elapsed) (debug build)")
        #expect(elapsed < .seconds(20))
    }

    @Test func theSameResultGivesTheSamePage() {
        let bars = walk(500)
        let first = BacktestReport.html(result: result(bars, tradeEvery: 40, hold: 10), strategy: everyTwentyBars, market: "M")
        let second = BacktestReport.html(result: result(bars, tradeEvery: 40, hold: 10), strategy: everyTwentyBars, market: "M")
        #expect(first == second)
    }

    @Test func aRunWithoutBarsStillMakesAPage() {
        let empty = BacktestResult(
            bars: [], equity: [], book: PositionBook(), startingCash: 1_000, barsInMarket: 0,
            orders: [], elapsed: .zero, logLines: [])
        let page = BacktestReport.html(result: empty, strategy: everyTwentyBars, market: "M")
        #expect(occurrences(of: "<svg", in: page) == 3)
        #expect(page.contains("No trades."))
    }

    @Test func downsamplingKeepsSpikes() {
        var values = [Double](repeating: 1, count: 100_000)
        values[54_321] = 1_000
        values[77_777] = -1_000
        values[100] = .nan
        let points = SVGChart.downsample(times: values.indices.map(Double.init), values: values, buckets: 1_000)
        #expect(points.count <= 2_002)
        #expect(points.contains { $0 == (54_321, 1_000) } && points.contains { $0 == (77_777, -1_000) })
        #expect(points.first?.0 == 0 && points.last?.0 == 99_999)
        #expect(points.allSatisfy { $0.1.isFinite })
    }

    @Test func axisTicksAreRoundDatesAndValues() {
        let decades = SVGChart.timeTicks(1_092_873_600...1_704_067_200)  // 2004-08-19 to 2024-01-01
        #expect(decades.map(\.1) == ["2005", "2010", "2015", "2020"])
        let day = SVGChart.timeTicks(1_704_067_200...1_704_088_800)  // six hours
        #expect(day.map(\.1) == ["00:00", "01:00", "02:00", "03:00", "04:00", "05:00", "06:00"])
        let (ticks, step) = SVGChart.valueTicks(1.0812...1.0934)
        #expect(step == 0.002 || abs(step - 0.002) < 1e-12)
        #expect(ticks.map { ReportNumber.tick($0, step: step) } == ["1.082", "1.084", "1.086", "1.088", "1.090", "1.092"])
    }

    @Test func tradePricesKeepTheDecimalsOfTheData() {
        func bars(_ closes: [Double]) -> [Bar] {
            closes.enumerated().map {
                Bar(
                    time: Double($0.offset), open: $0.element, high: $0.element, low: $0.element,
                    close: $0.element, volume: 0)
            }
        }
        #expect(BacktestReport.priceDecimals(bars([100.34, 101.5, 99])) == 2)
        #expect(BacktestReport.priceDecimals(bars([1.08345, 1.0812])) == 5)
        #expect(BacktestReport.priceDecimals(bars([123.456789123])) == 2)  // adjusted prices: by magnitude
        #expect(BacktestReport.priceDecimals(bars([0.123456789])) == 6)
    }

    @Test func smallPercentagesKeepTwoSignificantDigits() {
        #expect(ReportNumber.percent(12.345) == "12.35 %")
        #expect(ReportNumber.percent(-0.0000712) == "-0.000071 %")
        #expect(ReportNumber.percent(0) == "0.00 %")
    }

    @Test(arguments: [
        (43_000.123, "43,000.12"), (123.456, "123.456"), (123.4, "123.40"), (1.08345, "1.08345"),
        (-0.000123, "-0.000123"), (100_000, "100,000.00"), (-1_234_567.891, "-1,234,567.89"), (-0.0000001, "0.00"),
    ])
    func amountsKeepDecimalsByMagnitude(_ value: Double, _ text: String) {
        #expect(ReportNumber.amount(value) == text)
    }
}
