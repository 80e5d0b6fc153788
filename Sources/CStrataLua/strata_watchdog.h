// Internal: the deadline watchdog. One thread watches every thread that runs Lua calls; a call
// that overruns its budget gets a signal on its own thread, whose handler arms the kill hook
// (the pattern of lua.c's SIGINT handler). The call path itself is two stores: no clock read,
// no lock, no hook.
#ifndef STRATA_WATCHDOG_H
#define STRATA_WATCHDOG_H

#include "strata_lua.h"
#include <stdatomic.h>

/// What `strata_watch_begin` hands to `strata_watch_end`.
typedef struct strata_watch_token {
    struct strata_slot *slot;  ///< NULL when nothing is watched (no budget, or a nested call)
} strata_watch_token;

/// Marks the start of a call on this thread with a deadline of `budget_ns` from now.
strata_watch_token strata_watch_begin(strata_guard *g, uint64_t budget_ns);

/// Marks the end of the call.
void strata_watch_end(strata_watch_token token);

#endif
