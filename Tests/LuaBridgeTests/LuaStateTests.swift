import Testing

@testable import LuaBridge

/// Runs `source` as a chunk and returns its first result.
func evaluate(_ source: String, in state: LuaState, deadline: Duration? = .seconds(1)) throws(LuaError) -> LuaValue {
    try state.load(source, chunkName: "=test")
    try state.call(arguments: 0, results: 1, deadline: deadline)
    defer { state.pop() }
    return try state.value(at: -1)
}

@Suite struct LuaStateTests {
    @Test func runsAChunkAndReturnsValues() throws {
        let state = try LuaState()
        #expect(try evaluate("return 1 + 2", in: state) == .integer(3))
        #expect(try evaluate("return 0.5", in: state) == .number(0.5))
        #expect(try evaluate("return 'héllo'", in: state) == .string("héllo"))
        #expect(try evaluate("return {1, 2, 'x'}", in: state) == .array([1, 2, "x"]))
        #expect(try evaluate("return {a = true, b = {}}", in: state) == .table(["a": true, "b": .array([])]))
        #expect(try evaluate("return {[1] = 'a', [3] = 'c'}", in: state) == .table(["1": "a", "3": "c"]))
        #expect(state.top == 0)
    }

    @Test func syntaxErrorsCarryChunkAndLine() throws {
        let state = try LuaState()
        #expect {
            try state.load("local x = 1\nx = = 2", chunkName: "=broken.lua")
        } throws: { error in
            let e = error as! LuaError
            return e.kind == .syntax && e.line == 2 && e.chunk == "broken.lua"
        }
        #expect(state.top == 0)
    }

    @Test func runtimeErrorsCarryTracebackAndLine() throws {
        let state = try LuaState()
        do {
            _ = try evaluate("local function f() error('boom') end\nlocal function g() f() end\ng()", in: state)
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .runtime)
            #expect(error.message.contains("boom"))
            #expect(error.line == 1)
            #expect(error.traceback?.contains("stack traceback") == true)
        }
        #expect(state.top == 0)
    }

    @Test func nonStringErrorValuesAreDescribedWithoutMetamethods() throws {
        let state = try LuaState()
        do {
            _ = try evaluate("error(setmetatable({}, {__tostring = function() while true do end end}))", in: state)
        } catch {
            #expect(error.message == "(error object is a table value)")
        }
    }

    @Test func cyclesDepthAndFunctionsAreConversionErrors() throws {
        let state = try LuaState()
        #expect(throws: LuaError.self) { try evaluate("local t = {}; t.self = t; return t", in: state) }
        #expect(throws: LuaError.self) { try evaluate("local t = {}; for i = 1, 100 do t = {t} end; return t", in: state) }
        #expect(throws: LuaError.self) { try evaluate("return {f = print or function() end}", in: state) }
        // A shared (non-cyclic) table is fine.
        #expect(try evaluate("local s = {1}; return {s, s}", in: state) == .array([.array([1]), .array([1])]))
        #expect(state.top == 0)
    }

    @Test func nanAndInfinitiesSurvive() throws {
        let state = try LuaState()
        let value = try evaluate("return {0/0, 1/0, -1/0}", in: state)
        guard case .array(let items) = value else {
            Issue.record("not an array")
            return
        }
        #expect(items[0].doubleValue?.isNaN == true)
        #expect(items[1] == .number(.infinity))
        #expect(items[2] == .number(-.infinity))
    }

    @Test func valuesRoundTrip() throws {
        let state = try LuaState()
        let value: LuaValue = .table(["a": .array([1, 2.5, "x", true]), "b": .table(["c": 7])])
        state.push(value)
        #expect(try state.value(at: -1) == value)
        state.pop()
    }

    @Test func referencesKeepFunctions() throws {
        let state = try LuaState()
        try state.load("return function(a, b) return a * b end", chunkName: "=ref")
        try state.call(arguments: 0, results: 1, deadline: nil)
        let ref = state.popReference()
        for i in 1...3 {
            state.push(ref)
            state.pushInteger(Int64(i))
            state.pushInteger(10)
            try state.call(arguments: 2, results: 1, deadline: nil)
            #expect(state.integer(at: -1) == Int64(i * 10))
            state.pop()
        }
        state.release(ref)
    }

    @Test func hostFunctionsReturnValuesAndRaiseErrorsFromC() throws {
        let state = try LuaState()
        state.pushHostFunction { s in
            guard let n = s.number(at: 1) else {
                return LuaState.badArgument(1, function: "double", "number expected, got \(s.type(at: 1).name)")
            }
            s.pushNumber(n * 2)
            return .values(1)
        }
        state.setGlobal("double")
        #expect(try evaluate("return double(21)", in: state) == .number(42))
        #expect(
            try evaluate("return select(2, pcall(double, 'x'))", in: state)
                == .string("bad argument #1 to 'double' (number expected, got string)"))
        do {
            _ = try evaluate("double()", in: state)
        } catch {
            #expect(error.message.contains("bad argument #1 to 'double' (number expected, got no value)"))
            #expect(error.line == 1)
        }
    }
}
