import Foundation
import Hummingbird
import StrataEngine
import StrataRuntime

/// The risk gate over HTTP: an instance's and an account's limits, and the kill switch. Writes
/// are desired state, audited with the actor `api`; the engine applies them before its next
/// tick round.
struct RiskController<Context: RequestContext>: Sendable {
    let engine: any EngineGateway
    let bodyLimits: RequestBodyLimits

    func addRoutes(to router: Router<Context>) {
        router.get("/api/instances/:id/risk") { _, context in try await self.instanceRisk(context) }
        router.put("/api/instances/:id/risk") { request, context in try await self.setInstanceRisk(request, context) }
        router.get("/api/accounts/:name/risk") { _, context in try await self.accountRisk(context) }
        router.put("/api/accounts/:name/risk") { request, context in try await self.setAccountRisk(request, context) }
        router.get("/api/halts") { _, _ in try await self.halts() }
        router.post("/api/halt") { request, _ in try await self.halt(request) }
        router.post("/api/resume") { request, _ in try await self.resume(request) }
    }

    /// `GET /api/instances/{id}/risk`: its limits, its account's, and the halt it trades under.
    func instanceRisk(_ context: Context) async throws -> Response {
        let id = try InstancePath.id(context)
        return try await BlockingWork.run { [engine] in
            let record = try InstancePath.requireInstance(id, store: engine.store)
            return JSONResponse.make(APIJSON.instanceRisk(record, settings: try engine.store.riskSettings()))
        }
    }

    /// `PUT /api/instances/{id}/risk` with the limits (every limit; one left out or null is none).
    func setInstanceRisk(_ request: Request, _ context: Context) async throws -> Response {
        let id = try InstancePath.id(context)
        _ = try await BlockingWork.run { [engine] in try InstancePath.requireInstance(id, store: engine.store) }
        let limits = try Self.limits(try await request.jsonObject(limits: bodyLimits))
        return try await BlockingWork.run { [engine] in
            try engine.store.setRiskLimits(instanceID: id, to: limits, actor: .api)
            let record = try InstancePath.requireInstance(id, store: engine.store)
            return JSONResponse.make(APIJSON.instanceRisk(record, settings: try engine.store.riskSettings()))
        }
    }

    /// `GET /api/accounts/{name}/risk`: the account's limits and halt.
    func accountRisk(_ context: Context) async throws -> Response {
        let name = try InstancePath.name(context, parameter: "name", noun: "account")
        return try await BlockingWork.run { [engine] in
            try InstancePath.requireAccount(name, store: engine.store)
            return JSONResponse.make(APIJSON.accountRisk(name, settings: try engine.store.riskSettings()))
        }
    }

    /// `PUT /api/accounts/{name}/risk` with the limits all the account's instances share.
    func setAccountRisk(_ request: Request, _ context: Context) async throws -> Response {
        let name = try InstancePath.name(context, parameter: "name", noun: "account")
        _ = try await BlockingWork.run { [engine] in try InstancePath.requireAccount(name, store: engine.store) }
        let limits = try Self.limits(try await request.jsonObject(limits: bodyLimits))
        return try await BlockingWork.run { [engine] in
            try engine.store.setRiskLimits(account: name, to: limits, actor: .api)
            return JSONResponse.make(APIJSON.accountRisk(name, settings: try engine.store.riskSettings()))
        }
    }

    /// `GET /api/halts`: the halts in force and the latest changes to the gate.
    func halts() async throws -> Response {
        try await BlockingWork.run { [engine] in
            JSONResponse.make(APIJSON.halts(try engine.store.riskSettings().halts, audit: try engine.store.controlAudit(limit: 50)))
        }
    }

    /// `POST /api/halt` with `{"account"?: name, "reduce_only"?: bool}`: halts every account, or one.
    func halt(_ request: Request) async throws -> Response {
        let body = try await request.jsonObject(limits: bodyLimits)
        var errors = Self.unknownFields(body, allowed: ["account", "reduce_only"])
        let account = Self.account(body, errors: &errors)
        var reduceOnly = false
        switch body["reduce_only"] {
        case nil: break
        case .bool(let flag)?: reduceOnly = flag
        case let value?: errors.append(.init("reduce_only", "must be true or false, got \(value.typeName)"))
        }
        guard errors.isEmpty else { throw APIError.badRequest(errors) }
        return try await setHalt(account: account, to: reduceOnly ? .reduceOnly : .halted)
    }

    /// `POST /api/resume` with `{"account"?: name}`: lifts every halt, or that account's own.
    func resume(_ request: Request) async throws -> Response {
        let body = try await request.jsonObject(limits: bodyLimits)
        var errors = Self.unknownFields(body, allowed: ["account"])
        let account = Self.account(body, errors: &errors)
        guard errors.isEmpty else { throw APIError.badRequest(errors) }
        guard account == nil else { return try await setHalt(account: account, to: .trading) }
        return try await BlockingWork.run { [engine] in
            let halts = try engine.store.resumeAll(actor: .api)
            return JSONResponse.make(APIJSON.halts(halts, audit: try engine.store.controlAudit(limit: 50)))
        }
    }

    private func setHalt(account: String?, to halt: TradingHalt) async throws -> Response {
        try await BlockingWork.run { [engine] in
            if let account { try InstancePath.requireAccount(account, store: engine.store) }
            let halts = try engine.store.setHalt(account: account, to: halt, actor: .api)
            return JSONResponse.make(APIJSON.halts(halts, audit: try engine.store.controlAudit(limit: 50)))
        }
    }

    /// The limits of a body, or 422 naming every bad limit.
    static func limits(_ body: [String: JSONValue]) throws -> RiskLimits {
        switch RiskLimits.parse(.object(body)) {
        case .success(let limits): return limits
        case .failure(let errors): throw APIError.invalid(errors.fields.map { .init($0) })
        }
    }

    private static func unknownFields(_ body: [String: JSONValue], allowed: [String]) -> [APIError.FieldError] {
        body.keys.sorted().filter { !allowed.contains($0) }.map { .init($0, "unknown field (allowed: \(allowed.joined(separator: ", ")))") }
    }

    private static func account(_ body: [String: JSONValue], errors: inout [APIError.FieldError]) -> String? {
        switch body["account"] {
        case nil: return nil
        case .string(let name)? where !name.isEmpty:
            if let problem = IdentifierCharacters.problem(name) { errors.append(.init("account", problem)) }
            return name
        case .string?: errors.append(.init("account", "must not be empty (leave it out for every account)"))
        case .null?: errors.append(.init("account", "must be a string (leave it out for every account)"))
        case let value?: errors.append(.init("account", "must be a string, got \(value.typeName)"))
        }
        return nil
    }
}
