// coroutine.resume, wrap and close for the sandbox. They keep the guard's `current` thread up
// to date, so the watchdog's kill hook lands on the coroutine that is actually running, and
// they bound nested closing (Lua 5.4.4 overflows the C stack on a long chain of closes through
// pending to-be-closed variables; fixed upstream in 5.4.5).
#define _GNU_SOURCE  // pthread_getattr_np
#include "strata_sandbox.h"

#include <pthread.h>
#include <stdint.h>

// How deep coroutine.close (and wrap's closing on error) may nest.
#define STRATA_MAX_CLOSE_DEPTH 32
// C stack a close must leave free. Lua 5.4.4's lua_resetthread does not carry the C-call count
// over, so each close may recurse up to Lua's 200 C levels again (gsub callbacks, sort
// comparators, metamethods): about 3 KiB each, 600 KiB a level; the rest is margin.
#define STRATA_CLOSE_STACK_RESERVE (1u << 20)

// The lowest address of this thread's stack (1: unknown), looked up once per thread.
static _Thread_local uintptr_t strata_stack_low;

// C stack left below the caller's frame (SIZE_MAX when unknown).
static size_t strata_stackleft(void) {
    if (strata_stack_low == 0) {
        strata_stack_low = 1;
        pthread_attr_t attr;
        if (pthread_getattr_np(pthread_self(), &attr) == 0) {
            void *address;
            size_t size;
            if (pthread_attr_getstack(&attr, &address, &size) == 0) strata_stack_low = (uintptr_t)address;
            pthread_attr_destroy(&attr);
        }
    }
    uintptr_t here = (uintptr_t)__builtin_frame_address(0);
    return strata_stack_low > 1 && here > strata_stack_low ? here - strata_stack_low : SIZE_MAX;
}

static lua_State *strata_checkcoroutine(lua_State *L, int index) {
    lua_State *co = lua_tothread(L, index);
    luaL_argexpected(L, co, index, "coroutine");
    return co;
}

// Resumes `co` with `narg` arguments from L's top; moves the results (or the error) to L.
// Returns the number of results, or -1 with the error value on top of L.
static int strata_resume(lua_State *L, lua_State *co, int narg) {
    strata_guard *g = strata_getguard(L);
    strata_checkkilled(L);
    if (!lua_checkstack(co, narg)) {
        lua_pushliteral(L, "too many arguments to resume");
        return -1;
    }
    if (lua_status(co) == LUA_OK && lua_gettop(co) == 0) {
        lua_pushliteral(L, "cannot resume dead coroutine");
        return -1;
    }
    lua_xmove(L, co, narg);           // stack(co): [..., args]
    lua_State *resumer = g->current;
    g->current = co;
    int nres;
    int status = lua_resume(co, L, narg, &nres);
    g->current = resumer;
    if (strata_propagatestatus(L, status)) strata_checkkilled(L);  // raises in the resumer
    if (status == LUA_OK || status == LUA_YIELD) {
        if (!lua_checkstack(L, nres + 1)) {
            lua_pop(co, nres);
            lua_pushliteral(L, "too many results to resume");
            return -1;
        }
        lua_xmove(co, L, nres);       // stack: [..., results]
        return nres;
    }
    lua_xmove(co, L, 1);              // stack: [..., err]
    return -1;
}

static int strata_coresume(lua_State *L) {
    lua_State *co = strata_checkcoroutine(L, 1);
    int r = strata_resume(L, co, lua_gettop(L) - 1);
    if (r < 0) {
        lua_pushboolean(L, 0);
        lua_insert(L, -2);            // stack: [..., false, err]
        return 2;
    }
    lua_pushboolean(L, 1);
    lua_insert(L, -(r + 1));          // stack: [..., true, results]
    return r + 1;
}

// Runs `co`'s pending to-be-closed variables (script code) under the nesting bound.
// stack(co): [...] -> [err or nothing]; returns the status of the close.
static int strata_closethread(lua_State *L, lua_State *co) {
    strata_guard *g = strata_getguard(L);
    // Bounded by nesting and by the C stack each level may take, whatever its C levels.
    if (g->close_depth >= STRATA_MAX_CLOSE_DEPTH || strata_stackleft() < STRATA_CLOSE_STACK_RESERVE)
        return luaL_error(L, "coroutines closed in a chain too deep (limit %d, and %d KiB of C stack)",
                          STRATA_MAX_CLOSE_DEPTH, (int)(STRATA_CLOSE_STACK_RESERVE >> 10));
    g->close_depth++;
    lua_State *closer = g->current;
    g->current = co;
    int status = lua_resetthread(co);
    g->current = closer;
    g->close_depth--;
    strata_propagatestatus(L, status);  // a memory error while closing is the cap
    strata_checkkilled(L);
    return status;
}

static int strata_wrapcall(lua_State *L) {
    lua_State *co = lua_tothread(L, lua_upvalueindex(1));
    int r = strata_resume(L, co, lua_gettop(L));
    if (r >= 0) return r;
    int status = lua_status(co);
    if (status != LUA_OK && status != LUA_YIELD) {
        // The coroutine died with an error: close its pending variables, as Lua's wrap does.
        status = strata_closethread(L, co);
        lua_settop(L, 0);
        lua_xmove(co, L, 1);          // stack: [err]
    }
    if (lua_type(L, -1) == LUA_TSTRING) {
        luaL_where(L, 1);             // stack: [err, where]
        lua_insert(L, -2);
        lua_concat(L, 2);             // stack: [where..err]
    }
    return lua_error(L);
}

static int strata_cowrap(lua_State *L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_State *co = lua_newthread(L); // stack: [f, co]
    lua_pushvalue(L, 1);
    lua_xmove(L, co, 1);              // stack(co): [f]
    lua_pushcclosure(L, strata_wrapcall, 1);
    return 1;
}

enum strata_costatus { STRATA_CO_RUNNING, STRATA_CO_SUSPENDED, STRATA_CO_NORMAL, STRATA_CO_DEAD };

// The status coroutine.status reports, from the C API's view of the thread.
static int strata_costatus(lua_State *L, lua_State *co) {
    if (L == co) return STRATA_CO_RUNNING;
    switch (lua_status(co)) {
    case LUA_YIELD: return STRATA_CO_SUSPENDED;
    case LUA_OK: {
        lua_Debug ar;
        if (lua_getstack(co, 0, &ar)) return STRATA_CO_NORMAL;  // it resumed another coroutine
        return lua_gettop(co) == 0 ? STRATA_CO_DEAD : STRATA_CO_SUSPENDED;  // finished, or not started
    }
    default: return STRATA_CO_DEAD;   // died with an error
    }
}

static int strata_coclose(lua_State *L) {
    lua_State *co = strata_checkcoroutine(L, 1);
    int costatus = strata_costatus(L, co);
    if (costatus == STRATA_CO_RUNNING || costatus == STRATA_CO_NORMAL)
        return luaL_error(L, "cannot close a %s coroutine", costatus == STRATA_CO_RUNNING ? "running" : "normal");
    if (strata_closethread(L, co) == LUA_OK) {
        lua_pushboolean(L, 1);
        return 1;
    }
    lua_pushboolean(L, 0);
    lua_xmove(co, L, 1);              // stack: [..., false, err]
    return 2;
}

void strata_opentrackedcoroutine(lua_State *L, int lib) {
    lua_pushcfunction(L, strata_coresume);
    lua_setfield(L, lib, "resume");
    lua_pushcfunction(L, strata_cowrap);
    lua_setfield(L, lib, "wrap");
    lua_pushcfunction(L, strata_coclose);
    lua_setfield(L, lib, "close");
}
