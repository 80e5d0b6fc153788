import Foundation
import StrataEngine
import StrataRuntime
import Testing

@testable import StrataPersistence

@Suite struct ObservedStateTests {
    @Test(arguments: StoreKind.allCases) func statusIsKeptApartFromDesiredState(_ kind: StoreKind) throws {
        // Given an instance
        let db = try TestStore(kind)
        let store = try db.open()
        let created = try store.createInstance(.sample("a"), mode: .active, config: [:], actor: .cli)
        #expect(try store.status(instanceID: "a") == nil)
        let token = try store.changeToken()

        // When the engine writes a status, then an error status over it
        let at = Date(timeIntervalSince1970: 1_700_000_000)
        try store.saveStatus(
            InstanceStatus(
                instanceID: "a", state: .running, version: "abc", ticks: 10,
                lastTickAt: at, memoryBytes: 4096, cpuSeconds: 0.25, updatedAt: at))
        let failed = InstanceStatus(
            instanceID: "a", state: .error,
            lastError: .init(message: "boom", kind: "runtime", traceback: "stack traceback:\n\t[C]: in ?"),
            version: "abc", ticks: 11, lastTickAt: at, updatedAt: at)
        try store.saveStatus(failed)

        // Then the latest status reads back whole, and the desired state and token are untouched
        #expect(try store.status(instanceID: "a") == failed)
        #expect(try store.instance(id: "a") == created)
        #expect(try store.changeToken() == token)
        #expect(try store.auditLog(instanceID: "a").count == 1)
    }

    @Test(arguments: StoreKind.allCases) func batchedStatusesReadBackAndALateSaveNeverUndoesAStateChange(_ kind: StoreKind) throws {
        // Given two running instances saved in one batch, with PnL, position and latencies
        let db = try TestStore(kind)
        let store = try db.open()
        for id in ["a", "b"] { _ = try store.createInstance(.sample(id), mode: .active, config: [:], actor: .cli) }
        let at = Date(timeIntervalSince1970: 1_700_000_000)
        let running = ["a", "b"].map {
            InstanceStatus(
                instanceID: $0, state: .running, ticks: 5, pnl: -1.5, position: 2, tickLatencyP50: 1e-6,
                tickLatencyP99: 4e-6, updatedAt: at)
        }
        try store.saveStatuses(running, overRunningOnly: false)
        #expect(try store.statuses() == running)

        // When "a" stops, and then a periodic save taken before that lands late
        try store.saveStatus(InstanceStatus(instanceID: "a", state: .stopped, updatedAt: at))
        let late = running.map {
            var status = $0
            status.ticks = 9
            return status
        }
        try store.saveStatuses(late, overRunningOnly: true)

        // Then "a" stays stopped and "b" gets the new counters
        #expect(try store.status(instanceID: "a")?.state == .stopped)
        #expect(try store.status(instanceID: "b")?.ticks == 9)
    }

    @Test(arguments: StoreKind.allCases) func statusOfAMissingInstanceIsRefused(_ kind: StoreKind) throws {
        let db = try TestStore(kind)
        let store = try db.open()
        #expect { try store.saveStatus(InstanceStatus(instanceID: "ghost", state: .running)) } throws: { ($0 as? StoreError)?.code == .notFound }
    }

    @Test(arguments: StoreKind.allCases) func versionsAreIdempotentByHash(_ kind: StoreKind) throws {
        // Given a recorded version
        let db = try TestStore(kind)
        let store = try db.open()
        let first = try store.recordVersion(
            StrategyVersion(
                strategyType: "sma", hash: "h1", source: "-- v1",
                firstSeen: Date(timeIntervalSince1970: 100)))

        // When the same content is recorded again later, and a new one after it
        let again = try store.recordVersion(
            StrategyVersion(
                strategyType: "sma", hash: "h1", source: "-- v1",
                firstSeen: Date(timeIntervalSince1970: 200)))
        try store.recordVersion(
            StrategyVersion(
                strategyType: "sma", hash: "h2", source: "-- v2",
                firstSeen: Date(timeIntervalSince1970: 300)))

        // Then the first record stands and each hash is stored once
        #expect(again == first)
        #expect(again.firstSeen == Date(timeIntervalSince1970: 100))
        #expect(try store.versions(strategyType: "sma").map(\.hash) == ["h1", "h2"])
        #expect(try store.version(strategyType: "sma", hash: "h2")?.source == "-- v2")
        #expect(try store.version(strategyType: "other", hash: "h1") == nil)
    }

    @Test(arguments: StoreKind.allCases) func logsAreBoundedPerInstance(_ kind: StoreKind) throws {
        // Given a store that keeps 5 log lines per instance
        let db = try TestStore(kind)
        let store = try db.open(logCapacity: 5)
        try store.createInstance(.sample("a"), mode: .observe, config: [:], actor: .cli)
        try store.createInstance(.sample("b"), mode: .observe, config: [:], actor: .cli)

        // When 12 lines are logged for one instance (in two batches) and 2 for the other
        try store.appendLogs((0..<7).map { InstanceLogEntry(instanceID: "a", time: Double($0), level: .info, message: "line \($0)") })
        try store.appendLogs(
            (7..<12).map { InstanceLogEntry(instanceID: "a", time: Double($0), level: .warning, message: "line \($0)") }
                + [
                    InstanceLogEntry(instanceID: "b", time: 0, level: .info, message: "b0"),
                    InstanceLogEntry(instanceID: "b", time: 1, level: .info, message: "b1"),
                ])

        // Then only the last 5 of the first remain, oldest first, and the other keeps its own
        #expect(try store.logs(instanceID: "a", limit: 100).map(\.message) == (7..<12).map { "line \($0)" })
        #expect(try store.logs(instanceID: "a", limit: 2).map(\.message) == ["line 10", "line 11"])
        #expect(try store.logs(instanceID: "b", limit: 100).map(\.message) == ["b0", "b1"])
        #expect(try db.count("SELECT COUNT(*) FROM instance_logs WHERE instance_id = 'a';") == 5)
    }

    @Test(arguments: StoreKind.allCases) func ordersFillsAndSignalsReadBack(_ kind: StoreKind) throws {
        // Given an instance
        let db = try TestStore(kind)
        let store = try db.open()
        try store.createInstance(.sample("a"), mode: .active, config: [:], actor: .cli)

        // When an order is placed, then filled (stored twice), its fill appended twice, and a signal recorded
        var order = Order(
            id: "o1", instanceID: "a", market: "BTC-USD",
            request: OrderRequest(side: .buy, quantity: 0.5, type: .limit, price: 100, tag: "entry"),
            status: .open, createdAt: 1)
        try store.saveOrders([order])
        order.status = .filled
        order.filledQuantity = 0.5
        order.averagePrice = 99.5
        order.fee = 0.05
        order.filledAt = 2
        try store.saveOrders([order])
        let fill = FillRecord(
            id: "f1", orderID: "o1", instanceID: "a", market: "BTC-USD", side: .buy,
            quantity: 0.5, price: 99.5, fee: 0.05, time: 2)
        try store.appendFills([fill])
        try store.appendFills([fill])
        try store.appendSignals([SignalRecord(instanceID: "a", request: OrderRequest(side: .sell, quantity: 1), time: 3, price: 101)])

        // Then each is stored once, in its latest state
        #expect(try store.orders(instanceID: "a", limit: 10) == [order])
        #expect(try store.fills(instanceID: "a", limit: 10) == [fill])
        let signals = try store.signals(instanceID: "a", limit: 10)
        #expect(signals.count == 1)
        #expect(signals.first?.request == OrderRequest(side: .sell, quantity: 1))
        #expect(signals.first?.reason == "not allowed: observe mode")
    }

    @Test(arguments: StoreKind.allCases) func aBatchWithOneKeyTwiceKeepsTheLast(_ kind: StoreKind) throws {
        // Given an instance
        let db = try TestStore(kind)
        let store = try db.open()
        try store.createInstance(.sample("a"), mode: .active, config: [:], actor: .cli)
        let at = Date(timeIntervalSince1970: 1_700_000_000)

        // When one batch holds two statuses of it, and one holds two versions of an order
        try store.saveStatuses(
            [
                InstanceStatus(instanceID: "a", state: .running, ticks: 1, updatedAt: at),
                InstanceStatus(instanceID: "a", state: .stopped, ticks: 2, updatedAt: at),
            ], overRunningOnly: false)
        let open = Order(
            id: "o1", instanceID: "a", market: "BTC-USD", request: OrderRequest(side: .buy, quantity: 1), status: .open,
            createdAt: 1)
        var filled = open
        filled.status = .filled
        filled.filledQuantity = 1
        let other = Order(
            id: "o2", instanceID: "a", market: "BTC-USD", request: OrderRequest(side: .sell, quantity: 1), status: .open,
            createdAt: 2)
        try store.saveOrders([open, other, filled])

        // Then the last of each is stored, the order in the place it first had
        #expect(try store.status(instanceID: "a")?.state == .stopped)
        #expect(try store.status(instanceID: "a")?.ticks == 2)
        #expect(try store.orders(instanceID: "a", limit: 10) == [filled, other])
    }

    @Test(arguments: StoreKind.allCases) func valuesReadBackExactly(_ kind: StoreKind) throws {
        // Given an instance
        let db = try TestStore(kind)
        let store = try db.open()
        try store.createInstance(.sample("a"), mode: .active, config: [:], actor: .cli)

        // When records hold awkward doubles and text (dates: see PostgresStoreTests)
        let text = "quote \" backslash \\ newline \n tab \t bell \u{07} emoji 🚀 accent é"
        let status = InstanceStatus(
            instanceID: "a", state: .error, lastError: .init(message: text, kind: "runtime", traceback: nil),
            version: text, ticks: .max, lastTickAt: Date(timeIntervalSince1970: 1_700_000_000.125),
            memoryBytes: 1 << 40, cpuSeconds: 0.1 + 0.2, pnl: -1e-300, position: 1.7976931348623157e308,
            tickLatencyP50: 5e-324, tickLatencyP99: nil, updatedAt: Date(timeIntervalSince1970: 86_400.5))
        try store.saveStatus(status)
        var request = OrderRequest(side: .sell, quantity: 1.0 / 3.0, type: .limit, price: 123_456.789, tag: text)
        request.tickSeq = 42
        let order = Order(
            id: "o-\(text)", instanceID: "a", market: "BTC-USD", request: request, status: .open, createdAt: 0.000_001)
        try store.saveOrders([order])
        let log = InstanceLogEntry(instanceID: "a", time: 1e9 + 0.5, level: .warning, message: text)
        try store.appendLogs([log])
        let signal = SignalRecord(instanceID: "a", request: request, time: 2.5, price: nil, reason: text)
        try store.appendSignals([signal])

        // Then each reads back equal
        #expect(try store.status(instanceID: "a") == status)
        #expect(try store.orders(instanceID: "a", limit: 1) == [order])
        #expect(try store.logs(instanceID: "a", limit: 1).map(\.message) == [text])
        #expect(try store.logs(instanceID: "a", limit: 1).map(\.time) == [1e9 + 0.5])
        let signals = try store.signals(instanceID: "a", limit: 1)
        #expect(signals.map(\.request) == [request] && signals.map(\.reason) == [text])
        #expect(signals.map(\.price) == [nil] && signals.map(\.time) == [2.5])
    }
}
