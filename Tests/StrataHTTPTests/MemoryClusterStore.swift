import Foundation
import StrataEngine
import Synchronization

/// The ``ClusterStore`` contract kept in memory, for the HTTP side's cluster tests without a
/// database: nodes alive while their heartbeat is within the timeout, leases live until they
/// expire, each change of hands with a larger token (the PostgreSQL store's tests check the real one).
final class MemoryClusterStore: ClusterStore {
    private struct State {
        var nodes: [String: NodeRecord] = [:]
        var leases: [String: InstanceLease] = [:]
        var nextToken: Int64 = 1
        var nextTick: Int64 = 1
    }

    private let state = Mutex(State())

    func heartbeat(node: String, address: String?, timeout: Double) throws -> [NodeRecord] {
        let now = Date()
        state.withLock { state in
            var record = state.nodes[node] ?? NodeRecord(name: node, address: nil, startedAt: now, heartbeatAt: now, alive: true, leases: 0)
            record.address = address
            record.heartbeatAt = now
            state.nodes[node] = record
        }
        return try nodes(timeout: timeout)
    }

    func nodes(timeout: Double) throws -> [NodeRecord] {
        let now = Date()
        return state.withLock { state in
            state.nodes.values.sorted { $0.name < $1.name }.map { node in
                var node = node
                node.alive = now.timeIntervalSince(node.heartbeatAt) <= timeout
                node.leases = state.leases.values.filter { $0.node == node.name && $0.expiresAt > now }.count
                return node
            }
        }
    }

    func leases() throws -> [InstanceLease] {
        let now = Date()
        return state.withLock { state in
            state.leases.values.sorted { $0.instanceID < $1.instanceID }.map { lease in
                var lease = lease
                lease.live = lease.expiresAt > now
                return lease
            }
        }
    }

    func claimLeases(
        node: String, renew: [String: Int64], take: [String], release: [String: Int64], ttl: Double
    ) throws -> [String: InstanceLease] {
        let now = Date()
        let expiry = now.addingTimeInterval(ttl)
        return state.withLock { state in
            for (id, token) in renew where state.leases[id]?.token == token { state.leases[id]?.expiresAt = expiry }
            for id in take {
                if let held = state.leases[id], held.expiresAt > now, held.node != node { continue }
                state.leases[id] = InstanceLease(instanceID: id, node: node, token: state.nextToken, expiresAt: expiry, live: true)
                state.nextToken += 1
            }
            for (id, token) in release where state.leases[id]?.token == token { state.leases[id] = nil }
            return state.leases.filter { $0.value.node == node }
        }
    }

    func reserveTickSeqs(_ count: Int) throws -> Int64 {
        state.withLock { state in
            defer { state.nextTick += Int64(count) }
            return state.nextTick
        }
    }

    func leaveCluster(node: String) throws {
        state.withLock { state in
            state.leases = state.leases.filter { $0.value.node != node }
            state.nodes[node] = nil
        }
    }

    /// Moves `node`'s heartbeat `seconds` into the past (a node that stopped renewing).
    func age(_ node: String, by seconds: Double) {
        state.withLock { $0.nodes[node]?.heartbeatAt.addTimeInterval(-seconds) }
    }
}
