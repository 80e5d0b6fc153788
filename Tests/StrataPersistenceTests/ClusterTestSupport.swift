import Foundation
import StrataEngine

@testable import StrataPostgres

extension PostgresStore {
    /// Creates instances `ids` (account `paper`, mode `observe`) straight in the tables, for tests
    /// that need rows to lease, snapshot or shadow without going through `createInstance`.
    func seedTestInstances(_ ids: [String], market: String = "BTC-USD") throws {
        try write("seedTestInstances", instanceID: nil) { session in
            try session.run("INSERT INTO accounts (name, broker, created_at) VALUES ('paper', 'paper', now()) ON CONFLICT DO NOTHING")
            try session.run(
                """
                INSERT INTO instances (id, strategy_type, account, market, mode, config, created_at, updated_at)
                SELECT id, 'sma_cross', 'paper', \(market), 'observe', '{}', now(), now() FROM unnest(\(ids)::text[]) AS t(id)
                """)
        }
    }
}

/// Runs `body(0 ..< count)` on `count` threads of their own at once (store calls block their
/// thread, so they must not share the few threads of the cooperative pool), and waits for all.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            body(index)
            group.leave()
        }
        thread.start()
    }
    group.wait()
}

/// A fresh PostgreSQL database and the stores a test opened on it ("nodes", "processes"),
/// closed when the value is released.
final class ClusterTestDatabase: @unchecked Sendable {
    let database: TestPostgres.Database
    private var stores: [PostgresStore] = []

    init() throws { database = try TestPostgres.Database() }

    deinit { for store in stores { try? store.close() } }

    /// Opens a store on the database, as one more process would.
    func open(fencing: LeaseBook? = nil, clock: @escaping @Sendable () -> Date = { Date() }) throws -> PostgresStore {
        let store = try PostgresStore(url: database.url, fencing: fencing, clock: clock)
        stores.append(store)
        return store
    }
}
