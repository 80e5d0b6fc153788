import Foundation
import Logging
import StrataEngine
import Testing

@testable import StrataLiveFeed

/// A Binance feed (state and network client) pointed at a ``FrameServer``, running until the
/// test's body returns.
func withFeed(
    _ server: FrameServer, symbols: String = "BTCUSDT,ETHUSDT", tune: (inout BinanceFeedOptions) -> Void = { _ in },
    _ body: (BinanceFeedState) async throws -> Void
) async throws {
    try await withFeed(url: server.baseURL, symbols: symbols, tune: tune, stop: { await server.stop() }, body)
}

/// The same against any endpoint; `stop` ends the server after the feed has stopped.
func withFeed(
    url: String, symbols: String, tune: (inout BinanceFeedOptions) -> Void = { _ in }, stop: () async -> Void,
    _ body: (BinanceFeedState) async throws -> Void
) async throws {
    var options = try BinanceFeedOptions(symbols: symbols, baseURL: url)
    options.backoffInitial = 0.05
    options.backoffCap = 0.2
    options.firstFrameLimit = 2
    tune(&options)
    let state = BinanceFeedState(options: options)
    var logger = Logger(label: "binance-feed-test")
    logger.logLevel = .critical
    let client = BinanceStreamClient(state: state, logger: logger)
    let task = Task { await client.run() }
    do {
        try await body(state)
    } catch {
        task.cancel()
        await task.value
        await stop()
        throw error
    }
    task.cancel()
    await task.value
    await stop()
    #expect(state.feedHealth(now: Date().timeIntervalSince1970).connection == .stopped)
}

/// Waits (up to `timeout`) until `condition` holds of the feed's health; returns the last health seen.
@discardableResult
func eventually(
    _ state: BinanceFeedState, timeout: Duration = .seconds(30), _ condition: (FeedHealth) -> Bool
) async throws -> FeedHealth {
    let deadline = ContinuousClock.now + timeout
    var health = state.feedHealth(now: Date().timeIntervalSince1970)
    while !condition(health), ContinuousClock.now < deadline {
        try await Task.sleep(for: .milliseconds(20))
        health = state.feedHealth(now: Date().timeIntervalSince1970)
    }
    return health
}

extension FeedHealth {
    subscript(market: String) -> Market {
        self.market(market) ?? Market(market: "missing \(market)", streams: [])
    }
}

/// A trade frame of Binance's combined stream.
func tradeFrame(_ symbol: String = "BTCUSDT", id: Int, price: String = "65000.0", time: Int64 = 1_718_000_700_000) -> FrameServer.Step {
    .text(
        #"{"stream":"\#(symbol.lowercased())@trade","data":{"e":"trade","E":\#(time),"s":"\#(symbol)","t":\#(id),"p":"\#(price)","q":"0.1","T":\#(time),"m":true,"M":true}}"#
    )
}

/// Waits (up to `timeout`) until `condition` holds.
func eventuallyTrue(timeout: Duration = .seconds(30), _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
}
