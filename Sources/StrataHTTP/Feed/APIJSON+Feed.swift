import Foundation
import StrataEngine
import StrataRuntime

extension APIJSON {
    /// `FeedStatus`: the whole feed.
    static func feed(_ health: FeedHealth, now: Double) -> JSONValue {
        .object([
            "source": .string(health.source),
            "endpoint": optional(health.endpoint, JSONValue.string),
            "connection": .string(health.connection.rawValue),
            "stale_after_seconds": optional(health.staleAfter, number),
            "connects": .integer(Int64(health.connects)),
            "reconnects": .integer(Int64(health.reconnects)),
            "malformed_frames": .integer(Int64(health.malformedFrames)),
            "buffered_ticks": .integer(Int64(health.bufferedTicks)),
            "buffer_capacity": .integer(Int64(health.bufferCapacity)),
            "last_error": optional(health.lastError, JSONValue.string),
            "connected_since": optional(health.connectedSince) { time(seconds: $0) },
            "next_attempt_at": optional(health.nextAttemptAt) { time(seconds: $0) },
            "markets": .array(health.markets.map { feedMarket($0, now: now) }),
            "unserved_markets": .array(health.unservedMarkets.map(JSONValue.string)),
        ])
    }

    /// `FeedMarket`: one market's counters.
    static func feedMarket(_ market: FeedHealth.Market, now: Double) -> JSONValue {
        .object([
            "market": .string(market.market),
            "streams": .array(market.streams.map(JSONValue.string)),
            "ticks": .integer(Int64(market.ticks)),
            "trades": .integer(Int64(market.trades)),
            "quotes": .integer(Int64(market.quotes)),
            "gaps": .integer(Int64(market.gaps)),
            "missed_trades": .integer(Int64(market.missedTrades)),
            "duplicates": .integer(Int64(market.duplicates)),
            "out_of_order": .integer(Int64(market.outOfOrder)),
            "overflow_dropped": .integer(Int64(market.overflowDropped)),
            "stale": .bool(market.stale),
            "stale_episodes": .integer(Int64(market.staleEpisodes)),
            "last_message_at": optional(market.lastMessageAt) { time(seconds: $0) },
            "last_tick_time": optional(market.lastTickTime) { time(seconds: $0) },
            "last_tick_age": optional(market.lastTickAt) { number(max(0, now - $0)) },
        ])
    }

    /// `InstanceFeed`: what an instance's JSON says of the live feed of its market; nil when no
    /// live feed serves that market (synthetic and CSV feeds cannot go stale).
    static func instanceFeed(_ health: FeedHealth?, market: String, now: Double) -> JSONValue? {
        guard let health, health.connection != .local, let served = health.market(market) else { return nil }
        return .object([
            "source": .string(health.source),
            "connection": .string(health.connection.rawValue),
            "stale": .bool(served.stale),
            "last_tick_age": optional(served.lastTickAt) { number(max(0, now - $0)) },
        ])
    }

    /// `object` with `feed` added when there is one.
    static func adding(feed: JSONValue?, to object: JSONValue) -> JSONValue {
        guard let feed, case .object(var fields) = object else { return object }
        fields["feed"] = feed
        return .object(fields)
    }
}
