import Foundation

/// What `--feed binance:SYMBOLS` and its options ask for, checked: the symbols, the endpoint,
/// and the bounds the client works within.
public struct BinanceFeedOptions: Sendable, Equatable {
    /// The default endpoint (Binance's documented base for market streams).
    public static let defaultBaseURL = "wss://stream.binance.com:9443"
    /// The most symbols one feed takes: two streams each, well under Binance's 1,024 streams
    /// per connection, and a URL of a few kilobytes.
    public static let maxSymbols = 100
    /// The longest symbol accepted (Binance's are 5 to about 20 characters).
    public static let maxSymbolLength = 20

    /// The markets, upper case, in the order given (`BTCUSDT`): what instances' `market` must say.
    public let markets: [String]
    /// `ws://` or `wss://` host, port and optional path prefix, without a trailing slash.
    public let baseURL: String
    /// Seconds without a message on a market's streams after which it is stale.
    public var staleAfter: Double = 30
    /// Seconds without any frame on the connection after which it is taken for dead and opened
    /// again (Binance's pings are answered by the client itself and do not count).
    public var silenceLimit: Double = 90
    /// Seconds a new connection may take to open (TCP, TLS and the WebSocket upgrade), and then
    /// to deliver its first frame, before it is given up and opened again. Binance answers and
    /// streams at once; a server that never answers the upgrade, or a WebSocket client that lost
    /// what arrived while it switched from HTTP to WebSocket (the frames, and even the server's
    /// close), would otherwise hold the feed: this bounds that wait well below ``silenceLimit``.
    public var firstFrameLimit: Double = 10
    /// The most ticks waiting for the engine; past it the oldest are dropped and counted.
    public var bufferCapacity = 10_000
    /// The first reconnect delay, in seconds; it doubles per failed attempt up to ``backoffCap``.
    public var backoffInitial: Double = 0.5
    /// The longest reconnect delay, in seconds.
    public var backoffCap: Double = 30
    /// Seconds a connection that delivered market data must have lasted for the backoff to
    /// start over: a server that accepts, sends a frame and drops the connection at once still
    /// meets a growing delay (Binance bans addresses that open over 300 connections in 5 minutes).
    public var stableAfter: Double = 10
    /// Messages larger than this are refused as malformed without being parsed.
    public var maxMessageBytes = 64 << 10
    /// Frames larger than this close the connection (it is opened again): the memory bound per frame.
    public var maxFrameBytes = 2 << 20

    /// Checks a symbol list (`BTCUSDT,ethusdt`) and a base URL.
    /// - Throws: ``BinanceFeedOptionsError`` naming the bad symbol or URL and what is accepted.
    public init(symbols: String, baseURL: String = Self.defaultBaseURL) throws {
        let parts = symbols.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !symbols.isEmpty, !parts.isEmpty else { throw BinanceFeedOptionsError("binance: needs symbols, e.g. binance:BTCUSDT,ETHUSDT") }
        var markets: [String] = []
        for part in parts {
            guard !part.isEmpty, part.utf8.count <= Self.maxSymbolLength,
                part.unicodeScalars.allSatisfy({ $0.isASCII && CharacterSet.alphanumerics.contains($0) })
            else {
                throw BinanceFeedOptionsError(
                    "binance: symbol '\(part.prefix(40))' is not 1 to \(Self.maxSymbolLength) ASCII letters and digits (e.g. BTCUSDT)")
            }
            let market = part.uppercased()
            if !markets.contains(market) { markets.append(market) }
        }
        guard markets.count <= Self.maxSymbols else {
            throw BinanceFeedOptionsError("binance: at most \(Self.maxSymbols) symbols per feed, got \(markets.count)")
        }
        self.markets = markets
        self.baseURL = try Self.checkedBase(baseURL)
    }

    /// Parses a `--feed` value `binance:SYMBOLS`; nil when it names another feed.
    public static func parse(feed: String, baseURL: String = defaultBaseURL) throws -> BinanceFeedOptions? {
        guard feed.hasPrefix("binance:") else { return nil }
        return try BinanceFeedOptions(symbols: String(feed.dropFirst("binance:".count)), baseURL: baseURL)
    }

    /// The stream names of a market: its trades and its best bid/ask, lower case as Binance wants.
    public static func streams(of market: String) -> [String] {
        let symbol = market.lowercased()
        return ["\(symbol)@trade", "\(symbol)@bookTicker"]
    }

    /// The combined-stream URL: `/stream?streams=btcusdt@trade/btcusdt@bookTicker/…`.
    public var streamURL: String {
        "\(baseURL)/stream?streams=" + markets.flatMap(Self.streams(of:)).joined(separator: "/")
    }

    private static func checkedBase(_ text: String) throws -> String {
        var base = text
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), scheme == "ws" || scheme == "wss",
            let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil, url.user == nil, base.utf8.count <= 512
        else {
            throw BinanceFeedOptionsError(
                "--feed-url must be ws://HOST[:PORT][/PATH] or wss://… without a query (default \(defaultBaseURL)), got '\(text.prefix(100))'")
        }
        return base
    }
}

/// A `--feed binance:…` or `--feed-url` value that cannot be used; the message says why and what is accepted.
public struct BinanceFeedOptionsError: Error, CustomStringConvertible, Equatable {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
