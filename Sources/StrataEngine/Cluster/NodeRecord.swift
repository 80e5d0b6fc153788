import Foundation

/// A `strata serve --node NAME` process as the cluster's store knows it: registered on start,
/// its heartbeat refreshed every round of its lease keeper, removed when it stops gracefully.
public struct NodeRecord: Sendable, Equatable {
    /// The node's name (`--node`), unique in the cluster.
    public var name: String
    /// Where its HTTP API answers (`http://HOST:PORT`), for requests that need the instance it
    /// runs; nil until the server listens.
    public var address: String?
    /// When this process registered.
    public var startedAt: Date
    /// Its last heartbeat, by the database's clock.
    public var heartbeatAt: Date
    /// Whether the heartbeat is within the node timeout, judged by the database's clock (never
    /// by the reader's, which may drift).
    public var alive: Bool
    /// The live leases it holds.
    public var leases: Int

    public init(name: String, address: String?, startedAt: Date, heartbeatAt: Date, alive: Bool, leases: Int) {
        self.name = name
        self.address = address
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.alive = alive
        self.leases = leases
    }
}
