// The sandbox: an allow-list environment over write-protected standard libraries.
#include "strata_lua.h"
#include "strata_sandbox.h"
#include "strata_internal.h"
#include "strata_ta.h"

#include <string.h>

// MARK: - The allow-list (data first: this is what a script can reach)

/// Base functions kept as Lua ships them. Everything else is absent (dofile, loadfile, require,
/// print and warn until the host provides its own) or replaced by the functions below.
static const char *const strata_base_allowed[] = {
    "assert", "error", "getmetatable", "ipairs", "next", "pairs", "rawequal", "rawget",
    "rawlen", "select", "tonumber", "tostring", "type", "_VERSION", "_G", NULL,
};

static int strata_lazy_table(lua_State *L) { return strata_lazyindex(L); }
static int strata_lazy_math(lua_State *L) { return strata_lazyindex(L); }
static int strata_lazy_utf8(lua_State *L) { return strata_lazyindex(L); }
static int strata_lazy_coroutine(lua_State *L) { return strata_lazyindex(L); }
static int strata_lazy_ta(lua_State *L) { return strata_lazyindex(L); }

/// Libraries, each installed as a read-only proxy under its name. All but `string` (whose
/// metatable every string needs) are built the first time a script reaches into them: most
/// strategies never touch most of them, and building them is most of a state's setup time.
static const struct strata_library {
    const char *name;
    lua_CFunction open;
    lua_CFunction lazy;               ///< the proxy's `__index` until built (NULL: built at once)
} strata_libraries[] = {
    {LUA_STRLIBNAME, luaopen_string, NULL},
    {LUA_TABLIBNAME, luaopen_table, strata_lazy_table},
    {LUA_MATHLIBNAME, luaopen_math, strata_lazy_math},
    {LUA_UTF8LIBNAME, luaopen_utf8, strata_lazy_utf8},
    {LUA_COLIBNAME, luaopen_coroutine, strata_lazy_coroutine},
    {"time", strata_opentime, strata_lazy_time},
    {"ta", strata_open_ta, strata_lazy_ta},  // indicators (strata_ta*.c)
    {NULL, NULL, NULL},
};

/// Library functions removed: `string.dump` makes bytecode, which is not verified by Lua.
static const char *const strata_string_removed[] = {"dump", NULL};

// MARK: - Replaced base functions

static int strata_setmetatable(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    int t = lua_type(L, 2);
    luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
    if (t == LUA_TTABLE) {
        // Raw lookups, as Lua's own: a metamethod-aware lookup would run the metatable's own
        // __index, which could add __gc between this check and lua_setmetatable below.
        // Finalizers run with hooks off and at close, where no deadline can stop them.
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)  // stack: [t, mt, mt.__gc]
            return luaL_error(L, "__gc metamethods are not allowed in the sandbox");
        // A chain of callable tables costs Lua 5.4.4 quadratic time in C, where no hook runs.
        lua_pushliteral(L, "__call");
        int call = lua_rawget(L, 2);       // stack: [t, mt, nil, mt.__call]
        if (call != LUA_TNIL && call != LUA_TFUNCTION)
            return luaL_error(L, "__call must be a function in the sandbox");
        lua_pop(L, 2);                     // stack: [t, mt]
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

// Reads a reader function's pieces into one string, at most STRATA_LOAD_MAX_SOURCE bytes: the
// reader runs here, as ordinary script code a deadline can stop, never inside the parser.
// stack: [reader] -> [source]
static int strata_readchunk(lua_State *L) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);             // stack: [reader, buffer?]
    for (;;) {
        lua_pushvalue(L, 1);
        lua_call(L, 0, 1);            // stack: [reader, buffer?, piece]
        int type = lua_type(L, -1);
        if (type == LUA_TNIL) { lua_pop(L, 1); break; }
        if (type != LUA_TSTRING) return luaL_error(L, "reader function must return a string");
        size_t length = lua_rawlen(L, -1);
        if (length == 0) { lua_pop(L, 1); break; }
        if (luaL_bufflen(&b) + length > STRATA_LOAD_MAX_SOURCE)
            return luaL_error(L, "chunk too large for load (limit %d bytes)", (int)STRATA_LOAD_MAX_SOURCE);
        luaL_addvalue(&b);            // stack: [reader, buffer?]
    }
    luaL_pushresult(&b);              // stack: [reader, source]
    return 1;
}

static int strata_load(lua_State *L) {
    // Text chunks only: binary chunks are not verified by Lua and can corrupt memory.
    int n = lua_gettop(L);
    if (n < 3) lua_settop(L, 3);      // an absent env must stay absent (nil would be an env)
    lua_pushliteral(L, "t");
    lua_replace(L, 3);                // stack: [chunk, name, "t", env?]
    if (lua_type(L, 1) == LUA_TFUNCTION) {
        if (lua_isnil(L, 2)) {
            lua_pushliteral(L, "=(load)");
            lua_replace(L, 2);
        }
        lua_pushcfunction(L, strata_readchunk);
        lua_pushvalue(L, 1);          // stack: [reader, name, "t", env?, readchunk, reader]
        int status = lua_pcall(L, 1, 1, 0);
        if (status != LUA_OK) {
            if (strata_propagatestatus(L, status)) return lua_error(L);  // a kill goes on up
            luaL_pushfail(L);
            lua_insert(L, -2);        // stack: [..., fail, message]
            return 2;
        }
        lua_replace(L, 1);            // stack: [source, name, "t", env?]
    }
    size_t length;
    const char *source = luaL_checklstring(L, 1, &length);
    const char *refusal = NULL;
    if (length > STRATA_LOAD_MAX_SOURCE) {
        refusal = "chunk too large for load (limit %d bytes)";
    } else if (strata_parsecost(source, length) > STRATA_PARSE_BUDGET_LOAD) {
        // The parser runs where no hook fires: what it may cost is bounded before it runs.
        refusal = "chunk too complex for load (long elseif or and/or chains, many names under "
                  "deeply nested functions, or many gotos; limit %d bytes)";
    }
    if (refusal) {
        luaL_pushfail(L);
        lua_pushfstring(L, refusal, (int)STRATA_LOAD_MAX_SOURCE);
        return 2;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);                 // stack: [load, source, name, "t", env?]
    // No message handler: the parser runs protected with the caller's handler, and the host's
    // handler would turn a syntax error into its own report table.
    if (lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0) != LUA_OK) return lua_error(L);
    // The parser catches a memory error and returns nil, msg; the allocator has killed the state
    // if it was the cap (the message is never looked at: a script can raise any text).
    strata_checkkilled(L);
    return lua_gettop(L);
}

// MARK: - Building the sandbox

// Builds a library as scripts see it: Lua's own with the sandbox's replacements.
// stack: [] -> [lib]
static void strata_buildlibrary(lua_State *L, const struct strata_library *lib) {
    lua_pushcfunction(L, lib->open);
    lua_pushstring(L, lib->name);
    lua_call(L, 1, 1);                 // stack: [lib]
    int libindex = lua_gettop(L);
    if (lib->open == luaopen_string) {
        for (const char *const *name = strata_string_removed; *name; name++) {
            lua_pushnil(L);
            lua_setfield(L, libindex, *name);
        }
        strata_openpatterns(L, libindex);
        strata_openboundedstring(L, libindex);
    } else if (lib->open == luaopen_table) {
        strata_openboundedtable(L, libindex);
    } else if (lib->open == luaopen_coroutine) {
        strata_opentrackedcoroutine(L, libindex);
    } else if (lib->open == luaopen_math) {
        // Lua seeds math.random from the clock; a fixed seed makes runs (backtests above all)
        // reproducible. Scripts may still call math.randomseed themselves.
        lua_getfield(L, libindex, "randomseed");
        lua_pushinteger(L, 0);
        lua_call(L, 1, 0);
    }
}

void strata_buildlazylibrary(lua_State *L, lua_CFunction loader) {
    for (const struct strata_library *lib = strata_libraries; lib->name; lib++) {
        if (lib->lazy == loader) {
            strata_buildlibrary(L, lib);
            return;
        }
    }
    luaL_error(L, "unknown library loader (host bug)");
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

// Whether `name` stays in the environment as the base library made it.
static int strata_allowed(const char *name, size_t length) {
    for (const char *const *allowed = strata_base_allowed; *allowed; allowed++)
        if (strncmp(*allowed, name, length) == 0 && (*allowed)[length] == '\0') return 1;
    return 0;
}

// Removes from the environment at `env` every base function not on the allow-list.
static void strata_prunebase(lua_State *L, int env) {
    const char *removed[32];
    int count;
    do {                               // in rounds of 32 (Lua 5.4's base library needs one)
        count = 0;
        lua_pushnil(L);
        while (lua_next(L, env)) {     // stack: [key, value]
            lua_pop(L, 1);
            size_t length;
            const char *name = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &length) : NULL;
            if (name && !strata_allowed(name, length) && count < 32)
                removed[count++] = name;  // the key stays alive in env until cleared
        }
        // Clearing fields after the walk (the names are interned in the table until then).
        for (int i = count - 1; i >= 0; i--) {
            lua_pushnil(L);
            lua_setfield(L, env, removed[i]);
        }
    } while (count == 32);
}

static int strata_buildsandbox(lua_State *L) {
    // The environment is the globals table the base library fills; sized for the sandbox's
    // names plus the host's (context, config, state, print, warn) and the script's hooks.
    lua_createtable(L, 0, 64);                     // stack: [env]
    int env = lua_gettop(L);
    lua_pushvalue(L, env);
    lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_pushcfunction(L, luaopen_base);
    lua_call(L, 0, 0);                             // env: Lua's base functions, _G (= env), _VERSION
    lua_getfield(L, env, "setmetatable");
    lua_getfield(L, env, "load");                  // stack: [env, setmetatable, load]
    strata_prunebase(L, env);                      // env: the allow-list (and _G) only
    lua_pushcclosure(L, strata_load, 1);
    lua_setfield(L, env, "load");
    lua_pushcclosure(L, strata_setmetatable, 1);
    lua_setfield(L, env, "setmetatable");
    lua_pushcfunction(L, strata_rawset);
    lua_setfield(L, env, "rawset");
    lua_pushcfunction(L, strata_collectgarbage);
    lua_setfield(L, env, "collectgarbage");
    strata_openprotectedcalls(L, env);
    for (const struct strata_library *lib = strata_libraries; lib->name; lib++) {
        if (lib->lazy) {
            strata_pushlazyreadonly(L, lib->lazy); // stack: [env, proxy]
        } else {
            strata_buildlibrary(L, lib);           // stack: [env, lib]
            strata_pushreadonly(L, -1);            // stack: [env, lib, proxy]
            lua_remove(L, -2);
        }
        lua_setfield(L, env, lib->name);
    }
    strata_lockstringmetatable(L);
    lua_pop(L, 1);                                 // stack: []
    return 0;
}

int strata_opensandbox(lua_State *L) {
    // The build makes no garbage worth collecting: a collector step would only walk it.
    lua_gc(L, LUA_GCSTOP);
    lua_pushcfunction(L, strata_buildsandbox);
    int status = strata_pcall(L, 0, 0, 0);
    lua_gc(L, LUA_GCRESTART);
    return status;
}
