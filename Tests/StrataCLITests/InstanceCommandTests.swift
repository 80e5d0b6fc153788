import Foundation
import StrataRuntime
import Testing

/// `strata instance …` run as real processes against a temporary database file and the
/// repository's `strategies-lua/`.
@Suite struct InstanceCommandTests {
    /// A fresh database path in its own temporary folder.
    private struct Database {
        let folder: URL
        var path: String { folder.appendingPathComponent("strata.db").path }

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("strata-instance-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }

        /// Runs `strata instance ARGUMENTS --db PATH`.
        func instance(_ arguments: String...) throws -> StrataRun {
            try strata(["instance"] + arguments + ["--db", path])
        }

        /// Creates an sma_cross instance with a fixed id and returns the id.
        @discardableResult
        func create(_ id: String = "sma-1", mode: String = "off") throws -> String {
            let run = try instance(
                "create", "--type", "sma_cross", "--account", "paper-1", "--market", "BTC/USD",
                "--mode", mode, "--id", id)
            #expect(run.status == 0, "\(run.stderr)")
            return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        func show(_ id: String) throws -> [String: JSONValue] {
            let run = try instance("show", id, "--json")
            #expect(run.status == 0, "\(run.stderr)")
            return try #require(run.object, "not one JSON object: \(run.stdout)")
        }
    }

    @Test func createListAndShow() throws {
        let db = try Database()
        defer { db.remove() }
        let created = try db.instance(
            "create", "--type", "sma_cross", "--account", "paper-1", "--market", "BTC/USD",
            "--mode", "observe", "--config", #"{"fast": 5}"#)
        #expect(created.status == 0, "\(created.stderr)")
        let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.hasPrefix("sma_cross-"))
        #expect(FileManager.default.fileExists(atPath: db.path))

        let list = try db.instance("list")
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(lines.first == ["ID", "TYPE", "MARKET", "ACCOUNT", "MODE", "STATUS"])
        #expect(lines.dropFirst().first == [Substring(id), "sma_cross", "BTC/USD", "paper-1", "observe", "stopped"])
        let listJSON = try db.instance("list", "--json")
        #expect(JSONValue(parsing: listJSON.stdout)?.arrayValue?.count == 1)

        let show = try db.show(id)
        #expect(show["id"] == .string(id))
        #expect(show["strategy_type"] == .string("sma_cross"))
        #expect(show["account"] == .string("paper-1"))
        #expect(show["market"] == .string("BTC/USD"))
        #expect(show["mode"] == .string("observe"))
        // The stored config is the validated one: defaults filled.
        #expect(show["config"]?["fast"] == .integer(5))
        #expect(show["config"]?["qty"]?.doubleValue == 1)
        #expect(show["config"]?["slow"] == .integer(30))
        #expect(show["config"]?["side"] == .string("both"))
        #expect(show["status"] == .string("stopped"))
        #expect(show["version"] == .null)
        #expect(show["ticks"] == .integer(0))
        #expect(show["last_error"] == .null)
        let audit = try #require(show["audit"]?.arrayValue)
        #expect(audit.count == 1)
        #expect(audit.first?["field"] == .string("create"))
        #expect(audit.first?["actor"] == .string("cli"))

        let plain = try db.instance("show", id)
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("strategy_type: sma_cross"))
    }

    @Test func createWithJSONPrintsTheRecordAndDefaultsToOff() throws {
        let db = try Database()
        defer { db.remove() }
        let run = try db.instance("create", "--type", "breakout", "--account", "a", "--market", "ETH/USD", "--id", "b1", "--json")
        #expect(run.status == 0, "\(run.stderr)")
        let object = try #require(run.object)
        #expect(object["id"] == .string("b1"))
        #expect(object["mode"] == .string("off"))
        #expect(object["config"]?.objectValue?.isEmpty == false)
        // The id is taken now.
        let again = try db.instance("create", "--type", "breakout", "--account", "a", "--market", "ETH/USD", "--id", "b1")
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
    }

    @Test func anInvalidConfigNamesEveryFieldAndCreatesNothing() throws {
        let db = try Database()
        defer { db.remove() }
        let bad = #"{"fast": 0, "side": "short"}"#
        let plain = try db.instance("create", "--type", "sma_cross", "--account", "a", "--market", "m", "--config", bad)
        #expect(plain.status == 1)
        #expect(plain.stderr.contains(#"invalid config: fast: must be at least 1; side: must be one of "both", "long""#), "\(plain.stderr)")
        let json = try db.instance("create", "--type", "sma_cross", "--account", "a", "--market", "m", "--config", bad, "--json")
        #expect(json.status == 1)
        let object = try #require(json.object, "\(json.stdout)")
        #expect(object["ok"] == .bool(false))
        let fields = object["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue }
        #expect(fields == ["fast", "side"])
        #expect(JSONValue(parsing: try db.instance("list", "--json").stdout) == .array([]))
    }

    @Test func anUnknownOrBrokenTypeFailsWithExit1() throws {
        let db = try Database()
        defer { db.remove() }
        let unknown = try db.instance("create", "--type", "nope", "--account", "a", "--market", "m")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no strategy type nope"))

        let folder = db.folder.appendingPathComponent("scripts")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "CONFIG_SCHEMA = {\nfunction init(".write(to: folder.appendingPathComponent("broken.lua"), atomically: true, encoding: .utf8)
        let broken = try db.instance("create", "--type", "broken", "--account", "a", "--market", "m", "--strategies", folder.path)
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("strategy broken does not load"), "\(broken.stderr)")
    }

    @Test func setModeAppendsAnAuditEntry() throws {
        let db = try Database()
        defer { db.remove() }
        let id = try db.create()
        let run = try db.instance("set-mode", id, "observe")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("off -> observe"))
        let again = try db.instance("set-mode", id, "observe")
        #expect(again.status == 0)
        let show = try db.show(id)
        #expect(show["mode"] == .string("observe"))
        let audit = try #require(show["audit"]?.arrayValue)
        #expect(audit.count == 2)  // create, one mode change: setting the same mode again writes nothing
        #expect(audit.last?["field"] == .string("mode"))
        #expect(audit.last?["old"] == .string("off"))
        #expect(audit.last?["new"] == .string("observe"))
        #expect(audit.last?["actor"] == .string("cli"))
    }

    @Test func setConfigMergesValidatesAndRefusesWithoutWriting() throws {
        let db = try Database()
        defer { db.remove() }
        let id = try db.create()
        let keyValue = try db.instance("set-config", id, "fast=7", "side=long")
        #expect(keyValue.status == 0, "\(keyValue.stderr)")
        let json = try db.instance("set-config", id, "--json", #"{"slow": 50}"#)
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.object?["config"]?["slow"] == .integer(50))
        var show = try db.show(id)
        #expect(show["config"]?["fast"] == .integer(7))
        #expect(show["config"]?["side"] == .string("long"))
        #expect(show["config"]?["slow"] == .integer(50))
        let audit = try #require(show["audit"]?.arrayValue)
        #expect(audit.count == 3)
        #expect(audit.last?["field"] == .string("config"))
        #expect(audit.last?["old"]?["slow"] == .integer(30))
        #expect(audit.last?["new"]?["slow"] == .integer(50))

        let before = show["config"]
        let refused = try db.instance("set-config", id, "fast=0", "side=short", "bogus=1")
        #expect(refused.status == 1)
        for field in ["fast: must be at least 1", "side: must be one of", "bogus: unknown field"] {
            #expect(refused.stderr.contains(field), "\(refused.stderr)")
        }
        let refusedJSON = try db.instance("set-config", id, "--json", #"{"fast": "x", "qty": -1}"#)
        #expect(refusedJSON.status == 1)
        #expect(refusedJSON.object?["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } == ["fast", "qty"])
        show = try db.show(id)
        #expect(show["config"] == before)
        #expect(show["audit"]?.arrayValue?.count == 3)
    }

    @Test func aConfigTheScriptRefusesIsNotStored() throws {
        let db = try Database()
        defer { db.remove() }
        let id = try db.create()
        // Given a config that passes sma_cross's schema but not its init() (fast must be below slow)
        let refused = try db.instance("set-config", id, "fast=40")
        // Then the CLI refuses it with the script's message and traceback, and writes nothing
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("config refused"), "\(refused.stderr)")
        #expect(refused.stderr.contains("fast window (40) must be shorter than slow window (30)"), "\(refused.stderr)")
        #expect(refused.stderr.contains("stack traceback"), "\(refused.stderr)")
        let refusedJSON = try db.instance("set-config", id, "--json", #"{"slow": 5}"#)
        #expect(refusedJSON.status == 1)
        let error = try #require(refusedJSON.object?["errors"]?.arrayValue?.first)
        #expect(error["field"] == .string(""))
        #expect(error["message"]?.stringValue?.contains("must be shorter than slow window (5)") == true)
        #expect(error["traceback"]?.stringValue?.isEmpty == false)
        let show = try db.show(id)
        #expect(show["config"]?["fast"] == .integer(10))
        #expect(show["audit"]?.arrayValue?.count == 1)

        // A change the script takes goes through
        #expect(try db.instance("set-config", id, "fast=20").status == 0)

        // create tries the config the same way: nothing is created
        let create = try db.instance(
            "create", "--type", "sma_cross", "--account", "a", "--market", "m", "--id", "bad-1", "--config", #"{"fast": 50, "slow": 20}"#)
        #expect(create.status == 1)
        #expect(create.stderr.contains("fast window (50) must be shorter than slow window (20)"), "\(create.stderr)")
        #expect(try db.instance("show", "bad-1").status == 1)
    }

    @Test func anUnknownIdIsExit1AndBadUsageIsExit2() throws {
        let db = try Database()
        defer { db.remove() }
        try db.create()
        for arguments in [["show", "ghost"], ["set-mode", "ghost", "active"], ["set-config", "ghost", "fast=3"]] {
            let run = try strata(["instance"] + arguments + ["--db", db.path])
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stderr.contains("no instance ghost"), "\(arguments): \(run.stderr)")
        }
        let ghostJSON = try db.instance("show", "ghost", "--json")
        #expect(ghostJSON.status == 1)
        #expect(ghostJSON.object?["error"] == .string("no instance ghost"))

        let usage: [[String]] = [
            ["set-mode", "sma-1", "flying"],
            ["set-mode", "sma-1"],
            ["create", "--type", "sma_cross", "--account", "a"],
            ["create", "--type", "sma_cross", "--account", "a", "--market", "m", "--mode", "live"],
            ["create", "--type", "sma_cross", "--account", "a", "--market", "m", "--config", "fast=5"],
            ["set-config", "sma-1"],
            ["set-config", "sma-1", "fast"],
            ["set-config", "sma-1", "--json", "[1]"],
        ]
        for arguments in usage {
            let run = try strata(["instance"] + arguments + ["--db", db.path])
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(!run.stderr.isEmpty, "\(arguments)")
        }
        let badMode = try db.instance("set-mode", "sma-1", "flying")
        #expect(badMode.stderr.contains("'flying'") && badMode.stderr.contains("off, observe or active"))
        #expect(try db.show("sma-1")["mode"] == .string("off"))
    }

    @Test func anUnusableDatabaseIsAClearError() throws {
        let db = try Database()
        defer { db.remove() }
        let run = try strata(["instance", "list", "--db", db.folder.appendingPathComponent("missing/dir/x.db").path])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("strata: database"), "\(run.stderr)")
    }

    @Test func twoProcessesSeeEachOthersWrites() throws {
        let db = try Database()
        defer { db.remove() }
        // Each call below is its own `strata` process on the same file.
        try db.create("first")
        #expect(try db.instance("list").stdout.contains("first"))
        try db.create("second", mode: "observe")
        #expect(try db.instance("set-mode", "first", "active").status == 0)
        #expect(try db.instance("set-config", "second", "qty=2.5").status == 0)
        let list = try #require(JSONValue(parsing: try db.instance("list", "--json").stdout)?.arrayValue)
        #expect(list.compactMap { $0["id"]?.stringValue } == ["first", "second"])
        #expect(list.first?["mode"] == .string("active"))
        #expect(list.last?["config"]?["qty"] == .number(2.5))
    }
}

// MARK: Running the binary
