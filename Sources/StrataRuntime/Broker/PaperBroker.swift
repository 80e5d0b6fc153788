/// A simulated exchange (DESIGN §3), shared by backtests and by live instances on paper
/// accounts: market and limit orders, fees and slippage in basis points, cash per account,
/// positions and PnL per instance, and order states with the reason for every refusal.
public final class PaperBroker: Broker {
    /// When a market order fills.
    public enum FillModel: String, Sendable, CaseIterable {
        /// At the current price, as it is placed (live paper trading; `backtest --fill close`).
        case immediate = "close"
        /// At the open of the next bar (the convention of backtrader and backtesting.py).
        case nextOpen = "next-open"
    }

    /// How the broker simulates.
    public struct Settings: Sendable, Equatable {
        /// Quote balance every account starts with.
        public var startingCash: Double = 100_000
        /// Fee in basis points of the traded value.
        public var feeBps: Double = 0
        /// Slippage in basis points: buys fill this much higher, sells this much lower.
        public var slippageBps: Double = 0
        public var fillModel: FillModel = .immediate
        /// Open orders one instance may have at once; more are refused.
        public var maxOpenOrders = 1_000
        /// Closed round-trip trades kept per instance in memory, most recent last (nil: all,
        /// as a backtest's report needs). A live engine runs for days: its store keeps every
        /// order and fill, and the broker keeps only this many trades.
        public var keptClosedTrades: Int?

        public init() {}

        /// For a live engine: every setting at its default, with 100 closed trades kept per instance.
        public static var live: Settings {
            var settings = Settings()
            settings.keptClosedTrades = 100
            return settings
        }
    }

    public let settings: Settings
    var cash: [String: Double] = [:]  // account -> quote balance
    var baseCashByAccount: [String: Double] = [:]  // account -> cash before any trade (default: settings.startingCash)
    var books: [String: PositionBook] = [:]  // instance id -> position
    var accounts: [String: String] = [:]  // instance id -> account
    var working: [Order] = []  // open orders, oldest first
    /// Every order that reached a final state (filled, cancelled, rejected), oldest first.
    public internal(set) var history: [Order] = []
    /// The number of the next order id (`o<n>`); an id is never reused, not even after a restart
    /// (see ``restore(fillOf:for:side:quantity:price:fee:time:)``).
    public internal(set) var nextOrderNumber = 1
    /// Counts fills: position and cash change only when it does.
    public internal(set) var fillCount = 0
    /// Put before every order id (`PREFIXo<n>`): a cluster node's name and a dot, so that
    /// nodes never make the same id.
    public var orderIDPrefix = ""
    /// Each instance's net effect on its account's cash, so its book can be taken out again.
    var cashFlows: [String: Double] = [:]

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    /// A broker with the given starting cash and fee, filling at the current price.
    public convenience init(startingCash: Double = 100_000, feeBps: Double = 0) {
        var settings = Settings()
        settings.startingCash = startingCash
        settings.feeBps = feeBps
        self.init(settings: settings)
    }

    // MARK: Broker

    public func placeOrder(_ request: OrderRequest, for instance: InstanceIdentity, price: Double?, time: Double) -> Result<Order, OrderRejection> {
        accounts[instance.id] = instance.account
        var order = Order(
            id: "\(orderIDPrefix)o\(nextOrderNumber)", instanceID: instance.id, market: instance.market,
            request: request, status: .open, createdAt: time)
        nextOrderNumber += 1
        guard let price, price > 0 else { return reject(&order, "no market price yet") }
        if request.type == .limit || settings.fillModel == .nextOpen,
            working.count >= settings.maxOpenOrders,
            working.lazy.filter({ $0.instanceID == instance.id }).count >= settings.maxOpenOrders
        {
            return reject(&order, "too many open orders (limit \(settings.maxOpenOrders))")
        }
        if let problem = affordability(of: request, instance: instance, at: request.price ?? price) {
            return reject(&order, problem)
        }
        if request.type == .market && settings.fillModel == .immediate {
            fill(&order, at: slipped(price, side: request.side), time: time)
            history.append(order)
        } else {
            working.append(order)
        }
        return .success(order)
    }

    public func cancelOrder(id: String, for instance: InstanceIdentity) -> Result<Void, OrderRejection> {
        guard let index = working.firstIndex(where: { $0.id == id && $0.instanceID == instance.id }) else {
            return .failure(OrderRejection("no open order \(id)"))
        }
        var order = working.remove(at: index)
        order.status = .cancelled
        history.append(order)
        return .success(())
    }

    public func openOrders(for instance: InstanceIdentity) -> [Order] {
        working.filter { $0.instanceID == instance.id }
    }

    public func position(for instance: InstanceIdentity) -> Double {
        books[instance.id]?.position ?? 0
    }

    public func balance(of asset: String, for instance: InstanceIdentity) -> Double {
        let parts = instance.market.split(separator: "/")
        if parts.count == 2, asset == parts[0] { return position(for: instance) }
        return cash(of: instance.account)
    }

    public func pnl(for instance: InstanceIdentity, price: Double?) -> Double {
        books[instance.id]?.pnl(at: price) ?? 0
    }

    /// The position book of an instance (trades, realised PnL, fees).
    public func book(for instanceID: String) -> PositionBook {
        books[instanceID] ?? PositionBook()
    }

    /// Quote cash of an account.
    public func cash(of account: String) -> Double {
        cash[account] ?? baseCash(of: account)
    }

    /// Forgets the `count` oldest entries of ``history`` (a reader has stored them).
    public func discardHistory(first count: Int) {
        history.removeFirst(min(max(count, 0), history.count))
    }

    /// Every open order, of every instance, oldest first.
    public var allOpenOrders: [Order] { working }

    // MARK: Restart

    /// Replays a fill recorded before a restart: books it to the account's cash and the
    /// instance's position exactly as the original fill did, without creating an order.
    public func restore(
        fillOf orderID: String, for instance: InstanceIdentity, side: OrderSide, quantity: Double,
        price: Double, fee: Double, time: Double
    ) {
        accounts[instance.id] = instance.account
        book(instanceID: instance.id, signed: side == .buy ? quantity : -quantity, price: price, fee: fee, time: time)
        continueOrderIDs(after: orderID)
    }

    /// Makes the next order id come after `orderID` (`PREFIXo<n>`), so a restarted broker never
    /// reuses the id of a recorded order. Ids with another prefix (another node's) are not ours
    /// to continue.
    public func continueOrderIDs(after orderID: String) {
        let head = orderIDPrefix + "o"
        guard orderID.hasPrefix(head), let number = Int(orderID.dropFirst(head.count)) else { return }
        nextOrderNumber = max(nextOrderNumber, number + 1)
    }

    /// Takes an instance out of the broker: its position and trades, its effect on its account's
    /// cash, and its open orders (returned, to be recorded as cancelled). A cluster node does
    /// this before it books an instance it takes over from the store's fills, which another
    /// node made meanwhile.
    public func forgetInstance(_ instanceID: String) -> [Order] {
        if let account = accounts[instanceID], let flow = cashFlows[instanceID] {
            cash[account, default: baseCash(of: account)] += flow
        }
        cashFlows[instanceID] = nil
        books[instanceID] = nil
        var dropped: [Order] = []
        working.removeAll { order in
            guard order.instanceID == instanceID else { return false }
            var cancelled = order
            cancelled.status = .cancelled
            dropped.append(cancelled)
            return true
        }
        return dropped
    }

    /// Fills what the new price reaches: pending market orders at a bar's open (next-open
    /// model), then limit orders whose price the bar's range (or the tick's price) reached.
    public func marketMoved(_ tick: Tick) {
        guard !working.isEmpty else { return }
        var still: [Order] = []
        for var order in working {
            guard order.market == tick.market, let fillPrice = fillPrice(for: order, on: tick) else {
                still.append(order)
                continue
            }
            let identity = InstanceIdentity(id: order.instanceID, strategyType: "", account: accounts[order.instanceID] ?? "", market: order.market)
            if let problem = affordability(of: order.request, instance: identity, at: fillPrice) {
                order.status = .rejected
                order.rejectReason = problem
            } else {
                fill(&order, at: fillPrice, time: tick.ts)
            }
            history.append(order)
        }
        working = still
    }
}
