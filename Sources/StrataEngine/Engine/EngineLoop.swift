import Dispatch
import Foundation
import StrataRuntime
import Synchronization

/// The sole owner of an ``Engine``: an actor whose executor is the engine's own thread
/// (``EngineThreadExecutor``), so the engine and its Lua states are reachable only from code
/// isolated to it — the loop itself and ``perform(_:)`` — and the compiler checks that. Other
/// threads read ``catalog``, ``health``, ``store`` and ``events``.
///
/// The loop reconciles when the store's change token moves (writes from this process wake it
/// at once; other processes' writes are seen by polling the token every `storePollInterval`)
/// and every `resyncInterval` anyway, feeds due ticks, writes activity, and saves statuses once
/// a second. Between those moments it sleeps: a job, a file save, a store write or a stop
/// wakes it.
public actor EngineLoop {
    /// How a line of the loop's log should be shown.
    public enum LogLevel: Sendable {
        /// Reconcile actions and other routine lines.
        case info
        /// An engine failure (also counted in ``health``).
        case failure
    }

    /// Where the loop is in its life.
    enum Lifecycle: Sendable {
        case notStarted, running, stopping, stopped
    }

    /// What other threads read, behind one lock.
    private struct Shared: Sendable {
        var lifecycle = Lifecycle.notStarted
        var catalog = StrategyCatalog()
        var watch: StrategyFolderWatch?
        var observation: StoreObservation?
        /// When the last step ended (the engine's heartbeat).
        var lastStepEnd = Date().timeIntervalSince1970
    }

    /// A running engine that has not ended a step for this long is stalled (see ``stalledFor``).
    public static let stallAfter: Double = 5

    /// How long the engine has gone without ending a step, when that is past ``stallAfter``
    /// while it runs: its instances are not ticking whatever their stored status says (a
    /// script stuck in C code in-process, or a store that does not answer). Nil otherwise.
    public nonisolated var stalledFor: Double? {
        shared.withLock { shared in
            guard shared.lifecycle == .running else { return nil }
            let gap = Date().timeIntervalSince1970 - shared.lastStepEnd
            return gap > Self.stallAfter ? gap : nil
        }
    }

    private let engine: Engine
    private var feed: any MarketFeed
    private var schedule: LoopSchedule
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []
    /// When this node last renewed its leases (cluster only).
    private var lastLeaseRenewal = Date().timeIntervalSince1970
    /// The feed time the ticks handed over so far reach (nil before the first step).
    private var feedReached: Double?
    /// How much feed time the next step may take in while the engine is behind its feed.
    private var feedSpan = stepBudget
    /// About how long one step's ticks may take. An engine that cannot keep up with its feed
    /// falls behind it, by steps of about this length, instead of taking all that came due
    /// during a long step into the next, longer one: its lease rounds, status saves and jobs
    /// still come round several times a second.
    static let stepBudget: Double = 0.25
    /// The engine's store (thread-safe).
    public nonisolated let store: InstanceStore
    /// The engine's live events (thread-safe).
    public nonisolated let events: EventHub
    /// This node's place in a cluster (nil: one machine).
    public nonisolated let cluster: ClusterMembership?
    private nonisolated let counters: EngineCounters
    private nonisolated let executor: EngineThreadExecutor
    private nonisolated let shared: Mutex<Shared>
    private nonisolated let strategiesPath: String
    /// The strategies folder the engine loads from.
    public nonisolated var strategiesDirectory: String { strategiesPath }
    /// Called on the engine thread with each line to log (reconcile actions, failures).
    private nonisolated let log: @Sendable (LogLevel, String) -> Void

    /// Whether the caller runs on the engine's thread.
    nonisolated var onEngineThread: Bool { executor.isCurrent }

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    /// Takes `engine` and `feed` over: from now on they are reached through the loop only.
    /// - Parameters:
    ///   - storePollInterval: how often the store's change token is read to notice writes by
    ///     other processes (a CLI, a SQL shell): one primary-key read, so 20 ms costs about
    ///     0.05% of a core and bounds their delay to it. This process's writes wake the loop at once.
    ///   - resyncInterval: how often the whole desired state is reconciled anyway.
    ///   - log: called on the engine's thread with each line to log; set once, here.
    public init(
        engine: sending Engine, feed: sending any MarketFeed, storePollInterval: TimeInterval = 0.02, resyncInterval: TimeInterval = 2,
        log: @escaping @Sendable (LogLevel, String) -> Void = { _, _ in }
    ) {
        store = engine.store
        events = engine.events
        cluster = engine.cluster
        counters = engine.counters
        strategiesPath = engine.library.directory.path
        executor = EngineThreadExecutor(name: "strata-engine")
        schedule = LoopSchedule(storePollInterval: storePollInterval, resyncInterval: resyncInterval, statusInterval: 1, debounce: 0.02)
        schedule.snapshotInterval = engine.persistence.snapshots ? engine.persistence.snapshotInterval.seconds : 0
        schedule.leaseInterval = engine.cluster?.renewInterval ?? 0
        self.log = log
        // Known before the first step: the server may take requests before that.
        shared = Mutex(Shared(catalog: engine.scanStrategies()))
        self.engine = engine
        self.feed = feed
    }

    deinit {
        shared.withLock { $0.watch?.stop() }
        executor.shutdown()
    }

    /// The strategy types as of the last reconcile, or of the folder's scan when the loop was
    /// made (any thread).
    public nonisolated var catalog: StrategyCatalog { shared.withLock { $0.catalog } }

    /// The engine's failure counts and standing problems (any thread).
    public nonisolated var health: EngineHealth { counters.health }

    /// Runs `body` with the engine on the engine's thread, between two steps of the loop. The
    /// engine cannot leave `body`: the closure is `@Sendable` and its result must be `Sendable`.
    /// - Throws: ``EngineLoopError/notRunning`` when the loop is not running, or what `body` throws.
    public func perform<T: Sendable>(_ body: @Sendable (Engine) throws -> T) async throws -> T {
        guard shared.withLock({ $0.lifecycle }) == .running else { throw EngineLoopError.notRunning }
        return try body(engine)
    }

    /// Starts the loop on the engine's thread, and a watch on the strategies folder. Jobs are
    /// accepted from now on. Starting twice does nothing.
    public nonisolated func start() {
        let executor = executor
        let counters = counters
        let started = shared.withLock { shared in
            guard shared.lifecycle == .notStarted else { return false }
            shared.lifecycle = .running
            shared.watch = StrategyFolderWatch(
                directory: strategiesPath, onSave: { executor.ring(.fileSaved) },
                onFailure: { counters.set(.fileWatch, $0) })
            return true
        }
        guard started else { return }
        let observation = store.observeDesiredState { executor.ring(.storeChanged) }
        shared.withLock { $0.observation = observation }
        Task { await self.run() }
    }

    /// Asks the loop to stop after its current step and returns once it has written its activity
    /// and statuses (at once if it never started). Waiting does not block a thread.
    public func stop() async {
        let wasRunning = shared.withLock { shared -> Bool? in
            switch shared.lifecycle {
            case .notStarted:
                shared.lifecycle = .stopped
                return nil
            case .stopped: return nil
            case .running:
                shared.lifecycle = .stopping
                return true
            case .stopping: return false
            }
        }
        guard let wasRunning else { return }
        if wasRunning { executor.ring(.stop) }
        await withCheckedContinuation { stopWaiters.append($0) }
    }

    private func run() async {
        while true {
            step(now: Date().timeIntervalSince1970)
            if shared.withLock({ $0.lifecycle }) != .running { break }
            let wait = schedule.nextDue(feedDue: feed.nextDue()) - Date().timeIntervalSince1970
            let deadline = wait <= 0 ? DispatchTime.now() : DispatchTime.now() + min(wait, 3600)
            let reasons = await executor.park(until: deadline)
            schedule.woken(reasons, at: Date().timeIntervalSince1970)
        }
        finish()
    }

    /// One turn: reconcile if due, hand due ticks over, write activity, save statuses if due.
    private func step(now: Double) {
        if schedule.takeLeaseRound(at: now) { leaseRound(now: now) }
        let reloadDue = schedule.takeReload(at: now)
        if reloadDue || schedule.storeCheckDue(at: now) {
            do {
                let current = try store.changeToken()
                schedule.checkedStore(at: now)
                if reloadDue || current != schedule.token || schedule.resyncDue(at: now) {
                    // Recorded first: a reconcile that fails is retried at the next resync or
                    // change, not at every step.
                    schedule.reconciled(at: now, token: current)
                    for action in try engine.reconcile() { log(.info, "reconcile: \(action.summary)") }
                    let catalog = engine.library.catalog
                    shared.withLock { $0.catalog = catalog }
                    feed.follow(markets: engine.runningMarkets, from: now)
                }
            } catch {
                counters.record(.reconcile, "\(error)")
            }
        }
        let ticks = feed.ticks(until: feedTime(now: now))
        let processing = ContinuousClock.now
        engine.process(ticks)
        adjustFeedSpan(took: ContinuousClock.now - processing)
        do {
            try engine.flushActivity()
        } catch {
            counters.record(.activityWrite, "\(error)")
        }
        engine.recordEquity()
        if schedule.takeStatusSave(at: now) { engine.saveStatusesInBackground() }
        if schedule.takeSnapshotRound(at: now) { engine.saveSnapshots(reason: .periodic, background: true) }
        if schedule.takePrune(at: now) { engine.pruneJournalInBackground() }
        logFailures()
        shared.withLock { $0.lastStepEnd = Date().timeIntervalSince1970 }
    }

    /// How far the feed may go in this step: up to `now`, or ``feedSpan`` past the first tick
    /// still due when the engine is behind.
    private func feedTime(now: Double) -> Double {
        let from = max(feedReached ?? now, feed.nextDue() ?? now)
        let until = min(now, from + feedSpan)
        feedReached = until
        return until
    }

    /// Shrinks the feed span after a step whose ticks took longer than ``stepBudget`` (in
    /// proportion), and lets it grow back, up to that budget, after quicker ones.
    private func adjustFeedSpan(took duration: Duration) {
        let seconds = duration.seconds
        if seconds > Self.stepBudget {
            feedSpan = max(0.001, feedSpan * Self.stepBudget / seconds)
        } else {
            feedSpan = min(Self.stepBudget, feedSpan * 2)
        }
    }

    /// A cluster node's lease round; a node that could not renew for a whole lease stops its
    /// instances (other nodes may have taken them: it must not act for them any more).
    private func leaseRound(now: Double) {
        guard let cluster = engine.cluster else { return }
        do {
            let round = try engine.leaseRound()
            lastLeaseRenewal = now
            if round.changed {
                schedule.requestResync()
                log(
                    .info,
                    "cluster: node \(cluster.node) gained \(round.gained.count), lost \(round.lost.count), handed over \(round.released.count) "
                        + "(live nodes: \(round.liveNodes.joined(separator: ", ")))")
            }
        } catch {
            counters.record(.cluster, "lease round: \(error)")
            if now - lastLeaseRenewal > cluster.leaseTTL, engine.dropAllLeases() {
                counters.record(.cluster, "leases not renewed for \(cluster.leaseTTL) s: this node stopped its instances")
                schedule.requestResync()
            }
        }
    }

    /// After the last step: writes what is left, then lets the waiting ``stop()`` calls return.
    private func finish() {
        shared.withLock { shared in
            shared.lifecycle = .stopped
            shared.watch?.stop()
            shared.watch = nil
            shared.observation = nil
        }
        // Saved before the workers go: a restart continues from here, with nothing to catch up.
        engine.saveSnapshots(reason: .stop)
        do {
            try engine.flushActivity()
        } catch {
            counters.record(.activityWrite, "\(error)")
        }
        engine.waitForStatusWrites()
        engine.flushEquity()
        do {
            try engine.saveStatuses()
        } catch {
            counters.record(.statusWrite, "\(error)")
        }
        engine.stopWorkers()
        engine.leaveCluster()
        logFailures()
        for waiter in stopWaiters { waiter.resume() }
        stopWaiters = []
    }

    private func logFailures() {
        for line in counters.drainUnlogged() { log(.failure, "engine: \(line)") }
    }
}

/// Why ``EngineLoop/perform(_:)`` could not run a job.
public enum EngineLoopError: Error, Sendable, CustomStringConvertible {
    /// The loop is not running (not started yet, or stopping).
    case notRunning

    public var description: String { "the engine is not running" }
}
