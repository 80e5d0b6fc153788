import Foundation
import StrataEngine

/// The whole desired state, read again only when the store's change token moves (a write by
/// this process, the CLI or a SQL shell). Reading every row is the slow part of a list request
/// (ten thousand rows take far longer than filtering and sorting them); the token is one tiny read.
final class InstanceRecordCache: @unchecked Sendable {
    private let lock = NSLock()
    private var cached: (token: StoreChangeToken, records: [InstanceRecord])?

    /// Every instance, ordered by creation, as of now.
    func records(in store: any InstanceStore) throws -> [InstanceRecord] {
        let token = try store.changeToken()
        if let hit = lock.withLock({ cached?.token == token ? cached?.records : nil }) { return hit }
        // Rows read after the token are at least as new as it: if a write slips in between,
        // the next call sees a newer token and reads again.
        let records = try store.instances()
        lock.withLock { cached = (token, records) }
        return records
    }
}
