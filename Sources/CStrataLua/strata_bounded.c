// Library functions whose work no hook can interrupt (they loop in C), replaced by versions
// that are bounded before they run (string.rep) or that poll the kill flag while they run
// (table.move, sort, insert, remove, concat, unpack).
#include "strata_sandbox.h"

#include <limits.h>

// How many iterations of a C loop run between two polls of the kill flag.
#define STRATA_POLL_INTERVAL 1024

// MARK: - string.rep: bounded before it runs

static int strata_rep(lua_State *L) {
    size_t len, seplen;
    luaL_checklstring(L, 1, &len);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_optlstring(L, 3, "", &seplen);
    if (n <= 0 || (len == 0 && seplen == 0)) {
        // Lua's own loops n times even when every piece is empty: a hang for huge n.
        lua_pushliteral(L, "");
        return 1;
    }
    strata_guard *g = strata_getguard(L);
    size_t room = g->cap > g->used ? g->cap - g->used : (g->cap ? 0 : (size_t)LLONG_MAX);
    lua_Number total = (lua_Number)len * (lua_Number)n + (lua_Number)seplen * (lua_Number)(n - 1);
    if (total > (lua_Number)room) return luaL_error(L, "resulting string too large");
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);                 // stack: [rep, s, n, sep?]
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

void strata_openboundedstring(lua_State *L, int lib) {
    lua_getfield(L, lib, "rep");
    lua_pushcclosure(L, strata_rep, 1);
    lua_setfield(L, lib, "rep");
}

// MARK: - table.move: polls

static int strata_move(lua_State *L) {
    lua_Integer f = luaL_checkinteger(L, 2);
    lua_Integer e = luaL_checkinteger(L, 3);
    lua_Integer t = luaL_checkinteger(L, 4);
    int dest = lua_isnoneornil(L, 5) ? 1 : 5;
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, dest, LUA_TTABLE);
    if (e >= f) {
        luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
        lua_Integer n = e - f + 1;
        luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
        int forward = t > e || t <= f || (dest != 1 && !lua_compare(L, 1, dest, LUA_OPEQ));
        for (lua_Integer i = 0; i < n; i++) {
            if ((i & (STRATA_POLL_INTERVAL - 1)) == 0) strata_checkkilled(L);
            lua_Integer k = forward ? i : n - 1 - i;
            lua_geti(L, 1, f + k);    // stack: [..., a1[f+k]]
            lua_seti(L, dest, t + k); // stack: [...]
        }
    }
    lua_pushvalue(L, dest);
    return 1;
}

// MARK: - table.sort: heapsort that polls (Lua's quicksort cannot be interrupted)

typedef struct strata_sorter {
    lua_State *L;
    int has_comparator;
    unsigned long comparisons;
} strata_sorter;

// Whether t[a] < t[b], by the script's comparator or by Lua's `<`.
static int strata_sortless(strata_sorter *s, lua_Integer a, lua_Integer b) {
    lua_State *L = s->L;
    if ((++s->comparisons & (STRATA_POLL_INTERVAL - 1)) == 0) strata_checkkilled(L);
    if (s->has_comparator) {
        lua_pushvalue(L, 2);
        lua_geti(L, 1, a);
        lua_geti(L, 1, b);            // stack: [..., cmp, t[a], t[b]]
        lua_call(L, 2, 1);
        int less = lua_toboolean(L, -1);
        lua_pop(L, 1);
        return less;
    }
    lua_geti(L, 1, a);
    lua_geti(L, 1, b);                // stack: [..., t[a], t[b]]
    int less = lua_compare(L, -2, -1, LUA_OPLT);
    lua_pop(L, 2);
    return less;
}

static void strata_sortswap(lua_State *L, lua_Integer a, lua_Integer b) {
    lua_geti(L, 1, a);
    lua_geti(L, 1, b);                // stack: [..., t[a], t[b]]
    lua_seti(L, 1, a);
    lua_seti(L, 1, b);
}

// Sifts the element at `root` down the heap of the first `count` elements (1-based).
static void strata_siftdown(strata_sorter *s, lua_Integer root, lua_Integer count) {
    for (;;) {
        lua_Integer child = 2 * root;
        if (child > count) return;
        if (child + 1 <= count && strata_sortless(s, child, child + 1)) child++;
        if (!strata_sortless(s, root, child)) return;
        strata_sortswap(s->L, root, child);
        root = child;
    }
}

static int strata_sort(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer n = luaL_len(L, 1);
    luaL_argcheck(L, n < INT_MAX, 1, "array too big");
    if (!lua_isnoneornil(L, 2)) luaL_checktype(L, 2, LUA_TFUNCTION);
    strata_sorter s = {L, !lua_isnoneornil(L, 2), 0};
    lua_settop(L, 2);
    for (lua_Integer i = n / 2; i >= 1; i--) strata_siftdown(&s, i, n);
    for (lua_Integer end = n; end > 1; end--) {
        strata_sortswap(L, 1, end);
        strata_siftdown(&s, 1, end - 1);
    }
    return 0;
}

// MARK: - table.insert, remove, concat, unpack: poll (their loops trust __len and __index)

static int strata_tinsert(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer e = luaL_len(L, 1) + 1;  // first empty slot
    lua_Integer pos;
    switch (lua_gettop(L)) {
    case 2: pos = e; break;
    case 3:
        pos = luaL_checkinteger(L, 2);
        luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)e, 2, "position out of bounds");
        for (lua_Integer i = e; i > pos; i--) {
            if ((i & (STRATA_POLL_INTERVAL - 1)) == 0) strata_checkkilled(L);
            lua_geti(L, 1, i - 1);
            lua_seti(L, 1, i);        // t[i] = t[i - 1]
        }
        break;
    default: return luaL_error(L, "wrong number of arguments to 'insert'");
    }
    lua_seti(L, 1, pos);              // t[pos] = value
    return 0;
}

static int strata_tremove(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer size = luaL_len(L, 1);
    lua_Integer pos = luaL_optinteger(L, 2, size);
    if (pos != size) luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 2, "position out of bounds");
    lua_geti(L, 1, pos);              // stack: [..., t[pos]] (the result)
    for (; pos < size; pos++) {
        if ((pos & (STRATA_POLL_INTERVAL - 1)) == 0) strata_checkkilled(L);
        lua_geti(L, 1, pos + 1);
        lua_seti(L, 1, pos);          // t[pos] = t[pos + 1]
    }
    lua_pushnil(L);
    lua_seti(L, 1, pos);              // t[pos] = nil
    return 1;
}

static int strata_concat(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    size_t seplen;
    const char *sep = luaL_optlstring(L, 2, "", &seplen);
    lua_Integer i = luaL_optinteger(L, 3, 1);
    lua_Integer last = lua_isnoneornil(L, 4) ? luaL_len(L, 1) : luaL_checkinteger(L, 4);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (; i <= last; i++) {
        if ((i & (STRATA_POLL_INTERVAL - 1)) == 0) strata_checkkilled(L);
        lua_geti(L, 1, i);            // stack: [..., t[i]]
        if (!lua_isstring(L, -1))
            return luaL_error(L, "invalid value (at index %I) in table for 'concat'", (LUAI_UACINT)i);
        luaL_addvalue(&b);
        if (i != last) luaL_addlstring(&b, sep, seplen);
        if (i == LUA_MAXINTEGER) break;
    }
    luaL_pushresult(&b);
    return 1;
}

static int strata_unpack(lua_State *L) {
    lua_Integer i = luaL_optinteger(L, 2, 1);
    lua_Integer e = luaL_opt(L, luaL_checkinteger, 3, luaL_len(L, 1));
    if (i > e) return 0;
    lua_Unsigned n = (lua_Unsigned)e - i;
    if (n >= (unsigned int)INT_MAX || !lua_checkstack(L, (int)(++n)))
        return luaL_error(L, "too many results to unpack");
    for (lua_Unsigned k = 0; k < n; k++) {
        if ((k & (STRATA_POLL_INTERVAL - 1)) == STRATA_POLL_INTERVAL - 1) strata_checkkilled(L);
        lua_geti(L, 1, i + (lua_Integer)k);
    }
    return (int)n;
}

void strata_openboundedtable(lua_State *L, int lib) {
    static const luaL_Reg replaced[] = {
        {"move", strata_move}, {"sort", strata_sort}, {"insert", strata_tinsert},
        {"remove", strata_tremove}, {"concat", strata_concat}, {"unpack", strata_unpack}, {NULL, NULL},
    };
    lua_pushvalue(L, lib);
    luaL_setfuncs(L, replaced, 0);
    lua_pop(L, 1);
}
