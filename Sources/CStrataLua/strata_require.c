// `require`: shared modules for strategies. The host hands each state a function that gives a
// module's source by name (the modules of the script's version, never a path); this file checks
// the name, keeps the per-state cache, detects cycles and runs the module's text chunk in the
// same environment and under the same call (deadline, memory cap) as the code that required it.
#include "strata_internal.h"

#include <string.h>

// MARK: - Bounds (data first)

/// The longest module name, the deepest chain of requires, the most modules in one state.
#define STRATA_MODULE_MAX_NAME 128
#define STRATA_REQUIRE_MAX_DEPTH 32
#define STRATA_REQUIRE_MAX_MODULES 100

/// The value a module has in the cache while its chunk runs (a light userdata: unforgeable).
static const char strata_loading = 0;

// Upvalues of the `require` closure.
enum { STRATA_UP_FETCH = 1, STRATA_UP_LOADED, STRATA_UP_CHAIN, STRATA_UP_COUNT, STRATA_UP_COST };

// MARK: - Names

// Whether `name` is a module name: [A-Za-z0-9_] segments joined by single dots.
static int strata_validname(const char *name, size_t length) {
    if (length == 0 || length > STRATA_MODULE_MAX_NAME || name[0] == '.' || name[length - 1] == '.') return 0;
    for (size_t i = 0; i < length; i++) {
        char c = name[i];
        int word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!word && !(c == '.' && name[i + 1] != '.')) return 0;
    }
    return 1;
}

// Pushes at most 40 bytes of a name as it may be shown in a message (other bytes as '?').
// stack: [] -> [shown]
static void strata_pushshownname(lua_State *L, const char *name, size_t length) {
    char shown[48];
    size_t n = length > 40 ? 40 : length;
    for (size_t i = 0; i < n; i++) shown[i] = name[i] > 0x20 && name[i] < 0x7f ? name[i] : '?';
    lua_pushlstring(L, shown, n);
    if (length > 40) {
        lua_pushliteral(L, "...");
        lua_concat(L, 2);
    }
}

// Pushes the chain of requires from entry `from` (1: the strategy) to the end, joined by " -> ".
// stack: [] -> [text]
static void strata_pushchain(lua_State *L, lua_Integer from) {
    luaL_Buffer b;
    luaL_buffinit(L, &b);             // stack: [buffer?]
    lua_Integer depth = (lua_Integer)lua_rawlen(L, lua_upvalueindex(STRATA_UP_CHAIN));
    for (lua_Integer i = from; i <= depth; i++) {
        if (i > from) luaL_addstring(&b, " -> ");
        lua_rawgeti(L, lua_upvalueindex(STRATA_UP_CHAIN), i);  // stack: [buffer?, name]
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);              // stack: [text]
}

// MARK: - Running a module

// Loads the module's source (text only, bounded parser cost) and leaves its chunk on top, or
// raises naming the module. stack: [name, source] -> [name, source, chunk]
static void strata_loadmodule(lua_State *L, const char *name, size_t length) {
    size_t source_length;
    const char *source = lua_tolstring(L, 2, &source_length);
    // What the parser may cost is bounded before it runs (no hook fires in it): per module,
    // and for all the modules of the state together.
    uint64_t cost = strata_parsecost(source, source_length);
    lua_Integer spent = lua_tointeger(L, lua_upvalueindex(STRATA_UP_COST));
    if (cost > STRATA_PARSE_BUDGET_FILE || (uint64_t)spent + cost > STRATA_PARSE_BUDGET_FILE) {
        lua_pushvalue(L, 1);
        luaL_error(L, "module '%s' is too complex to compile safely (with the modules loaded before it)", lua_tostring(L, -1));
    }
    lua_pushinteger(L, spent + (lua_Integer)cost);
    lua_replace(L, lua_upvalueindex(STRATA_UP_COST));
    char chunkname[STRATA_MODULE_MAX_NAME + 16] = "@lib/";
    size_t n = 5;
    for (size_t i = 0; i < length; i++) chunkname[n++] = name[i] == '.' ? '/' : name[i];
    memcpy(chunkname + n, ".lua", 5);
    int status = luaL_loadbufferx(L, source, source_length, chunkname, "t");  // stack: [name, source, chunk|err]
    if (status == LUA_OK) return;
    if (status == LUA_ERRMEM) lua_error(L);  // the allocator has killed the state if it was the cap
    lua_pushfstring(L, "error loading module '%s' (required by ", name);
    strata_pushchain(L, 1);
    lua_pushliteral(L, "): ");
    lua_rotate(L, -4, -1);            // stack: [name, source, prefix, chain, "): ", err]
    lua_concat(L, 4);
    lua_error(L);
}

static int strata_require(lua_State *L) {
    size_t length;
    const char *name = luaL_checklstring(L, 1, &length);
    lua_settop(L, 1);                 // stack: [name]
    if (!strata_validname(name, length)) {
        strata_pushshownname(L, name, length);
        return luaL_argerror(L, 1, lua_pushfstring(L, "invalid module name '%s': use letters, digits and '_', with '.' between folder "
                                                   "names (e.g. \"signals.trend\"), at most %d bytes",
                                                   lua_tostring(L, -1), STRATA_MODULE_MAX_NAME));
    }
    lua_pushvalue(L, 1);
    int cached = lua_rawget(L, lua_upvalueindex(STRATA_UP_LOADED));  // stack: [name, cached]
    if (cached == LUA_TLIGHTUSERDATA && lua_touserdata(L, -1) == (void *)&strata_loading) {
        lua_Integer depth = (lua_Integer)lua_rawlen(L, lua_upvalueindex(STRATA_UP_CHAIN));
        lua_Integer first = depth;
        for (lua_Integer i = 2; i <= depth; i++) {
            lua_rawgeti(L, lua_upvalueindex(STRATA_UP_CHAIN), i);
            if (lua_rawequal(L, -1, 1) && first == depth) first = i;
            lua_pop(L, 1);
        }
        strata_pushchain(L, first);   // stack: [name, cached, cycle]
        return luaL_error(L, "require cycle: %s -> %s", lua_tostring(L, -1), name);
    }
    if (cached != LUA_TNIL) return 1;
    lua_pop(L, 1);                    // stack: [name]
    if (strata_getguard(L)->phase != STRATA_PHASE_LOAD)
        return luaL_error(L, "require '%s': a module can only be loaded while the strategy loads (at the top level of the "
                             "strategy or of a module): the modules a version loads are part of it", name);
    lua_Integer depth = (lua_Integer)lua_rawlen(L, lua_upvalueindex(STRATA_UP_CHAIN));
    if (depth > STRATA_REQUIRE_MAX_DEPTH) {
        strata_pushchain(L, 1);
        return luaL_error(L, "require nested too deeply (limit %d): %s -> %s", STRATA_REQUIRE_MAX_DEPTH, lua_tostring(L, -1), name);
    }
    lua_Integer count = lua_tointeger(L, lua_upvalueindex(STRATA_UP_COUNT));
    if (count >= STRATA_REQUIRE_MAX_MODULES)
        return luaL_error(L, "require '%s': too many modules (limit %d)", name, STRATA_REQUIRE_MAX_MODULES);
    lua_pushvalue(L, lua_upvalueindex(STRATA_UP_FETCH));
    lua_pushvalue(L, 1);
    lua_call(L, 1, 2);                // stack: [name, source|nil, message?]
    if (lua_type(L, 2) != LUA_TSTRING) {
        lua_settop(L, 3);
        if (lua_type(L, 3) != LUA_TSTRING) lua_pushfstring(L, "module '%s' not found", name);
        lua_pushliteral(L, " (required by ");
        strata_pushchain(L, 1);
        lua_pushliteral(L, ")");      // stack: [name, nil, message, " (required by ", chain, ")"]
        lua_concat(L, 4);
        return lua_error(L);
    }
    lua_settop(L, 2);                 // stack: [name, source]
    strata_loadmodule(L, name, length);  // stack: [name, source, chunk]
    lua_pushinteger(L, count + 1);
    lua_replace(L, lua_upvalueindex(STRATA_UP_COUNT));
    // Marked as loading and pushed on the chain while it runs, for cycles and messages.
    lua_pushvalue(L, 1);
    lua_pushlightuserdata(L, (void *)&strata_loading);
    lua_rawset(L, lua_upvalueindex(STRATA_UP_LOADED));
    lua_pushvalue(L, 1);
    lua_rawseti(L, lua_upvalueindex(STRATA_UP_CHAIN), depth + 1);
    lua_pushvalue(L, 1);              // stack: [name, source, chunk, name]
    int status = lua_pcall(L, 1, 1, 0);  // stack: [name, source, result|err]
    lua_pushnil(L);
    lua_rawseti(L, lua_upvalueindex(STRATA_UP_CHAIN), depth + 1);
    if (status != LUA_OK) {
        lua_pushvalue(L, 1);
        lua_pushnil(L);
        lua_rawset(L, lua_upvalueindex(STRATA_UP_LOADED));  // a later require tries again
        if (strata_propagatestatus(L, status)) return lua_error(L);  // a kill goes on up
        // A message gets the module and the chain once (a nested module's error has them).
        if (lua_type(L, -1) == LUA_TSTRING && !strstr(lua_tostring(L, -1), "(required by ")) {
            lua_pushfstring(L, "error in module '%s' (required by ", name);
            strata_pushchain(L, 1);
            lua_pushliteral(L, "): ");
            lua_rotate(L, -4, -1);    // stack: [name, source, prefix, chain, "): ", err]
            lua_concat(L, 4);
        }
        return lua_error(L);
    }
    if (lua_isnil(L, -1)) {           // as Lua's own require: a module that returns nothing is true
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, 1);
    lua_pushvalue(L, -2);             // stack: [name, source, result, name, result]
    lua_rawset(L, lua_upvalueindex(STRATA_UP_LOADED));
    return 1;
}

void strata_openrequire(lua_State *L, const char *root) {
    lua_newtable(L);                  // stack: [fetch, loaded]
    lua_createtable(L, 4, 0);         // stack: [fetch, loaded, chain]
    lua_pushstring(L, root);
    lua_rawseti(L, -2, 1);
    lua_pushinteger(L, 0);
    lua_pushinteger(L, 0);            // stack: [fetch, loaded, chain, count, cost]
    lua_pushcclosure(L, strata_require, 5);  // stack: [require]
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_pushliteral(L, "require");
    lua_rotate(L, -3, -1);            // stack: [globals, "require", require]
    lua_rawset(L, -3);                // raw: a metatable a script put on _G runs no code here
    lua_pop(L, 1);                    // stack: []
}
