import Foundation
import StrataEngine
import StrataRuntime
import Testing

@testable import StrataLiveFeed

/// The feed's parts without a network: options, frame decoding, the per-market tracker, the
/// tick ring and the backoff.
@Suite struct FeedPartsTests {
    @Test func symbolsAreUpperCaseMarketsAndLowerCaseStreams() throws {
        let options = try #require(try BinanceFeedOptions.parse(feed: "binance:btcusdt, ETHUSDT,BTCUSDT", baseURL: "ws://127.0.0.1:9/"))
        #expect(options.markets == ["BTCUSDT", "ETHUSDT"])
        #expect(options.streamURL == "ws://127.0.0.1:9/stream?streams=btcusdt@trade/btcusdt@bookTicker/ethusdt@trade/ethusdt@bookTicker")
        #expect(try BinanceFeedOptions.parse(feed: "synthetic") == nil)
        #expect(try BinanceFeedOptions(symbols: "BTCUSDT").streamURL.hasPrefix("wss://stream.binance.com:9443/stream?streams="))
    }

    @Test(arguments: [
        "", ",", "BTC/USDT", "BTCUSDT,,ETHUSDT", "BTC USDT", "ÄBCUSDT", "BTCUSDT@trade", String(repeating: "A", count: 21),
        (0...100).map { "S\($0)" }.joined(separator: ","), "BTCUSDT\u{0}",
    ])
    func badSymbolsAreRefusedSayingWhatIsAccepted(_ symbols: String) {
        #expect(throws: BinanceFeedOptionsError.self) { try BinanceFeedOptions(symbols: symbols) }
    }

    @Test(arguments: ["http://127.0.0.1:9", "127.0.0.1:9", "ws://", "ws://h/x?y=1", "wss://h/#f", "ws://user@h", "ftp://h"])
    func badBaseURLsAreRefused(_ url: String) {
        #expect(throws: BinanceFeedOptionsError.self) { try BinanceFeedOptions(symbols: "BTCUSDT", baseURL: url) }
    }

    @Test func decimalsAreOnlyPlainDigits() {
        let streams = ["btcusdt@trade": "BTCUSDT"]
        func trade(price: String) -> String {
            #"{"stream":"btcusdt@trade","data":{"e":"trade","s":"BTCUSDT","t":1,"p":"\#(price)","q":"1","T":1718000000000}}"#
        }
        for bad in ["NaN", "nan", "inf", "-1", "+1", "1e3", "0x10", "1.2.3", "0", "", " 1", "1000000000000000", "١٢"] {
            #expect(throws: BinanceFrameError.self, "\(bad)") { try BinanceMessage.decode(trade(price: bad), streams: streams, maxBytes: 1000) }
        }
        #expect(
            (try? BinanceMessage.decode(trade(price: "0.00100000"), streams: streams, maxBytes: 1000))
                == .trade(.init(market: "BTCUSDT", id: 1, price: 0.001, quantity: 1, time: 1_718_000_000_000)))
    }

    @Test func theTrackerCountsGapsDuplicatesAndLateTradesAndResyncsAfterARestart() {
        var tracker = MarketStreamTracker(market: "BTCUSDT", since: 0)
        func trade(_ id: Int64) -> MarketStreamTracker.TradeOutcome {
            tracker.accept(BinanceMessage.Trade(market: "BTCUSDT", id: id, price: 1, quantity: 1, time: 1_718_000_000_000), at: 1)
        }
        #expect(trade(1000) != .duplicate)
        #expect(trade(1000) == .duplicate)
        #expect(trade(1003) != .duplicate)
        #expect(tracker.health.gaps == 1 && tracker.health.missedTrades == 2)
        #expect(trade(1002) == .outOfOrder)
        // An exchange that starts its ids again: after 50 late trades in a row, the 50th is the new start
        for id in 1...48 { #expect(trade(Int64(id)) == .outOfOrder) }
        guard case .tick = trade(49) else {
            Issue.record("the 50th late trade in a row should start a new sequence")
            return
        }
        guard case .tick(_, let missed) = trade(50), missed == 0 else {
            Issue.record("the next id continues the new sequence")
            return
        }
        #expect(tracker.health.outOfOrder == 49)
        #expect(tracker.health.gaps == 2 && tracker.health.trades == 4)
    }

    @Test func olderQuotesAreIgnoredAndAQuoteAloneMakesNoTick() {
        var tracker = MarketStreamTracker(market: "BTCUSDT", since: 0)
        tracker.accept(BinanceMessage.Quote(market: "BTCUSDT", updateID: 5, bid: 10, ask: 11), at: 1)
        tracker.accept(BinanceMessage.Quote(market: "BTCUSDT", updateID: 4, bid: 1, ask: 2), at: 1)
        guard case .tick(let tick, _) = tracker.accept(BinanceMessage.Trade(market: "BTCUSDT", id: 1, price: 10.5, quantity: 2, time: 1_718_000_000_500), at: 2)
        else {
            Issue.record("a trade makes a tick")
            return
        }
        #expect(tick == Tick(market: "BTCUSDT", ts: 1_718_000_000.5, price: 10.5, volume: 2, bid: 10, ask: 11))
        #expect(tracker.health.quotes == 1)
    }

    @Test func staleIsJudgedFromTheLastMessageAndCountsEpisodes() {
        var tracker = MarketStreamTracker(market: "BTCUSDT", since: 100)
        tracker.judge(at: 129, staleAfter: 30)
        #expect(!tracker.health.stale)
        tracker.judge(at: 130, staleAfter: 30)
        tracker.judge(at: 131, staleAfter: 30)
        #expect(tracker.health.stale && tracker.health.staleEpisodes == 1)
        tracker.accept(BinanceMessage.Quote(market: "BTCUSDT", updateID: 1, bid: 1, ask: 2), at: 140)
        tracker.judge(at: 169, staleAfter: 30)
        #expect(!tracker.health.stale)
        tracker.judge(at: 171, staleAfter: 30)
        #expect(tracker.health.stale && tracker.health.staleEpisodes == 2)
    }

    @Test func theRingDropsTheOldestWhenFull() {
        var ring = TickRing(capacity: 3)
        var dropped: [Double] = []
        for index in 1...7 {
            if let old = ring.append(Tick(market: "M", ts: Double(index), price: Double(index)), at: Double(index)) { dropped.append(old.price) }
        }
        #expect(dropped == [1, 2, 3, 4] && ring.count == 3 && ring.oldestArrival == 5)
        #expect(ring.take(2).map(\.price) == [5, 6])
        #expect(ring.take(10).map(\.price) == [7] && ring.isEmpty && ring.oldestArrival == nil)
    }

    @Test func theBackoffDoublesWithJitterUpToItsCapAndResets() {
        var backoff = ReconnectBackoff(initial: 0.5, cap: 30)
        #expect(backoff.nextDelay(unit: 0) == 0.25 && backoff.nextDelay(unit: 1) == 1)
        #expect(backoff.nextDelay(unit: 0.5) == 1.5)
        for _ in 0..<100 { #expect(backoff.nextDelay() <= 30) }
        #expect(backoff.nextDelay(unit: 0) == 15)
        backoff.reset()
        #expect(backoff.nextDelay(unit: 1) == 0.5)
    }
}
