import LuaBridge
import Testing

@testable import StrataRuntime

/// Tick tables: fresh for every call unless `on_tick` provably only reads fields of its tick, in
/// which case one table is refilled (no script can tell the difference).
@Suite struct TickTableTests {
    private func script(onTick: String) -> String {
        """
        CONFIG_SCHEMA = {}
        function init() return { seen = {}, kept = {} } end
        \(onTick)
        function render() return { widgets = {} } end
        """
    }

    private let ticks = [
        Tick(market: "A/USD", ts: 1, price: 10, volume: 1, bid: 9.5),
        Tick(market: "A/USD", ts: 2, price: 11),
        Tick(market: "B/USD", ts: 3, price: 12, open: 11, high: 13, low: 10),
        Tick(market: "B/USD", ts: 4, price: 13, ask: 13.5),
    ]

    @Test func aReadingScriptSeesEveryFieldOfEveryTickAndNothingLeftOver() throws {
        let instance = try makeInstance(
            script(
                onTick: """
                    function on_tick(t)
                      local s = state.seen
                      s[#s + 1] = table.concat({ t.market, t.ts, t.price, tostring(t.volume), tostring(t.bid),
                        tostring(t.ask), tostring(t.open), tostring(t.high), tostring(t.low), tostring(t.close) }, " ")
                    end
                    """))
        for tick in ticks { try instance.tick(tick) }
        #expect(
            try instance.state("seen")
                == .array([
                    "A/USD 1.0 10.0 1.0 9.5 nil nil nil nil nil",
                    "A/USD 2.0 11.0 nil nil nil nil nil nil nil",
                    "B/USD 3.0 12.0 nil nil nil 11.0 13.0 10.0 12.0",
                    "B/USD 4.0 13.0 nil nil 13.5 nil nil nil nil",
                ]))
    }

    @Test(arguments: [
        "function on_tick(t) local k = state.kept; k[#k + 1] = t end",
        "function on_tick(t) state.kept[#state.kept + 1] = (function() return t end)() end",
        "function on_tick(t) local f = function() return t end; state.kept[#state.kept + 1] = f() end",
        "function on_tick(...) local t = ...; state.kept[#state.kept + 1] = t end",
        "function on_tick(t) table.insert(state.kept, t) end",
        "function on_tick(t) local u = t; state.kept[#state.kept + 1] = u end",
    ])
    func aScriptThatKeepsItsTicksGetsAFreshTableEachCall(onTick: String) throws {
        let instance = try makeInstance(script(onTick: onTick))
        for tick in ticks { try instance.tick(tick) }
        // Each kept table still holds its own tick.
        guard case .array(let kept)? = try instance.state("kept") else {
            Issue.record("no kept ticks")
            return
        }
        #expect(kept.map { $0["price"] } == [10.0, 11.0, 12.0, 13.0])
        #expect(kept.map { $0["market"] } == ["A/USD", "A/USD", "B/USD", "B/USD"])
    }

    @Test func aScriptThatWritesToItsTickGetsAFreshTableEachCall() throws {
        let instance = try makeInstance(
            script(
                onTick: """
                    function on_tick(t)
                      local s = state.seen
                      s[#s + 1] = tostring(t.mark)
                      t.mark = t.price
                    end
                    """))
        for tick in ticks { try instance.tick(tick) }
        #expect(try instance.state("seen") == .array(["nil", "nil", "nil", "nil"]))
    }

    @Test func aReloadToAKeepingScriptStopsTheReuse() throws {
        let instance = try makeInstance(script(onTick: "function on_tick(t) state.last = t.price end"))
        try instance.tick(ticks[0])
        try instance.reload(StrategyScript(name: "test", source: script(onTick: "function on_tick(t) local k = state.kept; k[#k + 1] = t end")))
        for tick in ticks.dropFirst() { try instance.tick(tick) }
        guard case .array(let kept)? = try instance.state("kept") else {
            Issue.record("no kept ticks")
            return
        }
        #expect(kept.map { $0["price"] } == [11.0, 12.0, 13.0])
    }
}
