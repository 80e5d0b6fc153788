// Internal: what the C files share beyond the public header.
#ifndef STRATA_INTERNAL_H
#define STRATA_INTERNAL_H

#include "strata_lua.h"

/// Makes sure the error value on top is a report table `{ message, ... }`, wrapping raw values
/// (memory errors, syntax errors, errors that did not pass the message handler).
// stack: [err] -> [report]
void strata_normalizeerror(lua_State *L);

/// Whether the function dumped in `dump` (a `lua_dump` of a Lua 5.4 function) only reads fields
/// of its first parameter, so that one tick table can serve every call (strata_tickscan.c).
int strata_tickreusable(const void *dump, size_t len);

/// The most the parser may cost for a strategy file (units of `strata_parsecost`; about 1 s of
/// parsing at worst, a few hundred times what a real strategy costs).
#define STRATA_PARSE_BUDGET_FILE 40000000ull
/// The most the parser may cost for a chunk a script loads (about 25 ms at worst).
#define STRATA_PARSE_BUDGET_LOAD 1000000ull
/// The largest chunk a script may load (a strategy file may be 1 MiB).
#define STRATA_LOAD_MAX_SOURCE (64u << 10)

/// An upper bound on the work Lua 5.4.4's parser does for `source`, found by one linear scan of
/// its tokens, in units of about 25 ns at worst (strata_parsecost.c).
uint64_t strata_parsecost(const char *source, size_t length);

#endif
