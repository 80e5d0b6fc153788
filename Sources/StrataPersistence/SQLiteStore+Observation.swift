import GRDB
import StrataEngine

extension SQLiteStore {
    /// Calls `action` after each commit through this store's connection pool that touched the
    /// `instances` table (GRDB's region observation: no polling, nothing for other processes).
    public func observeDesiredState(_ action: @escaping @Sendable () -> Void) -> StoreObservation {
        let cancellable = DatabaseRegionObservation(tracking: Table("instances")).start(
            in: pool,
            // A failed observation leaves the reader on its poll of `changeToken()`, which sees
            // every write anyway (only later): nothing is lost.
            onError: { _ in },
            onChange: { _ in action() })
        return StoreObservation { cancellable.cancel() }
    }
}
