import CStrataLua
import Testing

@testable import LuaBridge

/// The host's compile-once path: a chunk parsed in one state, loaded as bytes in others.
@Suite struct CompiledChunkTests {
    private let source = """
        local function explode(n)
          error("boom " .. n)
        end
        function run(n) explode(n) end
        return 40 + 2
        """

    @Test func aCompiledChunkRunsLikeItsTextInAnotherState() throws {
        // Given a chunk compiled in one state
        let chunk = try LuaState().compile(source, chunkName: "@strategy.lua")
        // When another state loads the compiled form
        let state = try LuaState()
        try state.load(chunk, chunkName: "@strategy.lua")
        try state.call(arguments: 0, results: 1, deadline: .seconds(1))
        // Then it runs as the text would
        #expect(state.integer(at: -1) == 42)
        state.pop()
        #expect(state.top == 0)
    }

    @Test func tracebacksOfACompiledChunkNameItsFileAndLines() throws {
        let chunk = try LuaState().compile(source, chunkName: "@strategy.lua")
        let state = try LuaState()
        try state.load(chunk, chunkName: "@ignored.lua")
        try state.call(arguments: 0, results: 0, deadline: .seconds(1))
        state.pushGlobal("run")
        state.pushInteger(7)
        do {
            try state.call(arguments: 1, results: 0, deadline: .seconds(1))
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "strategy.lua:2: boom 7")
            #expect(error.chunk == "strategy.lua" && error.line == 2)
            #expect(error.traceback?.contains("strategy.lua:2: in upvalue 'explode'") == true)
            #expect(error.traceback?.contains("strategy.lua:4: in function <strategy.lua:4>") == true)
        }
    }

    @Test func syntaxErrorsAreReportedByCompile() throws {
        #expect {
            _ = try LuaState().compile("x = = 1", chunkName: "=broken.lua")
        } throws: { ($0 as! LuaError).kind == .syntax }
    }

    @Test func theHostLoaderTakesOnlyBinaryChunks() throws {
        // A text smuggled in as a "compiled" chunk is refused, not parsed.
        let state = try LuaState()
        #expect {
            try state.load(LuaCompiledChunk(bytes: Array("return 1".utf8)), chunkName: "=text")
        } throws: { ($0 as! LuaError).message.contains("attempt to load a text chunk") }
        #expect(state.top == 0)
    }

    @Test func aScriptStillCannotLoadTheHostsBinaryChunks() throws {
        // Given the bytes of a real compiled chunk handed to a script as a string
        let chunk = try LuaState().compile("return 1", chunkName: "=c")
        let state = try LuaState()
        chunk.bytes.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(state.L, $0.baseAddress, $0.count) }
        }
        state.setGlobal("bytes")
        // Then `load` refuses them in every mode, with or without a reader function
        for call in [
            "load(bytes)", "load(bytes, 'c', 'b')", "load(bytes, 'c', 'bt')",
            "load(function() local b = bytes; bytes = nil; return b end, 'c', 'b')",
        ] {
            let result = try evaluate("local f, err = \(call); return err", in: state)
            #expect(result == "attempt to load a binary chunk (mode is 't')", "\(call)")
        }
    }

    @Test func onlyLuaFunctionsCanBeDumped() throws {
        let state = try LuaState()
        state.pushGlobal("pairs")
        #expect(state.dumpFunction() == nil)
        state.pop()
        state.pushNil()
        #expect(state.dumpFunction() == nil)
        state.pop()
        #expect(state.top == 0)
    }
}
