import Foundation
import StrataPersistence
import StrataRuntime
import Testing

@testable import StrataEngine

/// `strata replay`'s engine: an hour of a live instance replayed from its snapshots and the
/// journal makes exactly the decisions it made live; a changed config or script shows its own.
@Suite struct InstanceReplayTests {
    /// Trades on a short moving average of the price, with its window and size in the config;
    /// its state (the window, a trade count) is what a replay must rebuild.
    static let trader = """
        CONFIG_SCHEMA = {
          window = { type = "integer", default = 8, min = 2, max = 100 },
          qty = { type = "float", default = 0.01 },
        }
        function init() return { prices = {}, trades = 0 } end
        function on_tick(tick)
          local prices = state.prices
          table.insert(prices, tick.price)
          if #prices > config.window then table.remove(prices, 1) end
          if #prices < config.window then return end
          local sum = 0
          for _, p in ipairs(prices) do sum = sum + p end
          local mean = sum / #prices
          local position = context.get_position()
          if tick.price < mean * 0.999 and position <= 0 then
            context.place_order{ side = "buy", qty = config.qty, type = "market" }
            state.trades = state.trades + 1
          elseif tick.price > mean * 1.001 and position > 0 then
            context.place_order{ side = "sell", qty = position, type = "market" }
            state.trades = state.trades + 1
          end
          if state.trades % 10 == 1 then context.log("trades " .. state.trades) end
        end
        function render() return { widgets = {} } end
        """

    let folder: URL
    let store: SQLiteStore

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
        try Self.trader.write(to: folder.appendingPathComponent("trader.lua"), atomically: true, encoding: .utf8)
    }

    /// Runs an engine over two hours of one-second ticks (a random walk), with a snapshot round
    /// every ten minutes; `a` trades, `o` observes, `b` trades on the same account.
    func runLive() throws {
        for (id, mode) in [("a", InstanceMode.active), ("o", .observe), ("b", .active)] {
            _ = try store.createInstance(
                InstanceIdentity(id: id, strategyType: "trader", account: "paper", market: "X/USD"), mode: mode,
                config: id == "b" ? ["window": .integer(5)] : [:], actor: .cli)
        }
        let engine = Engine(store: store, library: StrategyLibrary(directory: folder), workers: 1)
        try engine.reconcile()
        var walk = RandomWalkFeed(market: "X/USD", seed: 42, interval: 1, volatility: 0.001)
        for second in 1...7_200 {
            engine.tick(walk.next()!)
            if second % 60 == 0 { try engine.flushActivity() }
            if second % 600 == 0 { engine.saveSnapshots(reason: .periodic) }
        }
        try engine.flushActivity()
    }

    @Test func anHourReplayedMakesExactlyTheLiveDecisions() throws {
        try runLive()
        let replay = InstanceReplay(store: store)
        for id in ["a", "o", "b"] {
            let result = try replay.run(InstanceReplay.Request(instanceID: id))
            #expect(result.error == nil)
            #expect(result.live.count > 10, "\(id): \(result.live.count) live decisions")
            #expect(result.identical, "\(id): \(result.differences.prefix(3))")
            #expect(result.replay == result.live)
            if case .snapshot(let seq, _, _) = result.start { #expect(seq <= result.fromSeq) } else { Issue.record("\(id) started with init()") }
        }
        // From the very start (no snapshot that early: init()), over both hours.
        var whole = InstanceReplay.Request(instanceID: "a", fromSeq: 1)
        whole.toSeq = 7_200
        let result = try replay.run(whole)
        #expect(result.start == .initialize)
        #expect(result.identical, "\(result.differences.prefix(3))")
        #expect(result.ticks == 7_200)
    }

    @Test func aChangedConfigOrScriptShowsItsOwnDecisions() throws {
        try runLive()
        let replay = InstanceReplay(store: store)
        var changed = InstanceReplay.Request(instanceID: "a")
        changed.configChanges = ["window": .integer(20)]
        let byConfig = try replay.run(changed)
        #expect(!byConfig.identical)
        #expect(!byConfig.differences.isEmpty)
        var rewritten = InstanceReplay.Request(instanceID: "a")
        rewritten.script = StrategyScript(name: "trader", source: Self.trader.replacingOccurrences(of: "0.999", with: "0.99"))
        let byScript = try replay.run(rewritten)
        #expect(byScript.version != byScript.liveVersion)
        #expect(byScript.replay.count < byScript.live.count)
    }

    @Test func whatCannotBeReplayedSaysWhy() throws {
        #expect(throws: ReplayError.self) { try InstanceReplay(store: store).run(InstanceReplay.Request(instanceID: "nobody")) }
        _ = try store.createInstance(
            InstanceIdentity(id: "idle", strategyType: "trader", account: "paper", market: "Y/USD"), mode: .observe, config: [:], actor: .cli)
        let error = try #require(throws: ReplayError.self) { try InstanceReplay(store: store).run(InstanceReplay.Request(instanceID: "idle")) }
        #expect(error.description == "no ticks of Y/USD are journaled")
        try runLive()
        var bad = InstanceReplay.Request(instanceID: "a")
        bad.configChanges = ["window": .integer(1)]
        let refused = try #require(throws: ReplayError.self) { try InstanceReplay(store: store).run(bad) }
        #expect(refused.description.contains("window"))
    }

    @Test func aScriptThatFailsDuringTheReplayIsReportedNotThrown() throws {
        try runLive()
        var broken = InstanceReplay.Request(instanceID: "a")
        broken.script = StrategyScript(
            name: "trader", source: Self.trader.replacingOccurrences(of: "local prices = state.prices", with: "local prices = state.nope.prices"))
        let result = try InstanceReplay(store: store).run(broken)
        #expect(result.error?.kind == .runtime)
        #expect(!result.identical)
    }
}
