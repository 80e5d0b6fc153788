/*
 * baseline_backtest.c - on_tick over every bar of an OHLCV CSV in one state, a fresh tick table
 * per bar with the fields Strata's backtest gives it (market, ts, price = close, volume, open,
 * high, low, close). No broker, no equity curve: the cost of Lua itself.
 */
#define _DEFAULT_SOURCE
#include "baseline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#define BACKTEST_REPS 3

typedef struct { double ts, open, high, low, close, volume; } Bar;

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static long days_from_civil(long y, long m, long d) {
  y -= m <= 2;
  long era = (y >= 0 ? y : y - 399) / 400;
  long yoe = y - era * 400;
  long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DD[ HH:MM[:SS]]" (UTC) or Unix seconds, the forms the bench's own CSV uses. */
static double parse_time(const char *s, char **end) {
  long y, mo, d, h = 0, mi = 0, sec = 0;
  int n = 0;
  if (sscanf(s, "%4ld-%2ld-%2ld%n", &y, &mo, &d, &n) == 3) {
    int m = 0;
    if (sscanf(s + n, "%*[ T]%2ld:%2ld%n", &h, &mi, &m) == 2) {
      n += m;
      if (sscanf(s + n, ":%2ld%n", &sec, &m) == 1) n += m;
    }
    *end = (char *)s + n;
    return (double)(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec);
  }
  return strtod(s, end);
}

static Bar *read_bars(const char *path, long *count) {
  FILE *f = fopen(path, "r");
  if (!f) die("cannot open %s", path);
  long capacity = 1 << 16, n = 0;
  Bar *bars = malloc((size_t)capacity * sizeof *bars);
  char line[512];
  if (!bars || !fgets(line, sizeof line, f)) die("%s: empty or unreadable", path); /* header */
  while (fgets(line, sizeof line, f)) {
    if (line[0] == '\n' || line[0] == '\0') continue;
    if (n == capacity && !(bars = realloc(bars, (size_t)(capacity *= 2) * sizeof *bars))) die("%s", "out of memory");
    char *p;
    Bar *b = &bars[n];
    b->ts = parse_time(line, &p);
    double *fields[] = {&b->open, &b->high, &b->low, &b->close, &b->volume};
    for (int i = 0; i < 5; i++) {
      if (*p != ',') die("%s: expected time,open,high,low,close,volume", path);
      *fields[i] = strtod(p + 1, &p);
    }
    n++;
  }
  fclose(f);
  *count = n;
  return bars;
}

static inline void bar_tick(const Strat *st, const Bar *b) {
  lua_State *L = st->L;
  lua_rawgeti(L, LUA_REGISTRYINDEX, st->on_tick);
  lua_createtable(L, 0, 8);
  lua_rawgeti(L, LUA_REGISTRYINDEX, st->market);
  lua_setfield(L, -2, "market");
  lua_pushnumber(L, b->ts);     lua_setfield(L, -2, "ts");
  lua_pushnumber(L, b->close);  lua_setfield(L, -2, "price");
  lua_pushnumber(L, b->volume); lua_setfield(L, -2, "volume");
  lua_pushnumber(L, b->open);   lua_setfield(L, -2, "open");
  lua_pushnumber(L, b->high);   lua_setfield(L, -2, "high");
  lua_pushnumber(L, b->low);    lua_setfield(L, -2, "low");
  lua_pushnumber(L, b->close);  lua_setfield(L, -2, "close");
  if (lua_pcall(L, 1, 0, MSGH) != LUA_OK) die("on_tick: %s", lua_tostring(L, -1));
}

/* Bars per second over the whole file, median of 3 runs, each in a fresh state. */
int scenario_backtest(const Options *o) {
  if (!o->data) die("%s", "backtest needs --data CSV");
  long n;
  Bar *bars = read_bars(o->data, &n);
  if (n == 0) die("%s: no bars", o->data);
  double seconds[BACKTEST_REPS];
  for (int r = 0; r < BACKTEST_REPS; r++) {
    Strat st;
    setup(&st, o->script, o->hook);
    double t0 = now_ns();
    for (long i = 0; i < n; i++) bar_tick(&st, &bars[i]);
    seconds[r] = (now_ns() - t0) / 1e9;
    lua_close(st.L);
  }
  double mid = median(seconds, BACKTEST_REPS);
  if (o->json)
    printf("{\"scenario\": \"backtest\", \"bars\": %ld, \"seconds\": %.4f, \"bars_per_second\": %.0f}\n", n, mid, (double)n / mid);
  else
    printf("backtest %s: %ld bars in %.4f s: %.0f bars/s\n", o->script, n, mid, (double)n / mid);
  free(bars);
  return 0;
}
