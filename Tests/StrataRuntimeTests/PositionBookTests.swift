import Testing

@testable import StrataRuntime

@Suite struct PositionBookTests {
    @Test func aLongRoundTripRealisesItsProfit() {
        var book = PositionBook()
        book.apply(signedQuantity: 2, price: 10, fee: 0, time: 1)
        book.apply(signedQuantity: -2, price: 13, fee: 0, time: 2)
        #expect(book.position == 0)
        #expect(book.realised == 6)
        #expect(book.closedTrades.count == 1)
        #expect(book.closedTrades[0].entryPrice == 10)
        #expect(book.closedTrades[0].exitPrice == 13)
        #expect(book.closedTrades[0].pnl == 6)
        #expect(book.openTrade == nil)
    }

    @Test func addingAveragesTheEntryAndUnrealisedFollowsThePrice() {
        var book = PositionBook()
        book.apply(signedQuantity: 1, price: 10, fee: 0, time: 1)
        book.apply(signedQuantity: 1, price: 20, fee: 0, time: 2)
        #expect(book.averagePrice == 15)
        #expect(book.unrealised(at: 18) == 6)
        #expect(book.pnl(at: 18) == 6)
        #expect(book.openTrade?.quantity == 2)
    }

    @Test func aFlipClosesOneTradeAndOpensAShort() {
        var book = PositionBook()
        book.apply(signedQuantity: 1, price: 10, fee: 0, time: 1)
        book.apply(signedQuantity: -3, price: 12, fee: 0, time: 2)
        #expect(book.position == -2)
        #expect(book.realised == 2)
        #expect(book.closedTrades.count == 1)
        #expect(book.openTrade?.side == .sell)
        #expect(book.openTrade?.entryPrice == 12)
        // The short gains when the price falls.
        #expect(book.unrealised(at: 11) == 2)
    }

    @Test func feesAreDeductedAndSplitAcrossAFlip() {
        var book = PositionBook()
        book.apply(signedQuantity: 1, price: 100, fee: 1, time: 1)
        book.apply(signedQuantity: -2, price: 100, fee: 2, time: 2)
        #expect(book.fees == 3)
        #expect(book.pnl(at: 100) == -3)
        #expect(book.closedTrades[0].pnl == -2)  // its entry fee and half the flip's fee
        #expect(book.openTrade?.fees == 1)
    }
}
