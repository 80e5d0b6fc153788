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
            try evaluate("local t = {} for i = 1, 1e9 do t[i] = ('x'):rep(64) .. i end", in: state)
        } throws: { ($0 as! LuaError).kind == .memoryLimit }
        #expect {
            try evaluate("local t = {} while true do pcall(function() for i = 1, 1e9 do t[#t+1] = {} end end) end", in: state)
        } throws: { ($0 as! LuaError).kind == .memoryLimit }
        #expect(try evaluate("return 1", in: state) == 1)
    }
}
