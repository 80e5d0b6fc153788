import Foundation
import StrataEngine
import StrataPersistence
import StrataRuntime
import Testing

@testable import StrataNotify

/// The engine's steps do not wait on receivers: with every webhook hanging or dead, a step
/// (ticks, then writing and publishing what they did) takes what it takes without them.
@Suite struct EngineNeverWaitsTests {
    static let trader = #"""
        CONFIG_SCHEMA = {}
        function init() return {} end
        function on_tick(tick)
          context.place_order{ side = "buy", qty = 0.001 }
          context.notify("bought at " .. tick.price)
        end
        function render() return { widgets = {} } end
        """#

    /// Step durations (ms) of an engine with 20 trading instances over `steps` ticks.
    static func measure(events: EventHub, folder: URL, steps: Int) throws -> [Double] {
        let store = try SQLiteStore(path: folder.appendingPathComponent("engine-\(UUID().uuidString).db").path)
        var limits = StrategyLimits()
        limits.tickDeadline = .seconds(10)
        limits.loadDeadline = .seconds(20)
        let engine = Engine(store: store, library: StrategyLibrary(directory: folder, limits: limits), limits: limits, events: events, workers: 1)
        for index in 0..<20 {
            try store.createInstance(
                InstanceIdentity(id: "t\(index)", strategyType: "trader", account: "paper", market: "A/USD"), mode: .active, config: [:],
                actor: .cli)
        }
        try engine.reconcile()
        var durations: [Double] = []
        for step in 0..<steps {
            let start = ContinuousClock.now
            engine.process([Tick(market: "A/USD", ts: 1_700_000_000 + Double(step), price: 100 + Double(step % 7))])
            try engine.flushActivity()
            let elapsed = ContinuousClock.now - start
            durations.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
        }
        try store.close()
        return durations
    }

    static func quantile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * q))]
    }

    @Test func stepsTakeNoLongerWhileEveryReceiverHangsOrIsDead() async throws {
        // Given a receiver that answers after 3 s and a dead endpoint, both wanting fills and notes
        let hanging = try await WebhookReceiver { _ in .init(delay: 3) }
        var options = NotifyFixture.fastOptions
        options.requestTimeout = 2
        options.queueCapacity = 50
        let fixture = try NotifyFixture(options: options)
        try Self.trader.write(to: fixture.folder.appendingPathComponent("trader.lua"), atomically: true, encoding: .utf8)
        let slow = try await fixture.add(url: hanging.url, events: ["fill", "notify"])
        let dead = try await fixture.add(url: "http://127.0.0.1:\(try closedPort())/hook", events: ["fill", "notify"])

        // When an engine without listeners runs 300 steps, then one whose hub the notifier hears
        let baseline = try Self.measure(events: EventHub(), folder: fixture.folder, steps: 300)
        let started = Date()
        let heard = try Self.measure(events: fixture.events, folder: fixture.folder, steps: 300)
        let wall = Date().timeIntervalSince(started)

        // Then no step waited for the 2 s timeout (the figures are printed, not judged: speed is
        // the benchmarks' business)
        let (base50, base99) = (Self.quantile(baseline, 0.5), Self.quantile(baseline, 0.99))
        let (heard50, heard99, heardMax) = (Self.quantile(heard, 0.5), Self.quantile(heard, 0.99), heard.max() ?? 0)
        print("engine step ms: baseline p50 \(base50) p99 \(base99); with hanging+dead webhooks p50 \(heard50) p99 \(heard99) max \(heardMax)")
        #expect(heardMax < 1_500, "a step waited: \(heardMax) ms")
        #expect(wall < 60)

        // And the webhooks did get work: 20 fills a step (600 a second) overflowed their queues
        try await Task.sleep(for: .milliseconds(300))
        let slowCounts = try #require(fixture.notifier.counts(webhookID: slow.id))
        let deadCounts = try #require(fixture.notifier.counts(webhookID: dead.id))
        #expect(slowCounts.dropped > 0 && deadCounts.dropped > 0)
        #expect(await hanging.waitFor(1))
        await fixture.notifier.shutdown()
        await hanging.stop()
    }
}
