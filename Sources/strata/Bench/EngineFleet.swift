import Foundation
import StrataEngine
import StrataPersistence
import StrataRuntime

/// The desired state of a fleet: a temporary folder with the strategy and a SQLite store
/// holding many instance rows of it, all on one market in mode observe. Created once per run
/// and shared by every `EngineFleet` (creating 10,000 rows takes seconds).
final class FleetStore {
    let instances: Int
    let market = "BTC/USD"
    let strategies: URL
    let databasePath: String
    /// Seconds the store took to create the rows (not part of any figure).
    let rowSeconds: Double
    private let folder: URL

    init(scriptPath: String, instances: Int, progress: (String) -> Void) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-fleet-\(UUID().uuidString)")
        strategies = folder.appendingPathComponent("strategies")
        databasePath = folder.appendingPathComponent("strata.db").path
        self.instances = instances
        try FileManager.default.createDirectory(at: strategies, withIntermediateDirectories: true)
        guard let source = FileManager.default.contents(atPath: scriptPath) else { throw UsageError("cannot read \(scriptPath)") }
        try source.write(to: strategies.appendingPathComponent("sma.lua"))
        let store = try SQLiteStore(path: databasePath)
        progress("creating \(instances) instance rows…")
        let start = ContinuousClock.now
        for i in 0..<instances {
            let identity = InstanceIdentity(id: String(format: "sma-%05d", i), strategyType: "sma", account: "paper", market: market)
            try store.createInstance(identity, mode: .observe, config: [:], actor: "bench")
        }
        rowSeconds = nanoseconds(ContinuousClock.now - start) / 1e9
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }
}

/// A fresh engine over a `FleetStore`, with every instance loaded the way a user gets them:
/// `Engine.reconcile()` reading the rows and loading them all.
final class EngineFleet {
    let engine: Engine
    let rows: FleetStore
    /// Seconds of the first `reconcile()`: restore the paper broker from the store, compile and
    /// check the script, build and initialise every instance, write their statuses.
    let reconcileSeconds: Double

    /// - Parameters:
    ///   - workers: the engine's tick threads, nil for its default (one per core).
    ///   - tickBatch: the most ticks of one market an instance gets in one visit.
    init(_ rows: FleetStore, workers: Int?, tickBatch: Int, progress: (String) -> Void) throws {
        self.rows = rows
        let store = try SQLiteStore(path: rows.databasePath)
        let library = StrategyLibrary(directory: rows.strategies)
        engine =
            workers.map { Engine(store: store, library: library, workers: $0, tickBatch: tickBatch) }
            ?? Engine(store: store, library: library, tickBatch: tickBatch)
        progress("loading \(rows.instances) instances (Engine.reconcile; \(engine.workers) worker(s), tick batch \(engine.tickBatch))…")
        let start = ContinuousClock.now
        try engine.reconcile()
        reconcileSeconds = nanoseconds(ContinuousClock.now - start) / 1e9
        try checkAllRunning()
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
