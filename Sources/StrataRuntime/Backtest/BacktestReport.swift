/// The HTML report of a backtest (being written; this placeholder writes an empty page).
public enum BacktestReport {
    public static func html(result: BacktestResult, strategy: StrategyScript, market: String, title: String? = nil) -> String {
        "<!doctype html><title>\(strategy.name)</title>"
    }
}
