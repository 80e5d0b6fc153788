import LuaBridge
import Testing

@testable import StrataRuntime

/// A strategy version is parsed once; every later instance of it loads the compiled form.
@Suite struct CompiledScriptTests {
    private let failing = StrategyScript(
        name: "test",
        source: #"""
            CONFIG_SCHEMA = {}
            function init() return { n = 0 } end
            local function helper(price)
              if price > 100 then
                local missing
                return missing.field
              end
            end
            function on_tick(tick) state.n = state.n + 1; helper(tick.price) end
            function render() return { widgets = {} } end
            """#)

    private func instance(_ script: StrategyScript, id: String = "i1") throws -> StrategyInstance {
        try StrategyInstance(identity: identity(id), script: script, broker: PaperBroker(), limits: .testing)
    }

    @Test func theFirstInstanceCompilesAndLaterOnesLoadTheCompiledForm() throws {
        let script = failing
        #expect(script.compiled.chunk == nil)
        // Given a first instance (which parses the text)
        let first = try instance(script)
        let chunk = try #require(script.compiled.chunk)
        // When a second instance of the same script value (or a copy of it) loads
        let copy = script
        let second = try instance(copy, id: "i2")
        // Then it reuses that compiled form, and behaves the same
        #expect(copy.compiled.chunk == chunk)
        try first.tick(tick(50))
        try second.tick(tick(50))
        #expect(try second.state("n") == 1)
    }

    @Test func aCompiledInstanceStillReportsFileAndLine() throws {
        let script = failing
        _ = try instance(script)  // compiles
        let compiled = try instance(script, id: "i2")  // loads the compiled form
        let error = try #require(strategyError { try compiled.tick(tick(150)) })
        #expect(error.line == 6)
        #expect(error.message.hasPrefix("test.lua:6: attempt to index a nil value (local 'missing')"))
        let traceback = try #require(error.traceback)
        #expect(traceback.contains("test.lua:6: in upvalue 'helper'"))
        #expect(traceback.contains("test.lua:9: in function <test.lua:9>"))
    }

    @Test func changingTheSourceStartsANewVersionAndCompilesIt() throws {
        var script = StrategyScript(
            name: "test",
            source: #"""
                CONFIG_SCHEMA = {}
                function init() return { v = 1 } end
                function on_tick(tick) end
                function render() return { widgets = {} } end
                """#)
        let old = try instance(script)
        let oldVersion = script.version
        #expect(script.compiled.chunk != nil)
        // When the source changes
        script.source = script.source.replacingOccurrences(of: "v = 1", with: "v = 2")
        // Then it is a new version with nothing compiled yet, and instances run the new text
        #expect(script.version != oldVersion)
        #expect(script.compiled.chunk == nil)
        #expect(try instance(script, id: "i2").state("v") == 2)
        #expect(try instance(script, id: "i3").state("v") == 2)  // from the new compiled form
        #expect(try old.state("v") == 1)
        script.chunkName = "=renamed.lua"
        #expect(script.compiled.chunk == nil)
    }

    @Test func aHotReloadLoadsTheNewVersionsCompiledForm() throws {
        let v1 = StrategyScript(
            name: "test",
            source: #"""
                CONFIG_SCHEMA = {}
                function init() return { n = 0 } end
                function on_tick(tick) state.n = state.n + 1 end
                function render() return { widgets = {} } end
                """#)
        let v2 = StrategyScript(name: "test", source: v1.source.replacingOccurrences(of: "+ 1", with: "+ 10"))
        let a = try instance(v1)
        let b = try instance(v1, id: "i2")
        try a.reload(v2)  // checks v2 in a scratch state (compiling it), then loads it
        #expect(v2.compiled.chunk != nil)
        try b.reload(v2)  // loads the compiled form
        for runtime in [a, b] {
            try runtime.tick(tick())
            #expect(try runtime.state("n") == 10)
            #expect(runtime.script.version == v2.version)
        }
    }

    @Test func aBrokenScriptIsNotCompiledAndFailsTheSameEveryTime() throws {
        let broken = StrategyScript(name: "test", source: "function init( return {} end")
        for id in ["i1", "i2"] {
            let error = strategyError { _ = try instance(broken, id: id) }
            #expect(error?.kind == .syntax)
            #expect(error?.line == 1)
        }
        #expect(broken.compiled.chunk == nil)
    }
}
