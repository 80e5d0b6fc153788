import CStrataLua

/// Copying values between Lua and Swift. Reading uses raw access only, so a script's
/// metamethods never run inside host code; cycles, depth and size are bounded.
extension LuaState {
    /// Reads the value at `index` into Swift.
    /// - Throws: `LuaError` of kind `conversion` naming the path of the first offending value
    ///   (a function, a cycle, too deep, too large, a key that is neither string nor number).
    public func value(at index: Int32, limits: LuaReadLimits = .default) throws(LuaError) -> LuaValue {
        var reader = LuaValueReader(state: self, limits: limits)
        return try reader.read(at: lua_absindex(L, index), path: "", depth: 0)
    }

    /// Pushes a Swift value as a fresh Lua value.
    // stack: [] -> [value]
    public func push(_ value: LuaValue) {
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
                push(item)
                lua_rawseti(L, -2, lua_Integer(offset + 1))
            }
        case .table(let fields):
            pushTable(fieldCount: Int32(clamping: fields.count))
            for (key, item) in fields {
                push(item)
                setRawField(key, ofTableAt: -2)
            }
        }
    }
}

/// One read of a value tree: carries the running totals and the tables on the current path.
struct LuaValueReader {
    let state: LuaState
    let limits: LuaReadLimits
    var values = 0
    var stringBytes = 0
    var path: Set<UnsafeRawPointer> = []

    init(state: LuaState, limits: LuaReadLimits) {
        self.state = state
        self.limits = limits
    }

    private func failure(_ path: String, _ problem: String) -> LuaError {
        LuaError(kind: .conversion, message: path.isEmpty ? problem : "\(path): \(problem)")
    }

    mutating func read(at index: Int32, path: String, depth: Int) throws(LuaError) -> LuaValue {
        let L = state.L
        values += 1
        if values > limits.maxValues { throw failure(path, "more than \(limits.maxValues) values") }
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if strata_isinteger(L, index) != 0 { return .integer(strata_tointeger(L, index, nil)) }
            return .number(strata_tonumber(L, index, nil))
        case LUA_TSTRING:
            let s = state.string(at: index) ?? ""
            stringBytes += s.utf8.count
            if stringBytes > limits.maxStringBytes { throw failure(path, "more than \(limits.maxStringBytes) bytes of text") }
            return .string(s)
        case LUA_TTABLE:
            return try readTable(at: index, path: path, depth: depth)
        default:
            throw failure(path, "cannot convert a \(state.type(at: index).name) value")
        }
    }

    private mutating func readTable(at index: Int32, path: String, depth: Int) throws(LuaError) -> LuaValue {
        let L = state.L
        if depth >= limits.maxDepth { throw failure(path, "tables nested deeper than \(limits.maxDepth)") }
        guard let identity = lua_topointer(L, index) else { return .nil }
        if self.path.contains(identity) { throw failure(path, "cycle: the table contains itself") }
        guard state.ensureStack(4) else { throw failure(path, "stack overflow") }
        self.path.insert(identity)
        defer { self.path.remove(identity) }

        var fields: [String: LuaValue] = [:]
        var items: [Int64: LuaValue] = [:]
        lua_pushnil(L)  // stack: [..., nil]
        while lua_next(L, index) != 0 {  // stack: [..., key, value]
            let key: String
            var arrayKey: Int64?
            switch lua_type(L, -2) {
            case LUA_TSTRING: key = state.string(at: -2) ?? ""
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
                throw failure(path, "a \(keyType) key cannot be converted")
            }
            let childPath = arrayKey != nil ? "\(path)[\(key)]" : (path.isEmpty ? key : "\(path).\(key)")
            let child: LuaValue
            do {
                child = try read(at: lua_absindex(L, -1), path: childPath, depth: depth + 1)
            } catch {
                state.pop(2)
                throw error
            }
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
