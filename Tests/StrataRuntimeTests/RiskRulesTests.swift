import Testing

@testable import StrataRuntime

/// The risk gate's rules on their own: each refuses at its limit and passes below it, an order
/// that reduces the position passes the position and daily-loss rules, and the ledger counts
/// the minute and the day in engine time.
@Suite struct RiskRulesTests {
    static func buy(_ quantity: Double, at price: Double? = nil) -> OrderRequest {
        OrderRequest(side: .buy, quantity: quantity, type: price == nil ? .market : .limit, price: price)
    }

    static func sell(_ quantity: Double) -> OrderRequest {
        OrderRequest(side: .sell, quantity: quantity)
    }

    func rule(_ limits: RiskLimits, _ request: OrderRequest, _ exposure: RiskExposure = .init(), price: Double? = 100) -> RiskRule? {
        limits.check(request, exposure: exposure, price: price, scope: .instance)?.rule
    }

    @Test func quantityAndNotionalRefuseAboveTheirLimitOnly() {
        let limits = RiskLimits(maxOrderQuantity: 2, maxOrderNotional: 1_000)
        #expect(rule(limits, Self.buy(2)) == nil, "at the quantity limit")
        #expect(rule(limits, Self.buy(2.5)) == .maxOrderQuantity)
        #expect(rule(RiskLimits(maxOrderNotional: 1_000), Self.buy(10)) == nil, "10 × 100 is the limit")
        #expect(rule(RiskLimits(maxOrderNotional: 1_000), Self.buy(10.01)) == .maxOrderNotional)
        #expect(rule(RiskLimits(maxOrderNotional: 1_000), Self.buy(5, at: 250)) == .maxOrderNotional, "a limit order is valued at its price")
        #expect(rule(RiskLimits(maxOrderNotional: 1_000), Self.buy(1), price: nil) == .maxOrderNotional, "no price: cannot be valued")
    }

    @Test func positionCountsOpenOrdersOnTheSameSideAndLetsReductionsThrough() {
        let limits = RiskLimits(maxPosition: 3)
        #expect(rule(limits, Self.buy(3)) == nil)
        #expect(rule(limits, Self.buy(3.5)) == .maxPosition)
        #expect(rule(limits, Self.buy(1), RiskExposure(position: 1, openBuys: 1)) == nil, "1 + 1 open + 1 = 3")
        #expect(rule(limits, Self.buy(1.5), RiskExposure(position: 1, openBuys: 1)) == .maxPosition)
        #expect(rule(limits, Self.sell(4), RiskExposure(position: 0, openBuys: 5)) == .maxPosition, "short 4 past 3")
        #expect(rule(limits, Self.sell(2), RiskExposure(position: 5)) == nil, "above the limit already: reducing passes")
        #expect(rule(limits, Self.sell(9), RiskExposure(position: 5)) == .maxPosition, "flipping to short 4 does not reduce")
    }

    @Test func aDailyLossMakesTheScopeReduceOnly() {
        let limits = RiskLimits(maxDailyLoss: 500)
        #expect(rule(limits, Self.buy(1), RiskExposure(position: 2, dayPnL: -499.99)) == nil)
        #expect(rule(limits, Self.buy(1), RiskExposure(position: 2, dayPnL: -500)) == .maxDailyLoss)
        #expect(rule(limits, Self.sell(2), RiskExposure(position: 2, dayPnL: -800)) == nil, "closing passes")
        #expect(rule(limits, Self.sell(3), RiskExposure(position: 2, dayPnL: -800)) == .maxDailyLoss, "past flat is new risk")
    }

    @Test func ordersPerMinuteCountsAcceptedOrdersInEngineTime() {
        let limits = RiskLimits(maxOrdersPerMinute: 2)
        var ledger = RiskLedger()
        for time in [0.0, 30.0] {
            #expect(rule(limits, Self.buy(1), RiskExposure(ordersLastMinute: ledger.ordersLastMinute("a", at: time))) == nil)
            ledger.recordAccepted("a", at: time)
        }
        #expect(rule(limits, Self.buy(1), RiskExposure(ordersLastMinute: ledger.ordersLastMinute("a", at: 59.9))) == .maxOrdersPerMinute)
        #expect(ledger.ordersLastMinute("b", at: 59.9) == 0, "keys count apart")
        #expect(ledger.ordersLastMinute("a", at: 60) == 1, "the order at 0 s left the window at 60 s")
        #expect(ledger.ordersLastMinute("a", at: 200) == 0)
    }

    @Test func theDayStartsAtItsFirstSightAndRollsAtMidnightUTC() {
        var ledger = RiskLedger()
        let noon = 86_400.0 * 20_000 + 43_200
        #expect(ledger.dayPnL("a", pnl: 1_000, at: noon) == 0)
        #expect(ledger.dayPnL("a", pnl: 400, at: noon + 3_600) == -600)
        #expect(ledger.dayPnL("a", pnl: 300, at: noon + 43_200) == 0, "a new day starts from the profit then")
        #expect(ledger.dayMark("a")?.day == 20_001)
        var restarted = RiskLedger()
        restarted.restoreDayMark("a", day: 20_001, pnl: 300)
        #expect(restarted.dayPnL("a", pnl: 100, at: noon + 50_000) == -200, "a restart keeps the day's start")
    }

    @Test func limitsParseFromJSONNamingEachBadField() throws {
        let limits = try RiskLimits.parse(.object(["max_position": .integer(5), "max_orders_per_minute": .integer(10), "max_daily_loss": .null])).get()
        #expect(limits == RiskLimits(maxPosition: 5, maxOrdersPerMinute: 10))
        #expect(limits.json == .object(["max_position": .number(5), "max_orders_per_minute": .integer(10)]))
        #expect(try RiskLimits.parse(.object([:])).get().isEmpty)
        let bad: JSONValue = .object([
            "max_position": .integer(-1), "max_order_quantity": .string("1"), "max_orders_per_minute": .number(1.5),
            "max_order_notional": .number(1e300), "speed": .integer(1),
        ])
        guard case .failure(let errors) = RiskLimits.parse(bad) else {
            Issue.record("bad limits were accepted")
            return
        }
        #expect(errors.fields.map(\.field) == ["max_order_notional", "max_order_quantity", "max_orders_per_minute", "max_position", "speed"])
        #expect(errors.fields.last?.message.contains("max_position, max_order_quantity") == true, "the known names are listed")
        #expect(RiskRefusal(rule: .maxPosition, scope: .account, "|4| > 3").reason == "refused by risk: account max_position (|4| > 3)")
    }
}
