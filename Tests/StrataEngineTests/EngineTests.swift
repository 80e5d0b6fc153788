import Foundation
import StrataPersistence
import StrataRuntime
import Testing

@testable import StrataEngine

/// The engine against a real SQLite file and a real strategies folder.
@Suite struct EngineTests {
    let folder: URL
    let store: SQLiteStore
    let engine: Engine

    static func counter(_ label: String) -> String {
        """
        CONFIG_SCHEMA = { step = { type = "integer", default = 1, min = 1 } }
        function init() return { n = 0 } end
        function on_tick(tick)
          state.n = state.n + config.step
          state.label = "\(label)"
          if tick.price < 0 then error("negative price") end
        end
        function render() return { widgets = { { type = "metric", label = "n", value = state.n } } } end
        """
    }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.counter("v1").write(to: folder.appendingPathComponent("counter.lua"), atomically: true, encoding: .utf8)
        store = try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
        var limits = StrategyLimits()
        limits.tickDeadline = .seconds(10)
        limits.loadDeadline = .seconds(20)
        engine = Engine(store: store, library: StrategyLibrary(directory: folder, limits: limits), limits: limits)
    }

    func create(_ id: String, _ mode: InstanceMode, market: String = "X/USD") throws {
        _ = try store.createInstance(
            InstanceIdentity(id: id, strategyType: "counter", account: "paper", market: market),
            mode: mode, config: [:], actor: .cli)
    }

    func write(_ source: String) throws {
        // A different size guarantees the folder scan sees the change even within one clock tick.
        try source.write(to: folder.appendingPathComponent("counter.lua"), atomically: true, encoding: .utf8)
    }

    func n(_ id: String) throws -> Int64? {
        guard let runtime = engine.runtimes[id] else { return nil }
        return try runtime.render()["widgets"]?.arrayValue?.first?["value"].flatMap { value -> Int64? in
            if case .integer(let i) = value { return i }
            return value.doubleValue.map { Int64($0) }
        }
    }

    @Test func loadsSwitchesModeInPlaceAndUnloads() throws {
        try create("a", .observe)
        try create("b", .off)
        try engine.reconcile()
        #expect(engine.runtimes.keys.sorted() == ["a"])
        #expect(try store.status(instanceID: "a")?.state == .running)
        engine.tick(Tick(market: "X/USD", ts: 1, price: 10))
        engine.tick(Tick(market: "Y/USD", ts: 2, price: 10))
        #expect(try n("a") == 1)

        _ = try store.setMode(id: "a", to: .active, actor: .cli)
        #expect(try engine.reconcile() == [.setMode(id: "a", .active)])
        engine.tick(Tick(market: "X/USD", ts: 3, price: 10))
        #expect(try n("a") == 2)  // state kept: no re-init
        #expect(engine.runtimes["a"]?.mode == .active)

        _ = try store.setMode(id: "a", to: .off, actor: .cli)
        try engine.reconcile()
        #expect(engine.runtimes.isEmpty)
        #expect(try store.status(instanceID: "a")?.state == .stopped)
        #expect(try engine.reconcile().isEmpty)
    }

    @Test func reloadsAGoodSaveKeepingStateAndKeepsTheOldVersionOnABrokenOne() throws {
        try create("a", .observe)
        try engine.reconcile()
        engine.tick(Tick(market: "X/USD", ts: 1, price: 10))
        let v1 = try #require(engine.runtimes["a"]?.script.version)

        try write(Self.counter("v2 with a longer label"))
        let actions = try engine.reconcile()
        #expect(actions.count == 1)
        engine.tick(Tick(market: "X/USD", ts: 2, price: 10))
        #expect(try n("a") == 2)
        let v2 = try #require(engine.runtimes["a"]?.script.version)
        #expect(v2 != v1)
        #expect(try store.status(instanceID: "a")?.version == v2)
        #expect(try store.versions(strategyType: "counter").count == 2)

        try write("this is not lua at all, and longer than before")
        #expect(try engine.reconcile().isEmpty)
        #expect(engine.library.problems["counter"]?.kind == .syntax)
        engine.tick(Tick(market: "X/USD", ts: 3, price: 10))
        #expect(try n("a") == 3)
        #expect(engine.runtimes["a"]?.script.version == v2)
    }

    @Test func aFailingInstanceGoesToErrorAloneAndWaitsForAChange() throws {
        try create("bad", .observe, market: "X/USD")
        try create("good", .observe, market: "X/USD")
        try engine.reconcile()
        engine.tick(Tick(market: "X/USD", ts: 1, price: 10))
        // Only "bad" gets the poisoned tick: make it its own market's.
        _ = try store.setMode(id: "good", to: .off, actor: .cli)
        try engine.reconcile()
        engine.tick(Tick(market: "X/USD", ts: 2, price: -1))
        let status = try #require(try store.status(instanceID: "bad"))
        #expect(status.state == .error)
        #expect(status.lastError?.message.contains("negative price") == true)
        #expect(status.lastError?.traceback != nil)
        #expect(engine.runtimes["bad"] == nil)
        #expect(try engine.reconcile().isEmpty)  // stays in error

        _ = try store.setMode(id: "good", to: .observe, actor: .cli)
        try engine.reconcile()
        engine.tick(Tick(market: "X/USD", ts: 3, price: 10))
        #expect(try n("good") == 1)  // the other instance is unaffected

        _ = try store.setConfig(id: "bad", to: ["step": .integer(2)], actor: .cli)
        try engine.reconcile()  // a config change retries it
        #expect(try store.status(instanceID: "bad")?.state == .running)
        engine.tick(Tick(market: "X/USD", ts: 4, price: 10))
        #expect(try n("bad") == 2)
    }
}
