/// What one trial gave: its parameters, every metric of its backtest (or the script's error),
/// the bars it ran over, and how long it took.
public struct TrialResult: Sendable, Equatable {
    public var index: Int
    public var params: [String: JSONValue]
    /// By ``OptimizationMetric`` name; empty when the trial failed.
    public var metrics: [String: Double] = [:]
    /// Why the trial failed (the script's error, or its worker's verdict); nil when it ran.
    public var error: String?
    /// The walk-forward window, nil without walk-forward.
    public var window: Int?
    public var outOfSample = false
    /// The bars it ran over: indices `barsFrom ..< barsTo` of the data, and their times.
    public var barsFrom = 0
    public var barsTo = 0
    public var fromTime: Double?
    public var toTime: Double?
    public var elapsedSeconds = 0.0

    public init(spec: TrialSpec, barsFrom: Int = 0, barsTo: Int = 0) {
        index = spec.index
        params = spec.params
        window = spec.window
        outOfSample = spec.outOfSample
        self.barsFrom = barsFrom
        self.barsTo = barsTo
    }

    /// A trial that did not run: `error` says why.
    public static func failed(_ spec: TrialSpec, _ error: String) -> TrialResult {
        var result = TrialResult(spec: spec)
        result.error = error
        return result
    }

    public var ok: Bool { error == nil }

    /// The value of `metric`, nil when the trial failed or the metric has no finite value.
    public func score(_ metric: OptimizationMetric) -> Double? {
        metrics[metric.rawValue]
    }

    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "index": .integer(Int64(index)), "params": .object(params),
            "metrics": .object(metrics.mapValues(JSONValue.number)), "error": error.map(JSONValue.string) ?? .null,
            "bars_from": .integer(Int64(barsFrom)), "bars_to": .integer(Int64(barsTo)),
            "from_time": fromTime.map { .string(UTCTime.iso8601($0)) } ?? .null,
            "to_time": toTime.map { .string(UTCTime.iso8601($0)) } ?? .null,
            "elapsed_seconds": .number(elapsedSeconds),
        ]
        if let window {
            object["window"] = .integer(Int64(window))
            object["sample"] = .string(outOfSample ? "out" : "in")
        }
        return .object(object)
    }

    /// The wire form a worker sends (times as numbers, exact).
    public var wire: JSONValue {
        var object: [String: JSONValue] = [
            "index": .integer(Int64(index)), "params": .object(params), "metrics": .object(metrics.mapValues(JSONValue.number)),
            "bars_from": .integer(Int64(barsFrom)), "bars_to": .integer(Int64(barsTo)), "elapsed": .number(elapsedSeconds),
            "out_of_sample": .bool(outOfSample),
        ]
        if let error { object["error"] = .string(error) }
        if let window { object["window"] = .integer(Int64(window)) }
        if let fromTime { object["from_time"] = .number(fromTime) }
        if let toTime { object["to_time"] = .number(toTime) }
        return .object(object)
    }

    public init?(wire: JSONValue) {
        guard let index = wire["index"]?.doubleValue, let params = wire["params"]?.objectValue, let metrics = wire["metrics"]?.objectValue else {
            return nil
        }
        self.index = Int(index)
        self.params = params
        self.metrics = metrics.compactMapValues(\.doubleValue)
        error = wire["error"]?.stringValue
        window = wire["window"]?.doubleValue.map { Int($0) }
        outOfSample = wire["out_of_sample"] == .bool(true)
        barsFrom = Int(wire["bars_from"]?.doubleValue ?? 0)
        barsTo = Int(wire["bars_to"]?.doubleValue ?? 0)
        fromTime = wire["from_time"]?.doubleValue
        toTime = wire["to_time"]?.doubleValue
        elapsedSeconds = wire["elapsed"]?.doubleValue ?? 0
    }
}
