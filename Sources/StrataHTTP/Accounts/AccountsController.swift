import Foundation
import Hummingbird
import StrataEngine
import StrataRuntime

/// Accounts over HTTP: list, create, show, fund, reset, and each one's audit. Writes are desired
/// state, audited with the actor `api`; the engine applies a funding or a reset before its next
/// tick round. An account's figures come from the engine's live paper broker (`price_source`
/// `live`), or, when the engine is not running, from the store's fills (`last_fill`).
struct AccountsController<Context: RequestContext>: Sendable {
    let engine: any EngineGateway
    let bodyLimits: RequestBodyLimits

    /// The most control audit entries one answer holds.
    static var auditLimit: Int { 500 }

    func addRoutes(to router: Router<Context>) {
        router.get("/api/accounts") { _, _ in try await self.list() }
        router.post("/api/accounts") { request, _ in try await self.create(request) }
        router.get("/api/accounts/:name") { _, context in try await self.show(context) }
        router.post("/api/accounts/:name/fund") { request, context in try await self.fund(request, context) }
        router.post("/api/accounts/:name/reset") { _, context in try await self.reset(context) }
        router.get("/api/accounts/:name/audit") { _, context in try await self.audit(context) }
    }

    /// `GET /api/accounts`: every account, by name.
    func list() async throws -> Response {
        let (records, instances) = try await BlockingWork.run { [engine] in (try engine.store.accounts(), try engine.store.instances()) }
        var list: [JSONValue] = []
        for record in records { list.append(APIJSON.account(try await statement(record, instances: instances))) }
        return JSONResponse.make(.object(["accounts": .array(list)]))
    }

    /// `POST /api/accounts` with a `NewAccount`: 201 and the account; 409 when the name is taken.
    func create(_ request: Request) async throws -> Response {
        let account = try AccountRequests.newAccount(try await request.jsonObject(limits: bodyLimits))
        let created = try await BlockingWork.run { [engine] in
            do {
                return try engine.store.createAccount(account, actor: .api)
            } catch let error as StoreError where error.code == .alreadyExists {
                throw APIError.conflict("name", "account '\(QueryReader.shown(account.name))' already exists")
            }
        }
        return JSONResponse.make(APIJSON.account(try await statement(created)), status: .created)
    }

    /// `GET /api/accounts/{name}`.
    func show(_ context: Context) async throws -> Response {
        let record = try await require(try InstancePath.name(context, parameter: "name", noun: "account"))
        return JSONResponse.make(APIJSON.account(try await statement(record)))
    }

    /// `POST /api/accounts/{name}/fund` with `{"amount"}`.
    func fund(_ request: Request, _ context: Context) async throws -> Response {
        let name = try InstancePath.name(context, parameter: "name", noun: "account")
        _ = try await require(name)
        let amount = try AccountRequests.funding(try await request.jsonObject(limits: bodyLimits))
        let funded = try await BlockingWork.run { [engine] in
            try Self.mapped(refused: "amount") { try engine.store.fundAccount(name, amount: amount, actor: .api) }
        }
        return JSONResponse.make(APIJSON.account(try await statement(funded)))
    }

    /// `POST /api/accounts/{name}/reset` (no body): 409 while an instance of it is active.
    func reset(_ context: Context) async throws -> Response {
        let name = try InstancePath.name(context, parameter: "name", noun: "account")
        let reset = try await BlockingWork.run { [engine] in
            try Self.mapped(refused: "name") { try engine.store.resetAccount(name, actor: .api) }
        }
        return JSONResponse.make(APIJSON.account(try await statement(reset)))
    }

    /// `GET /api/accounts/{name}/audit`: the account's control audit, oldest first.
    func audit(_ context: Context) async throws -> Response {
        let name = try await require(try InstancePath.name(context, parameter: "name", noun: "account")).name
        return try await BlockingWork.run { [engine] in
            JSONResponse.make(.object(["audit": .array(try engine.store.accountAudit(name: name, limit: Self.auditLimit).map(APIJSON.controlAudit))]))
        }
    }

    /// The account `name`, or 404 naming it.
    private func require(_ name: String) async throws -> AccountRecord {
        try await BlockingWork.run { [engine] in
            guard let record = try engine.store.account(name: name) else { throw Self.unknown(name) }
            return record
        }
    }

    /// The statement of `record`: the engine's live one, or the store's when the engine is not running.
    private func statement(_ record: AccountRecord, instances known: [InstanceRecord]? = nil) async throws -> AccountStatement {
        let instances: [InstanceRecord]
        if let known { instances = known } else { instances = try await BlockingWork.run { [engine] in try engine.store.instances() } }
        do {
            return try await engine.accountStatement(record, instances: instances)
        } catch is EngineLoopError {
            return try await BlockingWork.run { [engine] in
                AccountStatement.fromHistory(account: record, instances: instances, history: try engine.store.tradingHistory())
            }
        }
    }

    /// Runs a store write, its errors as the API's: unknown account 404, active instances 409,
    /// a refused value 422 naming the field `refused`.
    private static func mapped<T>(refused field: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError where error.code == .notFound {
            throw APIError.notFound("name", error.message)
        } catch let error as StoreError where error.code == .conflict {
            throw APIError.conflict("name", error.message)
        } catch let error as StoreError where error.code == .invalidArgument {
            throw APIError.invalid([.init(field, error.message)])
        }
    }

    private static func unknown(_ name: String) -> APIError {
        APIError.notFound("name", "no account '\(QueryReader.shown(name))' (GET /api/accounts lists them)")
    }
}
