import Testing

@testable import StrataRuntime

/// An account's base cash (funding moves the cash by the difference) and its reset.
@Suite struct PaperBrokerAccountTests {
    let first = InstanceIdentity(id: "i1", strategyType: "t", account: "a", market: "X/USD")
    let second = InstanceIdentity(id: "i2", strategyType: "t", account: "a", market: "Y/USD")
    let other = InstanceIdentity(id: "j1", strategyType: "t", account: "b", market: "X/USD")

    @Test func fundingMovesTheCashByTheDifferenceAndKeepsWhatWasMade() throws {
        // Given an account that bought 2 at 100 from 1,000
        let paper = PaperBroker(startingCash: 1_000)
        _ = try paper.placeOrder(OrderRequest(side: .buy, quantity: 2), for: first, price: 100, time: 1).get()
        #expect(paper.cash(of: "a") == 800)

        // When its base cash is raised to 1,500, then lowered to 1,200
        paper.setBaseCash(1_500, for: "a")
        #expect(paper.cash(of: "a") == 1_300 && paper.baseCash(of: "a") == 1_500)
        paper.setBaseCash(1_200, for: "a")

        // Then the cash moved by each difference, the position stayed, other accounts are untouched
        #expect(paper.cash(of: "a") == 1_000)
        #expect(paper.position(for: first) == 2)
        #expect(paper.cash(of: "b") == 1_000 && paper.baseCash(of: "b") == 1_000)
        // An account that never traded starts from its base cash
        paper.setBaseCash(50, for: "c")
        #expect(paper.cash(of: "c") == 50)
    }

    @Test func aResetFlattensEveryInstanceOfTheAccountAndCancelsItsOrders() throws {
        // Given two instances of `a` with positions and a resting order, and one of `b`
        var settings = PaperBroker.Settings()
        settings.startingCash = 1_000
        settings.feeBps = 10
        let paper = PaperBroker(settings: settings)
        _ = try paper.placeOrder(OrderRequest(side: .buy, quantity: 2), for: first, price: 100, time: 1).get()
        _ = try paper.placeOrder(OrderRequest(side: .sell, quantity: 1), for: second, price: 50, time: 1).get()
        let resting = try paper.placeOrder(OrderRequest(side: .buy, quantity: 1, type: .limit, price: 10), for: second, price: 50, time: 1).get()
        _ = try paper.placeOrder(OrderRequest(side: .buy, quantity: 1), for: other, price: 100, time: 1).get()
        paper.setBaseCash(1_400, for: "a")

        // When `a` is reset to 1,100
        let cancelled = paper.resetAccount("a", baseCash: 1_100)

        // Then its instances are flat with no profit or fees, its resting order is cancelled,
        // its cash is the base; `b` keeps everything
        #expect(cancelled.map(\.id) == [resting.id] && cancelled.allSatisfy { $0.status == .cancelled })
        #expect(paper.allOpenOrders.isEmpty)
        #expect(paper.position(for: first) == 0 && paper.position(for: second) == 0)
        #expect(paper.pnl(for: first, price: 200) == 0 && paper.book(for: "i1").fees == 0)
        #expect(paper.cash(of: "a") == 1_100 && paper.baseCash(of: "a") == 1_100)
        #expect(paper.position(for: other) == 1 && abs(paper.cash(of: "b") - (1_000 - 100 - 0.1)) < 1e-9)

        // And trading again starts from the base cash
        _ = try paper.placeOrder(OrderRequest(side: .buy, quantity: 1), for: first, price: 100, time: 2).get()
        #expect(abs(paper.cash(of: "a") - (1_100 - 100 - 0.1)) < 1e-9)
    }
}
