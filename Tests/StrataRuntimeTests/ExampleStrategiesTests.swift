import Foundation
import Testing

@testable import StrataRuntime

/// The repository's `strategies-lua/` folder, found from this file's path.
private let strategiesFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()  // StrataRuntimeTests
    .deletingLastPathComponent()  // Tests
    .deletingLastPathComponent()  // the repository
    .appendingPathComponent("strategies-lua")

/// The file names of every example strategy.
private let exampleFiles: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: strategiesFolder.path)) ?? []
    return names.filter { $0.hasSuffix(".lua") }.sorted()
}()

private func loadExample(_ file: String) throws -> StrategyScript {
    let source = try String(contentsOf: strategiesFolder.appendingPathComponent(file), encoding: .utf8)
    // Offered the shared modules of strategies-lua/lib/, as the engine and `strata check` offer them.
    return StrategyScript.file(strategiesFolder.appendingPathComponent(file), source: source)
}

@Suite struct ExampleStrategiesTests {
    /// `state` as plain data: each `ta` indicator replaced by what it is and what it holds
    /// (`{ indicator = "ta.sma(20)", ready = true, value = { ... } }`), so states compare.
    static let plainState = """
        (function()
          local seen = {}
          local function plain(v)
            if type(v) == "userdata" then return { indicator = tostring(v), ready = v:ready(), value = table.pack(v:value()) } end
            if type(v) ~= "table" then return v end
            if seen[v] then return seen[v] end
            local copy = {}
            seen[v] = copy
            for k, x in pairs(v) do copy[plain(k)] = plain(x) end
            return copy
          end
          return plain(state)
        end)()
        """

    @Test func thereAreExampleStrategies() {
        #expect(exampleFiles.count >= 2, "no example strategies found in \(strategiesFolder.path)")
    }

    /// A restart keeps what the example had learned: its saved `state` restores into a fresh
    /// instance equal to the original, and both decide the same on the ticks that follow.
    @Test(arguments: exampleFiles)
    func stateSurvivesASaveAndARestore(_ file: String) throws {
        let script = try loadExample(file)
        let ticks = (0..<400).map { (index: Int) -> Tick in
            let wiggle = Double((index * 7) % 23) - Double(index % 5)
            return tick(100 + wiggle, at: 1_700_000_000 + Double(index) * 60)
        }
        let original = try StrategyInstance(identity: identity(), script: script, mode: .observe, broker: PaperBroker(), limits: .testing)
        for tick in ticks[..<300] { try original.tick(tick) }
        let saved = try #require(try original.savedState())
        let restored = try StrategyInstance(
            identity: identity(), script: script, mode: .observe, broker: PaperBroker(), limits: .testing, restoring: saved)
        #expect(try restored.evaluate(Self.plainState) == original.evaluate(Self.plainState))
        for tick in ticks[300...] {
            try original.tick(tick)
            try restored.tick(tick)
        }
        #expect(try restored.evaluate(Self.plainState) == original.evaluate(Self.plainState))
        #expect(restored.signals.map(\.request) == original.signals.suffix(restored.signals.count).map(\.request))
    }

    @Test(arguments: exampleFiles)
    func passesTheCheckAndTrades(_ file: String) throws {
        // Given an example strategy with its default config
        let script = try loadExample(file)
        // When it runs 2000 synthetic ticks in active mode and renders
        let report = StrategyCheck(script: script, ticks: 2000, limits: .testing).run()
        // Then it passes, traded at least once, and shows several widgets
        #expect(report.ok, "\(report.error.map(String.init(describing:)) ?? "")")
        #expect(report.ticks == 2000)
        #expect(report.orders >= 1)
        #expect(report.widgets >= 3)
    }

    @Test(arguments: exampleFiles)
    func recordsSignalsInObserveMode(_ file: String) throws {
        // Given an example strategy observing a market
        let broker = PaperBroker()
        let instance = try StrategyInstance(
            identity: InstanceIdentity(id: "observer", strategyType: file, account: "paper", market: "TEST/USD"),
            script: try loadExample(file), mode: .observe, broker: broker, limits: .testing)
        // When it sees 2000 ticks
        var feed = RandomWalkFeed(market: "TEST/USD")
        for _ in 0..<2000 {
            guard let tick = feed.next() else { break }
            broker.marketMoved(tick)
            try instance.tick(tick)
        }
        // Then its intents were recorded as signals, and nothing was traded
        #expect(instance.signalsRecorded >= 1)
        #expect(instance.signals.allSatisfy { $0.instanceID == "observer" })
        #expect(instance.ordersPlaced == 0)
        #expect(broker.position(for: instance.identity) == 0)
        // And it still renders
        #expect((try instance.render()["widgets"]?.arrayValue?.count ?? 0) >= 3)
    }
}
