import Foundation
import StrataRuntime
import Testing

/// `strata backtest --instance ID`: the instance's stored version, config and market.
@Suite struct InstanceBacktestTests {
    let strategies = repositoryRoot.appendingPathComponent("strategies-lua").path
    let data = repositoryRoot.appendingPathComponent("data/GOOG.csv").path

    /// A database with instance `sma-1` (sma_cross, BTC/USD, config `{"fast": 4, "slow": 12}`)
    /// and the current sma_cross source stored as a version, as `strata serve` records it.
    func database(in folder: URL) throws -> String {
        let db = folder.appendingPathComponent("strata.db").path
        let created = try strata(
            "instance", "create", "--type", "sma_cross", "--account", "paper", "--market", "BTC/USD", "--id", "sma-1",
            "--config", #"{"fast": 4, "slow": 12}"#, "--db", db, "--strategies", strategies)
        #expect(created.status == 0, "\(created.stderr)")
        let source = try String(contentsOfFile: strategies + "/sma_cross.lua", encoding: .utf8)
        let quoted = source.replacingOccurrences(of: "'", with: "''")
        _ = try sqlRows(
            db, "INSERT INTO strategy_versions (strategy_type, hash, source, first_seen) VALUES ('sma_cross', 'h1', '\(quoted)', '2026-01-01 00:00:00.000')")
        #expect(try sqlRows(db, "SELECT hash FROM strategy_versions").count == 1)
        return db
    }

    @Test func anInstanceRunsItsStoredVersionWithItsConfigAndMarket() throws {
        // Given an instance whose version is stored
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try database(in: folder)

        // When it is backtested, and the same script is backtested by type with the same config and market
        let byInstance = try strata("backtest", "--instance", "sma-1", "--db", db, "--data", data, "--json", "--no-timing", "--strategies", strategies)
        let byType = try strata(
            "backtest", "sma_cross", "--config", #"{"fast": 4, "slow": 12}"#, "--market", "BTC/USD", "--data", data, "--json", "--no-timing",
            "--strategies", strategies)

        // Then both runs are the same, byte for byte, and trade
        #expect(byInstance.status == 0, "\(byInstance.stderr)")
        #expect(byInstance.stdout == byType.stdout)
        #expect((byInstance.json?["closed_trades"]?.intValue ?? 0) > 0)

        // And --config changes a field of the instance's config
        let changed = try strata(
            "backtest", "--instance", "sma-1", "--db", db, "--data", data, "--json", "--no-timing", "--config", #"{"fast": 6}"#,
            "--strategies", strategies)
        let expected = try strata(
            "backtest", "sma_cross", "--config", #"{"fast": 6, "slow": 12}"#, "--market", "BTC/USD", "--data", data, "--json", "--no-timing",
            "--strategies", strategies)
        #expect(changed.status == 0 && changed.stdout == expected.stdout)
        #expect(changed.stdout != byInstance.stdout)
    }

    @Test func anUnknownInstanceOrBothOrNeitherTargetIsBadUsage() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = try database(in: folder)

        let unknown = try strata("backtest", "--instance", "nope", "--db", db, "--data", data)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no instance nope"))

        let both = try strata("backtest", "sma_cross", "--instance", "sma-1", "--db", db, "--data", data)
        #expect(both.status == 2 && both.stderr.contains("exactly one"))
        let neither = try strata("backtest", "--data", data)
        #expect(neither.status == 2 && neither.stderr.contains("exactly one"))

        // An instance whose type has no stored version has never run: it says so
        _ = try sqlRows(db, "DELETE FROM strategy_versions")
        let unrun = try strata("backtest", "--instance", "sma-1", "--db", db, "--data", data)
        #expect(unrun.status == 2 && unrun.stderr.contains("no stored version of strategy sma_cross"))
    }
}

/// `strata serve` and its research runs: the data folder, and runs a stopped server left.
@Suite struct ServeResearchTests {
    @Test func aServerEndsTheRunsTheLastOneLeftAndListsItsDataFolder() throws {
        // Given a database whose last server stopped during a backtest
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("strata.db").path
        let first = try LiveServer(["--db", db, "--no-demo", "--data-dir", "data"], log: folder.appendingPathComponent("first.log"))
        #expect(first.stop(within: 10) != nil)
        _ = try sqlRows(
            db,
            "INSERT INTO research_runs (id, kind, strategy_type, version, data_file, status, progress, created_at) "
                + "VALUES ('bt-left', 'backtest', 'sma_cross', 'h', 'GOOG.csv', 'running', 0.5, '2026-01-01 00:00:00.000')")

        // When a server starts over it, with a data folder that does not exist
        let server = try LiveServer(["--db", db, "--no-demo", "--data-dir", "no-such-folder"], log: folder.appendingPathComponent("second.log"))
        defer { _ = server.stop(within: 10) }

        // Then the run is failed with the reason, and the data folder lists nothing
        let run = try #require(server.request("GET", "/api/backtests/bt-left")?.body)
        #expect(run["status"] == .string("failed"))
        #expect(run["error"] == .string("the server stopped during the run"))
        #expect(server.request("GET", "/api/data-files")?.body?["files"] == .array([]))
        #expect(server.output.contains("no --data-dir folder"))
    }
}
