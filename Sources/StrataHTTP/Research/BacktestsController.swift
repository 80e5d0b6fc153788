import Foundation
import HTTPTypes
import Hummingbird
import StrataEngine
import StrataIsolation
import StrataRuntime

/// Backtests of instances run by the server: start one, follow it (the `research` events),
/// and the endpoints every run has (``ResearchRunEndpoints``). And `GET /api/data-files`: what they may run on.
struct BacktestsController<Context: RequestContext>: Sendable {
    let engine: any EngineGateway
    let research: ResearchService
    let bodyLimits: RequestBodyLimits

    func addRoutes(to router: Router<Context>) {
        router.get("/api/data-files") { _, _ in try await self.dataFiles() }
        router.post("/api/backtests") { request, _ in try await self.start(request) }
        ResearchRunEndpoints<Context>(kind: .backtest, path: "/api/backtests", listKey: "backtests", noun: "backtest", research: research)
            .addRoutes(to: router)
    }

    /// `GET /api/data-files`: `{"files": [{"name", "market", "size", "folder"}]}`.
    func dataFiles() async throws -> Response {
        let folder = research.dataFolder
        let entries = try await BlockingWork.run { folder.list() }
        return JSONResponse.make(
            .object([
                "files": .array(
                    entries.map {
                        .object(["name": .string($0.name), "market": .string($0.market), "size": .integer($0.size), "folder": .bool($0.isFolder)])
                    })
            ]))
    }

    /// `POST /api/backtests`: 202 with the queued run; 400 for a bad body, 404 for an unknown
    /// instance, 409 when the store holds no version of its strategy yet.
    func start(_ request: Request) async throws -> Response {
        let runs = try research.requireRuns()
        let object = try await request.jsonObject(limits: bodyLimits)
        let folder = research.dataFolder
        let body = try await BlockingWork.run { try BacktestRequestBody(object, folder: folder) }
        let executable = research.workerExecutable
        let strategies = engine.strategiesDirectory
        let limits = engine.catalog.limits
        let run = try await BlockingWork.run { [engine] () -> ResearchRun in
            let record = try InstancePath.requireInstance(body.instanceID, store: engine.store)
            guard let path = folder.path(of: body.data) else {
                throw APIError.badRequest([.init("data", "no data file '\(QueryReader.shown(body.data))' (GET /api/data-files lists them)")])
            }
            let modules = ModuleFolder.beside(strategies: URL(fileURLWithPath: strategies))
            let offer = ModuleOffer(sources: modules.sources(maxBytes: limits.maxSourceBytes), folder: modules.displayName)
            let current: (script: StrategyScript, version: String)
            do {
                current = try ResearchRunScript.current(of: record, store: engine.store, modules: offer)
            } catch let missing as ResearchRunScript.Missing {
                throw APIError.conflict("instance_id", missing.description)
            }
            var settings = Backtest.Settings()
            settings.market = record.market
            settings.config = record.config
            settings.limits = limits
            body.broker.apply(to: &settings.broker)
            let backtest = InstanceBacktest(
                executable: executable,
                request: BacktestRequest(
                    script: current.script, dataPath: path, settings: settings,
                    outputs: ["json": true, "timing": false, "report": true, "equity": true]))
            let run = ResearchRun(
                id: ResearchRun.makeID(kind: .backtest), kind: .backtest, instanceID: record.id, strategyType: record.strategyType,
                version: current.version, dataFile: body.data, parameters: body.parameters.merging(["market": .string(record.market)]) { a, _ in a })
            return try runs.start(run) { progress in backtest.run(progress) }
        }
        var response = JSONResponse.make(ResearchRunJSON.run(run, full: true), status: .accepted)
        response.headers[.location] = "/api/backtests/\(run.id)"
        return response
    }
}
