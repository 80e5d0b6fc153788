// The `ta` library: constructors of indicator objects, and the methods every object has
// (update, value, ready, reset, period). Methods check their receiver against the metatable of
// their own kind, and every argument before any state changes: a misuse is a Lua error.
#include "strata_ta.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const ta_kind *const ta_kinds[] = {
    &ta_sma, &ta_ema, &ta_wma, &ta_rma, &ta_rsi, &ta_macd, &ta_bollinger, &ta_stdev,
    &ta_atr, &ta_highest, &ta_lowest, &ta_roc, &ta_vwap, &ta_crossover, &ta_crossunder, NULL,
};

void ta_clear(ta_obj *o) {
    o->ready = 0;
    memset(o->out, 0, sizeof o->out);
    memset(o->s, 0, sizeof o->s);
    memset(o->a, 0, (size_t)o->ncells * sizeof(ta_cell));
}

void ta_describe(const ta_obj *o, char *buffer, size_t size) {
    const ta_kind *kind = o->kind;
    if (kind->extra == TA_EXTRA_K) snprintf(buffer, size, "ta.%s(%d, %.14g)", kind->name, (int)o->p[0], o->k);
    else if (kind->periods == 3) snprintf(buffer, size, "ta.%s(%d, %d, %d)", kind->name, (int)o->p[0], (int)o->p[1], (int)o->p[2]);
    else if (kind->periods == 1 && o->p[0] > 0) snprintf(buffer, size, "ta.%s(%d)", kind->name, (int)o->p[0]);
    else snprintf(buffer, size, "ta.%s()", kind->name);
}

int strata_ta_describe(lua_State *L, int index, char *buffer, size_t size) {
    if (!lua_checkstack(L, 2)) return 0;
    const ta_obj *o = ta_toobj(L, index);
    if (!o) return 0;
    ta_describe(o, buffer, size);
    return 1;
}

// The receiver of a method whose first upvalue is its kind's metatable.
// stack: unchanged
static ta_obj *ta_checkself(lua_State *L) {
    ta_obj *o = lua_type(L, 1) == LUA_TUSERDATA ? lua_touserdata(L, 1) : NULL;
    if (o && lua_getmetatable(L, 1)) {                 // stack: [self, ..., mt]
        int same = lua_rawequal(L, -1, lua_upvalueindex(1));
        lua_pop(L, 1);
        if (same) return o;
    }
    lua_getfield(L, lua_upvalueindex(1), "__name");    // stack: [self, ..., name]
    luaL_typeerror(L, 1, lua_tostring(L, -1));
    return NULL;
}

static void ta_checkarity(lua_State *L, ta_obj *o, const char *method, int least, int most) {
    int given = lua_gettop(L) - 1;
    if (given >= least && given <= most) return;
    char what[64];
    ta_describe(o, what, sizeof what);
    luaL_error(L, "%s:%s takes %d argument%s, got %d", what, method, most, most == 1 ? "" : "s", given);
}

// Pushes the object's outputs (or nil while it warms up); returns how many.
static int ta_pushout(lua_State *L, const ta_obj *o) {
    if (!o->ready) {
        lua_pushnil(L);
        return 1;
    }
    int n = o->kind->nout;
    for (int i = 0; i < n; i++) {
        if (o->kind->boolean) lua_pushboolean(L, o->out[i] != 0);
        else lua_pushnumber(L, o->out[i]);
    }
    return n;
}

static int ta_badinput(lua_State *L, ta_obj *o, int i, const char *problem) {
    char what[64], message[160];
    ta_describe(o, what, sizeof what);
    snprintf(message, sizeof message, "%s: %s %s", what, o->kind->inputs[i], problem);
    return luaL_argerror(L, i + 2, message);
}

static int ta_update(lua_State *L) {
    ta_obj *o = ta_checkself(L);
    const ta_kind *kind = o->kind;
    ta_checkarity(L, o, "update", kind->nil_inputs ? 0 : kind->nin, kind->nin);
    double in[TA_MAX_IO], out[TA_MAX_IO];
    for (int i = 0; i < kind->nin; i++) {
        int type = lua_type(L, i + 2);
        if (type == LUA_TNUMBER) {
            double x = lua_tonumber(L, i + 2);
            if (!ta_bounded(x)) {
                char problem[80];
                if (x != x) snprintf(problem, sizeof problem, "must be a finite number, got nan");
                else snprintf(problem, sizeof problem, "must be a finite number within ±1e100, got %g", x);
                return ta_badinput(L, o, i, problem);
            }
            if ((kind->nonnegative >> i & 1) && x < 0) return ta_badinput(L, o, i, "must not be negative");
            in[i] = x;
        } else if (type <= LUA_TNIL && kind->nil_inputs) {
            in[i] = NAN;
        } else {
            char problem[80];
            snprintf(problem, sizeof problem, "must be a number%s, got %s", kind->nil_inputs ? " or nil" : "",
                     lua_typename(L, type));
            return ta_badinput(L, o, i, problem);
        }
    }
    o->ready = kind->update(o, in, out);
    if (o->ready) memcpy(o->out, out, (size_t)kind->nout * sizeof(double));
    return ta_pushout(L, o);
}

static int ta_value(lua_State *L) {
    ta_obj *o = ta_checkself(L);
    ta_checkarity(L, o, "value", 0, 0);
    return ta_pushout(L, o);
}

static int ta_ready(lua_State *L) {
    ta_obj *o = ta_checkself(L);
    ta_checkarity(L, o, "ready", 0, 0);
    lua_pushboolean(L, o->ready);
    return 1;
}

static int ta_reset(lua_State *L) {
    ta_obj *o = ta_checkself(L);
    ta_checkarity(L, o, "reset", 0, 0);
    ta_clear(o);
    return 0;
}

static int ta_period(lua_State *L) {
    ta_obj *o = ta_checkself(L);
    ta_checkarity(L, o, "period", 0, 0);
    int n = 0;
    for (; n < o->kind->periods && o->p[n] > 0; n++) lua_pushinteger(L, o->p[n]);
    if (o->kind->extra == TA_EXTRA_K) lua_pushnumber(L, o->k), n++;
    return n;
}

static int ta_tostring(lua_State *L) {
    char what[64];
    ta_describe(ta_checkself(L), what, sizeof what);
    lua_pushstring(L, what);
    return 1;
}

static const luaL_Reg ta_methods[] = {
    {"update", ta_update}, {"value", ta_value}, {"ready", ta_ready}, {"reset", ta_reset},
    {"period", ta_period}, {NULL, NULL},
};

void ta_pushmetatable(lua_State *L, const ta_kind *kind) {
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, kind) == LUA_TTABLE) return;  // stack: [mt]
    lua_pop(L, 1);
    lua_createtable(L, 0, 4);                   // stack: [mt]
    lua_pushfstring(L, "ta.%s", kind->name);
    lua_setfield(L, -2, "__name");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");         // getmetatable() sees false; nothing to reach
    lua_createtable(L, 0, 5);                   // stack: [mt, methods]
    for (const luaL_Reg *m = ta_methods; m->name; m++) {
        lua_pushvalue(L, -2);                   // stack: [mt, methods, mt]
        lua_pushcclosure(L, m->func, 1);        // stack: [mt, methods, method]
        lua_setfield(L, -2, m->name);
    }
    lua_setfield(L, -2, "__index");             // stack: [mt]
    lua_pushvalue(L, -1);
    lua_pushcclosure(L, ta_tostring, 1);
    lua_setfield(L, -2, "__tostring");
    lua_pushvalue(L, -1);                       // stack: [mt, mt]
    lua_rawsetp(L, LUA_REGISTRYINDEX, kind);    // stack: [mt]
}

ta_obj *ta_toobj(lua_State *L, int index) {
    if (lua_type(L, index) != LUA_TUSERDATA) return NULL;
    ta_obj *o = lua_touserdata(L, index);
    if (!lua_getmetatable(L, index)) return NULL;  // stack: [mt]
    const ta_kind *kind = NULL;
    for (const ta_kind *const *k = ta_kinds; *k && !kind; k++) {
        lua_rawgetp(L, LUA_REGISTRYINDEX, *k);  // stack: [mt, kind's mt?]
        if (lua_rawequal(L, -1, -2)) kind = *k;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return kind ? o : NULL;
}
