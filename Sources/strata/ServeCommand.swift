import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import StrataEngine
import StrataPersistence
import StrataRuntime

/// `strata serve`: the live engine over a SQLite file and a strategies folder, until Ctrl-C.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the engine: reconcile instances from the database, feed ticks, hot-reload strategies.",
        discussion: "Ctrl-C (or SIGTERM) stops it cleanly. An empty database gets a few demo instances."
    )

    @Option(help: "The SQLite database file (created if missing).")
    var db = "strata.db"

    @Option(help: "The strategies folder.")
    var strategies = "strategies-lua"

    @Option(help: "Market data: synthetic, or csv:FILE to replay bars.")
    var feed = "synthetic"

    @Option(help: "Synthetic ticks per second per market.")
    var rate = 2.0

    @Option(help: "Replay speed factor for csv: feeds (3600: an hour of bars per second).")
    var speed = 3600.0

    @Flag(name: .customLong("no-demo"), help: "Do not create demo instances in an empty database.")
    var noDemo = false

    func run() async throws {
        var logger = Logger(label: "strata")
        logger[metadataKey: "db"] = "\(db)"
        let store: SQLiteStore
        do {
            store = try SQLiteStore(path: db)
        } catch {
            failUsage("cannot open the database \(db): \(error)")
        }
        guard FileManager.default.fileExists(atPath: strategies) else {
            failUsage("no strategies folder at \(strategies) (give one with --strategies)")
        }
        if !noDemo, try store.instances().isEmpty {
            let ids = try DemoInstances.create(in: store)
            logger.notice("the database was empty: created demo instances", metadata: ["instances": "\(ids.joined(separator: ", "))"])
        }
        let engine = Engine(store: store, library: StrategyLibrary(directory: URL(fileURLWithPath: strategies)))
        let loop = EngineLoop(engine: engine, feed: try makeFeed())
        let engineLogger = logger
        loop.log = { line in engineLogger.info("\(line)") }
        logger.notice("serving", metadata: ["strategies": "\(strategies)", "feed": "\(feed)"])
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: EngineService(loop: loop))],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        try await group.run()
        try store.close()
        logger.notice("stopped")
    }

    private func makeFeed() throws -> MarketFeed {
        let now = Date().timeIntervalSince1970
        if feed == "synthetic" { return SyntheticFeed(markets: [], rate: rate, start: now) }
        guard feed.hasPrefix("csv:") else { failUsage("--feed must be synthetic or csv:FILE, got '\(feed)'") }
        let path = String(feed.dropFirst(4))
        do {
            let bars = try BarCSVReader.read(path: path)
            let market = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            return ReplayFeed(bars: bars, market: market, speed: speed, loops: true, start: now)
        } catch {
            failUsage("\(error)")
        }
    }
}

/// The engine loop as a service: it runs until graceful shutdown (Ctrl-C, SIGTERM), then
/// stops after its current step, saving activity and statuses.
struct EngineService: Service {
    let loop: EngineLoop

    func run() async throws {
        loop.start()
        try? await gracefulShutdown()
        loop.stop()
    }
}

/// The instances an empty database gets, so `strata serve` shows a working system at once.
enum DemoInstances {
    static let instances: [(id: String, type: String, market: String, mode: InstanceMode)] = [
        ("demo-sma-btc", "sma_cross", "BTC/USD", .observe),
        ("demo-bollinger-eth", "bollinger_reversion", "ETH/USD", .active),
        ("demo-breakout-btc", "breakout", "BTC/USD", .observe),
    ]

    /// Creates them; returns their ids.
    static func create(in store: SQLiteStore) throws -> [String] {
        for demo in instances {
            let identity = InstanceIdentity(id: demo.id, strategyType: demo.type, account: "paper", market: demo.market)
            _ = try store.createInstance(identity, mode: demo.mode, config: [:], actor: AuditActor(rawValue: "demo"))
        }
        return instances.map(\.id)
    }
}
