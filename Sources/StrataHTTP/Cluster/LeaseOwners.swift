import StrataEngine

/// Which node runs which instance: the live leases of the cluster's store, read once for a
/// request, so that a list of 10,000 instances looks each one up here and not in the database.
struct LeaseOwners: Sendable {
    /// This node's name (nil: one machine).
    let node: String?
    private let owners: [String: String]

    /// One machine: no leases, every instance is this engine's.
    static let none = LeaseOwners(node: nil, owners: [:])

    /// The live leases of `cluster`'s store; none on one machine (blocking: call it through
    /// ``BlockingWork``).
    static func read(_ cluster: ClusterMembership?) throws -> LeaseOwners {
        guard let cluster else { return .none }
        var owners: [String: String] = [:]
        for lease in try cluster.store.leases() where lease.live { owners[lease.instanceID] = lease.node }
        return LeaseOwners(node: cluster.node, owners: owners)
    }

    /// The node holding a live lease for `instanceID` (nil: nobody, or one machine).
    func owner(of instanceID: String) -> String? { owners[instanceID] }

    /// How long this node's engine has stalled, for an instance this node may be running:
    /// another node's instance ticks whatever happens here.
    func stalledFor(_ instanceID: String, engine: any EngineGateway) -> Double? {
        guard let owner = owners[instanceID], owner != node else { return engine.stalledFor }
        return nil
    }
}
