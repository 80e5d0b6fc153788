import Foundation
import StrataEngine
import StrataRuntime

/// Binance's trades as the engine's ``MarketFeed``: the engine takes whatever the network task
/// has buffered, at each step, through ``BinanceFeedState``'s lock (never waiting on the network).
/// Ticks carry the exchange's trade time, so `ticks(until:)` ignores the engine's clock: a
/// machine whose clock lags the exchange's still gets every tick at once.
public struct BinanceFeed: MarketFeed {
    public let state: BinanceFeedState
    /// The most ticks handed over in one step; the rest wait for the next.
    public static let ticksPerStep = 4096
    /// How soon the engine looks again when nothing waits: ticks reach it within about this.
    public static let pollInterval = 0.02

    public init(state: BinanceFeedState) {
        self.state = state
    }

    public mutating func ticks(until now: Double) -> [Tick] {
        state.drain(limit: Self.ticksPerStep, now: Date().timeIntervalSince1970)
    }

    public mutating func follow(markets: Set<String>, from now: Double) {
        state.follow(markets: markets)
    }

    public func nextDue() -> Double? {
        state.oldestArrival ?? Date().timeIntervalSince1970 + Self.pollInterval
    }
}
