import Foundation
import StrataPersistence
import StrataRuntime
import Testing

@testable import StrataEngine

/// Shared modules (`lib/` beside the strategies) in the live engine: saving a module reloads
/// the strategies that use it, with the broken-save rule.
@Suite struct ModuleReloadTests {
    let folder: URL
    let lib: URL
    let store: SQLiteStore
    let engine: Engine

    static let user = """
        local signal = require "signals.label"
        CONFIG_SCHEMA = {}
        function init() return { n = 0 } end
        function on_tick(tick) state.n = state.n + 1 end
        function render() return { widgets = { { type = "metric", label = signal.label, value = state.n } } } end
        """

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-modules-\(UUID().uuidString)")
        lib = folder.appendingPathComponent("lib")
        try FileManager.default.createDirectory(at: lib.appendingPathComponent("signals"), withIntermediateDirectories: true)
        try Self.user.write(to: folder.appendingPathComponent("user.lua"), atomically: true, encoding: .utf8)
        try "return 'not a strategy'".write(to: lib.appendingPathComponent("helper.lua"), atomically: true, encoding: .utf8)
        store = try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
        var limits = StrategyLimits()
        limits.tickDeadline = .seconds(10)
        limits.loadDeadline = .seconds(20)
        engine = Engine(store: store, library: StrategyLibrary(directory: folder, limits: limits), limits: limits)
    }

    func module(_ text: String) throws {
        try text.write(to: lib.appendingPathComponent("signals/label.lua"), atomically: true, encoding: .utf8)
    }

    func label(_ id: String) throws -> String? {
        try engine.runtimes[id]?.render()["widgets"]?.arrayValue?.first?["label"]?.stringValue
    }

    @Test func savingAModuleReloadsItsUsersAndABrokenSaveKeepsTheOldVersion() throws {
        // Given a strategy that requires a module, running
        try module("return { label = 'v1' }")
        _ = try store.createInstance(
            InstanceIdentity(id: "a", strategyType: "user", account: "paper", market: "X/USD"), mode: .observe, config: [:], actor: .cli)
        try engine.reconcile()
        engine.tick(Tick(market: "X/USD", ts: 1, price: 10))
        #expect(try label("a") == "v1")
        let v1 = try #require(engine.runningVersion("a"))
        #expect(engine.library.current["user"]?.modules.keys.sorted() == ["signals.label"])

        // When the module is saved, the strategy reloads with state kept, under a new version
        try module("return { label = 'v2 (longer)' }")
        #expect(try engine.reconcile().count == 1)
        engine.tick(Tick(market: "X/USD", ts: 2, price: 10))
        #expect(try label("a") == "v2 (longer)")
        #expect(engine.runtimes["a"]?.ticksProcessed == 2)
        let v2 = try #require(engine.runningVersion("a"))
        #expect(v2 != v1)
        #expect(try store.status(instanceID: "a")?.version == v2)

        // When a broken save of the module arrives, the old version runs on and the error names it
        try module("return { label = ")
        #expect(try engine.reconcile().isEmpty)
        let problem = try #require(engine.library.problems["user"])
        #expect(problem.message.contains("error loading module 'signals.label' (required by user)"), "\(problem.message)")
        engine.tick(Tick(market: "X/USD", ts: 3, price: 10))
        #expect(try label("a") == "v2 (longer)")
        #expect(engine.runningVersion("a") == v2)

        // And a fixed save reloads again and clears the problem
        try module("return { label = 'v3' }")
        #expect(try engine.reconcile().count == 1)
        #expect(try label("a") == "v3")
        #expect(engine.library.problems["user"] == nil)
    }

    @Test func aMissingModuleIsAProblemUntilItArrivesAndLibIsNoStrategy() throws {
        try engine.reconcile()
        let problem = try #require(engine.library.problems["user"])
        #expect(problem.message.contains("module 'signals.label' not found in \(folder.lastPathComponent)/lib (required by user)"), "\(problem.message)")
        #expect(engine.library.current.keys.sorted() == [])  // lib/helper.lua is not a strategy type
        #expect(engine.library.catalog.entries["helper"] == nil && engine.library.catalog.entries["lib"] == nil)

        try module("return { label = 'arrived' }")
        try engine.reconcile()
        #expect(engine.library.current["user"] != nil)
        #expect(engine.library.problems["user"] == nil)
    }

    @Test func aModuleNobodyUsesChangesNoVersion() throws {
        try module("return { label = 'v1' }")
        try engine.reconcile()
        let version = engine.library.versions["user"]
        try "return 'still not a strategy, but longer'".write(to: lib.appendingPathComponent("helper.lua"), atomically: true, encoding: .utf8)
        #expect(engine.library.refresh().isEmpty)
        #expect(engine.library.versions["user"] == version)
    }
}
