import Foundation
import HTTPTypes
import Hummingbird
import StrataEngine
import StrataIsolation
import StrataRuntime

/// Optimizations run by the server: start one for a strategy type (or an instance's version and
/// config), follow its trials (the `research` events), the endpoints every run has
/// (``ResearchRunEndpoints``), and `GET /api/strategies/{type}/parameters`: the default sweep
/// a form starts from.
struct OptimizationsController<Context: RequestContext>: Sendable {
    let engine: any EngineGateway
    let research: ResearchService
    let bodyLimits: RequestBodyLimits

    /// The most jobs (worker processes) one optimization may run at once: the machine's cores, at most 8.
    static var maxJobs: Int { min(8, max(1, ProcessInfo.processInfo.activeProcessorCount)) }

    func addRoutes(to router: Router<Context>) {
        router.get("/api/strategies/:type/parameters") { _, context in try await self.parameters(context) }
        router.post("/api/optimizations") { request, _ in try await self.start(request) }
        ResearchRunEndpoints<Context>(
            kind: .optimization, path: "/api/optimizations", listKey: "optimizations", noun: "optimization", research: research,
            filter: (query: "strategy_type", value: { $0.strategyType })
        )
        .addRoutes(to: router)
    }

    /// `GET /api/strategies/{type}/parameters`: `{"strategy_type", "parameters": [{"name",
    /// "type", "values", "from"?, "to"?, "step"?}], "metrics", "default_metric"}`. 404 for an
    /// unknown type, 409 when no version of it has loaded.
    func parameters(_ context: some RequestContext) async throws -> Response {
        let type = try strategyType(context)
        let schema = try schema(of: type)
        let space: ParameterSpace
        do throws(OptimizationError) {
            space = try ParameterSpace(specs: [], schema: schema)
        } catch {
            space = ParameterSpace(axes: [])
        }
        let parameters = space.axes.map { axis -> JSONValue in
            let field = schema.field(axis.name)
            var object: [String: JSONValue] = [
                "name": .string(axis.name), "type": .string(field?.kind.rawValue ?? "string"), "values": .array(axis.values),
            ]
            let numbers = axis.values.compactMap(\.doubleValue)
            if let field, field.kind == .integer || field.kind == .float, numbers.count == axis.values.count, let first = numbers.first {
                object["from"] = axis.values.first
                object["to"] = axis.values.last
                object["step"] = numbers.count > 1 ? ParameterSpace.typed(numbers[1] - first, field: field) : .integer(1)
            }
            return .object(object)
        }
        return JSONResponse.make(
            .object([
                "strategy_type": .string(type), "parameters": .array(parameters),
                "metrics": .array(OptimizationMetric.allCases.map { .string($0.rawValue) }),
                "default_metric": .string(OptimizationMetric.sharpe.rawValue),
            ]))
    }

    /// `POST /api/optimizations`: 202 with the queued run; 400 for a bad body (parameters the
    /// schema refuses included), 404 for an unknown strategy type or instance, 409 when no
    /// version of the strategy has loaded.
    func start(_ request: Request) async throws -> Response {
        let runs = try research.requireRuns()
        let object = try await request.jsonObject(limits: bodyLimits)
        let folder = research.dataFolder
        let body = try await BlockingWork.run { try OptimizationRequestBody(object, folder: folder, maxJobs: Self.maxJobs) }
        let setup = try await BlockingWork.run { try self.setup(body) }
        let run = try await BlockingWork.run { try runs.start(setup.run) { progress in setup.work.run(progress) } }
        var response = JSONResponse.make(ResearchRunJSON.run(run, full: true), status: .accepted)
        response.headers[.location] = "/api/optimizations/\(run.id)"
        return response
    }

    /// The run's record and its work: the script and base config (the instance's, when named),
    /// the request checked against the schema.
    private func setup(_ body: OptimizationRequestBody) throws -> (run: ResearchRun, work: ServerOptimization) {
        guard let path = research.dataFolder.path(of: body.data) else {
            throw APIError.badRequest([.init("data", "no data file '\(QueryReader.shown(body.data))' (GET /api/data-files lists them)")])
        }
        var settings = Backtest.Settings()
        settings.limits = engine.catalog.limits
        settings.market = DataFolder.market(body.data)
        body.broker.apply(to: &settings.broker)
        let script: StrategyScript
        let version: String
        if let id = body.instanceID {
            let record = try InstancePath.requireInstance(id, store: engine.store)
            if let type = body.strategyType, type != record.strategyType {
                throw APIError.badRequest([.init("strategy_type", "instance \(id) runs \(record.strategyType), not \(type)")])
            }
            let current: (script: StrategyScript, version: String)
            do {
                current = try ResearchRunScript.current(of: record, store: engine.store, modules: moduleOffer())
            } catch let missing as ResearchRunScript.Missing {
                throw APIError.conflict("instance_id", missing.description)
            }
            (script, version) = current
            settings.market = record.market
            settings.config = record.config
        } else {
            let type = body.strategyType ?? ""
            _ = try schema(of: type)
            guard let entry = engine.catalog.entries[type], let loaded = entry.script, let hash = entry.version else {
                throw APIError.conflict("strategy_type", "no version of strategy \(type) has loaded")
            }
            (script, version) = (loaded, hash)
        }
        settings.config.merge(body.config ?? [:]) { _, new in new }
        let request = OptimizationRequest(
            script: script, dataPath: path, settings: settings, params: body.params, search: body.search, metric: body.metric,
            direction: body.direction, walkForward: body.walkForward, constraints: body.constraints, jobs: body.jobs ?? Self.maxJobs)
        try check(request, type: script.name)
        // The run keeps the request's settings as the workers get them, less the script and
        // the server's path of the data file.
        var parameters = request.json.objectValue ?? [:]
        parameters["script"] = nil
        parameters["isolation"] = nil
        parameters["data"] = .string(body.data)
        let run = ResearchRun(
            id: ResearchRun.makeID(kind: .optimization), kind: .optimization, instanceID: body.instanceID, strategyType: script.name,
            version: version, dataFile: body.data, parameters: parameters)
        return (run, ServerOptimization(optimizer: Optimizer(request: request, executable: research.workerExecutable), dataName: body.data))
    }

    /// Plans `request` against the current schema of `type`. - Throws: 400 naming the field.
    private func check(_ request: OptimizationRequest, type: String) throws {
        let schema = try schema(of: type)
        let plan: OptimizationPlan
        do throws(OptimizationError) {
            plan = try request.plan(schema: schema)
        } catch {
            throw APIError.badRequest([Self.fieldError(error, specs: request.params)])
        }
        guard plan.trialCount <= OptimizationRequestBody.maxTrials else {
            throw APIError.badRequest([
                .init(
                    "params",
                    "the plan has \(plan.trialCount) trials; the server runs at most \(OptimizationRequestBody.maxTrials) (take larger steps, a random search, or `strata optimize`)"
                )
            ])
        }
    }

    /// An optimization's usage error as the body field it is about (the CLI's option names
    /// become the API's fields; a parameter's error names its item, `params[i]`).
    static func fieldError(_ error: OptimizationError, specs: [String]) -> APIError.FieldError {
        if let index = specs.firstIndex(where: { error.message.hasPrefix("--param \($0): ") }) {
            return .init("params[\(index)]", String(error.message.dropFirst("--param \(specs[index]): ".count)))
        }
        let fields = [
            ("--param ", "params"), ("--constraint ", "constraints"), ("--jobs", "jobs"), ("--walk-forward", "walk_forward"),
            ("--trials", "trials"), ("--config: ", "config"), ("unknown metric", "metric"), ("nothing to sweep", "params"),
            ("the grid has", "params"), ("no trial to run", "params"),
        ]
        for (prefix, field) in fields where error.message.hasPrefix(prefix) {
            let message = prefix.hasPrefix("--") ? String(error.message.dropFirst(prefix.count)) : error.message
            return .init(field, message.trimmingCharacters(in: CharacterSet(charactersIn: " :")))
        }
        return .init("params", error.message)
    }

    private func schema(of type: String) throws -> ConfigSchema {
        guard engine.catalog.entries[type] != nil else {
            throw APIError.notFound("strategy_type", "no strategy '\(QueryReader.shown(type))' (GET /api/strategies lists them)")
        }
        switch engine.catalog.schema(for: type) {
        case .success(let schema): return schema
        case .failure(let failure): throw APIError.conflict("strategy_type", failure.message)
        }
    }

    private func moduleOffer() -> ModuleOffer {
        let modules = ModuleFolder.beside(strategies: URL(fileURLWithPath: engine.strategiesDirectory))
        return ModuleOffer(sources: modules.sources(maxBytes: engine.catalog.limits.maxSourceBytes), folder: modules.displayName)
    }

    private func strategyType(_ context: some RequestContext) throws -> String {
        guard let raw = context.parameters.get("type"), let type = raw.removingPercentEncoding, !type.isEmpty,
            type.unicodeScalars.count <= IdentifierCharacters.maxQueryLength, IdentifierCharacters.problem(type) == nil
        else { throw APIError.notFound("strategy_type", "no such strategy") }
        return type
    }
}
