import Foundation
import StrataRuntime
import Testing

/// `strata account create|list|show|fund|reset`, as real processes on a temporary database whose
/// fills a SQL shell writes (as an engine would have).
@Suite struct AccountCommandTests {
    let folder: URL
    var db: String { folder.appendingPathComponent("strata.db").path }
    var strategies: String { folder.appendingPathComponent("strategies").path }

    init() throws {
        folder = try temporaryFolder()
        try FileManager.default.createDirectory(atPath: strategies, withIntermediateDirectories: true)
        try ServeCrashTests.trader.write(toFile: strategies + "/trader.lua", atomically: true, encoding: .utf8)
    }

    @Test func anAccountIsCreatedShownFundedAndReset() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // Given an account of 1,000 USDT with an active instance that bought 2 at 100, then 1 at 120
        let created = try strata("account", "create", "desk", "--starting-cash", "1000", "--currency", "USDT", "--db", db)
        #expect(created.status == 0 && created.stdout.contains("account desk created"), "\(created.stderr)")
        let instance = try strata(
            "instance", "create", "--db", db, "--strategies", strategies, "--type", "trader", "--account", "desk", "--market", "X/USD",
            "--id", "t1", "--mode", "active")
        #expect(instance.status == 0, "\(instance.stderr)")
        try fill("o1", quantity: 2, price: 100)
        try fill("o2", quantity: 1, price: 120)

        // When it is shown: the fills replayed from its cash, marked at the last fill
        let shown = try strata("account", "show", "desk", "--db", db, "--json")
        #expect(shown.status == 0, "\(shown.stderr)")
        let account = try #require(shown.json)
        #expect(account["cash"]?.doubleValue == 1_000 - 200 - 120 && account["equity"]?.doubleValue == 680 + 3 * 120)
        #expect(account["price_source"] == .string("last_fill") && account["base_currency"] == .string("USDT"))
        #expect(account["positions"]?.arrayValue?.first?["last_price"]?.doubleValue == 120)
        #expect(account["instances"]?.arrayValue?.first?["position"]?.doubleValue == 3)
        let text = try strata("account", "show", "desk", "--db", db)
        #expect(text.stdout.contains("cash 680.00") && text.stdout.contains("t1"), "\(text.stdout)")

        // And listed: a table, and the API's list in JSON
        let list = try strata("account", "list", "--db", db)
        #expect(list.status == 0 && list.stdout.hasPrefix("NAME") && list.stdout.contains("desk") && list.stdout.contains("1040.00"), "\(list.stdout)")
        let listed = try strata("account", "list", "--db", db, "--json")
        #expect(listed.json?["accounts"]?.arrayValue?.count == 1, "\(listed.stdout)")

        // When it is funded with 500
        let funded = try strata("account", "fund", "desk", "500", "--db", db)
        #expect(funded.status == 0 && funded.stdout.contains("base cash 1500.00"), "\(funded.stdout)\(funded.stderr)")
        #expect(try strata("account", "show", "desk", "--db", db, "--json").json?["cash"]?.doubleValue == 1_180)

        // Then a reset is refused while t1 is active, naming it; in observe it goes through
        let refused = try strata("account", "reset", "desk", "--db", db)
        #expect(refused.status == 1 && refused.stderr.contains("t1") && refused.stderr.contains("observe or off"), "\(refused.stderr)")
        #expect(try strata("instance", "set-mode", "t1", "observe", "--db", db).status == 0)
        let reset = try strata("account", "reset", "desk", "--db", db, "--json")
        #expect(reset.status == 0 && reset.json?["resets"] == .integer(1), "\(reset.stdout)\(reset.stderr)")
        #expect(reset.json?["cash"]?.doubleValue == 1_000 && reset.json?["positions"]?.arrayValue?.isEmpty == true)
        #expect(reset.json?["funded"]?.doubleValue == 0)
    }

    @Test func badInputIsNamedWithExit2AndUnknownAccountsWithExit1() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try strata("account", "create", "desk", "--db", db).status == 0)
        let taken = try strata("account", "create", "desk", "--db", db)
        #expect(taken.status == 1 && taken.stderr.contains("already exists"), "\(taken.stderr)")
        for (arguments, named) in [
            (["create", "x", "--starting-cash", "nan"], "--starting-cash"), (["create", "x", "--starting-cash=-5"], "--starting-cash"),
            (["create", "x", "--starting-cash", "2e15"], "--starting-cash"), (["create", "x", "--starting-cash", "lots"], "--starting-cash"),
            (["create", "x", "--currency", "usd"], "--currency"), (["create", "x", "--kind", "binance"], "--kind"),
            (["create", ""], "NAME"), (["create", "a\u{202E}b"], "NAME"),
            (["fund", "desk", "-5"], "AMOUNT"), (["fund", "desk", "0"], "AMOUNT"), (["fund", "desk", "nan"], "AMOUNT"),
            (["fund", "desk", "inf"], "AMOUNT"), (["fund", "desk", "1e16"], "AMOUNT"), (["fund", "desk", "ten"], "AMOUNT"),
            (["fund", "desk"], "AMOUNT"), (["fund", "desk", "1", "2"], "AMOUNT"), (["fund", "desk", "999999999999999"], "AMOUNT"),
        ] {
            let run = try strata(["account"] + arguments + ["--db", db])
            #expect(run.status == 2 && run.stderr.contains(named), "\(arguments): \(run.status) \(run.stderr)")
        }
        #expect(try strata("account", "show", "desk", "--db", db, "--json").json?["funded"]?.doubleValue == 0)
        #expect(try strata("account", "list", "--db", db).stdout.contains("x") == false)
        for command in [["show", "ghost"], ["fund", "ghost", "5"], ["reset", "ghost"]] {
            let run = try strata(["account"] + command + ["--db", db])
            #expect(run.status == 1 && run.stderr.contains("no account ghost") && run.stderr.contains("strata account list"), "\(command): \(run.stderr)")
        }
    }

    /// Writes a filled buy of t1 (its order and its fill) with the sqlite3 shell.
    private func fill(_ id: String, quantity: Double, price: Double) throws {
        let sql = """
            INSERT INTO orders (id, instance_id, market, side, quantity, type, status, filled_quantity, average_price, fee, created_at, filled_at)
            VALUES ('\(id)', 't1', 'X/USD', 'buy', \(quantity), 'market', 'filled', \(quantity), \(price), 0, 1, 1);
            INSERT INTO fills (id, order_id, instance_id, market, side, quantity, price, fee, time)
            VALUES ('\(id)', '\(id)', 't1', 'X/USD', 'buy', \(quantity), \(price), 0, 1);
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [db, sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
