import Foundation
import StrataEngine
import StrataRuntime
import Testing

@testable import StrataLiveFeed

/// The feed against a local WebSocket server playing frames written from Binance's documented
/// formats (Fixtures/): ticks, reconnects, gaps, duplicates, malformed frames, staleness, pings.
@Suite(.serialized) struct BinanceFeedTests {
    @Test func tradesAndQuotesBecomeTicksCarryingTheLastBidAndAsk() async throws {
        // Given a server playing BTCUSDT and ETHUSDT trades and book tickers
        let server = try await FrameServer(scripts: [try FrameServer.fixture("trades-and-quotes")])
        try await withFeed(server) { state in
            // When the feed has read them
            let health = try await eventually(state) { $0["BTCUSDT"].trades == 2 && $0["ETHUSDT"].trades == 2 }
            // Then each trade is one tick with the exchange's time, price and quantity, and the
            // market's last best bid/ask; a quote alone made none
            let ticks = state.drain(limit: 100, now: Date().timeIntervalSince1970)
            #expect(
                ticks == [
                    Tick(market: "BTCUSDT", ts: 1_718_000_000.120, price: 65000.1, volume: 0.012, bid: 64999.5, ask: 65000.5),
                    Tick(market: "ETHUSDT", ts: 1_718_000_000.199, price: 3500.25, volume: 0.5),
                    Tick(market: "BTCUSDT", ts: 1_718_000_000.349, price: 65000.9, volume: 0.5, bid: 65000, ask: 65001),
                    Tick(market: "ETHUSDT", ts: 1_718_000_000.400, price: 3500.4, volume: 1, bid: 3500, ask: 3500.5),
                ])
            #expect(health["BTCUSDT"].quotes == 2 && health["ETHUSDT"].quotes == 1)
            #expect(health.connection == .connected && health.connects == 1 && health.malformedFrames == 0)
            #expect(health["BTCUSDT"].gaps == 0 && health["BTCUSDT"].lastTickTime == 1_718_000_000.349)
            // And it subscribed to both streams of both markets, lower case, on the combined stream
            #expect(server.paths == ["/stream?streams=btcusdt@trade/btcusdt@bookTicker/ethusdt@trade/ethusdt@bookTicker"])
        }
    }

    @Test func disconnectsReconnectWithTheSameSubscriptionAndTheGapIsReported() async throws {
        // Given a server that closes after trades 100–102, then drops a connection without a
        // close frame, then announces a shutdown, then resumes at trade 110
        let server = try await FrameServer(scripts: [
            try FrameServer.fixture("before-disconnect") + [.close], [.drop],
            [.text(#"{"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1718000104000}}"#), .close],
            try FrameServer.fixture("after-reconnect"),
        ])
        try await withFeed(server, symbols: "btcusdt") { state in
            let health = try await eventually(state) { $0["BTCUSDT"].trades == 5 }
            // Then ticks continue after the reconnects, with the new quote
            let ticks = state.drain(limit: 100, now: Date().timeIntervalSince1970)
            #expect(ticks.map(\.price) == [65000, 65001, 65002, 65010, 65011])
            #expect(ticks.last?.bid == 65009 && ticks.last?.ask == 65011)
            // And the jump from trade 102 to 110 is one gap of seven trades
            #expect(health["BTCUSDT"].gaps == 1 && health["BTCUSDT"].missedTrades == 7)
            // (one more when a connection lost its first frames and was opened again: see FrameServer)
            #expect(health.connects >= 4 && health.reconnects == health.connects - 1 && health.connection == .connected)
            // And every connection asked for the same streams
            #expect(server.paths.count == health.connects && Set(server.paths) == ["/stream?streams=btcusdt@trade/btcusdt@bookTicker"])
        }
    }

    @Test func duplicateAndLateTradesAreDroppedAndCounted() async throws {
        // Given trades 200, 201, 201 again, 203, 202 (late), 200 again, 204
        let server = try await FrameServer(scripts: [try FrameServer.fixture("duplicates-and-late")])
        try await withFeed(server, symbols: "BTCUSDT") { state in
            let health = try await eventually(state) { $0["BTCUSDT"].trades == 4 }
            try await Task.sleep(for: .milliseconds(100))
            // Then only 200, 201, 203 and 204 are ticks
            #expect(state.drain(limit: 100, now: Date().timeIntervalSince1970).map(\.price) == [65000, 65001, 65003, 65004])
            let market = state.feedHealth(now: Date().timeIntervalSince1970)["BTCUSDT"]
            #expect(market.duplicates == 2 && market.outOfOrder == 1 && market.gaps == 1 && market.missedTrades == 1)
            #expect(health.malformedFrames == 0)
        }
    }

    @Test func malformedFramesAreCountedAndSkippedWithoutDroppingTheConnection() async throws {
        // Given frames that are not JSON, have wrong types, huge numbers, NaN and infinite
        // strings, missing fields, wrong symbols, unknown streams, a crossed quote, a binary
        // frame, JSON nested 30,000 deep, and a 1 MB frame, each followed by valid trades
        let nested = #"{"stream":"btcusdt@trade","data":"# + String(repeating: "[", count: 30_000) + String(repeating: "]", count: 30_000) + "}"
        let huge = #"{"stream":"btcusdt@trade","data":{"e":"trade","s":"BTCUSDT","t":1,"p":""# + String(repeating: "9", count: 1 << 20) + #""}}"#
        let valid = #"{"stream":"btcusdt@trade","data":{"e":"trade","E":1718000300100,"s":"BTCUSDT","t":301,"p":"65001.0","q":"0.2","T":1718000300100}}"#
        let script = try FrameServer.fixture("malformed") + [.binary([0x7B, 0x7D]), .text(nested), .text(huge), .text(valid)]
        let server = try await FrameServer(scripts: [script])
        try await withFeed(server) { state in
            let health = try await eventually(state) { $0["BTCUSDT"].trades == 2 }
            // Then the two valid trades are ticks, the nineteen others are counted, and the
            // connection stayed up
            #expect(state.drain(limit: 100, now: Date().timeIntervalSince1970).map(\.price) == [65000, 65001])
            #expect(health.malformedFrames == 19, "\(health.lastError ?? "")")
            #expect(health.connects == 1 && server.connections == 1)
            #expect(health.lastError?.contains("bytes") == true)
        }
    }

    @Test func aQuietMarketGoesStaleWhileTheOtherFlows() async throws {
        // Given ETHUSDT trades once and then goes quiet while BTCUSDT quotes keep coming
        var steps: [FrameServer.Step] = [
            .text(#"{"stream":"ethusdt@trade","data":{"e":"trade","E":1718000400000,"s":"ETHUSDT","t":9,"p":"3500.0","q":"1","T":1718000400000}}"#)
        ]
        for update in 1...200 {
            steps += [
                .text(#"{"stream":"btcusdt@bookTicker","data":{"u":\#(update),"s":"BTCUSDT","b":"65000.0","B":"1","a":"65001.0","A":"1"}}"#),
                .pause(.milliseconds(50)),
            ]
        }
        let server = try await FrameServer(scripts: [steps])
        let tune: (inout BinanceFeedOptions) -> Void = { $0.staleAfter = 1 }
        try await withFeed(server, tune: tune) { state in
            // Then after the threshold ETHUSDT is stale and BTCUSDT is not
            let health = try await eventually(state) { $0["ETHUSDT"].stale }
            #expect(health["ETHUSDT"].stale && health["ETHUSDT"].staleEpisodes == 1)
            #expect(!health["BTCUSDT"].stale && health["BTCUSDT"].staleEpisodes == 0)
            #expect(health.prometheusText(now: Date().timeIntervalSince1970).contains(#"strata_feed_stale{market="ETHUSDT"} 1"#))
            #expect(health.prometheusText(now: Date().timeIntervalSince1970).contains(#"strata_feed_stale{market="BTCUSDT"} 0"#))
        }
    }

    @Test func pingsAreAnsweredWithPongsEchoingTheirPayload() async throws {
        // Given a server that pings every 100 ms and closes the connection ("Ping timeout") when
        // a pong does not carry the payload of its ping
        let trade = { (id: Int) in tradeFrame(id: id) }
        let server = try await FrameServer(scripts: [[trade(1), .pause(.milliseconds(1500)), trade(2)]], pingEvery: .milliseconds(100))
        try await withFeed(server, symbols: "BTCUSDT") { state in
            // Then after fifteen pings the first connection is still the only one, and it still delivers
            let health = try await eventually(state) { $0["BTCUSDT"].trades == 2 }
            #expect(health["BTCUSDT"].trades == 2 && health.connects == 1 && server.connections == 1)
        }
    }

    @Test func aSilentConnectionIsTakenForDeadAndOpenedAgain() async throws {
        // Given a server that sends one trade and then nothing at all
        let server = try await FrameServer(scripts: [
            [.text(#"{"stream":"btcusdt@trade","data":{"e":"trade","E":1718000600000,"s":"BTCUSDT","t":1,"p":"1.0","q":"1","T":1718000600000}}"#)]
        ])
        let tune: (inout BinanceFeedOptions) -> Void = { $0.silenceLimit = 0.4 }
        try await withFeed(server, symbols: "BTCUSDT", tune: tune) { state in
            // Then the client reconnects on its own
            let health = try await eventually(state) { $0.connects >= 2 }
            #expect(health.connects >= 2 && server.connections >= 2)
            #expect(health.lastError?.contains("no frame") == true || health.connection == .connected)
        }
    }

    @Test func aConnectionThatNeverDeliversIsOpenedAgainAfterTheFirstFrameLimit() async throws {
        // Given a server whose first connection opens and then says nothing (as a client that lost
        // what came right after the upgrade would see it), and whose next one streams
        let server = try await FrameServer(scripts: [[], [tradeFrame(id: 1), tradeFrame(id: 2)]])
        let tune: (inout BinanceFeedOptions) -> Void = { $0.firstFrameLimit = 0.5 }
        try await withFeed(server, symbols: "BTCUSDT", tune: tune) { state in
            // Then the client gives up on it long before the silence limit (90 s) and gets the trades
            let health = try await eventually(state) { $0["BTCUSDT"].trades == 2 }
            #expect(health["BTCUSDT"].trades == 2 && health.connects == 2 && server.connections == 2)
            #expect(health.lastError?.contains("no frame in the first") == true, "\(health.lastError ?? "")")
        }
    }

    @Test func aServerThatNeverAnswersTheUpgradeIsGivenUpAndTriedAgain() async throws {
        // Given a server that accepts TCP connections and never answers the WebSocket upgrade
        let server = try SilentTCPServer()
        let tune: (inout BinanceFeedOptions) -> Void = { $0.firstFrameLimit = 0.3 }
        let check: (BinanceFeedState) async throws -> Void = { state in
            // Then each attempt is given up after the first-frame limit and another one made
            try await eventuallyTrue { server.connections >= 3 }
            let health = state.feedHealth(now: Date().timeIntervalSince1970)
            #expect(server.connections >= 3 && health.connects == 0)
            #expect(health.lastError?.contains("did not open within 0.3 s") == true, "\(health.lastError ?? "")")
        }
        try await withFeed(url: "ws://127.0.0.1:\(server.port)", symbols: "BTCUSDT", tune: tune, stop: { server.close() }, check)
        // And the feed stopped at once though the last attempt was still waiting (withFeed checks it)
    }

    @Test func aServerThatDropsEveryConnectionAtOnceMeetsAGrowingDelay() async throws {
        // Given a server that sends one trade on each connection and drops it at once
        let server = try await FrameServer(scripts: [[tradeFrame(id: 1), .drop]])
        let tune: (inout BinanceFeedOptions) -> Void = { $0.backoffCap = 10 }
        try await withFeed(server, symbols: "BTCUSDT", tune: tune) { state in
            // When the client has tried for 1.5 s (delays from 0.05 s doubling: at most 6 attempts
            // fit; resetting after each delivering connection would make about 40)
            try await Task.sleep(for: .milliseconds(1500))
            let health = state.feedHealth(now: Date().timeIntervalSince1970)
            #expect(server.connections >= 2 && server.connections <= 7, "\(server.connections) connections")
            #expect(health["BTCUSDT"].trades == 1, "the same trade id again is a duplicate")
        }
    }

    @Test func anEngineThatFallsBehindLosesTheOldestTicksAndTheyAreCounted() async throws {
        // Given a buffer of three ticks and five trades nobody drains
        let server = try await FrameServer(scripts: [(1...5).map { tradeFrame(id: $0, price: "6500\($0).0") }])
        let tune: (inout BinanceFeedOptions) -> Void = { $0.bufferCapacity = 3 }
        try await withFeed(server, symbols: "BTCUSDT", tune: tune) { state in
            let health = try await eventually(state) { $0["BTCUSDT"].trades == 5 }
            // Then the three newest wait, and two were dropped
            #expect(health["BTCUSDT"].overflowDropped == 2 && health.bufferedTicks == 3)
            #expect(state.drain(limit: 100, now: Date().timeIntervalSince1970).map(\.price) == [65003, 65004, 65005])
        }
    }
}
