import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import StrataEngine
import StrataHTTP
import StrataLiveFeed
import StrataNotify
import StrataPersistence
import StrataPostgres
import StrataRuntime

/// `strata serve`: the live engine over a SQLite file and a strategies folder, until Ctrl-C.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the engine and the dashboard: reconcile instances from the database, feed ticks, hot-reload strategies, serve the HTTP API.",
        discussion: """
            The dashboard and the JSON API listen on --host:--port (127.0.0.1:8080 by default); once \
            listening, a line `dashboard: http://HOST:PORT/` is written to stderr (the real port with \
            --port 0). Listening on a non-loopback address requires --token. Ctrl-C (or SIGTERM) stops \
            both cleanly; if the process has not ended --stop-timeout seconds later (a script stuck in C \
            code in this process holds the engine), its workers are killed, every instance still running \
            is written as stopped, and it exits with status 3. With --isolation none, a script stuck in C \
            code where no hook reaches ends the process the same way, with status 4 (nothing could run \
            the instances again). An empty database gets a few demo instances. Exit status: 0 stopped; \
            2 bad usage (including a port in use); 3 forced stop after --stop-timeout; 4 a script stuck \
            in this process.
            """
    )

    @Option(help: "The database: a SQLite file (created if missing; one machine) or a postgres://USER@HOST:PORT/DATABASE URL (a cluster of nodes).")
    var db = "strata.db"

    @Option(help: "This node's name in a cluster (with a postgres:// --db; default: the host name). Unique among the running nodes.")
    var node: String?

    @Option(
        name: .customLong("lease-ttl"),
        help: "Seconds a node's lease on an instance holds without renewal; a dead node's instances move within about this plus one second.")
    var leaseTTL = ClusterMembership.defaultLeaseTTL

    @Option(help: "The strategies folder.")
    var strategies = "strategies-lua"

    @Option(
        help: """
            Market data: synthetic, csv:FILE to replay bars, or binance:SYMBOLS (e.g. binance:BTCUSDT,ETHUSDT) for Binance's live \
            public trades and best bid/ask; instances' market is the symbol in upper case (BTCUSDT).
            """)
    var feed = "synthetic"

    @Option(name: .customLong("feed-url"), help: "The WebSocket base URL of a binance: feed.")
    var feedURL = BinanceFeedOptions.defaultBaseURL

    @Option(name: .customLong("feed-stale-after"), help: "Seconds without a message on a binance: market's streams before it is reported stale.")
    var feedStaleAfter = 30.0

    @Option(help: "Synthetic ticks per second per market.")
    var rate = 2.0

    @Option(help: "Replay speed factor for csv: feeds (3600: an hour of bars per second).")
    var speed = 3600.0

    @Flag(name: .customLong("no-demo"), help: "Do not create demo instances in an empty database.")
    var noDemo = false

    @Option(help: "Threads that tick instances, or with --isolation process the worker processes that run them (default: one per core).")
    var workers = ProcessInfo.processInfo.activeProcessorCount

    @Option(
        help: """
            Where scripts run: process (each instance in a confined worker process under a supervisor; a crash or \
            wedge costs only the instance that caused it) or none (in this process, for one's own trusted scripts).
            """)
    var isolation = "process"

    @Option(name: .customLong("tick-batch"), help: "The most queued ticks of one market an instance gets in one visit (1: strictly one tick per round).")
    var tickBatch = 16

    @Option(help: "The address the HTTP server listens on (a non-loopback address requires --token).")
    var host = "127.0.0.1"

    @Option(help: "The HTTP port (0: pick a free one; the dashboard line on stderr says which).")
    var port = 8080

    @Option(help: "A secret every HTTP request must carry (Authorization: Bearer TOKEN; a browser opens /?token=TOKEN once).")
    var token: String?

    @Option(help: "Serve the dashboard's files from this folder instead of the built-in copy.")
    var dashboard: String?

    @Option(
        name: .customLong("stop-timeout"),
        help: "Seconds from Ctrl-C or SIGTERM until a stop that has not finished is forced (workers killed, statuses written, exit 3).")
    var stopTimeout = 5.0

    @Option(name: .customLong("max-event-streams"), help: "The most event streams open at once (one more gets 429).")
    var maxEventStreams = 256

    @Option(name: .customLong("idle-timeout"), help: "Seconds a connection may sit without a request before it is closed.")
    var idleTimeout = 60.0

    @Option(name: .customLong("header-timeout"), help: "Seconds a client may take to send a request's head (408 past it).")
    var headerTimeout = 10.0

    @Option(name: .customLong("body-timeout"), help: "Seconds a client may take to send a request's body after its head (408 past it).")
    var bodyTimeout = 30.0

    @Option(
        name: .customLong("data-dir"),
        help: "The market data folder backtests from the API and the dashboard run on (a missing folder offers none).")
    var dataDir = "data"

    @Option(name: .customLong("research-jobs"), help: "The most backtests (and optimizations) running at once; the rest wait queued.")
    var researchJobs = 1

    @Option(
        name: .customLong("equity-interval"),
        help: "Seconds of engine time between the finest equity history points (1 to 3599; kept for 2880 points; hourly and daily points go on).")
    var equityInterval = 60

    @OptionGroup(title: "State snapshots and the tick journal")
    var persistenceOptions: PersistenceOptions

    func run() async throws {
        let httpOptions = checkedHTTPOptions()
        guard (1...256).contains(workers) else { failUsage("--workers must be between 1 and 256, got \(workers)") }
        guard isolation == "process" || isolation == "none" else { failUsage("--isolation must be process or none, got '\(isolation)'") }
        guard (1...10_000).contains(tickBatch) else { failUsage("--tick-batch must be between 1 and 10000, got \(tickBatch)") }
        guard stopTimeout >= 0.1 && stopTimeout <= 600 else { failUsage("--stop-timeout must be from 0.1 to 600 seconds, got \(stopTimeout)") }
        let equityPolicy: EquityHistoryPolicy
        do {
            equityPolicy = try EquityHistoryPolicy.standard(finestInterval: equityInterval)
        } catch {
            failUsage("--equity-interval: \(error)")
        }
        let persistence: StatePersistence
        do {
            persistence = try persistenceOptions.persistence()
        } catch {
            failUsage(error.description)
        }
        var logger = Logger(label: "strata")
        logger[metadataKey: "db"] = "\(StoreOpening.describe(db))"
        let clustered = PostgresLocation.isPostgresURL(db)
        if !clustered, node != nil { failUsage("--node needs a postgres:// --db: a SQLite file serves one machine") }
        guard leaseTTL >= 0.5 && leaseTTL <= 600 else { failUsage("--lease-ttl must be from 0.5 to 600 seconds, got \(leaseTTL)") }
        let nodeName = node ?? ProcessInfo.processInfo.hostName
        guard !nodeName.isEmpty, nodeName.count <= 100 else { failUsage("--node must be 1 to 100 characters") }
        let book = clustered ? LeaseBook() : nil
        let store: any InstanceStore
        do {
            store = try StoreOpening.open(db, fencing: book)
        } catch {
            failUsage("cannot open the database \(StoreOpening.describe(db)): \(error)")
        }
        var membership: ClusterMembership?
        if let book, let clusterStore = store as? any ClusterStore {
            if let running = try clusterStore.nodes(timeout: leaseTTL).first(where: { $0.name == nodeName && $0.alive }) {
                failUsage(
                    "node \(nodeName) is already running (heartbeat at \(running.heartbeatAt)): give this one another --node, or stop that one first")
            }
            membership = ClusterMembership(
                node: nodeName, store: clusterStore, leases: book, leaseTTL: leaseTTL, renewInterval: min(ClusterMembership.defaultRenewInterval, leaseTTL / 6))
            logger[metadataKey: "node"] = "\(nodeName)"
        }
        guard FileManager.default.fileExists(atPath: strategies) else {
            failUsage("no strategies folder at \(strategies) (give one with --strategies)")
        }
        if !noDemo, try store.instances().isEmpty {
            let ids = try DemoInstances.create(in: store)
            logger.notice("the database was empty: created demo instances", metadata: ["instances": "\(ids.joined(separator: ", "))"])
        }
        let fleet = isolation == "process" ? WorkerFleetOptions(workers: workers) : nil
        let engine = Engine(
            store: store, library: StrategyLibrary(directory: URL(fileURLWithPath: strategies), vettingWorker: fleet?.executable),
            workers: workers, tickBatch: tickBatch, isolation: fleet, persistence: persistence, cluster: membership)
        engine.equityPolicy = equityPolicy
        let watchdog = StopWatchdog(databasePath: clustered ? nil : db, timeout: stopTimeout, logger: logger)
        watchdog.installStuckHandler()
        let engineLogger = logger
        let notifier = (store as? any WebhookStore).map { Notifier(store: $0, events: engine.events, logger: logger) }
        // A PostgreSQL store pushes other processes' writes (NOTIFY): its token is only a safety net.
        let (marketFeed, feedStatus, feedClient) = makeFeed(logger: logger)
        let loop = EngineLoop(engine: engine, feed: marketFeed, storePollInterval: clustered ? 1 : 0.02) { level, line in
            switch level {
            case .info: engineLogger.info("\(line)")
            case .failure: engineLogger.error("\(line)")
            }
        }
        logger.notice("serving", metadata: ["strategies": "\(strategies)", "feed": "\(feed)", "isolation": "\(isolation)"])
        prepareResearch(store: store, clustered: clustered, logger: logger)
        let server = APIServer(engine: loop, options: httpOptions, feed: feedStatus)
        let member = membership
        let onListening: @Sendable (String) -> Void = { url in member?.address = url.hasSuffix("/") ? String(url.dropLast()) : url }
        // Services stop in reverse order: the HTTP server first, then the engine it talks to, then its
        // feed and the webhooks (which hear the engine's last events).
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: (feedClient.map { [ServiceGroupConfiguration.ServiceConfiguration(service: LiveFeedService(client: $0))] } ?? [])
                    + (notifier.map { [ServiceGroupConfiguration.ServiceConfiguration(service: NotifierService(notifier: $0))] } ?? [])
                    + [
                        .init(service: EngineService(loop: loop, watchdog: watchdog)),
                        .init(service: HTTPService(server: server, logger: logger, onListening: onListening)),
                    ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            ))
        do {
            try await group.run()
        } catch let error as HTTPListenError {
            try? store.close()
            failUsage(error.description)
        }
        // The engine saved its last statuses as they were (running); the process is ending, so
        // what runs no longer does.
        do {
            // A cluster node wrote its own instances as stopped before it left; the others run elsewhere.
            if membership == nil {
                try store.saveStatuses(StopWatchdog.stopped(try store.statuses(), at: Date()), overRunningOnly: false)
            }
        } catch {
            logger.error("could not write the instances as stopped", metadata: ["error": "\(error)"])
        }
        try store.close()
        logger.notice("stopped")
    }

    /// The HTTP options, or exit 2 naming what is wrong with them.
    private func checkedHTTPOptions() -> APIServerOptions {
        guard !host.isEmpty else { failUsage("--host must not be empty") }
        guard (0...65535).contains(port) else { failUsage("--port must be from 0 to 65535, got \(port)") }
        if let token, !APIServerOptions.isValidToken(token) {
            failUsage("--token must be 1–512 characters from A-Z a-z 0-9 - . _ ~ + / =")
        }
        if token == nil, !APIServerOptions.isLoopback(host) {
            failUsage(
                "refusing to listen on \(host) without --token: anyone who can reach it could change and activate instances. "
                    + "Give --token SECRET, or listen on 127.0.0.1")
        }
        guard (1...100_000).contains(maxEventStreams) else { failUsage("--max-event-streams must be between 1 and 100000, got \(maxEventStreams)") }
        for (flag, seconds) in [("--idle-timeout", idleTimeout), ("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout)]
        where !(seconds > 0 && seconds <= 86_400) {
            failUsage("\(flag) must be more than 0 and at most 86400 seconds, got \(seconds)")
        }
        var options = APIServerOptions(host: host, port: port, token: token)
        guard (1...64).contains(researchJobs) else { failUsage("--research-jobs must be between 1 and 64, got \(researchJobs)") }
        options.researchJobs = researchJobs
        options.dataDirectory = URL(fileURLWithPath: dataDir)
        options.maxEventStreams = maxEventStreams
        options.idleTimeout = .milliseconds(Int64(idleTimeout * 1000))
        options.headerTimeout = .milliseconds(Int64(headerTimeout * 1000))
        options.bodyTimeout = .milliseconds(Int64(bodyTimeout * 1000))
        if let dashboard {
            let folder = URL(fileURLWithPath: dashboard)
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("index.html").path) else {
                failUsage("--dashboard \(dashboard) has no index.html")
            }
            options.dashboardDirectory = folder
        }
        return options
    }

    /// Says which data backtests run on, and ends the research runs a previous server left
    /// unfinished (on one machine; a cluster's runs may be another node's, still going).
    private func prepareResearch(store: any InstanceStore, clustered: Bool, logger: Logger) {
        let folder = DataFolder(root: URL(fileURLWithPath: dataDir))
        if folder.exists {
            logger.info("backtest data", metadata: ["data_dir": "\(dataDir)", "files": "\(folder.list().count)"])
        } else {
            logger.notice("no --data-dir folder: backtests from the API have no data files", metadata: ["data_dir": "\(dataDir)"])
        }
        guard !clustered, let research = store as? any ResearchStore else { return }
        do {
            let ended = try research.failUnfinishedResearchRuns(message: ResearchRun.interruptedMessage, at: Date())
            if ended > 0 { logger.notice("research runs left unfinished by the last server were marked failed", metadata: ["runs": "\(ended)"]) }
        } catch {
            logger.error("cannot end the unfinished research runs: \(error)")
        }
    }

    /// The feed, what reports its status, and for a live feed the client that fills it.
    private func makeFeed(logger: Logger) -> (any MarketFeed, any FeedStatusSource, BinanceStreamClient?) {
        let now = Date().timeIntervalSince1970
        if feed == "synthetic" { return (SyntheticFeed(markets: [], rate: rate, start: now), LocalFeedStatus(source: "synthetic"), nil) }
        if feed.hasPrefix("binance:") {
            guard feedStaleAfter >= 1 && feedStaleAfter <= 86_400 else {
                failUsage("--feed-stale-after must be from 1 to 86400 seconds, got \(feedStaleAfter)")
            }
            do {
                var options = try BinanceFeedOptions(symbols: String(feed.dropFirst("binance:".count)), baseURL: feedURL)
                options.staleAfter = feedStaleAfter
                options.silenceLimit = max(90, feedStaleAfter * 3)
                let state = BinanceFeedState(options: options, now: now)
                return (BinanceFeed(state: state), state, BinanceStreamClient(state: state, logger: logger))
            } catch {
                failUsage("\(error)")
            }
        }
        guard feed.hasPrefix("csv:") else { failUsage("--feed must be synthetic, csv:FILE or binance:SYMBOLS, got '\(feed)'") }
        let path = String(feed.dropFirst(4))
        do {
            let bars = try BarCSVReader.read(path: path)
            let market = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            return (ReplayFeed(bars: bars, market: market, speed: speed, loops: true, start: now), LocalFeedStatus(source: "csv"), nil)
        } catch {
            failUsage("\(error)")
        }
    }
}

/// The engine loop as a service: it runs until graceful shutdown (Ctrl-C, SIGTERM), then
/// stops after its current step, saving activity and statuses (awaited, not blocking a thread).
/// The stop watchdog is armed first: a stop that never returns is forced after its timeout.
struct EngineService: Service {
    let loop: EngineLoop
    let watchdog: StopWatchdog

    func run() async throws {
        loop.start()
        try? await gracefulShutdown()
        watchdog.arm()
        await loop.stop()
        watchdog.engineDidStop()
    }
}

/// A live feed's network client as a service: it connects (and reconnects) until graceful
/// shutdown, which cancels it.
struct LiveFeedService: Service {
    let client: BinanceStreamClient

    func run() async throws {
        await cancelWhenGracefulShutdown { await client.run() }
    }
}

/// The webhooks as a service: they read the store and deliver until graceful shutdown; events
/// still waiting then are not delivered (their queues are in memory).
struct NotifierService: Service {
    let notifier: Notifier

    func run() async throws {
        let delivering = Task { await notifier.run() }
        try? await gracefulShutdown()
        delivering.cancel()
        await delivering.value
    }
}

/// The HTTP server as a service: on graceful shutdown it ends the open event streams (which
/// would otherwise hold the server open) and stops listening. Failing to listen is an
/// ``HTTPListenError``.
struct HTTPService: Service {
    let server: APIServer
    let logger: Logger
    /// Called with the server's URL once it listens.
    var onListening: @Sendable (String) -> Void = { _ in }

    func run() async throws {
        let listening = ListeningFlag()
        let options = server.options
        let logger = logger
        let app = server.makeApplication(logger: logger) { port in
            listening.set()
            let url = options.url(port: port)
            onListening(url)
            // One plain line that scripts (the browser test) read to find the port.
            FileHandle.standardError.write(Data("dashboard: \(url)\n".utf8))
            logger.notice(
                "http server listening",
                metadata: [
                    "url": "\(url)", "token": "\(options.token == nil ? "none" : "required (open /?token=TOKEN)")",
                ])
        }
        do {
            try await withGracefulShutdownHandler {
                try await app.run()
            } onGracefulShutdown: {
                server.closeEventStreams()
            }
        } catch {
            guard !listening.isSet else { throw error }
            throw HTTPListenError(host: options.host, port: options.port, underlying: error)
        }
    }
}

/// Set once the HTTP server listens.
final class ListeningFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}

/// The HTTP server could not listen (port in use, address not available).
struct HTTPListenError: Error, CustomStringConvertible {
    let host: String
    let port: Int
    let underlying: any Error

    var description: String {
        let text = String(describing: underlying)
        if text.contains("Address already in use") || text.contains("EADDRINUSE") {
            return "cannot listen on \(host):\(port): the port is in use (another strata serve?). Choose another --port, or --port 0 for a free one"
        }
        return "cannot listen on \(host):\(port): \(text)"
    }
}

/// The instances an empty database gets, so `strata serve` shows a working system at once.
enum DemoInstances {
    static let instances: [(id: String, type: String, market: String, mode: InstanceMode)] = [
        ("demo-sma-btc", "sma_cross", "BTC/USD", .observe),
        ("demo-bollinger-eth", "bollinger_reversion", "ETH/USD", .active),
        ("demo-breakout-btc", "breakout", "BTC/USD", .observe),
    ]

    /// Creates them; returns their ids. One that exists already is left as it is (two nodes of a
    /// cluster starting at once over an empty database both try).
    static func create(in store: any InstanceStore) throws -> [String] {
        for demo in instances {
            let identity = InstanceIdentity(id: demo.id, strategyType: demo.type, account: "paper", market: demo.market)
            do {
                _ = try store.createInstance(identity, mode: demo.mode, config: [:], actor: AuditActor(rawValue: "demo"))
            } catch let error as StoreError where error.code == .alreadyExists {
                continue
            }
        }
        return instances.map(\.id)
    }
}
