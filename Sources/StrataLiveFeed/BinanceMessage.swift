import Foundation

/// One frame of Binance's combined stream, decoded and checked: a trade, a best bid/ask, or the
/// server's notice that it is shutting down. Anything else is a ``BinanceFrameError``.
///
/// Formats (web-socket-streams.md): every frame is `{"stream": NAME, "data": PAYLOAD}`; a trade
/// is `{"e":"trade","E":…,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","T":…,"m":true,"M":true}`
/// (prices and quantities are strings, times milliseconds); a book ticker is
/// `{"u":400900217,"s":"BNBUSDT","b":"25.35","B":"31.21","a":"25.36","A":"40.66"}` (no time).
enum BinanceMessage: Equatable {
    case trade(Trade)
    case quote(Quote)
    /// `!serverShutdown`: the server is about to close the connection.
    case serverShutdown

    struct Trade: Equatable {
        var market: String
        var id: Int64
        var price: Double
        var quantity: Double
        /// The trade time, milliseconds since 1970.
        var time: Int64
    }

    struct Quote: Equatable {
        var market: String
        var updateID: Int64
        var bid: Double
        var ask: Double
    }

    /// The earliest and latest trade times accepted (2010 to 2100, in milliseconds): a time
    /// outside them is a malformed frame, not a tick from another century.
    static let timeRange: ClosedRange<Int64> = 1_262_304_000_000...4_102_444_800_000

    /// Decodes `text` as a frame of one of `markets` (by stream name, lower case).
    /// - Throws: ``BinanceFrameError`` saying what is wrong with it.
    static func decode(_ text: String, streams: [String: String], maxBytes: Int) throws(BinanceFrameError) -> BinanceMessage {
        guard text.utf8.count <= maxBytes else { throw BinanceFrameError("frame of \(text.utf8.count) bytes (the limit is \(maxBytes))") }
        guard Self.nestingDepth(text, limit: maxDepth) <= maxDepth else {
            throw BinanceFrameError("JSON nested deeper than \(maxDepth) levels")
        }
        let envelope: Envelope
        do {
            envelope = try JSONDecoder().decode(Envelope.self, from: Data(text.utf8))
        } catch let error as BinanceFrameError {
            throw error
        } catch {
            throw BinanceFrameError("not a combined-stream frame: \(Self.describe(error))")
        }
        return try envelope.message(streams: streams)
    }

    /// The deepest nesting any frame of these formats needs, with room to spare.
    static let maxDepth = 8

    /// How deep arrays and objects nest in `text` (outside strings), counting no further than
    /// one past `limit`: one pass, no recursion, whatever the input.
    static func nestingDepth(_ text: String, limit: Int) -> Int {
        var depth = 0
        var deepest = 0
        var inString = false
        var escaped = false
        for byte in text.utf8 {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = max(deepest, depth)
                if deepest > limit { return deepest }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.keyNotFound(_, let context), DecodingError.dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "\(path): ") + context.debugDescription.prefix(120)
        default: return String(describing: error).prefix(120).description
        }
    }
}

/// Why a frame was refused.
struct BinanceFrameError: Error, Equatable, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// `{"stream": …, "data": …}` with `data` decoded by the stream's kind.
private struct Envelope: Decodable {
    enum Payload {
        case trade(TradePayload)
        case quote(QuotePayload)
        case shutdown
        case unknown
    }

    let stream: String
    let payload: Payload

    enum CodingKeys: String, CodingKey { case stream, data }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        stream = try container.decode(String.self, forKey: .stream)
        if stream.hasSuffix("@trade") {
            payload = .trade(try container.decode(TradePayload.self, forKey: .data))
        } else if stream.hasSuffix("@bookTicker") {
            payload = .quote(try container.decode(QuotePayload.self, forKey: .data))
        } else if stream == "!serverShutdown" {
            payload = .shutdown
        } else {
            payload = .unknown
        }
    }

    func message(streams: [String: String]) throws(BinanceFrameError) -> BinanceMessage {
        if case .shutdown = payload { return .serverShutdown }
        guard let market = streams[stream] else { throw BinanceFrameError("unknown stream '\(stream.prefix(60))'") }
        switch payload {
        case .trade(let trade):
            guard trade.event == "trade" else { throw BinanceFrameError("\(market): event '\(trade.event.prefix(30))' on a trade stream") }
            guard trade.symbol == market else { throw BinanceFrameError("\(market): trade of symbol '\(trade.symbol.prefix(30))'") }
            guard trade.id >= 0 else { throw BinanceFrameError("\(market): negative trade id \(trade.id)") }
            guard BinanceMessage.timeRange.contains(trade.time) else { throw BinanceFrameError("\(market): trade time \(trade.time) ms is not 2010–2100") }
            let price = try Self.number(trade.price, "price", market, allowZero: false)
            let quantity = try Self.number(trade.quantity, "quantity", market, allowZero: true)
            return .trade(.init(market: market, id: trade.id, price: price, quantity: quantity, time: trade.time))
        case .quote(let quote):
            guard quote.symbol == market else { throw BinanceFrameError("\(market): quote of symbol '\(quote.symbol.prefix(30))'") }
            let bid = try Self.number(quote.bid, "bid", market, allowZero: false)
            let ask = try Self.number(quote.ask, "ask", market, allowZero: false)
            guard bid <= ask else { throw BinanceFrameError("\(market): crossed quote (bid \(bid) above ask \(ask))") }
            return .quote(.init(market: market, updateID: quote.updateID, bid: bid, ask: ask))
        case .shutdown, .unknown:
            throw BinanceFrameError("\(market): stream '\(stream.prefix(60))' is not one this feed reads")
        }
    }

    /// A decimal string as Binance sends prices and quantities (`"0.00100000"`): digits with one
    /// point at most, below 1e15; no sign, exponent, NaN or infinity.
    private static func number(_ text: String, _ field: String, _ market: String, allowZero: Bool) throws(BinanceFrameError) -> Double {
        let plain = text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E } && text.utf8.count(where: { $0 == 0x2E }) <= 1
        guard plain, text.utf8.count <= 40, let value = Double(text), value.isFinite, value < 1e15, allowZero ? value >= 0 : value > 0 else {
            throw BinanceFrameError("\(market): \(field) '\(text.prefix(40))' is not a \(allowZero ? "non-negative" : "positive") decimal below 1e15")
        }
        return value
    }
}

private struct TradePayload: Decodable {
    let event: String
    let symbol: String
    let id: Int64
    let price: String
    let quantity: String
    let time: Int64

    enum CodingKeys: String, CodingKey {
        case event = "e"
        case symbol = "s"
        case id = "t"
        case price = "p"
        case quantity = "q"
        case time = "T"
    }
}

private struct QuotePayload: Decodable {
    let updateID: Int64
    let symbol: String
    let bid: String
    let ask: String

    enum CodingKeys: String, CodingKey {
        case updateID = "u"
        case symbol = "s"
        case bid = "b"
        case ask = "a"
    }
}
