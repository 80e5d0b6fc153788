import Foundation
import StrataEngine
import StrataPostgres
import StrataRuntime

/// What the cluster benchmarks share: a database of their own with instance rows, a strategies
/// folder, the nodes started over them, and reads of where things stand.
final class BenchCluster {
    let store: PostgresStore
    let db: String
    let strategies: URL
    let folder: URL
    private(set) var nodes: [String: ClusterNode] = [:]

    /// A new database on `postgres` and a temporary strategies folder holding `script` as `type`.
    init(postgres: BenchPostgres, purpose: String, script: String, type: String) throws {
        db = try postgres.database(purpose)
        store = try PostgresStore(url: db)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-\(purpose)-\(UUID().uuidString.prefix(8))")
        strategies = folder.appendingPathComponent("strategies")
        try FileManager.default.createDirectory(at: strategies, withIntermediateDirectories: true)
        guard let source = FileManager.default.contents(atPath: script) else { throw UsageError("cannot read \(script)") }
        try source.write(to: strategies.appendingPathComponent("\(type).lua"))
        // The shared modules the script may require come along.
        let lib = URL(fileURLWithPath: script).deletingLastPathComponent().appendingPathComponent("lib")
        if FileManager.default.fileExists(atPath: lib.path) {
            try FileManager.default.copyItem(at: lib, to: strategies.appendingPathComponent("lib"))
        }
    }

    deinit {
        for node in nodes.values { node.stop(within: 10) }
        try? store.close()
        try? FileManager.default.removeItem(at: folder)
    }

    /// Creates `count` instance rows (ids `PREFIX-00042`), spread over `markets`, from 8 threads.
    func createInstances(
        _ count: Int, type: String, markets: [String], mode: InstanceMode, config: [String: JSONValue] = [:], prefix: String = "i"
    ) throws {
        try FleetStore.createRows(
            in: store, count: count, threads: 8,
            identity: { InstanceIdentity(id: String(format: "\(prefix)-%05d", $0), strategyType: type, account: "paper", market: markets[$0 % markets.count]) },
            mode: mode, config: config)
    }

    /// Starts node `name` (`strata serve --node NAME ARGUMENTS`).
    func start(_ name: String, _ arguments: [String]) throws {
        nodes[name] = try ClusterNode(name: name, db: db, strategies: strategies, arguments: arguments, logFolder: folder)
    }

    /// Kills node `name` with SIGKILL and forgets it.
    func kill(_ name: String) {
        nodes.removeValue(forKey: name)?.kill(SIGKILL)
    }

    /// Stops every node gracefully.
    func stopAll() {
        for node in nodes.values { node.stop() }
        nodes = [:]
    }

    /// Each instance with a live lease → its node.
    func liveOwners() throws -> [String: String] {
        try store.leases().filter(\.live).reduce(into: [:]) { $0[$1.instanceID] = $1.node }
    }

    /// Polls `condition` every `every` seconds for up to `seconds`; the time it first held.
    func waitFor(_ seconds: Double, every: Double = 0.2, _ condition: () throws -> Bool) throws -> Date? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return Date() }
            Thread.sleep(forTimeInterval: every)
        }
        return nil
    }

    /// The last lines the nodes wrote (for error messages).
    var logTail: String {
        nodes.values.map { "\($0.name): \($0.output.suffix(600))" }.joined(separator: "\n")
    }
}
