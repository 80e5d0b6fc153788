// Tick tables, built by the tick hot path: `on_tick(tick)` in one C call.
//
// The field names are interned once per state and kept in the registry (pushing them from
// there costs no string hashing or cache lookup); the market string of the last tick is kept
// too, since an instance's ticks are nearly always of one market. When the bytecode scan says
// `on_tick` cannot keep its tick (strata_tickscan.c), one table serves every call.
#include "strata_internal.h"
#include "strata_watchdog.h"

#include <math.h>
#include <string.h>

// Registry array of the state: names[1..STRATA_TICK_NAMES], then the last market string.
enum { STRATA_NAME_MARKET = 1, STRATA_NAME_TS, STRATA_NAME_PRICE, STRATA_NAME_OPTIONAL,
       STRATA_NAME_CLOSE = STRATA_NAME_OPTIONAL + STRATA_TICK_FIELDS, STRATA_TICK_NAMES = STRATA_NAME_CLOSE,
       STRATA_LAST_MARKET };

static const char *const strata_tick_names[STRATA_TICK_NAMES] = {
    "market", "ts", "price", "volume", "bid", "ask", "open", "high", "low", "close",
};

// stack: [] -> [] ; the names table lives in the registry, its slot in the guard.
static void strata_internnames(lua_State *L, strata_guard *g) {
    lua_createtable(L, STRATA_LAST_MARKET, 0);               // stack: [names]
    for (int i = 0; i < STRATA_TICK_NAMES; i++) {
        lua_pushstring(L, strata_tick_names[i]);
        lua_rawseti(L, -2, i + 1);
    }
    g->tick_names = luaL_ref(L, LUA_REGISTRYINDEX);          // stack: []
}

// Pushes the market string, the one of the last tick when equal (no hashing, no interning).
// Returns whether it is that last one. stack: [tick, names] -> [tick, names, market]
static int strata_pushmarket(lua_State *L, const strata_tick *tick) {
    size_t length;
    if (lua_rawgeti(L, -1, STRATA_LAST_MARKET) == LUA_TSTRING) {
        const char *last = lua_tolstring(L, -1, &length);
        if (length == tick->market_length && memcmp(last, tick->market, length) == 0) return 1;
    }
    lua_pop(L, 1);
    lua_pushlstring(L, tick->market, tick->market_length);   // stack: [tick, names, market]
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, STRATA_LAST_MARKET);
    return 0;
}

// Bits of `strata_guard.tick_fields`: which fields the kept tick table holds now.
#define STRATA_HAS_MARKET (1u << 31)
#define STRATA_HAS(name) (1u << (name))

// tick[names[name]] = value. stack: [tick, names] -> [tick, names]
static void strata_setnumber(lua_State *L, int tick, int names, int name, double value) {
    lua_rawgeti(L, names, name);                             // stack: [tick, names, key]
    if (isnan(value)) lua_pushnil(L); else lua_pushnumber(L, value);
    lua_rawset(L, tick);
}

// Fills the tick table below the names table. `present`: the fields the table holds already
// (a kept table: fields absent from this tick are cleared); returns the fields it holds after.
// stack: [tick, names] -> [tick, names]
static unsigned strata_filltick(lua_State *L, const strata_tick *tick, unsigned present) {
    int names = lua_gettop(L), table = names - 1;
    if (!strata_pushmarket(L, tick) || !(present & STRATA_HAS_MARKET)) {
        lua_rawgeti(L, names, STRATA_NAME_MARKET);           // stack: [tick, names, market, key]
        lua_insert(L, -2);
        lua_rawset(L, table);
    } else {
        lua_pop(L, 1);                                       // already there
    }
    unsigned fields = STRATA_HAS_MARKET;
    strata_setnumber(L, table, names, STRATA_NAME_TS, tick->ts);
    strata_setnumber(L, table, names, STRATA_NAME_PRICE, tick->price);
    for (int i = 0; i <= STRATA_TICK_FIELDS; i++) {
        int name = STRATA_NAME_OPTIONAL + i;                 // the last one is close
        double value = i < STRATA_TICK_FIELDS ? tick->optional[i]
                       : (isnan(tick->optional[STRATA_TICK_OPEN]) ? NAN : tick->price);  // a bar: close is the price
        if (!isnan(value)) fields |= STRATA_HAS(name);
        else if (!(present & STRATA_HAS(name))) continue;    // absent, and not there to clear
        strata_setnumber(L, table, names, name, value);
    }
    return fields;
}

void strata_pushtick(lua_State *L, const strata_tick *tick) {
    strata_guard *g = strata_getguard(L);
    if (!g->tick_names) strata_internnames(L, g);
    int fields = 3;
    for (int i = 0; i < STRATA_TICK_FIELDS; i++) fields += !isnan(tick->optional[i]);
    if (!isnan(tick->optional[STRATA_TICK_OPEN])) fields++;  // close
    lua_createtable(L, 0, fields);                           // stack: [tick], sized: no rehash
    lua_rawgeti(L, LUA_REGISTRYINDEX, g->tick_names);        // stack: [tick, names]
    strata_filltick(L, tick, 0);
    lua_pop(L, 1);                                           // stack: [tick]
}

void strata_preparetick(lua_State *L, int ref) {
    strata_guard *g = strata_getguard(L);
    if (!g->tick_names) strata_internnames(L, g);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);                  // stack: [f]
    void *dump = NULL;
    size_t length = 0;
    int reusable = strata_dump(L, &dump, &length) == 0 && strata_tickreusable(dump, length);
    strata_freedump(dump);
    lua_pop(L, 1);                                           // stack: []
    if (reusable && !g->tick_table) {
        lua_createtable(L, 0, STRATA_TICK_NAMES);            // room for every field: no rehash
        g->tick_table = luaL_ref(L, LUA_REGISTRYINDEX);
        g->tick_fields = 0;
    } else if (!reusable && g->tick_table) {
        luaL_unref(L, LUA_REGISTRYINDEX, g->tick_table);
        g->tick_table = 0;
    }
    g->tick_function = reusable ? ref : 0;
    // What a tick touches first: the registry, the function, the globals, `state`, the tables.
    int n = 0;
    g->hot[n++] = lua_topointer(L, LUA_REGISTRYINDEX);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
    g->hot[n++] = lua_topointer(L, -1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    g->hot[n++] = lua_topointer(L, -1);
    lua_getfield(L, -1, "state");
    g->hot[n++] = lua_topointer(L, -1);
    lua_pop(L, 3);
    lua_rawgeti(L, LUA_REGISTRYINDEX, g->tick_names);
    g->hot[n++] = lua_topointer(L, -1);
    lua_pop(L, 1);
    if (g->tick_table) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, g->tick_table);
        g->hot[n++] = lua_topointer(L, -1);
        lua_pop(L, 1);
    }
    while (n < 8) g->hot[n++] = NULL;
}

void strata_releaseref(lua_State *L, int ref) {
    strata_guard *g = strata_getguard(L);
    if (ref > 0 && g->tick_function == ref) g->tick_function = 0;
    luaL_unref(L, LUA_REGISTRYINDEX, ref);
}

void strata_prefetch(lua_State *L) {
    strata_guard *g = strata_getguard(L);
    const char *l = (const char *)L;
    for (int i = 0; i < 4; i++) __builtin_prefetch(l + 64 * i);
    for (int i = 0; i < 8; i++) {
        const char *p = g->hot[i];
        if (p) { __builtin_prefetch(p); __builtin_prefetch(p + 64); }
    }
}

int strata_calltick(lua_State *L, int ref, const strata_tick *tick, uint64_t budget_ns) {
    strata_guard *g = strata_getguard(L);
    int phase = g->phase;
    g->phase = STRATA_PHASE_TICK;
    // The deadline starts before the tick table is built: an allocation may run a garbage
    // collector step (work the script made), which must not run outside any watched call.
    strata_watch_token token = strata_watch_begin(g, budget_ns);
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);                  // stack: [on_tick]
    if (g->tick_table && g->tick_function == ref) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, g->tick_table);    // stack: [on_tick, tick]
        lua_rawgeti(L, LUA_REGISTRYINDEX, g->tick_names);    // stack: [on_tick, tick, names]
        g->tick_fields = strata_filltick(L, tick, g->tick_fields);
        lua_pop(L, 1);                                       // stack: [on_tick, tick]
    } else {
        strata_pushtick(L, tick);                            // stack: [on_tick, tick]
    }
    int status = strata_pcall(L, 1, 0, budget_ns);       // nested in the watch above
    strata_watch_end(token);
    g->phase = phase;
    return status;
}
