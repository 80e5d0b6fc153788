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

#endif
