import LuaBridge
import Testing

@testable import StrataRuntime

/// The snapshot bytes of the Lua expression `expression` (evaluated in a state of its own).
private func snapshot(of expression: String) throws -> [UInt8] {
    let lua = try LuaState()
    try lua.load("return " + expression, chunkName: "=value")
    try lua.call(arguments: 0, results: 1, deadline: .seconds(10))
    return try lua.snapshotTop(maxBytes: 8 << 20).get()
}

@Suite struct SnapshotContentsTests {
    @Test func showsPlainDataAsJSON() throws {
        let contents = SnapshotContents.decode(
            try snapshot(of: #"{ n = 3, list = { 1, 2.5, "x" }, sparse = { [2] = true }, empty = {}, [7] = "seven" }"#))
        #expect(contents.error == nil)
        #expect(!contents.truncated)
        #expect(
            contents.state
                == .object([
                    "n": .integer(3), "list": .array([.integer(1), .number(2.5), .string("x")]),
                    "sparse": .object(["2": .bool(true)]), "empty": .array([]), "7": .string("seven"),
                ]))
    }

    @Test func aTableMetAgainIsACycle() throws {
        let contents = SnapshotContents.decode(try snapshot(of: "(function() local s = { k = 1 }; local t = { a = s, b = s }; t.self = t; return t end)()"))
        let state = try #require(contents.state?.objectValue)
        #expect(state["self"] == .string("<cycle>"))
        // One of the two places shows the shared table, the other names it as met before.
        let places = [state["a"], state["b"]]
        #expect(places.contains(.object(["k": .integer(1)])) && places.contains(.string("<cycle>")))
    }

    @Test func capsDepthEntriesAndStrings() throws {
        let deep = SnapshotContents.decode(try snapshot(of: "(function() local t = {} for i = 1, 60 do t = { t } end return t end)()"))
        #expect(deep.truncated)
        var level = try #require(deep.state)
        var depth = 0
        while case .array(let items) = level, let first = items.first {
            level = first
            depth += 1
        }
        #expect(depth == 20)
        #expect(level == .string("<truncated>"))

        let wide = SnapshotContents.decode(try snapshot(of: "(function() local t = {} for i = 1, 5000 do t[i] = i end return t end)()"))
        #expect(wide.truncated)
        let items = try #require(wide.state?.arrayValue)
        #expect(items.count == 2_001)
        #expect(items.last == .string("<truncated>"))

        let object = SnapshotContents.decode(try snapshot(of: #"(function() local t = {} for i = 1, 5000 do t["k" .. i] = i end return t end)()"#))
        #expect(object.state?.objectValue?.count == 2_001)
        #expect(object.state?["…"] == .string("<truncated>"))

        let long = SnapshotContents.decode(try snapshot(of: #"{ text = string.rep("a", 5000) }"#))
        #expect(long.truncated)
        #expect(long.state?["text"]?.stringValue == String(repeating: "a", count: 1_000) + "…")
    }

    @Test func hostileBytesEndAsAnError() throws {
        #expect(SnapshotContents.decode([1, 2, 3]).error?.contains("corrupt snapshot") == true)
        let valid = try snapshot(of: "{ a = { 1, 2, 3 } }")
        let cut = SnapshotContents.decode(Array(valid.dropLast(3)))
        #expect(cut.state == nil)
        #expect(cut.error?.contains("corrupt snapshot") == true)

        // Fine under the default cap, over a small one: the memory cap, not a crash.
        let big = try snapshot(of: "(function() local t = {} for i = 1, 20000 do t[i] = { i } end return t end)()")
        #expect(SnapshotContents.decode(big).error == nil)
        var small = SnapshotContents.Limits()
        small.memoryBytes = 512 << 10
        let capped = SnapshotContents.decode(big, limits: small)
        #expect(capped.state == nil)
        #expect(capped.error?.contains("memory") == true)

        small.maxBytes = 100
        #expect(SnapshotContents.decode(big, limits: small).error?.contains("more than the 100") == true)
    }
}
