/// One OHLCV bar of a price series: the prices of one period and the volume traded in it.
public struct Bar: Sendable, Equatable {
    /// The start of the period, in Unix seconds (UTC; fractions allowed).
    public var time: Double
    public var open: Double
    public var high: Double
    public var low: Double
    public var close: Double
    /// The volume traded in the period; 0 when the source has none.
    public var volume: Double

    public init(time: Double, open: Double, high: Double, low: Double, close: Double, volume: Double = 0) {
        self.time = time
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }

    /// The tick a strategy's `on_tick` receives for this bar: the close is the price, and the
    /// bar's time is the tick's time (the Lua side adds `close` from `price`).
    public func tick(market: String) -> Tick {
        Tick(market: market, ts: time, price: close, volume: volume, open: open, high: high, low: low)
    }
}
