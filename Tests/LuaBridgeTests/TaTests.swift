import Testing

@testable import LuaBridge

/// The `ta` library in the sandbox: objects, their methods, and every misuse a script can try.
@Suite struct TaTests {
    @Test func anIndicatorWarmsUpThenGivesItsValue() throws {
        let state = try LuaState()
        let code = """
            local s = ta.sma(3)
            local a, b, c, d = s:update(1), s:update(2), s:update(3), s:update(5)
            return tostring(a) .. " " .. tostring(b) .. " " .. c .. " " .. d .. " " .. s:value() .. " " .. tostring(s:ready())
            """
        #expect(try evaluate(code, in: state) == "nil nil 2.0 3.3333333333333 3.3333333333333 true")
        #expect(try evaluate("local m = ta.macd(12, 26, 9); return select('#', m:period())", in: state) == 3)
        #expect(
            try evaluate("return tostring(ta.bollinger(20)) .. ' ' .. tostring(ta.vwap()) .. ' ' .. tostring(ta.vwap(5))", in: state)
                == "ta.bollinger(20, 2) ta.vwap() ta.vwap(5)")
        #expect(try evaluate("local b = ta.bollinger(2, 1.5); b:update(1); return select('#', b:update(3))", in: state) == 4)
        #expect(
            try evaluate(
                "local s = ta.sma(2); s:update(1); s:update(2); s:reset(); return s:ready() == false and s:value() == nil and s:update(4) == nil and s:update(6) == 5",
                in: state) == true)
    }

    @Test func crossesTakeNilAsAGap() throws {
        let state = try LuaState()
        let code = """
            local c, r = ta.crossover(), {}
            for _, pair in ipairs({ {1, 2}, {3, 2}, {3, 2}, {1, 2}, {false}, {3, 2}, {1, 2}, {3, 2} }) do
              r[#r + 1] = tostring(c:update(pair[1] or nil, pair[2]))
            end
            return table.concat(r, " ")
            """
        // The first pair has no predecessor; a nil forgets the previous pair.
        #expect(try evaluate(code, in: state) == "false true false false false false false true")
        #expect(
            try evaluate("local v = ta.vwap(); return tostring(v:update(10, 0)) .. ' ' .. v:update(20, 2) .. ' ' .. v:update(50, 0)", in: state)
                == "nil 20.0 20.0")
    }

    @Test func everyMisuseIsALuaErrorThatSaysWhat() throws {
        let state = try LuaState()
        let cases: [(String, String)] = [
            ("ta.sma(5).update(ta.ema(5), 1)", "ta.sma expected, got ta.ema"),
            ("ta.sma(5).update(5)", "ta.sma expected, got number"),
            ("ta.sma(5).value({})", "ta.sma expected, got table"),
            ("ta.sma(5):update(0/0)", "ta.sma(5): value must be a finite number, got nan"),
            ("ta.rsi(5):update(1/0)", "ta.rsi(5): value must be a finite number within ±1e100, got inf"),
            ("ta.sma(5):update(1e300)", "within ±1e100"),
            ("ta.atr(14):update(2, -1/0, 1)", "ta.atr(14): low must be a finite number"),
            ("ta.vwap():update(10, -1)", "ta.vwap(): volume must not be negative"),
            ("ta.sma(5):update('1')", "ta.sma(5): value must be a number, got string"),
            ("ta.sma(5):update(nil)", "ta.sma(5): value must be a number, got nil"),
            ("ta.crossover():update({}, 1)", "ta.crossover(): a must be a number or nil, got table"),
            ("ta.sma(5):update()", "ta.sma(5):update takes 1 argument, got 0"),
            ("ta.sma(5):update(1, 2)", "ta.sma(5):update takes 1 argument, got 2"),
            ("ta.sma(5):reset(1)", "ta.sma(5):reset takes 0 arguments, got 1"),
            ("ta.sma(0)", "bad argument #1 to 'ta.sma' (period must be an integer from 1 to 1000000, got 0)"),
            ("ta.sma(1000001)", "period must be an integer from 1 to 1000000"),
            ("ta.ema(2.5)", "got 2.5"),
            ("ta.wma('20')", "got string"),
            ("ta.highest()", "got no value"),
            ("ta.sma(0/0)", "period must be an integer"),
            ("ta.sma(3, 4)", "ta.sma takes at most 1 argument, got 2"),
            ("ta.macd(12, 26)", "bad argument #3 to 'ta.macd'"),
            ("ta.bollinger(20, -1)", "multiplier must be a number from 0 to 1000"),
            ("ta.bollinger(20, 1/0)", "multiplier must be a number from 0 to 1000"),
            ("ta.sma = nil", "read-only"),
            ("ta.sma(3).x = 1", "attempt to index a ta.sma value"),
            ("setmetatable(ta.sma(3), {})", "table expected"),
        ]
        for (code, fragment) in cases {
            #expect(throws: LuaError.self, "\(code)") { try evaluate(code, in: state) }
            do {
                _ = try evaluate(code, in: state)
            } catch {
                #expect(error.kind == .runtime, "\(code)")
                #expect(error.message.contains(fragment), "\(code): \(error.message)")
            }
        }
    }

    @Test func metatablesAreLockedAndLeadNowhere() throws {
        let state = try LuaState()
        #expect(try evaluate("return getmetatable(ta.sma(3))", in: state) == false)
        #expect(try evaluate("return getmetatable(ta)", in: state) == false)
        #expect(try evaluate("local s = ta.sma(3); return s.nothing == nil and type(s.update) == 'function'", in: state) == true)
        // A method taken from one kind refuses every other kind and every other value.
        #expect(try evaluate("local u = ta.ema(3).update; return select('#', pcall(u, ta.rma(3), 1)) == 2 and not pcall(u, ta.rma(3), 1)", in: state) == true)
        #expect(try evaluate("return type(next(ta)) == 'nil' and type(ta.sma) == 'function'", in: state) == true)
    }

    @Test func objectsWorkFromCoroutinesAndAfterReset() throws {
        let state = try LuaState()
        let code = """
            local s = ta.ema(2)
            local co = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(s:update(i)) end end)
            co(); local v = co(); s:reset(); local after = s:update(10)
            local ok = pcall(coroutine.wrap(function() return s:update(0/0) end))
            return v == 1.5 and after == nil and not ok
            """
        #expect(try evaluate(code, in: state) == true)
    }

    @Test func hugePeriodsAndHoardsStopAtTheMemoryCap() throws {
        let state = try LuaState(memoryLimit: 16 << 20)
        #expect {
            try evaluate("local t = {} for i = 1, 100 do t[i] = ta.highest(1000000) end", in: state)
        } throws: { ($0 as! LuaError).kind == .memoryLimit }
        #expect {
            try evaluate("local t = {} for i = 1, 1e7 do t[i] = ta.sma(50) end", in: state)
        } throws: { ($0 as! LuaError).kind == .memoryLimit }
        state.collectGarbage()
        #expect(try evaluate("local s = ta.sma(2); s:update(1); return s:update(3)", in: state) == .number(2))
    }
}
