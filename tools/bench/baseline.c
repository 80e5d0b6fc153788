/*
 * baseline.c - plain C reference for Strata's on_tick dispatch cost.
 *
 * usage: baseline SCENARIO SCRIPT [--calls N] [--states K] [--json] [--hook]
 *
 * Creates K lua_States, loads SCRIPT in each, sets global `state` to the
 * result of init(), then times N calls of on_tick(tick) (round-robin over
 * the states), each with a freshly built tick table. Reports the median of
 * 5 repetitions in ns per call (after a warm-up of N/10 calls).
 *
 * Scenarios: dispatch
 */
#define _POSIX_C_SOURCE 199309L
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#define REPS 5
#define MSGH 1 /* stack index of the message handler in every state */

typedef struct {
  lua_State *L;
  int on_tick; /* registry ref to the on_tick function */
  int market;  /* registry ref to the interned "BTC/USD" string */
} Strat;

static void die(const char *fmt, const char *arg) {
  fprintf(stderr, "baseline: ");
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  exit(1);
}

static void usage(void) {
  fprintf(stderr, "usage: baseline SCENARIO SCRIPT [--calls N] [--states K] "
                  "[--json] [--hook]\nscenarios: dispatch\n");
  exit(2);
}

/* Same as lua.c's msghandler: turn the error into a string plus traceback. */
static int msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING)
      return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

static void noop_hook(lua_State *L, lua_Debug *ar) { (void)L; (void)ar; }

static long parse_count(const char *s, const char *flag) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *end || end == s || v < 1) die("%s expects a positive integer", flag);
  return v;
}

static void setup(Strat *st, const char *script, int hook) {
  lua_State *L = luaL_newstate();
  if (L == NULL) die("%s", "cannot create lua_State (out of memory)");
  luaL_openlibs(L);
  lua_pushcfunction(L, msghandler); /* stays at index MSGH */
  if (luaL_loadfilex(L, script, "t") != LUA_OK || lua_pcall(L, 0, 0, MSGH) != LUA_OK)
    die("%s", lua_tostring(L, -1));
  if (lua_getglobal(L, "init") == LUA_TFUNCTION) {
    if (lua_pcall(L, 0, 1, MSGH) != LUA_OK) die("init: %s", lua_tostring(L, -1));
  } else {
    lua_pop(L, 1);
    lua_newtable(L);
  }
  lua_setglobal(L, "state");
  if (lua_getglobal(L, "on_tick") != LUA_TFUNCTION) die("%s: no function on_tick", script);
  st->on_tick = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_pushliteral(L, "BTC/USD");
  st->market = luaL_ref(L, LUA_REGISTRYINDEX);
  if (hook) lua_sethook(L, noop_hook, LUA_MASKCOUNT, 1000000);
  st->L = L;
}

/* One dispatch: on_tick({market=..., ts=..., price=..., volume=...}). */
static inline void tick(const Strat *st, double ts, double price, double volume) {
  lua_State *L = st->L;
  lua_rawgeti(L, LUA_REGISTRYINDEX, st->on_tick);
  lua_createtable(L, 0, 4);
  lua_rawgeti(L, LUA_REGISTRYINDEX, st->market);
  lua_setfield(L, -2, "market");
  lua_pushnumber(L, ts);
  lua_setfield(L, -2, "ts");
  lua_pushnumber(L, price);
  lua_setfield(L, -2, "price");
  lua_pushnumber(L, volume);
  lua_setfield(L, -2, "volume");
  if (lua_pcall(L, 1, 0, MSGH) != LUA_OK) die("on_tick: %s", lua_tostring(L, -1));
}

/* Deterministic random walk from 100: xorshift64 steps in [-0.5, 0.5). */
typedef struct { uint64_t x; double price; long i; } Walk;

static inline double next_price(Walk *w) {
  w->x ^= w->x << 13; w->x ^= w->x >> 7; w->x ^= w->x << 17;
  w->price += (double)(w->x >> 11) / 9007199254740992.0 - 0.5;
  if (w->price < 1.0) w->price = 1.0;
  return w->price;
}

/* Runs `n` calls, round-robin over the k states; returns elapsed ns. */
static double run(Strat *sts, long k, long n, Walk *w) {
  struct timespec t0, t1;
  long s = w->i % k;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long end = w->i + n; w->i < end; w->i++) {
    double price = next_price(w);
    tick(&sts[s], 1.7e12 + (double)w->i * 1000.0, price, 1.0 + (double)(w->i % 100) * 0.01);
    if (++s == k) s = 0;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  return (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  const char *scenario = NULL, *script = NULL;
  long calls = 1000000, nstates = 1;
  int json = 0, hook = 0;

  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--calls") == 0 && i + 1 < argc) calls = parse_count(argv[++i], "--calls");
    else if (strcmp(argv[i], "--states") == 0 && i + 1 < argc) nstates = parse_count(argv[++i], "--states");
    else if (strcmp(argv[i], "--json") == 0) json = 1;
    else if (strcmp(argv[i], "--hook") == 0) hook = 1;
    else if (argv[i][0] == '-') usage();
    else if (!scenario) scenario = argv[i];
    else if (!script) script = argv[i];
    else usage();
  }
  if (!scenario || !script) usage();
  if (strcmp(scenario, "dispatch") != 0) die("unknown scenario '%s' (expected: dispatch)", scenario);

  Strat *sts = calloc((size_t)nstates, sizeof *sts);
  if (!sts) die("%s", "out of memory");
  for (long s = 0; s < nstates; s++) setup(&sts[s], script, hook);

  Walk w = {88172645463325252ULL, 100.0, 0};
  run(sts, nstates, calls / 10, &w); /* warm-up */
  double ns[REPS];
  for (int r = 0; r < REPS; r++) ns[r] = run(sts, nstates, calls, &w) / (double)calls;
  qsort(ns, REPS, sizeof ns[0], cmp_double);

  if (json)
    printf("{\"scenario\": \"%s\", \"calls\": %ld, \"states\": %ld, \"ns_per_call\": %.2f, \"min\": %.2f}\n",
           scenario, calls, nstates, ns[REPS / 2], ns[0]);
  else
    printf("%s %s: %ld calls, %ld state(s)%s: median %.2f ns/call (min %.2f, max %.2f)\n",
           scenario, script, calls, nstates, hook ? ", count hook" : "", ns[REPS / 2], ns[0], ns[REPS - 1]);

  for (long s = 0; s < nstates; s++) lua_close(sts[s].L);
  free(sts);
  return 0;
}
