import Foundation
import StrataPersistence
import StrataRuntime
import Testing

@testable import StrataEngine

/// A live engine trading sma_cross on a paper account, its equity recorded in a real SQLite
/// file, and the metrics read back from that history and the stored fills: the same numbers
/// `strata backtest` gives for the same bars and fills.
@Suite struct EnginePerformanceTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-performance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    static let config: [String: JSONValue] = ["fast": .integer(5), "slow": .integer(20)]

    static func bars() throws -> [Bar] {
        Array(try BarCSVReader.read(path: LivePerformanceTests.root.appendingPathComponent("data/EURUSD.csv").path).prefix(1_200))
    }

    static func close(_ a: Double, _ b: Double) -> Bool {
        abs(a - b) <= 1e-9 * max(1, abs(a), abs(b))
    }

    @Test func theRecordedHistoryGivesTheBacktestsMetrics() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let bars = try Self.bars()
        var limits = StrategyLimits()
        limits.tickDeadline = .seconds(10)
        limits.loadDeadline = .seconds(20)
        var settings = PaperBroker.Settings.live
        settings.feeBps = 5

        // Given an active sma_cross on EUR/USD, its equity recorded once an hour (a point per bar)
        let store = try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
        let identity = InstanceIdentity(id: "live", strategyType: "sma_cross", account: "paper", market: "EUR/USD")
        try store.createInstance(identity, mode: .active, config: Self.config, actor: .cli)
        let library = StrategyLibrary(directory: LivePerformanceTests.root.appendingPathComponent("strategies-lua"), limits: limits)
        let engine = Engine(store: store, library: library, broker: PaperBroker(settings: settings), limits: limits, workers: 1)
        engine.equityPolicy = try EquityHistoryPolicy(tiers: [.init(interval: 3_600, retention: nil)])
        try engine.reconcile()

        // When every bar is a tick, as the loop steps
        for bar in bars {
            engine.tick(bar.tick(market: identity.market))
            try engine.flushActivity()
            engine.recordEquity()
        }
        engine.flushEquity()

        // Then the history and the fills give the backtest's metrics (filling at the close, same fee)
        let points = try store.equityPoints(scope: .instance, name: "live", from: -.infinity, to: .infinity).points
        #expect(points.count == bars.count)
        let missing = Set(bars.map(\.time)).subtracting(points.map(\.t))
        #expect(missing.isEmpty, "\(missing.sorted().prefix(5)) first bar \(bars[0].time) last \(bars.last!.time)")
        let fills = try store.fillsSinceReset(instanceID: "live", limit: 100_000)
        let live = LivePerformance(
            points: points.map { .init(time: $0.t, equity: $0.equity, position: $0.position) }, start: settings.startingCash,
            fills: fills, from: nil, to: nil)
        var backtestSettings = Backtest.Settings()
        backtestSettings.market = identity.market
        backtestSettings.broker.fillModel = .immediate
        backtestSettings.broker.feeBps = 5
        backtestSettings.config = Self.config
        backtestSettings.limits = limits
        let backtest = try Backtest(script: library.current["sma_cross"]!, bars: bars, settings: backtestSettings).run().metrics
        #expect(backtest.closedTrades > 5, "the fixture should trade")
        #expect(live.metrics.closedTrades == backtest.closedTrades && live.metrics.openTrades == backtest.openTrades)
        #expect(live.metrics.exposurePercent == backtest.exposurePercent)
        #expect(live.metrics.winRatePercent == backtest.winRatePercent)
        #expect(Self.close(live.metrics.feesPaid, backtest.feesPaid))
        #expect(Self.close(live.metrics.finalEquity, backtest.finalEquity))
        #expect(Self.close(live.metrics.returnPercent, backtest.returnPercent))
        #expect(Self.close(live.metrics.maxDrawdownPercent, backtest.maxDrawdownPercent))
        #expect(Self.close(live.metrics.sharpe, backtest.sharpe))
    }
}
