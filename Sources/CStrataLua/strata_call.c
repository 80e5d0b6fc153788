// Protected calls with tracebacks and deadlines, and the trampolines that let Swift host
// functions report errors without raising them.
#include "strata_lua.h"
#include "strata_internal.h"
#include "strata_watchdog.h"

// Marks error reports made by `strata_msgh`, so the host can tell them from raw error values
// (a light userdata key cannot be forged by a script).
static const char strata_report_marker = 0;

// stack: [..., value] -> [..., value, description]; never calls metamethods.
static void strata_pushdescription(lua_State *L, int index) {
    switch (lua_type(L, index)) {
    case LUA_TSTRING: lua_pushvalue(L, index); break;
    case LUA_TNUMBER: lua_pushvalue(L, index); lua_tolstring(L, -1, NULL); break;
    case LUA_TNIL: lua_pushliteral(L, "nil"); break;
    default: lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, index)); break;
    }
}

// Finds the innermost Lua function on the stack: where the error happened in the script.
// stack: [report] -> [report] with fields source, line
static void strata_setlocation(lua_State *L) {
    lua_Debug ar;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0) continue;
        lua_pushstring(L, ar.short_src);
        lua_setfield(L, -2, "source");
        lua_pushinteger(L, ar.currentline);
        lua_setfield(L, -2, "line");
        return;
    }
}

// The message handler of every host call: turns any error value into a report table
// { message, traceback, source, line }. Runs no script code.
static int strata_msgh(lua_State *L) {
    strata_guard *g = strata_getguard(L);
    int enforce = g->enforce;
    g->enforce = 0;  // the report must be built even when the error is the memory cap
    lua_createtable(L, 0, 5);       // stack: [err, report]
    strata_pushdescription(L, 1);   // stack: [err, report, message]
    lua_setfield(L, -2, "message"); // stack: [err, report]
    luaL_traceback(L, L, NULL, 1);  // stack: [err, report, traceback]
    lua_setfield(L, -2, "traceback");
    strata_setlocation(L);
    lua_pushlightuserdata(L, (void *)&strata_report_marker);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);              // stack: [err, report]
    g->enforce = enforce;
    return 1;
}

// Makes sure the error value on top is a report table, wrapping raw values (memory errors,
// errors from __close during unwinding, syntax errors) that did not pass the handler.
// stack: [err] -> [report]
void strata_normalizeerror(lua_State *L) {
    if (lua_type(L, -1) == LUA_TTABLE) {
        lua_pushlightuserdata(L, (void *)&strata_report_marker);
        int marked = lua_rawget(L, -2) != LUA_TNIL;
        lua_pop(L, 1);
        if (marked) return;
    }
    lua_createtable(L, 0, 2);       // stack: [err, report]
    strata_pushdescription(L, -2);  // stack: [err, report, message]
    lua_setfield(L, -2, "message");
    lua_remove(L, -2);              // stack: [report]
}

static int strata_finalstatus(strata_guard *g, int status) {
    if (status == LUA_OK) return LUA_OK;
    if (g->killed == STRATA_KILL_CPU) return STRATA_ERRCPU;
    if (g->killed == STRATA_KILL_MEMORY || (status == LUA_ERRMEM && g->cap_hit)) return STRATA_ERRMEMCAP;
    // LUA_ERRMEM without a refusal is a script raising "not enough memory" (Lua 5.4 turns that
    // text into a memory error): an ordinary error, never classified by its text.
    return status == LUA_ERRMEM && g->cap ? LUA_ERRRUN : status;
}

// Clears what an earlier kill left behind, so the next call starts clean.
static void strata_resetkill(lua_State *L, strata_guard *g) {
    g->killed = STRATA_KILL_NONE;
    if (lua_gethook(L) != NULL) lua_sethook(L, NULL, 0, 0);
    if (g->main != L && lua_gethook(g->main) != NULL) lua_sethook(g->main, NULL, 0, 0);
}

int strata_pcall(lua_State *L, int nargs, int nresults, uint64_t budget_ns) {
    strata_guard *g = strata_getguard(L);
    if (g->busy) {
        // A second call while one runs (from another thread, or re-entrantly from a host
        // function) would corrupt the state: refuse it loudly instead.
        lua_pop(L, nargs + 1);
        lua_createtable(L, 0, 1);
        lua_pushliteral(L, "Lua state used by two calls at once (host bug)");
        lua_setfield(L, -2, "message");
        return STRATA_ERRBUSY;
    }
    g->busy = 1;
    g->killed = STRATA_KILL_NONE;  // hooks a kill armed were cleared when that call ended
    g->cap_hit = 0;
    g->current = L;
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, strata_msgh);
    lua_insert(L, base);            // stack: [msgh, f, args...]
    strata_watch_token token = strata_watch_begin(g, budget_ns);
    g->enforce = 1;
    int status = lua_pcall(L, nargs, nresults, base);
    g->enforce = 0;
    strata_watch_end(token);
    lua_remove(L, base);            // stack: [results...] | [err]
    status = strata_finalstatus(g, status);
    if (status != LUA_OK) strata_normalizeerror(L);
    strata_resetkill(L, g);
    g->current = g->main;
    g->busy = 0;
    return status;
}

// Calls the Swift host function `id` through `fn`, and raises what it reports.
static int strata_hostcall(lua_State *L, strata_host_fn fn, void *context, int id) {
    strata_guard *g = strata_getguard(L);
    // While the state closes, its host (the Swift objects behind `context`) may be gone already:
    // nothing may call into it then (a finalizer, say, if one ever ran).
    if (g->closing || g->busy == 0) return luaL_error(L, "host functions cannot run here");
    int enforce = g->enforce;
    g->enforce = 0;  // nothing may raise while Swift is on the stack, not even the memory cap
    int results = fn(L, context, id);
    g->enforce = enforce;
    // What the host pushed was allocated past the cap's check: count it now, in C, where raising
    // is safe. A state over its cap after a host call is killed like any other.
    if (enforce && g->cap && g->used > g->cap) {
        strata_armkill(g, STRATA_KILL_MEMORY);
        strata_checkkilled(L);
    }
    if (results == STRATA_HOST_ERROR) {
        luaL_where(L, 1);           // stack: [..., message, where]
        lua_insert(L, -2);          // stack: [..., where, message]
        lua_concat(L, 2);           // stack: [..., where..message]
        return lua_error(L);
    }
    return results;
}

// The general trampoline: a C closure over (fn, context, id), for functions beyond the slots.
static int strata_hosttrampoline(lua_State *L) {
    strata_host_fn fn = (strata_host_fn)lua_touserdata(L, lua_upvalueindex(1));
    void *context = lua_touserdata(L, lua_upvalueindex(2));
    int id = (int)lua_tointeger(L, lua_upvalueindex(3));
    return strata_hostcall(L, fn, context, id);
}

// The first STRATA_HOST_SLOTS host functions of a state are light C functions (no closure
// object: nothing allocated, nothing for the collector to visit); the state's guard holds the
// one dispatcher and context they share.
#define STRATA_HOST_SLOTS 32
#define STRATA_HOST_SLOT(n) \
    static int strata_hostslot##n(lua_State *L) { \
        strata_guard *g = strata_getguard(L); \
        return strata_hostcall(L, g->host, g->host_context, n); \
    }
STRATA_HOST_SLOT(0) STRATA_HOST_SLOT(1) STRATA_HOST_SLOT(2) STRATA_HOST_SLOT(3) STRATA_HOST_SLOT(4) STRATA_HOST_SLOT(5) STRATA_HOST_SLOT(6) STRATA_HOST_SLOT(7)
STRATA_HOST_SLOT(8) STRATA_HOST_SLOT(9) STRATA_HOST_SLOT(10) STRATA_HOST_SLOT(11) STRATA_HOST_SLOT(12) STRATA_HOST_SLOT(13) STRATA_HOST_SLOT(14) STRATA_HOST_SLOT(15)
STRATA_HOST_SLOT(16) STRATA_HOST_SLOT(17) STRATA_HOST_SLOT(18) STRATA_HOST_SLOT(19) STRATA_HOST_SLOT(20) STRATA_HOST_SLOT(21) STRATA_HOST_SLOT(22) STRATA_HOST_SLOT(23)
STRATA_HOST_SLOT(24) STRATA_HOST_SLOT(25) STRATA_HOST_SLOT(26) STRATA_HOST_SLOT(27) STRATA_HOST_SLOT(28) STRATA_HOST_SLOT(29) STRATA_HOST_SLOT(30) STRATA_HOST_SLOT(31)
static const lua_CFunction strata_hostslots[STRATA_HOST_SLOTS] = {
    strata_hostslot0, strata_hostslot1, strata_hostslot2, strata_hostslot3, strata_hostslot4, strata_hostslot5,
    strata_hostslot6, strata_hostslot7, strata_hostslot8, strata_hostslot9, strata_hostslot10, strata_hostslot11,
    strata_hostslot12, strata_hostslot13, strata_hostslot14, strata_hostslot15, strata_hostslot16, strata_hostslot17,
    strata_hostslot18, strata_hostslot19, strata_hostslot20, strata_hostslot21, strata_hostslot22, strata_hostslot23,
    strata_hostslot24, strata_hostslot25, strata_hostslot26, strata_hostslot27, strata_hostslot28, strata_hostslot29,
    strata_hostslot30, strata_hostslot31,
};

void strata_pushhostfunction(lua_State *L, strata_host_fn fn, void *context, int function_id) {
    strata_guard *g = strata_getguard(L);
    if (g->host == NULL) {
        g->host = fn;
        g->host_context = context;
    }
    if (function_id >= 0 && function_id < STRATA_HOST_SLOTS && g->host == fn && g->host_context == context) {
        lua_pushcfunction(L, strata_hostslots[function_id]);  // stack: [function]
        return;
    }
    lua_pushlightuserdata(L, (void *)fn);
    lua_pushlightuserdata(L, context);
    lua_pushinteger(L, function_id);
    lua_pushcclosure(L, strata_hosttrampoline, 3);  // stack: [function]
}
