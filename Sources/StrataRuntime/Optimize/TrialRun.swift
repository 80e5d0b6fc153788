/// Runs one trial over its bars in this thread: the backtest of the trial's config on its
/// segment of the bars, made into a ``TrialResult`` (a script error is a failed trial).
public enum TrialRun {
    /// - Parameter progress: called every ``Backtest/progressInterval`` bars (a worker's sign of life).
    public static func run(
        _ spec: TrialSpec, bars: [Bar], script: StrategyScript, settings: Backtest.Settings, progress: ((Int) -> Void)? = nil
    ) -> TrialResult {
        let start = ContinuousClock.now
        let range = OptimizationPlan.range(segment: spec.segment ?? 0, of: spec.segments, count: bars.count)
        var result = TrialResult(spec: spec, barsFrom: range.lowerBound, barsTo: range.upperBound)
        if !range.isEmpty {
            result.fromTime = bars[range.lowerBound].time
            result.toTime = bars[range.upperBound - 1].time
        }
        var trialSettings = settings
        trialSettings.config = spec.config
        let slice = range.count == bars.count ? bars : Array(bars[range])
        do {
            let backtest = try Backtest(script: script, bars: slice, settings: trialSettings).run(progress: progress)
            result.metrics = OptimizationMetric.all(of: backtest)
        } catch {
            let where_ = error.barIndex.map { " (at bar \(range.lowerBound + $0 + 1))" } ?? ""
            result.error = "\(error.error.kind.rawValue) in \(error.error.phase.rawValue): \(error.error.message)\(where_)"
        }
        result.elapsedSeconds = (ContinuousClock.now - start).seconds
        return result
    }
}

extension Duration {
    /// The duration in seconds, as a double.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
