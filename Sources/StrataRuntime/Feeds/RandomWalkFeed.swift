import Foundation

/// Synthetic ticks: a seeded random walk of one market, the same sequence for the same seed.
public struct RandomWalkFeed: Sequence, IteratorProtocol, Sendable {
    public let market: String
    public private(set) var price: Double
    public private(set) var time: Double
    /// Seconds between ticks.
    public let interval: Double
    /// Standard deviation of one step, as a fraction of the price.
    public let volatility: Double
    private var random: SplitMix64

    public init(
        market: String, seed: UInt64 = 1, startPrice: Double = 100, startTime: Double = 1_700_000_000,
        interval: Double = 60, volatility: Double = 0.002
    ) {
        self.market = market
        self.price = startPrice
        self.time = startTime
        self.interval = interval
        self.volatility = volatility
        self.random = SplitMix64(seed: seed)
    }

    public mutating func next() -> Tick? {
        // Box-Muller from two uniforms: one normal step.
        let u1 = Swift.max(random.nextUnit(), .leastNonzeroMagnitude)
        let u2 = random.nextUnit()
        let step = (-2 * Foundation.log(u1)).squareRoot() * cos(2 * .pi * u2)
        price = Swift.max(price * (1 + volatility * step), 0.000_001)
        time += interval
        let spread = price * 0.0005
        let volume = (1 + 9 * random.nextUnit()).rounded()
        return Tick(market: market, ts: time, price: price, volume: volume, bid: price - spread, ask: price + spread)
    }
}

/// A small, fast, seedable generator (SplitMix64), so synthetic data is reproducible.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }
}
