import CStrataLua

/// Stack access that never raises: raw table access only (no metamethods run in host code).
extension LuaState {
    /// The index of the top of the stack (the number of values on it).
    public var top: Int32 {
        get { lua_gettop(L) }
        set { lua_settop(L, newValue) }
    }

    /// Pops `count` values.
    public func pop(_ count: Int32 = 1) {
        strata_pop(L, count)
    }

    /// The type of the value at `index`.
    public func type(at index: Int32) -> LuaType {
        LuaType(rawValue: lua_type(L, index)) ?? .none
    }

    /// Pushes the value of a global (raw: the globals table's metatable is not consulted).
    // stack: [] -> [value]
    @discardableResult
    public func pushGlobal(_ name: String) -> LuaType {
        lua_rawgeti(L, strata_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        pushString(name)
        lua_rawget(L, -2)
        lua_rotate(L, -2, 1)
        pop()
        return type(at: -1)
    }

    /// Pops the top value into a global (raw).
    // stack: [value] -> []
    public func setGlobal(_ name: String) {
        lua_rawgeti(L, strata_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))  // stack: [value, G]
        pushString(name)  // stack: [value, G, name]
        lua_rotate(L, -3, -1)  // stack: [G, name, value]
        lua_rawset(L, -3)  // stack: [G]
        pop()
    }

    /// Pushes `table[name]` for the table at `index`, raw; returns its type.
    // stack: [] -> [value]
    @discardableResult
    public func pushRawField(_ name: String, ofTableAt index: Int32) -> LuaType {
        let table = lua_absindex(L, index)
        pushString(name)
        return LuaType(rawValue: lua_rawget(L, table)) ?? .none
    }

    /// Pops the top value into `table[name]` for the table at `index`, raw.
    // stack: [value] -> []
    public func setRawField(_ name: String, ofTableAt index: Int32) {
        let table = lua_absindex(L, index)
        pushString(name)
        strata_insert(L, -2)  // stack: [name, value]
        lua_rawset(L, table)
    }

    /// The string in `table[name]` (raw), if it is a string.
    public func rawString(field name: String, ofTableAt index: Int32) -> String? {
        defer { pop() }
        guard pushRawField(name, ofTableAt: index) == .string else { return nil }
        return string(at: -1)
    }

    /// The string at `index` if it is a string (numbers are not converted).
    public func string(at index: Int32) -> String? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        var length = 0
        guard let chars = strata_tolstring(L, index, &length) else { return nil }
        return chars.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    /// The first `maxBytes` bytes of the string at `index` if it is a string (numbers are not
    /// converted): only the prefix is copied, however long the string.
    public func string(at index: Int32, maxBytes: Int) -> String? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        var length = 0
        guard let chars = strata_tolstring(L, index, &length) else { return nil }
        return chars.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: min(length, max(0, maxBytes))), as: UTF8.self)
        }
    }

    /// The length in bytes of the string at `index`, if it is a string (nothing is copied).
    public func stringLength(at index: Int32) -> Int? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        return Int(lua_rawlen(L, index))
    }

    /// The number at `index` if it is a number.
    public func number(at index: Int32) -> Double? {
        guard lua_type(L, index) == LUA_TNUMBER else { return nil }
        return strata_tonumber(L, index, nil)
    }

    /// The integer at `index` if it is an integer-valued number.
    public func integer(at index: Int32) -> Int64? {
        guard lua_type(L, index) == LUA_TNUMBER else { return nil }
        var isInteger: Int32 = 0
        let value = strata_tointeger(L, index, &isInteger)
        return isInteger != 0 ? value : nil
    }

    // MARK: Pushing scalars

    // stack: [] -> [value] for each of these
    public func pushString(_ string: String) {
        var string = string
        string.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
        }
    }

    public func pushNumber(_ number: Double) { lua_pushnumber(L, number) }
    public func pushInteger(_ integer: Int64) { lua_pushinteger(L, integer) }
    public func pushBoolean(_ bool: Bool) { lua_pushboolean(L, bool ? 1 : 0) }
    public func pushNil() { lua_pushnil(L) }
    /// Pushes a copy of the value at `index`.
    public func pushValue(at index: Int32) { lua_pushvalue(L, index) }

    /// Pushes a new table with room for `arrayCount` items and `fieldCount` fields.
    public func pushTable(arrayCount: Int32 = 0, fieldCount: Int32 = 0) {
        lua_createtable(L, arrayCount, fieldCount)
    }

    /// Pushes a read-only proxy of the table at `index`: writes raise, the metatable is locked.
    // stack: [] -> [proxy]
    public func pushReadOnly(of index: Int32) { strata_pushreadonly(L, index) }

    /// Makes sure there is room for `count` more values; false when the stack cannot grow.
    public func ensureStack(_ count: Int32) -> Bool { lua_checkstack(L, count) != 0 }
}

extension LuaState {
    /// Removes the value at `index`, shifting the ones above it down.
    public func remove(at index: Int32) { strata_remove(L, index) }

    /// Moves the top value to `index`, shifting the values above it up.
    public func insert(at index: Int32) { strata_insert(L, index) }
}
