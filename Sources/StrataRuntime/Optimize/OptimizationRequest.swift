/// Everything an optimization needs, as a value the CLI and the HTTP API both build: the
/// script, the data file, the backtest settings (base config, broker, limits), what to sweep
/// and how, what to rank by, walk-forward, and how many jobs run at once.
public struct OptimizationRequest: Sendable {
    /// Where trials run.
    public enum Isolation: String, Sendable {
        /// Each job is a confined worker process (the default: scripts may be third-party).
        case process
        /// Threads in this process (only for your own scripts).
        case none
    }

    public var script: StrategyScript
    /// The bar file (CSV, gzip, or a folder), read by each job once.
    public var dataPath: String
    /// Market, base config (fields not swept keep it), broker and limits of every trial.
    public var settings: Backtest.Settings
    /// `--param` specs (see ``ParameterSpace``); empty sweeps the schema's ranges.
    public var params: [String]
    public var search: TrialSearch
    public var metric: OptimizationMetric
    public var direction: OptimizationMetric.Direction
    /// Walk-forward windows (0: one run over all bars).
    public var walkForward: Int
    /// `--constraint` expressions (see ``ParameterConstraint``).
    public var constraints: [String]
    /// Trials run at once (jobs, each a worker process or a thread).
    public var jobs: Int
    public var isolation: Isolation

    public init(
        script: StrategyScript, dataPath: String, settings: Backtest.Settings = Backtest.Settings(), params: [String] = [],
        search: TrialSearch = .grid, metric: OptimizationMetric = .sharpe, direction: OptimizationMetric.Direction? = nil,
        walkForward: Int = 0, constraints: [String] = [], jobs: Int = 1, isolation: Isolation = .process
    ) {
        self.script = script
        self.dataPath = dataPath
        self.settings = settings
        self.params = params
        self.search = search
        self.metric = metric
        self.direction = direction ?? metric.defaultDirection
        self.walkForward = walkForward
        self.constraints = constraints
        self.jobs = jobs
        self.isolation = isolation
    }

    /// The most walk-forward windows.
    public static let maxWalkForward = 100

    /// Checks what does not need the schema.
    public func validate() throws(OptimizationError) {
        guard jobs >= 1, jobs <= 1_024 else { throw OptimizationError("--jobs must be between 1 and 1024, got \(jobs)") }
        guard walkForward >= 0, walkForward <= Self.maxWalkForward else {
            throw OptimizationError("--walk-forward must be between 1 and \(Self.maxWalkForward), got \(walkForward)")
        }
        if case .random(let trials, _) = search, trials < 1 { throw OptimizationError("--trials must be at least 1, got \(trials)") }
    }

    /// The trials to run, checked against `schema`.
    public func plan(schema: ConfigSchema) throws(OptimizationError) -> OptimizationPlan {
        try validate()
        let space = try ParameterSpace(specs: params, schema: schema)
        var parsed: [ParameterConstraint] = []
        for text in constraints { parsed.append(try ParameterConstraint(parsing: text, schema: schema)) }
        let points = try search.points(in: space, constraints: parsed)
        if case .failure(let errors) = schema.validate(settings.config) {
            let first = errors.fields[0]
            throw OptimizationError("--config: \(first.field) \(first.message)")
        }
        return OptimizationPlan(space: space, points: points, baseConfig: settings.config, walkForward: walkForward)
    }
}

extension OptimizationRequest {
    /// The JSON form (the HTTP API's body, and what a worker is told).
    public var json: JSONValue {
        let broker = settings.broker
        var object: [String: JSONValue] = [
            "script": .object([
                "name": .string(script.name), "source": .string(script.source), "chunk_name": .string(script.chunkName),
                "modules": .object(script.modules.mapValues(JSONValue.string)), "module_folder": .string(script.moduleFolder),
            ]),
            "data": .string(dataPath), "market": .string(settings.market), "config": .object(settings.config),
            "cash": .number(broker.startingCash), "fee_bps": .number(broker.feeBps), "slippage_bps": .number(broker.slippageBps),
            "fill": .string(broker.fillModel.rawValue), "params": .array(params.map(JSONValue.string)),
            "metric": .string(metric.rawValue), "direction": .string(direction.rawValue),
            "walk_forward": .integer(Int64(walkForward)), "constraints": .array(constraints.map(JSONValue.string)),
            "jobs": .integer(Int64(jobs)), "isolation": .string(isolation.rawValue),
        ]
        switch search {
        case .grid: object["search"] = .string("grid")
        case .random(let trials, let seed):
            object["search"] = .string("random")
            object["trials"] = .integer(Int64(trials))
            object["seed"] = .integer(Int64(bitPattern: seed))
        }
        return .object(object)
    }

    /// Reads the JSON form; fields left out take the CLI's defaults.
    /// - Throws: ``OptimizationError`` naming the field.
    public init(json: JSONValue) throws(OptimizationError) {
        func text(_ key: String) -> String? { json[key]?.stringValue }
        func number(_ key: String) throws(OptimizationError) -> Double? {
            guard let value = json[key], value != .null else { return nil }
            guard let d = value.doubleValue, d.isFinite else { throw OptimizationError("\(key) must be a number") }
            return d
        }
        func integer(_ key: String) throws(OptimizationError) -> Int? {
            guard let d = try number(key) else { return nil }
            guard d.rounded() == d, abs(d) < 1e15 else { throw OptimizationError("\(key) must be an integer") }
            return Int(d)
        }
        func strings(_ key: String) throws(OptimizationError) -> [String] {
            guard let value = json[key], value != .null else { return [] }
            guard let items = value.arrayValue?.compactMap(\.stringValue), items.count == value.arrayValue?.count else {
                throw OptimizationError("\(key) must be an array of strings")
            }
            return items
        }
        guard let body = json["script"], let name = body["name"]?.stringValue, let source = body["source"]?.stringValue else {
            throw OptimizationError("script must be an object with name and source")
        }
        var script = StrategyScript(name: name, source: source, chunkName: body["chunk_name"]?.stringValue)
        script.modules = body["modules"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        script.moduleFolder = body["module_folder"]?.stringValue ?? script.moduleFolder
        guard let data = text("data") else { throw OptimizationError("data must be the path of a bar file") }
        var settings = Backtest.Settings()
        settings.market = text("market") ?? settings.market
        if let config = json["config"], config != .null {
            guard let object = config.objectValue else { throw OptimizationError("config must be an object") }
            settings.config = object
        }
        settings.broker.startingCash = try number("cash") ?? 100_000
        settings.broker.feeBps = try number("fee_bps") ?? 0
        settings.broker.slippageBps = try number("slippage_bps") ?? 0
        if let fill = text("fill") {
            guard let model = PaperBroker.FillModel(rawValue: fill) else { throw OptimizationError("fill must be next-open or close") }
            settings.broker.fillModel = model
        }
        let metric = try OptimizationMetric.named(text("metric") ?? "sharpe")
        var direction: OptimizationMetric.Direction?
        if let word = text("direction") {
            guard let parsed = OptimizationMetric.Direction(rawValue: word) else { throw OptimizationError("direction must be maximize or minimize") }
            direction = parsed
        }
        let search: TrialSearch
        switch text("search") ?? "grid" {
        case "grid": search = .grid
        case "random": search = .random(trials: try integer("trials") ?? 100, seed: UInt64(bitPattern: Int64(try integer("seed") ?? 1)))
        default: throw OptimizationError("search must be grid or random")
        }
        guard let isolation = Isolation(rawValue: text("isolation") ?? "process") else { throw OptimizationError("isolation must be process or none") }
        self.init(
            script: script, dataPath: data, settings: settings, params: try strings("params"), search: search, metric: metric,
            direction: direction, walkForward: try integer("walk_forward") ?? 0, constraints: try strings("constraints"),
            jobs: try integer("jobs") ?? 1, isolation: isolation)
        try validate()
    }
}
