import Foundation
import HTTPTypes
import Hummingbird
import StrataEngine
import StrataIsolation
import StrataRuntime

/// Backtests of instances run by the server: start one, follow it (the `research` events),
/// list, read, read its report, cancel, delete. And `GET /api/data-files`: what they may run on.
struct BacktestsController<Context: RequestContext>: Sendable {
    let engine: any EngineGateway
    let research: ResearchService
    let bodyLimits: RequestBodyLimits

    /// The report's policy: its own inline style and images, nothing else (no script, no
    /// connection, no form), in a sandbox.
    static var reportPolicy: String {
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox"
    }

    func addRoutes(to router: Router<Context>) {
        router.get("/api/data-files") { _, _ in try await self.dataFiles() }
        router.post("/api/backtests") { request, _ in try await self.start(request) }
        router.get("/api/backtests") { request, _ in try await self.list(request) }
        router.get("/api/backtests/:id") { _, context in try await self.show(try Self.runID(context)) }
        router.get("/api/backtests/:id/report") { _, context in try await self.report(try Self.runID(context)) }
        router.post("/api/backtests/:id/cancel") { _, context in try await self.cancel(try Self.runID(context)) }
        router.delete("/api/backtests/:id") { _, context in try await self.delete(try Self.runID(context)) }
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
            settings.broker.startingCash = body.cash
            settings.broker.feeBps = body.feeBps
            settings.broker.slippageBps = body.slippageBps
            settings.broker.fillModel = body.fill
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

    /// `GET /api/backtests?instance_id=&limit=`: newest first, without detail.
    func list(_ request: Request) async throws -> Response {
        let runs = try research.requireRuns()
        var query = QueryReader(request)
        let instance = query.identifier("instance_id")
        let limit = query.integer("limit", in: 1...ResearchRun.keptPerKind, default: 50)
        try query.check()
        let found = try await BlockingWork.run { try runs.store.researchRuns(kind: .backtest, instanceID: instance, limit: limit) }
        let fresh = found.map { stored in runs.current(id: stored.id).map { $0.listed } ?? stored }
        return JSONResponse.make(.object(["backtests": .array(fresh.map { ResearchRunJSON.run($0, full: false) })]))
    }

    /// `GET /api/backtests/{id}`: the run with its summary and detail (trades, equity curve).
    func show(_ id: String) async throws -> Response {
        let run = try await requireRun(id)
        return JSONResponse.make(ResearchRunJSON.run(run, full: true))
    }

    /// `GET /api/backtests/{id}/report`: the HTML report, under a policy that allows no script.
    func report(_ id: String) async throws -> Response {
        let runs = try research.requireRuns()
        let run = try await requireRun(id)
        guard let page = try await BlockingWork.run({ try runs.store.researchReport(id: id) }) else {
            throw APIError.notFound("id", "backtest '\(QueryReader.shown(id))' has no report (it is \(run.status.rawValue))")
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .contentSecurityPolicy: Self.reportPolicy],
            body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
    }

    /// `POST /api/backtests/{id}/cancel`: 200 with the run (it ends `cancelled` shortly); 409
    /// when it has ended already.
    func cancel(_ id: String) async throws -> Response {
        let runs = try research.requireRuns()
        if let run = runs.cancel(id: id), run.kind == .backtest {
            return JSONResponse.make(ResearchRunJSON.run(runs.current(id: id) ?? run, full: false))
        }
        let run = try await requireRun(id)
        if run.status.isFinished {
            throw APIError.conflict("id", "backtest '\(QueryReader.shown(id))' has ended (\(run.status.rawValue)): nothing to cancel")
        }
        // Unfinished in the store but not running here: another server's run, or one this
        // server lost; it is ended as it stands.
        var ended = run
        ended.status = .cancelled
        ended.finishedAt = Date()
        ended.error = "cancelled"
        let final = ended
        try await BlockingWork.run { try runs.store.saveResearchRun(final) }
        return JSONResponse.make(ResearchRunJSON.run(final, full: false))
    }

    /// `DELETE /api/backtests/{id}`: 204; a run still going is cancelled first.
    func delete(_ id: String) async throws -> Response {
        let runs = try research.requireRuns()
        _ = try await requireRun(id)
        runs.cancel(id: id)
        _ = try await BlockingWork.run { try runs.store.deleteResearchRun(id: id) }
        return Response(status: .noContent)
    }

    /// The backtest `id`: as it runs here, else as stored. - Throws: 404 when there is none.
    private func requireRun(_ id: String) async throws -> ResearchRun {
        let runs = try research.requireRuns()
        if let run = runs.current(id: id), run.kind == .backtest { return run }
        let stored = try await BlockingWork.run { try runs.store.researchRun(id: id) }
        guard let stored, stored.kind == .backtest else { throw APIError.notFound("id", "no backtest '\(QueryReader.shown(id))'") }
        return stored
    }

    /// The run id of the path. - Throws: 404 when it cannot be a run's id.
    static func runID(_ context: some RequestContext) throws -> String {
        guard let raw = context.parameters.get("id"), let id = raw.removingPercentEncoding, !id.isEmpty, id.count <= 64,
            id.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") })
        else { throw APIError.notFound("id", "no such backtest") }
        return id
    }
}
