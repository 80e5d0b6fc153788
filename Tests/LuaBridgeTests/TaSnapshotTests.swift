import Testing

@testable import LuaBridge

/// `ta` objects in snapshots: they come back with their state (the next outputs are the same),
/// shared objects stay shared, and crafted or corrupted bytes are refused, never trusted.
@Suite struct TaSnapshotTests {
    /// Snapshot bytes of the value `expression` gives (after running `setup`).
    static func snapshot(_ expression: String, setup: String = "") throws -> [UInt8] {
        let state = try LuaState()
        _ = try evaluate(setup + "\nreturn nil", in: state)
        try state.load("return " + expression, chunkName: "=snap")
        try state.call(arguments: 0, results: 1, deadline: .seconds(5))  // stack: [value]
        defer { state.pop() }
        return try state.snapshotTop(maxBytes: 64 << 20).get()
    }

    /// A fresh state whose global `x` is what `bytes` hold.
    static func restore(_ bytes: [UInt8]) throws(LuaError) -> LuaState {
        let state = try LuaState()
        try state.pushSnapshot(bytes)  // stack: [value]
        state.setGlobal("x")  // stack: []
        return state
    }

    /// One object of every kind.
    static let kinds = [
        "ta.sma(7)", "ta.ema(7)", "ta.wma(7)", "ta.rma(7)", "ta.rsi(7)", "ta.macd(3, 7, 4)", "ta.bollinger(7, 2)",
        "ta.stdev(7)", "ta.atr(7)", "ta.highest(7)", "ta.lowest(7)", "ta.roc(7)", "ta.vwap()", "ta.vwap(7)",
        "ta.crossover()", "ta.crossunder()",
    ]

    /// `feed(o, i)` gives `o` the i-th value of a made-up series (the inputs its kind takes) and
    /// returns its outputs as text; `feed_range(o, from, to)` does it for a range.
    static let feeder = """
        function feed(o, i)
          local p = 100 + math.sin(i) * 10 + i * 0.1
          local name = tostring(o):match("^ta%.(%a+)")
          local r
          if name == "atr" then r = table.pack(o:update(p + 1, p - 1, p))
          elseif name == "vwap" then r = table.pack(o:update(p, i % 5))
          elseif name:match("^cross") then r = table.pack(o:update(p, 100 + i * 0.1))
          else r = table.pack(o:update(p)) end
          for k = 1, r.n do r[k] = tostring(r[k]) end
          return table.concat(r, ",")
        end
        function feed_range(o, from, to)
          local out = {}
          for i = from, to do out[#out + 1] = feed(o, i) end
          return table.concat(out, ";")
        end
        """

    @Test(arguments: kinds)
    func anObjectGoesOnAfterARoundTripAsIfNothingHappened(_ kind: String) throws {
        let state = try LuaState()
        _ = try evaluate(Self.feeder + "\no = \(kind); feed_range(o, 1, 40)", in: state)
        _ = state.pushGlobal("o")  // stack: [o]
        let bytes = try state.snapshotTop(maxBytes: 1 << 20).get()
        state.pop()  // stack: []
        let expected = try evaluate("return feed_range(o, 41, 200)", in: state)
        let restored = try Self.restore(bytes)
        let got = try evaluate(Self.feeder + "\nreturn feed_range(x, 41, 200)", in: restored)
        #expect(got == expected)
    }

    @Test func aSharedObjectStaysShared() throws {
        let bytes = try Self.snapshot("{ a = s, b = s, list = { s, ta.ema(3) } }", setup: "s = ta.sma(3); s:update(1)")
        let state = try Self.restore(bytes)
        #expect(try evaluate("return rawequal(x.a, x.b) and rawequal(x.a, x.list[1]) and not rawequal(x.a, x.list[2])", in: state) == true)
        #expect(try evaluate("x.a:update(2); return x.b:update(3)", in: state) == .number(2))
    }

    /// Offsets in the snapshot of one object: magic (4), tag (1), kind id, three periods,
    /// multiplier, ready flag, outputs, slots, cell count, cells.
    enum Offset {
        static let kind = 5, period = 6, ready = 26, slots = 59, cellCount = 187, cells = 195
    }

    static func patched(_ bytes: [UInt8], at offset: Int, _ value: UInt64, width: Int = 8) -> [UInt8] {
        var bytes = bytes
        for i in 0..<width { bytes[offset + i] = UInt8((value >> (8 * UInt64(i))) & 0xFF) }
        return bytes
    }

    @Test func craftedFieldsAreRefused() throws {
        let sma = try Self.snapshot("s", setup: "s = ta.sma(3); s:update(1); s:update(2)")
        #expect(sma.count == Offset.cells + 3 * 8)
        let nan = UInt64(0x7FF8_0000_0000_0000)
        let crafted: [(String, [UInt8])] = [
            ("unknown kind", Self.patched(sma, at: Offset.kind, 99, width: 1)),
            ("period 0", Self.patched(sma, at: Offset.period, 0, width: 4)),
            ("period beyond the bound", Self.patched(Self.patched(sma, at: Offset.period, 2_000_000, width: 4), at: Offset.cellCount, 2_000_000)),
            ("negative period", Self.patched(sma, at: Offset.period, 0xFFFF_FFFF, width: 4)),
            ("a period the kind does not take", Self.patched(sma, at: Offset.period + 4, 5, width: 4)),
            ("cell count unlike the period", Self.patched(sma, at: Offset.cellCount, 4)),
            ("huge cell count", Self.patched(sma, at: Offset.cellCount, UInt64.max / 2)),
            ("larger period than the cells sent", Self.patched(Self.patched(sma, at: Offset.period, 1000, width: 4), at: Offset.cellCount, 1000)),
            ("ready flag 2", Self.patched(sma, at: Offset.ready, 2, width: 1)),
            ("ring position past the end", Self.patched(sma, at: Offset.slots, 3)),
            ("ring fill past the end", Self.patched(sma, at: Offset.slots + 8, 4)),
            ("negative ring position", Self.patched(sma, at: Offset.slots, UInt64.max)),
            ("a NaN in the buffer", Self.patched(sma, at: Offset.cells, nan)),
            ("a NaN sum", Self.patched(sma, at: Offset.slots + 24, nan)),
            ("truncated", Array(sma.dropLast(1))),
            ("trailing byte", sma + [0]),
        ]
        for (why, bytes) in crafted {
            #expect(throws: LuaError.self, "\(why)") { _ = try Self.restore(bytes) }
            do {
                _ = try Self.restore(bytes)
            } catch {
                #expect(error.message.contains("corrupt snapshot"), "\(why): \(error.message)")
            }
        }
    }

    @Test(arguments: ["ta.sma(4)", "ta.highest(4)", "ta.macd(2, 4, 3)", "ta.vwap(4)", "ta.crossunder()", "ta.rsi(3)"])
    func everyCorruptedByteIsRefusedOrHarmless(_ kind: String) throws {
        let bytes = try Self.snapshot("o", setup: Self.feeder + "\no = \(kind); feed_range(o, 1, 9)")
        for offset in 4..<bytes.count {
            for flip: UInt8 in [0x01, 0x80, 0xFF] {
                var corrupted = bytes
                corrupted[offset] ^= flip
                do {
                    let state = try Self.restore(corrupted)
                    // Accepted: then it is a consistent object, which updates like any other.
                    _ = try evaluate(Self.feeder + "\nreturn feed_range(x, 10, 30)", in: state)
                } catch {
                    #expect(error.message.contains("corrupt snapshot"), "\(kind) byte \(offset) ^ \(flip): \(error.message)")
                }
            }
        }
    }
}
