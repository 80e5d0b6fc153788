/*
 * baseline_scale.c - the costs of many states: creating them (load) and keeping them (memory).
 */
#include "baseline.h"

#include <stdio.h>
#include <stdlib.h>

#include <lauxlib.h>

#define LOAD_REPS 3

static size_t state_bytes(lua_State *L) {
  return (size_t)lua_gc(L, LUA_GCCOUNT) * 1024 + (size_t)lua_gc(L, LUA_GCCOUNTB);
}

/* Seconds to create K states (newstate, openlibs, load and run the script, init): median of 3. */
int scenario_load(const Options *o) {
  Strat *sts = calloc((size_t)o->states, sizeof *sts);
  if (!sts) die("%s", "out of memory");
  double seconds[LOAD_REPS];
  for (int r = 0; r < LOAD_REPS; r++) {
    double t0 = now_ns();
    for (long s = 0; s < o->states; s++) setup(&sts[s], o->script, 0);
    seconds[r] = (now_ns() - t0) / 1e9;
    for (long s = 0; s < o->states; s++) lua_close(sts[s].L);
  }
  double mid = median(seconds, LOAD_REPS);
  if (o->json)
    printf("{\"scenario\": \"load\", \"states\": %ld, \"seconds\": %.4f, \"min\": %.4f}\n", o->states, mid, seconds[0]);
  else
    printf("load %s: %ld state(s) in %.4f s (%.2f us each; min %.4f s)\n",
           o->script, o->states, mid, mid * 1e6 / (double)o->states, seconds[0]);
  free(sts);
  return 0;
}

/* Bytes per idle state after init: what Lua has allocated, before and after a full collection,
   and how much the process's resident set grew per state. */
int scenario_memory(const Options *o) {
  Strat *sts = calloc((size_t)o->states, sizeof *sts);
  if (!sts) die("%s", "out of memory");
  long rss0 = resident_bytes();
  for (long s = 0; s < o->states; s++) setup(&sts[s], o->script, 0);
  long rss1 = resident_bytes();
  double before = 0, after = 0;
  for (long s = 0; s < o->states; s++) {
    before += (double)state_bytes(sts[s].L);
    lua_gc(sts[s].L, LUA_GCCOLLECT);
    after += (double)state_bytes(sts[s].L);
  }
  double k = (double)o->states;
  if (o->json)
    printf("{\"scenario\": \"memory\", \"states\": %ld, \"bytes_per_state\": %.0f, \"before_collect\": %.0f, "
           "\"rss_bytes_per_state\": %.0f}\n", o->states, after / k, before / k, (double)(rss1 - rss0) / k);
  else
    printf("memory %s: %ld idle state(s): %.0f bytes each after a full collection (%.0f before), "
           "resident set +%.0f bytes each\n", o->script, o->states, after / k, before / k, (double)(rss1 - rss0) / k);
  for (long s = 0; s < o->states; s++) lua_close(sts[s].L);
  free(sts);
  return 0;
}
