// Building tick tables, the one allocation of the tick hot path.
#include "strata_lua.h"

#include <math.h>

static const char *const strata_tick_names[STRATA_TICK_FIELDS] = {"volume", "bid", "ask", "open", "high", "low"};

void strata_pushtick(lua_State *L, const strata_tick *tick) {
    int fields = 3;
    for (int i = 0; i < STRATA_TICK_FIELDS; i++) fields += !isnan(tick->optional[i]);
    if (!isnan(tick->optional[STRATA_TICK_OPEN])) fields++;    // close
    lua_createtable(L, 0, fields);                              // stack: [tick], sized: no rehash
    lua_pushlstring(L, tick->market, tick->market_length);
    lua_setfield(L, -2, "market");
    lua_pushnumber(L, tick->ts);
    lua_setfield(L, -2, "ts");
    lua_pushnumber(L, tick->price);
    lua_setfield(L, -2, "price");
    for (int i = 0; i < STRATA_TICK_FIELDS; i++) {
        if (isnan(tick->optional[i])) continue;
        lua_pushnumber(L, tick->optional[i]);
        lua_setfield(L, -2, strata_tick_names[i]);
    }
    if (!isnan(tick->optional[STRATA_TICK_OPEN])) {             // a bar: close is the price
        lua_pushnumber(L, tick->price);
        lua_setfield(L, -2, "close");
    }
}

int strata_calltick(lua_State *L, int ref, const strata_tick *tick, uint64_t budget_ns) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, ref);                     // stack: [on_tick]
    strata_pushtick(L, tick);                                   // stack: [on_tick, tick]
    return strata_pcall(L, 1, 0, budget_ns);
}
