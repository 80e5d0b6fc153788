/// The part of a store that lets several `strata serve` nodes share one database: node
/// registration with heartbeats, and instance leases with fencing tokens. Times are judged by
/// the database's clock, so nodes whose clocks drift still agree on what has expired. Same rules
/// as ``InstanceStore``: thread-safe, one transaction per call, ``StoreError`` on failure.
///
/// Only a store that several machines can reach implements it (PostgreSQL); the embedded SQLite
/// store is for one machine.
public protocol ClusterStore: Sendable {
    /// Registers `node` (or refreshes its heartbeat and address) and returns every registered
    /// node, each judged alive when its heartbeat is at most `timeout` seconds old.
    func heartbeat(node: String, address: String?, timeout: Double) throws -> [NodeRecord]

    /// Every registered node, alive or not, by name; `alive` as in ``heartbeat(node:address:timeout:)``.
    func nodes(timeout: Double) throws -> [NodeRecord]

    /// Every lease, live or expired, by instance id.
    func leases() throws -> [InstanceLease]

    /// One round of a node's lease keeper, in one transaction:
    /// - renews each lease in `renew` (instance id → the token the node holds) that still carries
    ///   that token, even past its expiry (nobody took it meanwhile);
    /// - takes each instance in `take` whose lease is missing, expired, or registered to this
    ///   same node (a previous life of it), with a new, larger token;
    /// - releases each lease in `release` that still carries the given token.
    ///
    /// Every lease written expires `ttl` seconds from the database's now.
    /// - Returns: every lease the node holds after the round (instance id → lease).
    func claimLeases(
        node: String, renew: [String: Int64], take: [String], release: [String: Int64], ttl: Double
    ) throws -> [String: InstanceLease]

    /// Reserves `count` tick numbers that no other node will use, and returns the first (the
    /// block is `first ..< first + count`): nodes number the ticks they journal from blocks, so
    /// their journals never collide. The journal's head (``ReplayStore/lastTickSeq()``) moves
    /// past the block.
    func reserveTickSeqs(_ count: Int) throws -> Int64

    /// A graceful stop: releases every lease `node` holds and removes its registration.
    func leaveCluster(node: String) throws
}
