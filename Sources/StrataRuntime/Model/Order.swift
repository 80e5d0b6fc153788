/// Buy or sell.
public enum OrderSide: String, Sendable, Codable {
    case buy
    case sell
}

/// How an order is priced.
public enum OrderType: String, Sendable, Codable {
    case market
    case limit
}

/// Where an order is in its life.
public enum OrderStatus: String, Sendable, Codable {
    case open
    case filled
    case cancelled
    case rejected
}

/// What a script asked for with `context.place_order`, after its arguments were checked.
public struct OrderRequest: Sendable, Equatable, Codable {
    public var side: OrderSide
    public var quantity: Double
    public var type: OrderType
    /// The limit price; nil for market orders.
    public var price: Double?
    public var tag: String?
    /// The journaled tick whose handling made the request (nil: a tick the engine did not
    /// journal, as in a backtest). Set by the host, never by the script.
    public var tickSeq: Int64?

    public init(side: OrderSide, quantity: Double, type: OrderType = .market, price: Double? = nil, tag: String? = nil) {
        self.side = side
        self.quantity = quantity
        self.type = type
        self.price = price
        self.tag = tag
    }
}

/// An order as a broker knows it.
public struct Order: Sendable, Equatable, Codable {
    public var id: String
    public var instanceID: String
    public var market: String
    public var request: OrderRequest
    public var status: OrderStatus
    public var filledQuantity: Double
    public var averagePrice: Double?
    public var fee: Double
    /// Engine time (seconds) when it was placed.
    public var createdAt: Double
    /// Engine time when it filled.
    public var filledAt: Double?
    /// Why it was rejected.
    public var rejectReason: String?

    public init(
        id: String, instanceID: String, market: String, request: OrderRequest, status: OrderStatus,
        filledQuantity: Double = 0, averagePrice: Double? = nil, fee: Double = 0, createdAt: Double
    ) {
        self.id = id
        self.instanceID = instanceID
        self.market = market
        self.request = request
        self.status = status
        self.filledQuantity = filledQuantity
        self.averagePrice = averagePrice
        self.fee = fee
        self.createdAt = createdAt
    }
}

/// Why a broker refused an order or a cancel; returned to the script as `nil, reason`.
public struct OrderRejection: Error, Sendable, Equatable {
    public var reason: String
    /// The risk rule that refused the order (nil: the broker itself did): such an order is
    /// recorded as a signal, as observe mode records one.
    public var rule: RiskRule?
    public init(_ reason: String, rule: RiskRule? = nil) {
        self.reason = reason
        self.rule = rule
    }
}

/// An order intent that was not executed: the instance only observes, or the risk gate refused it.
public struct Signal: Sendable, Equatable, Codable {
    public var instanceID: String
    public var request: OrderRequest
    /// Engine time (seconds).
    public var time: Double
    /// The last price when the intent was made.
    public var price: Double?
    /// Why it was not executed (nil: observe mode).
    public var reason: String? = nil
    /// The risk rule that refused it (nil: observe mode).
    public var rule: RiskRule? = nil
}
