import Foundation
import StrataEngine
import StrataPersistence
import StrataRuntime

/// How long the kill switch takes, as an operator sees it: `strata halt` written by another
/// connection until the engine has applied it (its `control` event), with instances on two
/// accounts buying on every tick round; and how many orders the engine accepted after it
/// applied the halt (none, when it holds from the next round). No C program does this work,
/// so the figure has no baseline; the tick interval is printed beside it.
struct HaltLatencyBenchmark {
    var instances = 200
    var trials = 10
    /// Ticks per second of the one market (a tick round every 1/rate s).
    var rate = 100.0

    static let buyer = """
        CONFIG_SCHEMA = {}
        function init() return {} end
        function on_tick(tick) context.place_order{ side = "buy", qty = 0.0001 } end
        function render() return { widgets = {} } end
        """

    func figure(session: BenchSession) async throws -> BenchFigure {
        session.progress("running halt_latency (\(instances) instances on 2 accounts, \(trials) halts)…")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-halt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.buyer.write(to: folder.appendingPathComponent("buyer.lua"), atomically: true, encoding: .utf8)
        let path = folder.appendingPathComponent("strata.db").path
        let engineStore = try SQLiteStore(path: path)
        let outside = try SQLiteStore(path: path)  // stands in for `strata halt` in another process
        defer {
            try? outside.close()
            try? engineStore.close()
        }
        for index in 0..<instances {
            _ = try outside.createInstance(
                InstanceIdentity(id: "b\(index)", strategyType: "buyer", account: index % 2 == 0 ? "alpha" : "beta", market: "X/USD"),
                mode: .active, config: [:], actor: "bench")
        }
        let engine = Engine(store: engineStore, library: StrategyLibrary(directory: folder), broker: PaperBroker(settings: .live))
        let loop = EngineLoop(
            engine: engine, feed: SyntheticFeed(markets: ["X/USD"], rate: rate, start: Date().timeIntervalSince1970), storePollInterval: 0.001)
        let control = loop.events.subscribe(EventHub.Filter(kinds: [.control]))
        loop.start()
        var latencies: [Double] = []
        var acceptedAfter = 0
        do {
            try await waitForOrders(loop)
            var iterator = control.makeAsyncIterator()
            for _ in 0..<trials {
                let start = Date()
                try outside.setHalt(account: nil, to: .halted, actor: "bench")
                _ = await iterator.next()
                latencies.append(Date().timeIntervalSince(start))
                let atApply = try await loop.perform { $0.broker.nextOrderNumber }
                try await Task.sleep(for: .seconds(10 / rate))  // ten tick rounds
                acceptedAfter += try await loop.perform { $0.broker.nextOrderNumber } - atApply
                try outside.setHalt(account: nil, to: .trading, actor: "bench")
                _ = await iterator.next()
                try await waitForOrders(loop)
            }
            await loop.stop()
        } catch {
            await loop.stop()
            throw error
        }
        let median = latencies.quantile(0.5) * 1000
        let p99 = latencies.quantile(0.99) * 1000
        return BenchFigure(
            name: "halt_latency", value: median, unit: "ms (median)", baseline: nil,
            extras: [
                "p99": .number(BenchFigure.rounded(p99)), "samples": .integer(Int64(latencies.count)),
                "instances": .integer(Int64(instances)), "tick_interval_ms": .number(1000 / rate),
                "orders_accepted_after_apply": .integer(Int64(acceptedAfter)),
            ],
            note: String(format: "p99 %.2f ms; a tick round every %.0f ms; %d orders accepted after the halt applied", p99, 1000 / rate, acceptedAfter))
    }

    /// Waits until the engine accepts orders again (every instance loaded and trading).
    private func waitForOrders(_ loop: EngineLoop) async throws {
        let deadline = Date().addingTimeInterval(30)
        var last = try await loop.perform { $0.broker.nextOrderNumber }
        while Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
            let now = try await loop.perform { ($0.broker.nextOrderNumber, $0.runningCount) }
            if now.0 > last + instances, now.1 == instances { return }
            last = now.0
        }
        throw UsageError("halt_latency: the instances did not trade within 30 s")
    }
}
