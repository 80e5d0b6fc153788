import LuaBridge
import Testing

@testable import StrataRuntime

/// A strategy whose render() body is `body`; init caches the trading context in `saved`.
private func rendering(_ body: String, limits: StrategyLimits = .testing) throws -> StrategyInstance {
    try makeInstance(
        #"""
        CONFIG_SCHEMA = {}
        local saved
        function init() saved = context; return { prices = {} } end
        function on_tick(tick) state.prices[#state.prices + 1] = tick.price end
        function render()
        \#(body)
        end
        """#, limits: limits)
}

@Suite struct RenderContextTests {
    @Test func renderGetsAContextThatReadsButCannotTrade() throws {
        let instance = try rendering(
            #"""
            return { widgets = {
              { type = "text", text = type(context.place_order) .. " " .. type(context.cancel_order) },
              { type = "metric", label = "position", value = context.get_position() },
              { type = "metric", label = "price", value = context.get_price() },
            } }
            """#)
        try instance.tick(tick(99))
        let widgets = try #require(try instance.render()["widgets"]?.arrayValue)
        #expect(widgets[0]["text"] == .string("nil nil"))
        #expect(widgets[1]["value"]?.doubleValue == 0)
        #expect(widgets[2]["value"]?.doubleValue == 99)
    }

    @Test(arguments: [
        #"saved.place_order{ side = "buy", qty = 1 }"#,
        #"saved.cancel_order("o1")"#,
    ])
    func aCachedTradingContextUsedFromRenderRaises(_ call: String) throws {
        // Given a script that kept the trading context and calls it from render()
        let broker = PaperBroker()
        let instance = try makeInstance(
            #"""
            CONFIG_SCHEMA = {}
            local saved
            function init() saved = context; return {} end
            function on_tick(tick) end
            function render() \#(call); return { widgets = {} } end
            """#, broker: broker)
        try instance.tick(tick())
        // When it renders, the call raises and nothing was traded
        let error = try #require(strategyError { _ = try instance.render() })
        #expect(error.kind == .runtime)
        #expect(error.phase == .render)
        #expect(error.message.contains("is not allowed in render()"))
        #expect(instance.ordersPlaced == 0)
        #expect(instance.signalsRecorded == 0)
        // And the trading context is back for the next tick
        try instance.tick(tick())
    }

    @Test func onTickGetsTheTradingContextBackAfterRender() throws {
        let instance = try makeInstance(
            #"""
            CONFIG_SCHEMA = {}
            function init() return {} end
            function on_tick(tick) state.order = context.place_order{ side = "buy", qty = 1 } end
            function render() return { widgets = {} } end
            """#)
        _ = try instance.render()
        try instance.tick(tick())
        #expect(try instance.state("order")?["status"] == "filled")
    }
}

@Suite struct RenderOutputTests {
    @Test func validOutputIsReturnedAsJSON() throws {
        let instance = try rendering(
            #"""
            return { widgets = {
              { type = "line_chart", title = "Price", series = { { name = "price", data = state.prices } } },
              { type = "metric", label = "PnL", value = 1.5, unit = "USD" },
              { type = "log", lines = {} },
            } }
            """#)
        try instance.tick(tick(1))
        try instance.tick(tick(2))
        let output = try instance.render()
        #expect(
            output
                == .object([
                    "widgets": .array([
                        .object([
                            "type": .string("line_chart"), "title": .string("Price"),
                            "series": .array([
                                .object(["name": .string("price"), "data": .array([.number(1), .number(2)])])
                            ]),
                        ]),
                        .object(["type": .string("metric"), "label": .string("PnL"), "value": .number(1.5), "unit": .string("USD")]),
                        .object(["type": .string("log"), "lines": .array([])]),
                    ])
                ]))
    }

    @Test(arguments: [
        #"return { widgets = { { type = "pie", slices = { 1, 2 } } } }"#,
        #"return { widgets = { { type = "metric", label = "x" } } }"#,
        #"return { widget = {} }"#,
        #"return "text""#,
        #"return nil"#,
        #"return { widgets = { { type = "metric", label = "f", value = print } } }"#,
        #"local t = { type = "text", text = "x" }; t.self = t; return { widgets = { t } }"#,
        #"return { widgets = { { type = "metric", label = "c", value = coroutine.create(print) } } }"#,
    ])
    func badOrNonSerializableOutputIsAnInvalidRenderError(_ body: String) throws {
        let instance = try rendering(body)
        let error = try #require(strategyError { _ = try instance.render() })
        #expect(error.kind == .invalidRender)
        #expect(error.phase == .render)
        // And the instance keeps working
        try instance.tick(tick())
    }

    @Test func longArraysAreCappedToTheirMostRecentItems() throws {
        var limits = StrategyLimits.testing
        limits.renderArrayCap = 10
        let instance = try rendering(
            #"""
            local lines = {}
            for i = 1, 25 do lines[i] = "line " .. i end
            return { widgets = {
              { type = "line_chart", series = { { name = "p", data = state.prices } } },
              { type = "log", lines = lines },
            } }
            """#, limits: limits)
        for i in 1...30 { try instance.tick(tick(Double(i))) }
        let widgets = try #require(try instance.render()["widgets"]?.arrayValue)
        let data = widgets[0]["series"]?.arrayValue?.first?["data"]?.arrayValue
        #expect(data == (21...30).map { .number(Double($0)) })
        #expect(widgets[1]["lines"]?.arrayValue == (16...25).map { .string("line \($0)") })
    }
}
