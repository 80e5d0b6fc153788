import Foundation
import StrataRuntime
import Synchronization
import Testing

@testable import StrataIsolation

/// The ``Optimizer`` API the CLI and the HTTP server share: cancellation, and the same figures
/// from worker processes as from threads.
@Suite struct OptimizerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built `strata` executable beside the test bundle.
    static let binary: String? = {
        var folder = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("strata").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        return nil
    }()

    func request(_ isolation: OptimizationRequest.Isolation, params: [String]) throws -> OptimizationRequest {
        let path = Self.root.appendingPathComponent("strategies-lua/sma_cross.lua")
        let script = StrategyScript.file(path, source: try String(contentsOf: path, encoding: .utf8))
        var settings = Backtest.Settings()
        settings.market = "GOOG"
        return OptimizationRequest(
            script: script, dataPath: Self.root.appendingPathComponent("data/GOOG.csv").path, settings: settings, params: params, jobs: 2,
            isolation: isolation)
    }

    @Test func workersAndThreadsGiveTheSameTrials() throws {
        let binary = try #require(Self.binary, "run swift build first")
        let params = ["fast=5,10", "slow=30,60"]
        let isolated = try Optimizer(request: try request(.process, params: params), executable: binary).run()
        let threaded = try Optimizer(request: try request(.none, params: params), executable: binary).run()
        #expect(isolated.trials.count == 4)
        #expect(isolated.trials.map(\.metrics) == threaded.trials.map(\.metrics))
        #expect(isolated.best?.index == threaded.best?.index)
    }

    @Test func aCancelledRunKillsItsWorkersAndKeepsTheTrialsDone() throws {
        let binary = try #require(Self.binary, "run swift build first")
        let seen = Counter()
        let start = ContinuousClock.now
        let result = try Optimizer(request: try request(.process, params: ["fast=2:40:1", "slow=50:200:10"]), executable: binary).run(
            onTrial: { _, _, _ in seen.value.wrappingAdd(1, ordering: .relaxed) }, isCancelled: { seen.value.load(ordering: .relaxed) >= 3 })
        #expect(result.cancelled)
        #expect(result.trials.count >= 3 && result.trials.count < result.planned)
        #expect(result.trials.allSatisfy { $0.ok })
        #expect(ContinuousClock.now - start < .seconds(60))
    }
}

/// A count the callbacks share.
final class Counter: Sendable {
    let value = Atomic<Int>(0)
}
