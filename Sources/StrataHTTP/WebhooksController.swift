import Foundation
import Hummingbird
import StrataEngine
import StrataRuntime

/// The webhooks: list, add, remove, and each one's delivery log. The secret is write-only: it is
/// taken on `POST` and never answered (`has_secret` says whether there is one). Changes are
/// audited (actor `api`); the running notifier picks them up within its refresh interval.
struct WebhooksController<Context: RequestContext>: Sendable {
    let engine: any EngineGateway
    let bodyLimits: RequestBodyLimits

    func addRoutes(to router: Router<Context>) {
        router.get("/api/webhooks") { _, _ in try await self.list() }
        router.post("/api/webhooks") { request, _ in try await self.add(request) }
        router.delete("/api/webhooks/:id") { _, context in try await self.remove(context) }
        router.get("/api/webhooks/:id/deliveries") { request, context in try await self.deliveries(request, context) }
    }

    /// The store's webhooks, or 409 when it keeps none (every store Strata ships does).
    private func store() throws -> any WebhookStore {
        guard let store = engine.store as? any WebhookStore else { throw APIError.conflict("", "this store keeps no webhooks") }
        return store
    }

    /// `GET`: every webhook, by id.
    func list() async throws -> Response {
        let store = try store()
        return try await BlockingWork.run {
            JSONResponse.make(.object(["webhooks": .array(try store.webhooks().map(\.json))]))
        }
    }

    /// `POST` with `{"url", "events", "secret"?, "enabled"?}`: 201 with the webhook. A wrong type
    /// or an unknown field is 400; a bad URL, an unknown or missing event, a bad secret 422 (each
    /// named); a full store 409.
    func add(_ request: Request) async throws -> Response {
        let store = try store()
        let body = try await request.jsonObject(limits: bodyLimits)
        let allowed: Set<String> = ["url", "events", "secret", "enabled"]
        var errors: [APIError.FieldError] = body.keys.sorted().filter { !allowed.contains($0) }.map {
            .init(QueryReader.shown($0), "unknown field (allowed: url, events, secret, enabled)")
        }
        var url = ""
        switch body["url"] {
        case .string(let text)?: url = text
        case nil, .null?: errors.append(.init("url", "is required: an http:// or https:// URL"))
        case let value?: errors.append(.init("url", "must be a string, got \(value.typeName)"))
        }
        var events: [String] = []
        switch body["events"] {
        case .array(let items)?:
            for (index, item) in items.enumerated() {
                if case .string(let name) = item {
                    events.append(name)
                } else {
                    errors.append(.init("events[\(index)]", "must be a string, got \(item.typeName)"))
                }
            }
        case nil, .null?: errors.append(.init("events", "is required: a list of \(WebhookEventType.names)"))
        case let value?: errors.append(.init("events", "must be an array of strings, got \(value.typeName)"))
        }
        var secret: String?
        switch body["secret"] {
        case .string(let text)?: secret = text
        case nil, .null?: break
        case let value?: errors.append(.init("secret", "must be a string, got \(value.typeName)"))
        }
        var enabled = true
        switch body["enabled"] {
        case .bool(let flag)?: enabled = flag
        case nil, .null?: break
        case let value?: errors.append(.init("enabled", "must be a boolean, got \(value.typeName)"))
        }
        guard errors.isEmpty else { throw APIError.badRequest(errors) }
        let spec: WebhookSpec
        do {
            spec = try WebhookSpec(url: url, events: events, secret: secret, enabled: enabled)
        } catch let error as WebhookSpecError {
            throw APIError.invalid(error.problems.map { .init($0.field, $0.message) })
        }
        return try await BlockingWork.run {
            do {
                return JSONResponse.make(try store.addWebhook(spec, actor: .api).json, status: .created)
            } catch let error as StoreError where error.code == .invalidArgument {
                throw APIError.conflict("", error.message)
            }
        }
    }

    /// `DELETE /api/webhooks/{id}`: 204, or 404 for an unknown id.
    func remove(_ context: Context) async throws -> Response {
        let store = try store()
        let id = try Self.id(context)
        return try await BlockingWork.run {
            guard try store.removeWebhook(id: id, actor: .api) else { throw Self.unknown(id) }
            return Response(status: .noContent)
        }
    }

    /// `GET /api/webhooks/{id}/deliveries?limit=`: the newest lines (1–1000, default 100), newest first.
    func deliveries(_ request: Request, _ context: Context) async throws -> Response {
        let store = try store()
        var query = QueryReader(request)
        let limit = query.integer("limit", in: 1...1000, default: 100)
        try query.check()
        let id = try Self.id(context)
        return try await BlockingWork.run {
            guard try store.webhooks().contains(where: { $0.id == id }) else { throw Self.unknown(id) }
            let lines = try store.deliveries(webhookID: id, limit: limit)
            return JSONResponse.make(.object(["webhook_id": .integer(id), "deliveries": .array(lines.map(\.json))]))
        }
    }

    /// The path's id: a positive integer; anything else names no webhook (404).
    static func id(_ context: Context) throws -> Int64 {
        let text = context.parameters.get("id") ?? ""
        guard let id = Int64(text), id > 0 else {
            throw APIError.notFound("id", "no webhook '\(QueryReader.shown(text))' (ids are positive integers: see GET /api/webhooks)")
        }
        return id
    }

    static func unknown(_ id: Int64) -> APIError {
        APIError.notFound("id", "no webhook \(id) (see GET /api/webhooks)")
    }
}
