import Hummingbird
import StrataEngine

/// Routes that need the running instance (its render, its shadow) answered by a node that does
/// not run it: the client is sent to the node that does, with a 307 naming it.
enum InstanceOwner {
    /// Throws a 307 to the node running `id` when it is another live node of the cluster; does
    /// nothing on one machine, for an instance this node runs, or one nobody holds (the route then
    /// answers as it would anyway). Blocking: call it through ``BlockingWork``.
    /// - Parameter target: the request's path and query, appended to the owner's address.
    /// - Throws: 307 (``APIError/runsElsewhere(_:node:address:target:)``); 409 when the owner has
    ///   not published an address yet.
    static func requireLocal(_ id: String, target: String, engine: any EngineGateway) throws {
        guard let cluster = engine.cluster else { return }
        guard let lease = try cluster.store.leases().first(where: { $0.instanceID == id && $0.live }), lease.node != cluster.node else {
            return
        }
        guard let owner = try cluster.store.nodes(timeout: cluster.leaseTTL).first(where: { $0.name == lease.node }), owner.alive else {
            return
        }
        guard let address = owner.address, !address.isEmpty else {
            throw APIError.conflict(
                "id", "instance '\(QueryReader.shown(id))' runs on node '\(QueryReader.shown(owner.name))', which has no HTTP address yet")
        }
        throw APIError.runsElsewhere(id, node: owner.name, address: address, target: target)
    }

    /// The path and query of `request`, as received (still percent-encoded).
    static func target(of request: Request) -> String {
        request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
    }
}
