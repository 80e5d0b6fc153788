/// What a market feed says about itself: where its data comes from, whether it is connected,
/// and per market how much arrived, what was dropped and whether the stream has gone quiet.
/// Read by `GET /api/feed`, `/metrics` and each instance's JSON.
public struct FeedHealth: Sendable, Equatable {
    /// Where a live feed's connection stands.
    public enum Connection: String, Sendable, CaseIterable {
        /// Opening the connection (or subscribing); no data yet.
        case connecting
        /// Open and subscribed: data flows.
        case connected
        /// Closed; the next attempt waits out its backoff.
        case reconnecting
        /// Not running (never started, or stopped).
        case stopped
        /// Not a network feed (synthetic, CSV replay): it cannot disconnect.
        case local
    }

    /// One market the feed serves.
    public struct Market: Sendable, Equatable {
        /// The instances' `market` this feed fills (`BTCUSDT`).
        public var market: String
        /// The exchange's streams for it (`btcusdt@trade`, `btcusdt@bookTicker`).
        public var streams: [String]
        /// Ticks handed to the engine's buffer.
        public var ticks: Int = 0
        /// Trades accepted (each makes one tick).
        public var trades: Int = 0
        /// Best bid/ask updates accepted (carried on the next tick).
        public var quotes: Int = 0
        /// Times the trade ids jumped forward by more than one.
        public var gaps: Int = 0
        /// Trade ids skipped by those jumps, in all.
        public var missedTrades: Int = 0
        /// Trades seen a second time (same id): dropped.
        public var duplicates: Int = 0
        /// Trades older than the last one accepted: dropped.
        public var outOfOrder: Int = 0
        /// Ticks dropped because the engine's buffer was full (the oldest go first).
        public var overflowDropped: Int = 0
        /// When the last message of any of its streams arrived (local Unix seconds).
        public var lastMessageAt: Double?
        /// The exchange time of the last tick (Unix seconds).
        public var lastTickTime: Double?
        /// When the last tick arrived (local Unix seconds).
        public var lastTickAt: Double?
        /// Whether no message arrived on its streams for `staleAfter` seconds while connected
        /// (or since the feed started).
        public var stale: Bool = false
        /// Times the market went stale.
        public var staleEpisodes: Int = 0

        public init(market: String, streams: [String]) {
            self.market = market
            self.streams = streams
        }
    }

    /// The feed's kind: `binance`, `synthetic`, `csv`, or `none`.
    public var source: String
    /// Where it connects (`wss://stream.binance.com:9443/stream?streams=…`); nil for local feeds.
    public var endpoint: String?
    public var connection: Connection
    /// Seconds without a message after which a market is stale.
    public var staleAfter: Double?
    /// Connections opened, the first included.
    public var connects: Int = 0
    /// Connections that ended and were opened again.
    public var reconnects: Int = 0
    /// Frames that were not a message the feed understands (bad JSON, wrong types, out of
    /// range, unknown stream, too large): counted, logged and skipped.
    public var malformedFrames: Int = 0
    /// Ticks waiting for the engine now.
    public var bufferedTicks: Int = 0
    /// The most ticks the buffer holds.
    public var bufferCapacity: Int = 0
    /// Why the last connection ended or the last frame was refused.
    public var lastError: String?
    /// When the current connection opened (local Unix seconds).
    public var connectedSince: Double?
    /// When the next connection attempt is due while reconnecting.
    public var nextAttemptAt: Double?
    /// The markets, in the order the feed was given them.
    public var markets: [Market]
    /// Markets running instances trade that this feed does not serve (they get no ticks).
    public var unservedMarkets: [String] = []

    public init(source: String, endpoint: String? = nil, connection: Connection, markets: [Market] = []) {
        self.source = source
        self.endpoint = endpoint
        self.connection = connection
        self.markets = markets
    }

    /// The market's entry, if this feed serves it.
    public func market(_ name: String) -> Market? {
        markets.first { $0.market == name }
    }
}

/// Anything that can say how a feed is doing, from any thread, without waiting on the network.
public protocol FeedStatusSource: Sendable {
    /// The feed's state at `now` (local Unix seconds; staleness is judged against it).
    func feedHealth(now: Double) -> FeedHealth
}

/// The status of a feed that has no connection to lose: synthetic walks, CSV replays.
public struct LocalFeedStatus: FeedStatusSource {
    /// `synthetic`, `csv` or `none`.
    public let source: String

    public init(source: String) {
        self.source = source
    }

    public func feedHealth(now: Double) -> FeedHealth {
        FeedHealth(source: source, connection: .local)
    }
}
