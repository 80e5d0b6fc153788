import Foundation
import StrataRuntime
import Testing

/// Writes `source` to a temporary `NAME.lua` and returns its path and folder.
private func scriptFile(_ name: String, _ source: String) throws -> (path: String, folder: URL) {
    let folder = try temporaryFolder()
    let file = folder.appendingPathComponent("\(name).lua")
    try source.write(to: file, atomically: true, encoding: .utf8)
    return (file.path, folder)
}

@Suite struct CheckCommandTests {
    @Test func anExamplePassesWithOneJSONObject() throws {
        let run = try strata("check", "strategies-lua/sma_cross.lua", "--json", "--ticks", "500")
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(run.json, "stdout is not one JSON object: \(run.stdout)")
        #expect(json["ok"] == .bool(true))
        #expect(json["ticks"] == .integer(500))
        #expect(json["orders"]?.doubleValue.map { $0 >= 1 } == true)
        #expect(json["signals"] == .integer(0))
        #expect(json["phase"] == nil)
        #expect(json["error"] == nil)
    }

    @Test func theReadableSummaryNamesTheStrategy() throws {
        let run = try strata("check", "strategies-lua/sma_cross.lua", "--ticks", "50")
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("ok sma_cross"))
    }

    @Test func aRuntimeErrorFailsWithPhaseKindLineAndTraceback() throws {
        let (path, folder) = try scriptFile(
            "broken",
            #"""
            CONFIG_SCHEMA = {}
            function init() return { n = 0 } end
            function on_tick(tick)
              state.n = state.n + 1
              if state.n == 3 then error("boom") end
            end
            function render() return { widgets = {} } end
            """#)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try strata("check", path, "--json")
        #expect(run.status == 1)
        let json = try #require(run.json, "stdout is not one JSON object: \(run.stdout)")
        #expect(json["ok"] == .bool(false))
        #expect(json["phase"] == .string("tick"))
        #expect(json["ticks"] == .integer(2))
        let error = try #require(json["error"])
        #expect(error["kind"] == .string("runtime"))
        #expect(error["message"] == .string("broken.lua:5: boom"))
        #expect(error["line"] == .integer(5))
        #expect(error["traceback"]?.stringValue?.contains("stack traceback") == true)
    }

    @Test func aSyntaxErrorFailsInTheLoadPhase() throws {
        let (path, folder) = try scriptFile("syntax", "CONFIG_SCHEMA = {}\nfunction init(\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try strata("check", path, "--json")
        #expect(run.status == 1)
        let json = try #require(run.json)
        #expect(json["phase"] == .string("load"))
        #expect(json["error"]?["kind"] == .string("syntax"))
        #expect(json["error"]?["line"]?.doubleValue != nil)
    }

    @Test func printFromAScriptNeverReachesStdout() throws {
        let (path, folder) = try scriptFile(
            "chatty",
            #"""
            print("MARK-load")
            CONFIG_SCHEMA = {}
            function init() print("MARK-init"); warn("MARK-warn"); return {} end
            function on_tick(tick) print("MARK-tick", tick.price) end
            function render() print("MARK-render"); return { widgets = {} } end
            """#)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try strata("check", path, "--json", "--ticks", "5")
        #expect(run.status == 0)
        #expect(run.json?["ok"] == .bool(true), "stdout: \(run.stdout)")
        #expect(!run.stdout.contains("MARK"))
        #expect(!run.stderr.contains("MARK"))
    }

    @Test func aConfigTheSchemaRefusesIsAScriptFailureNamingTheField() throws {
        let run = try strata("check", "strategies-lua/sma_cross.lua", "--json", "--config", #"{"fast": 0, "nope": 1}"#)
        #expect(run.status == 1)
        let json = try #require(run.json)
        #expect(json["phase"] == .string("init"))
        #expect(json["error"]?["kind"] == .string("invalid_config"))
        let fields = json["error"]?["fields"]?.arrayValue?.compactMap { $0["field"]?.stringValue }
        #expect(fields == ["fast", "nope"])
    }

    @Test(arguments: [
        (["check", "no/such/file.lua", "--json"], "cannot read"),
        (["check", "strategies-lua/sma_cross.lua", "--config", "{not json"], "--config"),
        (["check", "strategies-lua/sma_cross.lua", "--config", "[1, 2]"], "--config"),
        (["check", "strategies-lua/sma_cross.lua", "--ticks=-5"], "--ticks"),
        (["check", "strategies-lua/sma_cross.lua", "--ticks", "many"], "ticks"),
        (["check"], "file"),
        (["check", "strategies-lua/sma_cross.lua", "--frobnicate"], "frobnicate"),
        (["serve", "--workers", "0", "--db", "/nonexistent/strata.db"], "--workers"),
        (["serve", "--tick-batch", "0", "--db", "/nonexistent/strata.db"], "--tick-batch"),
        (["serve", "--equity-interval", "0", "--db", "/nonexistent/strata.db"], "--equity-interval"),
        (["serve", "--equity-interval", "3600", "--db", "/nonexistent/strata.db"], "1 to 3599 seconds"),
    ])
    func badUsageExitsWithTwoAndAMessage(_ arguments: [String], _ mention: String) throws {
        let run = try strata(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.contains(mention), "stderr: \(run.stderr)")
        #expect(run.stdout.isEmpty)
    }
}

@Suite struct NewCommandTests {
    @Test func writesAStarterThatPassesTheCheck() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // When a new strategy is created
        let created = try strata("new", "trend_follow", "--dir", folder.path)
        #expect(created.status == 0, "\(created.stderr)")
        let file = folder.appendingPathComponent("trend_follow.lua")
        #expect(FileManager.default.fileExists(atPath: file.path))
        // Then strata check passes on it, and it trades
        let checked = try strata("check", file.path, "--json", "--ticks", "300")
        #expect(checked.status == 0, "\(checked.stdout)")
        #expect(checked.json?["ok"] == .bool(true))
        #expect(checked.json?["orders"]?.doubleValue.map { $0 >= 1 } == true)
    }

    @Test func refusesToOverwriteAnExistingFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("mine.lua")
        try "-- my work".write(to: file, atomically: true, encoding: .utf8)
        let run = try strata("new", "mine", "--dir", folder.path)
        #expect(run.status == 2)
        #expect(run.stderr.contains("already exists"))
        #expect(try String(contentsOf: file, encoding: .utf8) == "-- my work")
    }

    @Test(arguments: ["9lives", "my-strategy", "../escape", "with space", "ü"])
    func refusesABadName(_ name: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try strata(["new", name, "--dir", folder.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("strategy names"), "stderr: \(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}

@Suite struct BacktestCommandTests {
    static let goog = repositoryRoot.appendingPathComponent("data/GOOG.csv").path

    @Test func printsOneJSONObjectWithTheDocumentedKeys() throws {
        let run = try strata("backtest", "sma_cross", "--data", Self.goog, "--json")
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(run.json)
        for key in [
            "bars", "trades", "closed_trades", "open_trades", "final_equity", "return_pct",
            "max_drawdown_pct", "sharpe", "bars_per_second", "win_rate_pct", "exposure_pct", "fees_paid",
        ] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["bars"] == .integer(2148))
        #expect(run.stderr.isEmpty)
    }

    @Test func twoRunsGiveByteIdenticalJSONWithoutTiming() throws {
        let arguments = ["backtest", "tools/peers/sma_reference.lua", "--data", Self.goog, "--json", "--no-timing", "--fee-bps", "5"]
        let first = try strata(arguments)
        let second = try strata(arguments)
        #expect(first.status == 0)
        #expect(!first.stdout.isEmpty)
        #expect(first.stdout == second.stdout)
    }

    @Test func writesASelfContainedReport() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = folder.appendingPathComponent("report.html").path
        let run = try strata("backtest", "breakout", "--data", Self.goog, "--report", report)
        #expect(run.status == 0, "\(run.stderr)")
        let page = try String(contentsOfFile: report, encoding: .utf8)
        #expect(page.contains("<svg"))
        #expect(!page.contains("<script"))
        #expect(run.stdout.contains("closed trades"))
    }

    @Test func aScriptErrorNamesTheBarAndExitsWithOne() throws {
        let (path, folder) = try scriptFile(
            "fails_later",
            """
            CONFIG_SCHEMA = {}
            function init() return { n = 0 } end
            function on_tick(tick) state.n = state.n + 1; if state.n == 100 then error("boom") end end
            function render() return { widgets = {} } end
            """)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try strata("backtest", path, "--data", Self.goog, "--json")
        #expect(run.status == 1)
        let json = try #require(run.json)
        #expect(json["bar"] == .integer(100))
        #expect(json["bar_time"] == .string("2005-01-10T00:00:00Z"))  // line 101 of the file
        #expect(json["error"]?["message"]?.stringValue?.contains("boom") == true)
    }

    @Test(arguments: [
        (["backtest", "sma_cross", "--data", "/nonexistent.csv"], "nonexistent.csv"),
        (["backtest", "no_such_strategy", "--data", "README.md"], "no_such_strategy"),
        (["backtest", "sma_cross", "--data", "README.md", "--fill", "tomorrow"], "--fill"),
        (["backtest", "sma_cross", "--data", "README.md"], "README.md"),
    ])
    func badInputExitsWithTwo(_ arguments: [String], _ mention: String) throws {
        let run = try strata(arguments)
        #expect(run.status == 2)
        #expect(run.stderr.contains(mention))
        #expect(run.stdout.isEmpty)
    }
}
