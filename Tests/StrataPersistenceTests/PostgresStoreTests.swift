import Foundation
import StrataEngine
import StrataPostgres
import StrataRuntime
import Synchronization
import Testing

/// What only the PostgreSQL store does: migrations by name, pushed changes, fenced writes.
@Suite struct PostgresStoreTests {
    @Test func migratesANewDatabaseAndOpensItAgain() throws {
        let database = try TestPostgres.Database()
        let first = try database.open()
        #expect(try first.changeToken().generation == 0)
        try first.close()
        let second = try database.open()
        #expect(try second.changeToken().generation == 0)
        try second.close()
    }

    @Test func aBadURLSaysWhatIsWrong() {
        #expect(throws: StoreError.self) { try PostgresStore(url: "postgres://nobody@127.0.0.1:1/none") }
        #expect(throws: StoreError.self) { try PostgresStore(url: "postgres://127.0.0.1/") }
    }

    @Test func observersHearEveryStoresAndShellsWrites() throws {
        // Given an engine's store observing the desired state, and a CLI's store on the same database
        let db = try TestStore(.postgres)
        let engine = try db.open()
        let cli = try db.open()
        let calls = Atomic<Int>(0)
        let observation = engine.observeDesiredState { calls.add(1, ordering: .relaxed) }
        defer { observation.cancel() }
        // (the listener connects on its own thread: wait until it hears a first write)
        try cli.createInstance(.sample("warm-up"), mode: .off, config: [:], actor: .cli)
        #expect(waitUntil { calls.load(ordering: .relaxed) > 0 })
        try engine.createInstance(.sample("warm-up-2"), mode: .off, config: [:], actor: .cli)
        #expect(waitUntil { calls.load(ordering: .relaxed) > 1 })

        // When the CLI's store creates an instance and changes its mode, and psql its config
        var seen = calls.load(ordering: .relaxed)
        try cli.createInstance(.sample("a"), mode: .off, config: [:], actor: .cli)
        #expect(waitUntil { calls.load(ordering: .relaxed) > seen })
        seen = calls.load(ordering: .relaxed)
        try cli.setMode(id: "a", to: .active, actor: .cli)
        #expect(waitUntil { calls.load(ordering: .relaxed) > seen })
        seen = calls.load(ordering: .relaxed)
        #expect(try db.shell("UPDATE instances SET config = '{\"qty\":2}' WHERE id = 'a';").status == 0)

        // Then the engine's observer is called for each, without polling
        #expect(waitUntil { calls.load(ordering: .relaxed) > seen })
        #expect(try engine.instance(id: "a")?.config == ["qty": .integer(2)])
        // and history writes call nobody
        Thread.sleep(forTimeInterval: 0.2)
        seen = calls.load(ordering: .relaxed)
        try cli.appendLogs([InstanceLogEntry(instanceID: "a", time: 1, level: .info, message: "hi")])
        Thread.sleep(forTimeInterval: 0.3)
        #expect(calls.load(ordering: .relaxed) == seen)
    }

    @Test func datesAreKeptToTheMillisecond() throws {
        // Given a store whose clock is between two milliseconds
        let db = try TestPostgres.Database()
        let store = try PostgresStore(url: db.url, clock: { Date(timeIntervalSince1970: 1_700_000_000.123_4) })
        defer { try? store.close() }

        // When an instance is created and a status and a version with such dates are saved
        let created = try store.createInstance(.sample("a"), mode: .off, config: [:], actor: .cli)
        try store.saveStatus(
            InstanceStatus(
                instanceID: "a", state: .running, lastTickAt: Date(timeIntervalSince1970: 86_400.999_6),
                updatedAt: Date(timeIntervalSince1970: -1.5)))
        let version = try store.recordVersion(
            StrategyVersion(strategyType: "s", hash: "h", source: "", firstSeen: Date(timeIntervalSince1970: 0.000_4)))

        // Then they read back rounded to the millisecond, equal to the dates written so
        #expect(created.createdAt == Date(timeIntervalSince1970: 1_700_000_000.123))
        #expect(try store.instance(id: "a") == created)
        #expect(try store.auditLog(instanceID: "a").map(\.at) == [created.createdAt])
        let status = try store.status(instanceID: "a")
        #expect(status?.lastTickAt == Date(timeIntervalSince1970: 86_401))
        #expect(status?.updatedAt == Date(timeIntervalSince1970: -1.5))
        #expect(version.firstSeen == Date(timeIntervalSince1970: 0))
    }

    @Test func tenThousandStatusesAreOneBatch() throws {
        // Given 10,000 instances (inserted by psql: 10,000 creations would be the slow part)
        let db = try TestStore(.postgres)
        let store = try db.open()
        let created = try db.shell(
            """
            INSERT INTO accounts (name, broker, created_at) VALUES ('paper', 'paper', now());
            INSERT INTO instances (id, strategy_type, account, market, mode, config, created_at, updated_at)
            SELECT 'i' || lpad(g::text, 5, '0'), 'sma', 'paper', 'BTC-USD', 'active', '{}', now(), now()
            FROM generate_series(1, 10000) AS g;
            """)
        #expect(created.status == 0, "\(created.stderr)")
        let at = Date(timeIntervalSince1970: 1_700_000_000.25)
        let statuses = (1...10_000).map { (number: Int) -> InstanceStatus in
            let digits = String(number)
            let id = "i" + String(repeating: "0", count: 5 - digits.count) + digits
            return InstanceStatus(
                instanceID: id, state: .running, ticks: Int64(number), pnl: Double(number) / 3, updatedAt: at)
        }

        // When they are saved in one call, twice (inserted, then updated)
        let clock = ContinuousClock()
        let insert = try clock.measure { try store.saveStatuses(statuses, overRunningOnly: false) }
        let update = try clock.measure { try store.saveStatuses(statuses, overRunningOnly: true) }
        print("10,000 statuses: insert \(insert), update \(update)")

        // Then all read back, in well under the engine's save interval
        #expect(try store.statuses() == statuses)
        #expect(insert < .seconds(5) && update < .seconds(5))
    }

    // MARK: Fencing

    @Test func writesForALeaseHeldWithAnotherTokenOrNotHeldAreRefused() throws {
        // Given three instances: "a" leased to this node with its token, "b" leased with a token
        // newer than the node's (taken over), "c" for which the node holds no token
        let db = try TestStore(.postgres)
        let admin = try db.open()
        for id in ["a", "b", "c"] { try admin.createInstance(.sample(id), mode: .active, config: [:], actor: .cli) }
        let leased = try db.shell(
            """
            INSERT INTO instance_leases (instance_id, node, token, expires_at)
            VALUES ('a', 'n1', 7, now() + interval '1 hour'), ('b', 'n2', 9, now() + interval '1 hour');
            """)
        #expect(leased.status == 0, "\(leased.stderr)")
        let book = LeaseBook()
        book.replace(with: ["a": 7, "b": 8])
        let node = try db.open(fencing: book)

        // When the node writes statuses, orders, fills, signals and logs for all three
        try node.saveStatuses(["a", "b", "c"].map { InstanceStatus(instanceID: $0, state: .running) }, overRunningOnly: false)
        try node.saveOrders(["a", "b", "c"].map { Self.order($0) })
        try node.appendFills(["a", "b", "c"].map { Self.fill($0) })
        try node.appendSignals(["a", "b", "c"].map { SignalRecord(instanceID: $0, request: OrderRequest(side: .buy, quantity: 1), time: 1, price: 1) })
        try node.appendLogs(["a", "b", "c"].map { InstanceLogEntry(instanceID: $0, time: 1, level: .info, message: "hi") })

        // Then only "a"'s land; the two others' are refused, counted, and nothing of them written
        #expect(book.refusedWrites == 10)
        #expect(try admin.statuses().map(\.instanceID) == ["a"])
        for id in ["a", "b", "c"] {
            let expected = id == "a" ? 1 : 0
            #expect(try admin.orders(instanceID: id, limit: 10).count == expected)
            #expect(try admin.fills(instanceID: id, limit: 10).count == expected)
            #expect(try admin.signals(instanceID: id, limit: 10).count == expected)
            #expect(try admin.logs(instanceID: id, limit: 10).count == expected)
        }
        // while the desired state is not fenced
        #expect(try node.setMode(id: "c", to: .observe, actor: .cli).mode == .observe)
    }

    @Test func aTakeoverRefusesTheOldOwnersNextWrite() throws {
        // Given a node writing for an instance it leases
        let db = try TestStore(.postgres)
        let admin = try db.open()
        try admin.createInstance(.sample("a"), mode: .active, config: [:], actor: .cli)
        #expect(
            try db.shell("INSERT INTO instance_leases VALUES ('a', 'n1', 1, now() + interval '1 hour');").status == 0)
        let book = LeaseBook()
        book.replace(with: ["a": 1])
        let node = try db.open(fencing: book)
        try node.saveStatus(InstanceStatus(instanceID: "a", state: .running, ticks: 1))
        try node.appendLogs([InstanceLogEntry(instanceID: "a", time: 1, level: .info, message: "before")])

        // When another node takes the lease over (a new token), and the first writes again
        #expect(try db.shell("UPDATE instance_leases SET node = 'n2', token = 2 WHERE instance_id = 'a';").status == 0)
        try node.saveStatus(InstanceStatus(instanceID: "a", state: .running, ticks: 2))
        try node.appendLogs([InstanceLogEntry(instanceID: "a", time: 2, level: .info, message: "after")])

        // Then the writes made before land, those made after are refused
        #expect(try admin.status(instanceID: "a")?.ticks == 1)
        #expect(try admin.logs(instanceID: "a", limit: 10).map(\.message) == ["before"])
        #expect(book.refusedWrites == 2)
    }

    @Test func aTokenWithoutALeaseRowIsRefused() throws {
        let db = try TestStore(.postgres)
        let admin = try db.open()
        try admin.createInstance(.sample("a"), mode: .active, config: [:], actor: .cli)
        let book = LeaseBook()
        book.replace(with: ["a": 3])
        let node = try db.open(fencing: book)
        try node.saveStatus(InstanceStatus(instanceID: "a", state: .running))
        #expect(try admin.status(instanceID: "a") == nil)
        #expect(book.refusedWrites == 1)
    }

    private static func order(_ instanceID: String) -> Order {
        Order(
            id: "o-\(instanceID)", instanceID: instanceID, market: "BTC-USD",
            request: OrderRequest(side: .buy, quantity: 1), status: .filled, filledQuantity: 1, createdAt: 1)
    }

    private static func fill(_ instanceID: String) -> FillRecord {
        FillRecord(
            id: "f-\(instanceID)", orderID: "o-\(instanceID)", instanceID: instanceID, market: "BTC-USD", side: .buy,
            quantity: 1, price: 100, fee: 0, time: 1)
    }
}

/// Waits up to `timeout` for `condition`; whether it became true.
func waitUntil(timeout: TimeInterval = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.005)
    }
    return condition()
}
