import LuaBridge
import Testing

@testable import StrataRuntime

/// A strategy whose `state` is built by `body` (Lua statements that fill `s`).
private func strategy(_ body: String, hooks: String = "") -> String {
    """
    CONFIG_SCHEMA = {}
    function init() local s = {} \(body) return s end
    function on_tick(tick) state.ticks = (state.ticks or 0) + 1 end
    function render() return { widgets = {} } end
    \(hooks)
    """
}

/// Saves `source`'s state and restores it into a fresh instance of the same script.
private func roundTrip(_ source: String, limits: StrategyLimits = .testing) throws -> StrategyInstance {
    let first = try makeInstance(source, limits: limits)
    let saved = try #require(try first.savedState())
    return try makeInstance(source, restoring: saved, limits: limits)
}

extension StrategyInstance {
    /// Evaluates a Lua expression over the instance's globals (e.g. a check on `state`).
    func evaluate(_ expression: String) throws -> LuaValue {
        try lua.load("return " + expression, chunkName: "=check")
        try lua.call(arguments: 0, results: 1, deadline: .seconds(5))
        defer { lua.pop() }
        return try lua.value(at: -1)
    }
}

@Suite struct StateSnapshotTests {
    @Test func plainDataComesBackExactly() throws {
        let restored = try roundTrip(
            strategy(
                #"""
                s.int = 42; s.neg = math.mininteger; s.float = 42.0; s.tiny = 5e-324; s.huge = math.huge
                s.nan_is_kept = 0/0; s.yes = true; s.no = false
                s.binary = "a\0b\255\n"; s.empty = ""
                s.list = { 1, 2.5, "three", { 4 } }; s.map = { ["key with spaces"] = 1, [10] = "ten", [1.5] = "x", [true] = "t" }
                """#))
        #expect(try restored.evaluate("math.type(state.int) == 'integer' and state.int == 42") == .boolean(true))
        #expect(try restored.evaluate("state.neg == math.mininteger") == .boolean(true))
        #expect(try restored.evaluate("math.type(state.float) == 'float' and state.float == 42") == .boolean(true))
        #expect(try restored.evaluate("state.tiny == 5e-324 and state.huge == math.huge") == .boolean(true))
        #expect(try restored.evaluate("state.nan_is_kept ~= state.nan_is_kept") == .boolean(true))
        #expect(try restored.evaluate("state.yes == true and state.no == false") == .boolean(true))
        #expect(try restored.evaluate(#"state.binary == "a\0b\255\n" and state.empty == """#) == .boolean(true))
        #expect(try restored.evaluate("#state.list == 4 and state.list[2] == 2.5 and state.list[4][1] == 4") == .boolean(true))
        #expect(
            try restored.evaluate(#"state.map["key with spaces"] == 1 and state.map[10] == "ten" and state.map[1.5] == "x" and state.map[true] == "t""#)
                == .boolean(true))
    }

    @Test func sharedTablesAndCyclesStayShared() throws {
        let restored = try roundTrip(
            strategy("local shared = { n = 1 }; s.a = shared; s.b = shared; s.self = s; s.ring = { }; s.ring.next = { back = s.ring }"))
        #expect(try restored.evaluate("rawequal(state.a, state.b) and rawequal(state.self, state)") == .boolean(true))
        #expect(try restored.evaluate("rawequal(state.ring.next.back, state.ring)") == .boolean(true))
        // Still one table: a change through one path shows through the other.
        #expect(try restored.evaluate("(function() state.a.n = 7 return state.b.n end)()") == .integer(7))
    }

    @Test(arguments: [
        ("s.f = print", "state.f is a function"),
        ("s.deep = { list = { 1, 2, function() end } }", "state.deep.list[3] is a function"),
        ("s.co = coroutine.create(function() end)", "state.co is a thread"),
        ("s.m = setmetatable({}, { __index = {} })", "state.m has a metatable"),
        ("s[print] = 1", "state[function]"),
    ])
    func valuesThatAreNotPlainDataAreRefusedByPath(body: String, path: String) throws {
        let instance = try makeInstance(strategy(body))
        let error = try #require(throws: StrategyError.self) { try instance.saveState() }
        #expect(error.kind == .snapshot)
        #expect(error.message.contains(path), "\(error.message)")
    }

    @Test func aSnapshotPastTheBoundIsRefusedNotTruncated() throws {
        var limits = StrategyLimits.testing
        limits.maxSnapshotBytes = 64 << 10
        let instance = try makeInstance(strategy("for i = 1, 100 do s[i] = string.rep('x', 1000) end"), limits: limits)
        let error = try #require(throws: StrategyError.self) { try instance.saveState() }
        #expect(error.kind == .snapshot)
        #expect(error.message.contains("larger than 65536 bytes"), "\(error.message)")
    }

    @Test func nestingPastTheDepthBoundIsRefused() throws {
        let instance = try makeInstance(strategy("local t = s for i = 1, 500 do t.next = {} t = t.next end"))
        let error = try #require(throws: StrategyError.self) { try instance.saveState() }
        #expect(error.message.contains("nested too deeply"), "\(error.message)")
    }

    @Test func aWideStateWithManySharedTablesSaves() throws {
        // 20,000 distinct tables, each referenced twice: the seen-set grows and stays correct.
        let restored = try roundTrip(strategy("s.a = {} s.b = {} for i = 1, 20000 do local t = { i } s.a[i] = t s.b[i] = t end"))
        #expect(try restored.evaluate("rawequal(state.a[20000], state.b[20000]) and state.b[12345][1] == 12345") == .boolean(true))
    }

    /// Broken snapshots by the reason each is refused (the reason names the bytes, so a failing
    /// case prints a line, not the bytes).
    static let corruptions: [String: [UInt8]] = {
        let magic: [UInt8] = Array("STS1".utf8)
        return [
            "not a Strata snapshot": Array("XX".utf8),
            "ends early": magic + [6],  // a table without its end
            "runs past its end": magic + [5, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F],  // a 4 GiB string
            "a reference to a table not read yet": magic + [7, 0],
            "a key is nil": magic + [6, 0, 1, 0xFF],
            "an unknown tag": magic + [0x42],
            "bytes after the value": magic + [1, 1],
            "a length is too long": magic + [5] + [UInt8](repeating: 0x80, count: 12),
            "nested too deeply": magic + [UInt8](repeating: 6, count: 5_000),
        ]
    }()

    @Test(arguments: corruptions.keys.sorted())
    func corruptSnapshotsAreRefusedWithTheReason(reason: String) throws {
        let bytes = try #require(Self.corruptions[reason])
        let source = strategy("s.n = 1")
        let error = try #require(throws: StrategyError.self) {
            try makeInstance(source, restoring: SavedState(bytes: bytes, version: StrategyScript(name: "test", source: source).version))
        }
        #expect(error.kind == .snapshot)
        #expect(error.message.hasPrefix("cannot restore the saved state: corrupt snapshot:"), "\(error.message)")
        #expect(error.message.contains(reason), "\(error.message)")
    }

    @Test func aSnapshotThatDoesNotFitTheMemoryCapIsAMemoryError() throws {
        var limits = StrategyLimits.testing
        limits.memoryBytes = 4 << 20
        let small = strategy("s.n = 1")
        let big = try makeInstance(strategy("for i = 1, 60 do s[i] = string.rep(string.char(64 + i), 100000) end"))
        let saved = try #require(try big.saveState())
        let error = try #require(throws: StrategyError.self) {
            try makeInstance(small, restoring: SavedState(bytes: saved, version: StrategyScript(name: "test", source: small).version), limits: limits)
        }
        #expect(error.kind == .memoryLimit, "\(error)")
    }

    @Test func onSaveShapesWhatIsSavedAndOnRestoreHowItComesBack() throws {
        let source = strategy(
            "s.window = { 1, 2, 3 }; s.cache = { big = true }",
            hooks: """
                function on_save() return { window = state.window } end
                function on_restore(saved) saved.cache = { rebuilt = true } saved.restored = true return saved end
                """)
        let restored = try roundTrip(source)
        #expect(try restored.evaluate("state.restored and state.cache.rebuilt and #state.window == 3") == .boolean(true))
        #expect(try restored.evaluate("state.cache.big") == .nil)
    }

    @Test func onSaveReturningNilOptsOut() throws {
        let instance = try makeInstance(strategy("s.n = 1", hooks: "function on_save() return nil end"))
        #expect(try instance.saveState() == nil)
    }

    @Test func onSaveCannotTrade() throws {
        let instance = try makeInstance(
            strategy("s.n = 1", hooks: "function on_save() context.place_order{ side = 'buy', qty = 1 } return state end"))
        #expect(throws: StrategyError.self) { try instance.saveState() }
    }

    @Test func anotherVersionRestoresThroughOnReloadOrStartsOverWithInit() throws {
        let first = try makeInstance(strategy("s.n = 41"))
        let saved = try #require(try first.savedState())
        // With on_reload: the saved state, then on_reload(old_version).
        let withHook = try makeInstance(
            strategy("s.n = 0", hooks: "function on_reload(old) state.n = state.n + 1 state.from = old end"), restoring: saved)
        #expect(try withHook.evaluate("state.n") == .integer(42))
        #expect(try withHook.evaluate("state.from") == .string(saved.version))
        // Without: init() decides.
        let without = try makeInstance(strategy("s.n = 0 s.fresh = true"), restoring: saved)
        #expect(try without.evaluate("state.fresh and state.n == 0") == .boolean(true))
    }

    @Test func onRestoreMustReturnATable() throws {
        let source = strategy("s.n = 1", hooks: "function on_restore(saved) return 5 end")
        let first = try makeInstance(source)
        let saved = try #require(try first.savedState())
        let error = try #require(throws: StrategyError.self) { try makeInstance(source, restoring: saved) }
        #expect(error.message.contains("must be a table, got number"), "\(error.message)")
    }

    @Test func aCatchUpStopsAtItsBudgetAndLeavesNoSignalsOrLogs() throws {
        let slow = strategy(
            "s.n = 0",
            hooks:
                "function on_tick(tick) state.n = state.n + 1 context.log('n') context.place_order{ side = 'buy', qty = 1 } local x = 0 for i = 1, 200000 do x = x + i end end"
        )
        let instance = try makeInstance(slow)
        let ticks = (1...2_000).map { tick(100, at: Double($0)) }
        let caught = try instance.catchUp(ticks, within: .milliseconds(50))
        #expect(caught > 0 && caught < 2_000)
        #expect(try instance.evaluate("state.n") == .integer(Int64(caught)))
        #expect(instance.signals.isEmpty && instance.log.lines.isEmpty)
        #expect(instance.mode == .active)
        #expect(try instance.catchUp(Array(ticks.prefix(3)), within: .seconds(10)) == 3)
    }
}
