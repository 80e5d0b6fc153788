import LuaBridge
import Testing

@testable import StrataRuntime

@Suite struct StrategyFailureTests {
    @Test func anErrorInOnTickCarriesLineAndTraceback() throws {
        // Given a script that fails on line 6, two calls deep
        let instance = try makeInstance(
            #"""
            CONFIG_SCHEMA = {}
            function init() return {} end
            local function helper(price)
              if price > 100 then
                local missing
                return missing.field
              end
            end
            function on_tick(tick) helper(tick.price) end
            function render() return { widgets = {} } end
            """#)
        try instance.tick(tick(50))
        // When it ticks into the failing branch
        let error = try #require(strategyError { try instance.tick(tick(150)) })
        // Then the error says what, where, and how it got there
        #expect(error.kind == .runtime)
        #expect(error.phase == .tick)
        #expect(error.line == 6)
        #expect(error.message.hasPrefix("test.lua:6: attempt to index a nil value"))
        let traceback = try #require(error.traceback)
        #expect(traceback.contains("stack traceback"))
        #expect(traceback.contains("test.lua:6"))
        #expect(traceback.contains("test.lua:9"))
    }

    @Test func anErrorInInitIsAnInitError() {
        let error = strategyError {
            _ = try makeInstance(
                #"""
                CONFIG_SCHEMA = {}
                function init() error("no state for you") end
                function on_tick(tick) end
                function render() return { widgets = {} } end
                """#)
        }
        #expect(error?.kind == .runtime)
        #expect(error?.phase == .`init`)
        #expect(error?.line == 2)
        #expect(error?.message == "test.lua:2: no state for you")
    }

    @Test func aSyntaxErrorIsALoadErrorWithItsLine() {
        let error = strategyError { _ = try makeInstance("CONFIG_SCHEMA = {}\n\nfunction init( return {} end") }
        #expect(error?.kind == .syntax)
        #expect(error?.phase == .load)
        #expect(error?.line == 3)
    }

    @Test func initMustReturnATable() {
        let error = strategyError {
            _ = try makeInstance(
                #"""
                CONFIG_SCHEMA = {}
                function init() return 42 end
                function on_tick(tick) end
                function render() return { widgets = {} } end
                """#)
        }
        #expect(error?.message == "init() must return a table (the initial state), got number")
    }

    @Test func aFailingInstanceDoesNotAffectAnotherInTheSameProcess() throws {
        // Given two instances on one broker, one of which fails on every tick
        let broker = PaperBroker()
        let healthy = try makeInstance(
            #"""
            CONFIG_SCHEMA = {}
            function init() return { n = 0 } end
            function on_tick(tick)
              state.n = state.n + 1
              if state.n % 2 == 0 then context.place_order{ side = "buy", qty = 1 } end
            end
            function render() return { widgets = { { type = "metric", label = "n", value = state.n } } } end
            """#, broker: broker, id: "healthy")
        let failing = try makeInstance(
            #"""
            CONFIG_SCHEMA = {}
            function init() return {} end
            function on_tick(tick)
              string.len = nil    -- the shared libraries are read-only: this raises
            end
            function render() error("cannot render") end
            """#, broker: broker, id: "failing")
        // When both tick, interleaved
        for i in 1...10 {
            #expect(throws: StrategyError.self) { try failing.tick(tick(Double(i))) }
            try healthy.tick(tick(Double(i)))
        }
        #expect(throws: StrategyError.self) { _ = try failing.render() }
        // Then the healthy one saw every tick, traded, and renders
        #expect(try healthy.state("n") == 10)
        #expect(healthy.ordersPlaced == 5)
        #expect(broker.position(for: identity("healthy")) == 5)
        #expect(broker.position(for: identity("failing")) == 0)
        #expect(try healthy.render()["widgets"]?.arrayValue?.first?["value"] == .integer(10))
        #expect(healthy.ticksProcessed == 10)
        #expect(failing.ticksProcessed == 0)
    }
}
