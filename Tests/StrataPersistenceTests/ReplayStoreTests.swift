import Foundation
import StrataEngine
import StrataRuntime
import Testing

/// The replay contract (snapshots and the tick journal), the same on both stores.
@Suite struct ReplayStoreTests {
    private static func snapshot(
        _ instanceID: String, seq: Int64, reason: StateSnapshot.Reason = .periodic, bytes: [UInt8] = [1, 2, 3],
        at date: Date = Date(timeIntervalSince1970: 1_700_000_000.1234)
    ) -> StateSnapshot {
        StateSnapshot(instanceID: instanceID, version: "v\(seq)", tickSeq: seq, takenAt: date, reason: reason, bytes: bytes)
    }

    private static func tick(_ market: String, _ seq: Int64, ts: Double? = nil, price: Double = 100) -> Tick {
        var tick = Tick(market: market, ts: ts ?? Double(seq), price: price)
        tick.seq = seq
        return tick
    }

    @Test(arguments: ReplayTestStores.allCases)
    func snapshotsReadBackAsWrittenAndTheNewestNAreKept(_ kind: ReplayTestStores) throws {
        // Given two instances
        let opened = try kind.open()
        let store = opened.store
        try opened.createInstances(["a", "b"])

        // When a's snapshots come in two batches (one mixed with b's), keeping 3
        let binary = (0...255).map(UInt8.init)
        try store.saveSnapshots([Self.snapshot("a", seq: 1), Self.snapshot("b", seq: 7, reason: .stop, bytes: [])], keep: 3)
        try store.saveSnapshots(
            [Self.snapshot("a", seq: 2), Self.snapshot("a", seq: 3, reason: .reload), Self.snapshot("a", seq: 4, bytes: binary)], keep: 3)
        try store.saveSnapshots([Self.snapshot("a", seq: 5, reason: .off)], keep: 3)

        // Then a keeps its newest 3, newest first, b its one; every field reads back
        let kept = try store.snapshots(instanceID: "a", limit: 10)
        #expect(kept.map(\.tickSeq) == [5, 4, 3])
        #expect(kept.map(\.reason) == [.off, .periodic, .reload])
        #expect(kept[1].bytes == binary && kept[1].version == "v4")
        // Taken to the millisecond
        #expect(kept.allSatisfy { abs($0.takenAt.timeIntervalSince1970 - 1_700_000_000.123) < 0.000_5 && $0.instanceID == "a" })
        #expect(kept[0].id > kept[1].id && kept[1].id > kept[2].id)
        #expect(try store.snapshots(instanceID: "a", limit: 2).map(\.tickSeq) == [5, 4])
        let b = try store.snapshots(instanceID: "b", limit: 10)
        #expect(b.count == 1 && b[0].bytes == [] && b[0].reason == .stop)
        #expect(try store.snapshots(instanceID: "none", limit: 10).isEmpty)
    }

    @Test(arguments: ReplayTestStores.allCases)
    func theNewestSnapshotOfEachInstanceAndAtOrBeforeATick(_ kind: ReplayTestStores) throws {
        // Given snapshots out of tick order (a reload snapshot of an older tick taken last)
        let opened = try kind.open()
        let store = opened.store
        try opened.createInstances(["a", "b", "c"])
        try store.saveSnapshots(
            [Self.snapshot("a", seq: 10), Self.snapshot("a", seq: 20), Self.snapshot("b", seq: 5), Self.snapshot("a", seq: 15)],
            keep: 10)
        try store.saveSnapshots([Self.snapshot("a", seq: 20, reason: .stop)], keep: 10)

        // Then the latest is the last stored, and at-or-before goes by tick, then by storage
        let latest = try store.latestSnapshots()
        #expect(latest.mapValues(\.tickSeq) == ["a": 20, "b": 5])
        #expect(latest["a"]?.reason == .stop)
        #expect(try store.snapshot(instanceID: "a", atOrBefore: nil)?.reason == .stop)
        #expect(try store.snapshot(instanceID: "a", atOrBefore: 19)?.tickSeq == 15)
        #expect(try store.snapshot(instanceID: "a", atOrBefore: 10)?.tickSeq == 10)
        #expect(try store.snapshot(instanceID: "a", atOrBefore: 9) == nil)
        #expect(try store.snapshot(instanceID: "c", atOrBefore: nil) == nil)
    }

    @Test(arguments: ReplayTestStores.allCases)
    func aSnapshotOfAnUnknownInstanceIsRefusedWhole(_ kind: ReplayTestStores) throws {
        let opened = try kind.open()
        try opened.createInstances(["a"])
        let error = #expect(throws: StoreError.self) {
            try opened.store.saveSnapshots([Self.snapshot("a", seq: 1), Self.snapshot("ghost", seq: 1)], keep: 3)
        }
        #expect(error?.code == .notFound)
        #expect(try opened.store.latestSnapshots().isEmpty)
    }

    @Test(arguments: ReplayTestStores.allCases)
    func theJournalKeepsTheFirstWriteOfASeqAndEveryField(_ kind: ReplayTestStores) throws {
        // Given ticks with and without their optional prices
        let opened = try kind.open()
        let store = opened.store
        var full = Tick(market: "A", ts: 1.5, price: 100.25, volume: 3, bid: 100, ask: 100.5, open: 99, high: 101, low: 98.75)
        full.seq = 1
        try store.appendTicks([full, Self.tick("A", 2), Self.tick("B", 3)])

        // When a retried flush sends 2 and 3 again (another price) with 4
        try store.appendTicks([Self.tick("A", 2, price: 1), Self.tick("B", 3, price: 1), Self.tick("A", 4)])

        // Then each seq is stored once, as first written
        let a = try store.journaledTicks(market: "A", after: 0, through: nil, limit: 100)
        #expect(a == [full, Self.tick("A", 2), Self.tick("A", 4)])
        #expect(try store.journaledTicks(market: "B", after: 0, through: nil, limit: 100) == [Self.tick("B", 3)])
        #expect(try store.lastTickSeq() == 4)
        try store.appendTicks([])
        try store.appendTicks([Self.tick("A", 3)])
        #expect(try store.lastTickSeq() == 4, "the head never moves back")
    }

    @Test(arguments: ReplayTestStores.allCases)
    func journalReadsByRangeByLastNAndByTime(_ kind: ReplayTestStores) throws {
        // Given two markets' ticks interleaved, one second apart
        let opened = try kind.open()
        let store = opened.store
        #expect(try store.lastTickSeq() == 0)
        try store.appendTicks((1...20).map { Self.tick($0 % 2 == 0 ? "A" : "B", Int64($0), ts: 1000 + Double($0)) })

        // Then ranges are oldest first, bounded and limited
        #expect(try store.journaledTicks(market: "A", after: 4, through: 12, limit: 100).map(\.seq) == [6, 8, 10, 12])
        #expect(try store.journaledTicks(market: "A", after: 4, through: nil, limit: 2).map(\.seq) == [6, 8])
        #expect(try store.journaledTicks(market: "A", after: 0, through: nil, limit: 0).isEmpty)
        #expect(try store.journaledTicks(market: "A", through: 13, last: 3).map(\.seq) == [8, 10, 12])
        #expect(try store.journaledTicks(market: "B", through: 13, last: 50).map(\.seq) == [1, 3, 5, 7, 9, 11, 13])
        #expect(try store.journaledTicks(market: "C", through: 20, last: 50).isEmpty)

        // And a time finds the market's last tick at or before it
        #expect(try store.tickSeq(market: "A", atOrBefore: 1009.5) == 8)
        #expect(try store.tickSeq(market: "A", atOrBefore: 1010) == 10)
        #expect(try store.tickSeq(market: "A", atOrBefore: 1001) == nil)
        #expect(try store.tickSeq(market: "A", atOrBefore: 5000) == 20)
        #expect(try store.lastTickSeq() == 20)
    }

    @Test(arguments: ReplayTestStores.allCases)
    func pruningKeepsTheNewestTicksOfEachMarketWithinTheirAge(_ kind: ReplayTestStores) throws {
        // Given market A with 10 ticks one second apart, B with 3, C with 1
        let opened = try kind.open()
        let store = opened.store
        var ticks = (1...10).map { Self.tick("A", Int64($0), ts: Double($0)) }
        ticks += (11...13).map { Self.tick("B", Int64($0), ts: 100 + Double($0)) }
        ticks.append(Self.tick("C", 14, ts: 0))
        try store.appendTicks(ticks)

        // When pruned to 5 ticks, then to those at most 2 seconds older than the newest
        #expect(try store.pruneJournal(keepTicks: 5, maxAge: nil) == 5)
        #expect(try store.journaledTicks(market: "A", after: 0, through: nil, limit: 100).map(\.seq) == [6, 7, 8, 9, 10])
        #expect(try store.pruneJournal(keepTicks: 5, maxAge: 2) == 2)

        // Then each market kept its own newest; nothing else moved
        #expect(try store.journaledTicks(market: "A", after: 0, through: nil, limit: 100).map(\.seq) == [8, 9, 10])
        #expect(try store.journaledTicks(market: "B", after: 0, through: nil, limit: 100).map(\.seq) == [11, 12, 13])
        #expect(try store.journaledTicks(market: "C", after: 0, through: nil, limit: 100).map(\.seq) == [14])
        #expect(try store.pruneJournal(keepTicks: 0, maxAge: nil) == 4, "keeps at least one per market")
        #expect(try store.lastTickSeq() == 14)
    }

    @Test(arguments: ReplayTestStores.allCases)
    func largeBatchesGoInWhole(_ kind: ReplayTestStores) throws {
        // Given 2,000 instances
        let opened = try kind.open()
        let store = opened.store
        let ids = (0..<2_000).map { "i\($0)" }
        try opened.createInstances(ids)

        // When a flush journals 20,000 ticks and a round snapshots every instance
        try store.appendTicks((1...20_000).map { Self.tick("M\($0 % 7)", Int64($0)) })
        try store.saveSnapshots(ids.map { Self.snapshot($0, seq: 20_000, bytes: Array(repeating: 7, count: 256)) }, keep: 2)

        // Then all of it is there
        #expect(try store.lastTickSeq() == 20_000)
        let m3 = (1...20_000).filter { $0 % 7 == 3 }.suffix(5).map(Int64.init)
        #expect(try store.journaledTicks(market: "M3", through: 20_000, last: 5).map(\.seq) == m3)
        let latest = try store.latestSnapshots()
        #expect(latest.count == 2_000 && latest["i1999"]?.bytes.count == 256)
    }
}
