import Foundation
import LuaBridge
import Testing

/// The `ta` indicators against reference values computed with pandas and the `ta` package
/// (`tools/ta-reference/generate.py`) on the repository's sample data. The comparison itself runs
/// in Lua (`Fixtures/ta/compare.lua`): it raises at the first output beyond 1e-9 relative or
/// the first warm-up that differs (nil where the reference has a value, or the reverse).
@Suite struct TaReferenceTests {
    /// The `Fixtures/ta` folder (copied resource, or the source folder next to this file).
    static let folder: URL = {
        if let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) { return url.appendingPathComponent("ta") }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/ta")
    }()

    /// A state holding the reference rows and the comparison functions.
    static func comparison() throws -> LuaState {
        let lua = try LuaState(memoryLimit: 256 << 20)
        lua.pushString(try String(contentsOf: folder.appendingPathComponent("reference.csv"), encoding: .utf8))
        lua.setGlobal("DATA")  // stack: []
        try lua.load(try String(contentsOf: folder.appendingPathComponent("compare.lua"), encoding: .utf8), chunkName: "@compare.lua")
        try lua.call(arguments: 0, results: 0, deadline: .seconds(60))
        return lua
    }

    /// Runs `code` (a Lua expression) in `lua` and returns its value.
    @discardableResult
    static func evaluate(_ code: String, in lua: LuaState) throws -> LuaValue {
        try lua.load("return " + code, chunkName: "=test")
        try lua.call(arguments: 0, results: 1, deadline: .seconds(120))
        defer { lua.pop() }
        return try lua.value(at: -1)
    }

    @Test func everyIndicatorMatchesTheReferenceFromWarmUpOn() throws {
        let lua = try Self.comparison()
        let rows = try Self.evaluate("rows_count()", in: lua)
        #expect(rows == .integer(3304))
        let worst = try Self.evaluate("run(1, rows_count())", in: lua)
        guard case .table(let columns) = worst else {
            Issue.record("no errors reported: \(worst)")
            return
        }
        // Columns computed exactly (rsi, macd, highest, lowest, crossover) report no error at all.
        #expect(columns.count >= 10)
        for (name, error) in columns {
            if case .number(let relative) = error { #expect(relative <= 1e-9, "\(name)") }
        }
    }

    @Test func refusedInputsRaiseAndChangeNothing() throws {
        let lua = try Self.comparison()
        try Self.evaluate("run(1, 400, { refuse = true }) and true", in: lua)
    }

    @Test func resetObjectsStartOverLikeNewOnes() throws {
        let lua = try Self.comparison()
        try Self.evaluate("run(1, 700) and true", in: lua)
        // The GOOG objects (GOOG is the first 2,148 rows), reset, are fed GOOG again from its start.
        try Self.evaluate("objects.file == 'GOOG.csv' and (reset_all() or run(1, 2148)) and true", in: lua)
    }

    @Test func objectsSnapshottedMidSeriesGoOnInAnotherStateWithTheSameOutputs() throws {
        let first = try Self.comparison()
        try Self.evaluate("run(1, 1000) and true", in: first)
        _ = first.pushGlobal("objects")  // stack: [objects]
        let bytes = try first.snapshotTop(maxBytes: 1 << 20).get()
        first.pop()  // stack: []
        let second = try Self.comparison()
        try second.pushSnapshot(bytes)  // stack: [objects]
        second.setGlobal("objects")  // stack: []
        try Self.evaluate("run(1001, rows_count()) and true", in: second)
    }
}
