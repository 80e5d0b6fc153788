import Foundation
import StrataEngine
import StrataPostgres
import Testing

/// A node's lease rounds over a real PostgreSQL store: the first only heartbeats, later ones
/// take at most `takeLimit` leases each, so loading what a round took never stops heartbeats.
@Suite struct LeaseRoundTests {
    @Test func theFirstRoundHeartbeatsAndLaterOnesTakeABoundedNumber() throws {
        // Given five instances and node a, which takes at most two per round
        let database = try ClusterTestDatabase()
        let book = LeaseBook()
        let store = try database.open(fencing: book)
        try store.seedTestInstances(["i1", "i2", "i3", "i4", "i5"])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-lease-round-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "CONFIG_SCHEMA = {}\nfunction init() return {} end\nfunction on_tick(tick) end\nfunction render() return { widgets = {} } end\n"
            .write(to: folder.appendingPathComponent("sma_cross.lua"), atomically: true, encoding: .utf8)
        let cluster = ClusterMembership(node: "a", store: store, leases: book, leaseTTL: 30, takeLimit: 2)
        let engine = Engine(store: store, library: StrategyLibrary(directory: folder), cluster: cluster)
        defer { engine.stopWorkers() }

        // When it runs rounds, then Then: nothing at first, then two more per round
        var held: [Int] = []
        for _ in 0..<4 {
            let round = try engine.leaseRound()
            #expect(round.gained.count <= 2)
            try engine.reconcile()
            held.append(try store.leases().filter { $0.node == "a" && $0.live }.count)
        }
        #expect(held == [0, 2, 4, 5])
        #expect(try store.nodes(timeout: 30).map(\.name) == ["a"], "the first round registered the node")
        #expect(engine.runningCount == 5)
    }
}
