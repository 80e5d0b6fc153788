import Foundation
import StrataRuntime
import Testing

@testable import StrataEngine

/// Live performance over recorded points and stored fills, against `strata backtest`'s own
/// numbers for the same fills: one implementation, so the two agree to the last bit.
@Suite struct LivePerformanceTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A backtest of sma_cross on hourly EUR/USD, filling at the close with a fee, and what a
    /// live engine would have recorded for it: a point per bar and a fill per filled order.
    static func backtestAndRecording() throws -> (BacktestResult, [LivePerformance.Point], [FillRecord]) {
        let url = root.appendingPathComponent("strategies-lua/sma_cross.lua")
        let script = StrategyScript.file(url, source: try String(contentsOf: url, encoding: .utf8))
        let bars = Array(try BarCSVReader.read(path: root.appendingPathComponent("data/EURUSD.csv").path).prefix(1_500))
        var settings = Backtest.Settings()
        settings.broker.fillModel = .immediate
        settings.broker.feeBps = 5
        settings.config = ["fast": .integer(5), "slow": .integer(20)]
        settings.limits.loadDeadline = .seconds(20)
        settings.limits.tickDeadline = .seconds(10)
        let result = try Backtest(script: script, bars: bars, settings: settings).run()
        let fills = result.orders.compactMap(Engine.fill(of:))
        var points: [LivePerformance.Point] = []
        var position = 0.0
        var next = 0
        for (index, bar) in bars.enumerated() {
            while next < fills.count, fills[next].time <= bar.time {
                position += fills[next].side == .buy ? fills[next].quantity : -fills[next].quantity
                next += 1
            }
            points.append(.init(time: bar.time, equity: result.equity[index], position: position))
        }
        return (result, points, fills)
    }

    @Test func theWholeHistoryGivesTheBacktestsMetricsAndRoundTrips() throws {
        let (result, points, fills) = try Self.backtestAndRecording()
        #expect(result.closedTrades > 5, "the fixture should trade")
        let live = LivePerformance(points: points, start: result.startingCash, fills: fills, from: nil, to: nil)
        #expect(live.metrics == result.metrics)
        #expect(live.roundTrips.map(\.roundTrip) == result.trades)
        #expect(live.roundTrips.allSatisfy { $0.instanceID == "backtest" && $0.market == "TEST/USD" })
        #expect(live.byInstance.count == 1 && live.byMarket.count == 1)
        let closedPnL = result.book.closedTrades.reduce(0) { $0 + $1.pnl }
        #expect(abs(live.byInstance[0].pnl - closedPnL) < 1e-9)
    }

    @Test func aWindowKeepsTheTripsItOverlapsAndTheFeesPaidInIt() throws {
        let (result, points, fills) = try Self.backtestAndRecording()
        let from = points[500].time
        let to = points[900].time
        let window = points.filter { $0.time >= from && $0.time <= to }
        let live = LivePerformance(points: window, start: points[499].equity, fills: fills, from: from, to: to)
        #expect(live.metrics.startEquity == points[499].equity)
        #expect(live.metrics.finalEquity == points[900].equity)
        for trip in live.roundTrips.map(\.roundTrip) {
            #expect(trip.entryTime <= to)
            #expect(trip.isOpen || (trip.exitTime ?? 0) >= from)
        }
        let outside = result.trades.filter { ($0.exitTime ?? .infinity) < from || $0.entryTime > to }
        #expect(live.roundTrips.count + outside.count == result.trades.count)
        let fees = fills.filter { $0.time >= from && $0.time <= to }.reduce(0) { $0 + $1.fee }
        #expect(live.metrics.feesPaid == fees)
    }

    @Test func noPointsAndNoFillsAreZerosNotErrors() {
        let live = LivePerformance(points: [], start: 1_000, fills: [], from: 10, to: 5)
        #expect(live.metrics.finalEquity == 1_000)
        #expect(live.metrics.returnPercent == 0)
        #expect(live.metrics.sharpe == 0)
        #expect(live.metrics.exposurePercent == 0)
        #expect(live.roundTrips.isEmpty)
        let zero = LivePerformance(points: [.init(time: 1, equity: 0, position: 0)], start: 0, fills: [], from: nil, to: nil)
        #expect(zero.metrics.returnPercent == 0 && zero.metrics.maxDrawdownPercent == 0)
    }
}
