// A bound on what Lua 5.4.4's parser may cost, found before it runs.
//
// The parser runs where no hook fires, so a deadline cannot stop it. It is linear in the source
// except in a few places, each bounded here by a linear scan of the tokens that charges what the
// parser will do (one unit is about one step of one of its inner loops):
//
// - resolving a name walks the active locals of every enclosing function and their upvalues
//   (`singlevaraux`), twice for a global: a name costs twice the locals in scope and the
//   upvalues the enclosing functions can have;
// - an `elseif` appends to the chain's exit list by walking it (`luaK_concat`), and so does each
//   `and` / `or` of one expression: quadratic in the length of a chain;
// - a `goto` or a label walks the function's labels and pending gotos (`findlabel`,
//   `solvegotos`); a `goto` or `break` is moved out block by block (`movegotosout`).
//
// The scan over-estimates on purpose (a field name after `.` counts as a name; and/or chains are
// cut only at keywords and separators). It never refuses what the parser would refuse anyway for
// its own limits (nesting, 200 locals): those errors stay Lua's. Measured on Lua 5.4.4, the
// worst sources cost at most about 25 ns of parsing per unit (docs/decisions.md).
#include "strata_internal.h"

#include <string.h>

/// Most blocks the scan tracks; Lua refuses deeper nesting long before (200 C levels).
#define PC_MAXBLOCKS 256
/// Lua's bounds per function: active locals (MAXVARS) and upvalues.
#define PC_MAXLOCALS 200
#define PC_MAXUPVALUES 255
/// What one step of walking a jump list costs next to one step of walking locals (measured:
/// about 20 ns against 7 ns on a cold list).
#define PC_LISTSTEP 3

typedef struct pc_block {
    char function;   ///< this block is a function body
    short locals;    ///< locals declared in it so far
    int upvalues;    ///< for a function: most upvalues it can have (the locals around it, +1)
    int elseifs;     ///< `elseif`s of this `if` so far
} pc_block;

typedef struct pc_state {
    const unsigned char *p, *end;
    pc_block blocks[PC_MAXBLOCKS];
    int depth;           ///< open blocks (blocks[0] is the chunk, a function)
    int function;        ///< the innermost open function body
    int flocals;         ///< locals in scope in the innermost function
    int active;          ///< locals in scope, over all open functions
    int upvalues;        ///< most upvalues over all open functions
    int declaring;       ///< names that follow declare locals (after `local`, `for`, a parameter list)
    int andor;           ///< `and` / `or` in the current expression so far
    uint64_t gotos;      ///< gotos so far
    uint64_t labels;     ///< labels so far
    int afterlocal;      ///< the last word was `local` (so `function` names a local first)
    int openafter;       ///< `local function`: the body opens after its name is declared
    uint64_t cost;
} pc_state;

static int pc_isname(int c) { return c == '_' || ((c | 32) >= 'a' && (c | 32) <= 'z'); }
static int pc_isnamechar(int c) { return pc_isname(c) || (c >= '0' && c <= '9'); }

// Skips a long bracket `[==[ ... ]==]` whose opening starts at `p` (on '['). Returns 0 when `p`
// is not a long bracket.
static int pc_skiplong(pc_state *s) {
    const unsigned char *q = s->p + 1;
    size_t level = 0;
    while (q < s->end && *q == '=') { q++; level++; }
    if (q >= s->end || *q != '[') return 0;
    for (q++; q < s->end; q++) {
        if (*q != ']') continue;
        const unsigned char *r = q + 1;
        size_t n = 0;
        while (r < s->end && *r == '=') { r++; n++; }
        if (n == level && r < s->end && *r == ']') {
            s->p = r + 1;
            return 1;
        }
    }
    s->p = s->end;
    return 1;
}

static void pc_open(pc_state *s, int function) {
    if (s->depth + 1 >= PC_MAXBLOCKS) return;  // Lua refuses such nesting itself
    pc_block *b = &s->blocks[++s->depth];
    b->function = (char)function;
    b->locals = 0;
    b->elseifs = 0;
    b->upvalues = 0;
    if (function) {
        b->upvalues = s->active + 1 < PC_MAXUPVALUES ? s->active + 1 : PC_MAXUPVALUES;
        b->elseifs = s->flocals;  // kept here: the enclosing function's locals, restored at its end
        s->upvalues += b->upvalues;
        s->function = s->depth;
        s->flocals = 0;
    }
}

static void pc_close(pc_state *s) {
    if (s->depth == 0) return;
    pc_block *b = &s->blocks[s->depth--];
    s->active -= b->locals;
    if (b->function) {
        s->upvalues -= b->upvalues;
        s->flocals = b->elseifs;
        int f = s->depth;
        while (f > 0 && !s->blocks[f].function) f--;
        s->function = f;
    } else {
        s->flocals -= b->locals;
    }
}

static void pc_declare(pc_state *s) {
    if (s->flocals >= PC_MAXLOCALS) return;  // Lua refuses more itself
    s->blocks[s->depth].locals++;
    s->flocals++;
    s->active++;
}

#define PC_IS(kw) (n == sizeof(kw) - 1 && memcmp(w, kw, sizeof(kw) - 1) == 0)

// One name or keyword.
static void pc_word(pc_state *s, const unsigned char *w, size_t n) {
    int afterlocal = s->afterlocal;
    s->afterlocal = 0;
    if (n >= 2 && n <= 8) {
        switch (w[0]) {
        case 'a':
            if (PC_IS("and")) { s->cost += PC_LISTSTEP * (uint64_t)++s->andor; return; }
            break;
        case 'o':
            if (PC_IS("or")) { s->cost += PC_LISTSTEP * (uint64_t)++s->andor; return; }
            break;
        case 'b':
            if (PC_IS("break")) { s->cost += (uint64_t)s->depth; return; }
            break;
        case 'g':
            if (PC_IS("goto")) { s->cost += ++s->gotos + s->labels + (uint64_t)s->depth; return; }
            break;
        case 'd':
            // `while ... do` and `for ... do` open one block, at their `do`.
            if (PC_IS("do")) { pc_open(s, 0); s->declaring = 0; s->andor = 0; return; }
            break;
        case 'i':
            if (PC_IS("if")) { pc_open(s, 0); s->declaring = 0; s->andor = 0; return; }
            if (PC_IS("in")) { s->declaring = 0; s->andor = 0; return; }
            break;
        case 'r':
            if (PC_IS("repeat")) { pc_open(s, 0); s->declaring = 0; s->andor = 0; return; }
            if (PC_IS("return")) { s->declaring = 0; s->andor = 0; return; }
            break;
        case 'e':
            if (PC_IS("end")) { pc_close(s); s->declaring = 0; s->andor = 0; return; }
            if (PC_IS("else")) { s->andor = 0; return; }
            if (PC_IS("elseif")) {
                s->cost += PC_LISTSTEP * (uint64_t)++s->blocks[s->depth].elseifs;
                s->andor = 0;
                return;
            }
            break;
        case 'u':
            if (PC_IS("until")) { pc_close(s); s->declaring = 0; s->andor = 0; return; }
            break;
        case 'f':
            if (PC_IS("function")) {
                s->declaring = 1;
                s->andor = 0;
                if (afterlocal) s->openafter = 1;  // its name is a local of the enclosing block
                else pc_open(s, 1);
                return;
            }
            if (PC_IS("for")) { s->declaring = 1; s->andor = 0; return; }
            if (PC_IS("false")) return;
            break;
        case 'l':
            if (PC_IS("local")) { s->declaring = 1; s->andor = 0; s->afterlocal = 1; return; }
            break;
        case 't':
            if (PC_IS("then")) { s->andor = 0; return; }
            if (PC_IS("true")) return;
            break;
        case 'w':
            if (PC_IS("while")) { s->andor = 0; return; }
            break;
        case 'n':
            if (PC_IS("nil") || PC_IS("not")) return;
            break;
        }
    }
    // A name: resolving it walks the locals in scope and each enclosing function's upvalues,
    // twice for a global (the name, then _ENV).
    s->cost += 2 * ((uint64_t)s->active + (uint64_t)s->upvalues + 1);
    if (s->declaring) pc_declare(s);
    if (s->openafter) {
        s->openafter = 0;
        pc_open(s, 1);  // the parameters follow
    }
}

uint64_t strata_parsecost(const char *source, size_t length) {
    pc_state s;
    memset(&s, 0, sizeof s);
    s.p = (const unsigned char *)source;
    s.end = s.p + length;
    s.blocks[0].function = 1;
    s.blocks[0].upvalues = 1;  // _ENV
    s.upvalues = 1;
    while (s.p < s.end) {
        int c = *s.p;
        if (pc_isname(c)) {
            const unsigned char *w = s.p;
            while (s.p < s.end && pc_isnamechar(*s.p)) s.p++;
            pc_word(&s, w, (size_t)(s.p - w));
            continue;
        }
        if (c >= '0' && c <= '9') {
            // Numbers, with exponents' signs: never a name, never a keyword.
            for (s.p++; s.p < s.end; s.p++) {
                int d = *s.p;
                if ((d == '+' || d == '-') && strchr("eEpP", s.p[-1])) continue;
                if (!pc_isnamechar(d) && d != '.') break;
            }
            continue;
        }
        switch (c) {
        case '"': case '\'':
            for (s.p++; s.p < s.end && *s.p != c && *s.p != '\n'; s.p++)
                if (*s.p == '\\' && s.p + 1 < s.end) s.p++;
            s.p++;
            continue;
        case '[':
            if (pc_skiplong(&s)) continue;
            break;
        case '-':
            if (s.p + 1 < s.end && s.p[1] == '-') {
                s.p += 2;
                if (s.p < s.end && *s.p == '[' && pc_skiplong(&s)) continue;
                while (s.p < s.end && *s.p != '\n') s.p++;
                continue;
            }
            break;
        case ':':
            if (s.p + 1 < s.end && s.p[1] == ':') {  // a label: walks labels and pending gotos
                s.cost += ++s.labels + s.gotos;
                s.p += 2;
                continue;
            }
            break;
        case '(':
            break;
        case ')':
            s.declaring = 0;  // the end of a parameter list
            break;
        case '=': case ';': case ',':
            s.andor = 0;
            if (c == '=' && s.declaring) s.declaring = 0;  // `local a = ...`, `for i = ...`
            break;
        case '.':
            break;
        default:
            break;
        }
        s.p++;
    }
    return s.cost;
}
