import Foundation

/// A backtest: the very runtime, sandbox and limits of a live instance, on a simulated clock,
/// trading through a paper broker, one bar at a time.
public struct Backtest {
    /// What the run trades with and how orders fill.
    public struct Settings: Sendable {
        public var market = "TEST/USD"
        public var config: [String: JSONValue] = [:]
        public var broker = PaperBroker.Settings()
        public var limits = StrategyLimits.standard

        public init() {
            broker.fillModel = .nextOpen
        }
    }

    public var script: StrategyScript
    public var bars: [Bar]
    public var settings: Settings

    public init(script: StrategyScript, bars: [Bar], settings: Settings = Settings()) {
        self.script = script
        self.bars = bars
        self.settings = settings
    }

    /// Bars between two calls of `run`'s `progress`.
    public static let progressInterval = 64

    /// Runs every bar through `on_tick`. `progress` is called every ``progressInterval`` bars
    /// with the bars done (a worker process tells its supervisor it is alive through it).
    /// - Throws: `BacktestFailure`: the script's error, with the bar it happened on.
    public func run(progress: ((Int) -> Void)? = nil) throws(BacktestFailure) -> BacktestResult {
        let start = ContinuousClock.now
        let broker = PaperBroker(settings: settings.broker)
        let identity = InstanceIdentity(id: "backtest", strategyType: script.name, account: "backtest", market: settings.market)
        let instance: StrategyInstance
        do {
            instance = try StrategyInstance(
                identity: identity, script: script, mode: .active, config: settings.config,
                broker: broker, limits: settings.limits)
        } catch {
            throw BacktestFailure(error: error, barIndex: nil, barTime: nil)
        }
        var equity: [Double] = []
        equity.reserveCapacity(bars.count)
        var barsInMarket = 0
        // Position and cash change only with fills; reading them is a dictionary lookup each.
        var seenFills = -1
        var position = 0.0
        var cash = settings.broker.startingCash
        for (index, bar) in bars.enumerated() {
            let tick = bar.tick(market: settings.market)
            broker.marketMoved(tick)
            do {
                try instance.tick(tick)
            } catch {
                throw BacktestFailure(error: error, barIndex: index, barTime: bar.time)
            }
            if broker.fillCount != seenFills {
                seenFills = broker.fillCount
                position = broker.position(for: identity)
                cash = broker.cash(of: identity.account)
            }
            if position != 0 { barsInMarket += 1 }
            equity.append(cash + position * bar.close)
            if let progress, (index + 1) % Self.progressInterval == 0 { progress(index + 1) }
        }
        progress?(bars.count)
        let elapsed = ContinuousClock.now - start
        return BacktestResult(
            bars: bars, equity: equity, book: broker.book(for: identity.id),
            startingCash: settings.broker.startingCash, barsInMarket: barsInMarket,
            orders: broker.history + broker.openOrders(for: identity), elapsed: elapsed,
            logLines: Array(instance.log.lines))
    }
}

/// A backtest stopped by its script: the error, and the bar it happened on.
public struct BacktestFailure: Error, Sendable {
    public var error: StrategyError
    /// The 0-based index of the bar, nil when loading failed.
    public var barIndex: Int?
    public var barTime: Double?
}
