import Foundation
import StrataEngine
import StrataPersistence
import StrataRuntime
import Testing

/// SIGTERM ends `strata serve` within seconds even when its engine cannot stop: here a script
/// run in-process (`--isolation none`) holds the engine's thread in the garbage collector,
/// where no hook fires and no deadline reaches.
@Suite struct ServeStopTests {
    /// Builds a chain of 200,000 ephemerons in init: when the chain's links land in an unlucky
    /// order, the collector's atomic phase converges a few per pass over it, in C where no hook
    /// fires, for 7 to 10 s on this machine (init's 1 s deadline lands only after it; the stuck
    /// report would come at 11 s). In other runs it converges at once and nothing wedges.
    static let wedge = """
        CONFIG_SCHEMA = {}
        function init()
          local weak = setmetatable({}, { __mode = "k" })
          local first = {}
          local key = first
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

    /// Waits (up to 10 s) until `id`'s tick count, as the API shows it, has not moved for
    /// 1.5 s (it is saved every second while the engine steps), or the API does not answer.
    func waitForStandstill(_ server: LiveServer, of id: String) -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        var ticks: JSONValue?
        var since = ContinuousClock.now
        while ContinuousClock.now < deadline {
            guard let answer = server.request("GET", "/api/instances/\(id)", timeout: 2) else { return true }
            let current = answer.body?["status"]?["ticks"]
            if current != ticks {
                ticks = current
                since = ContinuousClock.now
            } else if ContinuousClock.now - since > .milliseconds(1500) {
                return true
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    @Test(.disabled("no script wedges the in-process engine reliably any more: the forced path is reached in about half the runs"))
    func aStopTheEngineCannotFinishIsForcedAfterTheStopTimeout() throws {
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

        // When a script wedges the engine's thread in the collector (the other instance's
        // ticks stand still), and SIGTERM comes then
        try create(store, "wedged", type: "wedge")
        try store.close()
        guard waitForStandstill(server, of: "innocent") else {
            // The collector's work depends on where the allocator put the chain: some runs it
            // converges in well under a second and nothing wedges. Then the stop is an ordinary one.
            withKnownIssue("the ephemeron chain did not wedge the collector this run", isIntermittent: true) {
                Issue.record("no standstill within 10 s")
            }
            let elapsed = server.stop(within: 10)
            #expect(elapsed.map { $0 < 5 } == true && server.process.terminationStatus == 0, "\(server.output)")
            #expect(try status(db, "innocent") == "stopped")
            return
        }
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
