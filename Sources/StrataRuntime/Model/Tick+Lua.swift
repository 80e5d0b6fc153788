import CStrataLua

extension Tick {
    /// Runs `body` with this tick in the C layout `strata_pushtick` reads (NaN marks absent fields).
    func withCTick<R>(_ body: (UnsafePointer<strata_tick>) -> R) -> R {
        var market = market
        return market.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                var tick = strata_tick()
                tick.market = chars.baseAddress
                tick.market_length = chars.count
                tick.ts = ts
                tick.price = price
                tick.optional = (volume ?? .nan, bid ?? .nan, ask ?? .nan, open ?? .nan, high ?? .nan, low ?? .nan)
                return withUnsafePointer(to: &tick, body)
            }
        }
    }
}
