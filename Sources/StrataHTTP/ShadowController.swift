import Foundation
import Hummingbird
import StrataEngine
import StrataRuntime

/// An instance's shadow: set, read (its widgets, decisions and log beside the instance's),
/// remove and promote.
struct ShadowController<Context: RequestContext>: Sendable {
    let engine: any EngineGateway
    let bodyLimits: RequestBodyLimits

    func addRoutes(to router: Router<Context>) {
        router.get("/api/instances/:id/shadow") { request, context in try await self.show(try await self.local(request, context)) }
        router.put("/api/instances/:id/shadow") { request, context in try await self.set(request, try await self.local(request, context)) }
        router.delete("/api/instances/:id/shadow") { request, context in try await self.remove(try await self.local(request, context)) }
        router.post("/api/instances/:id/shadow/promote") { request, context in
            try await self.promote(try await self.local(request, context))
        }
    }

    /// The instance's id, once it is known to exist (404) and not to run on another node of the
    /// cluster (307 there): its shadow runs beside it, its catalog vets the shadow's script, and a
    /// promotion writes that node's strategies folder.
    func local(_ request: Request, _ context: Context) async throws -> String {
        let id = try InstancePath.id(context)
        let target = InstanceOwner.target(of: request)
        try await BlockingWork.run { [engine] in
            _ = try InstancePath.requireInstance(id, store: engine.store)
            try InstanceOwner.requireLocal(id, target: target, engine: engine)
        }
        return id
    }

    /// `GET`: the stored shadow, what the engine runs of it (status, ticks, widgets now, log),
    /// and its would-be orders beside the instance's orders and signals; `status` `none` (and
    /// nothing else) when the instance has no shadow.
    func show(_ id: String) async throws -> Response {
        let found = try await BlockingWork.run { [engine] () -> (ShadowRecord, [Order], [SignalRecord], [SignalRecord])? in
            let record = try InstancePath.requireInstance(id, store: engine.store)
            guard let shadow = try engine.store.shadow(instanceID: id) else { return nil }
            return (
                shadow, try engine.store.orders(instanceID: record.id, limit: 100), try engine.store.signals(instanceID: record.id, limit: 100),
                try engine.store.shadowSignals(instanceID: record.id, limit: 100)
            )
        }
        guard let (record, live, liveSignals, shadowSignals) = found else {
            return JSONResponse.make(.object(["instance_id": .string(id), "status": .string("none")]))
        }
        let running: ShadowState?
        do {
            running = try await engine.shadow(instanceID: id)
        } catch is EngineLoopError {
            running = nil
        }
        var body = Self.record(record)
        body["status"] = .string(running.map { $0.view.running ? "running" : "error" } ?? "stopped")
        body["error"] = running?.view.error.map { APIJSON.failure(.init(message: $0.message, kind: $0.kind.rawValue, traceback: $0.traceback)) } ?? .null
        body["ticks"] = .integer(Int64(running?.view.ticks ?? 0))
        switch running?.rendered {
        case .success(let output)?:
            body["widgets"] = .array(output["widgets"]?.arrayValue ?? [])
            body["render_error"] = .null
        case .failure(let error)?:
            body["widgets"] = .array([])
            body["render_error"] = APIJSON.failure(.init(message: error.message, kind: error.kind.rawValue, traceback: error.traceback))
        case nil:
            body["widgets"] = .array([])
            body["render_error"] = .null
        }
        body["logs"] = .array((running?.view.logs ?? []).suffix(100).reversed().map { APIJSON.log(InstanceLogEntry(instanceID: id, line: $0)) })
        body["live_orders"] = .array(live.reversed().map(APIJSON.order))
        body["live_signals"] = .array(liveSignals.reversed().map(APIJSON.signal))
        body["shadow_signals"] = .array(shadowSignals.reversed().map(APIJSON.signal))
        return JSONResponse.make(.object(body))
    }

    /// `PUT` with `{"source"?: string, "config"?: object}`: the shadow's own script (none: the
    /// instance's version) and config changes over the instance's config. The script is loaded
    /// in a confined worker first; a bad field or script is a 422 naming it.
    func set(_ request: Request, _ id: String) async throws -> Response {
        let body = try await request.jsonObject(limits: bodyLimits)
        var errors: [APIError.FieldError] = body.keys.sorted().filter { $0 != "source" && $0 != "config" }.map {
            .init($0, "unknown field (allowed: source, config)")
        }
        var source: String?
        switch body["source"] {
        case nil, .null?: break
        case .string(let text)?: source = text
        case let value?: errors.append(.init("source", "must be a string (a Lua script), got \(value.typeName)"))
        }
        var changes: [String: JSONValue] = [:]
        switch body["config"] {
        case nil, .null?: break
        case .object(let object)?: changes = object
        case let value?: errors.append(.init("config", "must be an object, got \(value.typeName)"))
        }
        guard errors.isEmpty else { throw APIError.badRequest(errors) }
        return try await BlockingWork.run { [engine, source, changes] in
            let record = try InstancePath.requireInstance(id, store: engine.store)
            let catalog = engine.catalog
            let edit = ShadowEdit(limits: catalog.limits, vettingWorker: catalog.trialWorker)
            switch edit.prepare(for: record, source: source, changes: changes, current: catalog.entries[record.strategyType]?.script) {
            case .success(let prepared):
                let shadow = try engine.store.setShadow(instanceID: id, source: prepared.source, config: prepared.config, actor: .api)
                return JSONResponse.make(.object(Self.record(shadow)))
            case .failure(.config(let errors)): throw APIError.invalid(errors.fields.map { .init("config." + $0.field, $0.message) })
            case .failure(.script(let error)): throw APIError.invalid([.init("source", "does not load: \(error.message)")])
            case .failure(.noScript(let message)): throw APIError.invalid([.init("source", message)])
            }
        }
    }

    /// `DELETE`: 204 whether there was one or not (removing is idempotent; only a removal is
    /// audited); 404 for an unknown instance.
    func remove(_ id: String) async throws -> Response {
        return try await BlockingWork.run { [engine] in
            _ = try InstancePath.requireInstance(id, store: engine.store)
            try engine.store.removeShadow(instanceID: id, actor: .api)
            return Response(status: .noContent)
        }
    }

    /// `POST …/promote`: the shadow's script becomes its type's file, its config the instance's,
    /// and the engine hands its state over. Answers the instance's new desired state; 409 when
    /// the instance has no shadow.
    func promote(_ id: String) async throws -> Response {
        return try await BlockingWork.run { [engine] in
            let record = try InstancePath.requireInstance(id, store: engine.store)
            guard let shadow = try engine.store.shadow(instanceID: id) else {
                throw APIError.conflict("id", "instance '\(QueryReader.shown(id))' has no shadow to promote")
            }
            if let source = shadow.source {
                try ShadowEdit.install(source, type: record.strategyType, in: URL(fileURLWithPath: engine.strategiesDirectory))
            }
            let promoted = try engine.store.requestPromotion(instanceID: id, actor: .api)
            return JSONResponse.make(
                .object([
                    "instance_id": .string(promoted.id), "config": .object(promoted.config), "version": APIJSON.optional(shadow.version, JSONValue.string),
                ])
            )
        }
    }

    /// The stored shadow's fields.
    static func record(_ shadow: ShadowRecord) -> [String: JSONValue] {
        [
            "instance_id": .string(shadow.instanceID), "version": APIJSON.optional(shadow.version, JSONValue.string),
            "own_script": .bool(shadow.source != nil), "config": .object(shadow.config), "created_at": APIJSON.time(shadow.createdAt),
            "updated_at": APIJSON.time(shadow.updatedAt),
        ]
    }
}
