import Foundation
import StrataPersistence
import StrataRuntime
import Testing

@testable import StrataEngine

/// What a long run keeps in memory stays bounded: written activity is let go (the store keeps
/// it), and the paper broker keeps a bounded number of closed trades.
@Suite struct EngineBoundsTests {
    /// Every tick: an order, buy and sell in turn (a round trip every two ticks), and a log line.
    static let flipper = """
        CONFIG_SCHEMA = {}
        function init() return { n = 0 } end
        function on_tick(tick)
          state.n = state.n + 1
          local side = (state.n % 2 == 1) and "buy" or "sell"
          local order, err = context.place_order{ side = side, qty = 1, type = "market" }
          context.log(side .. " " .. (order and order.status or tostring(err)))
        end
        function render() return { widgets = {} } end
        """

    let folder: URL
    let store: SQLiteStore
    let engine: Engine

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-bounds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.flipper.write(to: folder.appendingPathComponent("flipper.lua"), atomically: true, encoding: .utf8)
        store = try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
        engine = Engine(store: store, library: StrategyLibrary(directory: folder), workers: 1)
        for (id, mode) in [("act", InstanceMode.active), ("obs", .observe)] {
            _ = try store.createInstance(
                InstanceIdentity(id: id, strategyType: "flipper", account: "paper", market: "X/USD"), mode: mode,
                config: [:], actor: .cli)
        }
        try engine.reconcile()
    }

    @Test func writtenOrdersSignalsAndLogsLeaveMemoryAndTheStoreKeepsThem() throws {
        // Given 600 ticks, flushed every 10
        for ts in 1...600 {
            engine.tick(Tick(market: "X/USD", ts: Double(ts), price: 100))
            if ts % 10 == 0 { try engine.flushActivity() }
        }
        // Then nothing written stays in memory
        #expect(engine.broker.history.isEmpty)
        #expect(engine.runtime("obs")?.signals.isEmpty == true)
        #expect(engine.runtime("act")?.log.lines.isEmpty == true)
        #expect(engine.runtime("obs")?.signalsRecorded == 600)
        // And the store has all of it
        #expect(try store.orders(instanceID: "act", limit: 10_000).count == 600)
        #expect(try store.signals(instanceID: "obs", limit: 10_000).count == 600)
        // And the broker keeps at most twice its 100 closed trades
        let trades = engine.broker.book(for: "act").closedTrades.count
        #expect(trades >= 100 && trades <= 200)
    }

    @Test func aFailedWriteKeepsTheActivityForTheNextTry() throws {
        engine.tick(Tick(market: "X/USD", ts: 1, price: 100))
        try store.close()
        #expect(throws: StoreError.self) { try engine.flushActivity() }
        #expect(engine.broker.history.count == 1)
        #expect(engine.runtime("obs")?.signals.count == 1)
    }
}
