import Foundation
import StrataPersistence
import StrataRuntime
import Synchronization
import Testing

@testable import StrataEngine

/// The engine loop as its owner: jobs, wake-ups and stopping, against a real SQLite file, a
/// real strategies folder and real Lua states. Intervals are set to an hour where a test shows
/// that something *wakes* the loop: without the wake-up the test would hit its time limit.
@Suite(.timeLimit(.minutes(1))) struct EngineLoopTests {
    static let counter = """
        CONFIG_SCHEMA = {}
        function init() return { n = 0 } end
        function on_tick(tick) state.n = state.n + 1 end
        function render() return { widgets = { { type = "metric", label = "n", value = state.n } } } end
        """

    let folder: URL
    let store: SQLiteStore

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-loop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.counter.write(to: folder.appendingPathComponent("counter.lua"), atomically: true, encoding: .utf8)
        store = try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
    }

    /// A loop that would sleep for an hour unless woken: no ticks, an hourly resync and token poll.
    func sleepyLoop(markets: [String] = [], rate: Double = 1) -> EngineLoop {
        let engine = Engine(store: store, library: StrategyLibrary(directory: folder), workers: 1)
        return EngineLoop(
            engine: engine, feed: SyntheticFeed(markets: markets, rate: rate, start: Date().timeIntervalSince1970),
            storePollInterval: 3600, resyncInterval: 3600)
    }

    func create(_ id: String, _ mode: InstanceMode = .observe, market: String = "X/USD") throws {
        _ = try store.createInstance(
            InstanceIdentity(id: id, strategyType: "counter", account: "paper", market: market), mode: mode, config: [:], actor: .cli)
    }

    func waitFor(_ condition: () throws -> Bool) async throws {
        while try !condition() { try await Task.sleep(for: .milliseconds(2)) }
    }

    @Test func aJobRunsOnTheEngineThreadWhileTheLoopSleeps() async throws {
        let loop = sleepyLoop()
        loop.start()
        // Give the loop time to park for its hour.
        try await Task.sleep(for: .milliseconds(50))
        // By thread identity: a name can be changed by code running on the thread.
        let onEngineThread = try await loop.perform { _ in loop.onEngineThread }
        #expect(onEngineThread)
        await loop.stop()
        await #expect(throws: EngineLoopError.self) { try await loop.perform { _ in 1 } }
    }

    @Test func theStrategyTypesAndTheirVersionsAreKnownBeforeTheFirstStep() async throws {
        // Given a loop not started yet (a server may take a create before the first reconcile)
        let loop = sleepyLoop()
        // Then it already knows the folder's types, and their versions are stored
        #expect(loop.catalog.entries.keys.sorted() == ["counter"])
        let version = try #require(loop.catalog.entries["counter"]?.version)
        #expect(try store.versions(strategyType: "counter").map(\.hash) == [version])
        // And its first step writes no version again
        try create("c1")
        loop.start()
        try await waitFor { try store.status(instanceID: "c1")?.state == .running }
        #expect(try store.versions(strategyType: "counter").map(\.hash) == [version])
        await loop.stop()
    }

    @Test func aWriteThroughTheStoreWakesTheLoop() async throws {
        let loop = sleepyLoop()
        loop.start()
        try await Task.sleep(for: .milliseconds(50))
        try create("a")
        try await waitFor { try store.status(instanceID: "a")?.state == .running }
        #expect(try await loop.perform { $0.runningCount } == 1)
        await loop.stop()
    }

    @Test func aSavedScriptWakesTheLoop() async throws {
        try create("a")
        let loop = sleepyLoop()
        loop.start()
        try await waitFor { try store.status(instanceID: "a")?.state == .running }
        let source = Self.counter + "\n-- v2\n"
        try source.write(to: folder.appendingPathComponent("counter.lua"), atomically: true, encoding: .utf8)
        let version = StrategyScript(name: "counter", source: source).version
        try await waitFor { try store.status(instanceID: "a")?.version == version }
        await loop.stop()
    }

    @Test func aSavedModuleWakesTheLoopAndReloadsItsUser() async throws {
        let lib = folder.appendingPathComponent("lib")
        try FileManager.default.createDirectory(at: lib, withIntermediateDirectories: true)
        try "return 1".write(to: lib.appendingPathComponent("one.lua"), atomically: true, encoding: .utf8)
        let source = "local one = require 'one'\n" + Self.counter
        try source.write(to: folder.appendingPathComponent("counter.lua"), atomically: true, encoding: .utf8)
        try create("a")
        let loop = sleepyLoop()
        loop.start()
        try await waitFor { try store.status(instanceID: "a")?.state == .running }
        // The loop resyncs hourly: only the watch on lib/ can pick the save up.
        try "return 2 -- a new version".write(to: lib.appendingPathComponent("one.lua"), atomically: true, encoding: .utf8)
        let version = StrategyScript(name: "counter", source: source, modules: ["one": "return 2 -- a new version"]).version
        try await waitFor { try store.status(instanceID: "a")?.version == version }
        await loop.stop()
    }

    @Test func stopWhileTickingFinishesAndWritesEveryStatus() async throws {
        for i in 0..<20 { try create("c\(i)") }
        let loop = sleepyLoop(markets: ["X/USD"], rate: 2000)
        loop.start()
        try await waitFor { try store.statuses().filter { $0.state == .running && $0.ticks > 0 }.count == 20 }
        await loop.stop()
        let statuses = try store.statuses()
        #expect(statuses.count == 20)
        #expect(statuses.allSatisfy { $0.state == .running && $0.ticks > 0 })
        // A second stop returns at once.
        await loop.stop()
    }

    @Test func stopBeforeStartReturnsAndTheLoopNeverRuns() async throws {
        let loop = sleepyLoop()
        await loop.stop()
        loop.start()
        await #expect(throws: EngineLoopError.self) { try await loop.perform { _ in 1 } }
    }

    @Test func aMissingStrategiesFolderIsCountedAndShown() async throws {
        let engine = Engine(store: store, library: StrategyLibrary(directory: folder.appendingPathComponent("nowhere")), workers: 1)
        try engine.reconcile()
        try engine.reconcile()
        let health = engine.counters.health
        #expect(health.count(.strategiesFolder) == 1)  // counted once per occurrence, not per resync
        #expect(health.conditions[.strategiesFolder]?.contains("nowhere") == true)
        #expect(!health.isHealthy)
        #expect(health.prometheusText.contains("strata_engine_failures_total{kind=\"strategies_folder\"} 1"))
        #expect(health.prometheusText.contains("strata_engine_problem{kind=\"strategies_folder\"} 1"))
        #expect(engine.counters.drainUnlogged().count == 1)
    }

    @Test func failedStatusAndActivityWritesAreCountedAndLogged() async throws {
        try create("a")
        let lines = LogLines()
        let engine = Engine(store: store, library: StrategyLibrary(directory: folder), workers: 1)
        let loop = EngineLoop(
            engine: engine, feed: SyntheticFeed(markets: ["X/USD"], rate: 200, start: Date().timeIntervalSince1970),
            log: { level, line in if level == .failure { lines.append(line) } })
        loop.start()
        try await waitFor { try store.status(instanceID: "a")?.state == .running }
        try store.close()
        try await waitFor { loop.health.count(.statusWrite) > 0 }
        await loop.stop()
        #expect(loop.health.lastFailure != nil)
        #expect(lines.all.contains { $0.hasPrefix("engine: status_write:") })
    }
}

/// Lines a test's log callback collected.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}
