import Foundation
import StrataEngine
import StrataPostgres
import StrataRuntime
import Testing

/// A real cluster on loopback: three `strata serve` nodes over one throwaway PostgreSQL
/// database, instances trading on paper; one node killed with SIGKILL, another paused with
/// SIGSTOP past its lease and resumed.
@Suite(.serialized) struct ClusterFailoverTests {
    static let instanceCount = 12

    @Test func instancesMoveToSurvivorsAndNeverRunOnTwoNodes() throws {
        let name = "cluster_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let server = try #require(ProcessInfo.processInfo.environment["STRATA_TEST_POSTGRES_URL"], "tools/test.sh starts PostgreSQL")
        let url = try PostgresDatabases.create(String(name), onServerOf: server)
        defer { try? PostgresDatabases.drop(String(name), onServerOf: server) }
        let store = try PostgresStore(url: url)
        defer { try? store.close() }
        for index in 0..<Self.instanceCount {
            let identity = InstanceIdentity(id: "i\(index)", strategyType: "sma_cross", account: "paper", market: index % 2 == 0 ? "BTC/USD" : "ETH/USD")
            try store.createInstance(identity, mode: .active, config: ["fast": .integer(2), "slow": .integer(3)], actor: .cli)
        }
        let folder = try temporaryFolder()
        var nodes: [String: LiveServer] = [:]
        for node in ["n1", "n2", "n3"] {
            nodes[node] = try LiveServer(
                ["--db", url, "--node", node, "--isolation", "none", "--no-demo", "--rate", "20", "--lease-ttl", "3"],
                log: folder.appendingPathComponent("\(node).log"))
        }
        defer { for server in nodes.values where server.process.isRunning { kill(server.process.processIdentifier, SIGCONT) } }

        // Spread over the three, each instance ticking.
        let spread = try waitFor(seconds: 20) { try Self.liveOwners(store).count == Self.instanceCount && Set(try Self.liveOwners(store).values).count == 3 }
        #expect(spread, "leases: \(Self.owners(store))")
        #expect(try waitFor(seconds: 20) { try store.statuses().filter { $0.state == .running && $0.ticks > 0 }.count == Self.instanceCount })

        // SIGKILL the node that holds the most: its instances run again on the survivors.
        let owners = try Self.liveOwners(store)
        let victim = Dictionary(grouping: owners.values, by: { $0 }).max { $0.value.count < $1.value.count }!.key
        let moved = owners.filter { $0.value == victim }.map(\.key)
        kill(nodes[victim]!.process.processIdentifier, SIGKILL)
        let killedAt = Date()
        let failedOver = try waitFor(seconds: 15) {
            let now = try Self.liveOwners(store)
            let statuses = Dictionary(uniqueKeysWithValues: try store.statuses().map { ($0.instanceID, $0) })
            return moved.allSatisfy { id in
                guard let owner = now[id], owner != victim, let status = statuses[id] else { return false }
                return status.state == .running && (status.lastTickAt ?? .distantPast) > killedAt
            }
        }
        #expect(failedOver, "after SIGKILL of \(victim): \(Self.owners(store)); \(nodes.values.map(\.output).joined().suffix(2000))")

        // SIGSTOP a survivor past its lease: the last node takes its instances; resumed, it
        // must not take them back or act for them.
        let survivors = ["n1", "n2", "n3"].filter { $0 != victim }
        let paused = survivors[0]
        let last = survivors[1]
        kill(nodes[paused]!.process.processIdentifier, SIGSTOP)
        let takenOver = try waitFor(seconds: 15) { Set(try Self.liveOwners(store).values) == [last] }
        #expect(takenOver, "after SIGSTOP of \(paused): \(Self.owners(store))")
        let tokensBefore = try store.leases().reduce(into: [String: Int64]()) { $0[$1.instanceID] = $1.token }
        kill(nodes[paused]!.process.processIdentifier, SIGCONT)
        Thread.sleep(forTimeInterval: 3)
        for lease in try store.leases() where lease.live {
            // Handing back to the resumed node after it rejoined is allowed; a lease is never
            // taken without a new, larger token.
            #expect(lease.token >= tokensBefore[lease.instanceID] ?? 0)
        }

        // No order recorded twice, and no instance acted from two nodes at once: its orders
        // change node (by the prefix of their ids, in time order) at most as often as its lease
        // changed hands (each change grows the token by one, from 1). Two nodes acting at once
        // would alternate far more often.
        let history = try store.allOrdersAndFills()
        #expect(Set(history.orders.map(\.id)).count == history.orders.count)
        #expect(Dictionary(grouping: history.fills, by: \.orderID).values.allSatisfy { $0.count == 1 })
        let tokens = try store.leases().reduce(into: [String: Int64]()) { $0[$1.instanceID] = $1.token }
        for (instance, orders) in Dictionary(grouping: history.orders, by: \.instanceID) {
            let sequence = orders.sorted { $0.createdAt < $1.createdAt }.map { String($0.id.prefix { $0 != "." }) }
            let switches = zip(sequence, sequence.dropFirst()).filter { $0 != $1 }.count
            #expect(Int64(switches) <= (tokens[instance] ?? 1) - 1, "\(instance): orders from \(sequence), token \(tokens[instance] ?? 0)")
        }
        for (_, server) in nodes where server.process.isRunning { _ = server.stop(SIGTERM, within: 15) }
    }

    /// Each instance with a live lease → its node.
    static func liveOwners(_ store: PostgresStore) throws -> [String: String] {
        try store.leases().filter(\.live).reduce(into: [:]) { $0[$1.instanceID] = $1.node }
    }

    /// The live owners, or none when the store does not answer (for messages).
    static func owners(_ store: PostgresStore) -> [String: String] { (try? liveOwners(store)) ?? [:] }

    /// Polls `condition` every 0.2 s for up to `seconds`.
    func waitFor(seconds: Double, _ condition: () throws -> Bool) throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return try condition()
    }
}
