import Hummingbird
import StrataEngine
import StrataRuntime

/// Live performance over HTTP: an instance's or an account's metrics for a window of its
/// recorded history, computed as `strata backtest` computes them (``LivePerformance``), with the
/// round trips rebuilt from the stored fills.
struct PerformanceController<Context: RequestContext>: Sendable {
    let engine: any EngineGateway

    func addRoutes(to router: Router<Context>) {
        router.get("/api/instances/:id/performance") { request, context in try await self.instancePerformance(request, context) }
        router.get("/api/accounts/:name/performance") { request, context in try await self.accountPerformance(request, context) }
    }

    /// `GET /api/instances/{id}/performance?from=&to=`.
    func instancePerformance(_ request: Request, _ context: Context) async throws -> Response {
        let id = try InstancePath.id(context)
        let window = try EquitySeriesQuery.read(request)
        return try await BlockingWork.run { [engine] in
            let record = try InstancePath.requireInstance(id, store: engine.store)
            let account = try InstancePath.requireAccount(record.account, store: engine.store)
            let fills = try engine.store.fillsSinceReset(instanceID: id, limit: Self.maxFills)
            return try Self.answer(engine.store, scope: .instance, name: id, account: account, fills: fills, window)
        }
    }

    /// `GET /api/accounts/{name}/performance?from=&to=`.
    func accountPerformance(_ request: Request, _ context: Context) async throws -> Response {
        let name = try InstancePath.name(context, parameter: "name", noun: "account")
        let window = try EquitySeriesQuery.read(request)
        return try await BlockingWork.run { [engine] in
            let account = try InstancePath.requireAccount(name, store: engine.store)
            let members = Set(try engine.store.instances().filter { $0.account == name }.map(\.id))
            let fills = try engine.store.tradingHistory().countedFills.filter { members.contains($0.instanceID) }
            return try Self.answer(engine.store, scope: .account, name: name, account: account, fills: fills, window)
        }
    }

    /// The most fills of one instance read to rebuild its round trips (the newest; a longer
    /// history starts its first round trip mid-way).
    static var maxFills: Int { 1_000_000 }

    /// How far before a window its starting equity is looked for.
    static var lookBack: Double { 7 * 86_400 }

    private static func answer(
        _ store: any InstanceStore, scope: EquityScope, name: String, account: AccountRecord, fills: [FillRecord], _ window: EquitySeriesQuery
    ) throws -> Response {
        let from = window.from ?? -.infinity
        let to = window.to ?? .infinity
        let points = try store.equityPoints(scope: scope, name: name, from: from, to: to).points
        // The equity just before the window (looked for over the week before it): a window that
        // starts with the history starts from the base cash, as a backtest starts from its cash.
        let earlier =
            from > -.infinity ? try store.equityPoints(scope: scope, name: name, from: from - Self.lookBack, to: from).points.last { $0.t < from } : nil
        let start = earlier?.equity ?? account.baseCash
        let live = LivePerformance(
            points: points.map { .init(time: $0.t, equity: $0.equity, position: $0.position) }, start: start,
            fills: fills, from: window.from, to: window.to)
        var object: [String: JSONValue] = [
            "scope": .string(scope.rawValue), "name": .string(name),
            "from": APIJSON.optional(window.from ?? points.first?.t, JSONValue.number),
            "to": APIJSON.optional(window.to ?? points.last?.t, JSONValue.number),
            "metrics": .object(live.metrics.json.mapValues(Self.finite)),
            "round_trips": .array(live.roundTrips.map(Self.trip)),
        ]
        if scope == .account {
            object["by_instance"] = .array(live.byInstance.map { contribution($0, key: "id") })
            object["by_market"] = .array(live.byMarket.map { contribution($0, key: "market") })
        }
        return JSONResponse.make(.object(object))
    }

    /// A round trip as `backtest --json` prints a trade, with the instance and market that made it.
    private static func trip(_ trip: LivePerformance.Trip) -> JSONValue {
        guard case .object(var object) = trip.roundTrip.json else { return trip.roundTrip.json }
        object["instance_id"] = .string(trip.instanceID)
        object["market"] = .string(trip.market)
        return .object(object)
    }

    /// JSON has no NaN or infinity: such a number is null.
    private static func finite(_ value: JSONValue) -> JSONValue {
        if case .number(let number) = value { return APIJSON.number(number) }
        return value
    }

    private static func contribution(_ value: LivePerformance.Contribution, key: String) -> JSONValue {
        .object([key: .string(value.key), "pnl": APIJSON.number(value.pnl), "fees": APIJSON.number(value.fees), "trades": .integer(Int64(value.trades))])
    }
}
