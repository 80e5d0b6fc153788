import Testing

@testable import StrataRuntime

@Suite struct PaperBrokerTests {
    let instance = InstanceIdentity(id: "i1", strategyType: "t", account: "a", market: "X/USD")

    func bar(_ time: Double, open: Double, high: Double, low: Double, close: Double) -> Tick {
        Tick(market: "X/USD", ts: time, price: close, volume: 1, open: open, high: high, low: low)
    }

    func broker(_ model: PaperBroker.FillModel, fee: Double = 0, slippage: Double = 0, cash: Double = 1_000) -> PaperBroker {
        var settings = PaperBroker.Settings()
        settings.fillModel = model
        settings.feeBps = fee
        settings.slippageBps = slippage
        settings.startingCash = cash
        return PaperBroker(settings: settings)
    }

    @Test func nextOpenFillsAMarketOrderAtTheNextBarsOpen() throws {
        let paper = broker(.nextOpen)
        let order = try paper.placeOrder(OrderRequest(side: .buy, quantity: 1), for: instance, price: 10, time: 1).get()
        #expect(order.status == .open)
        #expect(paper.position(for: instance) == 0)
        paper.marketMoved(bar(2, open: 11, high: 12, low: 10, close: 11.5))
        #expect(paper.position(for: instance) == 1)
        #expect(paper.history.last?.averagePrice == 11)
        #expect(paper.cash(of: "a") == 989)
    }

    @Test func closeFillsAtOnceWithFeesAndSlippage() throws {
        let paper = broker(.immediate, fee: 10, slippage: 100)
        let order = try paper.placeOrder(OrderRequest(side: .buy, quantity: 2), for: instance, price: 100, time: 1).get()
        #expect(order.status == .filled)
        #expect(order.averagePrice == 101)  // 1% slippage
        #expect(abs(order.fee - 0.202) < 1e-12)  // 10 bps of 202
        #expect(abs(paper.cash(of: "a") - (1_000 - 202 - 0.202)) < 1e-9)
    }

    @Test func aLimitOrderWaitsForALaterBarToReachItsPrice() throws {
        let paper = broker(.nextOpen)
        _ = try paper.placeOrder(OrderRequest(side: .buy, quantity: 1, type: .limit, price: 9), for: instance, price: 10, time: 1).get()
        paper.marketMoved(bar(2, open: 10, high: 10.5, low: 9.5, close: 10))
        #expect(paper.position(for: instance) == 0)
        paper.marketMoved(bar(3, open: 9.8, high: 9.9, low: 8.5, close: 9))
        #expect(paper.position(for: instance) == 1)
        #expect(paper.history.last?.averagePrice == 9)
        // A gap below the limit fills at the better open.
        _ = try paper.placeOrder(OrderRequest(side: .buy, quantity: 1, type: .limit, price: 8), for: instance, price: 9, time: 3).get()
        paper.marketMoved(bar(4, open: 7, high: 7.5, low: 6.5, close: 7))
        #expect(paper.history.last?.averagePrice == 7)
    }

    @Test func refusalsCarryTheirReason() {
        let paper = broker(.immediate, cash: 100)
        let tooBig = paper.placeOrder(OrderRequest(side: .buy, quantity: 20), for: instance, price: 10, time: 1)
        #expect(tooBig == .failure(OrderRejection("insufficient balance")))
        let noPrice = paper.placeOrder(OrderRequest(side: .buy, quantity: 1), for: instance, price: nil, time: 1)
        #expect(noPrice == .failure(OrderRejection("no market price yet")))
        #expect(paper.history.map(\.status) == [.rejected, .rejected])
        #expect(paper.history.first?.rejectReason == "insufficient balance")
        guard case .failure(let unknown) = paper.cancelOrder(id: "o99", for: instance) else {
            Issue.record("cancelling an unknown order succeeded")
            return
        }
        #expect(unknown.reason == "no open order o99")
    }

    @Test func cancellingAWorkingOrderRemovesIt() throws {
        let paper = broker(.nextOpen)
        let order = try paper.placeOrder(OrderRequest(side: .sell, quantity: 1, type: .limit, price: 50), for: instance, price: 10, time: 1).get()
        #expect(paper.openOrders(for: instance).count == 1)
        #expect(throws: Never.self) { try paper.cancelOrder(id: order.id, for: instance).get() }
        #expect(paper.openOrders(for: instance).isEmpty)
        #expect(paper.history.last?.status == .cancelled)
    }
}
