import CStrataLua

/// An owned, sandboxed Lua state: one `lua_State` with a memory cap, closed when this is freed.
///
/// A state is used by one thread at a time. It is not `Sendable`, so the compiler refuses to
/// share it across concurrency domains; a second call while one runs (re-entrantly or from
/// another thread) is caught by the C side and reported as a `misuse` error.
public final class LuaState {
    /// The raw state the stack methods work on: the main thread, or, while a host function
    /// runs, the thread (coroutine) that called it.
    var L: OpaquePointer
    /// Swift host functions callable from Lua; kept alive as long as the state.
    var hostFunctions: [LuaHostFunction] = []
    /// The slot in `hostFunctions` of `require`'s source function (a reinstall reuses it).
    var requireSource: Int?

    /// Creates a sandboxed state (see DESIGN §5) whose allocations are capped at `memoryLimit` bytes.
    public init(memoryLimit: Int = 64 << 20) throws(LuaError) {
        guard let state = strata_newstate(memoryLimit) else {
            throw LuaError(kind: .memoryLimit, message: "cannot create a Lua state: out of memory")
        }
        L = state
        let status = strata_opensandbox(L)
        if status != LUA_OK {
            let error = popError(status: status)
            strata_close(L)
            throw error
        }
    }

    deinit {
        strata_close(L)
    }

    // MARK: Resource use

    /// Bytes the state has allocated now.
    public var memoryUsed: Int { Int(strata_getguard(L).pointee.used) }

    /// The most bytes the state has had allocated at once.
    public var memoryPeak: Int { Int(strata_getguard(L).pointee.peak) }

    /// The memory cap in bytes.
    public var memoryLimit: Int { Int(strata_getguard(L).pointee.cap) }

    /// Runs a full garbage collection (scripts may not: the sandbox only lets them count).
    public func collectGarbage() {
        strata_fullgc(L)
    }

    /// The lifecycle phase host functions see (an `strata_phase` value).
    public var phase: Int32 {
        get { strata_getguard(L).pointee.phase }
        set { strata_getguard(L).pointee.phase = newValue }
    }

    // MARK: Loading and calling

    /// Compiles a text chunk (binary chunks are refused) and pushes it as a function.
    // stack: [] -> [chunk]
    public func load(_ source: String, chunkName: String) throws(LuaError) {
        var source = source
        let status = source.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                strata_loadtext(L, chars.baseAddress, chars.count, chunkName)
            }
        }
        if status != LUA_OK { throw popError(status: status) }
    }

    /// Calls the function below `arguments` values on the stack, protected, with a traceback and
    /// a wall-clock deadline. Leaves `results` values on the stack (all of them for `nil`).
    // stack: [f, args...] -> [results...]
    public func call(arguments: Int32, results: Int32?, deadline: Duration?) throws(LuaError) {
        let budget = deadline.map(Self.nanoseconds) ?? 0
        let status = strata_pcall(L, arguments, results ?? LUA_MULTRET, budget)
        if status != LUA_OK { throw popError(status: status) }
    }

    /// A duration in whole nanoseconds (0 for negative durations).
    public static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return 0 }
        return UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }

    /// Looks at the tick function `function` before it gets ticks (see `strata_preparetick`): when
    /// it only reads fields of its tick, one tick table serves all its calls. Call it whenever
    /// the tick function changes.
    public func prepareTick(_ function: LuaReference) {
        strata_preparetick(L, function.slot)
    }

    /// Starts loading what the next tick touches first (see `strata_prefetch`): a hint.
    public func prefetch() { strata_prefetch(L) }

    /// Calls the function in `function` with a tick table, protected, with a deadline of
    /// `budgetNanoseconds` (0: none): the tick hot path in one C call.
    public func callTick(_ function: LuaReference, _ tick: UnsafePointer<strata_tick>, budgetNanoseconds: UInt64) throws(LuaError) {
        let status = strata_calltick(L, function.slot, tick, budgetNanoseconds)
        if status != LUA_OK { throw popError(status: status) }
    }

    /// Pops the error report `strata_pcall` left and turns it into a `LuaError`.
    // stack: [report] -> []
    func popError(status: Int32) -> LuaError {
        defer { pop() }
        let message = rawString(field: "message", ofTableAt: -1) ?? "unknown error"
        var error = LuaError(kind: Self.errorKind(status: status), message: message)
        error.traceback = rawString(field: "traceback", ofTableAt: -1)
        error.chunk = rawString(field: "source", ofTableAt: -1)
        if lua_getfield(L, -1, "line") == LUA_TNUMBER {
            error.line = Int(lua_tointegerx(L, -1, nil))
        }
        pop()
        if error.line == nil, let (chunk, line) = Self.location(inMessage: message) {
            error.chunk = chunk
            error.line = line
        }
        return error
    }

    static func errorKind(status: Int32) -> LuaError.Kind {
        switch status {
        case LUA_ERRSYNTAX: return .syntax
        case LUA_ERRMEM, Int32(STRATA_ERRMEMCAP.rawValue): return .memoryLimit
        case Int32(STRATA_ERRCPU.rawValue): return .cpuLimit
        case Int32(STRATA_ERRBUSY.rawValue): return .misuse
        default: return .runtime
        }
    }

    /// Reads the `chunk:line:` prefix Lua puts on messages.
    static func location(inMessage message: String) -> (String, Int)? {
        var rest = Substring(message)
        if rest.hasPrefix("[string \""), let close = rest.firstRange(of: "\"]:") {
            let chunk = String(rest[rest.index(rest.startIndex, offsetBy: 9)..<close.lowerBound])
            rest = rest[close.upperBound...]
            guard let colon = rest.firstIndex(of: ":"), let line = Int(rest[..<colon]) else { return nil }
            return (chunk, line)
        }
        let parts = message.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let line = Int(parts[1]), !parts[0].contains(" ") else { return nil }
        return (String(parts[0]), line)
    }
}
