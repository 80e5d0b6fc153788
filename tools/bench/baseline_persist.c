/*
 * baseline_persist.c - what keeping state costs in plain C: serializing every state's `state`
 * table and writing the blobs to SQLite in one transaction (snapshot), and appending ticks to
 * a journal table (journal). The same table layouts as Strata's store; no sandbox, no checks.
 */
#include "baseline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <sqlite3.h>

#define ROUNDS 5

typedef struct { unsigned char *bytes; size_t length, capacity; } Buffer;

static void put(Buffer *b, const void *data, size_t n) {
  if (b->length + n > b->capacity) {
    size_t next = b->capacity ? b->capacity * 2 : 4096;
    while (next < b->length + n) next *= 2;
    b->bytes = realloc(b->bytes, next);
    if (!b->bytes) die("%s", "out of memory");
    b->capacity = next;
  }
  memcpy(b->bytes + b->length, data, n);
  b->length += n;
}

static void put_varint(Buffer *b, unsigned long long v) {
  do {
    unsigned char byte = v & 0x7F;
    v >>= 7;
    if (v) byte |= 0x80;
    put(b, &byte, 1);
  } while (v);
}

/* Tags as Strata's: nil, false, true, integer, float, string, table ... end. No cycle check. */
static void write_value(lua_State *L, int index, Buffer *b) {
  unsigned char tag;
  switch (lua_type(L, index)) {
  case LUA_TBOOLEAN: tag = lua_toboolean(L, index) ? 2 : 1; put(b, &tag, 1); break;
  case LUA_TNUMBER:
    if (lua_isinteger(L, index)) { lua_Integer i = lua_tointeger(L, index); tag = 3; put(b, &tag, 1); put(b, &i, 8); }
    else { lua_Number n = lua_tonumber(L, index); tag = 4; put(b, &tag, 1); put(b, &n, 8); }
    break;
  case LUA_TSTRING: {
    size_t n;
    const char *s = lua_tolstring(L, index, &n);
    tag = 5; put(b, &tag, 1); put_varint(b, n); put(b, s, n);
    break;
  }
  case LUA_TTABLE:
    index = lua_absindex(L, index);
    tag = 6; put(b, &tag, 1);
    lua_pushnil(L);
    while (lua_next(L, index)) {
      write_value(L, -2, b);
      write_value(L, -1, b);
      lua_pop(L, 1);
    }
    tag = 0xFF; put(b, &tag, 1);
    break;
  default: tag = 0; put(b, &tag, 1);
  }
}

static sqlite3 *open_db(const char *path) {
  remove(path);
  sqlite3 *db;
  if (sqlite3_open(path, &db) != SQLITE_OK) die("cannot open %s", path);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL, NULL);
  return db;
}

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK) die("prepare: %s", sqlite3_errmsg(db));
  return stmt;
}

/* K states of SCRIPT after W warm-up ticks; then ROUNDS rounds of one tick to each and a
   snapshot of every `state` written in one transaction: median ms per snapshot round. */
int scenario_snapshot(const Options *o) {
  Strat *sts = calloc((size_t)o->states, sizeof *sts);
  if (!sts) die("%s", "out of memory");
  for (long s = 0; s < o->states; s++) setup(&sts[s], o->script, 0);
  Walk walk = {88172645463325252ull, 100.0, 0};
  for (long t = 0; t < o->warmup; t++) {
    double price = next_price(&walk);
    for (long s = 0; s < o->states; s++) tick(&sts[s], (double)t, price, 1.0);
  }
  const char *path = "/tmp/strata-baseline-snapshot.db";
  sqlite3 *db = open_db(path);
  sqlite3_exec(db, "CREATE TABLE state_snapshots (id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, "
                   "version TEXT NOT NULL, tick_seq INTEGER NOT NULL, taken_at DATETIME NOT NULL, reason TEXT NOT NULL, "
                   "state BLOB NOT NULL)", NULL, NULL, NULL);
  sqlite3_stmt *insert = prepare(db, "INSERT INTO state_snapshots (instance_id, version, tick_seq, taken_at, reason, state) "
                                     "VALUES (?, 'v', ?, '2026-12-05 00:00:00.000', 'stop', ?)");
  double ms[ROUNDS], serialize_ms[ROUNDS];
  double bytes = 0;
  Buffer buffer = {0};
  char id[32];
  for (int r = 0; r < ROUNDS; r++) {
    double price = next_price(&walk);
    for (long s = 0; s < o->states; s++) tick(&sts[s], (double)(o->warmup + r), price, 1.0);
    double t0 = now_ns(), serialized = 0;
    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    for (long s = 0; s < o->states; s++) {
      double s0 = now_ns();
      buffer.length = 0;
      lua_getglobal(sts[s].L, "state");
      write_value(sts[s].L, -1, &buffer);
      lua_pop(sts[s].L, 1);
      serialized += now_ns() - s0;
      snprintf(id, sizeof id, "sma-%05ld", s);
      sqlite3_bind_text(insert, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(insert, 2, o->warmup + r);
      sqlite3_bind_blob(insert, 3, buffer.bytes, (int)buffer.length, SQLITE_TRANSIENT);
      if (sqlite3_step(insert) != SQLITE_DONE) die("insert: %s", sqlite3_errmsg(db));
      sqlite3_reset(insert);
      if (r == 0) bytes += (double)buffer.length;
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    ms[r] = (now_ns() - t0) / 1e6;
    serialize_ms[r] = serialized / 1e6;
  }
  double mid = median(ms, ROUNDS), ser = median(serialize_ms, ROUNDS);
  if (o->json)
    printf("{\"scenario\": \"snapshot\", \"states\": %ld, \"ms_per_round\": %.3f, \"serialize_ms\": %.3f, \"bytes_per_state\": %.0f}\n",
           o->states, mid, ser, bytes / (double)o->states);
  else
    printf("snapshot %s: %ld states: %.3f ms per round (serializing %.3f ms), %.0f bytes each\n", o->script, o->states, mid, ser,
           bytes / (double)o->states);
  sqlite3_finalize(insert);
  sqlite3_close(db);
  remove(path);
  free(buffer.bytes);
  for (long s = 0; s < o->states; s++) lua_close(sts[s].L);
  free(sts);
  return 0;
}

/* T ticks of one market appended to a journal table like Strata's, in transactions of
   --calls rows: ticks per second, and the file's bytes per million ticks. */
int scenario_journal(const Options *o) {
  const char *path = "/tmp/strata-baseline-journal.db";
  sqlite3 *db = open_db(path);
  sqlite3_exec(db, "CREATE TABLE tick_journal (market TEXT NOT NULL, seq INTEGER NOT NULL, ts REAL NOT NULL, price REAL NOT NULL, "
                   "volume REAL, bid REAL, ask REAL, open REAL, high REAL, low REAL, PRIMARY KEY (market, seq)) WITHOUT ROWID",
               NULL, NULL, NULL);
  sqlite3_stmt *insert = prepare(db, "INSERT INTO tick_journal (market, seq, ts, price, volume, bid, ask, open, high, low) "
                                     "VALUES ('BTC/USD', ?, ?, ?, ?, ?, ?, NULL, NULL, NULL) ON CONFLICT DO NOTHING");
  Walk walk = {88172645463325252ull, 100.0, 0};
  long batch = o->calls;
  double t0 = now_ns();
  for (long t = 0; t < o->ticks;) {
    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    for (long i = 0; i < batch && t < o->ticks; i++, t++) {
      double price = next_price(&walk);
      sqlite3_bind_int64(insert, 1, t + 1);
      sqlite3_bind_double(insert, 2, 1.7e9 + (double)t);
      sqlite3_bind_double(insert, 3, price);
      sqlite3_bind_double(insert, 4, 1.0);
      sqlite3_bind_double(insert, 5, price - 0.05);
      sqlite3_bind_double(insert, 6, price + 0.05);
      if (sqlite3_step(insert) != SQLITE_DONE) die("insert: %s", sqlite3_errmsg(db));
      sqlite3_reset(insert);
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
  }
  double seconds = (now_ns() - t0) / 1e9;
  sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  sqlite3_stmt *size = prepare(db, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");
  sqlite3_step(size);
  double bytes = (double)sqlite3_column_int64(size, 0);
  sqlite3_finalize(size);
  sqlite3_finalize(insert);
  sqlite3_close(db);
  remove(path);
  if (o->json)
    printf("{\"scenario\": \"journal\", \"ticks\": %ld, \"ticks_per_second\": %.0f, \"bytes_per_million\": %.0f}\n", o->ticks,
           (double)o->ticks / seconds, bytes / (double)o->ticks * 1e6);
  else
    printf("journal: %ld ticks in transactions of %ld: %.0f ticks/s, %.0f bytes per million\n", o->ticks, batch,
           (double)o->ticks / seconds, bytes / (double)o->ticks * 1e6);
  return 0;
}
