import Foundation
import StrataEngine
import StrataPostgres
import Synchronization
import Testing

/// The PostgreSQL store's cluster part: node heartbeats and instance leases with fencing
/// tokens, judged by the database's clock.
@Suite struct ClusterStoreTests {
    @Test func claimsRenewsAndReleasesLeasesWithGrowingTokens() throws {
        // Given two instances and node a holding both
        let database = try ClusterTestDatabase()
        let store = try database.open()
        try store.seedTestInstances(["x", "y"])
        let taken = try store.claimLeases(node: "a", renew: [:], take: ["y", "x"], release: [:], ttl: 30)
        #expect(taken.mapValues(\.token) == ["x": 1, "y": 1])
        #expect(taken.values.allSatisfy { $0.node == "a" && $0.live && $0.expiresAt > Date().addingTimeInterval(20) })

        // When it renews x and releases y
        let round = try store.claimLeases(node: "a", renew: ["x": 1], take: [], release: ["y": 1], ttl: 30)

        // Then it holds x only, with the same token; y's row stays, expired, with its token
        #expect(round.mapValues(\.token) == ["x": 1])
        let leases = try store.leases()
        #expect(leases.map(\.instanceID) == ["x", "y"])
        #expect(leases[1].token == 1 && !leases[1].live)

        // And another node taking y gets a larger token
        let other = try store.claimLeases(node: "b", renew: [:], take: ["y"], release: [:], ttl: 30)
        #expect(other.mapValues(\.token) == ["y": 2])
    }

    @Test func aLiveLeaseOfAnotherNodeIsNeverTakenAnExpiredOneIs() throws {
        // Given node a holding x for 0.3 s
        let database = try ClusterTestDatabase()
        let store = try database.open()
        try store.seedTestInstances(["x"])
        try store.claimLeases(node: "a", renew: [:], take: ["x"], release: [:], ttl: 0.3)

        // When node b tries to take it at once, then after it expired
        let early = try store.claimLeases(node: "b", renew: [:], take: ["x"], release: [:], ttl: 30)
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try store.leases().first?.live == false)
        let late = try store.claimLeases(node: "b", renew: [:], take: ["x"], release: [:], ttl: 30)

        // Then only the second try takes it, with a new token, and a's renewal no longer holds
        #expect(early.isEmpty)
        #expect(late["x"]?.token == 2 && late["x"]?.node == "b")
        let stale = try store.claimLeases(node: "a", renew: ["x": 1], take: [], release: ["x": 1], ttl: 30)
        #expect(stale.isEmpty)
        #expect(try store.leases().first.map { [$0.node, "\($0.token)", "\($0.live)"] } == ["b", "2", "true"])
    }

    @Test func anExpiredLeaseIsRenewedWhenNobodyTookIt() throws {
        let database = try ClusterTestDatabase()
        let store = try database.open()
        try store.seedTestInstances(["x"])
        try store.claimLeases(node: "a", renew: [:], take: ["x"], release: [:], ttl: 0.2)
        Thread.sleep(forTimeInterval: 0.4)
        let renewed = try store.claimLeases(node: "a", renew: ["x": 1], take: [], release: [:], ttl: 30)
        #expect(renewed["x"]?.token == 1 && renewed["x"]?.live == true)
    }

    @Test func aPreviousLifeOfTheNodeLosesItsLeaseToTheNewOne() throws {
        // Given node a's process holding x for a long time
        let database = try ClusterTestDatabase()
        let first = try database.open()
        try first.seedTestInstances(["x"])
        try first.claimLeases(node: "a", renew: [:], take: ["x"], release: [:], ttl: 60)

        // When a restarted process of node a takes it (its lease has not expired)
        let second = try database.open()
        let taken = try second.claimLeases(node: "a", renew: [:], take: ["x", "no-such-instance"], release: [:], ttl: 60)

        // Then it gets a new token, unknown instances are skipped, and the old life's renewal
        // fails without learning the new token
        #expect(taken.mapValues(\.token) == ["x": 2])
        let old = try first.claimLeases(node: "a", renew: ["x": 1], take: [], release: [:], ttl: 60)
        #expect(old.isEmpty)
        #expect(try first.leases().map(\.token) == [2])
    }

    @Test func leavingTheClusterReleasesEveryLeaseAndRemovesTheNode() throws {
        // Given node a registered with two leases, and node b
        let database = try ClusterTestDatabase()
        let store = try database.open()
        try store.seedTestInstances(["x", "y"])
        try store.heartbeat(node: "a", address: "http://10.0.0.1:8080", timeout: 10)
        try store.heartbeat(node: "b", address: nil, timeout: 10)
        try store.claimLeases(node: "a", renew: [:], take: ["x", "y"], release: [:], ttl: 60)
        #expect(try store.nodes(timeout: 10).map(\.leases) == [2, 0])

        // When a leaves
        try store.leaveCluster(node: "a")

        // Then only b is registered, no lease is live, and b takes them with larger tokens
        #expect(try store.nodes(timeout: 10).map(\.name) == ["b"])
        #expect(try store.leases().allSatisfy { !$0.live })
        let taken = try store.claimLeases(node: "b", renew: [:], take: ["x", "y"], release: [:], ttl: 60)
        #expect(taken.mapValues(\.token) == ["x": 2, "y": 2])
        #expect(try store.nodes(timeout: 10).map(\.leases) == [2])
    }

    @Test func aliveIsJudgedByTheDatabaseClock() throws {
        // Given a store whose own clock is decades off
        let database = try ClusterTestDatabase()
        let store = try database.open(clock: { Date(timeIntervalSince1970: 0) })

        // When node a sends a heartbeat, and again after 0.5 s of silence
        let fresh = try store.heartbeat(node: "a", address: "http://a:1", timeout: 0.3)
        Thread.sleep(forTimeInterval: 0.5)

        // Then it was alive, at the database's time, and is gone for a 0.3 s timeout only
        #expect(fresh.count == 1 && fresh[0].alive && fresh[0].address == "http://a:1")
        #expect(abs(fresh[0].heartbeatAt.timeIntervalSinceNow) < 5)
        #expect(try store.nodes(timeout: 0.3).map(\.alive) == [false])
        #expect(try store.nodes(timeout: 60).map(\.alive) == [true])
    }

    @Test func aNodeKeepsItsStartTimeUntilItsProcessRestarts() throws {
        let database = try ClusterTestDatabase()
        let first = try database.open()
        let started = try first.heartbeat(node: "a", address: nil, timeout: 10)[0].startedAt
        Thread.sleep(forTimeInterval: 0.05)
        let again = try first.heartbeat(node: "a", address: "http://a:1", timeout: 10)[0]
        #expect(again.startedAt == started && again.heartbeatAt > started && again.address == "http://a:1")

        // A new process of node a (a new store) starts a new life; its address is its own
        let restarted = try database.open()
        Thread.sleep(forTimeInterval: 0.05)
        let newLife = try restarted.heartbeat(node: "a", address: nil, timeout: 10)[0]
        #expect(newLife.startedAt > started && newLife.address == nil)
    }

    @Test func twoNodesRacingForTheSameInstancesEndWithOneHolderEach() throws {
        // Given 50 instances and two nodes (two stores), each claiming from 6 threads
        let database = try ClusterTestDatabase()
        let a = try database.open()
        let b = try database.open()
        let ids = (0..<50).map { "i\($0)" }
        try a.seedTestInstances(ids)
        let heldBy = Mutex<[String: Set<String>]>(["a": [], "b": []])
        let failures = Mutex<[String]>([])

        // When every thread takes all 50, in its own order, several times
        onThreads(12) { index in
            let (node, store) = index % 2 == 0 ? ("a", a) : ("b", b)
            for _ in 0..<5 {
                do {
                    let held = try store.claimLeases(node: node, renew: [:], take: ids.shuffled(), release: [:], ttl: 60)
                    heldBy.withLock { $0[node]!.formUnion(held.keys) }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }

        // Then no round failed, no instance was ever held by both, and each has one live holder
        #expect(failures.withLock { $0 } == [])
        let held = heldBy.withLock { $0 }
        #expect(held["a"]!.isDisjoint(with: held["b"]!))
        #expect(held["a"]!.union(held["b"]!) == Set(ids))
        let leases = try a.leases()
        #expect(leases.count == 50 && leases.allSatisfy(\.live))
        for lease in leases { #expect(held[lease.node]!.contains(lease.instanceID)) }
    }

    @Test func tickNumberBlocksNeverOverlapAcrossNodes() throws {
        // Given two stores on one database
        let database = try ClusterTestDatabase()
        let stores = [try database.open(), try database.open()]
        let blocks = Mutex<[Range<Int64>]>([])

        // When 8 threads reserve blocks of different sizes at once
        onThreads(8) { index in
            for round in 0..<25 {
                let count = 1 + (index * 7 + round * 13) % 50
                if let first = try? stores[index % 2].reserveTickSeqs(count) {
                    blocks.withLock { $0.append(first..<first + Int64(count)) }
                }
            }
        }

        // Then the blocks tile 1 ... total with no overlap, and the head is past all of them
        let sorted = blocks.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
        #expect(sorted.count == 200)
        #expect(sorted.first?.lowerBound == 1)
        #expect(zip(sorted, sorted.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        let next = try stores[0].reserveTickSeqs(0)
        #expect(next == sorted.last?.upperBound)
    }
}
