import Foundation
import StrataRuntime

/// The thread that drives an `Engine`: reconciles when the store's change token moves (writes
/// from this process, the CLI or a SQL shell) and every `resyncInterval` anyway, feeds due
/// ticks, and saves statuses once a second. The engine's Lua states are touched by this thread
/// only; other threads reach the engine through ``perform(_:)``, and read ``catalog``, ``store``
/// and ``events``.
public final class EngineLoop: @unchecked Sendable {
    public let engine: Engine
    /// The engine's store (thread-safe).
    public let store: InstanceStore
    /// The engine's live events (thread-safe).
    public let events: EventHub
    private var feed: MarketFeed
    private let pollInterval: TimeInterval
    private let resyncInterval: TimeInterval
    private let lock = NSLock()
    private var stopping = false
    private var running = false
    private var jobs: [(Engine) -> Void] = []
    private var publishedCatalog = StrategyCatalog()
    private let watcher: DirectoryWatcher?
    /// How long saves must be quiet before a reload (editors write in several steps).
    private let debounce: TimeInterval = 0.02
    private let finished = DispatchSemaphore(value: 0)
    /// Called on the loop's thread with a line to log (reconcile actions, errors).
    public var log: @Sendable (String) -> Void = { _ in }

    public init(engine: Engine, feed: MarketFeed, pollInterval: TimeInterval = 0.005, resyncInterval: TimeInterval = 2) {
        self.engine = engine
        self.store = engine.store
        self.events = engine.events
        self.feed = feed
        self.pollInterval = pollInterval
        self.resyncInterval = resyncInterval
        self.watcher = DirectoryWatcher(directory: engine.library.directory.path)
    }

    /// The strategy types as of the last reconcile (any thread).
    public var catalog: StrategyCatalog { lock.withLock { publishedCatalog } }

    /// Runs `body` on the loop's thread between two steps (where the engine and its Lua states
    /// may be touched) and returns its result.
    /// - Throws: ``EngineLoopError/notRunning`` when the loop is not running, or what `body` throws.
    public func perform<T: Sendable>(_ body: @escaping @Sendable (Engine) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let accepted = lock.withLock {
                guard running, !stopping else { return false }
                jobs.append { engine in continuation.resume(with: Result { try body(engine) }) }
                return true
            }
            if !accepted { continuation.resume(throwing: EngineLoopError.notRunning) }
        }
    }

    private func runJobs() {
        let due = lock.withLock {
            defer { jobs.removeAll() }
            return jobs
        }
        for job in due { job(engine) }
    }

    /// Starts the loop on its own thread (8 MiB of stack: Lua's C recursion limit needs room).
    public func start() {
        lock.withLock { running = true }
        let thread = Thread { [self] in run() }
        thread.stackSize = 8 << 20
        thread.name = "strata-engine"
        thread.start()
    }

    /// Asks the loop to stop after its current step and waits until it has saved its statuses.
    public func stop() {
        lock.withLock { stopping = true }
        finished.wait()
    }

    private var isStopping: Bool { lock.withLock { stopping } }

    private func run() {
        var token: StoreChangeToken?
        var lastResync = 0.0
        var lastSave = 0.0
        var savedAt: Double?
        while !isStopping {
            let now = Date().timeIntervalSince1970
            do {
                if watcher?.drain() == true { savedAt = now }
                var reloadDue = false
                if let saved = savedAt, now - saved >= debounce {
                    savedAt = nil
                    reloadDue = true
                }
                let current = try engine.store.changeToken()
                if reloadDue || current != token || now - lastResync >= resyncInterval {
                    token = current
                    lastResync = now
                    for action in try engine.reconcile() { log("reconcile: \(action.summary)") }
                    let catalog = engine.library.catalog
                    lock.withLock { publishedCatalog = catalog }
                    feed.follow(markets: Set(engine.runtimes.values.map(\.identity.market)), from: now)
                }
                runJobs()
                engine.process(feed.ticks(until: now))
                try engine.flushActivity()
                if now - lastSave >= 1 {
                    lastSave = now
                    engine.saveStatusesInBackground()
                }
            } catch {
                log("engine: \(error)")
            }
            Thread.sleep(forTimeInterval: pollInterval)
        }
        lock.withLock { running = false }
        runJobs()
        try? engine.flushActivity()
        engine.waitForStatusWrites()
        try? engine.saveStatuses()
        finished.signal()
    }
}

/// Why ``EngineLoop/perform(_:)`` could not run a job.
public enum EngineLoopError: Error, Sendable, CustomStringConvertible {
    /// The loop is not running (not started yet, or stopping).
    case notRunning

    public var description: String { "the engine is not running" }
}

extension ReconcileAction {
    /// One line for the log.
    public var summary: String {
        switch self {
        case .load(let record, let version): return "load \(record.id) (\(record.strategyType) \(version.prefix(8)), \(record.mode.rawValue))"
        case .unload(let id): return "unload \(id)"
        case .setMode(let id, let mode): return "mode \(id) → \(mode.rawValue)"
        case .reconfigure(let id, _): return "config \(id)"
        case .reload(let id, let version): return "reload \(id) → \(version.prefix(8))"
        }
    }
}
