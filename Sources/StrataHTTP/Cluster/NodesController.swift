import Hummingbird
import StrataEngine

/// `GET /api/nodes`: the cluster's nodes as its store knows them, and which one answered.
struct NodesController<Context: RequestContext>: Sendable {
    let engine: any EngineGateway

    func addRoutes(to router: Router<Context>) {
        router.get("/api/nodes") { _, _ in try await self.list() }
    }

    /// Every registered node by name, alive when its heartbeat is within the lease TTL (by the
    /// database's clock). On one machine: `{"node": null, "clustered": false, "nodes": []}`.
    func list() async throws -> Response {
        guard let cluster = engine.cluster else {
            return JSONResponse.make(.object(["node": .null, "clustered": .bool(false), "nodes": .array([])]))
        }
        let nodes = try await BlockingWork.run { try cluster.store.nodes(timeout: cluster.leaseTTL) }
        return JSONResponse.make(
            .object(["node": .string(cluster.node), "clustered": .bool(true), "nodes": .array(nodes.map(APIJSON.node))]))
    }
}
