import Foundation
import LuaBridge
import StrataPersistence
import Testing

@testable import StrataEngine
@testable import StrataRuntime

/// State survives restarts: real engines over one SQLite file, the second one started where the
/// first stopped (gracefully, or dropped without a stop as a crash would).
@Suite struct StatePersistenceTests {
    /// Counts its ticks, keeps the last few prices, buys on every 5th tick in active mode.
    static let counter = """
        CONFIG_SCHEMA = {}
        function init() return { n = 0, inits = 1, prices = {} } end
        function on_tick(tick)
          state.n = state.n + 1
          table.insert(state.prices, tick.price)
          if #state.prices > 5 then table.remove(state.prices, 1) end
          if state.n % 5 == 0 then context.place_order{ side = "buy", qty = 0.001, type = "market" } end
        end
        function render() return { widgets = {} } end
        """

    let folder: URL
    let store: SQLiteStore

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-persist-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try SQLiteStore(path: folder.appendingPathComponent("strata.db").path)
        try write(Self.counter, to: "counter")
    }

    func write(_ source: String, to name: String) throws {
        try source.write(to: folder.appendingPathComponent("\(name).lua"), atomically: true, encoding: .utf8)
    }

    func engine(_ persistence: StatePersistence = StatePersistence()) -> Engine {
        Engine(store: store, library: StrategyLibrary(directory: folder), workers: 1, persistence: persistence)
    }

    func create(_ id: String, _ type: String = "counter", mode: InstanceMode = .active) throws {
        _ = try store.createInstance(
            InstanceIdentity(id: id, strategyType: type, account: "paper", market: "X/USD"), mode: mode, config: [:], actor: .cli)
    }

    func feed(_ engine: Engine, _ range: ClosedRange<Int>) {
        for index in range { engine.tick(Tick(market: "X/USD", ts: Double(index), price: 100 + Double(index % 9))) }
    }

    /// A Lua expression over an in-process instance's globals.
    func evaluate(_ engine: Engine, _ id: String, _ expression: String) throws -> LuaValue {
        let runtime = try #require(engine.runtime(id))
        try runtime.lua.load("return " + expression, chunkName: "=check")
        try runtime.lua.call(arguments: 0, results: 1, deadline: .seconds(5))
        defer { runtime.lua.pop() }
        return try runtime.lua.value(at: -1)
    }

    @Test func aGracefulRestartResumesEveryInstanceWhereItStopped() throws {
        try create("a")
        try create("b", mode: .observe)
        let first = engine()
        try first.reconcile()
        feed(first, 1...42)
        first.saveSnapshots(reason: .stop)
        try first.flushActivity()

        let second = engine()
        try second.reconcile()
        #expect(try evaluate(second, "a", "state.n") == .integer(42))
        #expect(try evaluate(second, "b", "state.n") == .integer(42))
        #expect(try evaluate(second, "a", "state.prices[5]") == .number(100 + Double(42 % 9)))
        #expect(try store.status(instanceID: "a")?.lastError == nil)
        feed(second, 43...45)
        #expect(try evaluate(second, "a", "state.n") == .integer(45))
        #expect(try store.snapshots(instanceID: "a", limit: 10).first?.reason == .stop)
    }

    @Test func aCrashResumesFromTheLastSnapshotPlusTheJournalWithoutTradingAgain() throws {
        try create("a")
        let first = engine()
        try first.reconcile()
        feed(first, 1...30)
        first.saveSnapshots(reason: .periodic)
        feed(first, 31...50)
        try first.flushActivity()  // the journal and the orders are written; no stop: a crash
        let ordersBefore = try store.orders(instanceID: "a", limit: 1_000)
        #expect(ordersBefore.count == 10)

        let second = engine()
        try second.reconcile()
        #expect(try evaluate(second, "a", "state.n") == .integer(50))
        #expect(try evaluate(second, "a", "state.inits") == .integer(1))  // restored, not init()
        try second.flushActivity()
        // The catch-up decided as live did, but placed nothing again.
        #expect(try store.orders(instanceID: "a", limit: 1_000) == ordersBefore)
        #expect(try store.signals(instanceID: "a", limit: 1_000).isEmpty)
        feed(second, 51...55)
        try second.flushActivity()
        #expect(try store.orders(instanceID: "a", limit: 1_000).count == 11)
    }

    @Test func ticksAreNumberedAcrossRestartsAndOrdersNameTheirTick() throws {
        try create("a")
        let first = engine()
        try first.reconcile()
        feed(first, 1...10)
        try first.flushActivity()
        #expect(try store.lastTickSeq() == 10)
        let second = engine()
        try second.reconcile()
        feed(second, 11...15)
        try second.flushActivity()
        #expect(try store.lastTickSeq() == 15)
        let journal = try store.journaledTicks(market: "X/USD", after: 0, through: nil, limit: 100)
        #expect(journal.map(\.seq) == Array(1...15))
        #expect(journal.map(\.ts) == (1...15).map(Double.init))
        let orders = try store.orders(instanceID: "a", limit: 100)
        #expect(orders.map(\.request.tickSeq) == [5, 10, 15])
        let fills = try store.fills(instanceID: "a", limit: 100)
        #expect(fills.map(\.tickSeq) == [5, 10, 15])
        #expect(try store.tickSeq(market: "X/USD", atOrBefore: 12.5) == 12)
    }

    @Test func signalsNameTheirTick() throws {
        try create("o", mode: .observe)
        let engine = engine()
        try engine.reconcile()
        feed(engine, 1...10)
        try engine.flushActivity()
        #expect(try store.signals(instanceID: "o", limit: 10).map(\.request.tickSeq) == [5, 10])
    }

    @Test func aCorruptSnapshotFallsBackToInitWithTheReasonInTheStatus() throws {
        try create("a")
        let script = StrategyScript(name: "counter", source: Self.counter)
        try store.saveSnapshots(
            [StateSnapshot(instanceID: "a", version: script.version, tickSeq: 0, takenAt: Date(), reason: .periodic, bytes: Array("STS1".utf8) + [0x42])],
            keep: 5)
        let engine = engine()
        try engine.reconcile()
        #expect(try evaluate(engine, "a", "state.n") == .integer(0))
        let status = try #require(try store.status(instanceID: "a"))
        #expect(status.state == .running)
        #expect(status.lastError?.kind == "snapshot")
        #expect(status.lastError?.message.contains("init() started over: cannot restore the saved state: corrupt snapshot: an unknown tag") == true)
    }

    @Test func anOversizedStateIsRefusedNamedAndTheInstanceRunsOn() throws {
        try write(
            """
            CONFIG_SCHEMA = {}
            function init() return { f = print } end
            function on_tick(tick) end
            function render() return { widgets = {} } end
            """, to: "unsaveable")
        try create("u", "unsaveable")
        let engine = engine()
        try engine.reconcile()
        engine.saveSnapshots(reason: .periodic)
        feed(engine, 1...1)  // statuses are written with the next round
        let status = try #require(try store.status(instanceID: "u"))
        #expect(status.state == .running)
        #expect(status.lastError?.message == "state not saved: state.f is a function, which cannot be saved")
        #expect(try store.snapshots(instanceID: "u", limit: 5).isEmpty)
    }

    @Test func aSnapshotOfAnotherVersionGoesThroughOnReloadOrInit() throws {
        try create("a")
        let first = engine()
        try first.reconcile()
        feed(first, 1...7)
        first.saveSnapshots(reason: .stop)
        // A new version with on_reload: the saved state, then on_reload(old_version).
        try write(Self.counter + "\nfunction on_reload(old) state.reloaded_from = old end", to: "counter")
        let second = engine()
        try second.reconcile()
        #expect(try evaluate(second, "a", "state.n") == .integer(7))
        #expect(try evaluate(second, "a", "type(state.reloaded_from)") == .string("string"))
        second.saveSnapshots(reason: .stop)
        // A version without on_reload: init() decides.
        try write(Self.counter.replacingOccurrences(of: "inits = 1", with: "inits = 2"), to: "counter")
        let third = engine()
        try third.reconcile()
        #expect(try evaluate(third, "a", "state.n") == .integer(0))
        #expect(try evaluate(third, "a", "state.inits") == .integer(2))
        feed(third, 8...8)
        let note = try #require(try store.status(instanceID: "a")?.lastError)
        #expect(note.kind == "snapshot")
        #expect(note.message.contains("has no on_reload(old_version), so init() started over"), "\(note.message)")
    }

    @Test func switchingOffAndOnKeepsWhatTheInstanceLearned() throws {
        try create("a")
        let engine = engine()
        try engine.reconcile()
        feed(engine, 1...12)
        _ = try store.setMode(id: "a", to: .off, actor: .cli)
        try engine.reconcile()
        #expect(try store.snapshots(instanceID: "a", limit: 5).first?.reason == .off)
        _ = try store.setMode(id: "a", to: .observe, actor: .cli)
        try engine.reconcile()
        #expect(try evaluate(engine, "a", "state.n") == .integer(12))
    }

    @Test func periodicRoundsSkipUnchangedStatesAndKeepTheNewestSnapshots() throws {
        try create("a")
        var persistence = StatePersistence()
        persistence.snapshotsKept = 3
        let engine = engine(persistence)
        try engine.reconcile()
        engine.saveSnapshots(reason: .periodic)
        engine.saveSnapshots(reason: .periodic)  // unchanged: skipped
        #expect(try store.snapshots(instanceID: "a", limit: 10).count == 1)
        for round in 1...5 {
            feed(engine, round...round)
            try engine.flushActivity()
            engine.saveSnapshots(reason: .periodic)
        }
        let kept = try store.snapshots(instanceID: "a", limit: 10)
        #expect(kept.map(\.tickSeq) == [5, 4, 3])
        #expect(try store.snapshot(instanceID: "a", atOrBefore: 4)?.tickSeq == 4)
        #expect(try store.snapshot(instanceID: "a", atOrBefore: 2) == nil)
    }

    @Test func anInstanceThatFailedStartsOverWithInit() throws {
        try write(
            """
            CONFIG_SCHEMA = { fail_at = { type = "integer", default = 0 } }
            function init() return { n = 0 } end
            function on_tick(tick) state.n = state.n + 1 if state.n == config.fail_at then error("boom") end end
            function render() return { widgets = {} } end
            """, to: "fragile")
        _ = try store.createInstance(
            InstanceIdentity(id: "f", strategyType: "fragile", account: "paper", market: "X/USD"), mode: .observe,
            config: ["fail_at": .integer(3)], actor: .cli)
        let engine = engine()
        try engine.reconcile()
        feed(engine, 1...2)
        engine.saveSnapshots(reason: .periodic)
        feed(engine, 3...3)
        #expect(try store.status(instanceID: "f")?.state == .error)
        _ = try store.setConfig(id: "f", to: ["fail_at": .integer(100)], actor: .cli)
        try engine.reconcile()
        #expect(try evaluate(engine, "f", "state.n") == .integer(0))
    }

    @Test func withPersistenceDisabledNothingIsJournaledOrSaved() throws {
        try create("a")
        let engine = engine(.disabled)
        try engine.reconcile()
        feed(engine, 1...5)
        engine.saveSnapshots(reason: .stop)
        try engine.flushActivity()
        #expect(try store.journaledTicks(market: "X/USD", after: 0, through: nil, limit: 10).isEmpty)
        #expect(try store.snapshots(instanceID: "a", limit: 5).isEmpty)
    }

    @Test func theJournalKeepsTheNewestTicksAndDropsOldOnesByAge() throws {
        let ticks = (1...100).map { index -> Tick in
            var tick = Tick(market: index % 2 == 0 ? "A" : "B", ts: Double(index), price: 1)
            tick.seq = Int64(index)
            return tick
        }
        try store.appendTicks(ticks)
        try store.appendTicks(Array(ticks[90...]))  // a retried write duplicates nothing
        #expect(try store.journaledTicks(market: "A", after: 0, through: nil, limit: 1_000).count == 50)
        try store.pruneJournal(keepTicks: 20, maxAge: nil)
        #expect(try store.journaledTicks(market: "A", after: 0, through: nil, limit: 1_000).map(\.seq).first == 62)
        try store.pruneJournal(keepTicks: 1_000, maxAge: 10)
        #expect(try store.journaledTicks(market: "B", after: 0, through: nil, limit: 1_000).map(\.ts) == [89, 91, 93, 95, 97, 99])
        #expect(try store.lastTickSeq() == 100)
    }

    /// `state` as plain data: each `ta` indicator replaced by what it is and what it holds
    /// (`{ indicator = "ta.sma(20)", ready = true, value = { ... } }`), so states compare.
    static let plainState = """
        (function()
          local seen = {}
          local function plain(v)
            if type(v) == "userdata" then return { indicator = tostring(v), ready = v:ready(), value = table.pack(v:value()) } end
            if type(v) ~= "table" then return v end
            if seen[v] then return seen[v] end
            local copy = {}
            seen[v] = copy
            for k, x in pairs(v) do copy[plain(k)] = plain(x) end
            return copy
          end
          return plain(state)
        end)()
        """

    @Test func aRestartKeepsEachExampleStrategysState() throws {
        let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("strategies-lua")
        let files = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { $0.hasSuffix(".lua") }.sorted()
        #expect(files.count >= 2)
        for file in files {
            try FileManager.default.copyItem(at: examples.appendingPathComponent(file), to: folder.appendingPathComponent(file))
            try create(String(file.dropLast(4)), String(file.dropLast(4)), mode: .observe)
        }
        try FileManager.default.copyItem(at: examples.appendingPathComponent("lib"), to: folder.appendingPathComponent("lib"))
        let first = engine()
        try first.reconcile()
        for index in 1...300 {
            first.tick(Tick(market: "X/USD", ts: 1_700_000_000 + Double(index) * 60, price: 100 + Double((index * 7) % 23) - Double(index % 5)))
        }
        first.saveSnapshots(reason: .stop)
        let second = engine()
        try second.reconcile()
        for file in files {
            let id = String(file.dropLast(4))
            let before = try evaluate(first, id, Self.plainState)
            #expect(try evaluate(second, id, Self.plainState) == before, "\(id)")
            #expect(try store.status(instanceID: id)?.lastError == nil, "\(id)")
        }
    }
}
