import Foundation
import StrataPersistence
import StrataRuntime
import Testing

@testable import StrataEngine

/// What the webhooks hear from the engine, in process and with `--isolation process`:
/// `context.notify` arrives as a `notify` log line, and a mode changed by any writer as a `mode`
/// event (once; a restart, a creation or a deletion is none).
@Suite(.serialized) struct NotifyEventsTests {
    static let notifier = """
        CONFIG_SCHEMA = {}
        function init() return { n = 0 } end
        function on_tick(tick)
          state.n = state.n + 1
          local ok, err = context.notify("tick " .. state.n)
          if not ok then context.log("refused: " .. err) end
        end
        function render() return { widgets = {} } end
        """

    @Test(arguments: [false, true])
    func notificationsAndModeChangesReachTheEventHub(isolated: Bool) async throws {
        // Given an engine (in process, or with worker processes) and an instance that notifies every tick
        let folder = try temporaryFolder()
        try Self.notifier.write(to: folder.appendingPathComponent("notifier.lua"), atomically: true, encoding: .utf8)
        let store = try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
        var limits = StrategyLimits()
        limits.loadDeadline = .seconds(10)
        limits.tickDeadline = .seconds(5)
        let binary = try #require(strataBinary, "strata binary not found; run swift build first")
        let events = EventHub()
        let engine = Engine(
            store: store, library: StrategyLibrary(directory: folder, limits: limits, vettingWorker: isolated ? binary.path : nil), limits: limits,
            events: events, isolation: isolated ? WorkerFleetOptions(workers: 1, executable: binary.path) : nil)
        let heard = events.subscribe(EventHub.Filter(kinds: [.log, .mode]))
        try store.createInstance(
            InstanceIdentity(id: "n1", strategyType: "notifier", account: "paper", market: "X/USD"), mode: .observe, config: [:], actor: .cli)
        try engine.reconcile()

        // When it gets 12 ticks a second apart, and its mode is changed twice through the store
        for index in 0..<12 { engine.tick(Tick(market: "X/USD", ts: 1_000 + Double(index), price: 100)) }
        try engine.flushActivity()
        try store.setMode(id: "n1", to: .active, actor: .cli)
        try engine.reconcile()
        try engine.reconcile()
        try store.setMode(id: "n1", to: .off, actor: .api)
        try engine.reconcile()
        try store.createInstance(
            InstanceIdentity(id: "n2", strategyType: "notifier", account: "paper", market: "X/USD"), mode: .active, config: [:], actor: .cli)
        try engine.reconcile()
        engine.stopWorkers()
        // (an end mark: everything before it was published)
        events.publish([EngineEvent(instanceID: "end", payload: .log(InstanceLogEntry(instanceID: "end", time: 0, level: .info, message: "")))])

        // Then ten notify lines came (the rate limit refused the rest, in the log), and two mode events
        var notes: [String] = []
        var refused: [String] = []
        var modes: [ModeChange] = []
        for await event in heard {
            if event.instanceID == "end" { break }
            switch event.payload {
            case .log(let entry) where entry.level == .notify: notes.append(entry.message)
            case .log(let entry): refused.append(entry.message)
            case .mode(let change): modes.append(change)
            default: break
            }
        }
        #expect(notes == (1...10).map { "tick \($0)" })
        #expect(refused.count == 2 && refused.allSatisfy { $0.hasPrefix("refused: rate limited") })
        #expect(modes == [ModeChange(instanceID: "n1", old: .observe, new: .active), ModeChange(instanceID: "n1", old: .active, new: .off)])
        #expect(try store.logs(instanceID: "n1", limit: 100).filter { $0.level == .notify }.count == 10)
    }
}
