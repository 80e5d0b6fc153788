/// What a backtest produced: the trades, the equity curve, and the metrics quants compare.
public struct BacktestResult: Sendable {
    public let bars: [Bar]
    /// Equity (cash + position at the close) after each bar.
    public let equity: [Double]
    public let book: PositionBook
    public let startingCash: Double
    public let barsInMarket: Int
    /// Every order, in the order placed: filled, cancelled, rejected, and those still open.
    public let orders: [Order]
    public let elapsed: Duration
    public let logLines: [LogLine]

    /// Round trips: the closed ones, then the open one if any.
    public var trades: [RoundTrip] { book.closedTrades + (book.openTrade.map { [$0] } ?? []) }
    public var closedTrades: Int { book.closedTrades.count }
    public var openTrades: Int { book.openTrade == nil ? 0 : 1 }
    public var finalEquity: Double { equity.last ?? startingCash }
    public var returnPercent: Double { (finalEquity / startingCash - 1) * 100 }
    public var feesPaid: Double { book.fees }

    /// The largest fall from a peak of equity, as a positive percentage of that peak.
    public var maxDrawdownPercent: Double {
        PerformanceMetrics.maxDrawdownPercent(start: startingCash, equity: equity)
    }

    /// Annualised Sharpe ratio of per-bar returns (risk-free rate 0), with the number of bars
    /// per year taken from the data's own time span, so daily, hourly and monthly data all work.
    public var sharpe: Double {
        PerformanceMetrics.sharpe(start: startingCash, equity: equity, firstTime: bars.first?.time, lastTime: bars.last?.time)
    }

    /// Share of closed trades with a positive PnL, in percent.
    public var winRatePercent: Double {
        PerformanceMetrics.winRatePercent(closed: book.closedTrades)
    }

    /// Share of bars that ended with a position, in percent.
    public var exposurePercent: Double {
        PerformanceMetrics.exposurePercent(pointsInMarket: barsInMarket, of: bars.count)
    }

    /// Every metric at once, computed as a live history's are (``PerformanceMetrics``).
    public var metrics: PerformanceMetrics {
        PerformanceMetrics(
            start: startingCash, times: bars.map(\.time), equity: equity, pointsInMarket: barsInMarket, trades: trades, fees: feesPaid)
    }

    public var elapsedSeconds: Double {
        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    public var barsPerSecond: Double {
        elapsedSeconds > 0 ? Double(bars.count) / elapsedSeconds : 0
    }
}

extension BacktestResult {
    /// The `--json` form. Everything but `elapsed_seconds` and `bars_per_second` is the same
    /// for the same inputs, byte for byte; `includeTiming: false` leaves those two out.
    public func json(strategy: StrategyScript, includeTiming: Bool = true) -> JSONValue {
        let metrics = self.metrics
        var object: [String: JSONValue] = [
            "strategy": .string(strategy.name), "version": .string(strategy.version),
            "bars": .integer(Int64(bars.count)),
            "trades": .array(trades.map(\.json)),
            "closed_trades": .integer(Int64(metrics.closedTrades)), "open_trades": .integer(Int64(metrics.openTrades)),
            "orders": .integer(Int64(orders.count)),
            "starting_cash": .number(startingCash), "final_equity": .number(metrics.finalEquity),
            "return_pct": .number(metrics.returnPercent), "max_drawdown_pct": .number(metrics.maxDrawdownPercent),
            "sharpe": .number(metrics.sharpe), "win_rate_pct": .number(metrics.winRatePercent),
            "exposure_pct": .number(metrics.exposurePercent), "fees_paid": .number(metrics.feesPaid),
        ]
        if includeTiming {
            object["elapsed_seconds"] = .number(elapsedSeconds)
            object["bars_per_second"] = .number(barsPerSecond.rounded())
        }
        return .object(object)
    }
}

extension RoundTrip {
    /// A trade as `backtest --json` prints it.
    public var json: JSONValue {
        let open = exitTime == nil || exitedQuantity < quantity - 1e-12
        return .object([
            "side": .string(side == .buy ? "long" : "short"),
            "entry_time": .string(UTCTime.iso8601(entryTime)), "entry_price": .number(entryPrice),
            "exit_time": open ? .null : .string(UTCTime.iso8601(exitTime ?? 0)),
            "exit_price": open ? .null : .number(exitPrice ?? 0),
            "qty": .number(quantity), "pnl": open ? .null : .number(pnl), "fees": .number(fees),
            "open": .bool(open),
        ])
    }
}
