import ArgumentParser
import Foundation
import StrataEngine
import StrataPersistence
import StrataRuntime

/// `strata serve`: the live engine over a SQLite file and a strategies folder, until Ctrl-C.
struct ServeCommand: ParsableCommand {
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

    func run() throws {
        let store: SQLiteStore
        do {
            store = try SQLiteStore(path: db)
        } catch {
            failUsage("cannot open the database \(db): \(error)")
        }
        guard FileManager.default.fileExists(atPath: strategies) else {
            failUsage("no strategies folder at \(strategies) (give one with --strategies)")
        }
        if !noDemo, try store.instances().isEmpty { try DemoInstances.create(in: store) }
        let engine = Engine(store: store, library: StrategyLibrary(directory: URL(fileURLWithPath: strategies)))
        let loop = EngineLoop(engine: engine, feed: try makeFeed())
        loop.log = { line in FileHandle.standardError.write(Data("strata: \(line)\n".utf8)) }
        FileHandle.standardError.write(Data("strata: serving \(db) with strategies from \(strategies) (Ctrl-C stops)\n".utf8))
        loop.start()
        ShutdownSignals.wait()
        FileHandle.standardError.write(Data("strata: stopping\n".utf8))
        loop.stop()
        try store.close()
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

/// Blocks until SIGINT or SIGTERM arrives.
enum ShutdownSignals {
    static func wait() {
        let received = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for signo in [SIGINT, SIGTERM] {
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: .global())
            source.setEventHandler { received.signal() }
            source.resume()
            sources.append(source)
        }
        received.wait()
        sources.forEach { $0.cancel() }
    }
}

/// The instances an empty database gets, so `strata serve` shows a working system at once.
enum DemoInstances {
    static let instances: [(id: String, type: String, market: String, mode: InstanceMode)] = [
        ("demo-sma-btc", "sma_cross", "BTC/USD", .observe),
        ("demo-bollinger-eth", "bollinger_reversion", "ETH/USD", .active),
        ("demo-breakout-btc", "breakout", "BTC/USD", .observe),
    ]

    static func create(in store: SQLiteStore) throws {
        for demo in instances {
            let identity = InstanceIdentity(id: demo.id, strategyType: demo.type, account: "paper", market: demo.market)
            _ = try store.createInstance(identity, mode: demo.mode, config: [:], actor: AuditActor(rawValue: "demo"))
        }
        FileHandle.standardError.write(Data("strata: the database was empty: created \(instances.count) demo instances (\(instances.map(\.id).joined(separator: ", ")))\n".utf8))
    }
}
