import Testing

@testable import LuaBridge

@Suite struct SandboxTests {
    @Test func dangerousGlobalsAreAbsent() throws {
        let state = try LuaState()
        for name in ["io", "os", "debug", "package", "require", "dofile", "loadfile", "print", "warn"] {
            #expect(try evaluate("return \(name) == nil", in: state) == true, "\(name) should be absent")
        }
        #expect(try evaluate("return string.dump == nil", in: state) == true)
    }

    @Test func librariesAndStringMetatableAreReadOnly() throws {
        let state = try LuaState()
        #expect(throws: LuaError.self) { try evaluate("string.format = nil", in: state) }
        #expect(throws: LuaError.self) { try evaluate("rawset(string, 'x', 1)", in: state) }
        #expect(throws: LuaError.self) { try evaluate("setmetatable(math, {})", in: state) }
        #expect(try evaluate("return getmetatable('')", in: state) == false)
        #expect(try evaluate("return ('abc'):upper()", in: state) == "ABC")
        #expect(try evaluate("local n = 0; for k in pairs(table) do n = n + 1 end; return n > 5", in: state) == true)
    }

    @Test func binaryChunksAndGcMetamethodsAreRefused() throws {
        let state = try LuaState()
        #expect(try evaluate("return (load('\\27Lua', 'x', 'b')) == nil", in: state) == true)
        #expect(try evaluate("return load('return 7')()", in: state) == 7)
        #expect(throws: LuaError.self) { try evaluate("setmetatable({}, {__gc = function() end})", in: state) }
        #expect(throws: LuaError.self) { try evaluate("collectgarbage()", in: state) }
        #expect(try evaluate("return type(collectgarbage('count'))", in: state) == "number")
    }

    @Test func aRunawayLoopIsStoppedAtItsDeadline() throws {
        let state = try LuaState()
        let clock = ContinuousClock()
        let start = clock.now
        #expect {
            try evaluate("while true do end", in: state, deadline: .milliseconds(50))
        } throws: { ($0 as! LuaError).kind == .cpuLimit }
        #expect(clock.now - start < .milliseconds(500))
        // The state is usable afterwards.
        #expect(try evaluate("return 1", in: state) == 1)
    }

    @Test func catchingTheKillDoesNotHelp() throws {
        let state = try LuaState()
        let scripts = [
            "while true do pcall(function() while true do end end) end",
            "while true do xpcall(function() while true do end end, function(m) while true do end end) end",
            "local co = coroutine.wrap(function() while true do end end); while true do pcall(co) end",
            "while true do local co = coroutine.create(function() while true do end end); coroutine.resume(co) end",
        ]
        for script in scripts {
            #expect(throws: LuaError.self, "\(script)") {
                try evaluate(script, in: state, deadline: .milliseconds(30))
            }
        }
    }

    @Test func theMemoryCapHolds() throws {
        let state = try LuaState(memoryLimit: 4 << 20)
        #expect {
            try evaluate("local t, x = {}, ('x'):rep(64) for i = 1, 1e9 do t[i] = x .. i end", in: state)
        } throws: { ($0 as! LuaError).kind == .memoryLimit }
        #expect {
            try evaluate("local t = {} while true do pcall(function() for i = 1, 1e9 do t[#t+1] = {} end end) end", in: state)
        } throws: { ($0 as! LuaError).kind == .memoryLimit }
        #expect(try evaluate("return 1", in: state) == 1)
    }
}

/// Libraries other than `string` are built the first time a script reaches into them.
@Suite struct LazyLibraryTests {
    @Test func aLibraryIsBuiltOnFirstUseAndIsTheSameEveryWay() throws {
        for first in [
            "math.floor(2.5)", "next(math)", "pairs(math)", "#math", "rawget(math, 'pi')",
            "math.huge", "pcall(function() math.x = 1 end)",
        ] {
            let state = try LuaState()
            _ = try evaluate("local _ = \(first)", in: state)
            #expect(try evaluate("return math.floor(2.5)", in: state) == 2, "after \(first)")
            #expect(try evaluate("local n = 0; for _ in pairs(math) do n = n + 1 end; return n > 20", in: state) == true)
            #expect(try evaluate("return getmetatable(math)", in: state) == false)
            #expect(throws: LuaError.self) { try evaluate("math.floor = nil", in: state) }
            #expect(throws: LuaError.self) { try evaluate("rawset(math, 'x', 1)", in: state) }
            #expect(throws: LuaError.self) { try evaluate("setmetatable(math, {})", in: state) }
        }
    }

    @Test func aLibraryNotUsedCostsNoMemory() throws {
        let state = try LuaState()
        let before = state.memoryUsed
        _ = try evaluate("return utf8.char(72)", in: state)
        #expect(state.memoryUsed > before)
        #expect(try evaluate("return table.concat({ 'a', 'b' }, coroutine.isyieldable() and '?' or '-')", in: state) == "a-b")
        #expect(try evaluate("math.randomseed(0); local a = math.random(1000); math.randomseed(0); return a == math.random(1000)", in: state) == true)
    }

    @Test func manyHostFunctionsWork() throws {
        // The first 32 are light C functions, the rest closures: all dispatch to their own body.
        let state = try LuaState()
        for i in 0..<40 {
            state.pushHostFunction { s in
                s.pushInteger(Int64(i))
                return .values(1)
            }
            state.setGlobal("f\(i)")
        }
        #expect(try evaluate("local sum = 0; for i = 0, 39 do sum = sum + _G['f' .. i]() end; return sum", in: state) == 780)
    }
}
