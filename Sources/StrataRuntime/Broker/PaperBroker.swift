/// A simulated exchange kept in memory: market orders fill at the last price, limit orders rest
/// until the price reaches them. Balances are per account, positions and PnL per instance.
public final class PaperBroker: Broker {
    /// Quote balance every new account starts with.
    public let startingCash: Double
    /// Fee in basis points of the traded value.
    public let feeBps: Double
    private var cash: [String: Double] = [:]         // account -> quote balance
    private var books: [String: Book] = [:]          // instance id -> its trading
    private var orders: [String: Order] = [:]        // open orders by id
    private var nextOrderNumber = 1

    struct Book {
        var position = 0.0
        var cost = 0.0        // quote spent (+) or received (-) for the position, fees included
        var fees = 0.0
    }

    public init(startingCash: Double = 100_000, feeBps: Double = 0) {
        self.startingCash = startingCash
        self.feeBps = feeBps
    }

    public func placeOrder(_ request: OrderRequest, for instance: InstanceIdentity, price: Double?, time: Double) -> Result<Order, OrderRejection> {
        guard let price, price > 0 else { return .failure(OrderRejection("no market price yet")) }
        var order = Order(id: "o\(nextOrderNumber)", instanceID: instance.id, market: instance.market,
                          request: request, status: .open, createdAt: time)
        nextOrderNumber += 1
        if request.type == .market {
            guard fill(&order, at: price, instance: instance) else { return .failure(OrderRejection("insufficient balance")) }
        } else if let limit = request.price, reaches(limit, side: request.side, price: price) {
            guard fill(&order, at: limit, instance: instance) else { return .failure(OrderRejection("insufficient balance")) }
        } else {
            orders[order.id] = order
        }
        return .success(order)
    }

    public func cancelOrder(id: String, for instance: InstanceIdentity) -> Result<Void, OrderRejection> {
        guard let order = orders[id], order.instanceID == instance.id else { return .failure(OrderRejection("unknown order \(id)")) }
        orders[id] = nil
        _ = order
        return .success(())
    }

    public func openOrders(for instance: InstanceIdentity) -> [Order] {
        orders.values.filter { $0.instanceID == instance.id }.sorted { $0.createdAt < $1.createdAt || ($0.createdAt == $1.createdAt && $0.id < $1.id) }
    }

    public func position(for instance: InstanceIdentity) -> Double {
        books[instance.id]?.position ?? 0
    }

    public func balance(of asset: String, for instance: InstanceIdentity) -> Double {
        let parts = instance.market.split(separator: "/")
        if parts.count == 2, asset == parts[0] { return position(for: instance) }
        return cash[instance.account] ?? startingCash
    }

    public func pnl(for instance: InstanceIdentity, price: Double?) -> Double {
        guard let book = books[instance.id] else { return 0 }
        return book.position * (price ?? 0) - book.cost
    }

    public func marketMoved(_ tick: Tick) {
        for (id, var order) in orders where order.market == tick.market {
            guard let limit = order.request.price, reaches(limit, side: order.request.side, price: tick.price) else { continue }
            let identity = InstanceIdentity(id: order.instanceID, strategyType: "", account: accountOf[order.instanceID] ?? "", market: order.market)
            if fill(&order, at: limit, instance: identity) { orders[id] = nil }
        }
    }

    private var accountOf: [String: String] = [:]

    private func reaches(_ limit: Double, side: OrderSide, price: Double) -> Bool {
        side == .buy ? price <= limit : price >= limit
    }

    private func fill(_ order: inout Order, at price: Double, instance: InstanceIdentity) -> Bool {
        let value = order.request.quantity * price
        let fee = value * feeBps / 10_000
        let signed = order.request.side == .buy ? order.request.quantity : -order.request.quantity
        var balance = cash[instance.account] ?? startingCash
        if order.request.side == .buy, value + fee > balance { return false }
        balance -= (order.request.side == .buy ? value : -value) + fee
        cash[instance.account] = balance
        accountOf[instance.id] = instance.account
        var book = books[instance.id] ?? Book()
        book.position += signed
        book.cost += signed * price + fee
        book.fees += fee
        books[instance.id] = book
        order.status = .filled
        order.filledQuantity = order.request.quantity
        order.averagePrice = price
        order.fee = fee
        return true
    }
}
