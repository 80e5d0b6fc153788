import Foundation
import StrataPersistence
import StrataRuntime
import Testing

@testable import StrataEngine

/// The engine with `--isolation process`: real worker processes of the strata binary, a real
/// SQLite file and strategies folder. Faults are real too: `strata_test_fault` makes a worker
/// die of SIGSEGV or wedge in C code with its signals blocked.
@Suite(.serialized) struct EngineIsolationTests {
    let folder: URL
    let store: SQLiteStore
    let engine: Engine

    /// Counts its ticks in `state`, logs every 10th, buys on every 5th in active mode; at tick
    /// `fault_at` it commits `fault` (when the worker offers faults).
    static let counter = """
        CONFIG_SCHEMA = {
          fault = { type = "string", default = "none" },
          fault_at = { type = "integer", default = 0, min = 0 },
        }
        function init() return { n = 0 } end
        function on_tick(tick)
          state.n = state.n + 1
          if state.n % 10 == 0 then context.log("n=" .. state.n) end
          if state.n % 5 == 0 then context.place_order{ side = "buy", qty = 0.001, type = "market" } end
          if state.n == config.fault_at and strata_test_fault then strata_test_fault(config.fault) end
        end
        function on_config(old) context.log("config from " .. old.fault) end
        function render()
          return { widgets = { { type = "metric", label = "n", value = state.n },
                               { type = "metric", label = "position", value = context.get_position() } } }
        end
        """

    init() throws {
        folder = try temporaryFolder()
        try Self.counter.write(to: folder.appendingPathComponent("counter.lua"), atomically: true, encoding: .utf8)
        store = try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
        let binary = try #require(strataBinary, "strata binary not found; run swift build first")
        var limits = StrategyLimits()
        limits.loadDeadline = .seconds(5)
        limits.tickDeadline = .milliseconds(200)
        engine = Engine(
            store: store, library: StrategyLibrary(directory: folder, limits: limits, vettingWorker: binary.path), limits: limits,
            isolation: WorkerFleetOptions(workers: 2, executable: binary.path, faults: true))
    }

    func create(_ id: String, _ mode: InstanceMode = .observe, fault: String = "none", at tick: Int = 0) throws {
        _ = try store.createInstance(
            InstanceIdentity(id: id, strategyType: "counter", account: "paper", market: "X/USD"),
            mode: mode, config: ["fault": .string(fault), "fault_at": .integer(Int64(tick))], actor: .cli)
    }

    /// Hands `count` ticks to the engine, one round each, from `start`.
    func feed(_ count: Int, from start: Int = 0) {
        for index in start..<(start + count) {
            engine.tick(Tick(market: "X/USD", ts: Double(index + 1), price: 100 + Double(index % 7)))
        }
    }

    func ticks(_ id: String) -> Int? { engine.instances[id]?.runtime?.ticksProcessed }
    func state(_ id: String) throws -> InstanceStatus? { try store.status(instanceID: id) }

    func rendered(_ id: String, _ label: String) -> Double? {
        guard case .success(let output)? = engine.render(instanceID: id) else { return nil }
        return output["widgets"]?.arrayValue?.first { $0["label"] == .string(label) }?["value"]?.doubleValue
    }

    @Test func instancesRunInWorkersTradeRenderAndLog() throws {
        try create("a", .active)
        try create("b")
        try create("c")
        try engine.reconcile()
        #expect(engine.library.problems.isEmpty, "\(engine.library.problems)")
        #expect(engine.liveWorkers == 2)
        #expect(engine.runtimes.isEmpty)  // nothing runs in this process
        feed(20)
        #expect(ticks("a") == 20 && ticks("b") == 20 && ticks("c") == 20)
        #expect(rendered("a", "n") == 20)
        // Four market buys of 0.001 went through the engine's broker; the worker's view follows.
        #expect(engine.broker.position(for: InstanceIdentity(id: "a", strategyType: "counter", account: "paper", market: "X/USD")) == 0.004)
        #expect(rendered("a", "position") == 0.004)
        try engine.flushActivity()
        #expect(try store.logs(instanceID: "b", limit: 10).map(\.message).contains("n=20"))
        try engine.saveStatuses()
        let status = try #require(try state("a"))
        #expect(status.state == .running && status.ticks == 20 && status.memoryBytes > 0)
        // A config change runs on_config in the worker, state kept.
        _ = try store.setConfig(id: "b", to: ["fault": .string("none"), "fault_at": .integer(1000)], actor: .cli)
        try engine.reconcile()
        feed(1, from: 20)
        #expect(rendered("b", "n") == 21)
        engine.stopWorkers()
        #expect(engine.liveWorkers == 0)
    }

    @Test func theRiskGateRefusesAWorkersOrdersAsSignalsNamingTheRule() throws {
        // Given an instance in a worker buying 0.001 every 5 ticks, limited to a position of 0.002
        try create("a", .active)
        try store.setRiskLimits(instanceID: "a", to: RiskLimits(maxPosition: 0.002), actor: .cli)
        try engine.reconcile()
        feed(15)
        // Then the third buy was refused in the engine and the worker's script recorded a signal
        let identity = InstanceIdentity(id: "a", strategyType: "counter", account: "paper", market: "X/USD")
        #expect(engine.broker.position(for: identity) == 0.002)
        try engine.flushActivity()
        let signal = try #require(try store.signals(instanceID: "a", limit: 5).last)
        #expect(signal.rule == .maxPosition && signal.time == 15, "\(signal)")
        #expect(signal.reason.hasPrefix("refused by risk: instance max_position"))
        // And a halt reaches it at the next round
        try store.setHalt(account: nil, to: .halted, actor: .cli)
        try store.setRiskLimits(instanceID: "a", to: .none, actor: .cli)
        try engine.reconcile()
        feed(5, from: 15)
        try engine.flushActivity()
        #expect(try store.signals(instanceID: "a", limit: 1).last?.rule == .halted)
        #expect(engine.broker.position(for: identity) == 0.002)
        engine.stopWorkers()
    }

    @Test func anotherInstancesTradeReachesAReaderOfTheSameAccountFromTheNextRound() throws {
        try """
        CONFIG_SCHEMA = {}
        function init() return {} end
        function on_tick() context.log(string.format("cash=%.6f", context.get_balance("USD"))) end
        function render() return { widgets = { { type = "metric", label = "cash", value = context.get_balance("USD") } } } end
        """.write(to: folder.appendingPathComponent("watcher.lua"), atomically: true, encoding: .utf8)
        try create("buyer", .active)
        for id in ["w1", "w2"] {
            _ = try store.createInstance(
                InstanceIdentity(id: id, strategyType: "watcher", account: "paper", market: "X/USD"), mode: .observe, config: [:], actor: .cli)
        }
        try engine.reconcile()
        feed(11)
        let cash = engine.broker.cash(of: "paper")
        #expect(cash < engine.broker.settings.startingCash)
        // Both watchers (one shares the buyer's worker, one does not) saw the buy of tick 10 at tick 11.
        try engine.flushActivity()
        for id in ["w1", "w2"] {
            #expect(try store.logs(instanceID: id, limit: 1).first?.message == String(format: "cash=%.6f", cash), "\(id)")
            #expect(rendered(id, "cash") == cash)
        }
        engine.stopWorkers()
    }

    @Test(arguments: ["segv", "spin", "hang"])
    func aWorkerThatDiesOrWedgesCostsOnlyItsCulprit(fault: String) throws {
        for id in ["a", "b", "c", "d"] { try create(id) }
        try create("bad", fault: fault, at: 5)
        try engine.reconcile()
        feed(12)
        let bad = try #require(try state("bad"))
        #expect(bad.state == .error)
        let expectedKind = fault == "segv" ? "crashed" : "cpu_limit"
        #expect(bad.lastError?.kind == expectedKind, "\(bad.lastError?.message ?? "")")
        #expect(bad.lastError?.message.contains(fault == "segv" ? "SIGSEGV" : "killed") == true, "\(bad.lastError?.message ?? "")")
        // Every other instance got every tick: the engine counts 12 for each (the ones that
        // shared the culprit's worker started over with init(), and say so).
        for id in ["a", "b", "c", "d"] {
            #expect(ticks(id) == 12, "\(id)")
            #expect(try state(id)?.state == .running)
        }
        let restarted = try ["a", "b", "c", "d"].filter { try state($0)?.lastError?.kind == "restarted" }
        #expect(!restarted.isEmpty)
        #expect(engine.counters.health.count(.workerRestart) >= 1)
        engine.stopWorkers()
    }

    @Test func aVersionThatCrashesWorkersAgainAndAgainIsQuarantined() throws {
        try create("canary")
        for index in 0..<3 { try create("bad\(index)", fault: "segv", at: 2 + index) }
        try engine.reconcile()
        feed(10)
        for index in 0..<3 {
            let status = try #require(try state("bad\(index)"))
            #expect(status.state == .error)
        }
        // Three crashes of one version within the window: every instance of it is stopped,
        // the canary among them (same version), and none is restarted after the backoff.
        #expect(try state("bad2")?.lastError?.kind == "quarantined")
        #expect(try state("canary")?.lastError?.kind == "quarantined")
        engine.retryCrashedInstances(now: Date().timeIntervalSince1970 + 3600)
        try engine.reconcile()
        #expect(engine.runningCount == 0)
        // Switching an instance off and on is an explicit act: it runs again.
        _ = try store.setMode(id: "canary", to: .off, actor: .cli)
        try engine.reconcile()
        _ = try store.setMode(id: "canary", to: .observe, actor: .cli)
        try engine.reconcile()
        feed(3, from: 10)
        #expect(try state("canary")?.state == .running)
        #expect(ticks("canary") == 3)
        engine.stopWorkers()
    }

    @Test func aCulpritIsRestartedAfterItsBackoff() throws {
        try create("flaky", fault: "segv", at: 3)
        try engine.reconcile()
        feed(5)
        let failed = try #require(try state("flaky"))
        #expect(failed.state == .error)
        #expect(failed.lastError?.message.contains("restarting in 5 s") == true, "\(failed.lastError?.message ?? "")")
        engine.retryCrashedInstances(now: Date().timeIntervalSince1970 + 6)
        try engine.reconcile()
        #expect(try state("flaky")?.state == .running)
        engine.stopWorkers()
    }

    @Test func theSurvivorsOfAWorkerCrashResumeTheirStateFromTheSnapshotAndTheJournal() throws {
        try create("a")
        try create("b")
        try engine.reconcile()
        feed(10)
        engine.saveSnapshots(reason: .periodic)
        feed(5, from: 10)
        try create("boom", fault: "segv", at: 3)
        try engine.reconcile()
        feed(3, from: 15)  // boom's third tick (the 18th round) kills its worker
        #expect(try state("boom")?.state == .error)
        // Snapshot (10 ticks) + journal since (7) + the round itself: nothing forgotten.
        #expect(rendered("a", "n") == 18)
        #expect(rendered("b", "n") == 18)
        let notices = try ["a", "b"].compactMap { try state($0)?.lastError }
        #expect(notices.count == 1)
        #expect(notices.first?.message.contains("state restored from its last snapshot and the ticks since") == true, "\(notices)")
        // A restart of the engine resumes them in new workers too.
        engine.saveSnapshots(reason: .stop)
        engine.stopWorkers()
        let restarted = Engine(
            store: store, library: StrategyLibrary(directory: folder, limits: engine.limits), limits: engine.limits,
            isolation: WorkerFleetOptions(workers: 1, executable: try #require(strataBinary).path, faults: true))
        try restarted.reconcile()
        restarted.tick(Tick(market: "X/USD", ts: 100, price: 100))
        guard case .success(let output)? = restarted.render(instanceID: "b") else {
            Issue.record("no render")
            return
        }
        #expect(output["widgets"]?.arrayValue?.first?["value"]?.doubleValue == 19)
        restarted.stopWorkers()
    }

    @Test func aShadowRunsInTheSameWorkerAsItsInstanceAndIsPromoted() throws {
        let binary = try #require(strataBinary).path
        let single = Engine(
            store: store, library: StrategyLibrary(directory: folder, limits: engine.limits), limits: engine.limits,
            isolation: WorkerFleetOptions(workers: 1, executable: binary, faults: true))
        defer { single.stopWorkers() }
        try create("a", .active)
        try single.reconcile()
        for index in 0..<7 { single.tick(Tick(market: "X/USD", ts: Double(index + 1), price: 100)) }
        try store.setShadow(instanceID: "a", source: nil, config: ["fault": .string("none"), "fault_at": .integer(1)], actor: .cli)
        try single.reconcile()
        #expect(single.shadowView(instanceID: "a")?.running == true)
        for index in 7..<20 { single.tick(Tick(market: "X/USD", ts: Double(index + 1), price: 100)) }
        try single.flushActivity()
        // The shadow (from the instance's state, n = 7) would have bought at 10, 15 and 20; the
        // instance bought at 5, 10, 15, 20 — both in one worker, kept apart.
        #expect(try store.shadowSignals(instanceID: "a", limit: 10).map(\.request.tickSeq) == [10, 15, 20])
        #expect(try store.orders(instanceID: "a", limit: 10).map(\.request.tickSeq) == [5, 10, 15, 20])
        guard case .success(let widgets)? = single.renderShadow(instanceID: "a") else {
            Issue.record("no shadow render")
            return
        }
        #expect(widgets["widgets"]?.arrayValue?.first?["value"]?.doubleValue == 20)
        try store.requestPromotion(instanceID: "a", actor: .cli)
        try single.reconcile()
        #expect(single.shadowView(instanceID: "a") == nil)
        single.tick(Tick(market: "X/USD", ts: 21, price: 100))
        guard case .success(let promoted)? = single.render(instanceID: "a") else {
            Issue.record("no render after the promotion")
            return
        }
        #expect(promoted["widgets"]?.arrayValue?.first?["value"]?.doubleValue == 21)
        #expect(try store.instance(id: "a")?.config["fault_at"] == .integer(1))
    }

    @Test func anInitThatCrashesItsWorkerFailsOnlyItsInstance() throws {
        try """
        CONFIG_SCHEMA = {}
        function init() if strata_test_fault then strata_test_fault("segv") end return {} end
        function on_tick() end
        function render() return { widgets = {} } end
        """.write(to: folder.appendingPathComponent("crasher.lua"), atomically: true, encoding: .utf8)
        try create("a")
        try create("b")
        _ = try store.createInstance(
            InstanceIdentity(id: "boom", strategyType: "crasher", account: "paper", market: "X/USD"), mode: .observe, config: [:], actor: .cli)
        try engine.reconcile()
        let boom = try #require(try state("boom"))
        #expect(boom.state == .error)
        #expect(boom.lastError?.kind == "crashed")
        #expect(boom.lastError?.message.contains("SIGSEGV in init") == true, "\(boom.lastError?.message ?? "")")
        feed(3)
        #expect(ticks("a") == 3 && ticks("b") == 3)
        engine.stopWorkers()
    }

    @Test func aSaveThatDoesNotLoadInAWorkerNeverReachesTheEngine() throws {
        try create("a")
        try engine.reconcile()
        // A chunk that eats memory at its top level: refused in the vetting worker.
        try "local t = {} for i = 1, 1e9 do t[i] = { i, i + 1, i + 2 } end".write(
            to: folder.appendingPathComponent("counter.lua"), atomically: true, encoding: .utf8)
        try engine.reconcile()
        #expect(engine.library.problems["counter"]?.kind == .memoryLimit, "\(engine.library.problems)")
        feed(2)
        #expect(ticks("a") == 2)  // the old version runs on
        engine.stopWorkers()
    }

    @Test func savingAModuleReloadsItsUserInAWorker() throws {
        // Given a strategy in a worker whose label comes from a shared module
        let lib = folder.appendingPathComponent("lib")
        try FileManager.default.createDirectory(at: lib, withIntermediateDirectories: true)
        try "return { label = 'n1' }".write(to: lib.appendingPathComponent("names.lua"), atomically: true, encoding: .utf8)
        try """
        local names = require "names"
        CONFIG_SCHEMA = { fault = { type = "string", default = "none" }, fault_at = { type = "integer", default = 0, min = 0 } }
        function init() return { n = 0 } end
        function on_tick(tick) state.n = state.n + 1 end
        function render() return { widgets = { { type = "metric", label = names.label, value = state.n } } } end
        """.write(to: folder.appendingPathComponent("counter.lua"), atomically: true, encoding: .utf8)
        try create("a")
        try engine.reconcile()
        #expect(engine.library.problems.isEmpty, "\(engine.library.problems)")
        feed(3)
        #expect(rendered("a", "n1") == 3)

        // When the module is saved, the worker reloads it (it gets the source from the engine)
        try "return { label = 'n2-longer' }".write(to: lib.appendingPathComponent("names.lua"), atomically: true, encoding: .utf8)
        #expect(try engine.reconcile().count == 1)
        feed(1, from: 3)
        #expect(rendered("a", "n2-longer") == 4)

        // And a broken save of it keeps the worker's version running
        try "error('broken module')".write(to: lib.appendingPathComponent("names.lua"), atomically: true, encoding: .utf8)
        #expect(try engine.reconcile().isEmpty)
        #expect(engine.library.problems["counter"]?.message.contains("error in module 'names'") == true, "\(engine.library.problems)")
        feed(1, from: 4)
        #expect(rendered("a", "n2-longer") == 5)
        engine.stopWorkers()
    }
}
