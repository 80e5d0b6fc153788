/// What an optimization found: every trial, the best, and with walk-forward each window's
/// in-sample best beside its out-of-sample score (the honest number).
public struct OptimizationResult: Sendable {
    /// One walk-forward window.
    public struct Window: Sendable, Equatable {
        public var window: Int
        /// The in-sample best (nil when every trial of the window failed).
        public var best: TrialResult?
        /// That best on the next segment (nil when it did not run).
        public var outOfSample: TrialResult?
        /// The in-sample bars (indices and times of the segment).
        public var barsFrom = 0
        public var barsTo = 0
        public var fromTime: Double?
        public var toTime: Double?
    }

    public var metric: OptimizationMetric
    public var direction: OptimizationMetric.Direction
    /// Every trial that finished, by index (search trials, then out-of-sample ones).
    public var trials: [TrialResult]
    /// The best trial: without walk-forward the best over all bars; with it, the last
    /// window's in-sample best (the parameters one would trade next).
    public var best: TrialResult?
    public var windows: [Window] = []
    /// Trials the plan had (out-of-sample ones included).
    public var planned: Int
    /// The swept parameters, in the space's order (the report's heatmap takes the first two).
    public var parameterNames: [String] = []
    public var cancelled = false
    public var elapsedSeconds = 0.0

    public var failed: Int { trials.filter { !$0.ok }.count }
    public var succeeded: Int { trials.count - failed }

    /// Mean of the windows' out-of-sample metric.
    public var meanOutOfSample: Double? {
        let scores = windows.compactMap { $0.outOfSample?.score(metric) }
        return scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count)
    }

    /// The out-of-sample returns compounded over the windows, in percent.
    public var compoundedOutOfSampleReturn: Double? {
        let returns = windows.compactMap { $0.outOfSample?.metrics[OptimizationMetric.returnPercent.rawValue] }
        guard !returns.isEmpty else { return nil }
        return (returns.reduce(1) { $0 * (1 + $1 / 100) } - 1) * 100
    }

    /// Of `trials`, the best by the metric (the lowest index wins a tie); nil when none has a value.
    public static func best(of trials: [TrialResult], metric: OptimizationMetric, direction: OptimizationMetric.Direction) -> TrialResult? {
        var best: TrialResult?
        for trial in trials.sorted(by: { $0.index < $1.index }) {
            guard let score = trial.score(metric) else { continue }
            if let current = best?.score(metric), !OptimizationMetric.better(score, than: current, direction) { continue }
            best = trial
        }
        return best
    }

    /// The trials sorted by the metric, best first (failed and valueless ones last, by index).
    public var ranked: [TrialResult] {
        trials.sorted { a, b in
            switch (a.score(metric), b.score(metric)) {
            case (let x?, let y?): return x != y ? OptimizationMetric.better(x, than: y, direction) : a.index < b.index
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.index < b.index
            }
        }
    }

    /// Puts the result together from the trials that finished.
    public init(
        trials: [TrialResult], plan: OptimizationPlan, metric: OptimizationMetric, direction: OptimizationMetric.Direction, cancelled: Bool
    ) {
        self.metric = metric
        self.direction = direction
        self.trials = trials.sorted { $0.index < $1.index }
        self.planned = plan.trialCount
        self.parameterNames = plan.space.axes.map(\.name)
        self.cancelled = cancelled
        guard plan.walkForward > 0 else {
            best = Self.best(of: self.trials, metric: metric, direction: direction)
            return
        }
        for window in 1...plan.walkForward {
            let inSample = self.trials.filter { $0.window == window && !$0.outOfSample }
            guard let any = inSample.first else { continue }
            var entry = Window(window: window, barsFrom: any.barsFrom, barsTo: any.barsTo, fromTime: any.fromTime, toTime: any.toTime)
            entry.best = Self.best(of: inSample, metric: metric, direction: direction)
            entry.outOfSample = self.trials.first { $0.window == window && $0.outOfSample }
            windows.append(entry)
        }
        best = windows.last?.best
    }
}

extension OptimizationResult {
    /// The `--json` form: every trial, the best, the windows, the counts.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "metric": .string(metric.rawValue), "direction": .string(direction.rawValue),
            "trials": .array(trials.map(\.json)), "best": best?.json ?? .null,
            "planned": .integer(Int64(planned)), "parameters": .array(parameterNames.map(JSONValue.string)), "completed": .integer(Int64(trials.count)),
            "failed": .integer(Int64(failed)), "cancelled": .bool(cancelled), "elapsed_seconds": .number(elapsedSeconds),
        ]
        if !windows.isEmpty {
            let mean: JSONValue = meanOutOfSample.map(JSONValue.number) ?? .null
            let compounded: JSONValue = compoundedOutOfSampleReturn.map(JSONValue.number) ?? .null
            object["walk_forward"] = .object([
                "windows": .array(windows.map(windowJSON)), "mean_out_of_sample": mean, "compounded_out_of_sample_return_pct": compounded,
            ])
        }
        return .object(object)
    }

    private func windowJSON(_ window: Window) -> JSONValue {
        func time(_ t: Double?) -> JSONValue { t.map { .string(UTCTime.iso8601($0)) } ?? .null }
        let inSample: JSONValue = .object([
            "bars_from": .integer(Int64(window.barsFrom)), "bars_to": .integer(Int64(window.barsTo)),
            "from_time": time(window.fromTime), "to_time": time(window.toTime),
        ])
        var object: [String: JSONValue] = ["window": .integer(Int64(window.window)), "in_sample": inSample]
        object["best"] = window.best?.json ?? .null
        object["in_sample_score"] = window.best?.score(metric).map(JSONValue.number) ?? .null
        object["out_of_sample"] = window.outOfSample?.json ?? .null
        object["out_of_sample_score"] = window.outOfSample?.score(metric).map(JSONValue.number) ?? .null
        return .object(object)
    }
}
