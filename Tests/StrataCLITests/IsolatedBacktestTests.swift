import Foundation
import StrataRuntime
import Testing

/// `strata backtest` runs the script in a confined worker process too: the same output as in
/// this process, and a verdict instead of a dead command when the script takes its worker down.
@Suite struct IsolatedBacktestTests {
    static let data = "data/GOOG.csv"

    @Test func theWorkerGivesTheSameOutputAsAnInProcessRun() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let reportA = folder.appendingPathComponent("a.html").path
        let reportB = folder.appendingPathComponent("b.html").path
        let isolated = try strata("backtest", "sma_cross", "--data", Self.data, "--json", "--no-timing", "--report", reportA)
        let inProcess = try strata("backtest", "sma_cross", "--data", Self.data, "--json", "--no-timing", "--report", reportB, "--isolation", "none")
        #expect(isolated.status == 0, "\(isolated.stderr)")
        #expect(isolated.stdout == inProcess.stdout)
        #expect(isolated.json?["bars"] == .integer(2148))
        // The reports differ only in their timing rows.
        let timing = #/<th>Elapsed</th><td>[^<]*</td><th>Bars per second</th><td>[^<]*</td>/#
        func untimed(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8).replacing(timing, with: "") }
        #expect(try untimed(reportA) == untimed(reportB))
        #expect(try untimed(reportA).contains("sma_cross"))
    }

    @Test func aGzipFileAndAFolderOfPartsGiveTheSameBacktestAsTheWholeFile() throws {
        // GOOG.csv split in two, the second part gzip-compressed, in a folder named GOOG.
        let folder = try temporaryFolder().appendingPathComponent("GOOG")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let lines = try String(contentsOf: repositoryRoot.appendingPathComponent(Self.data), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true)
        let middle = lines.count / 2
        try (lines[0..<middle].joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("1.csv"), atomically: true, encoding: .utf8)
        try ([lines[0]] + lines[middle...]).joined(separator: "\n").appending("\n")
            .write(to: folder.appendingPathComponent("2.csv"), atomically: true, encoding: .utf8)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = [folder.appendingPathComponent("2.csv").path]
        try gzip.run()
        gzip.waitUntilExit()

        let whole = try strata("backtest", "sma_cross", "--data", Self.data, "--json", "--no-timing")
        let parts = try strata("backtest", "sma_cross", "--data", folder.path, "--json", "--no-timing")
        #expect(parts.status == 0, "\(parts.stderr)")
        #expect(parts.stdout == whole.stdout, "the same bars, the same trades")
    }

    @Test func aScriptThatTakesItsWorkerDownFailsTheRunWithAVerdict() throws {
        let crashed = try strata(["backtest", "sma_cross", "--data", Self.data, "--json"], environment: ["STRATA_WORKER_FAULT": "segv"])
        #expect(crashed.status == 1)
        #expect(crashed.json?["error"]?["kind"] == .string("crashed"))
        #expect(crashed.json?["error"]?["message"]?.stringValue?.hasPrefix("crashed: SIGSEGV in on_tick") == true, "\(crashed.stdout)")
        let stuck = try strata(["backtest", "sma_cross", "--data", Self.data], environment: ["STRATA_WORKER_FAULT": "hang"])
        #expect(stuck.status == 1)
        #expect(stuck.stderr.contains("backtest failed: cpu_limit in tick"), "\(stuck.stderr)")
    }

    @Test func aScriptErrorAndABadDataFileAreReportedAsBefore() throws {
        let missing = try strata("backtest", "sma_cross", "--data", "no-such-file.csv")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no-such-file.csv"))
        let refused = try strata("backtest", "sma_cross", "--data", Self.data, "--config", #"{"fast": 50, "slow": 20}"#, "--json")
        #expect(refused.status == 1)
        #expect(refused.json?["phase"] == .string("init"))
        #expect(refused.json?["error"]?["message"]?.stringValue?.contains("must be shorter than slow window") == true)
    }
}
