// The `ta` table: one constructor per kind (`ta.sma(20)`, `ta.bollinger(20, 2)`, ...). Every
// argument is checked before anything is allocated; the object is one userdata, so its buffers
// count against the state's memory cap (a period the cap cannot hold stops the call there).
#include "strata_ta.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int ta_badarg(lua_State *L, const ta_kind *kind, int arg, const char *problem) {
    return luaL_error(L, "bad argument #%d to 'ta.%s' (%s)", arg, kind->name, problem);
}

// A period at `arg`: an integer (or an integral float) from 1 to TA_MAX_PERIOD.
static int32_t ta_checkperiod(lua_State *L, const ta_kind *kind, int arg) {
    char problem[120];
    int type = lua_type(L, arg);
    if (type == LUA_TNUMBER) {
        double x = lua_tonumber(L, arg);
        if (x >= 1 && x <= TA_MAX_PERIOD && x == floor(x)) return (int32_t)x;
        snprintf(problem, sizeof problem, "period must be an integer from 1 to %d, got %.14g", TA_MAX_PERIOD, x);
    } else {
        snprintf(problem, sizeof problem, "period must be an integer from 1 to %d, got %s", TA_MAX_PERIOD,
                 type == LUA_TNONE ? "no value" : lua_typename(L, type));
    }
    ta_badarg(L, kind, arg, problem);
    return 0;
}

static int ta_new(lua_State *L) {
    const ta_kind *kind = lua_touserdata(L, lua_upvalueindex(1));
    int most = kind->periods + (kind->extra != TA_EXTRA_NONE && kind->extra != TA_EXTRA_OPTIONAL_PERIOD);
    int given = lua_gettop(L);
    if (given > most)
        return luaL_error(L, "ta.%s takes at most %d argument%s, got %d", kind->name, most, most == 1 ? "" : "s", given);
    int32_t p[3] = {0, 0, 0};
    for (int i = 0; i < kind->periods; i++) {
        if (kind->extra == TA_EXTRA_OPTIONAL_PERIOD && lua_isnoneornil(L, i + 1)) continue;
        p[i] = ta_checkperiod(L, kind, i + 1);
    }
    double k = 0;
    if (kind->extra == TA_EXTRA_K) {
        int arg = kind->periods + 1;
        k = 2;
        if (!lua_isnoneornil(L, arg)) {
            double x = lua_type(L, arg) == LUA_TNUMBER ? lua_tonumber(L, arg) : NAN;
            if (!(x >= 0 && x <= 1000)) {
                char problem[120];
                snprintf(problem, sizeof problem, "multiplier must be a number from 0 to 1000, got %s",
                         lua_type(L, arg) == LUA_TNUMBER ? lua_tostring(L, arg) : luaL_typename(L, arg));
                return ta_badarg(L, kind, arg, problem);
            }
            k = x;
        }
    }
    int64_t cells = kind->cells(p);
    ta_obj *o = lua_newuserdatauv(L, sizeof(ta_obj) + (size_t)cells * sizeof(ta_cell), 0);  // stack: [..., o]
    memset(o, 0, sizeof(ta_obj));
    o->kind = kind;
    memcpy(o->p, p, sizeof p);
    o->k = k;
    o->ncells = cells;
    ta_clear(o);
    ta_pushmetatable(L, kind);                  // stack: [..., o, mt]
    lua_setmetatable(L, -2);                    // stack: [..., o]
    return 1;
}

int strata_open_ta(lua_State *L) {
    int count = 0;
    while (ta_kinds[count]) count++;
    lua_createtable(L, 0, count);               // stack: [lib]
    for (int i = 0; i < count; i++) {
        lua_pushlightuserdata(L, (void *)ta_kinds[i]);
        lua_pushcclosure(L, ta_new, 1);         // stack: [lib, constructor]
        lua_setfield(L, -2, ta_kinds[i]->name);
    }
    return 1;
}
