/// A figure of a backtest an optimization ranks its trials by.
public enum OptimizationMetric: String, Sendable, CaseIterable {
    case sharpe
    case returnPercent = "return_pct"
    case maxDrawdownPercent = "max_drawdown_pct"
    case winRatePercent = "win_rate_pct"
    case exposurePercent = "exposure_pct"
    case trades
    case finalEquity = "final_equity"
    case fees
    case profitFactor = "profit_factor"

    /// Which way is better.
    public enum Direction: String, Sendable {
        case maximize
        case minimize
    }

    /// Better is lower for drawdown and fees, higher for the rest.
    public var defaultDirection: Direction {
        self == .maxDrawdownPercent || self == .fees ? .minimize : .maximize
    }

    /// The metric called `name`, or an error listing the names.
    public static func named(_ name: String) throws(OptimizationError) -> OptimizationMetric {
        guard let metric = OptimizationMetric(rawValue: name) else {
            throw OptimizationError("unknown metric '\(name)' (choose from \(allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return metric
    }

    /// The metric's value for `result`; profit factor is gross profit / gross loss of the
    /// closed trades (nil when no trade lost, which has no finite factor).
    public func value(of result: BacktestResult) -> Double? {
        switch self {
        case .sharpe: return result.sharpe
        case .returnPercent: return result.returnPercent
        case .maxDrawdownPercent: return result.maxDrawdownPercent
        case .winRatePercent: return result.winRatePercent
        case .exposurePercent: return result.exposurePercent
        case .trades: return Double(result.closedTrades)
        case .finalEquity: return result.finalEquity
        case .fees: return result.feesPaid
        case .profitFactor:
            let pnls = result.book.closedTrades.map(\.pnl)
            let loss = -pnls.filter { $0 < 0 }.reduce(0, +)
            guard loss > 0 else { return nil }
            return pnls.filter { $0 > 0 }.reduce(0, +) / loss
        }
    }

    /// Every metric of `result` by name (those without a finite value left out).
    public static func all(of result: BacktestResult) -> [String: Double] {
        var metrics: [String: Double] = [:]
        for metric in allCases {
            if let value = metric.value(of: result), value.isFinite { metrics[metric.rawValue] = value }
        }
        return metrics
    }

    /// True when `a` is better than `b` in `direction`.
    public static func better(_ a: Double, than b: Double, _ direction: Direction) -> Bool {
        direction == .maximize ? a > b : a < b
    }
}
