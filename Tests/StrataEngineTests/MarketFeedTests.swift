import StrataRuntime
import Testing

@testable import StrataEngine

@Suite struct MarketFeedTests {
    let bars = (0..<4).map { Bar(time: 1_000 + Double($0) * 3_600, open: 10, high: 11, low: 9, close: 10 + Double($0), volume: 1) }

    @Test func replayPacesBarsByTheirSpacingOverTheSpeedAndRestampsThem() {
        var feed = ReplayFeed(bars: bars, market: "X/USD", speed: 3_600, loops: false, start: 100)
        #expect(feed.ticks(until: 99.9).isEmpty)
        let first = feed.ticks(until: 101.5)  // bars at 100 and 101
        #expect(first.map(\.price) == [10, 11])
        #expect(first.map(\.ts) == [100, 101])
        #expect(first.allSatisfy { $0.market == "X/USD" && $0.open == 10 })
        #expect(feed.ticks(until: 1_000).map(\.price) == [12, 13])
        #expect(feed.ticks(until: 2_000).isEmpty)  // not looping: done
    }

    @Test func aLoopingReplayGoesOnWithAStrictlyIncreasingClock() {
        var feed = ReplayFeed(bars: bars, market: "X/USD", speed: 3_600, loops: true, start: 0)
        let ticks = feed.ticks(until: 9.5)
        #expect(ticks.count == 10)
        #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $0.ts < $1.ts })
        #expect(ticks.map(\.price).prefix(6) == [10, 11, 12, 13, 10, 11])
    }

    @Test func syntheticTicksFollowNewMarketsAtTheirRate() {
        var feed = SyntheticFeed(markets: ["A/USD"], rate: 10, start: 0)
        #expect(feed.ticks(until: 1).count == 10)
        feed.follow(markets: ["A/USD", "B/USD"], from: 1)
        let next = feed.ticks(until: 2)
        // A tenth of a second does not add up exactly in binary: one tick may land just past 2.
        #expect((9...10).contains(next.filter { $0.market == "A/USD" }.count))
        #expect((9...10).contains(next.filter { $0.market == "B/USD" }.count))
        #expect(zip(next, next.dropFirst()).allSatisfy { $0.ts <= $1.ts })
    }
}
