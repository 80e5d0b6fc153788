import Foundation
import Testing
import StrataRuntime

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
        serve.arguments = ["serve", "--db", db, "--no-demo", "--rate", "50"]
        serve.currentDirectoryURL = repositoryRoot
        serve.standardError = FileHandle.nullDevice
        serve.standardOutput = FileHandle.nullDevice
        try serve.run()
        defer { if serve.isRunning { serve.terminate() } }

        // Given an instance created by the CLI while the engine runs
        let created = try strata("instance", "create", "--db", db, "--type", "sma_cross", "--account", "paper",
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

        // And the audit log holds every change, by the CLI
        let shown = try strata("instance", "show", "live-1", "--db", db, "--json").json
        let audit = shown?["audit"]?.arrayValue ?? []
        #expect(audit.compactMap { $0["field"]?.stringValue } == ["create", "mode", "mode"])
        #expect(audit.allSatisfy { $0["actor"]?.stringValue == "cli" })

        // Ctrl-C (SIGTERM here) stops it cleanly
        serve.terminate()
        serve.waitUntilExit()
        #expect(serve.terminationStatus == 0)
    }
}
