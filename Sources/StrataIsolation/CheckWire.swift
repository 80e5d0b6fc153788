import StrataRuntime

/// The messages of a check run in a worker (see ``WorkerCall``):
/// - request: `{"check": {name, source, chunk_name, config, ticks, market, limits}}`
/// - progress: `{phase, ticks}` before loading, each tick and rendering
/// - answer: the whole ``StrategyCheckReport``.
enum CheckWire {
    static func request(_ check: StrategyCheck) -> JSONValue {
        .object([
            "check": .object(
                [
                    "name": .string(check.script.name), "source": .string(check.script.source), "chunk_name": .string(check.script.chunkName),
                    "config": .object(check.config), "ticks": .integer(Int64(check.ticks)), "market": .string(check.market),
                    "limits": check.limits.wire,
                ].merging(check.script.moduleWire) { own, _ in own })
        ])
    }

    static func check(from request: JSONValue) -> StrategyCheck? {
        guard let body = request["check"], let name = body["name"]?.stringValue, let source = body["source"]?.stringValue,
            let chunkName = body["chunk_name"]?.stringValue, let config = body["config"]?.objectValue,
            let ticks = body["ticks"]?.intValue, let market = body["market"]?.stringValue,
            let limits = body["limits"].flatMap(StrategyLimits.init(wire:))
        else { return nil }
        let script = StrategyScript(name: name, source: source, chunkName: chunkName).withModules(from: body)
        return StrategyCheck(script: script, config: config, ticks: ticks, market: market, limits: limits)
    }

    static func progress(phase: String, ticks: Int) -> JSONValue {
        .object(["phase": .string(phase), "ticks": .integer(Int64(ticks))])
    }

    static func report(_ report: StrategyCheckReport) -> JSONValue {
        var object: [String: JSONValue] = [
            "strategy": .string(report.strategy), "version": .string(report.version), "ticks": .integer(Int64(report.ticks)),
            "orders": .integer(Int64(report.orders)), "signals": .integer(Int64(report.signals)), "widgets": .integer(Int64(report.widgets)),
            "log_lines": .integer(Int64(report.logLines)), "memory_peak": .integer(Int64(report.memoryPeak)),
            "snapshot_bytes": .integer(Int64(report.snapshotBytes)), "snapshot_error": report.snapshotError.map(JSONValue.string) ?? .null,
            "elapsed_ns": .integer(report.elapsed.nanoseconds),
        ]
        if let error = report.error { object["error"] = error.wire }
        return .object(object)
    }

    static func report(from body: JSONValue) -> StrategyCheckReport? {
        guard let strategy = body["strategy"]?.stringValue, let version = body["version"]?.stringValue
        else { return nil }
        var report = StrategyCheckReport(strategy: strategy, version: version)
        report.ticks = body["ticks"]?.intValue ?? 0
        report.orders = body["orders"]?.intValue ?? 0
        report.signals = body["signals"]?.intValue ?? 0
        report.widgets = body["widgets"]?.intValue ?? 0
        report.logLines = body["log_lines"]?.intValue ?? 0
        report.memoryPeak = body["memory_peak"]?.intValue ?? 0
        report.snapshotBytes = body["snapshot_bytes"]?.intValue ?? 0
        report.snapshotError = body["snapshot_error"]?.stringValue
        report.elapsed = .nanoseconds(Int64(body["elapsed_ns"]?.intValue ?? 0))
        report.error = body["error"].flatMap(StrategyError.init(wire:))
        return report
    }
}

extension StrategyLimits {
    /// Every limit, durations in nanoseconds.
    public var wire: JSONValue {
        .object([
            "load_ns": .integer(loadDeadline.nanoseconds), "tick_ns": .integer(tickDeadline.nanoseconds),
            "render_ns": .integer(renderDeadline.nanoseconds), "memory_bytes": .integer(Int64(memoryBytes)),
            "orders_per_call": .integer(Int64(ordersPerCall)), "max_source_bytes": .integer(Int64(maxSourceBytes)),
            "render_array_cap": .integer(Int64(renderArrayCap)), "log_capacity": .integer(Int64(logCapacity)),
        ])
    }

    public init?(wire: JSONValue) {
        guard let load = wire["load_ns"]?.intValue, let tick = wire["tick_ns"]?.intValue, let render = wire["render_ns"]?.intValue,
            let memory = wire["memory_bytes"]?.intValue, let orders = wire["orders_per_call"]?.intValue,
            let source = wire["max_source_bytes"]?.intValue, let cap = wire["render_array_cap"]?.intValue,
            let log = wire["log_capacity"]?.intValue
        else { return nil }
        self.init()
        loadDeadline = .nanoseconds(Int64(load))
        tickDeadline = .nanoseconds(Int64(tick))
        renderDeadline = .nanoseconds(Int64(render))
        memoryBytes = memory
        ordersPerCall = orders
        maxSourceBytes = source
        renderArrayCap = cap
        logCapacity = log
    }
}

extension StrategyError {
    /// Every field (the worker's answer carries errors this way).
    public var wire: JSONValue {
        .object([
            "kind": .string(kind.rawValue), "phase": .string(phase.rawValue), "message": .string(message),
            "line": line.map { .integer(Int64($0)) } ?? .null, "traceback": traceback.map(JSONValue.string) ?? .null,
            "fields": .array(fieldErrors.map { .object(["field": .string($0.field), "message": .string($0.message)]) }),
        ])
    }

    public init?(wire: JSONValue) {
        guard let kind = wire["kind"]?.stringValue, let phase = wire["phase"]?.stringValue.flatMap(Phase.init(rawValue:)),
            let message = wire["message"]?.stringValue
        else { return nil }
        let fields = (wire["fields"]?.arrayValue ?? []).compactMap { item -> ConfigFieldError? in
            guard let field = item["field"]?.stringValue, let message = item["message"]?.stringValue else { return nil }
            return ConfigFieldError(field: field, message: message)
        }
        self.init(
            kind: Kind(rawValue: kind), phase: phase, message: message, line: wire["line"]?.intValue, traceback: wire["traceback"]?.stringValue,
            fieldErrors: fields)
    }
}

extension Duration {
    /// The whole nanoseconds (saturating).
    public var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}

extension JSONValue {
    /// The value as an `Int` if it is an integer that fits.
    public var intValue: Int? {
        if case .integer(let value) = self { return Int(exactly: value) }
        return nil
    }

    /// The frame that carries this value.
    var frame: [UInt8] { Array(encoded().utf8) }

    /// The value a frame carries, or nil when it is not JSON.
    init?(frame: [UInt8]) {
        self.init(parsing: String(decoding: frame, as: UTF8.self))
    }
}
