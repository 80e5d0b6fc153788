// Whether an `on_tick` function can keep its tick table: a scan of its bytecode.
//
// Building a fresh tick table per call is the only allocation of a quiet strategy's tick, and
// with it the only garbage collector work. The table may be reused only when no script can
// tell: when `on_tick` reads fields of its first parameter and nothing else — no copy of it to
// another register (so no call, return, store or comparison), no closure capturing it, no write
// to it. The scan reads the host's own `lua_dump` of the function (Lua 5.4's dump format and
// opcodes) and answers "no" to anything it does not recognise.
#include "strata_internal.h"

#include <string.h>

// Lua 5.4 opcodes the scan needs by number (lopcodes.h).
enum {
    OP_MOVE = 0, OP_LOADNIL = 8, OP_GETUPVAL = 9, OP_SETUPVAL = 10, OP_GETTABUP = 11,
    OP_GETTABLE = 12, OP_GETI = 13, OP_GETFIELD = 14, OP_SETTABUP = 15, OP_SETTABLE = 16,
    OP_SETI = 17, OP_SETFIELD = 18, OP_NEWTABLE = 19, OP_SELF = 20, OP_ADDI = 21, OP_SHLI = 33,
    OP_ADD = 34, OP_SHR = 45, OP_MMBIN = 46, OP_MMBINI = 47, OP_MMBINK = 48, OP_UNM = 49, OP_LT = 58,
    OP_LEN = 52, OP_JMP = 56, OP_EQ = 57, OP_LE = 59, OP_EQK = 60, OP_GEI = 65, OP_TEST = 66,
    OP_TESTSET = 67, OP_RETURN0 = 71, OP_VARARGPREP = 81, OP_EXTRAARG = 82, OP_LAST = 82,
};

#define ARG_A(i) (((i) >> 7) & 0xff)
#define ARG_K(i) (((i) >> 15) & 1)
#define ARG_B(i) (((i) >> 16) & 0xff)
#define ARG_C(i) (((i) >> 24) & 0xff)

// Whether instruction `i` may touch register 0 in any way other than reading a field of it.
static int strata_touchesfirst(unsigned int i) {
    int op = (int)(i & 0x7f), a = ARG_A(i), b = ARG_B(i), c = ARG_C(i), k = ARG_K(i);
    if (op > OP_LAST) return 1;
    switch (op) {
    case OP_GETTABLE: return a == 0 || c == 0;                 // R[A] := R[B][R[C]]: B may be 0
    case OP_GETI: case OP_GETFIELD: return a == 0;             // R[A] := R[B][...]: B may be 0
    case OP_TEST: return 0;                                    // if R[A] ...: truth only
    case OP_JMP: case OP_RETURN0: case OP_EXTRAARG: case OP_VARARGPREP: return 0;
    case OP_GETUPVAL: case OP_NEWTABLE: return a == 0;         // writes R[A] only
    case OP_SETUPVAL: return a == 0;                           // reads R[A]
    case OP_GETTABUP: return a == 0;
    case OP_SETTABUP: return !k && c == 0;                     // UpValue[A][K[B]] := RK(C)
    case OP_SETI: case OP_SETFIELD: return a == 0 || (!k && c == 0);
    case OP_SETTABLE: case OP_SELF: return a == 0 || b == 0 || (!k && c == 0);
    case OP_MMBIN: case OP_EQ: case OP_LT: case OP_LE: return a == 0 || b == 0;
    case OP_MMBINI: case OP_MMBINK: return a == 0;
    default: break;
    }
    if (op == OP_MOVE || (op >= OP_ADDI && op <= OP_SHLI) || (op >= OP_UNM && op <= OP_LEN) || op == OP_TESTSET)
        return a == 0 || b == 0;                               // R[A] := f(R[B], K or immediate)
    if (op >= OP_ADD && op <= OP_SHR) return a == 0 || b == 0 || c == 0;
    if (op >= OP_EQK && op <= OP_GEI) return a == 0;
    return a == 0;  // loads, ranges (calls, returns, loops, concat, varargs, closures...): from A up
}

typedef struct strata_reader {
    const unsigned char *p, *end;
    int ok;
} strata_reader;

static unsigned char strata_byte(strata_reader *r) {
    if (r->p >= r->end) { r->ok = 0; return 0; }
    return *r->p++;
}

static size_t strata_size(strata_reader *r) {  // ldump.c's dumpSize: 7 bits a byte, last has 0x80
    size_t x = 0;
    for (int n = 0; n < 10 && r->ok; n++) {
        unsigned char b = strata_byte(r);
        x = (x << 7) | (b & 0x7f);
        if (b & 0x80) return x;
    }
    r->ok = 0;
    return 0;
}

static void strata_skip(strata_reader *r, size_t n) {
    if ((size_t)(r->end - r->p) < n) { r->ok = 0; r->p = r->end; } else r->p += n;
}

static void strata_skipstring(strata_reader *r) {
    size_t size = strata_size(r);
    if (size) strata_skip(r, size - 1);
}

// Reads one function of the dump. For the top one (`top`), answers whether register 0 only has
// fields read; for a nested one, whether it captures its parent's register 0.
static int strata_scanfunction(strata_reader *r, int top, int depth) {
    int safe = 1;
    if (depth > 200) { r->ok = 0; return 0; }
    strata_skipstring(r);                                      // source
    strata_size(r);                                            // linedefined
    strata_size(r);                                            // lastlinedefined
    int numparams = strata_byte(r), vararg = strata_byte(r);
    strata_byte(r);                                            // maxstacksize
    size_t ncode = strata_size(r);
    if (!r->ok || (size_t)(r->end - r->p) / 4 < ncode) { r->ok = 0; return 0; }
    if (top && numparams == 0 && vararg) safe = 0;             // the tick is in `...`
    for (size_t n = 0; top && numparams > 0 && n < ncode && safe; n++) {
        unsigned int i;
        memcpy(&i, r->p + 4 * n, 4);
        safe = !strata_touchesfirst(i);
    }
    strata_skip(r, 4 * ncode);
    size_t nk = strata_size(r);
    for (size_t n = 0; n < nk && r->ok; n++) {
        int tag = strata_byte(r);
        if (tag == 3 || tag == 19) strata_skip(r, 8);          // integer, float
        else if (tag == 4 || tag == 20) strata_skipstring(r);  // short, long string
        else if (tag != 0 && tag != 1 && tag != 17) r->ok = 0; // nil, false, true
    }
    size_t nup = strata_size(r);
    for (size_t n = 0; n < nup && r->ok; n++) {
        int instack = strata_byte(r), idx = strata_byte(r);
        strata_byte(r);                                        // kind
        if (!top && instack && idx == 0) safe = 0;             // captures the parent's R[0]
    }
    size_t nprotos = strata_size(r);
    for (size_t n = 0; n < nprotos && r->ok; n++) {
        if (!strata_scanfunction(r, 0, depth + 1) && top) safe = 0;
    }
    strata_skip(r, strata_size(r));                            // lineinfo
    size_t nabs = strata_size(r);
    for (size_t n = 0; n < nabs && r->ok; n++) { strata_size(r); strata_size(r); }
    size_t nlocals = strata_size(r);
    for (size_t n = 0; n < nlocals && r->ok; n++) { strata_skipstring(r); strata_size(r); strata_size(r); }
    size_t nnames = strata_size(r);
    for (size_t n = 0; n < nnames && r->ok; n++) strata_skipstring(r);
    return r->ok && safe;
}

int strata_tickreusable(const void *dump, size_t len) {
    static const unsigned char header[] = {0x1b, 'L', 'u', 'a', 0x54, 0, 0x19, 0x93, '\r', '\n', 0x1a, '\n', 4, 8, 8};
    if (len < 32 || memcmp(dump, header, sizeof header) != 0) return 0;
    strata_reader r = {(const unsigned char *)dump + 31, (const unsigned char *)dump + len, 1};
    strata_byte(&r);                                           // upvalue count
    return strata_scanfunction(&r, 1, 0) && r.ok && r.p == r.end;
}
