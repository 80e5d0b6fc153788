import Foundation
import StrataRuntime
import Testing

/// `strata instance set-risk`, `strata account set-risk`, `strata halt` and `strata resume`, as
/// real processes on a temporary database.
@Suite struct RiskCommandTests {
    let folder: URL
    var db: String { folder.appendingPathComponent("strata.db").path }
    var strategies: String { folder.appendingPathComponent("strategies").path }

    init() throws {
        folder = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: strategies, withIntermediateDirectories: true)
        try ServeCrashTests.trader.write(toFile: strategies + "/trader.lua", atomically: true, encoding: .utf8)
        let created = try strata(
            "instance", "create", "--db", db, "--strategies", strategies, "--type", "trader", "--account", "desk", "--market", "X/USD",
            "--id", "t1")
        #expect(created.status == 0, "\(created.stderr)")
    }

    @Test func limitsAreMergedClearedAndRefusedByName() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let set = try strata("instance", "set-risk", "t1", "max_position=2", "max_orders_per_minute=30", "--db", db, "--json")
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.json?["limits"]?["max_position"]?.doubleValue == 2)
        let merged = try strata("instance", "set-risk", "t1", "max_position=none", "max_daily_loss=50", "--db", db)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout.contains(#""max_daily_loss":50"#) && merged.stdout.contains("max_orders_per_minute"), "\(merged.stdout)")
        #expect(!merged.stdout.contains("max_position"), "\(merged.stdout)")
        #expect(try strata("instance", "set-risk", "t1", "--clear", "--db", db).stdout.contains("risk limits none"))

        // Refused values name the limit (exit 1); malformed arguments are usage errors (exit 2)
        let negative = try strata("instance", "set-risk", "t1", "max_position=-1", "--db", db)
        #expect(negative.status == 1 && negative.stderr.contains("max_position"), "\(negative.stderr)")
        let unknown = try strata("instance", "set-risk", "t1", "max_size=1", "--db", db)
        #expect(unknown.status == 1 && unknown.stderr.contains("max_size") && unknown.stderr.contains("known:"), "\(unknown.stderr)")
        let fractional = try strata("account", "set-risk", "desk", "max_orders_per_minute=2.5", "--db", db)
        #expect(fractional.status == 1 && fractional.stderr.contains("whole"), "\(fractional.stderr)")
        #expect(try strata("instance", "set-risk", "t1", "--db", db).status == 2)
        #expect(try strata("instance", "set-risk", "t1", "=5", "--db", db).status == 2)
        #expect(try strata("instance", "set-risk", "t1", "--clear", "max_position=1", "--db", db).status == 2)
        let ghost = try strata("instance", "set-risk", "ghost", "max_position=1", "--db", db)
        #expect(ghost.status == 1 && ghost.stderr.contains("no instance ghost"), "\(ghost.stderr)")

        // The account's limits are its own
        let account = try strata("account", "set-risk", "desk", "max_daily_loss=100", "--db", db)
        #expect(account.status == 0 && account.stdout.contains("account desk"), "\(account.stderr)")
        let noAccount = try strata("account", "set-risk", "nobody", "max_daily_loss=100", "--db", db)
        #expect(noAccount.status == 1 && noAccount.stderr.contains("no account nobody"), "\(noAccount.stderr)")
    }

    @Test func haltAndResumeAreDesiredState() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let halted = try strata("halt", "--db", db)
        #expect(halted.status == 0 && halted.stdout.contains("every account: halted"), "\(halted.stdout)\(halted.stderr)")
        let reduce = try strata("halt", "--account", "desk", "--reduce-only", "--db", db, "--json")
        #expect(reduce.json?["halts"]?.arrayValue?.count == 2, "\(reduce.stdout)")
        let ghost = try strata("halt", "--account", "nobody", "--db", db)
        #expect(ghost.status == 1 && ghost.stderr.contains("no account nobody"), "\(ghost.stderr)")

        // Resuming one account leaves the halt of every account; resuming all clears them
        let one = try strata("resume", "--account", "desk", "--db", db)
        #expect(one.stdout.contains("every account: halted") && !one.stdout.contains("desk"), "\(one.stdout)")
        let all = try strata("resume", "--db", db)
        #expect(all.status == 0 && all.stdout.contains("no halt in force"), "\(all.stdout)")
    }
}
