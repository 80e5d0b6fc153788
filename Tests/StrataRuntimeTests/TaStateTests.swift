import LuaBridge
import Testing

@testable import StrataRuntime

/// `ta` objects kept in a strategy's `state` are saved and restored with it (a restart, a
/// worker taking the instance over) and go on with the outputs they would have given.
@Suite struct TaStateTests {
    static let source = """
        CONFIG_SCHEMA = {}
        function init()
          return { fast = ta.ema(5), slow = ta.sma(12), cross = ta.crossover(), band = ta.bollinger(10, 2),
                   hi = ta.highest(8), log = {} }
        end
        function on_tick(tick)
          local f, s = state.fast:update(tick.price), state.slow:update(tick.price)
          local _, upper = state.band:update(tick.price)
          state.log[#state.log + 1] = string.format("%s %s %s %s %s", f, s, state.cross:update(f, s), upper, state.hi:update(tick.price))
        end
        function render() return { widgets = {} } end
        """

    static func price(_ i: Int) -> Double { 100 + 10 * Double(i % 17) / 17 - Double(i % 5) }

    @Test func indicatorsInStateSurviveASaveAndRestore() throws {
        let straight = try makeInstance(Self.source)
        let stopped = try makeInstance(Self.source)
        for i in 0..<40 {
            try straight.tick(tick(Self.price(i)))
            try stopped.tick(tick(Self.price(i)))
        }
        let saved = try #require(try stopped.savedState())
        let restored = try makeInstance(Self.source, restoring: saved)
        for i in 40..<120 {
            try straight.tick(tick(Self.price(i)))
            try restored.tick(tick(Self.price(i)))
        }
        let expected = try straight.evaluate("table.concat(state.log, '\\n', 41)")
        #expect(try restored.evaluate("table.concat(state.log, '\\n', 41)") == expected)
        #expect(try restored.evaluate("#state.log") == .integer(120))
    }

    @Test func aSavedIndicatorShowsByNameInTheSnapshotContents() throws {
        let instance = try makeInstance(Self.source)
        try instance.tick(tick(100))
        let saved = try #require(try instance.saveState())
        let contents = SnapshotContents.decode(saved)
        #expect(contents.error == nil)
        #expect(contents.state?["fast"] == .string("<ta.ema(5)>"))
    }
}
