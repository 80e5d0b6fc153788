import Foundation
import Logging
import Synchronization
import WSClient

/// The network side of the Binance feed: opens the combined stream, hands every text frame to
/// ``BinanceFeedState``, and when the connection ends (an error, Binance's 24-hour cut, a
/// `serverShutdown` notice, or silence past ``BinanceFeedOptions/silenceLimit``, or past
/// ``BinanceFeedOptions/firstFrameLimit`` before the first frame) opens it again
/// after an exponential backoff with jitter. Subscribing is the URL itself, so every new
/// connection resubscribes. Pings are answered by WSClient with pongs echoing their payload.
///
/// It runs on its own task and NIO's threads; the engine only ever touches the state's lock.
///
/// ```swift
/// let client = BinanceStreamClient(state: state, logger: logger)
/// let task = Task { await client.run() }   // until cancelled
/// ```
public struct BinanceStreamClient: Sendable {
    public let state: BinanceFeedState
    let logger: Logger
    /// How often the silence watch looks at the connection.
    var watchInterval: Duration = .milliseconds(250)
    /// The most malformed frames logged per connection (the rest are only counted).
    static let loggedMalformedPerConnection = 20

    public init(state: BinanceFeedState, logger: Logger) {
        self.state = state
        self.logger = logger
    }

    /// Connects and reconnects until the task is cancelled. The backoff starts over after a
    /// connection that delivered market data for at least ``BinanceFeedOptions/stableAfter`` seconds.
    public func run() async {
        var backoff = ReconnectBackoff(initial: state.options.backoffInitial, cap: state.options.backoffCap)
        while !Task.isCancelled {
            state.connecting()
            let started = Date().timeIntervalSince1970
            let ending = await connectOnce()
            if Task.isCancelled { break }
            if ending.deliveredData, Date().timeIntervalSince1970 - started >= state.options.stableAfter { backoff.reset() }
            let delay = ending.immediate ? 0 : backoff.nextDelay()
            let retryAt = Date().timeIntervalSince1970 + delay
            state.closed(reason: ending.reason, retryAt: retryAt)
            logger.warning(
                "binance feed: connection ended; reconnecting",
                metadata: ["reason": "\(ending.reason)", "retry_in_seconds": "\(String(format: "%.2f", delay))"])
            do {
                try await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
            } catch {
                break
            }
        }
        state.stopped()
    }

    /// How one connection ended.
    struct Ending {
        var reason: String
        /// Whether it delivered any market data (then the backoff starts over).
        var deliveredData = false
        /// Reconnect at once (the server announced its shutdown).
        var immediate = false
    }

    /// One connection, from the TCP connect to its end. Until it opens (TCP, TLS and the HTTP
    /// upgrade) it is watched from here: WSClient bounds the TCP connect only, and a server that
    /// never answers the upgrade would hold it for ever. Past the first-frame limit the attempt
    /// is given up without waiting for it (it cannot be interrupted); if it opens later, its
    /// handler closes it at once.
    private func connectOnce() async -> Ending {
        let outcome = ConnectionOutcome()
        let attempt = Task { await open(outcome) }
        let limit = min(state.options.silenceLimit, state.options.firstFrameLimit)
        let started = ContinuousClock.now
        let first = FirstEnding()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                first.set(continuation)
                Task { first.resume(await attempt.value) }
                // Watches until the connection opens (its handler watches it then) or ends.
                Task {
                    while !outcome.isOpen, !first.isDone {
                        if ContinuousClock.now - started >= .seconds(limit), outcome.abandon() {
                            attempt.cancel()
                            logger.warning("binance feed: a connection did not open in time; given up", metadata: ["seconds": "\(limit)"])
                            first.resume(Ending(reason: "the connection did not open within \(limit.formatted()) s: given up"))
                            return
                        }
                        try? await Task.sleep(for: watchInterval)
                    }
                }
            }
        } onCancel: {
            attempt.cancel()
            first.resume(Ending(reason: "stopped"))
        }
    }

    private func open(_ outcome: ConnectionOutcome) async -> Ending {
        let options = state.options
        var configuration = WebSocketClientConfiguration(maxFrameSize: options.maxFrameBytes, closeTimeout: .seconds(2))
        configuration.validateUTF8 = true
        do {
            let close = try await WebSocketClient.connect(url: options.streamURL, configuration: configuration, logger: logger) {
                inbound, _, _ in
                // Given up while it was opening: close it at once.
                guard outcome.markOpen() else { return }
                try await handle(inbound, outcome: outcome)
            }
            let said = outcome.ending
            if let said { return said }
            return Ending(reason: "closed by the server (\(close.map { "\($0.closeCode)" } ?? "no close frame"))", deliveredData: outcome.delivered)
        } catch {
            return outcome.ending ?? Ending(reason: "\(error)".prefix(300).description, deliveredData: outcome.delivered)
        }
    }

    /// Reads messages until the connection ends, watching for silence beside it.
    private func handle(_ inbound: WebSocketInboundStream, outcome: ConnectionOutcome) async throws {
        let options = state.options
        state.opened(at: Date().timeIntervalSince1970)
        logger.info("binance feed: connected", metadata: ["url": "\(options.streamURL)"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while true {
                    try await Task.sleep(for: watchInterval)
                    let silence = state.silence(at: Date().timeIntervalSince1970)
                    if silence.anyFrame, silence.seconds >= options.silenceLimit {
                        outcome.end(Ending(reason: "no frame for \(Int(silence.seconds)) s: taken for dead"))
                        return
                    }
                    if !silence.anyFrame, silence.seconds >= min(options.silenceLimit, options.firstFrameLimit) {
                        outcome.end(Ending(reason: "no frame in the first \(Int(silence.seconds)) s after opening: taken for dead"))
                        return
                    }
                }
            }
            group.addTask {
                var logged = 0
                for try await message in inbound.messages(maxSize: options.maxFrameBytes) {
                    let now = Date().timeIntervalSince1970
                    let result: BinanceFeedState.FrameOutcome
                    switch message {
                    case .text(let text): result = state.receive(text, at: now)
                    case .binary(let bytes): result = state.refuse("a binary frame of \(bytes.readableBytes) bytes", at: now)
                    }
                    switch result {
                    case .accepted:
                        outcome.delivered = true
                    case .malformed(let reason):
                        if logged < Self.loggedMalformedPerConnection {
                            logged += 1
                            logger.warning("binance feed: malformed frame skipped", metadata: ["reason": "\(reason)"])
                        }
                    case .serverShutdown:
                        outcome.end(Ending(reason: "the server announced its shutdown", immediate: true))
                        return
                    }
                }
            }
            // The first to finish (silence, shutdown notice, or the stream's end) ends both.
            try await group.next()
            group.cancelAll()
        }
    }
}
