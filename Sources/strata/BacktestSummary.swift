import Foundation
import StrataRuntime

/// The readable form of a backtest result.
enum BacktestSummary {
    static func text(_ result: BacktestResult, strategy: StrategyScript, market: String) -> String {
        func f(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }
        var lines = [
            "\(strategy.name) on \(market): \(result.bars.count) bars, \(result.closedTrades) closed trades, \(result.openTrades) open",
            "  final equity   \(f(result.finalEquity))   (return \(f(result.returnPercent))%)",
            "  max drawdown   \(f(result.maxDrawdownPercent))%",
            "  sharpe         \(f(result.sharpe, 3))",
            "  win rate       \(f(result.winRatePercent, 1))%   exposure \(f(result.exposurePercent, 1))%",
            "  fees paid      \(f(result.feesPaid))   orders \(result.orders.count)",
            "  speed          \(Int(result.barsPerSecond)) bars/s (\(f(result.elapsedSeconds, 3)) s)",
        ]
        let trades = result.trades
        if !trades.isEmpty {
            lines.append("  trades (first 10):")
            for trade in trades.prefix(10) {
                let exit = trade.exitTime.map { "\(UTCTime.iso8601($0)) @ \(f(trade.exitPrice ?? 0, 4))" } ?? "open"
                lines.append(
                    "    \(trade.side == .buy ? "long " : "short") \(UTCTime.iso8601(trade.entryTime)) @ \(f(trade.entryPrice, 4)) -> \(exit)  pnl \(f(trade.pnl))"
                )
            }
        }
        return lines.joined(separator: "\n")
    }

}
