// Internal: the pieces of the sandbox, one file each.
#ifndef STRATA_SANDBOX_H
#define STRATA_SANDBOX_H

#include "strata_lua.h"

/// Whether the table at `index` is a read-only proxy made by `strata_pushreadonly`.
int strata_isreadonly(lua_State *L, int index);

/// `next` for the read-only proxies' `__pairs`.
int strata_next(lua_State *L);

/// Installs pcall and xpcall that re-raise a kill instead of letting the script catch it.
void strata_openprotectedcalls(lua_State *L, int env);

/// Replaces string.rep with a version bounded before it runs.
void strata_openboundedstring(lua_State *L, int lib);

/// Replaces table.move, table.sort and table.concat with versions a deadline can stop.
void strata_openboundedtable(lua_State *L, int lib);

/// Replaces coroutine.resume, wrap and close with versions that track the running coroutine
/// (so the kill hook reaches it) and bound nested closing.
void strata_opentrackedcoroutine(lua_State *L, int lib);

#endif
