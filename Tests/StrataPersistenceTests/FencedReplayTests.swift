import Foundation
import StrataEngine
import StrataPostgres
import StrataRuntime
import Testing

/// The replay store's cluster side on PostgreSQL: fenced snapshots, and the journal head shared
/// with tick number blocks.
@Suite struct FencedReplayTests {
    private static func snapshot(_ instanceID: String, seq: Int64) -> StateSnapshot {
        StateSnapshot(instanceID: instanceID, version: "v", tickSeq: seq, takenAt: Date(), reason: .periodic, bytes: [UInt8(seq)])
    }

    @Test func aSnapshotFencedByAStaleTokenIsRefusedAndCounted() throws {
        // Given node a's store, holding x and y for 0.3 s
        let database = try ClusterTestDatabase()
        let book = LeaseBook()
        let nodeA = try database.open(fencing: book)
        let nodeB = try database.open()
        try nodeA.seedTestInstances(["x", "y", "z"])
        let held = try nodeA.claimLeases(node: "a", renew: [:], take: ["x", "y"], release: [:], ttl: 0.3)
        book.replace(with: held.mapValues(\.token))
        try nodeA.saveSnapshots([Self.snapshot("x", seq: 1), Self.snapshot("y", seq: 1)], keep: 5)
        #expect(book.refusedWrites == 0)

        // When node b takes x after a's lease expired, and a, paused meanwhile, writes again
        Thread.sleep(forTimeInterval: 0.5)
        let taken = try nodeB.claimLeases(node: "b", renew: [:], take: ["x"], release: [:], ttl: 30)
        #expect(taken["x"]?.token == 2)
        try nodeA.saveSnapshots([Self.snapshot("x", seq: 2), Self.snapshot("y", seq: 2), Self.snapshot("z", seq: 2)], keep: 5)

        // Then x's (stale token) and z's (no lease) are refused and counted; y's, whose expired
        // lease still carries a's token, is stored
        #expect(book.refusedWrites == 2)
        #expect(try nodeB.snapshots(instanceID: "x", limit: 10).map(\.tickSeq) == [1])
        #expect(try nodeB.snapshots(instanceID: "y", limit: 10).map(\.tickSeq) == [2, 1])
        #expect(try nodeB.snapshots(instanceID: "z", limit: 10).isEmpty)

        // And an unfenced store (the CLI) writes whatever the leases say
        try nodeB.saveSnapshots([Self.snapshot("x", seq: 3)], keep: 5)
        #expect(try nodeB.snapshots(instanceID: "x", limit: 10).map(\.tickSeq) == [3, 1])
    }

    @Test func aFencedStepWritesTheHeldInstancesRowsAndTheTicksInOneTransaction() throws {
        // Given node a's store, holding x but not y
        let database = try ClusterTestDatabase()
        let book = LeaseBook()
        let nodeA = try database.open(fencing: book)
        let reader = try database.open()
        try nodeA.seedTestInstances(["x", "y"])
        let held = try nodeA.claimLeases(node: "a", renew: [:], take: ["x"], release: [:], ttl: 30)
        book.replace(with: held.mapValues(\.token))

        // When a step of both instances is written
        var tick = Tick(market: "A", ts: 1, price: 1)
        tick.seq = 7
        var batch = ActivityBatch(ticks: [tick])
        for id in ["y", "x"] {
            var request = OrderRequest(side: .buy, quantity: 1)
            request.tickSeq = 7
            batch.orders.append(Order(id: "o-\(id)", instanceID: id, market: "A", request: request, status: .open, createdAt: 1))
            batch.logs.append(InstanceLogEntry(instanceID: id, time: 1, level: .info, message: "placed"))
        }
        try nodeA.appendActivity(batch)

        // Then the tick and x's rows are stored; y's (no lease) are refused and counted
        #expect(try reader.journaledTicks(market: "A", after: 0, through: nil, limit: 10).map(\.seq) == [7])
        #expect(try reader.orders(instanceID: "x", limit: 10).map(\.id) == ["o-x"])
        #expect(try reader.logs(instanceID: "x", limit: 10).map(\.message) == ["placed"])
        #expect(try reader.orders(instanceID: "y", limit: 10).isEmpty)
        #expect(try reader.logs(instanceID: "y", limit: 10).isEmpty)
        #expect(book.refusedWrites == 2)
    }

    @Test func theJournalHeadIsPastEveryBlockAndEveryTick() throws {
        let database = try ClusterTestDatabase()
        let store = try database.open()
        #expect(try store.reserveTickSeqs(100) == 1)
        #expect(try store.lastTickSeq() == 100)

        // A node journals from its block: the head stays past the block
        var tick = Tick(market: "A", ts: 1, price: 1)
        tick.seq = 50
        try store.appendTicks([tick])
        #expect(try store.lastTickSeq() == 100)

        // A single engine numbering on from the head moves it; the next block starts after
        tick.seq = 150
        try store.appendTicks([tick])
        #expect(try store.lastTickSeq() == 150)
        #expect(try store.reserveTickSeqs(10) == 151)
        #expect(try store.lastTickSeq() == 160)
    }
}
