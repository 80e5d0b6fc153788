import Foundation
import HTTPTypes
import Hummingbird
import StrataEngine
import StrataRuntime

/// The endpoints every kind of research run has, under its own path (`/api/backtests`,
/// `/api/optimizations`): list, read, read the report, cancel, delete. Starting one is the
/// kind's own controller's.
struct ResearchRunEndpoints<Context: RequestContext>: Sendable {
    let kind: ResearchRun.Kind
    /// The collection's path, like `/api/backtests`.
    let path: String
    /// The key of a list's array, like `backtests`.
    let listKey: String
    /// What one run is called in messages, like `backtest`.
    let noun: String
    let research: ResearchService
    /// The list's filter besides the instance: a query name and the run field it matches.
    var filter: (query: String, value: @Sendable (ResearchRun) -> String)?

    /// The report's policy: its own inline style and images, nothing else (no script, no
    /// connection, no form), in a sandbox.
    static var reportPolicy: String {
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox"
    }

    func addRoutes(to router: Router<Context>) {
        router.get(RouterPath(path)) { request, _ in try await self.list(request) }
        router.get(RouterPath("\(path)/:id")) { _, context in try await self.show(try self.runID(context)) }
        router.get(RouterPath("\(path)/:id/report")) { _, context in try await self.report(try self.runID(context)) }
        router.post(RouterPath("\(path)/:id/cancel")) { _, context in try await self.cancel(try self.runID(context)) }
        router.delete(RouterPath("\(path)/:id")) { _, context in try await self.delete(try self.runID(context)) }
    }

    /// `GET {path}?instance_id=&limit=` (and the kind's filter): newest first, without detail.
    func list(_ request: Request) async throws -> Response {
        let runs = try research.requireRuns()
        var query = QueryReader(request)
        let instance = query.identifier("instance_id")
        let wanted = filter.flatMap { query.identifier($0.query) }
        let limit = query.integer("limit", in: 1...ResearchRun.keptPerKind, default: 50)
        try query.check()
        let kind = kind
        let found = try await BlockingWork.run {
            try runs.store.researchRuns(kind: kind, instanceID: instance, limit: wanted == nil ? limit : ResearchRun.keptPerKind)
        }
        var fresh = found.map { stored in runs.current(id: stored.id).map { $0.listed } ?? stored }
        if let wanted, let filter { fresh = Array(fresh.filter { filter.value($0) == wanted }.prefix(limit)) }
        return JSONResponse.make(.object([listKey: .array(fresh.map { ResearchRunJSON.run($0, full: false) })]))
    }

    /// `GET {path}/{id}`: the run with its summary and detail.
    func show(_ id: String) async throws -> Response {
        JSONResponse.make(ResearchRunJSON.run(try await requireRun(id), full: true))
    }

    /// `GET {path}/{id}/report`: the HTML report, under a policy that allows no script.
    func report(_ id: String) async throws -> Response {
        let runs = try research.requireRuns()
        let run = try await requireRun(id)
        guard let page = try await BlockingWork.run({ try runs.store.researchReport(id: id) }) else {
            throw APIError.notFound("id", "\(noun) '\(QueryReader.shown(id))' has no report (it is \(run.status.rawValue))")
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .contentSecurityPolicy: Self.reportPolicy],
            body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
    }

    /// `POST {path}/{id}/cancel`: 200 with the run (it ends `cancelled` shortly); 409 when it
    /// has ended already.
    func cancel(_ id: String) async throws -> Response {
        let runs = try research.requireRuns()
        if let run = runs.cancel(id: id), run.kind == kind {
            return JSONResponse.make(ResearchRunJSON.run(runs.current(id: id) ?? run, full: false))
        }
        let run = try await requireRun(id)
        if run.status.isFinished {
            throw APIError.conflict("id", "\(noun) '\(QueryReader.shown(id))' has ended (\(run.status.rawValue)): nothing to cancel")
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

    /// `DELETE {path}/{id}`: 204; a run still going is cancelled first.
    func delete(_ id: String) async throws -> Response {
        let runs = try research.requireRuns()
        _ = try await requireRun(id)
        runs.cancel(id: id)
        _ = try await BlockingWork.run { try runs.store.deleteResearchRun(id: id) }
        return Response(status: .noContent)
    }

    /// The run `id` of this kind: as it runs here, else as stored. - Throws: 404 when there is none.
    private func requireRun(_ id: String) async throws -> ResearchRun {
        let runs = try research.requireRuns()
        if let run = runs.current(id: id), run.kind == kind { return run }
        let stored = try await BlockingWork.run { try runs.store.researchRun(id: id) }
        guard let stored, stored.kind == kind else { throw APIError.notFound("id", "no \(noun) '\(QueryReader.shown(id))'") }
        return stored
    }

    /// The run id of the path. - Throws: 404 when it cannot be a run's id.
    private func runID(_ context: some RequestContext) throws -> String {
        guard let raw = context.parameters.get("id"), let id = raw.removingPercentEncoding, !id.isEmpty, id.count <= 64,
            id.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") })
        else { throw APIError.notFound("id", "no such \(noun)") }
        return id
    }
}
