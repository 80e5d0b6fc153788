import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing

/// A local WebSocket server that plays scripted frames, standing in for Binance: each
/// connection it accepts plays the next script in its list (the last one again when they run
/// out), and it records the path each connection asked for (so resubscribing shows).
final class FrameServer: Sendable {
    /// What one connection does, step by step.
    enum Step: Sendable {
        /// Sends a text frame.
        case text(String)
        /// Sends a binary frame.
        case binary([UInt8])
        /// Waits.
        case pause(Duration)
        /// Ends the connection (a close frame, as Binance does after 24 hours).
        case close
        /// Drops the TCP connection without a close frame.
        case drop
    }

    private struct Shared {
        var connections = 0
        var paths: [String] = []
    }

    let scripts: [[Step]]
    private let shared = Mutex(Shared())
    private let group: ServiceGroup
    /// The port it listens on (loopback).
    let port: Int

    /// Starts listening on an ephemeral loopback port; `pingEvery` makes the server ping the
    /// client and close the connection if a pong with the ping's payload does not come back.
    init(scripts: [[Step]], pingEvery: Duration? = nil) async throws {
        self.scripts = scripts
        let portBox = PortBox()
        let configuration = WebSocketServerConfiguration(
            maxFrameSize: 4 << 20, autoPing: pingEvery.map { .enabled(timePeriod: $0) } ?? .disabled, closeTimeout: .seconds(1))
        var logger = Logger(label: "frame-server")
        logger.logLevel = .error
        let box = ServerBox()
        let app = Application(
            router: Router(),
            server: .http1WebSocketUpgrade(configuration: .init(ws: configuration)) { request, channel, _ in
                let script = box.server?.begin(path: request.path ?? "") ?? []
                return .upgrade([:]) { inbound, outbound, _ in
                    try await Self.play(script, inbound: inbound, outbound: outbound, channel: channel)
                }
            },
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portBox.port = channel.localAddress?.port },
            logger: logger
        )
        group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let group = group
        Task { try await group.run() }
        // Generous: in the whole suite two cores run many servers and processes at once.
        let deadline = ContinuousClock.now + .seconds(60)
        while portBox.port == nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        port = try #require(portBox.port, "the frame server did not start")
        box.server = self
    }

    /// The base URL to give the feed.
    var baseURL: String { "ws://127.0.0.1:\(port)" }
    /// Connections accepted so far.
    var connections: Int { shared.withLock { $0.connections } }
    /// The path (with query) of each connection, in order.
    var paths: [String] { shared.withLock { $0.paths } }

    func stop() async {
        await group.triggerGracefulShutdown()
    }

    private func begin(path: String) -> [Step] {
        shared.withLock { shared in
            shared.paths.append(path)
            shared.connections += 1
            return scripts.isEmpty ? [] : scripts[min(shared.connections - 1, scripts.count - 1)]
        }
    }

    private static func play(_ script: [Step], inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, channel: any Channel)
        async throws
    {
        try await withThrowingTaskGroup(of: Void.self) { group in
            // Read all along, so pongs and closes are handled while the script pauses.
            group.addTask { for try await _ in inbound {} }
            // As over a network, the first frame comes a moment after the 101: a client may lose
            // what arrives while it switches to WebSocket (the feed's first-frame limit is the
            // cure; these tests count connections exactly, so they keep clear of that race).
            try await Task.sleep(for: .milliseconds(30))
            for step in script {
                switch step {
                case .text(let text): try await outbound.write(.text(text))
                case .binary(let bytes): try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
                case .pause(let duration): try await Task.sleep(for: duration)
                case .close:
                    group.cancelAll()
                    return
                case .drop:
                    group.cancelAll()
                    try await channel.close()
                    return
                }
            }
            // Stay open until the client goes.
            try await group.next()
        }
    }

    /// The frames of a fixture file, one per line.
    static func fixture(_ name: String) throws -> [Step] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "jsonl"), "no fixture \(name)")
        return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map { .text(String($0)) }
    }
}

/// The port the server bound, set once it listens.
private final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var _port: Int?
    var port: Int? {
        get { lock.withLock { _port } }
        set { lock.withLock { _port = newValue } }
    }
}

/// Lets the upgrade closure reach the server created after it.
private final class ServerBox: @unchecked Sendable {
    private let lock = NSLock()
    private weak var _server: FrameServer?
    var server: FrameServer? {
        get { lock.withLock { _server } }
        set { lock.withLock { _server = newValue } }
    }
}
