import StrataRuntime
import Testing

@testable import strata

/// Standard limits with generous deadlines: this checks behaviour, not speed.
private let relaxed: StrategyLimits = {
    var limits = StrategyLimits()
    limits.loadDeadline = .seconds(20)
    limits.tickDeadline = .seconds(10)
    limits.renderDeadline = .seconds(10)
    return limits
}()

@Suite struct StarterStrategyTests {
    @Test(arguments: ["my_strategy", "x", "ema2"])
    func theStarterPassesTheCheckAndTrades(_ name: String) {
        // Given the script `strata new NAME` writes
        let script = StrategyScript(name: name, source: StarterStrategy.source(name: name))
        // When it is checked like an example strategy
        let report = StrategyCheck(script: script, ticks: 2000, limits: relaxed).run()
        // Then it passes, trades and renders its widgets
        #expect(report.ok, "\(report.error.map(String.init(describing:)) ?? "")")
        #expect(report.orders >= 1)
        #expect(report.widgets >= 3)
    }

    @Test func aNameWithALineBreakCannotInjectCode() {
        let script = StrategyScript(name: "x", source: StarterStrategy.source(name: "x\nerror('injected')"))
        #expect(StrategyCheck(script: script, ticks: 10, limits: relaxed).run().ok)
    }
}
