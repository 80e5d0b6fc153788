import Foundation
import Hummingbird
import StrataEngine
import StrataRuntime

/// What an instance shows and did: its widgets rendered now, and its orders, signals, log
/// lines and audit history, newest first.
struct InstanceActivityController<Context: RequestContext>: Sendable {
    let engine: any EngineGateway

    func addRoutes(to router: Router<Context>) {
        router.get("/api/instances/:id/ui") { request, context in try await self.render(request, context) }
        router.get("/api/instances/:id/orders") { request, context in
            try await self.history(request, context, key: "orders") { store, id, limit in try store.orders(instanceID: id, limit: limit).map(APIJSON.order) }
        }
        router.get("/api/instances/:id/signals") { request, context in
            try await self.history(request, context, key: "signals") { store, id, limit in try store.signals(instanceID: id, limit: limit).map(APIJSON.signal) }
        }
        router.get("/api/instances/:id/logs") { request, context in
            try await self.history(request, context, key: "logs") { store, id, limit in try store.logs(instanceID: id, limit: limit).map(APIJSON.log) }
        }
        router.get("/api/instances/:id/audit") { _, context in try await self.audit(context) }
    }

    /// `GET /api/instances/{id}/ui`: `render()` on the engine's thread, now. A failed render is
    /// a 200 with `error` (the instance keeps running); an instance that is not running is 409;
    /// one that another node of the cluster runs is a 307 to that node.
    func render(_ request: Request, _ context: Context) async throws -> Response {
        let id = try InstancePath.id(context)
        let target = InstanceOwner.target(of: request)
        let record = try await BlockingWork.run { [engine] in
            let record = try InstancePath.requireInstance(id, store: engine.store)
            try InstanceOwner.requireLocal(id, target: target, engine: engine)
            return record
        }
        let rendered: RenderResult?
        do {
            rendered = try await engine.render(instanceID: record.id)
        } catch is EngineLoopError {
            throw APIError.conflict("id", "the engine is not running")
        }
        guard let rendered else {
            let state = try await BlockingWork.run { [engine] in try engine.store.status(instanceID: id)?.state } ?? .stopped
            let reason = record.mode == .off ? "its mode is off" : "its status is \(state.rawValue)"
            throw APIError.conflict("id", "instance '\(record.id)' is not running (\(reason))")
        }
        var body: [String: JSONValue] = [
            "instance_id": .string(record.id), "rendered_at": APIJSON.time(Date()),
            "version": APIJSON.optional(rendered.version, JSONValue.string),
        ]
        switch rendered.output {
        case .success(let output):
            body["widgets"] = .array(output["widgets"]?.arrayValue ?? [])
            body["error"] = .null
        case .failure(let error):
            body["widgets"] = .array([])
            body["error"] = APIJSON.failure(.init(message: error.message, kind: error.kind.rawValue, traceback: error.traceback))
        }
        return JSONResponse.make(.object(body))
    }

    /// A history list (`?limit=` 1–1000, default 100), newest first.
    func history(
        _ request: Request, _ context: Context, key: String,
        _ read: @escaping @Sendable (any InstanceStore, String, Int) throws -> [JSONValue]
    ) async throws -> Response {
        var query = QueryReader(request)
        let limit = query.integer("limit", in: 1...1000, default: 100)
        try query.check()
        let id = try InstancePath.id(context)
        return try await BlockingWork.run { [engine] in
            let record = try InstancePath.requireInstance(id, store: engine.store)
            // The store answers oldest first.
            let items = try read(engine.store, record.id, limit).reversed()
            return JSONResponse.make(.object([key: .array(Array(items))]))
        }
    }

    /// `GET /api/instances/{id}/audit`: every change, newest first.
    func audit(_ context: Context) async throws -> Response {
        let id = try InstancePath.id(context)
        return try await BlockingWork.run { [engine] in
            let record = try InstancePath.requireInstance(id, store: engine.store)
            let entries = try engine.store.auditLog(instanceID: record.id).reversed().map(APIJSON.audit)
            return JSONResponse.make(.object(["audit": .array(entries)]))
        }
    }
}
