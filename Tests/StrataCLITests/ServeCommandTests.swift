import Foundation
import StrataRuntime
import Testing

/// `strata serve` as a real process, driven from a second process (the CLI) through the
/// database, as a user would.
@Suite struct ServeCommandTests {
    /// Polls `instance show --json` until `condition` holds (or 15 s pass).
    func waitFor(_ id: String, db: String, _ description: String, _ condition: ([String: JSONValue]) -> Bool) throws -> [String: JSONValue] {
        let deadline = ContinuousClock.now + .seconds(15)
        var last: [String: JSONValue] = [:]
        while ContinuousClock.now < deadline {
            if let shown = try strata("instance", "show", id, "--db", db, "--json").json {
                last = shown
                if condition(shown) { return shown }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("timed out waiting for \(description); last: \(JSONValue.object(last).encoded())")
        return last
    }

    func ticks(_ shown: [String: JSONValue]) -> Int64 {
        if case .integer(let n)? = shown["ticks"] { return n }
        return 0
    }

    @Test func reconcilesWritesFromAnotherProcess() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("strata.db").path
        let serve = Process()
        serve.executableURL = try #require(strataBinary)
        serve.arguments = ["serve", "--db", db, "--no-demo", "--rate", "50", "--port", "0"]
        serve.currentDirectoryURL = repositoryRoot
        serve.standardError = FileHandle.nullDevice
        serve.standardOutput = FileHandle.nullDevice
        try serve.run()
        defer { if serve.isRunning { serve.terminate() } }

        // Given an instance created by the CLI while the engine runs
        let created = try strata(
            "instance", "create", "--db", db, "--type", "sma_cross", "--account", "paper",
            "--market", "BTC/USD", "--mode", "observe", "--id", "live-1")
        #expect(created.status == 0, "\(created.stderr)")
        // Then the engine loads it and it receives ticks
        let running = try waitFor("live-1", db: db, "running with ticks") { $0["status"]?.stringValue == "running" && ticks($0) > 0 }
        #expect(running["version"]?.stringValue?.isEmpty == false)

        // When it is switched to active, it keeps running (state kept, no reload)
        #expect(try strata("instance", "set-mode", "live-1", "active", "--db", db).status == 0)
        let before = ticks(running)
        _ = try waitFor("live-1", db: db, "ticks to keep increasing") { ticks($0) > before + 10 }

        // When it is switched off, the engine unloads it
        #expect(try strata("instance", "set-mode", "live-1", "off", "--db", db).status == 0)
        _ = try waitFor("live-1", db: db, "stopped") { $0["status"]?.stringValue == "stopped" }

        // When it is switched on again, it is loaded afresh
        #expect(try strata("instance", "set-mode", "live-1", "observe", "--db", db).status == 0)
        let again = try waitFor("live-1", db: db, "running again") { $0["status"]?.stringValue == "running" && ticks($0) > 0 }

        // When its config changes, the running instance takes it (no error)
        #expect(try strata("instance", "set-config", "live-1", "fast=5", "--db", db).status == 0)
        let reconfigured = try waitFor("live-1", db: db, "ticks after the config change") { ticks($0) > ticks(again) + 10 }
        #expect(reconfigured["config"]?["fast"] == .integer(5))
        #expect(reconfigured["last_error"] == .null)

        // And the audit log holds every change, by the CLI
        let shown = try strata("instance", "show", "live-1", "--db", db, "--json").json
        let audit = shown?["audit"]?.arrayValue ?? []
        #expect(audit.compactMap { $0["field"]?.stringValue } == ["create", "mode", "mode", "mode", "config"])
        #expect(audit.allSatisfy { $0["actor"]?.stringValue == "cli" })

        // Ctrl-C (SIGTERM here) stops it cleanly
        serve.terminate()
        serve.waitUntilExit()
        #expect(serve.terminationStatus == 0)
    }

    static func counter(_ label: String) -> String {
        """
        -- \(label)
        CONFIG_SCHEMA = {}
        function init() return { n = 0 } end
        function on_tick(tick) state.n = state.n + 1; context.log("n=" .. state.n) end
        function render() return { widgets = { { type = "metric", label = "n", value = state.n } } } end
        """
    }

    /// The script's own count of ticks (`state.n`), from the newest log line the engine stored.
    func loggedCount(_ id: String, db: String) throws -> Int {
        let query = Process()
        query.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        query.arguments = [db, "select message from instance_logs where instance_id = '\(id)' order by id desc limit 1"]
        let pipe = Pipe()
        query.standardOutput = pipe
        try query.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        query.waitUntilExit()
        return Int(text.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst(2)) ?? -1
    }

    @Test func hotReloadsGoodSavesAndKeepsTheOldVersionOnBrokenOnes() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("strata.db").path
        let strategies = folder.appendingPathComponent("strategies")
        try FileManager.default.createDirectory(at: strategies, withIntermediateDirectories: true)
        let script = strategies.appendingPathComponent("counter.lua")
        try Self.counter("v1").write(to: script, atomically: true, encoding: .utf8)
        let serve = Process()
        serve.executableURL = try #require(strataBinary)
        serve.arguments = ["serve", "--db", db, "--strategies", strategies.path, "--no-demo", "--rate", "50", "--port", "0"]
        serve.standardError = FileHandle.nullDevice
        serve.standardOutput = FileHandle.nullDevice
        try serve.run()
        defer { if serve.isRunning { serve.terminate() } }
        let created = try strata(
            "instance", "create", "--db", db, "--strategies", strategies.path, "--type", "counter",
            "--account", "paper", "--market", "X/USD", "--mode", "observe", "--id", "c1")
        #expect(created.status == 0, "\(created.stderr)")
        let v1 = try waitFor("c1", db: db, "running") { $0["status"]?.stringValue == "running" && ticks($0) > 5 }
        let version1 = v1["version"]?.stringValue
        let countBefore = try loggedCount("c1", db: db)
        #expect(countBefore > 0)

        // A good save (written by rename, as editors do) is swapped in; the runtime is kept.
        try Self.counter("v2").write(to: script, atomically: true, encoding: .utf8)
        let v2 = try waitFor("c1", db: db, "the new version") { $0["version"]?.stringValue != version1 }
        #expect(ticks(v2) >= ticks(v1))
        let version2 = v2["version"]?.stringValue
        // The new code goes on counting from the old state: init() did not run again.
        // (Had it, n would count only the ticks since the reload, fewer than before it.)
        _ = try waitFor("c1", db: db, "ticks on the new version") { ticks($0) > ticks(v2) + 5 }
        #expect(try loggedCount("c1", db: db) >= Int(ticks(v2)))

        // A broken save leaves the running version alone and shows the error on the instance.
        try "function on_tick(tick) state.n = = 1 end".write(to: script, atomically: false, encoding: .utf8)
        let broken = try waitFor("c1", db: db, "the broken save's error") {
            $0["last_error"]?["message"]?.stringValue?.contains("broken") == true
        }
        #expect(broken["version"]?.stringValue == version2)
        #expect(broken["status"]?.stringValue == "running")
        _ = try waitFor("c1", db: db, "ticks to go on") { ticks($0) > ticks(broken) + 5 }

        // The fix is swapped in and the error clears.
        try Self.counter("v3, fixed").write(to: script, atomically: true, encoding: .utf8)
        let fixed = try waitFor("c1", db: db, "the fixed version") {
            $0["version"]?.stringValue != version2 && $0["last_error"] == .null
        }
        #expect(ticks(fixed) >= ticks(broken))
        serve.terminate()
        serve.waitUntilExit()
    }
}
