import Foundation

/// Who runs an instance in a cluster: a node holds its lease until `expiresAt` (the database's
/// clock) and renews it every round. Each time the lease changes hands its `token` grows; every
/// write a node makes for the instance carries the token it holds, and the store refuses a
/// write whose token is no longer the lease's (fencing), so a node that was paused or cut off
/// past its lease cannot act for the instance after another node took it.
public struct InstanceLease: Sendable, Equatable {
    /// The instance.
    public var instanceID: String
    /// The node that holds it.
    public var node: String
    /// The fencing token: larger on every change of hands.
    public var token: Int64
    /// Until when the lease holds without renewal (database clock).
    public var expiresAt: Date
    /// Whether it had not expired when it was read (judged by the database's clock).
    public var live: Bool

    public init(instanceID: String, node: String, token: Int64, expiresAt: Date, live: Bool) {
        self.instanceID = instanceID
        self.node = node
        self.token = token
        self.expiresAt = expiresAt
        self.live = live
    }
}
