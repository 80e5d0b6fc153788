import Foundation
import LuaBridge
import StrataRuntime

/// ta_update: nanoseconds per update of each `ta` indicator (C inside the sandbox) beside the
/// same computation written in plain Lua (`tools/bench/strategies/ta_update.lua`: running
/// sums, the same monotonic deque), both in one sandboxed state of this process, in the same
/// run. The loop and the reading of its input (`run("loop", …)`) are timed apart and taken off
/// both sides. The figure is sma's cost; every indicator's is in `indicators`. Its baseline is
/// the plain Lua SMA, not a C program: the question is what a script gains over writing it.
struct TaUpdateBenchmark {
    let scriptPath: String
    let updates: Int
    static let runs = 3
    /// The indicators `ta_update.lua` knows, in its order.
    static let indicators = [
        "sma", "ema", "wma", "rma", "rsi", "macd", "bollinger", "stdev", "atr", "highest", "lowest", "roc", "vwap", "crossover",
    ]

    /// Median seconds of `runs` calls of `run(impl, name, updates)`.
    func seconds(_ lua: LuaState, _ impl: String, _ name: String) throws -> Double {
        var times: [Double] = []
        for _ in 0..<Self.runs {
            try lua.load("return run('\(impl)', '\(name)', \(updates))", chunkName: "=ta_update")
            let start = ContinuousClock.now
            try lua.call(arguments: 0, results: 0, deadline: .seconds(600))
            times.append(nanoseconds(ContinuousClock.now - start) / 1e9)
        }
        return times.quantile(0.5)
    }

    func figure(session: BenchSession) throws -> BenchFigure {
        guard let text = FileManager.default.contents(atPath: scriptPath) else { throw UsageError("cannot read \(scriptPath)") }
        let lua = try LuaState(memoryLimit: 256 << 20)
        try lua.load(String(decoding: text, as: UTF8.self), chunkName: "@ta_update.lua")
        try lua.call(arguments: 0, results: 0, deadline: .seconds(10))
        session.progress("timing \(Self.indicators.count) indicators × \(updates) updates, in C and in plain Lua…")
        let loop = try seconds(lua, "loop", "sma")
        var rows: [String: JSONValue] = [:]
        var sma: (ta: Double, lua: Double) = (0, 0)
        for name in Self.indicators {
            let ta = max(0, try seconds(lua, "ta", name) - loop) / Double(updates) * 1e9
            let plain = max(0, try seconds(lua, "lua", name) - loop) / Double(updates) * 1e9
            if name == "sma" { sma = (ta, plain) }
            rows[name] = .object([
                "ta_ns": .number(BenchFigure.rounded(ta)), "lua_ns": .number(BenchFigure.rounded(plain)),
                "ratio": .number(BenchFigure.rounded(plain > 0 ? ta / plain : 0, digits: 3)),
            ])
        }
        let loopNs = loop / Double(updates) * 1e9
        let summary = Self.indicators.compactMap { name -> String? in
            guard case .object(let row)? = rows[name], let ta = row["ta_ns"]?.doubleValue, let plain = row["lua_ns"]?.doubleValue else { return nil }
            return String(format: "%@ %.0f/%.0f", name, ta, plain)
        }
        return BenchFigure(
            name: "ta_update", value: max(sma.ta, 0.01), unit: "ns/update (sma; baseline: plain Lua)", baseline: max(sma.lua, 0.01),
            extras: [
                "updates": .integer(Int64(updates)), "loop_ns": .number(BenchFigure.rounded(loopNs)), "indicators": .object(rows),
            ],
            note: "ns per update, ta/plain Lua: " + summary.joined(separator: ", "))
    }
}
