import Hummingbird
import StrataEngine
import StrataRuntime

/// What led an instance to an order or a signal: `GET /api/instances/{id}/why?seq=N`, where N
/// is the tick the order or signal names (`tick_seq`). Answers the market's journaled ticks up
/// to N, the newest `state` snapshot at or before N (decoded for reading), and the instance's
/// log lines around tick N's time.
struct InstanceWhyController<Context: RequestContext>: Sendable {
    /// Ticks shown: the newest at or before N.
    static var tickCount: Int { 50 }
    /// Log lines shown: those at most this many seconds from tick N.
    static var logWindow: Double { 60 }
    static var logCount: Int { 100 }

    let engine: any EngineGateway
    var snapshotLimits = SnapshotContents.Limits()

    func addRoutes(to router: Router<Context>) {
        router.get("/api/instances/:id/why") { request, context in try await self.why(request, context) }
    }

    func why(_ request: Request, _ context: Context) async throws -> Response {
        var query = QueryReader(request)
        let seq = query.requiredInteger("seq", in: 1...Int.max)
        try query.check()
        let id = try InstancePath.id(context)
        return try await BlockingWork.run { [engine, snapshotLimits] in
            let store = engine.store
            let record = try InstancePath.requireInstance(id, store: store)
            let through = Int64(seq ?? 1)
            let ticks = try store.journaledTicks(market: record.market, through: through, last: Self.tickCount)
            // Tick N itself when it is journaled; else the last tick before it (N was pruned).
            let logs = try ticks.last.map {
                try store.logs(instanceID: record.id, around: $0.ts, window: Self.logWindow, limit: Self.logCount)
            }
            // The state the decision started from: a snapshot taken at tick N already holds what
            // handling N did, so the newest one before N.
            let snapshot = try store.snapshot(instanceID: record.id, atOrBefore: through - 1)
            // Decoded here, on the blocking queue: a large state takes a while.
            let shown = snapshot.map { APIJSON.snapshot($0, SnapshotDecodeGate.decode($0.bytes, limits: snapshotLimits)) }
            return JSONResponse.make(
                .object([
                    "seq": .integer(through), "market": .string(record.market),
                    "ticks": .array(ticks.map(APIJSON.tick)),
                    "snapshot": shown ?? .null,
                    "logs": .array((logs ?? []).map(APIJSON.log)),
                ]))
        }
    }
}
