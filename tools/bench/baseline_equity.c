/*
 * baseline_equity.c - the read behind the instance list's return and drawdown columns in plain
 * C: every instance's row of equity_summaries, read from Strata's own SQLite file (the path is
 * the SCRIPT argument) through the bare sqlite3 API and copied into an array of structs.
 */
#define _POSIX_C_SOURCE 200809L
#include "baseline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

typedef struct {
  char *name;
  double first_t, first_equity, last_t, last_equity, peak, max_drawdown_pct;
} Summary;

/* ROUNDS reads of the instance summaries, ordered by name as Strata reads them: median ms. */
int scenario_equity(const Options *o) {
  enum { ROUNDS = 5 };
  sqlite3 *db;
  if (sqlite3_open_v2(o->script, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) die("cannot open %s", o->script);
  sqlite3_stmt *select;
  if (sqlite3_prepare_v2(db,
                         "SELECT name, first_t, first_equity, last_t, last_equity, peak, max_drawdown_pct FROM equity_summaries "
                         "WHERE scope = 'instance' ORDER BY name",
                         -1, &select, NULL) != SQLITE_OK)
    die("prepare: %s", sqlite3_errmsg(db));
  double ms[ROUNDS];
  long rows = 0;
  for (int r = 0; r < ROUNDS; r++) {
    double t0 = now_ns();
    size_t capacity = 1024, count = 0;
    Summary *summaries = malloc(capacity * sizeof *summaries);
    if (!summaries) die("%s", "out of memory");
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    int step;
    while ((step = sqlite3_step(select)) == SQLITE_ROW) {
      if (count == capacity) {
        capacity *= 2;
        summaries = realloc(summaries, capacity * sizeof *summaries);
        if (!summaries) die("%s", "out of memory");
      }
      Summary *s = &summaries[count++];
      s->name = strdup((const char *)sqlite3_column_text(select, 0));
      s->first_t = sqlite3_column_double(select, 1);
      s->first_equity = sqlite3_column_double(select, 2);
      s->last_t = sqlite3_column_double(select, 3);
      s->last_equity = sqlite3_column_double(select, 4);
      s->peak = sqlite3_column_double(select, 5);
      s->max_drawdown_pct = sqlite3_column_double(select, 6);
    }
    if (step != SQLITE_DONE) die("step: %s", sqlite3_errmsg(db));
    sqlite3_reset(select);
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    ms[r] = (now_ns() - t0) / 1e6;
    rows = (long)count;
    for (size_t i = 0; i < count; i++) free(summaries[i].name);
    free(summaries);
  }
  double mid = median(ms, ROUNDS);
  if (o->json)
    printf("{\"scenario\": \"equity\", \"rows\": %ld, \"ms_per_read\": %.3f}\n", rows, mid);
  else
    printf("equity %s: %ld summaries: %.3f ms per read\n", o->script, rows, mid);
  sqlite3_finalize(select);
  sqlite3_close(db);
  return 0;
}
