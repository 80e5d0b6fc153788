import Foundation
import StrataEngine
import StrataRuntime
import Testing

@testable import StrataPersistence

/// The reads behind "why": the ticks up to one, and the log lines around a time.
@Suite struct LookbackTests {
    @Test func theLastTicksOfAMarketUpToASeqOldestFirst() throws {
        // Given two markets' ticks, interleaved in the journal
        let db = try TestDatabase()
        let store = try db.open()
        let ticks = (1...20).map { index in
            var tick = Tick(market: index % 2 == 0 ? "A" : "B", ts: Double(index), price: Double(index))
            tick.seq = Int64(index)
            return tick
        }
        try store.appendTicks(ticks)

        // Then the newest of one market at or before a seq come oldest first
        #expect(try store.journaledTicks(market: "A", through: 13, last: 3).map(\.seq) == [8, 10, 12])
        #expect(try store.journaledTicks(market: "B", through: 13, last: 3).map(\.seq) == [9, 11, 13])
        #expect(try store.journaledTicks(market: "A", through: 3, last: 50).map(\.seq) == [2])
        #expect(try store.journaledTicks(market: "A", through: 1, last: 50).isEmpty)
        #expect(try store.journaledTicks(market: "C", through: 20, last: 50).isEmpty)
    }

    @Test(arguments: StoreKind.allCases) func theLogLinesNearestATimeOldestFirst(_ kind: StoreKind) throws {
        // Given an instance's lines one second apart, and another instance's
        let db = try TestStore(kind)
        let store = try db.open()
        try store.createInstance(.sample("a"), mode: .observe, config: [:], actor: .cli)
        try store.createInstance(.sample("b"), mode: .observe, config: [:], actor: .cli)
        try store.appendLogs((0..<100).map { InstanceLogEntry(instanceID: "a", time: Double($0), level: .info, message: "a\($0)") })
        try store.appendLogs([InstanceLogEntry(instanceID: "b", time: 50, level: .info, message: "b50")])

        // Then the lines within the window, oldest first; of too many, the nearest
        #expect(try store.logs(instanceID: "a", around: 50, window: 2, limit: 100).map(\.message) == ["a48", "a49", "a50", "a51", "a52"])
        #expect(try store.logs(instanceID: "a", around: 50, window: 60, limit: 3).map(\.message) == ["a49", "a50", "a51"])
        #expect(try store.logs(instanceID: "a", around: 500, window: 60, limit: 100).isEmpty)
        #expect(try store.logs(instanceID: "b", around: 50, window: 0, limit: 100).map(\.message) == ["b50"])
    }
}
