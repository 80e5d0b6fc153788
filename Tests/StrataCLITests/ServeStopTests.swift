import Foundation
import StrataEngine
import StrataPersistence
import StrataRuntime
import Testing

/// SIGTERM ends `strata serve` within seconds even when its engine cannot stop: here a script
/// run in-process (`--isolation none`) holds the engine's thread in the garbage collector,
/// where no hook fires and no deadline reaches.
@Suite struct ServeStopTests {
    /// Builds a chain of 200,000 ephemerons in init: the collector's atomic phase converges one
    /// link per pass over the chain, in C, for about ten seconds on this machine.
    static let wedge = """
        CONFIG_SCHEMA = {}
        function init()
          local weak = setmetatable({}, { __mode = "k" })
          local first, key = {}, nil
          key = first
          for _ = 1, 200000 do
            local following = {}
            weak[key] = following
            key = following
          end
          return { weak = weak, first = first }
        end
        function on_tick(tick) end
        function render() return { widgets = {} } end
        """

    func create(_ store: SQLiteStore, _ id: String, type: String) throws {
        _ = try store.createInstance(
            InstanceIdentity(id: id, strategyType: type, account: "paper", market: "X/USD"), mode: .observe, config: [:], actor: .cli)
    }

    func status(_ db: String, _ id: String) throws -> String? {
        try sqlRows(db, "SELECT status FROM instance_status WHERE instance_id = '\(id)'").first?["status"]?.stringValue
    }

    @Test func aStopTheEngineCannotFinishIsForcedAfterTheStopTimeout() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("strata.db").path
        let strategies = folder.appendingPathComponent("strategies")
        try FileManager.default.createDirectory(at: strategies, withIntermediateDirectories: true)
        try Canary.source.write(to: strategies.appendingPathComponent("counter.lua"), atomically: true, encoding: .utf8)
        try Self.wedge.write(to: strategies.appendingPathComponent("wedge.lua"), atomically: true, encoding: .utf8)
        let store = try SQLiteStore(path: db)
        try create(store, "innocent", type: "counter")

        // Given an in-process engine whose instance runs and has been written as running
        let server = try LiveServer(
            ["--db", db, "--strategies", strategies.path, "--isolation", "none", "--no-demo", "--rate", "50", "--stop-timeout", "2"],
            log: folder.appendingPathComponent("serve.log"))
        let deadline = ContinuousClock.now + .seconds(20)
        while try status(db, "innocent") != "running", ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(try status(db, "innocent") == "running", "\(server.output)")

        // When a script wedges its thread in the collector, and SIGTERM comes a second later
        try create(store, "wedged", type: "wedge")
        try store.close()
        Thread.sleep(forTimeInterval: 1)
        #expect(server.process.isRunning, "\(server.output)")
        let elapsed = server.stop(within: 10)

        // Then the process ends once the stop timeout has passed (exit 3), having written the
        // instance the engine left running as stopped
        #expect(elapsed.map { $0 >= 1.9 && $0 < 5 } == true, "stopped after \(String(describing: elapsed)) s")
        #expect(server.process.terminationStatus == 3, "\(server.output)")
        #expect(server.output.contains("forced stop"), "\(server.output)")
        #expect(try status(db, "innocent") == "stopped")
        #expect(try status(db, "wedged") != "running")
    }

    @Test func badStopTimeoutsAreUsageErrors() throws {
        for value in ["0", "-1", "601", "nan"] {
            let run = try strata("serve", "--stop-timeout", value, "--db", "/nonexistent/x.db")
            #expect(run.status == 2, "--stop-timeout \(value): \(run.stderr)")
        }
    }
}
