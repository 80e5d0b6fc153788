// Indicator objects in snapshots (strata_snapshot.c, tag TA). An object is written as its
// kind's stable id, its parameters, its last outputs, its slots and its cells, all as numbers;
// reading checks each against what a live object of that kind can hold (periods in bounds,
// the cell count the periods imply, indices inside buffers, numbers finite) before the
// object exists, so crafted bytes give "corrupt snapshot: ...", never an inconsistent object.
#include "strata_ta.h"

#include <math.h>
#include <string.h>

// Fixed part: id, three periods (4 bytes each), k, ready, outputs, slots, cell count.
#define TA_FIXED_BYTES (1 + 3 * 4 + 8 + 1 + 8 * TA_MAX_IO + 8 * TA_SLOTS + 8)

const char *ta_check_inputs(const ta_obj *o, int64_t from, int64_t to) {
    for (int64_t i = from; i < to; i++)
        if (!ta_bounded(o->a[i].d)) return "a buffer holds a value out of range";
    return NULL;
}

size_t strata_ta_encodedsize(const ta_obj *o) { return TA_FIXED_BYTES + 8 * (size_t)o->ncells; }

static uint8_t *put64(uint8_t *at, uint64_t v) {
    for (int i = 0; i < 8; i++) *at++ = (uint8_t)(v >> (8 * i));
    return at;
}

static uint8_t *put32(uint8_t *at, uint32_t v) {
    for (int i = 0; i < 4; i++) *at++ = (uint8_t)(v >> (8 * i));
    return at;
}

static uint64_t bits(double x) {
    uint64_t v;
    memcpy(&v, &x, 8);
    return v;
}

void strata_ta_encode(const ta_obj *o, uint8_t *at) {
    *at++ = o->kind->id;
    for (int i = 0; i < 3; i++) at = put32(at, (uint32_t)o->p[i]);
    at = put64(at, bits(o->k));
    *at++ = (uint8_t)o->ready;
    for (int i = 0; i < TA_MAX_IO; i++) at = put64(at, bits(o->out[i]));
    for (int i = 0; i < TA_SLOTS; i++) at = put64(at, (uint64_t)o->s[i].i);
    at = put64(at, (uint64_t)o->ncells);
    for (int64_t i = 0; i < o->ncells; i++) at = put64(at, (uint64_t)o->a[i].i);
}

static uint64_t get64(const uint8_t *at) {
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)at[i] << (8 * i);
    return v;
}

static double getdouble(const uint8_t *at) {
    uint64_t v = get64(at);
    double x;
    memcpy(&x, &v, 8);
    return x;
}

static int corrupt(lua_State *L, const char *what) { return luaL_error(L, "corrupt snapshot: %s", what); }

// Checks the parameters of `kind` read from a snapshot.
static const char *ta_check_parameters(const ta_kind *kind, const int32_t *p, double k) {
    for (int i = 0; i < 3; i++) {
        int optional = kind->extra == TA_EXTRA_OPTIONAL_PERIOD && p[i] == 0;
        if (i < kind->periods && !optional && (p[i] < 1 || p[i] > TA_MAX_PERIOD)) return "an indicator's period is out of range";
        if (i >= kind->periods && p[i] != 0) return "an indicator has a period its kind does not take";
    }
    if (kind->extra == TA_EXTRA_K ? !(k >= 0 && k <= 1000) : bits(k) != 0) return "an indicator's multiplier is out of range";
    return NULL;
}

int strata_ta_decode(lua_State *L, const uint8_t *bytes, size_t length, size_t *used) {
    if (length < TA_FIXED_BYTES) return corrupt(L, "an indicator ends early");
    const uint8_t *at = bytes;
    const ta_kind *kind = NULL;
    for (const ta_kind *const *k = ta_kinds; *k; k++)
        if ((*k)->id == *at) kind = *k;
    if (!kind) return corrupt(L, "an indicator of an unknown kind");
    at++;
    int32_t p[3];
    for (int i = 0; i < 3; i++, at += 4)
        p[i] = (int32_t)(at[0] | (uint32_t)at[1] << 8 | (uint32_t)at[2] << 16 | (uint32_t)at[3] << 24);
    double k = getdouble(at);
    at += 8;
    const char *why = ta_check_parameters(kind, p, k);
    if (why) return corrupt(L, why);
    int64_t cells = kind->cells(p);
    const uint8_t *cells_at = bytes + TA_FIXED_BYTES;
    if (get64(cells_at - 8) != (uint64_t)cells) return corrupt(L, "an indicator's buffer does not fit its periods");
    if ((uint64_t)cells > (length - TA_FIXED_BYTES) / 8) return corrupt(L, "an indicator's buffer runs past its end");
    // Everything the size depends on is checked: now the object may be allocated.
    ta_obj *o = lua_newuserdatauv(L, sizeof(ta_obj) + (size_t)cells * sizeof(ta_cell), 0);  // stack: [o]
    memset(o, 0, sizeof(ta_obj));
    o->kind = kind;
    memcpy(o->p, p, sizeof p);
    o->k = k;
    o->ncells = cells;
    uint8_t ready = *at++;
    for (int i = 0; i < TA_MAX_IO; i++, at += 8) o->out[i] = getdouble(at);
    for (int i = 0; i < TA_SLOTS; i++, at += 8) o->s[i].i = (int64_t)get64(at);
    at += 8;
    for (int64_t i = 0; i < cells; i++, at += 8) o->a[i].i = (int64_t)get64(at);
    if (ready > 1) return corrupt(L, "an indicator's ready flag is not 0 or 1");
    o->ready = ready;
    for (int i = 0; i < TA_MAX_IO; i++) {
        int bad = kind->boolean ? o->out[i] != 0 && o->out[i] != 1 : !ta_finite(o->out[i]);
        if (bad || (i >= kind->nout && bits(o->out[i]) != 0)) return corrupt(L, "an indicator's last value is out of range");
    }
    why = kind->check(o);
    if (why) return luaL_error(L, "corrupt snapshot: %s (%s)", why, kind->name);
    ta_pushmetatable(L, kind);                  // stack: [o, mt]
    lua_setmetatable(L, -2);                    // stack: [o]
    *used = (size_t)(at - bytes);
    return 1;
}
