import Foundation
import StrataRuntime
import Testing

/// `strata instance shadow|promote` and `strata replay`'s refusals, as real processes on a
/// temporary database and strategies folder.
@Suite struct ShadowCommandTests {
    let folder: URL
    var db: String { folder.appendingPathComponent("strata.db").path }
    var strategies: String { folder.appendingPathComponent("strategies").path }

    init() throws {
        folder = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.appendingPathComponent("strategies").path, withIntermediateDirectories: true)
        try ServeCrashTests.trader.write(toFile: strategies + "/trader.lua", atomically: true, encoding: .utf8)
        let created = try strata(
            "instance", "create", "--db", db, "--strategies", strategies, "--type", "trader", "--account", "paper", "--market", "X/USD",
            "--id", "t1")
        #expect(created.status == 0, "\(created.stderr)")
    }

    @Test func aShadowIsSetCheckedReplacedPromotedAndRemoved() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let set = try strata("instance", "shadow", "t1", "--db", db, "--strategies", strategies, "--config", #"{"every": 4}"#, "--json")
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.json?["shadow"]?["config"]?["every"] == .integer(4))
        #expect(set.json?["shadow"]?["version"] == .null)

        let badConfig = try strata("instance", "shadow", "t1", "--db", db, "--strategies", strategies, "--config", #"{"every": 0}"#)
        #expect(badConfig.status == 1)
        #expect(badConfig.stderr.contains("every"), "\(badConfig.stderr)")
        let broken = folder.appendingPathComponent("broken.lua").path
        try "function init( end".write(toFile: broken, atomically: true, encoding: .utf8)
        let badScript = try strata("instance", "shadow", "t1", "--db", db, "--strategies", strategies, "--file", broken)
        #expect(badScript.status == 1)
        #expect(badScript.stderr.contains("does not load"), "\(badScript.stderr)")
        #expect(try strata("instance", "shadow", "t1", "--db", db, "--remove", "--config", "{}").status == 2)

        let v2 = ServeCrashTests.trader + "\n-- v2\n"
        let file = folder.appendingPathComponent("v2.lua").path
        try v2.write(toFile: file, atomically: true, encoding: .utf8)
        let replaced = try strata("instance", "shadow", "t1", "--db", db, "--strategies", strategies, "--file", file, "--config", #"{"qty": 0.5}"#, "--json")
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(replaced.json?["shadow"]?["version"] == .string(StrategyScript(name: "trader", source: v2).version))

        let promoted = try strata("instance", "promote", "t1", "--db", db, "--strategies", strategies, "--json")
        #expect(promoted.status == 0, "\(promoted.stderr)")
        #expect(promoted.json?["config"]?["qty"] == .number(0.5))
        #expect(try String(contentsOfFile: strategies + "/trader.lua", encoding: .utf8) == v2)
        let audit = try strata("instance", "show", "t1", "--db", db, "--json").json?["audit"]?.arrayValue?.compactMap { $0["field"]?.stringValue }
        #expect(audit == ["create", "shadow", "shadow", "config", "promote"])

        // The engine completes a promotion; until then the shadow stays, and removing it is audited.
        let removed = try strata("instance", "shadow", "t1", "--db", db, "--remove", "--json")
        #expect(removed.json?["removed"] == .bool(true))
        let none = try strata("instance", "promote", "t1", "--db", db, "--strategies", strategies)
        #expect(none.status == 1)
        #expect(none.stderr.contains("has no shadow"))
    }

    @Test func replayRefusesBadInputClearly() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let badBound = try strata("replay", "t1", "--db", db, "--from", "yesterday")
        #expect(badBound.status == 2)
        #expect(badBound.stderr.contains("--from must be seq:N"), "\(badBound.stderr)")
        let unknown = try strata("replay", "nobody", "--db", db)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no instance nobody"))
        let empty = try strata("replay", "t1", "--db", db, "--json")
        #expect(empty.status == 1)
        #expect(empty.json?["error"]?.stringValue?.contains("no ticks of X/USD are journaled") == true, "\(empty.stdout)")
        let badConfig = try strata("replay", "t1", "--db", db, "--config", "[1]")
        #expect(badConfig.status == 2)
    }
}
