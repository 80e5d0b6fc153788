import Foundation
import StrataEngine
import StrataPersistence
import StrataRuntime

/// worker_crash: what a hostile script costs the others under `--isolation process`. An engine
/// with two worker processes runs many canaries (each counts its ticks) and one instance whose
/// `on_tick` commits a fault at a given tick (`strata_test_fault`: "segv" kills its worker,
/// "spin" wedges it in C with signals blocked, "hang" blocks it). A tick goes to every instance
/// each round. Figures: the time of the round in which the worker died, from its start until it
/// returned — the supervisor noticed the death, started a new worker, loaded the survivors
/// again (`init()`) and gave them the round — against an ordinary round (goal ≤ 1 s); and the
/// ticks the survivors missed: each canary's tick count in its status, which the engine keeps
/// (a restarted canary's `state` starts over), against the ticks delivered (goal 0).
struct WorkerCrashBenchmark {
    let canaries: Int
    /// "segv", "spin" or "hang".
    let fault: String
    /// Worker processes (the canaries are spread over them; the culprit's worker is replaced).
    var workers = 2
    /// The culprit's tick that commits the fault, and the rounds run in all.
    var faultAt = 20
    var rounds = 40

    static let kinds = ["segv", "spin", "hang"]
    static let recoveryGoal = 1.0  // seconds
    static let market = "BTC/USD"

    /// Counts its ticks in `state`; its status counts them on the engine's side.
    static let canary = """
        CONFIG_SCHEMA = {}
        function init() return { n = 0 } end
        function on_tick(tick) state.n = state.n + 1 end
        function render() return { widgets = { { type = "metric", label = "ticks", value = state.n } } } end
        """

    /// Ticks like a canary, then commits the fault at tick `at`.
    static func culprit(fault: String, at: Int) -> String {
        """
        CONFIG_SCHEMA = {}
        function init() return { n = 0 } end
        function on_tick(tick)
          state.n = state.n + 1
          if state.n == \(at) then strata_test_fault("\(fault)") end
        end
        function render() return { widgets = {} } end
        """
    }

    /// What one run saw.
    struct Outcome {
        var roundSeconds: [Double] = []
        /// The round (0-based) after which the culprit was in error, nil if it never failed.
        var crashRound: Int?
        var delivered = 0
        var missed = 0
        var survivorsRunning = 0
        var restarted = 0
        var culpritState = "?"
        var culpritError = ""
        var workersAfter = 0
    }

    func run(progress: (String) -> Void) throws -> Outcome {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-crash-\(UUID().uuidString)")
        let strategies = folder.appendingPathComponent("strategies")
        try FileManager.default.createDirectory(at: strategies, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.canary.write(to: strategies.appendingPathComponent("canary.lua"), atomically: true, encoding: .utf8)
        try Self.culprit(fault: fault, at: faultAt).write(to: strategies.appendingPathComponent("culprit.lua"), atomically: true, encoding: .utf8)
        let store = try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
        for i in 0..<canaries {
            let identity = InstanceIdentity(id: String(format: "canary-%05d", i), strategyType: "canary", account: "paper", market: Self.market)
            try store.createInstance(identity, mode: .observe, config: [:], actor: "bench")
        }
        let culpritID = "culprit"
        try store.createInstance(
            InstanceIdentity(id: culpritID, strategyType: "culprit", account: "paper", market: Self.market), mode: .observe, config: [:], actor: "bench")
        let engine = Engine(
            store: store, library: StrategyLibrary(directory: strategies), isolation: WorkerFleetOptions(workers: workers, faults: true))
        defer { engine.stopWorkers() }
        progress("worker_crash (\(fault)): loading \(canaries) canaries and the culprit in \(workers) worker processes…")
        try engine.reconcile()
        guard engine.runningCount == canaries + 1 else {
            throw UsageError("only \(engine.runningCount) of \(canaries + 1) instances are running before the fault")
        }
        progress("worker_crash (\(fault)): \(rounds) rounds, the culprit commits its fault at its tick \(faultAt)…")
        var outcome = Outcome()
        var price = 100.0
        for round in 0..<rounds {
            price += round % 2 == 0 ? 0.01 : -0.01
            let tick = Tick(market: Self.market, ts: 1_700_000_000 + Double(round), price: price, volume: 1)
            let start = ContinuousClock.now
            engine.tick(tick)
            outcome.roundSeconds.append(nanoseconds(ContinuousClock.now - start) / 1e9)
            outcome.delivered += 1
            if outcome.crashRound == nil, engine.snapshots[culpritID]?.failed == true { outcome.crashRound = round }
        }
        try engine.saveStatuses()
        var seen = 0
        for status in try store.statuses() {
            if status.instanceID == culpritID {
                outcome.culpritState = status.state.rawValue
                outcome.culpritError = status.lastError?.message ?? ""
                continue
            }
            seen += 1
            if status.state == .running { outcome.survivorsRunning += 1 }
            if status.lastError?.kind == "restarted" { outcome.restarted += 1 }
            outcome.missed += max(0, outcome.delivered - Int(status.ticks))
        }
        // A canary with no status at all missed every tick.
        outcome.missed += max(0, canaries - seen) * outcome.delivered
        outcome.workersAfter = engine.liveWorkers
        return outcome
    }

    /// The figure `worker_crash_<fault>`: recovery in ms, missed ticks beside, both with goals.
    func figure(session: BenchSession) throws -> BenchFigure {
        let outcome = try run(progress: session.progress)
        guard let crashRound = outcome.crashRound else {
            throw UsageError("worker_crash (\(fault)): the culprit did not fail in \(rounds) rounds (state \(outcome.culpritState))")
        }
        let recovery = outcome.roundSeconds[crashRound]
        var ordinary = outcome.roundSeconds
        ordinary.remove(at: crashRound)
        let ordinaryMs = ordinary.quantile(0.5) * 1000
        let recoveryMet = recovery <= Self.recoveryGoal
        let missedMet = outcome.missed == 0 && outcome.survivorsRunning == canaries
        let extras: [String: JSONValue] = [
            "fault": .string(fault), "canaries": .integer(Int64(canaries)), "workers": .integer(Int64(workers)),
            "fault_round": .integer(Int64(crashRound + 1)), "rounds": .integer(Int64(rounds)),
            "recovery_ms": .number(BenchFigure.rounded(recovery * 1000)),
            "ordinary_round_p50_ms": .number(BenchFigure.rounded(ordinaryMs)),
            "recovery_goal": .string("≤ 1 s"), "recovery_goal_met": .bool(recoveryMet),
            "ticks_delivered": .integer(Int64(outcome.delivered)), "missed_ticks": .integer(Int64(outcome.missed)),
            "missed_goal": .string("0"), "missed_goal_met": .bool(missedMet),
            "survivors_running": .integer(Int64(outcome.survivorsRunning)), "survivors_restarted": .integer(Int64(outcome.restarted)),
            "culprit_state": .string(outcome.culpritState), "culprit_error": .string(outcome.culpritError),
            "live_workers_after": .integer(Int64(outcome.workersAfter)),
        ]
        let note =
            String(format: "ordinary round %.1f ms; ", ordinaryMs) + "recovery goal ≤ 1 s: met \(recoveryMet ? "yes" : "no"); "
            + "\(outcome.missed) of \(outcome.delivered) ticks missed by \(canaries) canaries (goal 0: met \(missedMet ? "yes" : "no")), "
            + "\(outcome.restarted) restarted in a new worker; culprit \(outcome.culpritState): \(outcome.culpritError)"
        return BenchFigure(
            name: "worker_crash_\(fault)", value: recovery * 1000, unit: "ms (round with the fault)", baseline: nil, extras: extras, note: note)
    }
}
