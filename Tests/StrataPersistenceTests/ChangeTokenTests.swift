import Foundation
import StrataEngine
import StrataRuntime
import Synchronization
import Testing

@testable import StrataPersistence

@Suite struct ChangeTokenTests {
    @Test(arguments: StoreKind.allCases) func aWriteThroughAnotherStoreChangesTheToken(_ kind: StoreKind) throws {
        // Given two stores on one file (as the engine and a CLI process would have)
        let db = try TestStore(kind)
        let engine = try db.open()
        let cli = try db.open()
        let before = try engine.changeToken()

        // When the second one creates an instance, then changes its mode
        try cli.createInstance(.sample("a"), mode: .off, config: [:], actor: .cli)
        let afterCreate = try engine.changeToken()
        try cli.setMode(id: "a", to: .observe, actor: .cli)

        // Then the first sees a new token after each write, and the new state
        #expect(afterCreate != before)
        #expect(try engine.changeToken() != afterCreate)
        #expect(try engine.instance(id: "a")?.mode == .observe)
    }

    @Test(arguments: StoreKind.allCases) func aWriteFromASQLShellChangesTheToken(_ kind: StoreKind) throws {
        // Given an instance and the engine's token
        let db = try TestStore(kind)
        let engine = try db.open()
        try engine.createInstance(.sample("a"), mode: .off, config: [:], actor: .cli)
        let before = try engine.changeToken()

        // When a SQL shell (sqlite3, psql) updates the row
        let shell = try db.shell("UPDATE instances SET mode = 'active', config = '{\"qty\":2}' WHERE id = 'a';")

        // Then the engine sees a new token and the new desired state
        #expect(shell.status == 0, "\(shell.stderr)")
        #expect(try engine.changeToken() != before)
        let record = try engine.instance(id: "a")
        #expect(record?.mode == .active && record?.config == ["qty": .integer(2)])
    }

    @Test(arguments: StoreKind.allCases) func historyWritesDoNotChangeTheToken(_ kind: StoreKind) throws {
        let db = try TestStore(kind)
        let store = try db.open()
        try store.createInstance(.sample("a"), mode: .observe, config: [:], actor: .cli)
        let token = try store.changeToken()
        try store.appendLogs([InstanceLogEntry(instanceID: "a", time: 0, level: .info, message: "hi")])
        try store.saveStatus(InstanceStatus(instanceID: "a", state: .running))
        try store.recordVersion(StrategyVersion(strategyType: "sma_cross", hash: "h", source: ""))
        #expect(try store.changeToken() == token)
    }

    @Test(arguments: StoreKind.allCases) func observersHearTheStoresOwnWrites(_ kind: StoreKind) throws {
        // Given an observer of the desired state
        let db = try TestStore(kind)
        let store = try db.open()
        let calls = Atomic<Int>(0)
        let observation = store.observeDesiredState { calls.add(1, ordering: .relaxed) }
        defer { observation.cancel() }

        // When instances are created through the store until one is heard (the PostgreSQL
        // listener connects on a thread of its own), and then one more
        var created = 0
        let heard = waitUntil {
            created += 1
            _ = try? store.createInstance(.sample("warm-\(created)"), mode: .off, config: [:], actor: .cli)
            return waitUntil(timeout: 0.2) { calls.load(ordering: .relaxed) > 0 }
        }
        let seen = calls.load(ordering: .relaxed)
        try store.setMode(id: "warm-1", to: .observe, actor: .cli)

        // Then the observer is called for it
        #expect(heard)
        #expect(waitUntil { calls.load(ordering: .relaxed) > seen })
    }

    /// Polls the token every 10 ms in a task of its own (as the engine would) while another store,
    /// then a SQL shell process, write at unaligned moments; reports write → notice latencies and the
    /// cost of one `changeToken()` call. Every write must be noticed; how fast is measured by
    /// `strata bench --scenario reconcile_latency`, not asserted here.
    @Test(arguments: StoreKind.allCases) func pollingNoticesEveryWriteOfAnotherConnectionOrProcess(_ kind: StoreKind) async throws {
        let db = try TestStore(kind)
        let engine = try db.open()
        let cli = try db.open()
        try cli.createInstance(.sample("a"), mode: .off, config: [:], actor: .cli)

        let clock = ContinuousClock()
        let calls = 2_000
        let start = clock.now
        for _ in 0..<calls { _ = try engine.changeToken() }
        let perCall = (clock.now - start) / calls

        let poller = TokenPoller(store: engine, interval: .milliseconds(10))
        let polling = Task.detached { try await poller.run() }
        defer { polling.cancel() }

        var storeLatencies: [Duration] = []
        var shellLatencies: [Duration] = []
        for round in 0..<30 {
            try await Task.sleep(for: .milliseconds(Int.random(in: 1...25)))
            let seen = poller.generation
            let written: ContinuousClock.Instant
            if round.isMultiple(of: 2) {
                try cli.setConfig(id: "a", to: ["round": .integer(Int64(round))], actor: .cli)
                written = clock.now
            } else {
                // Measured from the shell's exit: its start-up is not the engine's latency.
                let shell = try db.shell("UPDATE instances SET config = '{\"shell\":\(round)}' WHERE id = 'a';")
                written = clock.now
                #expect(shell.status == 0, "\(shell.stderr)")
            }
            let noticed = try await poller.waitForChange(after: seen, timeout: .seconds(20))
            let latency = max(.zero, noticed - written)
            if round.isMultiple(of: 2) { storeLatencies.append(latency) } else { shellLatencies.append(latency) }
        }
        func summary(_ values: [Duration]) -> String {
            let sorted = values.sorted()
            return "median \(sorted[sorted.count / 2]), max \(sorted.last!)"
        }
        print("\(kind): changeToken() per call: \(perCall); 10 ms poll, second store: \(summary(storeLatencies)); shell process: \(summary(shellLatencies))")
        #expect(storeLatencies.count == 15 && shellLatencies.count == 15)
    }
}

/// Polls a store's change token on a fixed interval and remembers when it last saw it change.
final class TokenPoller: Sendable {
    private let store: any InstanceStore
    private let interval: Duration
    private let state = Mutex<(generation: Int64, at: ContinuousClock.Instant)>((0, .now))

    init(store: any InstanceStore, interval: Duration) {
        self.store = store
        self.interval = interval
        state.withLock { $0.generation = (try? store.changeToken().generation) ?? 0 }
    }

    /// The last generation seen.
    var generation: Int64 { state.withLock { $0.generation } }

    func run() async throws {
        while !Task.isCancelled {
            let token = try store.changeToken()
            let now = ContinuousClock.now
            state.withLock { if $0.generation != token.generation { $0 = (token.generation, now) } }
            try await Task.sleep(for: interval)
        }
    }

    /// When the poller first saw a generation other than `seen`.
    func waitForChange(after seen: Int64, timeout: Duration) async throws -> ContinuousClock.Instant {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let (generation, at) = state.withLock { ($0.generation, $0.at) }
            if generation != seen { return at }
            try await Task.sleep(for: .milliseconds(1))
        }
        throw StoreError(.database, "the poller saw no change within \(timeout)")
    }
}
