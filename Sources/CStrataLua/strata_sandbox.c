// The sandbox: an allow-list environment over write-protected standard libraries.
#include "strata_lua.h"
#include "strata_sandbox.h"

#include <string.h>

// MARK: - The allow-list (data first: this is what a script can reach)

/// Base functions kept as Lua ships them. Everything else is absent (dofile, loadfile, require,
/// print and warn until the host provides its own) or replaced by the functions below.
static const char *const strata_base_allowed[] = {
    "assert", "error", "getmetatable", "ipairs", "next", "pairs", "rawequal", "rawget",
    "rawlen", "select", "tonumber", "tostring", "type", "_VERSION", NULL,
};

/// Libraries opened, each installed as a read-only proxy under its name.
static const luaL_Reg strata_libraries[] = {
    {LUA_STRLIBNAME, luaopen_string},
    {LUA_TABLIBNAME, luaopen_table},
    {LUA_MATHLIBNAME, luaopen_math},
    {LUA_UTF8LIBNAME, luaopen_utf8},
    {LUA_COLIBNAME, luaopen_coroutine},
    {NULL, NULL},
};

/// Library functions removed: `string.dump` makes bytecode, which is not verified by Lua.
static const char *const strata_string_removed[] = {"dump", NULL};

// MARK: - Read-only proxies

// Key of the marker field in every read-only proxy's metatable (light userdata: unforgeable).
static const char strata_readonly_marker = 0;

static int strata_readonly_newindex(lua_State *L) {
    return luaL_error(L, "attempt to modify a read-only table (field '%s')",
                      lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : luaL_typename(L, 2));
}

static int strata_readonly_pairs(lua_State *L) {
    lua_getmetatable(L, 1);           // stack: [proxy, mt]
    lua_pushliteral(L, "__index");
    lua_rawget(L, -2);                // stack: [proxy, mt, original]
    lua_pushcfunction(L, strata_next);
    lua_insert(L, -2);                // stack: [proxy, mt, next, original]
    lua_pushnil(L);                   // stack: [proxy, mt, next, original, nil]
    return 3;
}

static int strata_readonly_len(lua_State *L) {
    lua_getmetatable(L, 1);
    lua_pushliteral(L, "__index");
    lua_rawget(L, -2);                // stack: [proxy, mt, original]
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

void strata_pushreadonly(lua_State *L, int index) {
    index = lua_absindex(L, index);
    lua_createtable(L, 0, 0);          // stack: [proxy]
    lua_createtable(L, 0, 6);          // stack: [proxy, mt]
    lua_pushvalue(L, index);
    lua_setfield(L, -2, "__index");
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

// MARK: - Replaced base functions

static int strata_setmetatable(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    int t = lua_type(L, 2);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (t == LUA_TTABLE) {
        // Finalizers run with hooks off and at close, where no deadline can stop them.
        if (lua_getfield(L, 2, "__gc") != LUA_TNIL)
            return luaL_error(L, "__gc metamethods are not allowed in the sandbox");
        // A chain of callable tables costs Lua 5.4.4 quadratic time in C, where no hook runs.
        int call = lua_getfield(L, 2, "__call");
        if (call != LUA_TNIL && call != LUA_TFUNCTION)
            return luaL_error(L, "__call must be a function in the sandbox");
        lua_pop(L, 2);
    }
    lua_pushvalue(L, lua_upvalueindex(1));  // stack: [t, mt, setmetatable]
    lua_insert(L, 1);
    lua_settop(L, 3);
    lua_call(L, 2, 1);
    return 1;
}

static int strata_rawset(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    if (strata_isreadonly(L, 1)) return luaL_error(L, "attempt to modify a read-only table");
    luaL_checkany(L, 2);
    luaL_checkany(L, 3);
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 1;
}

static int strata_collectgarbage(lua_State *L) {
    const char *option = luaL_optstring(L, 1, "collect");
    if (strcmp(option, "count") != 0)
        return luaL_error(L, "collectgarbage('%s') is not allowed in the sandbox (only 'count')", option);
    int kb = lua_gc(L, LUA_GCCOUNT);
    int bytes = lua_gc(L, LUA_GCCOUNTB);
    lua_pushnumber(L, (lua_Number)kb + ((lua_Number)bytes / 1024));
    return 1;
}

// The memory error's message, fixed in Lua (the parser reports it as a plain string).
#define STRATA_MEMERRMSG "not enough memory"

static int strata_load(lua_State *L) {
    // Text chunks only: binary chunks are not verified by Lua and can corrupt memory.
    int n = lua_gettop(L);
    if (n < 3) lua_settop(L, 3);      // an absent env must stay absent (nil would be an env)
    lua_pushliteral(L, "t");
    lua_replace(L, 3);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);                 // stack: [load, chunk, name, "t", env?]
    // No message handler: the parser runs protected with the caller's handler, and the host's
    // handler would turn a syntax error into its own report table.
    if (lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0) != LUA_OK) return lua_error(L);
    if (lua_isnil(L, 1) && lua_type(L, 2) == LUA_TSTRING && strcmp(lua_tostring(L, 2), STRATA_MEMERRMSG) == 0) {
        // The parser ran out of memory: that is the cap, which a script may not catch.
        strata_propagatestatus(L, LUA_ERRMEM);
        strata_checkkilled(L);
    }
    return lua_gettop(L);
}

// Installs `name` in the environment at `env` as a C closure over the original global of
// that name (which must be on the loaded base table at `base`).
static void strata_replace_base(lua_State *L, int env, int base, const char *name, lua_CFunction fn) {
    lua_getfield(L, base, name);       // stack: [original]
    lua_pushcclosure(L, fn, 1);        // stack: [replacement]
    lua_setfield(L, env, name);
}

// MARK: - Building the sandbox

static void strata_openlibrary(lua_State *L, int env, const luaL_Reg *lib) {
    luaL_requiref(L, lib->name, lib->func, 0);  // stack: [lib]
    int libindex = lua_gettop(L);
    if (strcmp(lib->name, LUA_STRLIBNAME) == 0) {
        for (const char *const *name = strata_string_removed; *name; name++) {
            lua_pushnil(L);
            lua_setfield(L, libindex, *name);
        }
        strata_openpatterns(L, libindex);
        strata_openboundedstring(L, libindex);
    } else if (strcmp(lib->name, LUA_TABLIBNAME) == 0) {
        strata_openboundedtable(L, libindex);
    } else if (strcmp(lib->name, LUA_COLIBNAME) == 0) {
        strata_opentrackedcoroutine(L, libindex);
    } else if (strcmp(lib->name, LUA_MATHLIBNAME) == 0) {
        // Lua seeds math.random from the clock; a fixed seed makes runs (backtests above all)
        // reproducible. Scripts may still call math.randomseed themselves.
        lua_getfield(L, libindex, "randomseed");
        lua_pushinteger(L, 0);
        lua_call(L, 1, 0);
    }
    strata_pushreadonly(L, libindex);  // stack: [lib, proxy]
    lua_setfield(L, env, lib->name);
    lua_pop(L, 1);
}

// Locks the string metatable: scripts cannot reach it, so ("x"):method always means the
// (bounded) string library.
static void strata_lockstringmetatable(lua_State *L) {
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);           // stack: ["", mt]
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
}

static int strata_buildsandbox(lua_State *L) {
    luaL_requiref(L, LUA_GNAME, luaopen_base, 0);  // stack: [base] (the initial globals)
    int base = lua_gettop(L);
    lua_createtable(L, 0, 32);                     // stack: [base, env]
    int env = lua_gettop(L);
    for (const char *const *name = strata_base_allowed; *name; name++) {
        lua_getfield(L, base, *name);
        lua_setfield(L, env, *name);
    }
    strata_replace_base(L, env, base, "setmetatable", strata_setmetatable);
    strata_replace_base(L, env, base, "load", strata_load);
    lua_pushcfunction(L, strata_rawset);
    lua_setfield(L, env, "rawset");
    lua_pushcfunction(L, strata_collectgarbage);
    lua_setfield(L, env, "collectgarbage");
    strata_openprotectedcalls(L, env);
    lua_pushvalue(L, env);
    lua_setfield(L, env, LUA_GNAME);               // env._G = env
    for (const luaL_Reg *lib = strata_libraries; lib->name; lib++) strata_openlibrary(L, env, lib);
    strata_lockstringmetatable(L);
    // The allow-list table becomes the globals of every chunk loaded from now on.
    lua_pushvalue(L, env);
    lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_pop(L, 2);                                 // stack: []
    return 0;
}

int strata_opensandbox(lua_State *L) {
    lua_pushcfunction(L, strata_buildsandbox);
    return strata_pcall(L, 0, 0, 0);
}

