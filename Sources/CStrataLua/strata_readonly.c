// Read-only proxies: an empty table whose metatable reads through to the original, refuses
// writes, and is locked. A library proxy may start out lazy: its original is built the first
// time a script reaches through it (most strategies never touch most libraries).
#include "strata_sandbox.h"

// Key of the marker field in every read-only proxy's metatable (light userdata: unforgeable).
static const char strata_readonly_marker = 0;

static int strata_readonly_newindex(lua_State *L) {
    return luaL_error(L, "attempt to modify a read-only table (field '%s')",
                      lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : luaL_typename(L, 2));
}

// Pushes the original behind the proxy at `index`, building a lazy library first.
// stack: [] -> [original]
static void strata_pushoriginal(lua_State *L, int index) {
    index = lua_absindex(L, index);
    lua_getmetatable(L, index);       // stack: [mt]
    lua_pushliteral(L, "__index");
    if (lua_rawget(L, -2) == LUA_TFUNCTION) {  // stack: [mt, loader]: still lazy
        lua_CFunction loader = lua_tocfunction(L, -1);
        lua_pop(L, 1);                // stack: [mt]
        strata_buildlazylibrary(L, loader);  // stack: [mt, lib]
        lua_pushliteral(L, "__index");
        lua_pushvalue(L, -2);         // stack: [mt, lib, "__index", lib]
        lua_rawset(L, -4);            // stack: [mt, lib]: from now on reads go straight to lib
        lua_remove(L, -2);            // stack: [lib]
        return;
    }
    lua_remove(L, -2);                // stack: [original]
}

// __index of a lazy library proxy: builds the library, then reads the key from it.
int strata_lazyindex(lua_State *L) {
    strata_pushoriginal(L, 1);        // stack: [proxy, key, lib]
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);                // stack: [proxy, key, lib, value]
    return 1;
}

// The iterator `pairs` returns for a proxy: `next` over the original, given the proxy. The
// original itself never leaves C (handing it out would let `pairs` callers write through it).
static int strata_readonly_next(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    if (!strata_isreadonly(L, 1)) return luaL_argerror(L, 1, "read-only table expected");
    lua_settop(L, 2);                 // stack: [proxy, key]
    strata_pushoriginal(L, 1);        // stack: [proxy, key, original]
    lua_insert(L, 2);                 // stack: [proxy, original, key]
    if (lua_next(L, 2)) return 2;     // stack: [proxy, original, key, value]
    lua_pushnil(L);
    return 1;
}

static int strata_readonly_pairs(lua_State *L) {
    lua_pushcfunction(L, strata_readonly_next);  // stack: [proxy, next]
    lua_pushvalue(L, 1);              // stack: [proxy, next, proxy]
    lua_pushnil(L);                   // stack: [proxy, next, proxy, nil]
    return 3;
}

static int strata_readonly_len(lua_State *L) {
    strata_pushoriginal(L, 1);        // stack: [proxy, original]
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
}

int strata_isreadonly(lua_State *L, int index) {
    if (!lua_getmetatable(L, index)) return 0;          // stack: [mt]
    lua_pushlightuserdata(L, (void *)&strata_readonly_marker);
    int marked = lua_rawget(L, -2) != LUA_TNIL;         // stack: [mt, marker?]
    lua_pop(L, 2);
    return marked;
}

// stack: [target] -> [proxy], where target is the original table or a lazy loader.
static void strata_makeproxy(lua_State *L) {
    lua_createtable(L, 0, 0);          // stack: [target, proxy]
    lua_createtable(L, 0, 6);          // stack: [target, proxy, mt]
    lua_rotate(L, -3, -1);             // stack: [proxy, mt, target]
    lua_setfield(L, -2, "__index");    // stack: [proxy, mt]
    lua_pushcfunction(L, strata_readonly_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, strata_readonly_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushcfunction(L, strata_readonly_len);
    lua_setfield(L, -2, "__len");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");  // getmetatable() sees false; setmetatable() is refused
    lua_pushlightuserdata(L, (void *)&strata_readonly_marker);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
    lua_setmetatable(L, -2);           // stack: [proxy]
}

void strata_pushreadonly(lua_State *L, int index) {
    lua_pushvalue(L, index);           // stack: [original]
    strata_makeproxy(L);               // stack: [proxy]
}

void strata_pushlazyreadonly(lua_State *L, lua_CFunction loader) {
    lua_pushcfunction(L, loader);      // stack: [loader]
    strata_makeproxy(L);               // stack: [proxy]
}
