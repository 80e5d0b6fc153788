// A Lua state with a guard: Strata's allocator (memory cap, per-state arena), the kill switch
// and its hook.
#include "strata_lua.h"
#include "strata_arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Under AddressSanitizer every block comes from malloc, so overflows stay detectable.
#if defined(__SANITIZE_ADDRESS__)
#define STRATA_USE_ARENA 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STRATA_USE_ARENA 0
#endif
#endif
#ifndef STRATA_USE_ARENA
#define STRATA_USE_ARENA 1
#endif

// What the allocator's `ud` points to: the guard first (so it is the state's guard), then the
// arena. With the arena it lives at the start of the state's first chunk, beside the state's
// own first objects.
typedef struct strata_owner {
    strata_guard guard;
    strata_arena arena;
} strata_owner;

// Extra bytes a killed state may still allocate, so that unwinding and the error report
// (message, traceback) can be built after the cap was hit.
#define STRATA_KILL_HEADROOM (1u << 20)

static void *strata_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    strata_owner *owner = (strata_owner *)ud;
    strata_guard *g = &owner->guard;
    size_t old = ptr ? osize : 0;  // when ptr is NULL, osize encodes the object type, not a size
    if (nsize == 0) {
        if (STRATA_USE_ARENA) strata_arena_realloc(&owner->arena, ptr, old, 0);
        else free(ptr);
        g->used -= old;
        return NULL;
    }
    if (g->enforce && g->cap && nsize > old) {
        size_t limit = g->killed == STRATA_KILL_MEMORY ? g->cap + STRATA_KILL_HEADROOM : g->cap;
        if (g->used + (nsize - old) > limit) {
            // Refusing makes Lua collect garbage and retry once; if that fails too, Lua raises
            // LUA_ERRMEM. The second refusal of the same request is final: the state is killed
            // here, so the verdict is the cap whatever runs next (a `__close` or a message
            // handler raising its own error, a `load` returning nil, msg).
            if (g->refused == ptr && g->refused_size == nsize && g->killed == STRATA_KILL_NONE) {
                strata_armkill(g, STRATA_KILL_MEMORY);
            }
            g->refused = ptr;
            g->refused_size = nsize;
            g->cap_hit = 1;
            return NULL;
        }
    }
    g->refused_size = 0;
    void *block = STRATA_USE_ARENA ? strata_arena_realloc(&owner->arena, ptr, old, nsize) : realloc(ptr, nsize);
    if (block) {
        g->used = g->used - old + nsize;
        if (g->used > g->peak) g->peak = g->used;
    }
    return block;
}

static int strata_panic(lua_State *L) {
    // Only reachable through a bug in the host (an unprotected raise); never continue.
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(non-string error)";
    fprintf(stderr, "strata: unprotected Lua error (host bug): %s\n", msg);
    abort();
}

static strata_owner *strata_newowner(void) {
    if (!STRATA_USE_ARENA) return calloc(1, sizeof(strata_owner));
    strata_arena arena;
    strata_owner *owner = strata_arena_start(&arena, sizeof *owner);
    if (!owner) return NULL;
    memset(owner, 0, sizeof *owner);
    owner->arena = arena;
    return owner;
}

static void strata_freeowner(strata_owner *owner) {
    if (STRATA_USE_ARENA) strata_arena_finish(&owner->arena);
    else free(owner);
}

lua_State *strata_newstate(size_t cap) {
    strata_owner *owner = strata_newowner();
    if (!owner) return NULL;
    strata_guard *g = &owner->guard;
    g->cap = cap;
    lua_State *L = lua_newstate(strata_alloc, owner);
    if (!L) {
        strata_freeowner(owner);
        return NULL;
    }
    g->main = L;
    g->current = L;
    // New coroutines copy the main thread's extra space, so every thread finds the guard.
    *(strata_guard **)lua_getextraspace(L) = g;
    lua_atpanic(L, strata_panic);
    return L;
}

void strata_close(lua_State *L) {
    strata_guard *g = strata_getguard(L);
    g->enforce = 0;
    g->closing = 1;
    lua_close(g->main);
    strata_freeowner((strata_owner *)g);  // the guard is the owner's first member
}

static const char *strata_killmessage(int killed) {
    return killed == STRATA_KILL_CPU ? "cpu limit: the call ran past its deadline"
                                     : "memory limit: the state reached its memory cap";
}

// Fires on every instruction, call and return once a kill is armed: the script cannot get
// past it, whatever it catches, because every further step raises again.
static void strata_killhook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    strata_guard *g = strata_getguard(L);
    if (g->killed == STRATA_KILL_NONE) {
        lua_sethook(L, NULL, 0, 0);  // left over from an earlier call: disarm
        return;
    }
    luaL_error(L, "%s", strata_killmessage(g->killed));
}

void strata_armkill(strata_guard *g, int reason) {
    g->killed = reason;
    int mask = LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT;
    lua_State *current = g->current;
    // lua_sethook is safe to call asynchronously (from a signal handler on the running thread).
    lua_sethook(current, strata_killhook, mask, 1);
    if (current != g->main) lua_sethook(g->main, strata_killhook, mask, 1);
}

void strata_checkkilled(lua_State *L) {
    strata_guard *g = strata_getguard(L);
    if (g->killed != STRATA_KILL_NONE) {
        if (L != g->main) lua_sethook(L, strata_killhook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
        luaL_error(L, "%s", strata_killmessage(g->killed));
    }
}

int strata_propagatestatus(lua_State *L, int status) {
    strata_guard *g = strata_getguard(L);
    // A memory error is the cap only when the allocator refused something: Lua 5.4 raises
    // LUA_ERRMEM for any error value equal to "not enough memory", which a script can raise.
    if (status == LUA_ERRMEM && g->cap_hit) strata_armkill(g, STRATA_KILL_MEMORY);
    return g->killed != STRATA_KILL_NONE;
}
