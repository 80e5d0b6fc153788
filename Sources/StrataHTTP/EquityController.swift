import Hummingbird
import StrataEngine
import StrataRuntime

/// Equity history over HTTP: the recorded series of an instance and of an account, tiers
/// merged and thinned to `max_points`.
struct EquityController<Context: RequestContext>: Sendable {
    let engine: any EngineGateway

    func addRoutes(to router: Router<Context>) {
        router.get("/api/instances/:id/equity") { request, context in try await self.instanceEquity(request, context) }
        router.get("/api/accounts/:name/equity") { request, context in try await self.accountEquity(request, context) }
    }

    /// `GET /api/instances/{id}/equity?from=&to=&max_points=`.
    func instanceEquity(_ request: Request, _ context: Context) async throws -> Response {
        let id = try InstancePath.id(context)
        let query = try EquitySeriesQuery.read(request)
        return try await BlockingWork.run { [engine] in
            _ = try InstancePath.requireInstance(id, store: engine.store)
            return try Self.answer(engine.store, scope: .instance, name: id, query)
        }
    }

    /// `GET /api/accounts/{name}/equity?from=&to=&max_points=`.
    func accountEquity(_ request: Request, _ context: Context) async throws -> Response {
        let name = try InstancePath.name(context, parameter: "name", noun: "account")
        let query = try EquitySeriesQuery.read(request)
        return try await BlockingWork.run { [engine] in
            try InstancePath.requireAccount(name, store: engine.store)
            return try Self.answer(engine.store, scope: .account, name: name, query)
        }
    }

    private static func answer(_ store: any InstanceStore, scope: EquityScope, name: String, _ query: EquitySeriesQuery) throws -> Response {
        let range = try store.equityPoints(scope: scope, name: name, from: query.from ?? -.infinity, to: query.to ?? .infinity)
        return JSONResponse.make(query.series(scope: scope, name: name, range: range))
    }
}
