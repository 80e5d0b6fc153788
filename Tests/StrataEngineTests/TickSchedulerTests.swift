import Foundation
import StrataPersistence
import StrataRuntime
import Testing

@testable import StrataEngine

/// Ticks spread over worker threads: every instance sees every tick of its market, in order,
/// and a failing instance fails alone — whatever the number of workers.
@Suite struct TickSchedulerTests {
    static let recorder = """
        CONFIG_SCHEMA = {}
        function init() return { seen = {}, last = 0 } end
        function on_tick(tick)
          if tick.ts <= state.last then error("out of order: " .. tick.ts .. " after " .. state.last) end
          state.last = tick.ts
          state.seen[#state.seen + 1] = tick.ts
          if tick.price < 0 and context.identity.id == "rec-007" then error("boom") end
          if tick.price == 0 and context.identity.id == "rec-042" then while true do end end
        end
        function render()
          return { widgets = { { type = "metric", label = "seen", value = #state.seen },
                               { type = "metric", label = "last", value = state.last } } }
        end
        """

    func makeEngine(workers: Int, batch: Int = 1, tickDeadline: Duration = .seconds(10)) throws -> (Engine, SQLiteStore) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-sched-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Self.recorder.write(to: folder.appendingPathComponent("rec.lua"), atomically: true, encoding: .utf8)
        let store = try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
        var limits = StrategyLimits()
        limits.tickDeadline = tickDeadline
        let engine = Engine(
            store: store, library: StrategyLibrary(directory: folder, limits: limits), limits: limits, workers: workers,
            tickBatch: batch)
        return (engine, store)
    }

    func seen(_ engine: Engine, _ id: String) throws -> Double? {
        try engine.runtimes[id]?.render()["widgets"]?.arrayValue?.first?["value"]?.doubleValue
    }

    @Test(arguments: [(1, 1), (2, 1), (4, 1), (2, 8)])
    func everyInstanceSeesEveryTickOfItsMarketInOrder(workers: Int, batch: Int) throws {
        let (engine, store) = try makeEngine(workers: workers, batch: batch)
        #expect(engine.workers == workers && engine.tickBatch == batch)
        for index in 0..<300 {
            let market = index % 3 == 0 ? "B/USD" : "A/USD"
            _ = try store.createInstance(
                InstanceIdentity(id: String(format: "rec-%03d", index), strategyType: "rec", account: "paper", market: market),
                mode: .observe, config: [:], actor: .cli)
        }
        try engine.reconcile()
        #expect(engine.runtimes.count == 300)
        // A's ticks come in bursts: one process() call holds several ticks of the same market.
        var ticks: [Tick] = []
        for ts in 1...20 {
            ticks.append(Tick(market: "A/USD", ts: Double(ts), price: 100))
            if ts % 2 == 0 { ticks.append(Tick(market: "B/USD", ts: Double(ts), price: 100)) }
        }
        engine.process(Array(ticks[..<15]))
        engine.process(Array(ticks[15...]))
        for index in 0..<300 {
            let id = String(format: "rec-%03d", index)
            #expect(try seen(engine, id) == (index % 3 == 0 ? 10 : 20), "instance \(id)")
        }
    }

    @Test(arguments: [(1, 1), (2, 1), (2, 4)])
    func aFailingInstanceFailsAloneAndTheRestGoOn(workers: Int, batch: Int) throws {
        let (engine, store) = try makeEngine(workers: workers, batch: batch)
        for index in 0..<100 {
            _ = try store.createInstance(
                InstanceIdentity(id: String(format: "rec-%03d", index), strategyType: "rec", account: "paper", market: "A/USD"),
                mode: .observe, config: [:], actor: .cli)
        }
        try engine.reconcile()
        engine.process([
            Tick(market: "A/USD", ts: 1, price: 100), Tick(market: "A/USD", ts: 2, price: -1),
            Tick(market: "A/USD", ts: 3, price: 100),
        ])
        #expect(engine.runtimes["rec-007"] == nil)
        let status = try store.status(instanceID: "rec-007")
        #expect(status?.state == .error)
        #expect(status?.lastError?.message.contains("boom") == true)
        #expect(try seen(engine, "rec-006") == 3)
        #expect(try seen(engine, "rec-099") == 3)
    }

    @Test(arguments: [1, 2])
    func aStuckInstanceIsKilledAtItsDeadlineAndDelaysNoOneElseLonger(workers: Int) throws {
        let (engine, store) = try makeEngine(workers: workers, tickDeadline: .milliseconds(100))
        for index in 0..<100 {
            _ = try store.createInstance(
                InstanceIdentity(id: String(format: "rec-%03d", index), strategyType: "rec", account: "paper", market: "A/USD"),
                mode: .observe, config: [:], actor: .cli)
        }
        try engine.reconcile()
        engine.process([
            Tick(market: "A/USD", ts: 1, price: 100), Tick(market: "A/USD", ts: 2, price: 0),
            Tick(market: "A/USD", ts: 3, price: 100),
        ])
        let status = try store.status(instanceID: "rec-042")
        #expect(status?.state == .error)
        #expect(status?.lastError?.kind == "cpu_limit")
        #expect(engine.runtimes.count == 99)
        #expect(try seen(engine, "rec-041") == 3)
        #expect(try seen(engine, "rec-043") == 3)
    }

    @Test func statusesCarryTickLatencyPercentilesAndCPU() throws {
        let (engine, store) = try makeEngine(workers: 2)
        _ = try store.createInstance(
            InstanceIdentity(id: "rec-000", strategyType: "rec", account: "paper", market: "A/USD"),
            mode: .observe, config: [:], actor: .cli)
        try engine.reconcile()
        engine.process((1...64).map { Tick(market: "A/USD", ts: Double($0), price: 100) })
        try engine.saveStatuses()
        let status = try #require(try store.status(instanceID: "rec-000"))
        let p50 = try #require(status.tickLatencyP50)
        let p99 = try #require(status.tickLatencyP99)
        #expect(p50 > 0 && p50 <= p99)
        #expect(status.cpuSeconds > 0)
        #expect(status.ticks == 64)
    }

    @Test func roundsHoldAtMostOneTickPerMarketAndKeepTheOrder() {
        let ticks = [("A", 1.0), ("B", 1), ("A", 2), ("A", 3), ("C", 3), ("B", 4)].map { Tick(market: $0.0, ts: $0.1, price: 1) }
        let rounds = TickScheduler.rounds(ticks).map { $0.map { "\($0.market)\(Int($0.ts))" } }
        #expect(rounds == [["A1", "B1"], ["A2"], ["A3", "C3", "B4"]])
        let batched = TickScheduler.rounds(ticks, batch: 2).map { $0.map { "\($0.market)\(Int($0.ts))" } }
        #expect(batched == [["A1", "B1", "A2"], ["A3", "C3", "B4"]])
    }

    @Test func latencyWindowKeepsTheMostRecentSamples() {
        var window = LatencyWindow()
        #expect(window.quantile(0.5) == nil)
        for sample in 1...1000 { window.add(Double(sample)) }
        #expect(window.quantile(0) == 873)
        #expect(window.quantile(1) == 1000)
        #expect(window.quantile(0.5) == 936)
    }
}
