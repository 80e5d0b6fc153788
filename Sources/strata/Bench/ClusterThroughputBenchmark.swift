import Foundation
import StrataEngine
import StrataRuntime

/// cluster_10k: many instances of sma.lua (mode observe) over one PostgreSQL, run first by one
/// `strata serve` node, then by three on the same machine; the figure is the ticks all nodes
/// deliver per second together, with a synthetic feed faster than they can follow (an engine
/// behind its feed takes a bounded span of it per step, so both setups run flat out). The
/// baseline is the one node: the ratio says what the second and third node bring (on one
/// machine they share its cores). Ticks are counted from the statuses the nodes write: per
/// instance, ticks gained over its status's time between two reads `window` seconds apart.
struct ClusterThroughputBenchmark {
    let instances: Int
    var markets = 10
    /// Synthetic ticks per second per market: demand is rate × instances.
    var rate = 200.0
    var window = 10.0

    /// One setup's rate and what its node processes used.
    struct Run {
        var ticksPerSecond: Double
        var cores: Double
        var loadSeconds: Double
    }

    func figure(postgres: BenchPostgres, script: String, session: BenchSession) throws -> BenchFigure {
        let cluster = try BenchCluster(postgres: postgres, purpose: "cluster", script: script, type: "sma")
        session.progress("creating \(instances) instance rows in PostgreSQL…")
        try cluster.createInstances(instances, type: "sma", markets: (0..<markets).map { "M\($0)/USD" }, mode: .observe)
        let one = try run(["a"], cluster: cluster, session: session)
        let three = try run(["a", "b", "c"], cluster: cluster, session: session)
        var figure = BenchFigure(
            name: "cluster_10k", rate: three.ticksPerSecond, unit: "ticks/s (3 nodes, all instances)", baselineRate: one.ticksPerSecond,
            extras: [
                "instances": .integer(Int64(instances)), "markets": .integer(Int64(markets)),
                "demand_ticks_per_second": .number(rate * Double(instances)),
                "one_node_ticks_per_second": .number(BenchFigure.rounded(one.ticksPerSecond)),
                "three_nodes_over_one": .number(BenchFigure.rounded(three.ticksPerSecond / one.ticksPerSecond, digits: 3)),
                "cores_used": .object(["one_node": .number(BenchFigure.rounded(one.cores)), "three_nodes": .number(BenchFigure.rounded(three.cores))]),
                "until_all_ticking_seconds": .object([
                    "one_node": .number(BenchFigure.rounded(one.loadSeconds)), "three_nodes": .number(BenchFigure.rounded(three.loadSeconds)),
                ]),
                "machine_cores": .integer(Int64(ProcessInfo.processInfo.activeProcessorCount)),
            ],
            note: String(
                format: "baseline: one node; 3 nodes give %.2f× one node's ticks/s, using %.2f cores vs %.2f (%d cores here)",
                three.ticksPerSecond / one.ticksPerSecond, three.cores, one.cores, ProcessInfo.processInfo.activeProcessorCount))
        figure.ratioMeans = "one node's ticks/s ÷ three nodes' ticks/s"
        return figure
    }

    /// Runs the instances on `nodes` until every one ticks, then counts ticks for `window` seconds.
    private func run(_ nodes: [String], cluster: BenchCluster, session: BenchSession) throws -> Run {
        session.progress("\(nodes.count) node(s): starting, waiting until all \(instances) instances tick…")
        let start = Date()
        for node in nodes { try cluster.start(node, ["--rate", String(rate)]) }
        defer { cluster.stopAll() }
        let ticking = try cluster.waitFor(300, every: 0.5) {
            let owners = try cluster.liveOwners()
            guard owners.count == instances, Set(owners.values).count == nodes.count else { return false }
            return try cluster.store.statuses().filter { $0.state == .running && $0.ticks > 0 }.count == instances
        }
        guard let ticking else { throw UsageError("\(nodes.count) node(s) did not run all \(instances) instances within 300 s\n\(cluster.logTail)") }
        Thread.sleep(forTimeInterval: 3)  // past the first, uneven steps
        let before = try cluster.store.statuses()
        let cpuBefore = cpuSeconds(cluster)
        let clock = ContinuousClock.now
        session.progress("\(nodes.count) node(s): counting ticks for \(Int(window)) s…")
        Thread.sleep(forTimeInterval: window)
        let after = try cluster.store.statuses()
        let cores = (cpuSeconds(cluster) - cpuBefore) / (nanoseconds(ContinuousClock.now - clock) / 1e9)
        let rate = Self.ticksPerSecond(before: before, after: after)
        session.progress(String(format: "  %d node(s): %.0f ticks/s, %.2f cores", nodes.count, rate, cores))
        return Run(ticksPerSecond: rate, cores: cores, loadSeconds: ticking.timeIntervalSince(start))
    }

    /// Σ over instances of ticks gained ÷ their status's time gained (instances restarted or
    /// not written meanwhile are left out).
    static func ticksPerSecond(before: [InstanceStatus], after: [InstanceStatus]) -> Double {
        let earlier = Dictionary(uniqueKeysWithValues: before.map { ($0.instanceID, $0) })
        return after.reduce(0) { sum, status in
            guard let old = earlier[status.instanceID], status.ticks >= old.ticks else { return sum }
            let seconds = status.updatedAt.timeIntervalSince(old.updatedAt)
            return seconds > 0.5 ? sum + Double(status.ticks - old.ticks) / seconds : sum
        }
    }

    /// CPU seconds (user + system) the nodes' processes have used so far.
    private func cpuSeconds(_ cluster: BenchCluster) -> Double {
        let tick = Double(sysconf(Int32(_SC_CLK_TCK)))
        return cluster.nodes.values.reduce(0) { sum, node in
            guard let text = try? String(contentsOfFile: "/proc/\(node.process.processIdentifier)/stat", encoding: .utf8),
                let close = text.lastIndex(of: ")")
            else { return sum }
            let fields = text[text.index(after: close)...].split(separator: " ")
            // After the name: state is field 0, utime field 11, stime field 12.
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return sum }
            return sum + (user + system) / tick
        }
    }
}
