import Foundation
import StrataEngine
import StrataRuntime

/// failover: three `strata serve` nodes over one PostgreSQL, instances trading on paper; the
/// node holding the most is killed with SIGKILL, and the figure is the time until every one of
/// its instances ticks again on a survivor (its status there says running with a tick stamped
/// after the kill). Each trial then starts the node again and waits until the cluster is even
/// before the next. The leases' default TTL; goal ≤ 5 s. No baseline: no C program does this.
struct FailoverBenchmark {
    let instances: Int
    let trials: Int
    var leaseTTL = 3.0
    static let goal = 5.0
    static let nodes = ["a", "b", "c"]

    struct Trial {
        /// Seconds from the kill until the moved instances' leases were all live elsewhere.
        var leased: Double
        /// Seconds from the kill until they all ticked elsewhere (the figure).
        var ticking: Double
        var moved: Int
    }

    func figure(postgres: BenchPostgres, script: String, session: BenchSession) throws -> BenchFigure {
        let cluster = try BenchCluster(postgres: postgres, purpose: "failover", script: script, type: "sma_cross")
        try cluster.createInstances(
            instances, type: "sma_cross", markets: ["BTC/USD", "ETH/USD"], mode: .active,
            config: ["fast": .integer(2), "slow": .integer(3)])
        let arguments = ["--rate", "20", "--lease-ttl", String(leaseTTL)]
        session.progress("starting 3 nodes over PostgreSQL with \(instances) active instances…")
        for node in Self.nodes { try cluster.start(node, arguments) }
        var results: [Trial] = []
        for trial in 1...trials {
            try waitUntilEven(cluster)
            let owners = try cluster.liveOwners()
            let victim = Dictionary(grouping: owners.values, by: { $0 }).max { $0.value.count < $1.value.count }!.key
            let moved = owners.filter { $0.value == victim }.map(\.key)
            cluster.kill(victim)
            let killedAt = Date()
            var leasedAt: Date?
            let tickingAt = try cluster.waitFor(30, every: 0.02) {
                let now = try cluster.liveOwners()
                if leasedAt == nil, moved.allSatisfy({ now[$0].map { $0 != victim } ?? false }) { leasedAt = Date() }
                guard leasedAt != nil else { return false }
                let statuses = Dictionary(uniqueKeysWithValues: try cluster.store.statuses().map { ($0.instanceID, $0) })
                return moved.allSatisfy { id in
                    guard let status = statuses[id] else { return false }
                    return status.state == .running && (status.lastTickAt ?? .distantPast) > killedAt
                }
            }
            guard let tickingAt, let leasedAt else {
                throw UsageError("trial \(trial): the instances of node \(victim) did not run elsewhere within 30 s\n\(cluster.logTail)")
            }
            let result = Trial(leased: leasedAt.timeIntervalSince(killedAt), ticking: tickingAt.timeIntervalSince(killedAt), moved: moved.count)
            session.progress(String(format: "  trial %d: %d instances of node %@ ticking elsewhere after %.2f s", trial, moved.count, victim, result.ticking))
            results.append(result)
            try restart(victim, cluster: cluster, arguments: arguments)
        }
        cluster.stopAll()
        let ticking = results.map(\.ticking)
        let leased = results.map(\.leased)
        return BenchFigure(
            name: "failover", value: ticking.quantile(0.5), unit: "s (median, kill → ticking elsewhere)", baseline: nil,
            extras: [
                "trials_seconds": .array(ticking.map { .number(BenchFigure.rounded($0, digits: 3)) }),
                "max_seconds": .number(BenchFigure.rounded(ticking.max() ?? 0, digits: 3)),
                "leased_seconds": .array(leased.map { .number(BenchFigure.rounded($0, digits: 3)) }),
                "moved": .array(results.map { .integer(Int64($0.moved)) }),
                "instances": .integer(Int64(instances)), "nodes": .integer(3), "lease_ttl": .number(leaseTTL),
                "goal_seconds": .number(Self.goal),
            ],
            note: String(
                format: "max %.2f s over %d kills (goal ≤ %.0f s); leases taken after %.2f s (median); lease TTL %.0f s",
                ticking.max() ?? 0, results.count, Self.goal, leased.quantile(0.5), leaseTTL))
    }

    /// Waits until every instance has a live lease, every node holds some, and each ticks.
    private func waitUntilEven(_ cluster: BenchCluster) throws {
        let settled = try cluster.waitFor(90) {
            let owners = try cluster.liveOwners()
            guard owners.count == instances, Set(owners.values).count == Self.nodes.count else { return false }
            return try cluster.store.statuses().filter { $0.state == .running && $0.ticks > 0 }.count == instances
        }
        guard settled != nil else { throw UsageError("the cluster did not spread its instances within 90 s\n\(cluster.logTail)") }
    }

    /// Starts a killed node again once its heartbeat has expired (a live name is refused).
    private func restart(_ name: String, cluster: BenchCluster, arguments: [String]) throws {
        let expired = try cluster.waitFor(30) { try !cluster.store.nodes(timeout: leaseTTL).contains { $0.name == name && $0.alive } }
        guard expired != nil else { throw UsageError("node \(name)'s heartbeat did not expire") }
        try cluster.start(name, arguments)
    }
}
