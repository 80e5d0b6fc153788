import Foundation
import LuaBridge
import StrataPersistence
import StrataRuntime
import Testing

/// `kill -9` of `strata serve` while an instance trades on a paper account, then a restart:
/// nothing the first process wrote is lost or duplicated, and trading continues.
@Suite struct ServeCrashTests {
    /// Buys, buys, sells a small quantity every other tick, and logs it.
    static let trader = """
        CONFIG_SCHEMA = { every = { type = "integer", default = 2, min = 1 }, qty = { type = "float", default = 0.001 } }
        function init() return { n = 0 } end
        function on_tick(tick)
          state.n = state.n + 1
          if state.n % config.every == 0 then
            local side = (state.n % (3 * config.every) == 0) and "sell" or "buy"
            local order, err = context.place_order{ side = side, qty = config.qty, type = "market" }
            context.log(side .. " " .. (order and order.status or tostring(err)))
          end
        end
        function render() return { widgets = { { type = "metric", label = "n", value = state.n } } } end
        """

    /// Runs one SQL query with the sqlite3 shell (a third process on the database) and returns its rows.
    func sql(_ db: String, _ query: String) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-cmd", ".timeout 5000", db, query]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    func count(_ db: String, _ query: String) throws -> Int {
        Int(try sql(db, query).first ?? "") ?? -1
    }

    func serve(_ db: String, _ strategies: URL, _ more: [String] = []) throws -> Process {
        let serve = Process()
        serve.executableURL = try #require(strataBinary)
        serve.arguments = ["serve", "--db", db, "--strategies", strategies.path, "--no-demo", "--rate", "100", "--port", "0"] + more
        serve.currentDirectoryURL = repositoryRoot
        serve.standardError = FileHandle.nullDevice
        serve.standardOutput = FileHandle.nullDevice
        try serve.run()
        return serve
    }

    /// Polls `count` until it exceeds `floor` (or 20 s pass); returns the last value.
    func waitForMore(_ what: String, than floor: Int, _ count: () throws -> Int) throws -> Int {
        let deadline = ContinuousClock.now + .seconds(20)
        var last = -1
        while ContinuousClock.now < deadline {
            last = try count()
            if last > floor { return last }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("timed out waiting for more than \(floor) \(what); last: \(last)")
        return last
    }

    @Test func killMinus9ThenRestartLosesAndDuplicatesNothing() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("strata.db").path
        let strategies = folder.appendingPathComponent("strategies")
        try FileManager.default.createDirectory(at: strategies, withIntermediateDirectories: true)
        try Self.trader.write(to: strategies.appendingPathComponent("trader.lua"), atomically: true, encoding: .utf8)

        // Given an active instance trading on a paper account, with a config change in its audit log
        // (created before serve starts: two processes creating a new database at once can race)
        let created = try strata(
            "instance", "create", "--db", db, "--strategies", strategies.path, "--type", "trader",
            "--account", "paper", "--market", "X/USD", "--mode", "active", "--id", "t1")
        #expect(created.status == 0, "\(created.stderr)")
        let first = try serve(db, strategies)
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        let configured = try strata(
            "instance", "set-config", "t1", "--db", db, "--strategies", strategies.path,
            "--json", #"{"every": 3, "qty": 0.002}"#)
        #expect(configured.status == 0, "\(configured.stderr)")
        _ = try waitForMore("fills", than: 8) { try count(db, "SELECT count(*) FROM fills") }
        let shownBefore = try #require(try strata("instance", "show", "t1", "--db", db, "--json").json)

        // When the engine is killed with SIGKILL mid-trading
        #expect(kill(first.processIdentifier, SIGKILL) == 0)
        first.waitUntilExit()
        #expect(first.terminationReason == .uncaughtSignal)
        let fillsBefore = try sql(db, "SELECT id || ' ' || order_id || ' ' || side || ' ' || quantity || ' ' || price FROM fills ORDER BY seq")
        let ordersBefore = try count(db, "SELECT count(*) FROM orders")
        #expect(fillsBefore.count > 8)

        // And restarted on the same database, trading on, then stopped cleanly
        let second = try serve(db, strategies)
        defer { if second.isRunning { kill(second.processIdentifier, SIGKILL) } }
        _ = try waitForMore("fills after the restart", than: fillsBefore.count + 5) { try count(db, "SELECT count(*) FROM fills") }
        second.terminate()
        second.waitUntilExit()
        #expect(second.terminationStatus == 0)

        // Then config and audit log are unchanged
        let shownAfter = try #require(try strata("instance", "show", "t1", "--db", db, "--json").json)
        #expect(shownAfter["config"] == shownBefore["config"])
        #expect(shownAfter["audit"] == shownBefore["audit"])
        #expect(shownAfter["audit"]?.arrayValue?.compactMap { $0["field"]?.stringValue } == ["create", "config"])
        // And no order or fill is stored twice, every fill recorded before the kill is still there, unchanged
        #expect(try sql(db, "SELECT id FROM orders GROUP BY id HAVING count(*) > 1").isEmpty)
        #expect(try sql(db, "SELECT id FROM fills GROUP BY id HAVING count(*) > 1").isEmpty)
        #expect(try sql(db, "SELECT order_id FROM fills GROUP BY order_id HAVING count(*) > 1").isEmpty)
        let fillsAfter = try sql(db, "SELECT id || ' ' || order_id || ' ' || side || ' ' || quantity || ' ' || price FROM fills ORDER BY seq")
        #expect(Array(fillsAfter.prefix(fillsBefore.count)) == fillsBefore)
        #expect(try count(db, "SELECT count(*) FROM orders") > ordersBefore)
        // And after the clean stop every filled order has its fill, and none is left open
        #expect(try count(db, "SELECT count(*) FROM orders WHERE status = 'filled'") == fillsAfter.count)
        #expect(try count(db, "SELECT count(*) FROM orders o LEFT JOIN fills f ON f.order_id = o.id WHERE o.status = 'filled' AND f.id IS NULL") == 0)
        #expect(try count(db, "SELECT count(*) FROM orders WHERE status = 'open'") == 0)
    }

    /// The instance's `state` as its newest snapshot holds it, and the tick it was taken at.
    func savedState(_ db: String, _ id: String) throws -> (state: LuaValue, seq: Int64)? {
        let store = try SQLiteStore(path: db)
        defer { try? store.close() }
        guard let snapshot = try store.snapshots(instanceID: id, limit: 1).first else { return nil }
        let lua = try LuaState()
        try lua.pushSnapshot(snapshot.bytes)
        defer { lua.pop() }
        return (try lua.value(at: -1), snapshot.tickSeq)
    }

    @Test func killMinus9ThenRestartResumesEachStateFromItsSnapshotAndTheJournal() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("strata.db").path
        let strategies = folder.appendingPathComponent("strategies")
        try FileManager.default.createDirectory(at: strategies, withIntermediateDirectories: true)
        try Self.trader.write(to: strategies.appendingPathComponent("trader.lua"), atomically: true, encoding: .utf8)
        for (id, mode) in [("t1", "active"), ("t2", "observe")] {
            let created = try strata(
                "instance", "create", "--db", db, "--strategies", strategies.path, "--type", "trader",
                "--account", "paper", "--market", "X/USD", "--mode", mode, "--id", id)
            #expect(created.status == 0, "\(created.stderr)")
        }
        // Given a serve that snapshots every second, killed with SIGKILL after a few snapshots
        let first = try serve(db, strategies, ["--snapshot-interval", "1"])
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        _ = try waitForMore("snapshots", than: 3) { try count(db, "SELECT count(*) FROM state_snapshots WHERE instance_id = 't1'") }
        Thread.sleep(forTimeInterval: 0.3)  // ticks past the last snapshot: the journal has them
        #expect(kill(first.processIdentifier, SIGKILL) == 0)
        first.waitUntilExit()
        let ordersBefore = try sql(db, "SELECT id || ' ' || status || ' ' || tick_seq FROM orders ORDER BY seq")
        let journaled = try count(db, "SELECT count(*) FROM tick_journal WHERE market = 'X/USD'")
        let lastSnapshot = try #require(try savedState(db, "t1"))
        #expect(Int64(journaled) > lastSnapshot.seq)

        // The live decisions up to the kill replay identically
        let replay = try strata("replay", "t1", "--db", db, "--from", "seq:1", "--json")
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.json?["identical"] == .bool(true), "\(replay.stdout.prefix(600))")

        // When restarted and stopped cleanly
        let second = try serve(db, strategies)
        defer { if second.isRunning { kill(second.processIdentifier, SIGKILL) } }
        _ = try waitForMore("journaled ticks after the restart", than: journaled + 50) {
            try count(db, "SELECT count(*) FROM tick_journal WHERE market = 'X/USD'")
        }
        second.terminate()
        second.waitUntilExit()
        #expect(second.terminationStatus == 0)

        // Then each state counted every journaled tick: the snapshot before the kill plus the
        // journal since, then the ticks after the restart (init() would have started over)
        for id in ["t1", "t2"] {
            let (state, seq) = try #require(try savedState(db, id))
            let seen = try count(db, "SELECT count(*) FROM tick_journal WHERE market = 'X/USD' AND seq <= \(seq)")
            #expect(state["n"] == .integer(Int64(seen)), "\(id): n = \(String(describing: state["n"])), journaled \(seen)")
            #expect(try count(db, "SELECT count(*) FROM state_snapshots WHERE instance_id = '\(id)' AND reason = 'stop'") == 1)
        }
        // And no order was lost or placed twice by the catch-up
        let ordersAfter = try sql(db, "SELECT id || ' ' || status || ' ' || tick_seq FROM orders ORDER BY seq")
        #expect(Array(ordersAfter.prefix(ordersBefore.count)) == ordersBefore)
        #expect(try sql(db, "SELECT tick_seq FROM orders WHERE instance_id = 't1' GROUP BY tick_seq HAVING count(*) > 1").isEmpty)
    }
}
