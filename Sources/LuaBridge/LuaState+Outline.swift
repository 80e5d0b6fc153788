import CStrataLua

extension LuaState {
    /// Copies the value at `index` for display (see ``LuaOutline``). Runs no Lua code (raw
    /// access only), never raises and leaves the stack as it was.
    public func outline(at index: Int32, limits: LuaOutline.Limits = LuaOutline.Limits()) -> LuaOutline {
        var reader = LuaOutlineReader(state: self, limits: limits)
        let top = self.top
        let value = reader.read(at: lua_absindex(L, index), depth: 0)
        assert(self.top == top, "outline: unbalanced stack")
        return LuaOutline(value: value, truncated: reader.truncated)
    }
}

extension LuaState {
    /// What the `ta` indicator at `index` is (`ta.sma(20)`), or nil for any other value.
    func indicatorDescription(at index: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: 64)
        guard strata_ta_describe(L, index, &buffer, buffer.count) != 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// One outline: the running totals and every table met so far.
struct LuaOutlineReader {
    let state: LuaState
    let limits: LuaOutline.Limits
    var entries = 0
    var textLeft: Int
    /// Every table copied so far: met again, it is a cycle or shared.
    var seen: Set<UnsafeRawPointer> = []
    var truncated = false

    init(state: LuaState, limits: LuaOutline.Limits) {
        self.state = state
        self.limits = limits
        textLeft = limits.maxTextBytes
    }

    mutating func read(at index: Int32, depth: Int) -> LuaValue {
        let L = state.L
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if strata_isinteger(L, index) != 0 { return .integer(strata_tointeger(L, index, nil)) }
            return .number(strata_tonumber(L, index, nil))
        case LUA_TSTRING: return .string(text(at: index))
        case LUA_TTABLE: return table(at: index, depth: depth)
        default:
            if let indicator = state.indicatorDescription(at: index) { return .string("<\(indicator)>") }
            return .string("<\(state.type(at: index).name)>")  // not in a snapshot, but any value can be shown
        }
    }

    /// The string at `index`, cut to the limits.
    mutating func text(at index: Int32) -> String {
        let length = state.stringLength(at: index) ?? 0
        let shown = max(0, min(length, limits.maxStringBytes, textLeft))
        textLeft -= shown
        guard shown < length else { return state.string(at: index) ?? "" }
        truncated = true
        return (state.string(at: index, maxBytes: shown) ?? "") + "…"
    }

    /// A key as text, and its value when it is an integer (an array position, perhaps).
    mutating func key(at index: Int32) -> (text: String, position: Int64?) {
        let L = state.L
        switch lua_type(L, index) {
        case LUA_TSTRING: return (text(at: index), nil)
        case LUA_TNUMBER:
            if strata_isinteger(L, index) != 0 {
                let i = strata_tointeger(L, index, nil)
                return (String(i), i)
            }
            return (String(strata_tonumber(L, index, nil)), nil)
        case LUA_TBOOLEAN: return (lua_toboolean(L, index) != 0 ? "true" : "false", nil)
        default: return ("<\(state.type(at: index).name)>", nil)
        }
    }

    mutating func table(at index: Int32, depth: Int) -> LuaValue {
        let L = state.L
        guard let identity = lua_topointer(L, index) else { return .nil }
        if seen.contains(identity) { return .string(LuaOutline.cycle) }
        guard depth < limits.maxDepth, state.ensureStack(3) else {
            truncated = true
            return .string(LuaOutline.cut)
        }
        seen.insert(identity)
        var fields: [String: LuaValue] = [:]
        var items: [Int64: LuaValue] = [:]
        var cut = false
        lua_pushnil(L)  // stack: [..., nil]
        while lua_next(L, index) != 0 {  // stack: [..., key, value]
            guard entries < limits.maxEntries else {
                state.pop(2)  // stack: [...]
                cut = true
                break
            }
            entries += 1
            let entryKey = key(at: -2)
            let child = read(at: lua_absindex(L, -1), depth: depth + 1)
            if let position = entryKey.position { items[position] = child } else { fields[entryKey.text] = child }
            state.pop()  // stack: [..., key]
        }
        if cut { truncated = true }
        if fields.isEmpty, items.keys.allSatisfy({ $0 >= 1 && $0 <= Int64(items.count) }) {
            var array = (0..<items.count).map { items[Int64($0 + 1)]! }
            if cut { array.append(.string(LuaOutline.cut)) }
            return .array(array)
        }
        for (position, item) in items where fields[String(position)] == nil { fields[String(position)] = item }
        if cut { fields[LuaOutline.cutKey] = .string(LuaOutline.cut) }
        return .table(fields)
    }
}
