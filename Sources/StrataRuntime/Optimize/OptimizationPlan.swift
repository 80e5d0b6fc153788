/// The trials of an optimization: the points to try, and with walk-forward the windows they
/// are tried on. Walk-forward K splits the bars into K + 1 equal consecutive segments; window
/// w (1…K) optimises on segment w − 1 (in-sample) and scores its best point on segment w
/// (out-of-sample): rolling windows of one segment each.
public struct OptimizationPlan: Sendable {
    public var space: ParameterSpace
    public var points: [[String: JSONValue]]
    public var baseConfig: [String: JSONValue]
    public var walkForward: Int

    public init(space: ParameterSpace, points: [[String: JSONValue]], baseConfig: [String: JSONValue], walkForward: Int) {
        self.space = space
        self.points = points
        self.baseConfig = baseConfig
        self.walkForward = walkForward
    }

    /// Segments the bars are split into (1 without walk-forward).
    public var segments: Int { walkForward + 1 }

    /// The trials run first: every point over all bars, or with walk-forward every point on
    /// every window's in-sample segment (window by window).
    public var searchTrials: [TrialSpec] {
        guard walkForward > 0 else {
            return points.enumerated().map { TrialSpec(index: $0, params: $1, config: config($1), segment: nil, segments: 1) }
        }
        var trials: [TrialSpec] = []
        trials.reserveCapacity(points.count * walkForward)
        for window in 1...walkForward {
            for point in points {
                trials.append(
                    TrialSpec(index: trials.count, params: point, config: config(point), segment: window - 1, segments: segments, window: window))
            }
        }
        return trials
    }

    /// The out-of-sample trials: each window's in-sample best (`best[w-1]`, nil when every
    /// trial of the window failed) on the next segment, numbered after `after`.
    public func outOfSampleTrials(best: [TrialResult?], after: Int) -> [TrialSpec] {
        var trials: [TrialSpec] = []
        for (offset, trial) in best.enumerated() {
            guard let trial else { continue }
            let window = offset + 1
            trials.append(
                TrialSpec(
                    index: after + trials.count, params: trial.params, config: config(trial.params), segment: window, segments: segments, window: window,
                    outOfSample: true))
        }
        return trials
    }

    /// Every trial the plan will run (the out-of-sample ones, one per window, included).
    public var trialCount: Int { points.count * max(1, walkForward) + walkForward }

    func config(_ point: [String: JSONValue]) -> [String: JSONValue] {
        baseConfig.merging(point) { _, swept in swept }
    }

    /// The bars of `segment` out of `segments` equal parts of `count` bars (the last takes the rest).
    public static func range(segment: Int, of segments: Int, count: Int) -> Range<Int> {
        let size = count / max(segments, 1)
        let lower = segment * size
        return lower..<(segment == segments - 1 ? count : lower + size)
    }
}

/// One trial to run: its parameters, the config they make, and which bars it runs over.
public struct TrialSpec: Sendable, Equatable {
    public var index: Int
    public var params: [String: JSONValue]
    public var config: [String: JSONValue]
    /// The segment of the bars (nil: all of them) out of `segments`.
    public var segment: Int?
    public var segments: Int
    /// The walk-forward window (1…K), nil without walk-forward.
    public var window: Int?
    public var outOfSample = false

    public init(
        index: Int, params: [String: JSONValue], config: [String: JSONValue], segment: Int?, segments: Int, window: Int? = nil, outOfSample: Bool = false
    ) {
        self.index = index
        self.params = params
        self.config = config
        self.segment = segment
        self.segments = segments
        self.window = window
        self.outOfSample = outOfSample
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "index": .integer(Int64(index)), "params": .object(params), "config": .object(config), "segments": .integer(Int64(segments)),
            "out_of_sample": .bool(outOfSample),
        ]
        if let segment { object["segment"] = .integer(Int64(segment)) }
        if let window { object["window"] = .integer(Int64(window)) }
        return .object(object)
    }

    public init?(json: JSONValue) {
        guard let index = json["index"]?.doubleValue, let params = json["params"]?.objectValue, let config = json["config"]?.objectValue,
            let segments = json["segments"]?.doubleValue
        else { return nil }
        self.init(
            index: Int(index), params: params, config: config, segment: json["segment"]?.doubleValue.map { Int($0) }, segments: Int(segments),
            window: json["window"]?.doubleValue.map { Int($0) }, outOfSample: json["out_of_sample"] == .bool(true))
    }
}
