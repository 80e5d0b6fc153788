import StrataRuntime

/// Where the engine's desired state, observed state and history live. SQLite (embedded default)
/// implements it now, PostgreSQL later (DESIGN §6).
///
/// Calls are synchronous and thread-safe: every implementation must be usable from any thread
/// and from several processes on the same database at once. Each method is **one transaction**
/// unless said otherwise: it applies completely or not at all, and readers never see half of it.
/// Failures throw ``StoreError``.
public protocol InstanceStore: ReplayStore, ShadowStore, RiskStore, AccountStore, EquityHistoryStore {
    /// Closes the store's connections once the calls under way are done; later calls throw.
    func close() throws

    // MARK: Desired state

    /// Creates an instance and appends its `create` audit entry, atomically. Creates the account
    /// (paper broker) if it does not exist yet.
    /// - Throws: ``StoreError/Code/alreadyExists`` if the id is taken.
    /// - Returns: the stored record, with the store's timestamps.
    @discardableResult
    func createInstance(
        _ identity: InstanceIdentity, mode: InstanceMode, config: [String: JSONValue],
        actor: AuditActor
    ) throws -> InstanceRecord

    /// All instances, ordered by creation (then id). One consistent snapshot.
    func instances() throws -> [InstanceRecord]

    /// The instance `id`, or nil.
    func instance(id: String) throws -> InstanceRecord?

    /// Sets the mode and appends a `mode` audit entry (old and new), atomically. Setting the
    /// current mode again writes nothing: no update, no audit entry, no change of token.
    /// - Throws: ``StoreError/Code/notFound``.
    /// - Returns: the record after the call.
    @discardableResult
    func setMode(id: String, to mode: InstanceMode, actor: AuditActor) throws -> InstanceRecord

    /// Replaces the config and appends a `config` audit entry (old and new), atomically. An
    /// equal config writes nothing. Validation against the strategy's schema is the caller's job.
    /// - Throws: ``StoreError/Code/notFound``.
    /// - Returns: the record after the call.
    @discardableResult
    func setConfig(id: String, to config: [String: JSONValue], actor: AuditActor) throws -> InstanceRecord

    /// The audit log of one instance, oldest first.
    func auditLog(instanceID: String) throws -> [AuditEntry]

    /// A cheap token that changes whenever any instance row is inserted, updated or deleted —
    /// through this store, another store on the same database, or a raw SQL client. Poll it to
    /// notice other processes' writes; writes to observed state and history do not change it.
    func changeToken() throws -> StoreChangeToken

    /// Calls `action` (on any thread) after each commit *through this store* that changes
    /// instance rows, until the observation is cancelled or released, so an engine in the same
    /// process can react at once. Other processes' writes are not seen: poll ``changeToken()``.
    /// A store that cannot notify returns an observation that never calls (the default).
    func observeDesiredState(_ action: @escaping @Sendable () -> Void) -> StoreObservation

    // MARK: Observed state

    /// Inserts or replaces the status of `status.instanceID`.
    /// - Throws: ``StoreError/Code/notFound`` if the instance does not exist.
    func saveStatus(_ status: InstanceStatus) throws

    /// Inserts or replaces many statuses in one transaction (the engine's periodic save). With
    /// `overRunningOnly`, a stored status whose state is not `running` is left as it is: a
    /// periodic save written late never undoes a state change (stopped, error) written after
    /// its snapshot was taken.
    func saveStatuses(_ statuses: [InstanceStatus], overRunningOnly: Bool) throws

    /// Every stored status, by instance id. One consistent snapshot.
    func statuses() throws -> [InstanceStatus]

    /// The status of an instance, or nil if the engine has written none.
    func status(instanceID: String) throws -> InstanceStatus?

    /// Records a script version. Idempotent by (strategy type, hash): recording the same content
    /// again changes nothing and returns the first record (its `firstSeen`).
    @discardableResult
    func recordVersion(_ version: StrategyVersion) throws -> StrategyVersion

    /// A stored version, or nil.
    func version(strategyType: String, hash: String) throws -> StrategyVersion?

    /// All versions of a strategy type, oldest first.
    func versions(strategyType: String) throws -> [StrategyVersion]

    // MARK: Trading history

    /// Inserts or updates orders by id (an order is stored again when it fills or is cancelled).
    /// All orders of one call are one transaction.
    func saveOrders(_ orders: [Order]) throws

    /// Appends fills; a fill whose id is already stored is skipped, so a replay cannot duplicate it.
    /// All fills of one call are one transaction.
    func appendFills(_ fills: [FillRecord]) throws

    /// Appends signals (denied intents), one transaction per call.
    func appendSignals(_ signals: [SignalRecord]) throws

    /// Appends log lines and trims each instance's log to the store's per-instance capacity, in
    /// the same transaction.
    func appendLogs(_ entries: [InstanceLogEntry]) throws

    /// Writes one loop step's activity in one transaction: its ticks to the journal (as
    /// `appendTicks`), then its orders, fills, signals and logs (as the calls above).
    func appendActivity(_ batch: ActivityBatch) throws

    /// The most recent `limit` orders of an instance, oldest first.
    func orders(instanceID: String, limit: Int) throws -> [Order]

    /// The most recent `limit` fills of an instance, oldest first.
    func fills(instanceID: String, limit: Int) throws -> [FillRecord]

    /// Every order and every fill of every instance, oldest first, in one consistent read (a
    /// restarting engine replays them).
    func allOrdersAndFills() throws -> (orders: [Order], fills: [FillRecord])

    /// The most recent `limit` signals of an instance, oldest first.
    func signals(instanceID: String, limit: Int) throws -> [SignalRecord]

    /// The most recent `limit` log lines of an instance, oldest first.
    func logs(instanceID: String, limit: Int) throws -> [InstanceLogEntry]

    /// The log lines of an instance whose time is at most `window` seconds from `time`, oldest
    /// first; of more than `limit`, the `limit` nearest to `time`.
    func logs(instanceID: String, around time: Double, window: Double, limit: Int) throws -> [InstanceLogEntry]
}
