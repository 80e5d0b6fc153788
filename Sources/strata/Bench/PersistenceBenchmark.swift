import Foundation
import StrataEngine
import StrataPersistence
import StrataRuntime

/// What keeping state costs, beside plain C doing the same (`baseline snapshot|journal|fanout`):
/// - `snapshot_10k`: a round of `Engine.saveSnapshots` over 10,000 sma.lua instances in this
///   process (every `state` serialized, one store transaction), after the warm-up ticks and one
///   more tick per round so every state changed; median of 5 rounds.
/// - `journal_1m`: ticks journaled through `Engine.process` + `Engine.flushActivity` (an engine
///   with no instances: numbering, the pending list, one `appendTicks` transaction per flush of
///   `batch` ticks) into a fresh SQLite file; the file's growth per million ticks.
/// - `replay_sma`: `InstanceReplay` of one sma.lua instance over its journaled ticks (read from
///   SQLite page by page, a paper broker, the guarded runtime), in ticks per second.
struct PersistenceBenchmark {
    let scriptPath: String
    static let rounds = 5

    // MARK: snapshot_10k

    func snapshotFigure(instances: Int, warmup: Int, session: BenchSession) throws -> BenchFigure {
        let rows = try FleetStore(scriptPath: scriptPath, instances: instances, progress: session.progress)
        let fleet = try EngineFleet(rows, workers: 1, tickBatch: 1, progress: session.progress)
        let engine = fleet.engine
        var walk = RandomWalkFeed(market: rows.market, seed: 7, interval: 1, volatility: 0.001)
        for _ in 0..<warmup { engine.tick(walk.next()!) }
        session.progress("snapshot rounds of \(instances) instances (\(Self.rounds))…")
        var rounds: [Double] = []
        var takes: [Double] = []
        for _ in 0..<Self.rounds {
            engine.tick(walk.next()!)
            let start = ContinuousClock.now
            engine.saveSnapshots(reason: .periodic, background: true)
            let taken = ContinuousClock.now
            engine.waitForStatusWrites()
            let end = ContinuousClock.now
            takes.append(nanoseconds(taken - start) / 1e6)
            rounds.append(nanoseconds(end - start) / 1e6)
        }
        let saved = try engine.store.latestSnapshots()
        let bytes = Double(saved.values.reduce(0) { $0 + $1.bytes.count }) / Double(max(saved.count, 1))
        session.progress("running the C snapshot baseline…")
        let base = try session.baseline().run(
            "snapshot", script: scriptPath, ["--states", String(instances), "--warmup", String(warmup)])
        let baseMs = base["ms_per_round"]?.doubleValue ?? .nan
        let ms = rounds.quantile(0.5)
        return BenchFigure(
            name: "snapshot_10k", value: ms, unit: "ms per snapshot round", baseline: baseMs,
            extras: [
                "instances": .integer(Int64(instances)), "saved": .integer(Int64(saved.count)),
                "bytes_per_instance": .number(BenchFigure.rounded(bytes)),
                "take_ms": .number(BenchFigure.rounded(takes.quantile(0.5))),
                "write_ms": .number(BenchFigure.rounded(ms - takes.quantile(0.5))),
                "p99_ms": .number(BenchFigure.rounded(rounds.quantile(0.99))),
                "baseline_serialize_ms": base["serialize_ms"] ?? .null, "baseline_bytes_per_state": base["bytes_per_state"] ?? .null,
            ],
            note: String(format: "%.0f bytes/instance; taking %.1f ms on the engine thread", bytes, takes.quantile(0.5)))
    }

    // MARK: journal_1m

    func journalFigure(ticks: Int, batch: Int, session: BenchSession) throws -> BenchFigure {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-journal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("strategies"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("strata.db").path
        let store = try SQLiteStore(path: path)
        let engine = Engine(store: store, library: StrategyLibrary(directory: folder.appendingPathComponent("strategies")), workers: 1)
        try engine.reconcile()
        let before = Self.fileBytes(path)
        var walk = RandomWalkFeed(market: "BTC/USD", seed: 3, interval: 1, volatility: 0.001)
        session.progress("journaling \(ticks) ticks in flushes of \(batch)…")
        let start = ContinuousClock.now
        var done = 0
        while done < ticks {
            let count = min(batch, ticks - done)
            engine.process((0..<count).map { _ in walk.next()! })
            try engine.flushActivity()
            done += count
        }
        let seconds = nanoseconds(ContinuousClock.now - start) / 1e9
        try store.close()  // checkpoints the write-ahead log into the file
        let bytesPerMillion = Double(Self.fileBytes(path) - before) / Double(ticks) * 1e6
        session.progress("running the C journal baseline…")
        let base = try session.baseline().run("journal", script: scriptPath, ["--ticks", String(ticks), "--calls", String(batch)])
        let rate = Double(ticks) / seconds
        return BenchFigure(
            name: "journal_1m", rate: rate, unit: "ticks/s journaled", baselineRate: base["ticks_per_second"]?.doubleValue ?? .nan,
            extras: [
                "ticks": .integer(Int64(ticks)), "batch": .integer(Int64(batch)),
                "bytes_per_million_ticks": .number(BenchFigure.rounded(bytesPerMillion)),
                "baseline_bytes_per_million_ticks": base["bytes_per_million"] ?? .null,
            ],
            note: String(format: "%.1f MB per million ticks (C %.1f MB)", bytesPerMillion / 1e6, (base["bytes_per_million"]?.doubleValue ?? 0) / 1e6))
    }

    static func fileBytes(_ path: String) -> Int {
        ["", "-wal"].reduce(0) { total, suffix in
            total + ((try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? Int) ?? 0)
        }
    }

    // MARK: replay_sma

    func replayFigure(ticks: Int, session: BenchSession) throws -> BenchFigure {
        let rows = try FleetStore(scriptPath: scriptPath, instances: 1, progress: session.progress)
        let fleet = try EngineFleet(rows, workers: 1, tickBatch: 1, progress: session.progress)
        let engine = fleet.engine
        var walk = RandomWalkFeed(market: rows.market, seed: 5, interval: 1, volatility: 0.001)
        session.progress("running one instance over \(ticks) journaled ticks…")
        for index in 0..<ticks {
            engine.tick(walk.next()!)
            if index == 10 { engine.saveSnapshots(reason: .stop) }
            if index % 1_000 == 999 { try engine.flushActivity() }
        }
        try engine.flushActivity()
        let id = String(format: "sma-%05d", 0)
        session.progress("replaying it (\(Self.rounds) runs)…")
        var rates: [Double] = []
        var identical = true
        for _ in 0..<Self.rounds {
            let result = try InstanceReplay(store: engine.store).run(InstanceReplay.Request(instanceID: id, fromSeq: 1))
            if let error = result.error { throw UsageError("the replay failed: \(error.message)") }
            identical = identical && result.identical
            rates.append(result.ticksPerSecond)
        }
        session.progress("running the C dispatch baseline (one state, \(ticks) ticks)…")
        let base = try session.baseline().number("ns_per_instance_tick", of: "fanout", script: scriptPath, ["--states", "1", "--ticks", String(ticks)])
        let rate = rates.quantile(0.5)
        return BenchFigure(
            name: "replay_sma", rate: rate, unit: "ticks/s replayed", baselineRate: 1e9 / base,
            extras: ["ticks": .integer(Int64(ticks)), "identical": .bool(identical), "ns_per_tick": .number(BenchFigure.rounded(1e9 / rate))],
            note: String(format: "%.0f ns/tick (C on_tick alone %.0f ns)", 1e9 / rate, base))
    }
}
