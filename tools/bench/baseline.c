/*
 * baseline.c - plain C reference for Strata's costs: the same Lua 5.4 scripts driven through
 * the bare C API, with no sandbox, no guards and no host bookkeeping.
 *
 * usage: baseline SCENARIO SCRIPT [--calls N] [--states K] [--ticks T] [--warmup W]
 *                 [--data CSV] [--json] [--hook]
 *
 * Scenarios (README.md has the details):
 *   dispatch  N calls of on_tick, round-robin over K states (default 1): median ns per call
 *   fanout    T ticks, each delivered to all K states (default 10,000): ns per instance-tick
 *   load      K states created, loaded and initialised: seconds (baseline_scale.c)
 *   memory    K idle states after init: bytes per state (baseline_scale.c)
 *   backtest  on_tick over every bar of CSV, one state (baseline_backtest.c): bars per second
 *   snapshot  K states after W ticks, each `state` serialized and written to SQLite in one
 *             transaction per round (baseline_persist.c): ms per round
 *   journal   T ticks appended to a SQLite journal in transactions of N (baseline_persist.c)
 *   equity    every instance's row of equity_summaries read from Strata's SQLite file (SCRIPT is
 *             its path; baseline_equity.c): ms per read
 */
#define _POSIX_C_SOURCE 199309L
#include "baseline.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

void die(const char *fmt, const char *arg) {
  fprintf(stderr, "baseline: ");
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  exit(1);
}

static void usage(void) {
  fprintf(stderr, "usage: baseline SCENARIO SCRIPT [--calls N] [--states K] [--ticks T] [--warmup W] "
                  "[--data CSV] [--json] [--hook]\nscenarios: dispatch, fanout, load, memory, backtest\n");
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

static long parse_count(const char *s, const char *flag, long min) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *end || end == s || v < min) die("%s expects a positive integer", flag);
  return v;
}

/* The script's text, read once: every state loads it from memory, as the Strata host does. */
static const char *script_text(const char *script, size_t *len) {
  static char *text = NULL;
  static size_t size = 0;
  if (text == NULL) {
    FILE *f = fopen(script, "rb");
    if (!f) die("cannot open %s", script);
    size_t capacity = 1 << 16;
    text = malloc(capacity);
    size_t n;
    while (text && (n = fread(text + size, 1, capacity - size, f)) > 0)
      if ((size += n) == capacity) text = realloc(text, capacity *= 2);
    fclose(f);
    if (!text) die("%s", "out of memory");
  }
  *len = size;
  return text;
}

void setup(Strat *st, const char *script, int hook) {
  lua_State *L = luaL_newstate();
  if (L == NULL) die("%s", "cannot create lua_State (out of memory)");
  luaL_openlibs(L);
  lua_pushcfunction(L, msghandler); /* stays at index MSGH */
  size_t len;
  const char *text = script_text(script, &len);
  lua_pushfstring(L, "@%s", script);
  const char *chunkname = lua_tostring(L, -1);
  int status = luaL_loadbufferx(L, text, len, chunkname, "t");
  lua_remove(L, -2); /* the chunk name */
  if (status != LUA_OK || lua_pcall(L, 0, 0, MSGH) != LUA_OK)
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

double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Sorts `values` in place and returns the middle one. */
double median(double *values, int count) {
  qsort(values, (size_t)count, sizeof values[0], cmp_double);
  return values[count / 2];
}

long resident_bytes(void) {
  long pages = 0, resident = 0;
  FILE *f = fopen("/proc/self/statm", "r");
  if (!f) return 0;
  if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
  fclose(f);
  return resident * sysconf(_SC_PAGESIZE);
}

static Strat *setup_all(const Options *o) {
  Strat *sts = calloc((size_t)o->states, sizeof *sts);
  if (!sts) die("%s", "out of memory");
  for (long s = 0; s < o->states; s++) setup(&sts[s], o->script, o->hook);
  return sts;
}

static void close_all(Strat *sts, long k) {
  for (long s = 0; s < k; s++) lua_close(sts[s].L);
  free(sts);
}

/* Runs `n` calls, round-robin over the k states; returns elapsed ns. */
static double run(Strat *sts, long k, long n, Walk *w) {
  long s = w->i % k;
  double t0 = now_ns();
  for (long end = w->i + n; w->i < end; w->i++) {
    double price = next_price(w);
    tick(&sts[s], 1.7e12 + (double)w->i * 1000.0, price, 1.0 + (double)(w->i % 100) * 0.01);
    if (++s == k) s = 0;
  }
  return now_ns() - t0;
}

static int scenario_dispatch(const Options *o) {
  Strat *sts = setup_all(o);
  Walk w = {88172645463325252ULL, 100.0, 0};
  run(sts, o->states, o->calls / 10, &w); /* warm-up */
  double ns[REPS];
  for (int r = 0; r < REPS; r++) ns[r] = run(sts, o->states, o->calls, &w) / (double)o->calls;
  double mid = median(ns, REPS);
  if (o->json)
    printf("{\"scenario\": \"dispatch\", \"calls\": %ld, \"states\": %ld, \"ns_per_call\": %.2f, \"min\": %.2f}\n",
           o->calls, o->states, mid, ns[0]);
  else
    printf("dispatch %s: %ld calls, %ld state(s)%s: median %.2f ns/call (min %.2f, max %.2f)\n",
           o->script, o->calls, o->states, o->hook ? ", count hook" : "", mid, ns[0], ns[REPS - 1]);
  close_all(sts, o->states);
  return 0;
}

/* Delivers one tick (one price, one time) to every state, each with its own fresh table. */
static double fan_out(Strat *sts, long k, Walk *w) {
  double price = next_price(w), ts = 1.7e9 + (double)w->i, volume = 1.0 + (double)(w->i % 100) * 0.01;
  w->i++;
  double t0 = now_ns();
  for (long s = 0; s < k; s++) tick(&sts[s], ts, price, volume);
  return now_ns() - t0;
}

static int scenario_fanout(const Options *o) {
  Strat *sts = setup_all(o);
  Walk w = {88172645463325252ULL, 100.0, 0};
  for (long t = 0; t < o->warmup; t++) fan_out(sts, o->states, &w);
  double *per_tick = malloc((size_t)o->ticks * sizeof *per_tick);
  if (!per_tick) die("%s", "out of memory");
  double total = 0;
  for (long t = 0; t < o->ticks; t++) total += per_tick[t] = fan_out(sts, o->states, &w);
  double ns = total / ((double)o->ticks * (double)o->states);
  double p50 = median(per_tick, (int)o->ticks), p99 = per_tick[(long)((double)(o->ticks - 1) * 0.99 + 0.5)];
  if (o->json)
    printf("{\"scenario\": \"fanout\", \"states\": %ld, \"ticks\": %ld, \"ns_per_instance_tick\": %.2f, "
           "\"tick_p50_ms\": %.3f, \"tick_p99_ms\": %.3f}\n", o->states, o->ticks, ns, p50 / 1e6, p99 / 1e6);
  else
    printf("fanout %s: %ld ticks to %ld state(s): %.2f ns per instance-tick (one tick to all: p50 %.3f ms, p99 %.3f ms)\n",
           o->script, o->ticks, o->states, ns, p50 / 1e6, p99 / 1e6);
  free(per_tick);
  close_all(sts, o->states);
  return 0;
}

int main(int argc, char **argv) {
  const char *scenario = NULL;
  Options o = {NULL, 1000000, 0, 100, 50, NULL, 0, 0};
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--calls") == 0 && i + 1 < argc) o.calls = parse_count(argv[++i], "--calls", 1);
    else if (strcmp(argv[i], "--states") == 0 && i + 1 < argc) o.states = parse_count(argv[++i], "--states", 1);
    else if (strcmp(argv[i], "--ticks") == 0 && i + 1 < argc) o.ticks = parse_count(argv[++i], "--ticks", 1);
    else if (strcmp(argv[i], "--warmup") == 0 && i + 1 < argc) o.warmup = parse_count(argv[++i], "--warmup", 0);
    else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) o.data = argv[++i];
    else if (strcmp(argv[i], "--json") == 0) o.json = 1;
    else if (strcmp(argv[i], "--hook") == 0) o.hook = 1;
    else if (argv[i][0] == '-') usage();
    else if (!scenario) scenario = argv[i];
    else if (!o.script) o.script = argv[i];
    else usage();
  }
  if (!scenario || !o.script) usage();
  if (strcmp(scenario, "dispatch") == 0) {
    if (o.states == 0) o.states = 1;
    return scenario_dispatch(&o);
  }
  if (o.states == 0) o.states = strcmp(scenario, "memory") == 0 ? 1000 : 10000;
  if (strcmp(scenario, "fanout") == 0) return scenario_fanout(&o);
  if (strcmp(scenario, "load") == 0) return scenario_load(&o);
  if (strcmp(scenario, "memory") == 0) return scenario_memory(&o);
  if (strcmp(scenario, "backtest") == 0) return scenario_backtest(&o);
  if (strcmp(scenario, "snapshot") == 0) return scenario_snapshot(&o);
  if (strcmp(scenario, "journal") == 0) return scenario_journal(&o);
  if (strcmp(scenario, "equity") == 0) return scenario_equity(&o);
  die("unknown scenario '%s' (expected: dispatch, fanout, load, memory, backtest, snapshot, journal, equity)", scenario);
  return 2;
}
