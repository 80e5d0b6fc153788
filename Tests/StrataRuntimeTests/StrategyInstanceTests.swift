import LuaBridge
import Testing

@testable import StrataRuntime

/// A strategy that counts ticks and places one market buy per tick when asked to.
private let counter = #"""
    CONFIG_SCHEMA = { qty = { type = "float", default = 1, min = 0 } }
    function init() return { n = 0 } end
    function on_tick(tick)
      state.n = state.n + 1
      state.order, state.err = context.place_order{ side = "buy", qty = config.qty, tag = "t" }
    end
    function render() return { widgets = { { type = "metric", label = "n", value = state.n } } } end
    """#

@Suite struct StrategyScriptFormTests {
    @Test func aScriptMayDefineGlobals() throws {
        let instance = try makeInstance(counter)
        try instance.tick(tick())
        #expect(try instance.state("n") == 1)
    }

    @Test func aScriptMayReturnATable() throws {
        // Given a script whose definitions are fields of a returned table, with no globals
        let instance = try makeInstance(
            #"""
            local S = {}
            S.CONFIG_SCHEMA = { step = { type = "integer", default = 2 } }
            function S.init() return { n = 0 } end
            function S.on_tick(tick) state.n = state.n + config.step end
            function S.render() return { widgets = { { type = "text", text = tostring(state.n) } } } end
            return S
            """#)
        // When it ticks twice
        try instance.tick(tick())
        try instance.tick(tick())
        // Then its functions ran with state and config injected
        #expect(try instance.state("n") == 4)
        #expect(instance.schema.field("step")?.defaultValue == .integer(2))
        #expect(try instance.render()["widgets"]?.arrayValue?.first?["text"] == .string("4"))
    }

    @Test(arguments: ["init", "on_tick", "render"])
    func aMissingRequiredFunctionIsALoadError(_ name: String) {
        let all = [
            "init": "function init() return {} end", "on_tick": "function on_tick(t) end",
            "render": "function render() return { widgets = {} } end",
        ]
        let source = "CONFIG_SCHEMA = {}\n" + all.filter { $0.key != name }.values.joined(separator: "\n")
        let error = strategyError { _ = try makeInstance(source) }
        #expect(error?.kind == .missingFunction)
        #expect(error?.message == "\(name) must be a function: it is missing")
    }
}

@Suite struct ReadOnlyGlobalsTests {
    @Test(arguments: [
        "config.qty = 2",
        "context.place_order = function() end",
        "context.extra = 1",
        "context.identity.id = 'other'",
        "rawset(context, 'place_order', print)",
        "rawset(config, 'qty', 2)",
    ])
    func assigningToAReadOnlyTableRaises(_ statement: String) throws {
        // Given a script that tries to change a read-only table
        let instance = try makeInstance(counter.replacingOccurrences(of: "state.n = state.n + 1", with: statement))
        // When it ticks, the assignment raises
        let error = try #require(strategyError { try instance.tick(tick()) })
        #expect(error.kind == .runtime)
        #expect(error.message.contains("read-only"))
        // And nothing changed
        #expect(instance.config["qty"] == .number(1))
    }

    @Test func contextIdentityDescribesTheInstance() throws {
        let instance = try makeInstance(
            #"""
            CONFIG_SCHEMA = {}
            function init()
              local id = context.identity
              return { id = id.id, type = id.strategy_type, account = id.account, market = id.market }
            end
            function on_tick(tick) end
            function render() return { widgets = {} } end
            """#)
        #expect(try instance.stateValue() == .table(["id": "i1", "type": "test", "account": "paper", "market": "TEST/USD"]))
    }
}

@Suite struct TradingModeTests {
    @Test func inObserveModeAnOrderIsDeniedAndRecordedAsASignal() throws {
        // Given an observing instance
        let broker = PaperBroker()
        let instance = try makeInstance(counter, mode: .observe, broker: broker)
        // When it places an order
        try instance.tick(tick(250, at: 42))
        // Then place_order returned nil, "not allowed: observe mode"
        #expect(try instance.state("order") == nil)
        #expect(try instance.state("err") == "not allowed: observe mode")
        // And the intent is a signal, and nothing reached the broker
        #expect(instance.signals == [Signal(instanceID: "i1", request: OrderRequest(side: .buy, quantity: 1, tag: "t"), time: 42, price: 250)])
        #expect(instance.signalsRecorded == 1)
        #expect(instance.ordersPlaced == 0)
        #expect(broker.position(for: identity()) == 0)
    }

    @Test func inActiveModeAnOrderReachesThePaperBroker() throws {
        let broker = PaperBroker()
        let instance = try makeInstance(
            counter + #"""

                function on_tick(tick)
                  state.order = context.place_order{ side = "buy", qty = 2, tag = "entry" }
                  state.position = context.get_position()
                end
                """#, broker: broker)
        try instance.tick(tick(100, at: 60))
        let order = try #require(try instance.state("order"))
        #expect(order["side"] == "buy")
        #expect(order["qty"]?.doubleValue == 2)
        #expect(order["type"] == "market")
        #expect(order["status"] == "filled")
        #expect(order["filled_qty"]?.doubleValue == 2)
        #expect(order["avg_price"]?.doubleValue == 100)
        #expect(order["tag"] == "entry")
        #expect(order["market"] == "TEST/USD")
        #expect(order["ts"]?.doubleValue == 60)
        #expect(order["id"]?.stringValue?.isEmpty == false)
        #expect(try instance.state("position")?.doubleValue == 2)
        #expect(broker.position(for: identity()) == 2)
        #expect(instance.ordersPlaced == 1)
        #expect(instance.signals.isEmpty)
    }

    @Test func aRestingLimitOrderIsListedAndCanBeCancelled() throws {
        // Given a limit buy far below the market, placed on the first tick
        let instance = try makeInstance(
            #"""
            CONFIG_SCHEMA = {}
            function init() return {} end
            function on_tick(tick)
              if not state.order then
                state.order = context.place_order{ side = "buy", qty = 1, type = "limit", price = tick.price / 2 }
                state.open = #context.get_orders()
              else
                state.cancelled = context.cancel_order(state.order.id)
                state.open_after = #context.get_orders()
                state.again, state.err = context.cancel_order(state.order.id)
              end
            end
            function render() return { widgets = {} } end
            """#)
        try instance.tick(tick(100))
        // Then it rests, open, at its price
        #expect(try instance.state("order")?["status"] == "open")
        #expect(try instance.state("order")?["price"]?.doubleValue == 50)
        #expect(try instance.state("open") == 1)
        // When the next tick cancels it: it is gone, and a second cancel is refused with nil, err
        try instance.tick(tick(100))
        #expect(try instance.state("cancelled") == true)
        #expect(try instance.state("open_after") == 0)
        #expect(try instance.state("again") == nil)
        #expect(try instance.state("err")?.stringValue?.hasPrefix("no open order") == true)
    }

    @Test func inObserveModeCancellingIsDeniedToo() throws {
        let instance = try makeInstance(
            #"""
            CONFIG_SCHEMA = {}
            function init() return {} end
            function on_tick(tick) state.ok, state.err = context.cancel_order("o1") end
            function render() return { widgets = {} } end
            """#, mode: .observe)
        try instance.tick(tick())
        #expect(try instance.state("ok") == nil)
        #expect(try instance.state("err") == "not allowed: observe mode")
    }

    @Test func switchingModeInPlaceKeepsStateAndACachedContextFollows() throws {
        // Given a script that keeps the context it saw in init and trades through it
        let broker = PaperBroker()
        let instance = try makeInstance(
            #"""
            CONFIG_SCHEMA = {}
            local ctx
            function init() ctx = context; return { n = 0 } end
            function on_tick(tick)
              state.n = state.n + 1
              state.order, state.err = ctx.place_order{ side = "buy", qty = 1 }
            end
            function render() return { widgets = {} } end
            """#, mode: .observe, broker: broker)
        try instance.tick(tick())
        #expect(try instance.state("err") == "not allowed: observe mode")
        // When the mode switches to active
        instance.setMode(.active)
        try instance.tick(tick())
        // Then state carried over, and the cached context now trades
        #expect(try instance.state("n") == 2)
        #expect(try instance.state("err") == nil)
        #expect(try instance.state("order")?["status"] == "filled")
        #expect(broker.position(for: identity()) == 1)
        // And back to observe: denied again
        instance.setMode(.observe)
        try instance.tick(tick())
        #expect(try instance.state("err") == "not allowed: observe mode")
        #expect(instance.signals.count == 2)
    }

    @Test func tooManyOrdersInOneCallRaise() throws {
        var limits = StrategyLimits.testing
        limits.ordersPerCall = 3
        let instance = try makeInstance(
            #"""
            CONFIG_SCHEMA = {}
            function init() return {} end
            function on_tick(tick)
              for i = 1, tick.price do context.place_order{ side = "buy", qty = 1 } end
            end
            function render() return { widgets = {} } end
            """#, limits: limits)
        // Three orders in one call are allowed, in every call
        try instance.tick(tick(3))
        try instance.tick(tick(3))
        #expect(instance.ordersPlaced == 6)
        // A fourth is an error
        let error = try #require(strategyError { try instance.tick(tick(4)) })
        #expect(error.kind == .runtime)
        #expect(error.message.contains("too many orders in one call (limit 3)"))
    }

    @Test func contextNowIsTheTickTime() throws {
        let instance = try makeInstance(
            #"""
            CONFIG_SCHEMA = {}
            function init() return {} end
            function on_tick(tick) state.now = context.now(); state.price = context.get_price() end
            function render() return { widgets = {} } end
            """#)
        try instance.tick(tick(123.5, at: 1_700_000_123.25))
        #expect(try instance.state("now") == .number(1_700_000_123.25))
        #expect(try instance.state("price") == .number(123.5))
    }
}

@Suite struct InstanceLogTests {
    @Test func printWarnAndContextLogWriteToTheInstanceLog() throws {
        let instance = try makeInstance(
            #"""
            CONFIG_SCHEMA = {}
            function init() return {} end
            function on_tick(tick)
              print("a", 1, 2.5, true, nil)
              warn("careful: ", "low cash")
              warn("@on")
              context.log("bought")
            end
            function render() return { widgets = {} } end
            """#)
        try instance.tick(tick(at: 7))
        #expect(instance.logMessages == ["a\t1\t2.5\ttrue\tnil", "careful: low cash", "bought"])
        #expect(instance.log.lines.map(\.level) == [.info, .warning, .info])
        #expect(instance.log.lines.allSatisfy { $0.time == 7 })
    }

    @Test func loggingATableRunsNoMetamethods() throws {
        // Given values whose __tostring and __name would run script code or lie
        let instance = try makeInstance(
            #"""
            CONFIG_SCHEMA = {}
            function init() return {} end
            function on_tick(tick)
              local evil = setmetatable({}, { __tostring = function() state.ran = true; return "evil" end,
                                              __name = "Fake" })
              print(evil)
              warn(evil)
              context.log(evil)
            end
            function render() return { widgets = {} } end
            """#)
        try instance.tick(tick())
        #expect(instance.logMessages == ["table", "table", "table"])
        #expect(try instance.state("ran") == nil)
    }
}
