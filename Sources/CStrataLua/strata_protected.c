// pcall and xpcall for the sandbox: the host, not the script, decides that a call was killed.
// A script may catch the kill error, but these re-raise it, and the armed kill hook raises again
// on the next instruction anyway.
#include "strata_sandbox.h"

// Continuation shared by pcall and xpcall (also after a yield inside the protected function).
// `extra` is the number of stack slots below the results.
static int strata_finishpcall(lua_State *L, int status, lua_KContext extra) {
    if (status != LUA_OK && status != LUA_YIELD) {
        if (strata_propagatestatus(L, status)) return lua_error(L);  // the kill goes on up
        lua_pushboolean(L, 0);        // stack: [..., err, false]
        lua_pushvalue(L, -2);         // stack: [..., err, false, err]
        return 2;
    }
    return lua_gettop(L) - (int)extra;
}

static int strata_pcallfunction(lua_State *L) {
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);            // stack: [f, args..., true]
    lua_insert(L, 1);                 // stack: [true, f, args...]
    int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, strata_finishpcall);
    return strata_finishpcall(L, status, 0);
}

// Wraps the script's message handler: when the state is killed the error came from the kill
// hook, and Lua runs handlers for such errors with hooks off, where nothing could stop a loop.
static int strata_guardedhandler(lua_State *L) {
    if (strata_getguard(L)->killed != STRATA_KILL_NONE) return 1;  // the error, unchanged
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);                 // stack: [handler, err...]
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int strata_xpcallfunction(lua_State *L) {
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushboolean(L, 1);            // stack: [f, h, args..., true]
    lua_pushvalue(L, 1);              // stack: [f, h, args..., true, f]
    lua_rotate(L, 3, 2);              // stack: [f, h, true, f, args...]
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, strata_guardedhandler, 1);
    lua_replace(L, 2);                // stack: [f, guarded, true, f, args...]
    int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, strata_finishpcall);
    return strata_finishpcall(L, status, 2);
}

void strata_openprotectedcalls(lua_State *L, int env) {
    lua_pushcfunction(L, strata_pcallfunction);
    lua_setfield(L, env, "pcall");
    lua_pushcfunction(L, strata_xpcallfunction);
    lua_setfield(L, env, "xpcall");
}
