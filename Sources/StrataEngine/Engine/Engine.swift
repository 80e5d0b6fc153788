import Foundation
import LuaBridge
import StrataRuntime

/// The live engine: keeps the running instances aligned with the store's desired state and
/// routes ticks to them. It is not `Sendable`: one thread owns it — in `strata serve` the
/// ``EngineLoop`` actor's, whose executor is the engine's thread; during a tick round the
/// ``TickScheduler`` lends each worker thread its share of the Lua states, and takes them back
/// before the call returns. Errors are data: an instance that fails goes to status `error` and
/// the rest go on.
public final class Engine {
    public let store: InstanceStore
    public let library: StrategyLibrary
    public let broker: PaperBroker
    public let limits: StrategyLimits
    /// Status changes, orders, signals and log lines, for live views.
    public let events: EventHub
    /// Failures that are not one instance's fault (status and activity writes, the strategies
    /// folder, the watchdog): counted and kept for the loop's log and `/metrics`.
    public let counters: EngineCounters
    /// What the engine holds for each instance it loaded, failed ones included: one record each.
    var instances: [String: RunningInstance] = [:]
    private let scheduler: TickScheduler
    /// What instances call: the paper broker behind a lock (workers trade concurrently).
    let sharedBroker: SharedBroker
    /// Writes the periodic statuses (and snapshots) off the engine's thread, in order.
    let statusWriter = DispatchQueue(label: "strata-status-writer")
    /// Snapshots and the tick journal.
    public let persistence: StatePersistence
    /// Where the journal and the snapshots stand.
    var cursor = PersistenceCursor()
    /// The shadows running beside their instances, by instance id.
    var shadows: [String: RunningShadow] = [:]
    /// State changes not written yet (see ``stage(_:)``).
    private var pendingStatuses: [String: InstanceStatus] = [:]
    /// The last price of each market (for the PnL in statuses).
    var lastPrices: [String: Double] = [:]
    /// Strategy types whose current version is not in the store yet.
    private var unrecordedVersions: Set<String> = []
    /// What `flushActivity` has written, and whether the broker was restored from the store.
    var activity = ActivityCursors()
    /// The worker processes that run the instances (`--isolation process`); nil: they run here.
    let fleet: WorkerFleet?
    /// Worker crashes by version: backoff and quarantine.
    var crashLedger = CrashLedger()
    /// This node's place in a cluster (nil: one machine, every instance is this engine's).
    public let cluster: ClusterMembership?
    /// The leases this node holds, between rounds (cluster only).
    var leaseKeeper = LeaseKeeperState()
    /// What the risk gate was last given, and where its day marks stand.
    var risk = RiskCursor()
    /// What the paper broker was last given of each account (base cash, resets).
    var accounts = AccountCursor()
    /// Each owned instance's mode at the last reconcile (nil before the first), to see changes.
    var desiredModes: [String: InstanceMode]?
    /// Where the equity history stands (see ``recordEquity()``).
    var equity = EquityCursor()
    /// Writes the equity history off the engine's thread.
    let equityWriter = EquityWriter()

    /// - Parameters:
    ///   - workers: threads that tick instances (the engine's own included); default one per core.
    ///   - tickBatch: the most ticks of one market an instance gets in one visit (see ``process(_:)``).
    ///   - broker: the paper broker; the default keeps a bounded number of closed trades per
    ///     instance in memory (the store keeps every order and fill).
    ///   - isolation: run the instances in worker processes (nil: in this process, on
    ///     `workers` threads).
    ///   - persistence: state snapshots and the tick journal.
    public init(
        store: InstanceStore, library: StrategyLibrary, broker: PaperBroker = PaperBroker(settings: .live), limits: StrategyLimits = .standard,
        events: EventHub = EventHub(), workers: Int = ProcessInfo.processInfo.activeProcessorCount, tickBatch: Int = 1,
        counters: EngineCounters = EngineCounters(), isolation: WorkerFleetOptions? = nil, persistence: StatePersistence = StatePersistence(),
        cluster: ClusterMembership? = nil
    ) {
        self.cluster = cluster
        if let cluster { broker.orderIDPrefix = cluster.node + "." }
        self.persistence = persistence
        self.store = store
        self.counters = counters
        self.scheduler = TickScheduler(workers: isolation == nil ? workers : 1, batch: tickBatch)
        let sharedBroker = SharedBroker(broker)
        self.sharedBroker = sharedBroker
        self.fleet = isolation.map { WorkerFleet(options: $0, limits: limits, broker: sharedBroker) }
        self.events = events
        self.library = library
        self.broker = broker
        self.limits = limits
        fleet?.resume = { [weak self] identity in self?.resumePoint(for: identity) }
    }

    /// Scans the strategies folder, as each reconcile does first, without loading anything, and
    /// stores the versions that became current: a server knows its strategy types, and their
    /// versions are in the store, before its first reconcile (an instance created at once is
    /// checked against them). A version whose write fails is written by the next reconcile.
    @discardableResult
    public func scanStrategies() -> StrategyCatalog {
        refreshLibrary()
        do {
            try recordNewVersions()
        } catch {
            counters.record(.reconcile, "recording strategy versions: \(error)")
        }
        return library.catalog
    }

    /// Rescans the strategies folder; the versions that became current wait to be written.
    private func refreshLibrary() {
        unrecordedVersions.formUnion(library.refresh())
        counters.set(.strategiesFolder, library.folderProblem)
    }

    /// Writes the versions that became current since the last write (a resync every 2 s writes
    /// nothing); one whose write failed is tried again next time.
    private func recordNewVersions() throws {
        for type in unrecordedVersions.sorted() {
            if let script = library.current[type] {
                _ = try store.recordVersion(StrategyVersion(strategyType: type, hash: script.version, source: script.source))
            }
            unrecordedVersions.remove(type)
        }
    }

    /// Reads the whole desired state and applies what the reconciler plans.
    /// - Returns: the actions applied.
    @discardableResult
    public func reconcile() throws -> [ReconcileAction] {
        let desired = owned(try store.instances())
        // Read before anything loads: an instance never ticks without its limits.
        let riskSettings = try store.riskSettings()
        let accountRecords = try store.accounts()
        publishModeChanges(desired)
        learnIdentities(desired)
        try restoreBrokerIfNeeded(instances: desired, accounts: accountRecords)
        applyAccounts(accountRecords)
        refreshLibrary()
        try recordNewVersions()
        retryCrashedInstances(now: Date().timeIntervalSince1970)
        let actions = Reconciler.plan(desired: desired, running: snapshots, versions: library.versions)
        var remoteLoads: [(InstanceRecord, StrategyScript)] = []
        for action in actions {
            if fleet != nil, case .load(let record, let version) = action {
                guard let script = library.current[record.strategyType], script.version == version else { continue }
                remoteLoads.append((record, script))
            } else {
                apply(action)
            }
        }
        if !remoteLoads.isEmpty { loadRemote(remoteLoads) }
        takeFleetOutcome()
        applyRisk(riskSettings)
        do {
            try reconcileShadows()
        } catch {
            counters.record(.reconcile, "shadows: \(error)")
        }
        flushSnapshots()
        if !actions.isEmpty { indexByMarket() }
        // The watchdog starts with the first watched call on a thread (a load just made one).
        counters.set(.watchdog, LuaWatchdog.startFailure)
        try flushStatuses()
        return actions
    }

    /// The runtime of an instance running in this process.
    public func runtime(_ id: String) -> StrategyInstance? {
        instances[id]?.slot?.local
    }

    /// The runtimes running in this process, by instance id (a view built on each call).
    public var runtimes: [String: StrategyInstance] {
        instances.compactMapValues(\.slot?.local)
    }

    /// The script version a running instance runs (wherever it runs).
    public func runningVersion(_ id: String) -> String? {
        instances[id]?.runtime?.scriptVersion
    }

    /// Worker processes alive (0 without process isolation).
    public var liveWorkers: Int { fleet?.liveWorkers ?? 0 }

    /// The markets of the running instances.
    public var runningMarkets: Set<String> {
        Set(instances.values.lazy.compactMap { $0.runtime?.identity.market })
    }

    /// The number of running instances.
    public var runningCount: Int {
        instances.values.reduce(0) { $0 + ($1.slot == nil ? 0 : 1) }
    }

    /// What the engine holds for each instance, failed ones included (the reconciler's input;
    /// a view built on each call).
    public var snapshots: [String: RuntimeSnapshot] {
        instances.mapValues(\.snapshot)
    }

    /// The number of threads that tick instances.
    public var workers: Int { scheduler.pool.size }

    /// The most ticks of one market an instance gets in one visit.
    public var tickBatch: Int { scheduler.batch }

    /// Hands a tick to every running instance of its market.
    public func tick(_ tick: Tick) {
        process([tick])
    }

    /// Hands ticks to the running instances of their markets, in order per market: in rounds
    /// of at most `tickBatch` ticks per market, each round spread over the worker threads.
    /// Resting orders meet a round's prices before its instances run (with a batch above 1, an
    /// instance can see a fill from a tick it has not been handed yet). Instances that fail in a
    /// round are failed before the next.
    public func process(_ ticks: [Tick]) {
        for round in TickScheduler.rounds(number(ticks), batch: scheduler.batch) {
            for tick in round {
                broker.marketMoved(tick)
                lastPrices[tick.market] = tick.price
            }
            let failed = scheduler.run(round)
            tickShadows(round)
            for slot in failed {
                if let error = slot.failure { fail(slot.id, error) }
            }
            if !failed.isEmpty { indexByMarket() }
            if let fleet {
                cursor.roundStart = round.first?.seq ?? .max
                take(fleet.run(round))
                cursor.roundStart = .max
            }
            for tick in round where tick.seq != 0 { cursor.seqByMarket[tick.market] = tick.seq }
        }
        if let last = ticks.last { markRiskDays(at: last.ts) }
        advanceEngineTime(ticks)
        do {
            try flushStatuses()
        } catch {
            counters.record(.statusWrite, "\(error)")
        }
    }

    /// Writes every running instance's counters (ticks, memory, PnL, latency) to the store, in
    /// one transaction, and publishes them to live views that listen for statuses.
    public func saveStatuses() throws {
        refreshRemoteStats()
        let statuses = runningStatuses()
        try store.saveStatuses(statuses, overRunningOnly: false)
        events.publishStatuses(statuses)
    }

    /// Like ``saveStatuses()``, but the write happens on a background queue (the loop's periodic
    /// save: with 10,000 instances the write takes long enough to delay ticks). The snapshot is
    /// taken now; a state change written meanwhile is not undone (see
    /// ``InstanceStore/saveStatuses(_:overRunningOnly:)``). Writes happen one at a time, in order.
    public func saveStatusesInBackground() {
        refreshRemoteStats()
        let statuses = runningStatuses()
        let store = store
        let events = events
        let counters = counters
        statusWriter.async {
            do {
                try store.saveStatuses(statuses, overRunningOnly: true)
                events.publishStatuses(statuses)
            } catch {
                // Counted and logged; the next periodic save writes them again.
                counters.record(.statusWrite, "\(error)")
            }
        }
    }

    /// Waits until the background status writes queued so far are done.
    public func waitForStatusWrites() {
        statusWriter.sync {}
    }

    private func runningStatuses() -> [InstanceStatus] {
        instances.compactMap { id, instance in instance.runtime.map { status(of: id, $0, state: .running) } }
    }

    /// Keeps a state change (running, stopped, error) for ``flushStatuses()``: a reconcile that
    /// loads 10,000 instances writes their statuses in one transaction, not 10,000.
    func stage(_ status: InstanceStatus) {
        pendingStatuses[status.instanceID] = status
    }

    /// Writes the staged state changes and publishes them. On failure they stay staged and the
    /// next call writes them.
    private func flushStatuses() throws {
        guard !pendingStatuses.isEmpty else { return }
        let statuses = Array(pendingStatuses.values)
        try store.saveStatuses(statuses, overRunningOnly: false)
        pendingStatuses = [:]
        events.publishStatuses(statuses)
    }

    // MARK: Applying actions

    private func apply(_ action: ReconcileAction) {
        switch action {
        case .load(let record, let version):
            guard let script = library.current[record.strategyType], script.version == version else { return }
            let snapshot = RuntimeSnapshot(identity: record.identity, mode: record.mode, config: record.config, version: version)
            let runtime: StrategyInstance
            let note: InstanceStatus.Failure?
            do {
                (runtime, note) = try makeLocal(record, script: script)
            } catch {
                instances[record.id] = RunningInstance(failed: snapshot, error: nil)
                return fail(record.id, error)
            }
            cursor.failedSinceStart.remove(record.id)
            var loaded = RunningInstance(snapshot: snapshot, slot: InstanceSlot(id: record.id, runtime: runtime))
            loaded.lastError = note
            instances[record.id] = loaded
            stage(status(of: record.id, runtime, state: .running))
        case .unload(let id):
            // Switched off (or deleted): what it had learned is kept for when it comes back.
            takeSnapshotsBeforeChange(of: id, reason: .off)
            if let instance = instances.removeValue(forKey: id) {
                releaseRemote(instance.slot)
                // Switching an instance off is an explicit act: its version gets another chance.
                crashLedger.forgive(version: instance.snapshot.version, instance: id)
            }
            stage(InstanceStatus(instanceID: id, state: .stopped))
        case .setMode(let id, let mode):
            instances[id]?.runtime?.setMode(mode)
            instances[id]?.snapshot.mode = mode
        case .reconfigure(let id, let config):
            guard let runtime = instances[id]?.runtime else { return }
            instances[id]?.snapshot.config = config
            do {
                try runtime.reconfigure(config)
            } catch {
                fail(id, error)
            }
        case .reload(let id, let version):
            guard let runtime = instances[id]?.runtime, let script = library.current[runtime.identity.strategyType] else { return }
            takeSnapshotsBeforeChange(of: id, reason: .reload)
            instances[id]?.snapshot.version = version
            do {
                try runtime.reload(script)
            } catch {
                return fail(id, error)
            }
            stage(status(of: id, runtime, state: .running))
        }
    }

    /// Puts an instance in `error`: its runtime is dropped, its snapshot kept as failed so the
    /// reconciler leaves it until its config or script changes or it is switched off and on.
    /// The caller re-partitions the scheduler's shares afterwards (`indexByMarket`).
    func fail(_ id: String, _ error: StrategyError) {
        guard var instance = instances[id] else { return }
        let ticks = instance.runtime.map { Int64($0.ticksProcessed) } ?? 0
        let failure = InstanceStatus.Failure(message: error.message, kind: error.kind.rawValue, traceback: error.traceback)
        releaseRemote(instance.slot)
        cursor.failedSinceStart.insert(id)
        instance.slot = nil
        instance.snapshot.failed = true
        instance.lastError = failure
        instances[id] = instance
        stage(InstanceStatus(instanceID: id, state: .error, lastError: failure, version: instance.snapshot.version, ticks: ticks))
    }

    func status(of id: String, _ runtime: any InstanceRuntime, state: InstanceStatus.State) -> InstanceStatus {
        // A broken save of the instance's script shows on the instance, which keeps running the
        // old version meanwhile.
        let saveProblem = library.problems[runtime.identity.strategyType].map {
            InstanceStatus.Failure(
                message: "the saved script is broken; still running the previous version: \($0.message)",
                kind: $0.kind.rawValue, traceback: $0.traceback)
        }
        let instance = instances[id]
        let remote = runtime as? RemoteInstance
        return InstanceStatus(
            instanceID: id, state: state, lastError: instance?.lastError ?? saveProblem, version: runtime.scriptVersion,
            ticks: Int64(runtime.ticksProcessed),
            lastTickAt: runtime.ticksProcessed > 0 ? Date(timeIntervalSince1970: runtime.clock) : nil,
            memoryBytes: Int64(runtime.memoryUsed), cpuSeconds: remote?.cpuSeconds ?? instance?.slot?.cpuSeconds ?? 0,
            pnl: broker.pnl(for: runtime.identity, price: lastPrices[runtime.identity.market]),
            position: broker.position(for: runtime.identity),
            tickLatencyP50: remote.map(\.latencyP50) ?? instance?.slot?.latencies.quantile(0.5),
            tickLatencyP99: remote.map(\.latencyP99) ?? instance?.slot?.latencies.quantile(0.99))
    }

    // MARK: Rendering

    /// Calls `render()` of a running instance now. A render that fails is returned as the
    /// error; the instance keeps running (render is output only).
    /// - Returns: nil when the instance is not running.
    public func render(instanceID: String) -> Result<JSONValue, StrategyError>? {
        guard let runtime = instances[instanceID]?.runtime else { return nil }
        defer { takeFleetOutcome() }
        do {
            return .success(try runtime.render())
        } catch {
            return .failure(error)
        }
    }

    func indexByMarket() {
        scheduler.assign(instances.values.compactMap { $0.slot?.local == nil ? nil : $0.slot })
    }
}

/// The engine and its Lua states belong to one thread; reach them from others through
/// ``EngineLoop/perform(_:)``.
@available(*, unavailable)
extension Engine: Sendable {}
