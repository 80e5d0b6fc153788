import Foundation
import StrataEngine
import StrataRuntime
import Testing

@testable import StrataLiveFeed

extension StrataHTTPSuite {
    /// `GET /api/feed`, the feed's lines in `/metrics`, and the `feed` object of instances whose
    /// market a live feed serves, over a real Binance feed state fed frames directly.
    @Suite struct FeedAPITests {
        static func feedState(staleAfter: Double) throws -> BinanceFeedState {
            var options = try BinanceFeedOptions(symbols: "BTCUSDT,ETHUSDT", baseURL: "ws://127.0.0.1:9")
            options.staleAfter = staleAfter
            let state = BinanceFeedState(options: options)
            state.opened(at: Date().timeIntervalSince1970)
            let frames = [
                #"{"stream":"btcusdt@trade","data":{"e":"trade","E":1718000000000,"s":"BTCUSDT","t":7,"p":"65000.5","q":"0.1","T":1718000000000}}"#,
                #"{"stream":"btcusdt@trade","data":{"e":"trade","E":1718000000100,"s":"BTCUSDT","t":9,"p":"65001.5","q":"0.1","T":1718000000100}}"#,
                #"{"stream":"btcusdt@trade","data":{"e":"trade","E":1718000000100,"s":"BTCUSDT","t":9,"p":"65001.5","q":"0.1","T":1718000000100}}"#,
                "not json",
            ]
            for frame in frames { _ = state.receive(frame, at: Date().timeIntervalSince1970) }
            return state
        }

        @Test func theFeedStatusShowsConnectionCountersAndStaleness() async throws {
            let state = try Self.feedState(staleAfter: 0.3)
            try await withAPI(feed: state) { api, _ in
                try await api.create("btc-1", market: "BTCUSDT")
                try await api.create("other-1", market: "X/USD")
                try await Task.sleep(for: .milliseconds(400))
                // Then /api/feed says what came and what is wrong: ETHUSDT never spoke, so it is stale
                let feed = try #require(try await api.get("/api/feed").json)
                #expect(feed["source"] == "binance" && feed["connection"] == "connected" && feed["malformed_frames"] == 1)
                let markets = feed["markets"]?.arrayValue ?? []
                #expect(markets.map { $0["market"] } == ["BTCUSDT", "ETHUSDT"])
                #expect(markets.first?["gaps"] == 1 && markets.first?["missed_trades"] == 1 && markets.first?["duplicates"] == 1)
                #expect(markets.first?["ticks"] == 2 && markets.last?["stale"] == true)
                // And /metrics has the same, labelled by market
                let metrics = try await api.get("/metrics").text
                for line in [
                    #"strata_feed_gaps_total{market="BTCUSDT"} 1"#, #"strata_feed_duplicates_total{market="BTCUSDT"} 1"#,
                    #"strata_feed_stale{market="ETHUSDT"} 1"#, #"strata_feed_connected{source="binance"} 1"#,
                    #"strata_feed_malformed_frames_total{source="binance"} 1"#,
                ] {
                    #expect(metrics.contains(line), "\(line)")
                }
                // And an instance of a served market carries the feed's word on it; another does not
                let list = try #require(try await api.get("/api/instances").json?["instances"]?.arrayValue)
                let btc = try #require(list.first { $0["id"] == "btc-1" })
                #expect(btc["feed"]?["source"] == "binance" && btc["feed"]?["last_tick_age"]?.doubleValue != nil)
                #expect(list.first { $0["id"] == "other-1" }?["feed"] == nil)
                #expect(try await api.get("/api/instances/btc-1").json?["feed"]?["connection"] == "connected")
            }
        }

        @Test func aServerWithoutALiveFeedSaysSo() async throws {
            try await withAPI { api, _ in
                let feed = try #require(try await api.get("/api/feed").json)
                #expect(feed["source"] == "none" && feed["connection"] == "local" && feed["markets"] == [])
                #expect(!(try await api.get("/metrics").text.contains("strata_feed_")))
                #expect(try await api.send(.post, "/api/feed").status == 405)
            }
        }
    }
}
