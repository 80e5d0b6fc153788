import Foundation
import StrataEngine
import StrataRuntime
import Synchronization

/// The feed's state shared by its network task and the engine: the markets' trackers, the
/// bounded tick buffer and the connection's standing, behind one lock that is held only for
/// in-memory work (never across I/O), so the engine's thread never waits on the network.
public final class BinanceFeedState: FeedStatusSource {
    private struct State {
        var trackers: [MarketStreamTracker]
        var ring: TickRing
        var health: FeedHealth
        /// When the connection last delivered a frame of any kind (local time).
        var lastFrameAt: Double?
        var unserved: Set<String> = []
    }

    let options: BinanceFeedOptions
    /// Stream name (lower case) → market (upper case).
    let streams: [String: String]
    private let indexOf: [String: Int]
    private let state: Mutex<State>

    public init(options: BinanceFeedOptions, now: Double = Date().timeIntervalSince1970) {
        self.options = options
        var streams: [String: String] = [:]
        for market in options.markets {
            for stream in BinanceFeedOptions.streams(of: market) { streams[stream] = market }
        }
        self.streams = streams
        indexOf = Dictionary(uniqueKeysWithValues: options.markets.enumerated().map { ($1, $0) })
        var health = FeedHealth(source: "binance", endpoint: options.streamURL, connection: .stopped)
        health.staleAfter = options.staleAfter
        health.bufferCapacity = options.bufferCapacity
        state = Mutex(
            State(
                trackers: options.markets.map { MarketStreamTracker(market: $0, since: now) },
                ring: TickRing(capacity: options.bufferCapacity), health: health))
    }

    /// What a frame did, for the network task.
    enum FrameOutcome: Equatable {
        case accepted
        case malformed(String)
        case serverShutdown
    }

    /// Decodes a text frame outside the lock and applies it under it.
    func receive(_ text: String, at now: Double) -> FrameOutcome {
        let message: BinanceMessage
        do {
            message = try BinanceMessage.decode(text, streams: streams, maxBytes: options.maxMessageBytes)
        } catch {
            return refuse(error.description, at: now)
        }
        return state.withLock { state in
            state.lastFrameAt = now
            switch message {
            case .serverShutdown:
                return .serverShutdown
            case .quote(let quote):
                if let index = indexOf[quote.market] { state.trackers[index].accept(quote, at: now) }
            case .trade(let trade):
                guard let index = indexOf[trade.market] else { break }
                guard case .tick(let tick, _) = state.trackers[index].accept(trade, at: now) else { break }
                state.trackers[index].delivered(tick, at: now)
                if let dropped = state.ring.append(tick, at: now), let droppedIndex = indexOf[dropped.market] {
                    state.trackers[droppedIndex].overflowed(1)
                }
            }
            return .accepted
        }
    }

    /// Counts a frame refused before decoding (binary, too large) or by it.
    func refuse(_ reason: String, at now: Double) -> FrameOutcome {
        state.withLock { state in
            state.lastFrameAt = now
            state.health.malformedFrames += 1
            state.health.lastError = "malformed frame: \(reason)"
        }
        return .malformed(reason)
    }

    /// Seconds since the connection's last frame (or since it opened), and whether it has
    /// delivered any frame yet.
    func silence(at now: Double) -> (seconds: Double, anyFrame: Bool) {
        state.withLock { state in
            (now - (state.lastFrameAt ?? state.health.connectedSince ?? now), state.lastFrameAt != nil)
        }
    }

    func connecting() {
        state.withLock { $0.health.connection = .connecting }
    }

    func opened(at now: Double) {
        state.withLock { state in
            state.health.connects += 1
            state.health.reconnects = max(0, state.health.connects - 1)
            state.health.connection = .connected
            state.health.connectedSince = now
            state.health.nextAttemptAt = nil
            state.lastFrameAt = nil
            for index in state.trackers.indices { state.trackers[index].restartWatch(at: now) }
        }
    }

    func closed(reason: String, retryAt: Double) {
        state.withLock { state in
            state.health.connection = .reconnecting
            state.health.connectedSince = nil
            state.health.nextAttemptAt = retryAt
            state.health.lastError = reason
        }
    }

    func stopped() {
        state.withLock { state in
            state.health.connection = .stopped
            state.health.connectedSince = nil
            state.health.nextAttemptAt = nil
        }
    }

    /// Up to `limit` waiting ticks, oldest first (the engine's side).
    func drain(limit: Int, now: Double) -> [Tick] {
        state.withLock { state in
            for index in state.trackers.indices { state.trackers[index].judge(at: now, staleAfter: options.staleAfter) }
            return state.ring.take(limit)
        }
    }

    /// When the oldest waiting tick arrived; nil when none waits.
    var oldestArrival: Double? { state.withLock { $0.ring.oldestArrival } }

    /// Notes the markets running instances trade that this feed does not serve (shown in the status).
    func follow(markets: Set<String>) {
        let unserved = markets.filter { indexOf[$0] == nil }
        state.withLock { $0.unserved = unserved }
    }

    /// Markets instances trade that the feed does not serve, sorted.
    public var unservedMarkets: [String] { state.withLock { $0.unserved.sorted() } }

    public func feedHealth(now: Double) -> FeedHealth {
        state.withLock { state in
            for index in state.trackers.indices { state.trackers[index].judge(at: now, staleAfter: options.staleAfter) }
            var health = state.health
            health.bufferedTicks = state.ring.count
            health.markets = state.trackers.map(\.health)
            health.unservedMarkets = state.unserved.sorted()
            return health
        }
    }
}
