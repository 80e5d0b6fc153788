import Testing

@testable import LuaBridge

/// Each state's allocator: size-class free lists over chunks of its own (strata_arena.c), under
/// the state's memory cap, which counts exactly the bytes Lua asked for.
@Suite struct ArenaTests {
    @Test func manyAllocationCyclesOfEverySizeLeaveNothingBehind() throws {
        let state = try LuaState(memoryLimit: 8 << 20)
        // Strings and tables of every size class (16 bytes to 2 KiB) and beyond (malloc), made
        // and dropped many times, grown across classes and shrunk again.
        let churn = """
            for round = 1, 200 do
              local keep = {}
              for size = 1, 3000, 37 do
                keep[#keep + 1] = ("x"):rep(size)
                local t = {}
                for i = 1, size // 16 do t[i] = i end
                keep[#keep + 1] = t
              end
              local grow = {}
              for i = 1, 600 do grow[i] = i end
              for i = 600, 1, -1 do grow[i] = nil end
              grow.x = 1
            end
            return collectgarbage("count")
            """
        // (A first round grows what stays grown: the stack, the string table.)
        _ = try evaluate(churn, in: state, deadline: .seconds(30))
        state.collectGarbage()
        let before = state.memoryUsed
        _ = try evaluate(churn, in: state, deadline: .seconds(30))
        state.collectGarbage()
        // Then the count returns to where it was: every block was given back with its exact size.
        #expect(abs(state.memoryUsed - before) < 1024)
        #expect(try evaluate("return ('ok'):upper()", in: state) == "OK")
    }

    @Test func theCapIsExactUnderTheArena() throws {
        let cap = 512 << 10
        let state = try LuaState(memoryLimit: cap)
        #expect {
            try evaluate("local t = {} for i = 1, 1e9 do t[i] = { i, tostring(i) } end", in: state)
        } throws: { ($0 as! LuaError).kind == .memoryLimit }
        // Nothing a script ran past the cap (the kill headroom is for building the error report).
        #expect(state.memoryPeak <= cap + (1 << 20))
        state.collectGarbage()
        #expect(state.memoryUsed < cap)
        // Work under the cap goes on: freed blocks are reused, the count is not inflated by them.
        for _ in 0..<50 {
            #expect(try evaluate("local t = {} for i = 1, 2000 do t[i] = { i } end return #t", in: state) == 2000)
        }
        #expect(state.memoryPeak <= cap + (1 << 20))
    }

    @Test func chunksOfClosedStatesServeNewStates() throws {
        // Closing states returns their chunks to the pool; new states take them and work.
        for round in 0..<3 {
            var states: [LuaState] = []
            for i in 0..<200 {
                let state = try LuaState(memoryLimit: 1 << 20)
                #expect(
                    try evaluate("local s = {} for i = 1, 100 do s[i] = ('v'):rep(i) end return #s[\(i % 100 + 1)]", in: state)
                        == .integer(Int64(i % 100 + 1)), "round \(round)")
                states.append(state)
            }
            states.removeAll()
        }
    }
}

/// The shared chunk pool gives pages back above its watermark (one test: the pool is process-wide).
@Suite(.serialized) struct ArenaPoolTests {
    @Test func closedStatesAboveTheWatermarkGoBackToTheSystemAndTheirChunksAreReused() throws {
        defer { LuaArenaPool.setWatermark(bytes: 64 << 20) }
        LuaArenaPool.setWatermark(bytes: 0)
        // Given states that grew and were closed
        do {
            var states: [LuaState] = []
            for _ in 0..<20 {
                let state = try LuaState(memoryLimit: 8 << 20)
                _ = try evaluate("local t = {} for i = 1, 5000 do t[i] = { i } end return #t", in: state)
                states.append(state)
            }
        }
        // Then their chunks' pages went back (other suites' states, closed meanwhile, may be
        // passing through the pool: hence no exact figures)
        let after = LuaArenaPool.stats
        #expect(after.released >= 20 * 8 << 10)
        #expect(after.pooled < after.released)
        // And new states work on the released (zeroed) chunks
        for _ in 0..<20 {
            let state = try LuaState(memoryLimit: 8 << 20)
            #expect(try evaluate("local t = {} for i = 1, 100 do t[i] = i * 2 end return tostring(t[100])", in: state) == "200")
        }
    }
}
