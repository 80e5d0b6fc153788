import Foundation
import LuaBridge
import StrataPersistence
import Testing

@testable import StrataEngine
@testable import StrataRuntime

/// Shadows: another config or version beside an instance, on the same ticks, in observe mode;
/// promoted without a restart.
@Suite struct ShadowTests {
    /// Buys every `every` ticks; counts its ticks in `state`.
    static let periodic = """
        CONFIG_SCHEMA = { every = { type = "integer", default = 5, min = 1 } }
        function init() return { n = 0 } end
        function on_tick(tick)
          state.n = state.n + 1
          if state.n % config.every == 0 then context.place_order{ side = "buy", qty = 0.001, type = "market" } end
        end
        function render() return { widgets = { { type = "metric", label = "n", value = state.n } } } end
        """

    let folder: URL
    let store: SQLiteStore
    let engine: Engine

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-shadow-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.periodic.write(to: folder.appendingPathComponent("periodic.lua"), atomically: true, encoding: .utf8)
        store = try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
        engine = Engine(store: store, library: StrategyLibrary(directory: folder), workers: 1)
        _ = try store.createInstance(
            InstanceIdentity(id: "a", strategyType: "periodic", account: "paper", market: "X/USD"), mode: .active, config: [:], actor: .cli)
        try engine.reconcile()
    }

    func feed(_ range: ClosedRange<Int>) throws {
        for index in range { engine.tick(Tick(market: "X/USD", ts: Double(index), price: 100)) }
        try engine.flushActivity()
    }

    func stateN(_ runtime: (any InstanceRuntime)?) throws -> LuaValue? {
        guard let local = runtime as? StrategyInstance else { return nil }
        local.lua.pushGlobal("state")
        defer { local.lua.pop() }
        return try local.lua.value(at: -1)["n"]
    }

    @Test func aShadowWithAnotherConfigDecidesBesideTheInstanceFromItsState() throws {
        try feed(1...10)
        try store.setShadow(instanceID: "a", source: nil, config: ["every": .integer(3)], actor: .cli)
        try engine.reconcile()
        #expect(try stateN(engine.shadows["a"]?.slot?.runtime) == .integer(10))  // started from the instance's state
        try feed(11...20)
        // Live: buys at 15 and 20; the shadow would have bought at 12, 15 and 18 (signals only).
        #expect(try store.orders(instanceID: "a", limit: 100).map(\.request.tickSeq) == [5, 10, 15, 20])
        let shadowSignals = try store.shadowSignals(instanceID: "a", limit: 100)
        #expect(shadowSignals.map(\.request.tickSeq) == [12, 15, 18])
        #expect(shadowSignals.allSatisfy { $0.shadow })
        #expect(try store.signals(instanceID: "a", limit: 100).isEmpty)  // the live list stays the instance's
        #expect(engine.broker.position(for: engine.runtime("a")!.identity) == 0.004)
        let view = try #require(engine.shadowView(instanceID: "a"))
        #expect(view.running && view.ticks == 10)
        guard case .success(let widgets)? = engine.renderShadow(instanceID: "a") else {
            Issue.record("no shadow render")
            return
        }
        #expect(widgets["widgets"]?.arrayValue?.first?["value"] == .integer(20))
    }

    @Test func promotingHandsTheShadowsVersionConfigAndStateToTheInstanceWithoutARestart() throws {
        try feed(1...4)
        let v2 = Self.periodic.replacingOccurrences(of: "state.n = state.n + 1", with: "state.n = state.n + 1 state.v2 = true")
        try store.setShadow(instanceID: "a", source: v2, config: ["every": .integer(2)], actor: .cli)
        try engine.reconcile()
        try feed(5...6)
        // Another version without on_reload starts with init(), as after a restart: 2 ticks.
        #expect(try stateN(engine.shadows["a"]?.slot?.runtime) == .integer(2))
        // As the CLI and the API do: the new version goes to the strategies folder, then the store.
        try v2.write(to: folder.appendingPathComponent("periodic.lua"), atomically: true, encoding: .utf8)
        try store.requestPromotion(instanceID: "a", actor: .cli)
        let runtimeBefore = engine.runtime("a")
        try engine.reconcile()
        #expect(engine.shadows["a"] == nil)
        #expect(try store.shadow(instanceID: "a") == nil)
        let runtime = try #require(engine.runtime("a"))
        #expect(runtime !== runtimeBefore)
        #expect(runtime.script.version == StrategyScript(name: "periodic", source: v2).version)
        #expect(runtime.config["every"] == .integer(2))
        #expect(runtime.mode == .active)
        let promotedN = try stateN(runtime)
        #expect(promotedN == .integer(2), "\(String(describing: promotedN))")  // the shadow's state
        try feed(7...8)
        #expect(try store.orders(instanceID: "a", limit: 100).map(\.request.tickSeq) == [5, 8])
        let audit = try store.auditLog(instanceID: "a").map(\.field)
        #expect(audit == [.create, .shadow, .config, .promote])
        try engine.reconcile()  // the library's new version is the one it runs: nothing to reload
        #expect(engine.runtime("a") === runtime)
    }

    @Test func aFailingShadowStopsAloneAndRemovingOneDropsIt() throws {
        let broken = Self.periodic.replacingOccurrences(of: "state.n = state.n + 1", with: "state.n = state.n + 1 if state.n > 3 then error('shadow boom') end")
        try store.setShadow(instanceID: "a", source: broken, config: [:], actor: .api)
        try engine.reconcile()
        try feed(1...6)
        let view = try #require(engine.shadowView(instanceID: "a"))
        #expect(!view.running)
        #expect(view.error?.message.contains("shadow boom") == true)
        #expect(engine.runtime("a")?.ticksProcessed == 6)
        try engine.reconcile()
        #expect(engine.shadowView(instanceID: "a")?.running == false)  // failed until its record changes
        #expect(try store.removeShadow(instanceID: "a", actor: .api))
        try engine.reconcile()
        #expect(engine.shadowView(instanceID: "a") == nil)
        #expect(try store.auditLog(instanceID: "a").map(\.field) == [.create, .shadow, .shadow])
    }

    @Test func aShadowRunsOnlyWhileItsInstanceRuns() throws {
        try store.setShadow(instanceID: "a", source: nil, config: ["every": .integer(2)], actor: .cli)
        try engine.reconcile()
        #expect(engine.shadowView(instanceID: "a")?.running == true)
        _ = try store.setMode(id: "a", to: .off, actor: .cli)
        try engine.reconcile()
        #expect(engine.shadowView(instanceID: "a") == nil)
        _ = try store.setMode(id: "a", to: .observe, actor: .cli)
        try engine.reconcile()
        #expect(engine.shadowView(instanceID: "a")?.running == true)
        #expect(throws: StoreError.self) { try store.requestPromotion(instanceID: "nobody", actor: .cli) }
    }
}
