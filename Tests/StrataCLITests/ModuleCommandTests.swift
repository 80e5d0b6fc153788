import Foundation
import Testing

/// `strata check` and `strata backtest` on a file find the shared modules in the `lib/` beside it.
@Suite struct ModuleCommandTests {
    static let strategy = """
        local names = require "util.names"
        CONFIG_SCHEMA = {}
        function init() return { n = 0 } end
        function on_tick(tick) state.n = state.n + 1; state.day = time.format(tick.ts, "%F") end
        function render() return { widgets = { { type = "metric", label = names.label, value = state.n } } } end
        """

    /// A folder with `user.lua` and, unless `module` is nil, `lib/util/names.lua`.
    func folder(module: String?) throws -> URL {
        let folder = try temporaryFolder()
        try Self.strategy.write(to: folder.appendingPathComponent("user.lua"), atomically: true, encoding: .utf8)
        if let module {
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("lib/util"), withIntermediateDirectories: true)
            try module.write(to: folder.appendingPathComponent("lib/util/names.lua"), atomically: true, encoding: .utf8)
        }
        return folder
    }

    @Test(arguments: ["process", "none"])
    func checkLoadsTheModulesBesideTheFileAndItsVersionCoversThem(isolation: String) throws {
        let first = try folder(module: "return { label = 'n' }")
        defer { try? FileManager.default.removeItem(at: first) }
        let run = try strata("check", first.appendingPathComponent("user.lua").path, "--json", "--ticks", "20", "--isolation", isolation)
        #expect(run.status == 0 && run.json?["ok"] == .bool(true), "\(run.stdout) \(run.stderr)")

        let second = try folder(module: "return { label = 'm' }")
        defer { try? FileManager.default.removeItem(at: second) }
        let other = try strata("check", second.appendingPathComponent("user.lua").path, "--json", "--ticks", "20", "--isolation", isolation)
        #expect(other.status == 0)
        #expect(run.json?["version"] != nil && run.json?["version"] != other.json?["version"], "a module is part of the version")
    }

    @Test func aMissingModuleIsALoadErrorNamingTheFolderAndTheChain() throws {
        let folder = try folder(module: nil)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try strata("check", folder.appendingPathComponent("user.lua").path, "--json")
        #expect(run.status == 1)
        let message = run.json?["error"]?["message"]?.stringValue ?? ""
        #expect(message.contains("module 'util.names' not found in \(folder.lastPathComponent)/lib (required by user)"), "\(run.stdout)")
    }

    @Test func backtestOnAFileUsesItsModulesInAWorker() throws {
        let folder = try folder(module: "return { label = 'n' }")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = repositoryRoot.appendingPathComponent("data").path
        let csv = try FileManager.default.contentsOfDirectory(atPath: data).first { $0.hasSuffix(".csv") }
        let file = try #require(csv)
        let run = try strata("backtest", folder.appendingPathComponent("user.lua").path, "--data", "\(data)/\(file)", "--json", "--no-timing")
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
    }
}
