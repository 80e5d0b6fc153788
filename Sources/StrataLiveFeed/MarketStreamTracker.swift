import StrataEngine
import StrataRuntime

/// One market's streams as they arrive: orders trades by id (gaps counted, duplicates and
/// late trades dropped), keeps the best bid/ask to carry on the next tick, and watches for
/// silence. A value type without I/O: the feed's state holds one per market under its lock.
struct MarketStreamTracker {
    /// What became of a trade.
    enum TradeOutcome: Equatable {
        /// A new tick (after a jump of `missed` ids when `missed > 0`).
        case tick(Tick, missed: Int64)
        /// Its id was seen recently: dropped.
        case duplicate
        /// Its id is older than the last accepted and not seen recently: dropped.
        case outOfOrder
    }

    /// How many recent trade ids are remembered to tell a duplicate from a late trade.
    static let recentCapacity = 64
    /// After this many trades in a row are older than the last accepted, the exchange is taken
    /// to have started its ids again: the next one is accepted (and counted as a gap).
    static let resyncAfter = 50

    private(set) var health: FeedHealth.Market
    private var lastTradeID: Int64?
    private var recentIDs: [Int64] = []
    private var recentNext = 0
    private var lateInARow = 0
    private var bid: Double?
    private var ask: Double?
    private var lastQuoteUpdate: Int64?
    /// When the market's silence is measured from when no message has come yet.
    private var watchingSince: Double

    init(market: String, since: Double) {
        health = FeedHealth.Market(market: market, streams: BinanceFeedOptions.streams(of: market))
        watchingSince = since
    }

    /// Takes a trade that arrived at `now` (local time).
    mutating func accept(_ trade: BinanceMessage.Trade, at now: Double) -> TradeOutcome {
        heard(at: now)
        if let last = lastTradeID, trade.id <= last {
            if recentIDs.contains(trade.id) {
                health.duplicates += 1
                return .duplicate
            }
            lateInARow += 1
            guard lateInARow >= Self.resyncAfter else {
                health.outOfOrder += 1
                return .outOfOrder
            }
            lastTradeID = nil
        }
        var missed: Int64 = 0
        if let last = lastTradeID, trade.id > last &+ 1 {
            missed = trade.id - last - 1
            health.gaps += 1
            health.missedTrades += Int(clamping: missed)
        } else if lastTradeID == nil, lateInARow >= Self.resyncAfter {
            health.gaps += 1
        }
        lateInARow = 0
        lastTradeID = trade.id
        remember(trade.id)
        health.trades += 1
        let tick = Tick(
            market: health.market, ts: Double(trade.time) / 1000, price: trade.price, volume: trade.quantity, bid: bid, ask: ask)
        return .tick(tick, missed: missed)
    }

    /// Takes a best bid/ask: it makes no tick (it has no exchange time and no trade price) but
    /// is carried on the next one. An update older than the last one applied is ignored.
    mutating func accept(_ quote: BinanceMessage.Quote, at now: Double) {
        heard(at: now)
        if let last = lastQuoteUpdate, quote.updateID <= last { return }
        lastQuoteUpdate = quote.updateID
        bid = quote.bid
        ask = quote.ask
        health.quotes += 1
    }

    /// Records a tick handed to the engine's buffer.
    mutating func delivered(_ tick: Tick, at now: Double) {
        health.ticks += 1
        health.lastTickTime = tick.ts
        health.lastTickAt = now
    }

    /// Counts ticks of this market the buffer dropped to make room.
    mutating func overflowed(_ count: Int) {
        health.overflowDropped += count
    }

    /// Judges staleness at `now`: stale once nothing came for `staleAfter` seconds (counting
    /// from the last message, or from when watching began).
    mutating func judge(at now: Double, staleAfter: Double) {
        let stale = now - (health.lastMessageAt ?? watchingSince) >= staleAfter
        if stale, !health.stale { health.staleEpisodes += 1 }
        health.stale = stale
    }

    /// Silence is measured again from `now` (a new connection gets its full allowance).
    mutating func restartWatch(at now: Double) {
        if health.lastMessageAt == nil { watchingSince = now }
    }

    private mutating func heard(at now: Double) {
        health.lastMessageAt = now
        health.stale = false
    }

    private mutating func remember(_ id: Int64) {
        if recentIDs.count < Self.recentCapacity {
            recentIDs.append(id)
        } else {
            recentIDs[recentNext] = id
            recentNext = (recentNext + 1) % Self.recentCapacity
        }
    }
}
