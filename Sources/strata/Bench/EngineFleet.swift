import Foundation
import StrataEngine
import StrataPersistence
import StrataRuntime
import Synchronization

/// The desired state of a fleet: a temporary folder with the strategy and a store holding many
/// instance rows of it, all on one market in mode observe — a SQLite file in the folder, or the
/// PostgreSQL database given. Created once per run and shared by every `EngineFleet` (creating
/// 10,000 rows takes seconds).
final class FleetStore {
    let instances: Int
    let market = "BTC/USD"
    let strategies: URL
    /// The SQLite file's path or the PostgreSQL database's URL.
    let database: String
    /// Seconds the store took to create the rows (not part of any figure).
    let rowSeconds: Double
    private let folder: URL

    /// - Parameter strategyType: the file's name in the strategies folder and the rows' type.
    ///   - postgres: the URL of an empty PostgreSQL database to hold the rows (nil: a SQLite file).
    init(scriptPath: String, instances: Int, strategyType: String = "sma", postgres: String? = nil, progress: (String) -> Void) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-fleet-\(UUID().uuidString)")
        strategies = folder.appendingPathComponent("strategies")
        database = postgres ?? folder.appendingPathComponent("strata.db").path
        self.instances = instances
        try FileManager.default.createDirectory(at: strategies, withIntermediateDirectories: true)
        guard let source = FileManager.default.contents(atPath: scriptPath) else { throw UsageError("cannot read \(scriptPath)") }
        try source.write(to: strategies.appendingPathComponent("\(strategyType).lua"))
        let store = try StoreOpening.open(database)
        defer { try? store.close() }
        if instances > 1 { progress("creating \(instances) instance rows…") }
        let start = ContinuousClock.now
        // A server takes rows from several connections at once; SQLite has one writer.
        let market = market
        try Self.createRows(
            in: store, count: instances, threads: postgres == nil ? 1 : 8,
            identity: { InstanceIdentity(id: String(format: "\(strategyType)-%05d", $0), strategyType: strategyType, account: "paper", market: market) },
            mode: .observe, config: [:])
        rowSeconds = nanoseconds(ContinuousClock.now - start) / 1e9
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Creates `count` instance rows (the `identity` of each index) from `threads` threads.
    static func createRows(
        in store: any InstanceStore, count: Int, threads: Int, identity: @Sendable (Int) -> InstanceIdentity, mode: InstanceMode,
        config: [String: JSONValue]
    ) throws {
        let failure = Mutex<(any Error)?>(nil)
        DispatchQueue.concurrentPerform(iterations: threads) { part in
            for index in stride(from: part, to: count, by: threads) {
                do {
                    try store.createInstance(identity(index), mode: mode, config: config, actor: "bench")
                } catch {
                    failure.withLock { $0 = $0 ?? error }
                    return
                }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
    }
}

/// A fresh engine over a `FleetStore`, with every instance loaded the way a user gets them:
/// `Engine.reconcile()` reading the rows and loading them all — in this process, or in worker
/// processes as `strata serve --isolation process` runs them.
final class EngineFleet {
    let engine: Engine
    let rows: FleetStore
    /// Seconds of the first `reconcile()`: restore the paper broker from the store, compile and
    /// check the script, build and initialise every instance, write their statuses.
    let reconcileSeconds: Double
    /// The worker processes asked for, nil when the instances run in this process.
    let processes: Int?

    /// - Parameters:
    ///   - workers: the engine's tick threads, nil for its default (one per core).
    ///   - tickBatch: the most ticks of one market an instance gets in one visit.
    ///   - processes: run the instances in this many worker processes of this binary (`strata
    ///     worker`, confined as `strata serve` confines them); nil: in this process.
    init(_ rows: FleetStore, workers: Int?, tickBatch: Int, processes: Int? = nil, progress: (String) -> Void) throws {
        self.rows = rows
        let store = try StoreOpening.open(rows.database)
        let library = StrategyLibrary(directory: rows.strategies)
        let isolation = processes.map { WorkerFleetOptions(workers: $0, faults: false) }
        engine =
            workers.map { Engine(store: store, library: library, workers: $0, tickBatch: tickBatch, isolation: isolation) }
            ?? Engine(store: store, library: library, tickBatch: tickBatch, isolation: isolation)
        self.processes = processes
        let placement = processes.map { "\($0) worker process(es)" } ?? "\(engine.workers) worker(s)"
        progress("loading \(rows.instances) instance(s) (Engine.reconcile; \(placement), tick batch \(engine.tickBatch))…")
        let start = ContinuousClock.now
        try engine.reconcile()
        reconcileSeconds = nanoseconds(ContinuousClock.now - start) / 1e9
        try checkAllRunning()
    }

    deinit {
        engine.stopWorkers()
        try? engine.store.close()
    }

    var instances: Int { rows.instances }
    var market: String { rows.market }

    /// Throws unless every instance is running (a failed one would make the figures lie).
    func checkAllRunning() throws {
        guard engine.runningCount != instances else { return }
        let failed = engine.snapshots.first { $0.value.failed }?.key
        let reason = try failed.flatMap { try engine.store.status(instanceID: $0)?.lastError?.message } ?? "unknown"
        throw UsageError("only \(engine.runningCount) of \(instances) instances are running (\(failed ?? "?"): \(reason))")
    }
}
