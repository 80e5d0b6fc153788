/*
 * baseline.h - what the scenarios of the C baseline share: one Lua state set up the way the
 * Strata host sets up an instance (minus the sandbox), the tick call, the price walk, timing.
 */
#ifndef STRATA_BENCH_BASELINE_H
#define STRATA_BENCH_BASELINE_H

#include <stdint.h>

#include <lua.h>

#define REPS 5
#define MSGH 1 /* stack index of the message handler in every state */

typedef struct {
  lua_State *L;
  int on_tick; /* registry ref to the on_tick function */
  int market;  /* registry ref to the interned "BTC/USD" string */
} Strat;

/* What the command line asked for. */
typedef struct {
  const char *script;
  long calls, states, ticks, warmup;
  const char *data; /* backtest: the bars CSV */
  int json, hook;
} Options;

/* Deterministic random walk from 100: xorshift64 steps in [-0.5, 0.5). */
typedef struct { uint64_t x; double price; long i; } Walk;

void die(const char *fmt, const char *arg);
/* luaL_newstate, luaL_openlibs, load and run SCRIPT, state = init(), refs; exits on error. */
void setup(Strat *st, const char *script, int hook);
double now_ns(void);
double median(double *values, int count);
/* Bytes the process has resident (from /proc/self/statm), 0 if unknown. */
long resident_bytes(void);

static inline double next_price(Walk *w) {
  w->x ^= w->x << 13; w->x ^= w->x >> 7; w->x ^= w->x << 17;
  w->price += (double)(w->x >> 11) / 9007199254740992.0 - 0.5;
  if (w->price < 1.0) w->price = 1.0;
  return w->price;
}

/* One dispatch: on_tick({market=..., ts=..., price=..., volume=...}), a fresh table each call. */
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

int scenario_load(const Options *o);
int scenario_memory(const Options *o);
int scenario_backtest(const Options *o);
int scenario_snapshot(const Options *o);
int scenario_journal(const Options *o);
int scenario_equity(const Options *o);

#endif
