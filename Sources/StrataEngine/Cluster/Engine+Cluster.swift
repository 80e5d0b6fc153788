import Foundation
import StrataRuntime

/// Running in a cluster: the engine runs only the instances whose lease this node holds. Each
/// lease round (every ``ClusterMembership/renewInterval``) sends a heartbeat, computes which
/// instances this node should run (``LeaseAssignment`` over the live nodes), hands over the ones
/// another live node should run (stopped, saved and released while the token still holds), and
/// in one transaction renews the rest, takes the free or expired ones assigned to it, and
/// releases. The lease book then holds exactly the tokens the store returned, and the store
/// fences every write for an instance with it.
extension Engine {
    /// The instances this engine should run, of `all`: every one on a single machine; in a
    /// cluster, the ones it holds a lease for and is not handing over.
    func owned(_ all: [InstanceRecord]) -> [InstanceRecord] {
        guard cluster != nil else { return all }
        return all.filter { leaseKeeper.held[$0.id] != nil && !leaseKeeper.handingOver.contains($0.id) }
    }

    /// One lease round (see the extension's summary). Reconciles as part of it when the held set
    /// changes, so an instance is stopped (and its last state saved) before its lease goes.
    /// - Throws: when the store cannot be reached; the leases held stay as they were and expire
    ///   if the store stays out of reach (then other nodes take the instances over).
    @discardableResult
    public func leaseRound() throws -> LeaseRound {
        guard let cluster else { return LeaseRound() }
        var round = LeaseRound()
        let nodes = try cluster.store.heartbeat(node: cluster.node, address: cluster.address, timeout: cluster.leaseTTL)
        round.liveNodes = Array(Set(nodes.filter(\.alive).map(\.name) + [cluster.node])).sorted()
        // The first round only says this node is alive: nodes started together see each other
        // before any takes instances, so none grabs them all only to hand most of them back.
        guard leaseKeeper.announced else {
            leaseKeeper.announced = true
            return round
        }
        let all = try store.instances()
        let assignment = LeaseAssignment.assign(all.map(\.id), to: round.liveNodes)
        let held = leaseKeeper.held
        // Hand over only to a live node that should run it; an instance that no longer exists is
        // simply released.
        let handOver = held.keys.filter { id in
            guard let target = assignment[id] else { return true }
            return target != cluster.node
        }
        if !handOver.isEmpty {
            leaseKeeper.handingOver = Set(handOver)
            try reconcile()
            try? saveStatuses()
            try? flushActivity()
        }
        // Taken a bounded number at a time: their loading must leave the heartbeats going.
        let take = Array(all.map(\.id).filter { assignment[$0] == cluster.node && held[$0] == nil }.prefix(cluster.takeLimit))
        let renew = held.filter { !leaseKeeper.handingOver.contains($0.key) }
        let release = held.filter { leaseKeeper.handingOver.contains($0.key) }
        let after = try cluster.store.claimLeases(
            node: cluster.node, renew: renew, take: take, release: release, ttl: cluster.leaseTTL)
        let tokens = after.mapValues(\.token)
        round.released = release.keys.sorted()
        round.lost = renew.keys.filter { tokens[$0] != renew[$0] }.sorted()
        round.gained = tokens.keys.filter { held[$0] == nil }.sorted()
        leaseKeeper.held = tokens
        leaseKeeper.handingOver = []
        cluster.leases.replace(with: tokens)
        if !round.gained.isEmpty { try adopt(round.gained, from: all) }
        return round
    }

    /// A graceful stop in a cluster: every lease released and the node unregistered, after the
    /// engine saved its instances' last states and statuses (so the nodes that take them over
    /// resume from there).
    public func leaveCluster() {
        guard let cluster else { return }
        do {
            // Written while the tokens still hold: nothing this node ran stays `running`.
            let now = Date()
            let stopped = try store.statuses().compactMap { status -> InstanceStatus? in
                guard leaseKeeper.held[status.instanceID] != nil, status.state == .running || status.state == .loading else { return nil }
                var status = status
                status.state = .stopped
                status.updatedAt = now
                return status
            }
            try store.saveStatuses(stopped, overRunningOnly: false)
        } catch {
            counters.record(.statusWrite, "cluster: could not write the instances as stopped: \(error)")
        }
        do {
            try cluster.store.leaveCluster(node: cluster.node)
        } catch {
            counters.record(.reconcile, "cluster: could not leave: \(error)")
        }
        leaseKeeper.held = [:]
        cluster.leases.replace(with: [:])
    }

    /// Forgets every lease (they could not be renewed in time): the next reconcile stops the
    /// instances. Returns whether any was held.
    func dropAllLeases() -> Bool {
        guard let cluster, !leaseKeeper.held.isEmpty else { return false }
        leaseKeeper.held = [:]
        cluster.leases.replace(with: [:])
        return true
    }

    /// Books instances this node just took over from the store: another node may have traded
    /// for them since this broker last saw them, so their books are rebuilt from the stored fills
    /// and orders left open by the previous node are recorded as cancelled.
    private func adopt(_ ids: [String], from all: [InstanceRecord]) throws {
        let identities = Dictionary(all.map { ($0.id, $0.identity) }, uniquingKeysWith: { first, _ in first })
        var cancelled: [Order] = []
        for id in ids {
            guard let identity = identities[id] else { continue }
            cancelled += broker.forgetInstance(id)
            for fill in try store.fillsSinceReset(instanceID: id, limit: Self.adoptedFillsLimit) {
                broker.restore(
                    fillOf: fill.orderID, for: identity, side: fill.side, quantity: fill.quantity,
                    price: fill.price, fee: fill.fee, time: fill.time)
            }
            cancelled += try store.orders(instanceID: id, limit: Self.adoptedFillsLimit).filter { $0.status == .open }.map { order in
                var order = order
                order.status = .cancelled
                return order
            }
        }
        activity.openFlushed.subtract(cancelled.map(\.id))
        if !cancelled.isEmpty { try store.saveOrders(cancelled) }
    }

    /// The most fills read to rebuild an instance's book on takeover.
    static var adoptedFillsLimit: Int { 1_000_000 }
}
