import Foundation
import StrataRuntime

/// A source of live ticks: asked, now and then, for the ticks due by a wall-clock time.
public protocol MarketFeed {
    /// The ticks due at or before `now` (Unix seconds), oldest first.
    mutating func ticks(until now: Double) -> [Tick]
    /// Tells the feed which markets running instances trade (a synthetic feed starts walks for
    /// new ones); feeds with a fixed market ignore it.
    mutating func follow(markets: Set<String>, from now: Double)
    /// When the next tick is due (Unix seconds), so the engine can sleep until then; nil when
    /// no tick is coming or the feed cannot tell (the engine then wakes for its other work).
    func nextDue() -> Double?
}

extension MarketFeed {
    public mutating func follow(markets: Set<String>, from now: Double) {}
    public func nextDue() -> Double? { nil }
}

/// Synthetic ticks: a seeded random walk per market at a fixed rate, stamped with wall time.
public struct SyntheticFeed: MarketFeed {
    private var walks: [RandomWalkFeed]
    private let rate: Double
    private let seed: UInt64

    /// - Parameters:
    ///   - markets: the markets to generate.
    ///   - rate: ticks per second per market.
    ///   - start: the time of the first tick (Unix seconds).
    public init(markets: [String], rate: Double, start: Double, seed: UInt64 = 1) {
        self.rate = rate
        self.seed = seed
        walks = []
        follow(markets: Set(markets), from: start)
    }

    public mutating func follow(markets: Set<String>, from now: Double) {
        let known = Set(walks.map(\.market))
        for market in markets.subtracting(known).sorted() {
            walks.append(
                RandomWalkFeed(
                    market: market, seed: seed &+ UInt64(walks.count), startPrice: 100, startTime: now,
                    interval: 1 / max(rate, 0.001), volatility: 0.001))
        }
    }

    public func nextDue() -> Double? {
        walks.lazy.map { $0.time + $0.interval }.min()
    }

    public mutating func ticks(until now: Double) -> [Tick] {
        var due: [Tick] = []
        for index in walks.indices {
            while walks[index].time + walks[index].interval <= now, let tick = walks[index].next() {
                due.append(tick)
            }
        }
        return due.sorted { $0.ts < $1.ts }
    }
}

/// Bars of a CSV file replayed as ticks: the file's own spacing divided by `speed`, restamped
/// with wall time, optionally looping.
public struct ReplayFeed: MarketFeed {
    private let bars: [Bar]
    private let market: String
    private let speed: Double
    private let loops: Bool
    private var next = 0
    private var start: Double
    private var offset: Double = 0

    public init(bars: [Bar], market: String, speed: Double, loops: Bool, start: Double) {
        self.bars = bars
        self.market = market
        self.speed = max(speed, 1e-9)
        self.loops = loops
        self.start = start
    }

    public func nextDue() -> Double? {
        guard let first = bars.first?.time else { return nil }
        if next < bars.count { return start + (bars[next].time - first + offset) / speed }
        guard loops else { return nil }
        let span = (bars.last!.time - first) / Double(max(bars.count - 1, 1))
        return start + (offset + bars.last!.time - first + span) / speed
    }

    public mutating func ticks(until now: Double) -> [Tick] {
        guard let first = bars.first?.time else { return [] }
        var due: [Tick] = []
        while next < bars.count || (loops && !bars.isEmpty) {
            if next == bars.count {
                // Loop: continue the clock from the last bar, one average bar later.
                let span = (bars.last!.time - first) / Double(max(bars.count - 1, 1))
                offset += bars.last!.time - first + span
                next = 0
            }
            let at = start + (bars[next].time - first + offset) / speed
            guard at <= now else { break }
            var tick = bars[next].tick(market: market)
            tick.ts = at
            due.append(tick)
            next += 1
        }
        return due
    }
}
