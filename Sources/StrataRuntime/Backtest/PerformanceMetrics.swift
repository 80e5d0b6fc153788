/// The numbers quants compare a run by — return, drawdown, Sharpe, win rate, exposure, fees and
/// trades — from an equity series and its round trips. One implementation for `strata backtest`
/// (a point per bar) and for a live instance's or account's recorded history (a point per
/// recording interval), so the two are comparable side by side.
public struct PerformanceMetrics: Sendable, Equatable {
    /// Equity before the first point (a backtest's starting cash).
    public var startEquity: Double
    /// Equity at the last point (`startEquity` without points).
    public var finalEquity: Double
    public var returnPercent: Double
    public var maxDrawdownPercent: Double
    public var sharpe: Double
    /// Share of closed round trips with a positive PnL, in percent.
    public var winRatePercent: Double
    /// Share of points with a position, in percent.
    public var exposurePercent: Double
    public var feesPaid: Double
    public var closedTrades: Int
    public var openTrades: Int

    /// Closed and open round trips.
    public var trades: Int { closedTrades + openTrades }

    /// - Parameters:
    ///   - start: equity before the first point.
    ///   - times: each point's time (Unix seconds), ascending; only the first and the last are read.
    ///   - equity: each point's equity.
    ///   - pointsInMarket: how many points had a position.
    ///   - trades: the round trips (open ones count as open trades, not in the win rate).
    ///   - fees: fees paid over the series.
    public init(start: Double, times: [Double], equity: [Double], pointsInMarket: Int, trades: [RoundTrip], fees: Double) {
        startEquity = start
        finalEquity = equity.last ?? start
        returnPercent = start != 0 ? (finalEquity / start - 1) * 100 : 0
        maxDrawdownPercent = Self.maxDrawdownPercent(start: start, equity: equity)
        sharpe = Self.sharpe(start: start, equity: equity, firstTime: times.first, lastTime: times.last)
        let closed = trades.filter { !$0.isOpen }
        closedTrades = closed.count
        openTrades = trades.count - closed.count
        winRatePercent = Self.winRatePercent(closed: closed)
        exposurePercent = Self.exposurePercent(pointsInMarket: pointsInMarket, of: equity.count)
        feesPaid = fees
    }

    /// Share of `closed` round trips with a positive PnL, in percent (0 without any).
    public static func winRatePercent(closed: [RoundTrip]) -> Double {
        closed.isEmpty ? 0 : Double(closed.filter { $0.pnl > 0 }.count) / Double(closed.count) * 100
    }

    /// Share of `count` points that had a position, in percent (0 without points).
    public static func exposurePercent(pointsInMarket: Int, of count: Int) -> Double {
        count == 0 ? 0 : Double(pointsInMarket) / Double(count) * 100
    }

    /// The largest fall from a peak of equity (`start` counts as the first peak), as a positive
    /// percentage of that peak.
    public static func maxDrawdownPercent(start: Double, equity: [Double]) -> Double {
        var peak = start
        var worst = 0.0
        for value in equity {
            peak = max(peak, value)
            if peak > 0 { worst = max(worst, (peak - value) / peak) }
        }
        return worst * 100
    }

    /// Annualised Sharpe ratio of per-point returns (risk-free rate 0; the first return is from
    /// `start`), with the points per year taken from the series' own time span, so daily,
    /// hourly and minute points all work. 0 with fewer than three points or no variance.
    public static func sharpe(start: Double, equity: [Double], firstTime: Double?, lastTime: Double?) -> Double {
        guard equity.count > 2, let first = firstTime, let last = lastTime, last > first else { return 0 }
        var previous = start
        var sum = 0.0
        var returns: [Double] = []
        returns.reserveCapacity(equity.count)
        for value in equity {
            let change = previous != 0 ? value / previous - 1 : 0
            returns.append(change)
            sum += change
            previous = value
        }
        let mean = sum / Double(returns.count)
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
        guard variance > 0 else { return 0 }
        let pointsPerYear = Double(equity.count - 1) / ((last - first) / (365.25 * 86_400))
        return mean / variance.squareRoot() * pointsPerYear.squareRoot()
    }

    /// The metrics as the API and `backtest --json` name them.
    public var json: [String: JSONValue] {
        [
            "start_equity": .number(startEquity), "final_equity": .number(finalEquity),
            "return_pct": .number(returnPercent), "max_drawdown_pct": .number(maxDrawdownPercent),
            "sharpe": .number(sharpe), "win_rate_pct": .number(winRatePercent),
            "exposure_pct": .number(exposurePercent), "fees_paid": .number(feesPaid),
            "trades": .integer(Int64(trades)), "closed_trades": .integer(Int64(closedTrades)),
            "open_trades": .integer(Int64(openTrades)),
        ]
    }
}
