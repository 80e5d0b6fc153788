import StrataRuntime

/// How the engine keeps state across restarts and the record that makes decisions replayable:
/// `state` snapshots and the tick journal (see ``ReplayStore``).
public struct StatePersistence: Sendable, Equatable {
    /// How often the loop saves every running instance's `state` (unchanged ones are skipped).
    public var snapshotInterval: Duration = .seconds(60)
    /// Snapshots kept per instance (the newest ones): replays start from the newest at or before
    /// their `--from`.
    public var snapshotsKept = 24
    /// Whether delivered ticks are journaled.
    public var journal = true
    /// Journaled ticks kept per market (the newest ones).
    public var journalTicksKept = 1_000_000
    /// Journaled ticks older than this many seconds (in market time, before the market's newest
    /// tick) are deleted; nil: no age bound.
    public var journalMaxAge: Double? = 7 * 86_400
    /// The most journaled ticks a restored instance catches up on; with more, its snapshot is
    /// restored without them (and the status says so).
    public var catchUpLimit = 100_000

    public init() {}

    /// No snapshots and no journal: `init()` on every load, as before state persistence.
    public static var disabled: StatePersistence {
        var persistence = StatePersistence()
        persistence.snapshotInterval = .zero
        persistence.journal = false
        return persistence
    }

    /// Whether instances are snapshotted at all.
    public var snapshots: Bool { snapshotInterval > .zero }
}

/// Where the engine stands with its journal and snapshots (owned by the engine's thread).
struct PersistenceCursor {
    /// The last sequence number handed out (read from the store before the first tick).
    var lastSeq: Int64 = 0
    var seqLoaded = false
    /// In a cluster: the end (exclusive) of the block of numbers reserved for this node.
    var seqLimit: Int64 = 0
    /// The last seq delivered per market (what a snapshot of its instances is taken at).
    var seqByMarket: [String: Int64] = [:]
    /// Ticks numbered but not written yet.
    var pendingJournal: [Tick] = []
    /// The first seq of the round being run (a worker restart mid-round catches its instances up
    /// to just before it: the round itself is delivered after the reload).
    var roundStart: Int64 = .max
    /// Snapshots taken but not written yet (off and reload: written with the reconcile).
    var pendingSnapshots: [StateSnapshot] = []
    /// Instances that failed in this run: their next load starts over with `init()`, not with
    /// a state that may be what made them fail.
    var failedSinceStart: Set<String> = []
    /// A digest of each instance's last saved bytes: an unchanged state is not saved again.
    var savedDigests: [String: Int] = [:]
}

/// Where a loaded instance resumes: a saved state and the journaled ticks since it was taken.
struct ResumePoint {
    var saved: SavedState
    var ticks: [Tick]
    /// Set when the journal since the snapshot was longer than the catch-up limit.
    var truncated = false
}
