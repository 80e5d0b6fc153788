/// When the engine loop has work next, as a value with no I/O: the store's change token is
/// checked every `storePollInterval` (writes by other processes are only seen that way), the
/// whole desired state is reconciled every `resyncInterval` anyway, statuses are saved every
/// `statusInterval`, a saved strategy is reloaded `debounce` after the last save (editors
/// write in several steps), and the feed says when its next tick is due. The loop sleeps until
/// the earliest of them unless something wakes it first. Times are Unix seconds.
struct LoopSchedule {
    var storePollInterval: Double
    var resyncInterval: Double
    var statusInterval: Double
    var debounce: Double
    /// How often every instance's `state` is saved (0: never) and the journal trimmed.
    var snapshotInterval: Double = 0
    var pruneInterval: Double = 600
    /// Seconds between lease rounds in a cluster (0: not in a cluster).
    var leaseInterval: Double = 0
    private(set) var lastLeaseRound = -Double.infinity

    /// The change token seen at the last reconcile.
    var token: StoreChangeToken?
    private(set) var lastResync = -Double.infinity
    private(set) var lastSave = -Double.infinity
    private(set) var lastStoreCheck = -Double.infinity
    /// The first round is one interval after the start (a restart has just restored them all).
    private(set) var lastSnapshot: Double?
    private(set) var lastPrune: Double?
    /// The last save of a strategy file not reloaded yet.
    private(set) var savedAt: Double?
    /// Set when this process wrote the desired state: check the token at once.
    private(set) var storeChanged = false

    /// Notes what woke the loop at `now`.
    mutating func woken(_ reasons: EngineWake, at now: Double) {
        if reasons.contains(.fileSaved) { savedAt = now }
        if reasons.contains(.storeChanged) { storeChanged = true }
    }

    /// Whether a saved file is due for a reload at `now` (and forgets the save if so).
    mutating func takeReload(at now: Double) -> Bool {
        guard let savedAt, now - savedAt >= debounce else { return false }
        self.savedAt = nil
        return true
    }

    /// Whether the change token is due for a check at `now`.
    func storeCheckDue(at now: Double) -> Bool {
        storeChanged || now - lastStoreCheck >= storePollInterval
    }

    mutating func checkedStore(at now: Double) {
        lastStoreCheck = now
        storeChanged = false
    }

    /// Whether a full resync is due at `now` even if the token did not move.
    func resyncDue(at now: Double) -> Bool {
        now - lastResync >= resyncInterval
    }

    mutating func reconciled(at now: Double, token: StoreChangeToken) {
        lastResync = now
        self.token = token
    }

    /// Whether a lease round is due at `now` (and records it if so).
    mutating func takeLeaseRound(at now: Double) -> Bool {
        guard leaseInterval > 0, now - lastLeaseRound >= leaseInterval else { return false }
        lastLeaseRound = now
        return true
    }

    /// Makes the next step reconcile whatever the token says (the instances this node holds changed).
    mutating func requestResync() {
        lastResync = -.infinity
        storeChanged = true
    }

    /// Whether the periodic status save is due at `now` (and records it if so).
    mutating func takeStatusSave(at now: Double) -> Bool {
        guard now - lastSave >= statusInterval else { return false }
        lastSave = now
        return true
    }

    /// Whether the periodic snapshot round is due at `now` (and records it if so).
    mutating func takeSnapshotRound(at now: Double) -> Bool {
        guard snapshotInterval > 0 else { return false }
        guard let last = lastSnapshot else {
            lastSnapshot = now
            return false
        }
        guard now - last >= snapshotInterval else { return false }
        lastSnapshot = now
        return true
    }

    /// Whether trimming the journal is due at `now` (and records it if so).
    mutating func takePrune(at now: Double) -> Bool {
        guard let last = lastPrune else {
            lastPrune = now
            return true
        }
        guard now - last >= pruneInterval else { return false }
        lastPrune = now
        return true
    }

    /// The earliest moment with work, given the feed's next tick.
    func nextDue(feedDue: Double?) -> Double {
        if storeChanged { return -.infinity }
        var due = min(lastStoreCheck + storePollInterval, lastResync + resyncInterval, lastSave + statusInterval)
        if snapshotInterval > 0, let lastSnapshot { due = min(due, lastSnapshot + snapshotInterval) }
        if leaseInterval > 0 { due = min(due, lastLeaseRound + leaseInterval) }
        if let savedAt { due = min(due, savedAt + debounce) }
        if let feedDue { due = min(due, feedDue) }
        return due
    }
}
