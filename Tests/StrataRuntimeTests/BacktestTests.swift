import Foundation
import Testing

@testable import StrataRuntime

/// Backtests on the shared market data and on small hand-made bars, with real Lua states.
@Suite struct BacktestTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let dataDirectory = repoRoot.appendingPathComponent("data")

    static func script(_ path: String) throws -> StrategyScript {
        let url = repoRoot.appendingPathComponent(path)
        return StrategyScript.file(url, source: try String(contentsOf: url, encoding: .utf8))
    }

    static func bars(_ file: String) throws -> [Bar] {
        try BarCSVReader.read(path: dataDirectory.appendingPathComponent(file).path)
    }

    func settings(_ fill: PaperBroker.FillModel = .nextOpen, config: [String: JSONValue] = [:]) -> Backtest.Settings {
        var settings = Backtest.Settings()
        settings.broker.fillModel = fill
        settings.config = config
        settings.limits = .testing
        return settings
    }

    /// Daily bars whose closes are `closes`, opening at the previous close.
    func bars(closes: [Double]) -> [Bar] {
        var previous = closes.first ?? 1
        return closes.enumerated().map { index, close in
            defer { previous = close }
            return Bar(
                time: 1_600_000_000 + Double(index) * 86_400, open: previous,
                high: max(previous, close) + 0.5, low: min(previous, close) - 0.5, close: close, volume: 1)
        }
    }

    static let buyOnceScript = StrategyScript(
        name: "buy_once",
        source: """
            CONFIG_SCHEMA = {}
            function init() return { n = 0 } end
            function on_tick(tick)
              state.n = state.n + 1
              if state.n == 2 then context.place_order{ side = "buy", qty = 1 } end
              if state.n == 4 then context.place_order{ side = "sell", qty = 1 } end
            end
            function render() return { widgets = {} } end
            """)

    @Test func nextOpenFillsAtTheFollowingBarsOpenAndCloseFillsAtOnce() throws {
        let data = bars(closes: [10, 11, 12, 13, 14, 15])
        let nextOpen = try Backtest(script: Self.buyOnceScript, bars: data, settings: settings(.nextOpen)).run()
        // Bought while handling bar 2 (close 11): filled at bar 3's open (11); sold on bar 4 → bar 5's open (13).
        #expect(nextOpen.trades.count == 1)
        #expect(nextOpen.trades[0].entryPrice == 11)
        #expect(nextOpen.trades[0].exitPrice == 13)
        #expect(nextOpen.trades[0].pnl == 2)
        let atClose = try Backtest(script: Self.buyOnceScript, bars: data, settings: settings(.immediate)).run()
        #expect(atClose.trades[0].entryPrice == 11)
        #expect(atClose.trades[0].exitPrice == 13)
        #expect(atClose.trades[0].entryTime == data[1].time)
        #expect(nextOpen.trades[0].entryTime == data[2].time)
    }

    @Test func metricsFollowTheEquityCurve() throws {
        let data = bars(closes: [10, 11, 12, 13, 11, 15])
        var s = settings(.immediate)
        s.broker.startingCash = 1_000
        let result = try Backtest(script: Self.buyOnceScript, bars: data, settings: s).run()
        #expect(result.finalEquity == 1_002)
        #expect(abs(result.returnPercent - 0.2) < 1e-9)
        #expect(result.closedTrades == 1)
        #expect(result.winRatePercent == 100)
        #expect(abs(result.exposurePercent - 100.0 / 3) < 1e-9)  // long at the close of bars 2 and 3 of 6
        #expect(result.maxDrawdownPercent == 0)
        #expect(result.equity.count == data.count)
    }

    @Test func feesAreCharged() throws {
        var s = settings(.immediate)
        s.broker.feeBps = 100
        let result = try Backtest(script: Self.buyOnceScript, bars: bars(closes: [10, 11, 12, 13, 14]), settings: s).run()
        #expect(abs(result.feesPaid - (0.11 + 0.13)) < 1e-12)
        #expect(abs(result.trades[0].pnl - (2 - 0.24)) < 1e-12)
    }

    @Test func aScriptErrorStopsTheRunWithTheBar() throws {
        let broken = StrategyScript(
            name: "broken",
            source: """
                CONFIG_SCHEMA = {}
                function init() return { n = 0 } end
                function on_tick(tick) state.n = state.n + 1; if state.n == 3 then error("bad bar") end end
                function render() return { widgets = {} } end
                """)
        do {
            _ = try Backtest(script: broken, bars: bars(closes: [1, 2, 3, 4]), settings: settings()).run()
            Issue.record("the run should have failed")
        } catch {
            #expect(error.barIndex == 2)
            #expect(error.error.message.contains("bad bar"))
            #expect(error.error.traceback != nil)
        }
    }

    @Test func theSameInputsGiveByteIdenticalJSON() throws {
        let random = StrategyScript(
            name: "random",
            source: """
                CONFIG_SCHEMA = {}
                function init() return {} end
                function on_tick(tick)
                  if math.random() < 0.2 then
                    context.place_order{ side = context.get_position() > 0 and "sell" or "buy", qty = 1 }
                  end
                end
                function render() return { widgets = {} } end
                """)
        let data = try Self.bars("GOOG.csv")
        let first = try Backtest(script: random, bars: data, settings: settings()).run()
        let second = try Backtest(script: random, bars: data, settings: settings()).run()
        #expect(first.closedTrades > 10)
        #expect(first.json(strategy: random, includeTiming: false).encoded() == second.json(strategy: random, includeTiming: false).encoded())
    }

    @Test func theReferenceSMARuleTradesTheSharedFilesLikeThePeers() throws {
        // Counts established with backtesting.py and backtrader (tools/peers/compare.sh).
        let expected = ["GOOG.csv": (19, 1), "EURUSD.csv": (54, 0), "BTCUSD.csv": (0, 1)]
        let script = try Self.script("tools/peers/sma_reference.lua")
        for (file, (closed, open)) in expected {
            let result = try Backtest(script: script, bars: try Self.bars(file), settings: settings()).run()
            #expect(result.closedTrades == closed, "\(file)")
            #expect(result.openTrades == open, "\(file)")
        }
    }

    @Test(arguments: ["sma_cross", "bollinger_reversion", "breakout"])
    func everyExampleStrategyBacktestsOnTheSharedData(name: String) throws {
        let script = try Self.script("strategies-lua/\(name).lua")
        for file in ["GOOG.csv", "EURUSD.csv"] {
            let result = try Backtest(script: script, bars: try Self.bars(file), settings: settings()).run()
            #expect(result.bars.count > 2_000)
            #expect(result.closedTrades > 0, "\(name) on \(file)")
            #expect(result.finalEquity.isFinite)
        }
    }
}
