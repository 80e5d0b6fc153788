/// A backtest's equity curve thinned for a chart: at most `maxPoints` `[time, equity]` pairs
/// (Unix seconds), evenly spaced over the bars, the first and last bar always kept.
public enum EquityCurve {
    /// The default most points: plenty for a chart a few hundred pixels wide.
    public static let defaultMaxPoints = 500

    /// The points of `result`'s curve, as a JSON array of `[time, equity]` pairs.
    public static func json(_ result: BacktestResult, maxPoints: Int = defaultMaxPoints) -> JSONValue {
        let count = min(result.bars.count, result.equity.count)
        return .array(indices(count: count, maxPoints: maxPoints).map { .array([.number(result.bars[$0].time), .number(result.equity[$0])]) })
    }

    /// The indices kept of `count` points: all of them when they fit, else `maxPoints` evenly
    /// spaced ones from the first to the last.
    public static func indices(count: Int, maxPoints: Int) -> [Int] {
        guard count > 0, maxPoints > 0 else { return [] }
        guard count > maxPoints else { return Array(0..<count) }
        guard maxPoints > 1 else { return [count - 1] }
        let step = Double(count - 1) / Double(maxPoints - 1)
        return (0..<maxPoints).map { Int((Double($0) * step).rounded()) }
    }
}
