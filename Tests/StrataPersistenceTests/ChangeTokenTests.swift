import Foundation
import StrataEngine
import StrataRuntime
import Synchronization
import Testing

@testable import StrataPersistence

@Suite struct ChangeTokenTests {
    @Test func aWriteThroughAnotherStoreChangesTheToken() throws {
        // Given two stores on one file (as the engine and a CLI process would have)
        let db = try TestDatabase()
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

    @Test func aWriteFromASQLShellChangesTheToken() throws {
        // Given an instance and the engine's token
        let db = try TestDatabase()
        let engine = try db.open()
        try engine.createInstance(.sample("a"), mode: .off, config: [:], actor: .cli)
        let before = try engine.changeToken()

        // When a sqlite3 process updates the row
        let shell = try db.sqlite3("UPDATE instances SET mode = 'active', config = '{\"qty\":2}' WHERE id = 'a';")

        // Then the engine sees a new token and the new desired state
        #expect(shell.status == 0, "\(shell.stderr)")
        #expect(try engine.changeToken() != before)
        let record = try engine.instance(id: "a")
        #expect(record?.mode == .active && record?.config == ["qty": .integer(2)])
    }

    @Test func historyWritesDoNotChangeTheToken() throws {
        let db = try TestDatabase()
        let store = try db.open()
        try store.createInstance(.sample("a"), mode: .observe, config: [:], actor: .cli)
        let token = try store.changeToken()
        try store.appendLogs([InstanceLogEntry(instanceID: "a", time: 0, level: .info, message: "hi")])
        try store.saveStatus(InstanceStatus(instanceID: "a", state: .running))
        try store.recordVersion(StrategyVersion(strategyType: "sma_cross", hash: "h", source: ""))
        #expect(try store.changeToken() == token)
    }

    /// Polls the token every 10 ms in a task of its own (as the engine would) while another store,
    /// then a sqlite3 process, write at unaligned moments; reports write → notice latencies and the
    /// cost of one `changeToken()` call. Every write must be noticed; how fast is measured by
    /// `strata bench --scenario reconcile_latency`, not asserted here.
    @Test func pollingNoticesEveryWriteOfAnotherConnectionOrProcess() async throws {
        let db = try TestDatabase()
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
                let shell = try db.sqlite3("UPDATE instances SET config = '{\"shell\":\(round)}' WHERE id = 'a';")
                written = clock.now
                #expect(shell.status == 0, "\(shell.stderr)")
            }
            let noticed = try await poller.waitForChange(after: seen, timeout: .seconds(2))
            let latency = max(.zero, noticed - written)
            if round.isMultiple(of: 2) { storeLatencies.append(latency) } else { shellLatencies.append(latency) }
        }
        func summary(_ values: [Duration]) -> String {
            let sorted = values.sorted()
            return "median \(sorted[sorted.count / 2]), max \(sorted.last!)"
        }
        print("changeToken() per call: \(perCall); 10 ms poll, second store: \(summary(storeLatencies)); sqlite3 process: \(summary(shellLatencies))")
        #expect(storeLatencies.count == 15 && shellLatencies.count == 15)
    }
}

/// Polls a store's change token on a fixed interval and remembers when it last saw it change.
final class TokenPoller: Sendable {
    private let store: SQLiteStore
    private let interval: Duration
    private let state = Mutex<(generation: Int64, at: ContinuousClock.Instant)>((0, .now))

    init(store: SQLiteStore, interval: Duration) {
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
