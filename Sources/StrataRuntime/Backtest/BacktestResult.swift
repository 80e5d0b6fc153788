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
        var peak = startingCash
        var worst = 0.0
        for value in equity {
            peak = max(peak, value)
            if peak > 0 { worst = max(worst, (peak - value) / peak) }
        }
        return worst * 100
    }

    /// Annualised Sharpe ratio of per-bar returns (risk-free rate 0), with the number of bars
    /// per year taken from the data's own time span, so daily, hourly and monthly data all work.
    public var sharpe: Double {
        guard equity.count > 2, let first = bars.first?.time, let last = bars.last?.time, last > first else { return 0 }
        var previous = startingCash
        var returns: [Double] = []
        returns.reserveCapacity(equity.count)
        for value in equity {
            returns.append(previous != 0 ? value / previous - 1 : 0)
            previous = value
        }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
        guard variance > 0 else { return 0 }
        let barsPerYear = Double(bars.count - 1) / ((last - first) / (365.25 * 86_400))
        return mean / variance.squareRoot() * barsPerYear.squareRoot()
    }

    /// Share of closed trades with a positive PnL, in percent.
    public var winRatePercent: Double {
        guard closedTrades > 0 else { return 0 }
        return Double(book.closedTrades.filter { $0.pnl > 0 }.count) / Double(closedTrades) * 100
    }

    /// Share of bars that ended with a position, in percent.
    public var exposurePercent: Double {
        bars.isEmpty ? 0 : Double(barsInMarket) / Double(bars.count) * 100
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
        var object: [String: JSONValue] = [
            "strategy": .string(strategy.name), "version": .string(strategy.version),
            "bars": .integer(Int64(bars.count)),
            "trades": .array(trades.map(\.json)),
            "closed_trades": .integer(Int64(closedTrades)), "open_trades": .integer(Int64(openTrades)),
            "orders": .integer(Int64(orders.count)),
            "starting_cash": .number(startingCash), "final_equity": .number(finalEquity),
            "return_pct": .number(returnPercent), "max_drawdown_pct": .number(maxDrawdownPercent),
            "sharpe": .number(sharpe), "win_rate_pct": .number(winRatePercent),
            "exposure_pct": .number(exposurePercent), "fees_paid": .number(feesPaid),
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
