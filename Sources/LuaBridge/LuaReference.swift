import CStrataLua

/// A value kept in a state's registry (typically a compiled function), so the host can push it
/// again without a lookup by name. Valid only for the state that made it.
public struct LuaReference: Hashable, Sendable {
    let slot: Int32

    /// No value (Lua's LUA_NOREF): pushing it pushes nil, releasing it does nothing.
    public static let none = LuaReference(slot: -2)
}

extension LuaState {
    /// Pops the top value into the registry and returns a reference to it.
    // stack: [value] -> []
    public func popReference() -> LuaReference {
        LuaReference(slot: luaL_ref(L, strata_registryindex()))
    }

    /// Pushes the referenced value.
    // stack: [] -> [value]
    public func push(_ reference: LuaReference) {
        lua_rawgeti(L, strata_registryindex(), lua_Integer(reference.slot))
    }

    /// Frees the registry slot of `reference`.
    public func release(_ reference: LuaReference) {
        strata_releaseref(L, reference.slot)
    }
}
