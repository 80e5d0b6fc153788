import CStrataLua

/// Copying values between Lua and Swift. Reading uses raw access only, so a script's
/// metamethods never run inside host code; cycles, depth and size are bounded.
extension LuaState {
    /// Reads the value at `index` into Swift.
    /// - Throws: `LuaError` of kind `conversion` naming the path of the first offending value
    ///   (a function, a cycle, too deep, too large, a key that is neither string nor number).
    public func value(at index: Int32, limits: LuaReadLimits = .default) throws(LuaError) -> LuaValue {
        var reader = LuaValueReader(state: self, limits: limits)
        return try reader.read(at: lua_absindex(L, index), depth: 0)
    }

    /// Pushes a Swift value as a fresh Lua value.
    // stack: [] -> [value]
    public func push(_ value: LuaValue) {
        push(value, readOnly: false)
    }

    /// Pushes a Swift value as a fresh Lua value whose tables, at every depth, are read-only
    /// proxies (see `pushReadOnly(of:)`).
    // stack: [] -> [value]
    public func pushReadOnly(_ value: LuaValue) {
        push(value, readOnly: true)
    }

    // stack: [] -> [value]
    private func push(_ value: LuaValue, readOnly: Bool) {
        _ = ensureStack(3)
        switch value {
        case .nil: pushNil()
        case .boolean(let b): pushBoolean(b)
        case .integer(let i): pushInteger(i)
        case .number(let d): pushNumber(d)
        case .string(let s): pushString(s)
        case .array(let items):
            pushTable(arrayCount: Int32(clamping: items.count))
            for (offset, item) in items.enumerated() {
                push(item, readOnly: readOnly)
                lua_rawseti(L, -2, lua_Integer(offset + 1))
            }
            if readOnly { replaceWithReadOnlyProxy() }
        case .table(let fields):
            pushTable(fieldCount: Int32(clamping: fields.count))
            for (key, item) in fields {
                push(item, readOnly: readOnly)
                setRawField(key, ofTableAt: -2)
            }
            if readOnly { replaceWithReadOnlyProxy() }
        }
    }

    // stack: [table] -> [proxy]
    private func replaceWithReadOnlyProxy() {
        pushReadOnly(of: -1)  // stack: [table, proxy]
        remove(at: -2)
    }
}

/// One read of a value tree: carries the running totals and the tables on the current path.
///
/// The path of the value being read is kept as its keys (each cut to `maxKeyInPath` bytes) and
/// only made into text for an error: building a path string per entry from unbounded keys cost
/// memory and time that no limit counted.
struct LuaValueReader {
    /// The longest part of a key shown in an error's path.
    static let maxKeyInPath = 64

    let state: LuaState
    let limits: LuaReadLimits
    var values = 0
    var stringBytes = 0
    var tables: Set<UnsafeRawPointer> = []
    /// The keys from the root to the value being read (cut; `isIndex` for array keys).
    var keys: [(text: String, isIndex: Bool)] = []

    init(state: LuaState, limits: LuaReadLimits) {
        self.state = state
        self.limits = limits
    }

    private func failure(_ problem: String) -> LuaError {
        var path = ""
        for key in keys {
            if key.isIndex { path += "[\(key.text)]" } else { path += path.isEmpty ? key.text : ".\(key.text)" }
        }
        return LuaError(kind: .conversion, message: path.isEmpty ? problem : "\(path): \(problem)")
    }

    /// Counts `bytes` of text (values and keys alike) against the limit.
    private mutating func countText(_ bytes: Int) throws(LuaError) {
        stringBytes += bytes
        if stringBytes > limits.maxStringBytes { throw failure("more than \(limits.maxStringBytes) bytes of text") }
    }

    mutating func read(at index: Int32, depth: Int) throws(LuaError) -> LuaValue {
        let L = state.L
        values += 1
        if values > limits.maxValues { throw failure("more than \(limits.maxValues) values") }
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if strata_isinteger(L, index) != 0 { return .integer(strata_tointeger(L, index, nil)) }
            return .number(strata_tonumber(L, index, nil))
        case LUA_TSTRING:
            try countText(state.stringLength(at: index) ?? 0)  // before copying it
            return .string(state.string(at: index) ?? "")
        case LUA_TTABLE:
            return try readTable(at: index, depth: depth)
        default:
            throw failure("cannot convert a \(state.type(at: index).name) value")
        }
    }

    private mutating func readTable(at index: Int32, depth: Int) throws(LuaError) -> LuaValue {
        let L = state.L
        if depth >= limits.maxDepth { throw failure("tables nested deeper than \(limits.maxDepth)") }
        guard let identity = lua_topointer(L, index) else { return .nil }
        if tables.contains(identity) { throw failure("cycle: the table contains itself") }
        guard state.ensureStack(4) else { throw failure("stack overflow") }
        tables.insert(identity)
        defer { tables.remove(identity) }

        var fields: [String: LuaValue] = [:]
        var items: [Int64: LuaValue] = [:]
        lua_pushnil(L)  // stack: [..., nil]
        while lua_next(L, index) != 0 {  // stack: [..., key, value]
            let key: String
            var arrayKey: Int64?
            switch lua_type(L, -2) {
            case LUA_TSTRING:
                do {
                    try countText(state.stringLength(at: -2) ?? 0)
                } catch {
                    state.pop(2)
                    throw error
                }
                key = state.string(at: -2) ?? ""
            case LUA_TNUMBER:
                if strata_isinteger(L, -2) != 0 {
                    let i = strata_tointeger(L, -2, nil)
                    key = String(i)
                    arrayKey = i
                } else {
                    key = String(strata_tonumber(L, -2, nil))
                }
            default:
                let keyType = state.type(at: -2).name
                state.pop(2)
                throw failure("a \(keyType) key cannot be converted")
            }
            keys.append((String(decoding: key.utf8.prefix(Self.maxKeyInPath), as: UTF8.self), arrayKey != nil))
            let child: LuaValue
            do {
                child = try read(at: lua_absindex(L, -1), depth: depth + 1)
            } catch {
                state.pop(2)
                throw error
            }
            keys.removeLast()
            if let arrayKey { items[arrayKey] = child } else { fields[key] = child }
            state.pop()  // stack: [..., key]
        }
        if fields.isEmpty, items.keys.allSatisfy({ $0 >= 1 && $0 <= Int64(items.count) }) {
            return .array((0..<items.count).map { items[Int64($0 + 1)]! })
        }
        for (key, item) in items { fields[String(key)] = item }
        return .table(fields)
    }
}
