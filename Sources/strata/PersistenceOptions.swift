import ArgumentParser
import StrataEngine

/// `strata serve`'s options for state snapshots and the tick journal.
struct PersistenceOptions: ParsableArguments {
    @Option(name: .customLong("snapshot-interval"), help: "Seconds between saves of every instance's state (0: never save or restore state).")
    var snapshotInterval = 60.0

    @Option(name: .customLong("snapshots-kept"), help: "State snapshots kept per instance (replays start from the newest at or before --from).")
    var snapshotsKept = 24

    @Flag(name: .customLong("no-journal"), help: "Do not journal delivered ticks (no replay, no catch-up after a crash).")
    var noJournal = false

    @Option(name: .customLong("journal-ticks"), help: "Journaled ticks kept per market (the newest ones).")
    var journalTicks = 1_000_000

    @Option(name: .customLong("journal-max-age"), help: "Hours of ticks kept in the journal per market, in market time (0: no age bound).")
    var journalMaxAge = 168.0

    /// The checked settings.
    /// - Throws: a ``UsageError`` naming the bad option.
    func persistence() throws(UsageError) -> StatePersistence {
        guard snapshotInterval == 0 || (1...86_400).contains(snapshotInterval) else {
            throw UsageError("--snapshot-interval must be 0 or from 1 to 86400 seconds, got \(snapshotInterval)")
        }
        guard (1...10_000).contains(snapshotsKept) else {
            throw UsageError("--snapshots-kept must be from 1 to 10000, got \(snapshotsKept)")
        }
        guard (1_000...1_000_000_000).contains(journalTicks) else {
            throw UsageError("--journal-ticks must be from 1000 to 1000000000, got \(journalTicks)")
        }
        guard journalMaxAge >= 0 && journalMaxAge <= 87_600 else {
            throw UsageError("--journal-max-age must be from 0 to 87600 hours, got \(journalMaxAge)")
        }
        var persistence = StatePersistence()
        persistence.snapshotInterval = .milliseconds(Int64(snapshotInterval * 1000))
        persistence.snapshotsKept = snapshotsKept
        persistence.journal = !noJournal
        persistence.journalTicksKept = journalTicks
        persistence.journalMaxAge = journalMaxAge == 0 ? nil : journalMaxAge * 3600
        return persistence
    }
}
