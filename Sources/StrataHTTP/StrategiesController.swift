import Hummingbird
import StrataEngine
import StrataRuntime

/// `GET /api/strategies`: every type in the strategies folder with its current version, config
/// schema, stored versions and the error of a broken save.
struct StrategiesController<Context: RequestContext>: Sendable {
    let engine: any EngineGateway

    func addRoutes(to router: Router<Context>) {
        router.get("/api/strategies") { _, _ in try await BlockingWork.run { try self.list() } }
    }

    func list() throws -> Response {
        let entries = engine.catalog.entries.values.sorted { $0.strategyType < $1.strategyType }
        let strategies = try entries.map { entry -> JSONValue in
            let versions = try engine.store.versions(strategyType: entry.strategyType).map { version -> JSONValue in
                .object(["hash": .string(version.hash), "first_seen": APIJSON.time(version.firstSeen)])
            }
            return .object([
                "strategy_type": .string(entry.strategyType),
                "version": APIJSON.optional(entry.version, JSONValue.string),
                "schema": .array(entry.schema?.fields.map(APIJSON.configField) ?? []),
                "versions": .array(versions),
                "error": APIJSON.optional(entry.problem, APIJSON.failure),
            ])
        }
        return JSONResponse.make(.object(["strategies": .array(strategies)]))
    }
}
