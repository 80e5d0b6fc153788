import Foundation
import StrataRuntime
import Synchronization
import Testing

/// Issue 11's "done when": hostile scripts (one or more per kind of attack: crash the process,
/// freeze it, memory past the cap, wrong verdicts, and workers that segfault or wedge on
/// purpose) run in a live `strata serve --isolation process` beside a canary. The server stays
/// up and answers, the canary misses no tick, every hostile instance ends in `error` (or
/// quarantine) with its cause, SIGTERM stops the server in seconds; and `strata check --json`
/// gives a verdict for each script within seconds.
@Suite(.serialized) struct LiveHostileSuiteTests {
    static let market = "X/USD"
    static let rate = 50.0
    /// How long the hostile instances get to end in `error`.
    static let settleBound: Duration = .seconds(40)

    /// The last status of each instance, from the database (another process, as a user's tool).
    func statuses(_ db: String) throws -> [String: [String: JSONValue]] {
        let rows = try sqlRows(db, "SELECT instance_id, status, last_error_kind, last_error_message, ticks FROM instance_status")
        return Dictionary(rows.compactMap { row in row["instance_id"]?.stringValue.map { ($0, row) } }) { $1 }
    }

    func create(_ server: LiveServer, id: String, type: String) -> (status: Int, body: JSONValue?)? {
        server.request(
            "POST", "/api/instances",
            body: .object([
                "id": .string(id), "strategy_type": .string(type), "account": .string("paper"),
                "market": .string(Self.market), "mode": .string("observe"),
            ]), timeout: 30)
    }

    @Test func aLiveServerOutlivesEveryHostileScriptAndItsCanaryMissesNoTick() throws {
        let fixtures = try HostileFixture.all()
        #expect(fixtures.count >= 15)
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("strata.db").path
        let strategies = folder.appendingPathComponent("strategies")
        try FileManager.default.createDirectory(at: strategies, withIntermediateDirectories: true)
        for fixture in fixtures {
            try FileManager.default.copyItem(at: fixture.file, to: strategies.appendingPathComponent(fixture.file.lastPathComponent))
        }
        // (with the modules the require fixtures abuse, as the strategies' lib/ folder)
        try FileManager.default.copyItem(at: HostileFixture.folder.appendingPathComponent("lib"), to: strategies.appendingPathComponent("lib"))
        try Canary.source.write(to: strategies.appendingPathComponent("canary.lua"), atomically: true, encoding: .utf8)

        // Given a live server that runs instances in worker processes, with faults on offer
        let server = try LiveServer(
            ["--db", db, "--strategies", strategies.path, "--isolation", "process", "--no-demo", "--rate", "\(Self.rate)"],
            environment: ["STRATA_TEST_FAULTS": "1"], log: folder.appendingPathComponent("serve.log"))
        try #require(server.baseURL != nil, "\(server.output)")
        // (every script is vetted in a worker before the engine offers its type)
        try #require(waitForTypes(server, ["canary"] + fixtures.map(\.name)), "\(server.output)")
        // And a canary ticking on the market the hostile scripts trade
        #expect(create(server, id: "canary", type: "canary")?.status == 201, "\(server.output)")

        // When one instance of every hostile script is created through the API, at once
        let answers = Mutex<[String: (status: Int, body: JSONValue?)?]>([:])
        DispatchQueue.concurrentPerform(iterations: fixtures.count) { index in
            let answer = create(server, id: fixtures[index].name, type: fixtures[index].name)
            answers.withLock { $0[fixtures[index].name] = answer }
        }
        for fixture in fixtures {
            let answer = answers.withLock { $0[fixture.name] } ?? nil
            #expect(answer?.status == 201, "\(fixture): create answered \(String(describing: answer))")
        }

        // Then, while they attack, the server answers and every hostile instance ends in error
        var watch = LiveWatch(fixtures: fixtures)
        let deadline = ContinuousClock.now + Self.settleBound
        while ContinuousClock.now < deadline {
            try #require(server.process.isRunning, "strata serve died: \(server.output.suffix(4000))")
            let list = server.request("GET", "/api/instances", timeout: 5)
            if list?.status != 200 { watch.unanswered += 1 }
            watch.observe(try statuses(db))
            watch.canaryLines += try canaryLines(db, after: watch.lastLogID, into: &watch.lastLogID)
            for fixture in watch.renderDue() {
                watch.rendered[fixture.name] = server.request("GET", "/api/instances/\(fixture.name)/ui", timeout: 20)
            }
            if watch.settled { break }
            Thread.sleep(forTimeInterval: 0.25)
        }
        #expect(watch.unanswered == 0, "GET /api/instances went unanswered \(watch.unanswered) times")
        for fixture in fixtures { watch.expectOutcome(of: fixture) }

        // And SIGTERM stops the server within seconds, leaving no instance `running`
        let elapsed = server.stop(within: 15)
        #expect(elapsed.map { $0 < 8 } == true, "SIGTERM took \(String(describing: elapsed)) s: \(server.output.suffix(2000))")
        #expect(server.process.terminationStatus == 0, "\(server.output.suffix(2000))")
        let final = try statuses(db)
        let stillRunning = final.filter { $0.value["status"] == .string("running") }.keys.sorted()
        #expect(stillRunning.isEmpty, "running after the stop: \(stillRunning)")

        // And the canary got every tick of the feed, each once: its log, one line per tick with
        // the tick's time, has no gap or repeat, and holds as many lines as the engine counted
        watch.canaryLines += try canaryLines(db, after: watch.lastLogID, into: &watch.lastLogID)
        let report = Canary.report(watch.canaryLines, interval: 1 / Self.rate)
        #expect(report.ticks > 200, "\(report)")
        #expect(report.gaps.isEmpty && report.repeats == 0, "\(report)")
        if case .integer(let counted)? = final["canary"]?["ticks"] {
            #expect(Int(counted) == report.ticks, "the engine counted \(counted) ticks; the canary logged \(report)")
        } else {
            Issue.record("no status for the canary: \(final)")
        }
        #expect(final["canary"]?["status"]?.stringValue == "stopped")
    }

    /// Waits (up to 30 s) until `GET /api/strategies` names every type in `types`.
    func waitForTypes(_ server: LiveServer, _ types: [String]) -> Bool {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let text = server.request("GET", "/api/strategies")?.body?.encoded(), types.allSatisfy({ text.contains("\"\($0)\"") }) {
                return true
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    /// The canary's log lines after `after` (the log is read as it grows: it keeps only the
    /// newest 1,000 lines of an instance).
    func canaryLines(_ db: String, after: Int64, into last: inout Int64) throws -> [Canary.Line] {
        let rows = try sqlRows(db, "SELECT id, message FROM instance_logs WHERE instance_id = 'canary' AND id > \(after) ORDER BY id")
        var lines: [Canary.Line] = []
        for row in rows {
            if case .integer(let id)? = row["id"] { last = max(last, id) }
            if let line = row["message"]?.stringValue.flatMap(Canary.parse) { lines.append(line) }
        }
        return lines
    }

    @Test func checkGivesAVerdictForEveryHostileScriptWithinSeconds() throws {
        let fixtures = try HostileFixture.all()
        let verdicts = Mutex<[String: (run: StrataRun, seconds: Double)]>([:])
        DispatchQueue.concurrentPerform(iterations: fixtures.count) { index in
            let start = ContinuousClock.now
            guard let run = try? strata("check", fixtures[index].file.path, "--json") else { return }
            let elapsed = ContinuousClock.now - start
            verdicts.withLock { $0[fixtures[index].name] = (run, Double(elapsed.components.seconds)) }
        }
        for fixture in fixtures {
            guard let (run, seconds) = verdicts.withLock({ $0[fixture.name] }) else {
                Issue.record("\(fixture): strata check did not run")
                continue
            }
            #expect(seconds < 15, "\(fixture): strata check took \(seconds) s")
            let verdict = run.json?["ok"] == .bool(true) ? "ok" : run.json?["error"]?["kind"]?.stringValue ?? "none"
            #expect(fixture.check.contains(verdict), "\(fixture): verdict \(verdict), expected \(fixture.check): \(run.stdout) \(run.stderr)")
            #expect(run.status == (verdict == "ok" ? 0 : 1), "\(fixture): exit status \(run.status)")
            let message = run.json?["error"]?["message"]?.stringValue ?? ""
            #expect(!message.contains(HostileFixture.successMarker), "\(fixture): \(message)")
        }
    }
}
