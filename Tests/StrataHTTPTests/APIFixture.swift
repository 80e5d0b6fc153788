import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import StrataEngine
import StrataHTTP
import StrataPersistence
import StrataRuntime
import Testing

/// A real engine behind the real server: a temporary SQLite file, a strategies folder with the
/// ``TestStrategies``, an engine loop fed by a fast synthetic feed, and an ``APIServer`` over it
/// with a small dashboard folder of its own.
final class APIFixture: @unchecked Sendable {
    let folder: URL
    let store: SQLiteStore
    let loop: EngineLoop
    let server: APIServer
    let token: String?

    static let logger: Logger = {
        var logger = Logger(label: "strata-http-tests")
        logger.logLevel = .warning
        return logger
    }()

    init(
        token: String? = nil, host: String = "127.0.0.1", keepAlive: Duration = .seconds(15), maxBodyBytes: Int = 1 << 20,
        dashboard: URL? = nil, persistence: StatePersistence = StatePersistence(), feed: (any FeedStatusSource)? = nil,
        tune: (inout APIServerOptions) -> Void = { _ in }
    ) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-http-\(UUID().uuidString)")
        let strategies = folder.appendingPathComponent("strategies")
        try FileManager.default.createDirectory(at: strategies, withIntermediateDirectories: true)
        try TestStrategies.widgets.write(to: strategies.appendingPathComponent("widgets.lua"), atomically: true, encoding: .utf8)
        try TestStrategies.brokenRender.write(to: strategies.appendingPathComponent("broken_render.lua"), atomically: true, encoding: .utf8)
        try TestStrategies.syntaxError.write(to: strategies.appendingPathComponent("syntax_error.lua"), atomically: true, encoding: .utf8)
        try TestStrategies.picky.write(to: strategies.appendingPathComponent("picky.lua"), atomically: true, encoding: .utf8)
        let dashboardFolder = try dashboard ?? Self.makeDashboard(in: folder)
        let chartJS = folder.appendingPathComponent("chartjs")
        try FileManager.default.createDirectory(at: chartJS, withIntermediateDirectories: true)
        try "export const Chart = 1;".write(to: chartJS.appendingPathComponent("chart.mjs"), atomically: true, encoding: .utf8)

        store = try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
        var limits = StrategyLimits()
        limits.tickDeadline = .seconds(10)
        limits.loadDeadline = .seconds(20)
        let engine = Engine(
            store: store, library: StrategyLibrary(directory: strategies, limits: limits), limits: limits, persistence: persistence)
        // 20 ticks a second keep a few dozen parallel fixtures light on a small machine.
        loop = EngineLoop(engine: engine, feed: SyntheticFeed(markets: [], rate: 20, start: Date().timeIntervalSince1970))
        self.token = token
        var options = APIServerOptions(
            host: host, port: 0, token: token, dashboardDirectory: dashboardFolder, chartJSDirectory: chartJS,
            maxBodyBytes: maxBodyBytes, keepAliveInterval: keepAlive)
        tune(&options)
        if let feed {
            server = APIServer(engine: loop, options: options, feed: feed)
        } else {
            server = APIServer(engine: loop, options: options)
        }
        loop.start()
    }

    /// Waits (without blocking a thread) for the loop's first reconcile, which publishes the catalog.
    func ready() async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while loop.catalog.entries["widgets"]?.version == nil, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// index.html, a module, a stylesheet, an image, a nested module, and a symbolic link that
    /// points outside the folder (which must never be followed).
    static func makeDashboard(in folder: URL) throws -> URL {
        let dashboard = folder.appendingPathComponent("dashboard")
        try FileManager.default.createDirectory(at: dashboard.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let files = [
            "index.html": "<!doctype html><title>Strata</title><script type=module src=/app.js></script>",
            "app.js": "import './sub/part.mjs';", "sub/part.mjs": "export {};", "style.css": "body{}",
            "icon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        ]
        for (name, text) in files {
            try text.write(to: dashboard.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: dashboard.appendingPathComponent("pixel.png"))
        try "top secret".write(to: folder.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: dashboard.appendingPathComponent("leak"), withDestinationURL: folder)
        return dashboard
    }

    private let lock = NSLock()
    private var engineStopped = false

    /// Stops the engine loop (once; the server keeps answering from the store).
    func stopEngine() async {
        let first = lock.withLock {
            defer { engineStopped = true }
            return !engineStopped
        }
        guard first else { return }
        await loop.stop()
    }

    func stop() async {
        server.closeEventStreams()
        await stopEngine()
        await Self.offPool {
            try? self.store.close()
            try? FileManager.default.removeItem(at: self.folder)
        }
    }

    static func offPool(_ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                body()
                continuation.resume()
            }
        }
    }

    /// Creates an instance through the store (as the CLI would), bypassing the API.
    @discardableResult
    func seed(
        _ id: String, type: String = "widgets", market: String = "X/USD", account: String = "paper",
        mode: InstanceMode = .off, config: [String: JSONValue] = [:]
    ) throws -> InstanceRecord {
        try store.createInstance(
            InstanceIdentity(id: id, strategyType: type, account: account, market: market),
            mode: mode, config: config, actor: .cli)
    }
}

/// Runs `body` against the real router (or a live server) over a fresh ``APIFixture``.
func withAPI(
    token: String? = nil, _ setup: TestingSetup = .router, keepAlive: Duration = .seconds(15), maxBodyBytes: Int = 1 << 20,
    dashboard: URL? = nil, persistence: StatePersistence = StatePersistence(), feed: (any FeedStatusSource)? = nil,
    tune: (inout APIServerOptions) -> Void = { _ in },
    _ body: @Sendable (APIClient, APIFixture) async throws -> Void
) async throws {
    let fixture = try APIFixture(
        token: token, keepAlive: keepAlive, maxBodyBytes: maxBodyBytes, dashboard: dashboard, persistence: persistence, feed: feed, tune: tune)
    do {
        try await fixture.ready()
        let app = fixture.server.makeApplication(logger: APIFixture.logger)
        try await app.test(setup) { client in
            // A live server waits for open requests when it stops: end the streams first.
            defer { fixture.server.closeEventStreams() }
            try await body(APIClient(client: client, token: token), fixture)
        }
    } catch {
        await fixture.stop()
        throw error
    }
    await fixture.stop()
}

/// Polls `condition` every 20 ms until it holds; records an issue after `timeout`.
@discardableResult
func eventually(
    _ description: String, timeout: Duration = .seconds(15), sourceLocation: SourceLocation = #_sourceLocation,
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("timed out waiting for \(description)", sourceLocation: sourceLocation)
    return false
}
