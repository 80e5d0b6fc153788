/// What one lease round changed for a node: the instances it gained (new tokens: load them from
/// the store's state) and the ones it lost or handed over (stop running them).
public struct LeaseRound: Sendable, Equatable {
    /// Instances this node now holds and did not before.
    public var gained: [String] = []
    /// Instances another node took (their token changed, e.g. after this node was paused past
    /// its lease): stopped without writes, which fencing would refuse anyway.
    public var lost: [String] = []
    /// Instances handed over to the node the assignment gives them to (stopped, saved, released).
    public var released: [String] = []
    /// The live nodes this round saw (this one included).
    public var liveNodes: [String] = []

    public init() {}

    /// Whether the set of instances this node runs changed.
    public var changed: Bool { !gained.isEmpty || !lost.isEmpty || !released.isEmpty }
}

/// The lease keeper's memory between rounds, owned by the engine (its thread).
struct LeaseKeeperState {
    /// The leases this node holds: instance id → token.
    var held: [String: Int64] = [:]
    /// Instances being handed over: unloaded in this round, released in the claim.
    var handingOver: Set<String> = []
    /// Whether a round has announced this node (the first round only heartbeats).
    var announced = false
}
