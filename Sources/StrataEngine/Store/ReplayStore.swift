import StrataRuntime

/// The part of the store that makes state durable and decisions replayable: each instance's
/// `state` snapshots, and the journal of every tick the engine delivered, numbered engine-wide in
/// delivery order (an instance sees its market's ticks in `seq` order). Same rules as
/// ``InstanceStore``: thread-safe, one transaction per call, ``StoreError`` on failure.
public protocol ReplayStore: Sendable {
    /// Stores `snapshots` and keeps the newest `keep` of each instance they belong to.
    func saveSnapshots(_ snapshots: [StateSnapshot], keep: Int) throws

    /// The newest snapshot of every instance that has one, by instance id.
    func latestSnapshots() throws -> [String: StateSnapshot]

    /// The newest snapshot of an instance taken at or before tick `seq` (nil: the newest).
    func snapshot(instanceID: String, atOrBefore seq: Int64?) throws -> StateSnapshot?

    /// The snapshots of an instance, newest first, at most `limit`.
    func snapshots(instanceID: String, limit: Int) throws -> [StateSnapshot]

    /// Appends ticks to the journal (each carries its `seq`); a seq stored before is kept as it
    /// was, so a retried write cannot duplicate a tick.
    func appendTicks(_ ticks: [Tick]) throws

    /// Journaled ticks of `market` with `after < seq <= through` (nil: no upper bound), oldest
    /// first, at most `limit`.
    func journaledTicks(market: String, after: Int64, through: Int64?, limit: Int) throws -> [Tick]

    /// The newest `limit` journaled ticks of `market` with `seq <= through`, oldest first (what
    /// led up to tick `through`).
    func journaledTicks(market: String, through: Int64, last limit: Int) throws -> [Tick]

    /// The highest `seq` ever journaled (0: none); a restarted engine numbers on from it.
    func lastTickSeq() throws -> Int64

    /// The `seq` of the last journaled tick of `market` at or before time `ts` (nil: none).
    func tickSeq(market: String, atOrBefore ts: Double) throws -> Int64?

    /// Trims the journal: per market, keeps the newest `keepTicks` ticks, and of those only the
    /// ones at most `maxAge` seconds older than the market's newest tick (nil: no age bound).
    /// - Returns: how many ticks were deleted.
    @discardableResult
    func pruneJournal(keepTicks: Int, maxAge: Double?) throws -> Int
}
