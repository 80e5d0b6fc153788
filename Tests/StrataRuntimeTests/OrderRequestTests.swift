import LuaBridge
import Testing

@testable import StrataRuntime

/// An order table `place_order` must refuse, and the reason it gives.
struct BadOrder: Sendable, CustomTestStringConvertible {
    var lua: String
    var reason: String
    var testDescription: String { lua }
}

private let badOrders: [BadOrder] = [
    BadOrder(lua: #"{ qty = 1 }"#, reason: #"field 'side' must be "buy" or "sell", got nil"#),
    BadOrder(lua: #"{ side = "long", qty = 1 }"#, reason: #"field 'side' must be "buy" or "sell", got "long""#),
    BadOrder(lua: #"{ side = 1, qty = 1 }"#, reason: #"field 'side' must be "buy" or "sell", got number"#),
    BadOrder(lua: #"{ side = "buy" }"#, reason: "field 'qty' must be a number, got nil"),
    BadOrder(lua: #"{ side = "buy", qty = "1" }"#, reason: #"field 'qty' must be a number, got "1""#),
    BadOrder(lua: #"{ side = "buy", qty = 0/0 }"#, reason: "field 'qty' must be a number, got NaN"),
    BadOrder(lua: #"{ side = "buy", qty = 1/0 }"#, reason: "field 'qty' must be finite, got inf"),
    BadOrder(lua: #"{ side = "buy", qty = -1/0 }"#, reason: "field 'qty' must be finite, got -inf"),
    BadOrder(lua: #"{ side = "buy", qty = 0 }"#, reason: "field 'qty' must be positive, got 0.0"),
    BadOrder(lua: #"{ side = "sell", qty = -2 }"#, reason: "field 'qty' must be positive, got -2.0"),
    BadOrder(lua: #"{ side = "buy", qty = 5e-324 }"#, reason: "field 'qty' is too small (subnormal)"),
    BadOrder(lua: #"{ side = "buy", qty = 1e13 }"#, reason: "field 'qty' is absurdly large (10000000000000.0)"),
    BadOrder(lua: #"{ side = "buy", qty = 1, type = "stop" }"#, reason: #"field 'type' must be "market" or "limit", got "stop""#),
    BadOrder(lua: #"{ side = "buy", qty = 1, type = "limit" }"#, reason: "field 'price' is required for limit orders"),
    BadOrder(lua: #"{ side = "buy", qty = 1, price = 100 }"#, reason: #"field 'price' is only for limit orders (type = "limit")"#),
    BadOrder(lua: #"{ side = "buy", qty = 1, type = "limit", price = 0/0 }"#, reason: "field 'price' must be a number, got NaN"),
    BadOrder(lua: #"{ side = "buy", qty = 1, type = "limit", price = -5 }"#, reason: "field 'price' must be positive, got -5.0"),
    BadOrder(lua: #"{ side = "buy", qty = 1, type = "limit", price = "100" }"#, reason: #"field 'price' must be a number, got "100""#),
    BadOrder(lua: #"{ side = "buy", quantity = 1 }"#, reason: "unknown field 'quantity' (fields: side, qty, type, price, tag)"),
    BadOrder(lua: #"{ side = "buy", qty = 1, tag = string.rep("x", 65) }"#, reason: "field 'tag' must be a string of at most 64 bytes"),
    BadOrder(lua: #"{ side = "buy", qty = 1, tag = 7 }"#, reason: "field 'tag' must be a string of at most 64 bytes"),
    BadOrder(lua: #"{ "buy", 1 }"#, reason: "order table must have named fields side, qty, type, price, tag"),
]

@Suite struct OrderRequestTests {
    private func parse(_ lua: String) throws -> Result<OrderRequest, OrderRejection> {
        OrderRequest.parse(try luaValue(lua))
    }

    @Test func aMarketOrderNeedsOnlySideAndQuantity() throws {
        #expect(try parse(#"{ side = "buy", qty = 1 }"#).get() == OrderRequest(side: .buy, quantity: 1))
        #expect(try parse(#"{ side = "sell", qty = 0.25, type = "market" }"#).get() == OrderRequest(side: .sell, quantity: 0.25))
    }

    @Test func aLimitOrderCarriesItsPriceAndTag() throws {
        let request = try parse(#"{ side = "sell", qty = 2, type = "limit", price = 101.5, tag = "exit" }"#).get()
        #expect(request == OrderRequest(side: .sell, quantity: 2, type: .limit, price: 101.5, tag: "exit"))
    }

    @Test func quantitiesAtTheEdgesOfTheAcceptedRangePass() throws {
        #expect(try parse(#"{ side = "buy", qty = 1e12 }"#).get().quantity == 1e12)
        #expect(try parse(#"{ side = "buy", qty = 1e-300 }"#).get().quantity == 1e-300)
        #expect(try parse(#"{ side = "buy", qty = 1, tag = string.rep("x", 64) }"#).get().tag?.count == 64)
    }

    @Test(arguments: badOrders)
    func aBadFieldIsRefusedByName(_ example: BadOrder) throws {
        #expect(throws: OrderRejection(example.reason)) { try parse(example.lua).get() }
    }
}

/// The same checks seen from a script: a bad argument raises a Lua error in Lua's own style.
@Suite struct PlaceOrderArgumentTests {
    private func errorPlacing(_ arguments: String) throws -> StrategyError? {
        let instance = try makeInstance(
            #"""
            CONFIG_SCHEMA = {}
            function init() return {} end
            function on_tick(tick) context.place_order(\#(arguments)) end
            function render() return { widgets = {} } end
            """#)
        return strategyError { try instance.tick(tick()) }
    }

    @Test(arguments: [
        (#"{ side = "buy", qty = -1 }"#, "bad argument #1 to 'place_order' (field 'qty' must be positive, got -1.0)"),
        (#"{ side = "buy", qty = 0/0 }"#, "bad argument #1 to 'place_order' (field 'qty' must be a number, got NaN)"),
        (#"{ side = "up", qty = 1 }"#, #"bad argument #1 to 'place_order' (field 'side' must be "buy" or "sell", got "up")"#),
        (#"{ side = "buy", quantity = 1 }"#, "bad argument #1 to 'place_order' (unknown field 'quantity' (fields: side, qty, type, price, tag))"),
        ("5", "bad argument #1 to 'place_order' (table expected, got number)"),
        ("", "bad argument #1 to 'place_order' (table expected, got no value)"),
    ])
    func aBadArgumentRaisesInLuasStyle(_ arguments: String, _ message: String) throws {
        let error = try #require(try errorPlacing(arguments))
        #expect(error.kind == .runtime)
        #expect(error.phase == .tick)
        #expect(error.message == "test.lua:3: " + message)
        #expect(error.line == 3)
    }

    @Test func aRaisedOrderErrorCanBeCaughtByTheScript() throws {
        // Given a script that places a bad order inside pcall
        let instance = try makeInstance(
            #"""
            CONFIG_SCHEMA = {}
            function init() return {} end
            function on_tick(tick)
              local ok, err = pcall(context.place_order, { side = "buy", qty = 1/0 })
              state.caught = err
            end
            function render() return { widgets = {} } end
            """#)
        // When it ticks, the error is the script's to handle
        try instance.tick(tick())
        #expect(try instance.state("caught") == "bad argument #1 to 'place_order' (field 'qty' must be finite, got inf)")
    }
}
