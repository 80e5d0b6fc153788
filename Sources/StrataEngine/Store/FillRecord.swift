import StrataRuntime

/// One execution of an order by a broker. Orders themselves are stored as `Order` snapshots.
public struct FillRecord: Sendable, Equatable, Codable {
    /// Unique per fill; storing the same id twice keeps the first (so a replay cannot duplicate it).
    public var id: String
    public var orderID: String
    public var instanceID: String
    public var market: String
    public var side: OrderSide
    public var quantity: Double
    public var price: Double
    public var fee: Double
    /// Engine time (seconds).
    public var time: Double
    /// The journaled tick whose handling placed the order (nil: not journaled).
    public var tickSeq: Int64?

    public init(
        id: String, orderID: String, instanceID: String, market: String, side: OrderSide,
        quantity: Double, price: Double, fee: Double, time: Double, tickSeq: Int64? = nil
    ) {
        self.tickSeq = tickSeq
        self.id = id
        self.orderID = orderID
        self.instanceID = instanceID
        self.market = market
        self.side = side
        self.quantity = quantity
        self.price = price
        self.fee = fee
        self.time = time
    }
}
