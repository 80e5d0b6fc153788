import Foundation
import Hummingbird
import StrataEngine
import StrataRuntime

/// The desired state over HTTP: list, create, show, and the two mutable parts (config, mode).
/// Writes go through the same path as the CLI: validated against the strategy's schema by
/// ``ConfigEdit`` and stored with the audit actor `api`; the engine reconciles toward them.
struct InstancesController<Context: RequestContext>: Sendable {
    let engine: any EngineGateway
    let records: InstanceRecordCache
    let bodyLimits: RequestBodyLimits
    /// The live feed, whose state each instance of a market it serves shows as `feed`.
    let feed: any FeedStatusSource

    func addRoutes(to router: Router<Context>) {
        router.get("/api/instances") { request, _ in try await self.list(request) }
        router.post("/api/instances") { request, _ in try await self.create(request) }
        router.get("/api/instances/:id") { _, context in try await self.show(context) }
        router.patch("/api/instances/:id/config") { request, context in try await self.patchConfig(request, context) }
        router.put("/api/instances/:id/mode") { request, context in try await self.setMode(request, context) }
    }

    /// `GET /api/instances`: one page, filtered and sorted.
    func list(_ request: Request) async throws -> Response {
        var reader = QueryReader(request)
        let query = InstanceListQuery(&reader)
        try reader.check()
        return try await BlockingWork.run { [engine, records, feed] in
            let summaries = Dictionary(
                try engine.store.equitySummaries(scope: .instance).map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            let (page, total) = query.run(
                records: try records.records(in: engine.store), statuses: try engine.store.statuses(), summaries: summaries)
            let owners = try LeaseOwners.read(engine.cluster)
            let now = Date().timeIntervalSince1970
            let health = feed.feedHealth(now: now)
            return JSONResponse.make(
                .object([
                    "instances": .array(
                        page.map { record, status in
                            APIJSON.adding(
                                performance: summaries[record.id],
                                to: APIJSON.adding(
                                    feed: APIJSON.instanceFeed(health, market: record.market, now: now),
                                    to: APIJSON.summary(
                                        record, status, stalledFor: owners.stalledFor(record.id, engine: engine),
                                        node: owners.owner(of: record.id))))
                        }),
                    "total": .integer(Int64(total)), "offset": .integer(Int64(query.offset)), "limit": .integer(Int64(query.limit)),
                ]))
        }
    }

    /// `POST /api/instances`: 201 with the new instance.
    func create(_ request: Request) async throws -> Response {
        let new = try NewInstanceRequest(body: try await request.jsonObject(limits: bodyLimits))
        return try await BlockingWork.run { try self.create(new) }
    }

    private func create(_ new: NewInstanceRequest) throws -> Response {
        let catalog = engine.catalog
        let schema: ConfigSchema
        switch catalog.schema(for: new.strategyType) {
        case .success(let found): schema = found
        case .failure(let failure): throw APIError.invalid([.init("strategy_type", failure.message)])
        }
        let config: [String: JSONValue]
        switch schema.validate(new.config) {
        case .success(let valid): config = valid
        case .failure(let errors): throw APIError.invalid(errors.fields.map { .init($0, prefix: "config.") })
        }
        let id = new.id ?? InstanceIDRules.generate(strategyType: new.strategyType)
        let identity = InstanceIdentity(id: id, strategyType: new.strategyType, account: new.account, market: new.market)
        if let failure = catalog.trial(config, identity: identity, mode: new.mode, current: nil) {
            throw APIError.scriptRefused(failure)
        }
        let record: InstanceRecord
        do {
            record = try engine.store.createInstance(identity, mode: new.mode, config: config, actor: .api)
        } catch let error as StoreError where error.code == .alreadyExists {
            throw APIError.conflict("id", "an instance '\(id)' already exists")
        }
        let now = Date().timeIntervalSince1970
        var response = JSONResponse.make(
            APIJSON.adding(
                feed: APIJSON.instanceFeed(feed.feedHealth(now: now), market: record.market, now: now),
                to: APIJSON.detail(record, status: try engine.store.status(instanceID: id), catalog: catalog)),
            status: .created)
        response.headers[.location] = "/api/instances/" + (id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? id)
        return response
    }

    /// `GET /api/instances/{id}`.
    func show(_ context: Context) async throws -> Response {
        let id = try InstancePath.id(context)
        return try await BlockingWork.run { detail(try requireInstance(id)) }
    }

    /// `PATCH /api/instances/{id}/config`: merged over the current config, validated as a whole.
    func patchConfig(_ request: Request, _ context: Context) async throws -> Response {
        let id = try InstancePath.id(context)
        _ = try await BlockingWork.run { try requireInstance(id) }
        let changes = try await request.jsonObject(limits: bodyLimits)
        return try await BlockingWork.run { try patchConfig(id: id, changes) }
    }

    private func patchConfig(id: String, _ changes: [String: JSONValue]) throws -> Response {
        let record = try requireInstance(id)
        let catalog = engine.catalog
        let schema: ConfigSchema
        switch catalog.schema(for: record.strategyType) {
        case .success(let found): schema = found
        case .failure(let failure): throw APIError.invalid([.init("strategy_type", failure.message)])
        }
        let config: [String: JSONValue]
        switch ConfigEdit.merge(changes, into: record.config, schema: schema) {
        case .success(let valid): config = valid
        case .failure(let errors): throw APIError.invalid(errors.fields.map { .init($0) })
        }
        if config != record.config, let failure = catalog.trial(config, identity: record.identity, mode: record.mode, current: record.config) {
            throw APIError.scriptRefused(failure)
        }
        return detail(try engine.store.setConfig(id: record.id, to: config, actor: .api))
    }

    /// `PUT /api/instances/{id}/mode` with `{"mode": "observe"}`.
    func setMode(_ request: Request, _ context: Context) async throws -> Response {
        let id = try InstancePath.id(context)
        _ = try await BlockingWork.run { try requireInstance(id) }
        let body = try await request.jsonObject(limits: bodyLimits)
        var errors: [APIError.FieldError] = body.keys.sorted().filter { $0 != "mode" }.map { .init($0, "unknown field (allowed: mode)") }
        var mode: InstanceMode?
        switch body["mode"] {
        case nil, .null?: errors.append(.init("mode", "is required"))
        case .string(let text)?:
            mode = InstanceMode(rawValue: text)
            if mode == nil { errors.append(.init("mode", "must be off, observe or active, got '\(QueryReader.shown(text))'")) }
        case let value?: errors.append(.init("mode", "must be a string (off, observe or active), got \(value.typeName)"))
        }
        guard errors.isEmpty, let mode else { throw APIError.badRequest(errors) }
        return try await BlockingWork.run { detail(try engine.store.setMode(id: id, to: mode, actor: .api)) }
    }

    /// The answer of show and of both writes: like the status, a node that cannot be read (after
    /// a write that succeeded) is shown as none rather than failing the request.
    private func detail(_ record: InstanceRecord) -> Response {
        let status = try? engine.store.status(instanceID: record.id)
        let owners = (try? LeaseOwners.read(engine.cluster)) ?? .none
        let now = Date().timeIntervalSince1970
        return JSONResponse.make(
            APIJSON.adding(
                feed: APIJSON.instanceFeed(feed.feedHealth(now: now), market: record.market, now: now),
                to: APIJSON.detail(
                    record, status: status ?? nil, catalog: engine.catalog, stalledFor: owners.stalledFor(record.id, engine: engine),
                    node: owners.owner(of: record.id))))
    }

    private func requireInstance(_ id: String) throws -> InstanceRecord {
        try InstancePath.requireInstance(id, store: engine.store)
    }
}

/// The `{id}` of `/api/instances/{id}/…`.
enum InstancePath {
    /// The percent-decoded id of the path.
    /// - Throws: 404 when it is empty or not percent-encoded UTF-8; 400 when longer than
    ///   ``IdentifierCharacters/maxQueryLength`` or holding a character no identifier may hold.
    static func id(_ context: some RequestContext) throws -> String {
        try name(context, parameter: "id", noun: "instance")
    }

    /// The percent-decoded identifier in the path's `parameter` (an instance id, an account
    /// name), checked as ``id(_:)`` checks an id.
    static func name(_ context: some RequestContext, parameter: String, noun: String) throws -> String {
        guard let raw = context.parameters.get(parameter), let id = raw.removingPercentEncoding, !id.isEmpty else {
            throw APIError.notFound(parameter, "no such \(noun)")
        }
        if id.unicodeScalars.count > IdentifierCharacters.maxQueryLength {
            throw APIError.badRequest([.init(parameter, "must be at most \(IdentifierCharacters.maxQueryLength) characters")])
        }
        if let problem = IdentifierCharacters.problem(id) { throw APIError.badRequest([.init(parameter, problem)]) }
        return id
    }

    /// The instance `id` (blocking: call it through ``BlockingWork``).
    /// - Throws: 404 when there is none.
    static func requireInstance(_ id: String, store: any InstanceStore) throws -> InstanceRecord {
        guard let record = try store.instance(id: id) else {
            throw APIError.notFound("id", "no instance '\(QueryReader.shown(id))'")
        }
        return record
    }

    /// The account `name` (blocking: call it through ``BlockingWork``).
    /// - Throws: 404 when there is none.
    @discardableResult
    static func requireAccount(_ name: String, store: any InstanceStore) throws -> AccountRecord {
        guard let account = try store.account(name: name) else {
            throw APIError.notFound("account", "no account '\(QueryReader.shown(name))'")
        }
        return account
    }
}
