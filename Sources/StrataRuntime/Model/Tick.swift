/// One market update handed to `on_tick`: a trade or quote, or a bar (with open/high/low/close).
public struct Tick: Sendable, Equatable, Codable {
    public var market: String
    /// Unix time in seconds (fractions allowed); also what `context.now()` returns.
    public var ts: Double
    /// The last price (a bar's close).
    public var price: Double
    public var volume: Double?
    public var bid: Double?
    public var ask: Double?
    public var open: Double?
    public var high: Double?
    public var low: Double?
    /// Where the engine's tick journal put it: engine-wide, in the order ticks were delivered
    /// (0: not journaled, as in a backtest).
    public var seq: Int64 = 0

    public init(
        market: String, ts: Double, price: Double, volume: Double? = nil, bid: Double? = nil,
        ask: Double? = nil, open: Double? = nil, high: Double? = nil, low: Double? = nil
    ) {
        self.market = market
        self.ts = ts
        self.price = price
        self.volume = volume
        self.bid = bid
        self.ask = ask
        self.open = open
        self.high = high
        self.low = low
    }
}
