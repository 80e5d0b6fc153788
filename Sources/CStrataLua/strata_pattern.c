// Lua 5.4 pattern matching (string.find, match, gmatch, gsub) that a deadline can stop.
//
// Lua's own matcher runs entirely in C, where a count hook never fires: a catastrophic pattern
// such as `string.rep("a", 5000):find(".-.-.-.-.-.-b")` would run for hours and the watchdog
// could not stop it. This is an independent implementation of the same language (Lua 5.4
// Reference Manual, §6.4.1) with the same results, argument handling and error messages, that
// polls `strata_checkkilled` every PM_POLL_EVERY units of work.
//
// `strata_checkkilled` raises with a longjmp, so nothing here may own heap memory across a poll:
// match state lives on the C stack (find, match, gsub) or in a userdata (gmatch), and gsub builds
// its result in a luaL_Buffer, which lives on the Lua stack.
//
// Design: a recursive backtracking matcher. Lua patterns have no alternation and no nested
// quantifiers, so each quantified item is a single character class, which makes backtracking
// simple: a greedy item measures its longest run first and gives characters back one at a time.
// Recursion happens only where backtracking needs it (quantifiers, captures), and its depth is
// capped at PM_MAXDEPTH, as in Lua, to keep the C stack safe.

#include "strata_lua.h"

#include <ctype.h>
#include <string.h>

/// Most captures a pattern may hold (Lua's LUA_MAXCAPTURES).
#define PM_MAXCAP 32
/// Deepest nesting of `pm_match` calls before "pattern too complex" (Lua's MAXCCALLS).
#define PM_MAXDEPTH 200
/// Units of work between two polls of the kill flag; a unit is one pattern item tried at one
/// subject position, or 16 bytes scanned in bulk (runs, back-references, %b, plain find).
#define PM_POLL_EVERY 1024
/// `len` of a capture whose ')' has not been reached yet.
#define PM_OPEN (-1)
/// `len` of a position capture `()`: it records where it stood, not a substring.
#define PM_POSITION (-2)

typedef struct pm_capture {
    const char *start;  ///< where the capture begins in the subject
    ptrdiff_t len;      ///< its length, or PM_OPEN / PM_POSITION
} pm_capture;

typedef struct pm_state {
    lua_State *L;          ///< the thread that raises errors (gmatch may resume in another)
    const char *subj;      ///< subject start: positions and %f look back to here, not to init
    const char *subj_end;  ///< one past the subject's last byte
    const char *pat_end;   ///< one past the pattern's last byte (patterns may hold '\0')
    int depth;             ///< nested `pm_match` calls still allowed
    int fuel;              ///< units of work left before the next poll
    int ncap;              ///< captures opened so far, closed or not
    pm_capture cap[PM_MAXCAP];
} pm_state;

static const char *pm_match(pm_state *ms, const char *s, const char *p);

static inline int pm_byte(const char *c) { return (unsigned char)*c; }

// MARK: - Polling

// Rare (once per PM_POLL_EVERY units): the hot path is only the decrement and test in `pm_burn`.
static void pm_poll(pm_state *ms) {
    ms->fuel = PM_POLL_EVERY;
    strata_checkkilled(ms->L);
}

/// Charges `units` of work and polls when the fuel runs out.
static inline void pm_burn(pm_state *ms, size_t units) {
    // Clamped so a huge bulk scan cannot overflow `fuel`; one poll is due either way.
    ms->fuel -= units > PM_POLL_EVERY ? PM_POLL_EVERY : (int)units;
    if (ms->fuel <= 0) pm_poll(ms);
}

static void pm_init(pm_state *ms, lua_State *L, const char *s, size_t ls, const char *p, size_t lp) {
    ms->L = L;
    ms->subj = s;
    ms->subj_end = s + ls;
    ms->pat_end = p + lp;
    ms->fuel = PM_POLL_EVERY;
}

/// Prepares for one match attempt; the fuel carries over so polls stay evenly spaced.
static inline void pm_reset(pm_state *ms) {
    ms->depth = PM_MAXDEPTH;
    ms->ncap = 0;
}

// MARK: - Character classes

/// Whether byte `c` is in class `%cl`. An upper-case class letter is the complement; any other
/// character after '%' stands for itself (how Lua escapes magic characters).
static int pm_class(int c, int cl) {
    int in;
    switch (tolower(cl)) {
    case 'a': in = isalpha(c); break;
    case 'c': in = iscntrl(c); break;
    case 'd': in = isdigit(c); break;
    case 'g': in = isgraph(c); break;
    case 'l': in = islower(c); break;
    case 'p': in = ispunct(c); break;
    case 's': in = isspace(c); break;
    case 'u': in = isupper(c); break;
    case 'w': in = isalnum(c); break;
    case 'x': in = isxdigit(c); break;
    case 'z': in = (c == 0); break;  // deprecated since 5.2, still accepted by 5.4
    default: return cl == c;
    }
    return isupper(cl) ? !in : in != 0;
}

/// Whether byte `c` is in the set from `open` ('[') to `close` (its ']').
static int pm_inset(int c, const char *open, const char *close) {
    const char *p = open + 1;
    int member = 1;  // what to answer when c is listed: flipped by a leading '^'
    if (*p == '^') {
        member = 0;
        p++;
    }
    for (; p < close; p++) {
        if (*p == '%') {
            p++;
            if (pm_class(c, pm_byte(p))) return member;
        } else if (p + 2 < close && p[1] == '-') {
            // A '-' first or last in the set is literal; anywhere else it makes a range.
            if (pm_byte(p) <= c && c <= pm_byte(p + 2)) return member;
            p += 2;
        } else if (pm_byte(p) == c) {
            return member;
        }
    }
    return !member;
}

/// Where the single-character class starting at `p` ends (a quantifier may follow there).
/// Raises for malformed classes, only once the matcher reaches them, as Lua does.
static const char *pm_item_end(pm_state *ms, const char *p) {
    const char *end = ms->pat_end;
    const char *start = p;
    char c = *p++;
    if (c == '%') {
        if (p >= end) luaL_error(ms->L, "malformed pattern (ends with '%%')");
        return p + 1;
    }
    if (c != '[') return p;
    if (p < end && *p == '^') p++;
    // The first member is taken before looking for ']', so "[]]" and "[^]]" hold ']'.
    do {
        if (p >= end) luaL_error(ms->L, "malformed pattern (missing ']')");
        c = *p++;
        if (c == '%' && p < end) p++;  // "%]" is a member, not the end
    } while (p >= end || *p != ']');
    pm_burn(ms, (size_t)(p - start) >> 4);  // a set is scanned whole: charged by its length
    return p + 1;
}

/// Whether the class from `p` to `ep` matches the byte at `s` (never past the subject's end).
/// A set costs its length (in units of 16 bytes) on every test: a set of a million members is
/// a million steps, never one unit between two polls.
static inline int pm_single(pm_state *ms, const char *s, const char *p, const char *ep) {
    if (s >= ms->subj_end) return 0;
    int c = pm_byte(s);
    switch (*p) {
    case '.': return 1;
    case '%': return pm_class(c, pm_byte(p + 1));
    case '[':
        if (ep - p > 16) pm_burn(ms, (size_t)(ep - p) >> 4);
        return pm_inset(c, p, ep - 1);
    default: return pm_byte(p) == c;
    }
}

// MARK: - Pattern items that need more than one character

/// `%bxy` (pattern `p` points at x): a balanced x...y run starting at `s`.
static const char *pm_balance(pm_state *ms, const char *s, const char *p) {
    if (p + 1 >= ms->pat_end) luaL_error(ms->L, "malformed pattern (missing arguments to '%%b')");
    if (s >= ms->subj_end || *s != p[0]) return NULL;
    const char *from = s;
    int open = p[0], close = p[1], nesting = 1;
    while (++s < ms->subj_end) {
        // The closer is tested first, so %bxx ends at the second x.
        if (*s == close) {
            if (--nesting == 0) break;
        } else if (*s == open) {
            nesting++;
        }
    }
    pm_burn(ms, (size_t)(s - from) >> 4);
    return s < ms->subj_end ? s + 1 : NULL;
}

/// `%f[set]` (pattern `p` points at '%'): the frontier where the previous byte (or '\0' at the
/// subject's start) is outside the set and the next (or '\0' at its end) is inside. Returns
/// where the pattern continues, or NULL when `s` is no such frontier.
static const char *pm_frontier(pm_state *ms, const char *s, const char *p) {
    p += 2;
    if (p >= ms->pat_end || *p != '[') luaL_error(ms->L, "missing '[' after '%%f' in pattern");
    const char *ep = pm_item_end(ms, p);
    int before = s == ms->subj ? 0 : pm_byte(s - 1);
    int after = s < ms->subj_end ? pm_byte(s) : 0;
    if (!pm_inset(before, p, ep - 1) && pm_inset(after, p, ep - 1)) return ep;
    return NULL;
}

/// `%1`-`%9`: the text of an earlier, closed capture again.
static const char *pm_backref(pm_state *ms, const char *s, int digit) {
    int i = digit - '1';
    if (i < 0 || i >= ms->ncap || ms->cap[i].len == PM_OPEN)
        luaL_error(ms->L, "invalid capture index %%%d", i + 1);
    ptrdiff_t len = ms->cap[i].len;
    // A position capture has no text, so a reference to it never matches.
    if (len < 0 || len > ms->subj_end - s) return NULL;
    pm_burn(ms, (size_t)len >> 4);
    return memcmp(ms->cap[i].start, s, (size_t)len) == 0 ? s + len : NULL;
}

// MARK: - Captures

/// '(' at `p`: opens a capture, then matches the rest; the capture is dropped if that fails.
static const char *pm_open(pm_state *ms, const char *s, const char *p) {
    int position = p + 1 < ms->pat_end && p[1] == ')';
    if (ms->ncap >= PM_MAXCAP) luaL_error(ms->L, "too many captures");
    pm_capture *cap = &ms->cap[ms->ncap++];
    cap->start = s;
    cap->len = position ? PM_POSITION : PM_OPEN;
    const char *e = pm_match(ms, s, p + (position ? 2 : 1));
    if (e == NULL) ms->ncap--;
    return e;
}

/// ')' just before `p`: closes the innermost open capture, then matches the rest; reopens it if
/// that fails, since backtracking may close it elsewhere.
static const char *pm_close(pm_state *ms, const char *s, const char *p) {
    int i = ms->ncap - 1;
    while (i >= 0 && ms->cap[i].len != PM_OPEN) i--;
    if (i < 0) luaL_error(ms->L, "invalid pattern capture");
    ms->cap[i].len = s - ms->cap[i].start;
    const char *e = pm_match(ms, s, p);
    if (e == NULL) ms->cap[i].len = PM_OPEN;
    return e;
}

// MARK: - Quantifiers

/// `*` and `+`: the longest run of the class first, then one byte shorter at a time.
static const char *pm_greedy(pm_state *ms, const char *s, const char *p, const char *ep) {
    size_t run = 0;
    while (pm_single(ms, s + run, p, ep)) run++;
    pm_burn(ms, run >> 4);
    for (;;) {
        const char *e = pm_match(ms, s + run, ep + 1);
        if (e != NULL || run == 0) return e;
        run--;
    }
}

/// `-`: the rest of the pattern first, then one more byte of the class at a time.
static const char *pm_lazy(pm_state *ms, const char *s, const char *p, const char *ep) {
    for (;;) {
        const char *e = pm_match(ms, s, ep + 1);
        if (e != NULL) return e;
        if (!pm_single(ms, s, p, ep)) return NULL;
        s++;
    }
}

// MARK: - The matcher

/// Matches single-character items in a loop and hands over to a recursive helper wherever
/// backtracking may be needed. Returns the end of the match, or NULL.
static const char *pm_run(pm_state *ms, const char *s, const char *p) {
    for (;;) {
        pm_burn(ms, 1);
        if (p == ms->pat_end) return s;
        switch (*p) {
        case '(':
            return pm_open(ms, s, p);
        case ')':
            return pm_close(ms, s, p + 1);
        case '$':
            // Only a final '$' anchors; elsewhere it is an ordinary character.
            if (p + 1 == ms->pat_end) return s == ms->subj_end ? s : NULL;
            break;
        case '%':
            if (p + 1 == ms->pat_end) break;  // pm_item_end reports it
            if (p[1] == 'b') {
                if ((s = pm_balance(ms, s, p + 2)) == NULL) return NULL;
                p += 4;
                continue;
            }
            if (p[1] == 'f') {
                if ((p = pm_frontier(ms, s, p)) == NULL) return NULL;
                continue;
            }
            if (p[1] >= '0' && p[1] <= '9') {
                if ((s = pm_backref(ms, s, pm_byte(p + 1))) == NULL) return NULL;
                p += 2;
                continue;
            }
            break;
        default:
            break;
        }
        const char *ep = pm_item_end(ms, p);
        int quantifier = ep < ms->pat_end ? *ep : 0;
        if (!pm_single(ms, s, p, ep)) {
            // Items that may match nothing are skipped; anything else fails here.
            if (quantifier != '*' && quantifier != '?' && quantifier != '-') return NULL;
            p = ep + 1;
            continue;
        }
        switch (quantifier) {
        case '?': {
            const char *e = pm_match(ms, s + 1, ep + 1);
            if (e != NULL) return e;
            p = ep + 1;
            continue;
        }
        case '+': return pm_greedy(ms, s + 1, p, ep);
        case '*': return pm_greedy(ms, s, p, ep);
        case '-': return pm_lazy(ms, s, p, ep);
        default:
            s++;
            p = ep;
            continue;
        }
    }
}

/// Matches pattern `p` (up to `pat_end`) at subject position `s`; the depth limit applies here.
static const char *pm_match(pm_state *ms, const char *s, const char *p) {
    if (ms->depth-- == 0) luaL_error(ms->L, "pattern too complex");
    s = pm_run(ms, s, p);
    ms->depth++;
    return s;
}

// MARK: - Results

/// Capture `i` for output: its text and length, or NULL for a position capture, whose 1-based
/// position goes to `*pos`. With no captures, capture 0 is the whole match `s`..`e`.
static const char *pm_capture_at(pm_state *ms, int i, const char *s, const char *e,
                                 size_t *len, lua_Integer *pos) {
    if (i >= ms->ncap) {
        if (i != 0) luaL_error(ms->L, "invalid capture index %%%d", i + 1);
        *len = (size_t)(e - s);
        return s;
    }
    const pm_capture *cap = &ms->cap[i];
    if (cap->len == PM_OPEN) luaL_error(ms->L, "unfinished capture");
    if (cap->len == PM_POSITION) {
        *pos = (cap->start - ms->subj) + 1;
        return NULL;
    }
    *len = (size_t)cap->len;
    return cap->start;
}

static void pm_push_capture(pm_state *ms, int i, const char *s, const char *e) {
    size_t len = 0;
    lua_Integer pos = 0;
    const char *text = pm_capture_at(ms, i, s, e, &len, &pos);
    if (text != NULL)
        lua_pushlstring(ms->L, text, len);  // stack: [..., capture]
    else
        lua_pushinteger(ms->L, pos);  // stack: [..., position]
}

/// Pushes every capture, or the whole match when there are none and `s` is given (find passes
/// NULL: it returns the bounds itself). Returns how many values it pushed.
static int pm_push_captures(pm_state *ms, const char *s, const char *e) {
    int n = (ms->ncap == 0 && s != NULL) ? 1 : ms->ncap;
    luaL_checkstack(ms->L, n, "too many captures");
    for (int i = 0; i < n; i++) pm_push_capture(ms, i, s, e);  // stack: [..., captures...]
    return n;
}

// MARK: - Arguments

/// Start offset (0-based) from the optional 1-based `init` at `arg`: negative counts from the
/// end, too negative or 0 clips to the start. May exceed `len`; callers check.
static size_t pm_init_offset(lua_State *L, int arg, size_t len) {
    lua_Integer init = luaL_optinteger(L, arg, 1);
    if (init > 0) return (size_t)init - 1;
    if (init == 0 || init < -(lua_Integer)len) return 0;
    return len - (size_t)(-init);
}

/// Whether a pattern has no magic characters, so find may search it as plain text.
static int pm_is_plain(const char *p, size_t lp) {
    for (size_t i = 0; i < lp; i++) {
        switch (p[i]) {
        case '^': case '$': case '*': case '+': case '?': case '.': case '(': case '[': case '%': case '-':
            return 0;
        default:
            break;
        }
    }
    return 1;
}

/// First occurrence of `p` in `s`; polls because plain search is O(ls * lp) in the worst case.
static const char *pm_find_plain(pm_state *ms, const char *s, size_t ls, const char *p, size_t lp) {
    if (lp == 0) return s;
    if (lp > ls) return NULL;
    const char *last = s + (ls - lp);  // last start where p still fits
    while (s <= last) {
        const char *hit = (const char *)memchr(s, p[0], (size_t)(last - s) + 1);
        if (hit == NULL) return NULL;
        if (memcmp(hit + 1, p + 1, lp - 1) == 0) return hit;
        pm_burn(ms, 1 + (lp >> 4));
        s = hit + 1;
    }
    return NULL;
}

// MARK: - find, match

static int pm_find_aux(lua_State *L, int find) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = pm_init_offset(L, 3, ls);
    if (init > ls) {
        luaL_pushfail(L);  // stack: [..., nil]
        return 1;
    }
    pm_state ms;
    if (find && (lua_toboolean(L, 4) || pm_is_plain(p, lp))) {
        pm_init(&ms, L, s, ls, p, lp);
        const char *hit = pm_find_plain(&ms, s + init, ls - init, p, lp);
        if (hit == NULL) {
            luaL_pushfail(L);  // stack: [..., nil]
            return 1;
        }
        lua_pushinteger(L, (hit - s) + 1);
        lua_pushinteger(L, (lua_Integer)(hit - s) + (lua_Integer)lp);  // stack: [..., start, end]
        return 2;
    }
    int anchored = lp > 0 && *p == '^';
    if (anchored) {
        p++;
        lp--;
    }
    pm_init(&ms, L, s, ls, p, lp);
    for (const char *from = s + init;; from++) {
        pm_reset(&ms);
        const char *e = pm_match(&ms, from, p);
        if (e != NULL) {
            if (!find) return pm_push_captures(&ms, from, e);
            lua_pushinteger(L, (from - s) + 1);
            lua_pushinteger(L, e - s);  // stack: [..., start, end]
            return 2 + pm_push_captures(&ms, NULL, NULL);
        }
        // An empty match may sit at the very end, so the end itself is tried too.
        if (anchored || from >= ms.subj_end) break;
    }
    luaL_pushfail(L);  // stack: [..., nil]
    return 1;
}

static int pm_find(lua_State *L) { return pm_find_aux(L, 1); }
static int pm_matchfn(lua_State *L) { return pm_find_aux(L, 0); }

// MARK: - gmatch

/// The iterator's state; a userdata upvalue, so the GC frees it and a kill leaks nothing.
typedef struct pm_iter {
    pm_state ms;
    const char *pat;
    size_t next;             ///< offset where the next search starts (may be len + 1: done)
    const char *last_end;    ///< end of the previous match: an empty match there is skipped
} pm_iter;

static int pm_gmatch_step(lua_State *L) {
    pm_iter *it = (pm_iter *)lua_touserdata(L, lua_upvalueindex(3));
    pm_state *ms = &it->ms;
    ms->L = L;  // the loop may run in another coroutine than the one that called gmatch
    size_t len = (size_t)(ms->subj_end - ms->subj);
    for (size_t at = it->next; at <= len; at++) {
        const char *from = ms->subj + at;
        pm_reset(ms);
        const char *e = pm_match(ms, from, it->pat);
        if (e != NULL && e != it->last_end) {
            it->next = (size_t)(e - ms->subj);
            it->last_end = e;
            return pm_push_captures(ms, from, e);
        }
    }
    return 0;
}

// In gmatch a leading '^' is an ordinary character: an anchor would stop the iteration.
static int pm_gmatch(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = pm_init_offset(L, 3, ls);
    lua_settop(L, 2);  // stack: [s, p] (upvalues: they keep both strings alive)
    pm_iter *it = (pm_iter *)lua_newuserdatauv(L, sizeof *it, 0);  // stack: [s, p, iter]
    pm_init(&it->ms, L, s, ls, p, lp);
    it->pat = p;
    it->next = init > ls ? ls + 1 : init;
    it->last_end = NULL;
    lua_pushcclosure(L, pm_gmatch_step, 3);  // stack: [step]
    return 1;
}

// MARK: - gsub

/// Appends a string replacement for the match `s`..`e`, expanding %0-%9 and %%.
static void pm_add_template(pm_state *ms, luaL_Buffer *b, const char *s, const char *e) {
    size_t lr;
    const char *r = lua_tolstring(ms->L, 3, &lr);  // a number replacement becomes its string
    const char *end = r + lr;
    const char *pct;
    while ((pct = (const char *)memchr(r, '%', (size_t)(end - r))) != NULL) {
        luaL_addlstring(b, r, (size_t)(pct - r));
        int c = pct + 1 < end ? pm_byte(pct + 1) : 0;
        if (c == '%') {
            luaL_addchar(b, '%');
        } else if (c == '0') {
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (c >= '1' && c <= '9') {
            size_t len = 0;
            lua_Integer pos = 0;
            const char *text = pm_capture_at(ms, c - '1', s, e, &len, &pos);
            if (text != NULL) {
                luaL_addlstring(b, text, len);
            } else {
                lua_pushinteger(ms->L, pos);  // stack: [..., position]
                luaL_addvalue(b);  // stack: [...] (formatted as Lua formats integers)
            }
        } else {
            luaL_error(ms->L, "invalid use of '%c' in replacement string", '%');
        }
        r = pct + 2;
    }
    luaL_addlstring(b, r, (size_t)(end - r));
}

/// Appends the replacement a table or function gives for the match `s`..`e`; false or nil keeps
/// the match. Returns whether the text changed.
static int pm_add_lookup(pm_state *ms, luaL_Buffer *b, const char *s, const char *e, int kind) {
    lua_State *L = ms->L;
    if (kind == LUA_TFUNCTION) {
        lua_pushvalue(L, 3);  // stack: [..., f]
        int n = pm_push_captures(ms, s, e);  // stack: [..., f, captures...]
        lua_call(L, n, 1);  // stack: [..., value]
    } else {
        pm_push_capture(ms, 0, s, e);  // stack: [..., key]
        lua_gettable(L, 3);  // stack: [..., value]
    }
    if (!lua_toboolean(L, -1)) {
        lua_pop(L, 1);  // stack: [...]
        luaL_addlstring(b, s, (size_t)(e - s));
        return 0;
    }
    if (!lua_isstring(L, -1))
        return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    luaL_addvalue(b);  // stack: [...]
    return 1;
}

/// Appends the replacement for the match `s`..`e`; returns whether the text changed.
static int pm_add_value(pm_state *ms, luaL_Buffer *b, const char *s, const char *e, int kind) {
    if (kind == LUA_TFUNCTION || kind == LUA_TTABLE) return pm_add_lookup(ms, b, s, e, kind);
    pm_add_template(ms, b, s, e);
    return 1;  // even an identical text counts: Lua's gsub does the same
}

static int pm_gsub(lua_State *L) {
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    int kind = lua_type(L, 3);
    lua_Integer limit = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
    luaL_argexpected(L, kind == LUA_TNUMBER || kind == LUA_TSTRING || kind == LUA_TFUNCTION || kind == LUA_TTABLE,
                     3, "string/function/table");
    int anchored = lp > 0 && *p == '^';
    if (anchored) {
        p++;
        lp--;
    }
    pm_state ms;
    pm_init(&ms, L, s, ls, p, lp);
    luaL_Buffer b;
    luaL_buffinit(L, &b);  // stack: [s, p, repl, (n), buffer...]
    const char *at = s, *last_end = NULL;
    lua_Integer count = 0;
    int changed = 0;
    while (count < limit) {
        pm_reset(&ms);
        const char *e = pm_match(&ms, at, p);
        // An empty match right where the previous match ended is not a new match.
        if (e != NULL && e != last_end) {
            count++;
            changed |= pm_add_value(&ms, &b, at, e, kind);
            at = last_end = e;
        } else if (at < ms.subj_end) {
            luaL_addchar(&b, *at++);
        } else {
            break;
        }
        if (anchored) break;
    }
    if (changed) {
        luaL_addlstring(&b, at, (size_t)(ms.subj_end - at));
        luaL_pushresult(&b);  // stack: [..., result]
    } else {
        lua_pushvalue(L, 1);  // stack: [..., s] (nothing replaced: the subject itself)
    }
    lua_pushinteger(L, count);  // stack: [..., result, count]
    return 2;
}

// MARK: - Registration

void strata_openpatterns(lua_State *L, int index) {
    static const luaL_Reg functions[] = {
        {"find", pm_find},
        {"match", pm_matchfn},
        {"gmatch", pm_gmatch},
        {"gsub", pm_gsub},
        {NULL, NULL},
    };
    index = lua_absindex(L, index);  // pushes below would shift a relative index
    for (const luaL_Reg *f = functions; f->name != NULL; f++) {
        lua_pushcfunction(L, f->func);  // stack: [..., fn]
        lua_setfield(L, index, f->name);  // stack: [...]
    }
}
