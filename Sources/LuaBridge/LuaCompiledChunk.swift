import CStrataLua

/// A chunk as the host compiled it: `lua_dump` of a text chunk that this process parsed itself,
/// with its debug info (so tracebacks keep the chunk name and line numbers).
///
/// Loading it skips the parser. Lua does not verify binary chunks, so only the host makes and
/// loads them: there is no public way to build one from arbitrary bytes, and scripts' own
/// `load` stays text-only. Immutable, so one compiled chunk can be loaded by states on any thread.
public struct LuaCompiledChunk: Sendable, Equatable {
    /// The dump: Lua's binary chunk format.
    let bytes: [UInt8]

    /// Bytes of the dump.
    public var count: Int { bytes.count }
}

extension LuaState {
    /// Loads a chunk compiled by `compile(_:chunkName:)` or `dumpFunction()` and pushes it as a
    /// function: the same function a text load would give, without parsing.
    // stack: [] -> [chunk]
    public func load(_ chunk: LuaCompiledChunk, chunkName: String) throws(LuaError) {
        let status = chunk.bytes.withUnsafeBytes { raw in
            strata_loadcompiled(L, raw.baseAddress, raw.count, chunkName)
        }
        if status != LUA_OK { throw popError(status: status) }
    }

    /// The compiled form of the Lua function on top of the stack (which stays there); nil for a
    /// C function or a non-function.
    // stack: [f] -> [f]
    public func dumpFunction() -> LuaCompiledChunk? {
        var bytes: UnsafeMutableRawPointer?
        var length = 0
        guard strata_dump(L, &bytes, &length) == 0, let bytes else { return nil }
        defer { strata_freedump(bytes) }
        return LuaCompiledChunk(bytes: Array(UnsafeRawBufferPointer(start: bytes, count: length)))
    }

    /// Compiles a text chunk (binary chunks are refused) and returns its compiled form; nothing
    /// is left on the stack.
    public func compile(_ source: String, chunkName: String) throws(LuaError) -> LuaCompiledChunk {
        try load(source, chunkName: chunkName)
        defer { pop() }
        guard let chunk = dumpFunction() else {
            throw LuaError(kind: .memoryLimit, message: "cannot compile \(chunkName): out of memory")
        }
        return chunk
    }
}
