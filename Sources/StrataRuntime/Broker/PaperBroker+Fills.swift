/// How the paper broker prices, checks and books fills.
extension PaperBroker {
    /// The price a working order fills at on `tick`, or nil if it does not fill yet.
    func fillPrice(for order: Order, on tick: Tick) -> Double? {
        let open = tick.open ?? tick.price
        switch order.request.type {
        case .market:
            return slipped(open, side: order.request.side)
        case .limit:
            guard let limit = order.request.price else { return nil }
            let low = tick.low ?? tick.price
            let high = tick.high ?? tick.price
            // A gap through the limit fills at the (better) open.
            if order.request.side == .buy {
                return low <= limit ? min(limit, open) : nil
            }
            return high >= limit ? max(limit, open) : nil
        }
    }

    func slipped(_ price: Double, side: OrderSide) -> Double {
        let slip = price * settings.slippageBps / 10_000
        return side == .buy ? price + slip : price - slip
    }

    /// Why `request` cannot be afforded at `price`, or nil. Buys need the cash; sells that
    /// open or grow a short need equity to cover it (no leverage).
    func affordability(of request: OrderRequest, instance: InstanceIdentity, at price: Double) -> String? {
        let value = request.quantity * price
        let fee = value * settings.feeBps / 10_000
        let available = cash(of: instance.account)
        let book = books[instance.id] ?? PositionBook()
        switch request.side {
        case .buy:
            let covering = min(request.quantity, max(0, -book.position)) * price
            return value - covering + fee > available + 1e-9 ? "insufficient balance" : nil
        case .sell:
            let newShort = max(0, request.quantity - max(0, book.position))
            let equity = available + book.position * price
            return newShort * price > equity + 1e-9 ? "insufficient balance" : nil
        }
    }

    func fill(_ order: inout Order, at price: Double, time: Double) {
        let quantity = order.request.quantity
        let fee = quantity * price * settings.feeBps / 10_000
        let signed = order.request.side == .buy ? quantity : -quantity
        book(instanceID: order.instanceID, signed: signed, price: price, fee: fee, time: time)
        order.status = .filled
        order.filledQuantity = quantity
        order.averagePrice = price
        order.fee = fee
        order.filledAt = time
    }

    /// Books a fill to the account's cash and the instance's position.
    func book(instanceID: String, signed: Double, price: Double, fee: Double, time: Double) {
        let account = accounts[instanceID] ?? ""
        cash[account, default: baseCash(of: account)] -= signed * price + fee
        cashFlows[instanceID, default: 0] += signed * price + fee
        books[instanceID, default: PositionBook()].apply(signedQuantity: signed, price: price, fee: fee, time: time)
        if let kept = settings.keptClosedTrades { books[instanceID]?.keepClosedTrades(last: kept) }
        fillCount += 1
    }

    func reject(_ order: inout Order, _ reason: String) -> Result<Order, OrderRejection> {
        order.status = .rejected
        order.rejectReason = reason
        history.append(order)
        return .failure(OrderRejection(reason))
    }
}
