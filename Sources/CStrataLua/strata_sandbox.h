// Internal: the pieces of the sandbox, one file each.
#ifndef STRATA_SANDBOX_H
#define STRATA_SANDBOX_H

#include "strata_lua.h"

/// Whether the table at `index` is a read-only proxy made by `strata_pushreadonly`.
int strata_isreadonly(lua_State *L, int index);

/// Pushes a read-only proxy of a library not built yet: `loader` (a function whose body is
/// `strata_lazyindex`) is its `__index` until a script first reaches through the proxy.
// stack: [] -> [proxy]
void strata_pushlazyreadonly(lua_State *L, lua_CFunction loader);

/// The body of every lazy library's `__index`: builds the library, then reads from it.
int strata_lazyindex(lua_State *L);

/// Builds the library whose lazy loader is `loader` and pushes it (strata_sandbox.c).
// stack: [] -> [lib]
void strata_buildlazylibrary(lua_State *L, lua_CFunction loader);

/// Installs pcall and xpcall that re-raise a kill instead of letting the script catch it.
void strata_openprotectedcalls(lua_State *L, int env);

/// Replaces string.rep with a version bounded before it runs.
void strata_openboundedstring(lua_State *L, int lib);

/// Replaces table.move, table.sort and table.concat with versions a deadline can stop.
void strata_openboundedtable(lua_State *L, int lib);

/// Replaces coroutine.resume, wrap and close with versions that track the running coroutine
/// (so the kill hook reaches it) and bound nested closing.
void strata_opentrackedcoroutine(lua_State *L, int lib);

/// Opens the `time` library (strata_time.c): UTC calendar helpers with no clock.
int strata_opentime(lua_State *L);

/// The lazy loader of the `time` library's proxy.
int strata_lazy_time(lua_State *L);

#endif
