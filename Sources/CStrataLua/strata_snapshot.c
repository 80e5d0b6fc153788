// Snapshots of plain Lua data (see strata_lua.h): a compact binary form that keeps integers
// apart from floats, strings byte for byte, and tables as a graph (shared references and cycles
// come back as they were). Functions, coroutines, userdata and tables with metatables are
// refused with the path of the first one found, except `ta` indicator objects (strata_ta_codec.c).
#include "strata_sandbox.h"
#include "strata_ta.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TAG_NIL, TAG_FALSE, TAG_TRUE, TAG_INTEGER, TAG_FLOAT, TAG_STRING, TAG_TABLE, TAG_REF, TAG_TA, TAG_END = 0xFF };

static const char MAGIC[4] = {'S', 'T', 'S', '1'};

// --- Saving ---------------------------------------------------------------------------------

typedef struct {
    const void **keys;   // tables seen (open addressing by pointer)
    uint32_t *ids;
    size_t capacity, count;
} seen_tables;

typedef struct {
    lua_State *L;
    uint8_t *bytes;
    size_t length, capacity, max;
    seen_tables seen;
    char *error;
    size_t error_size;
    int failed;
    char path[512];      // the path to the value being written, for errors
} writer;

static void fail(writer *w, const char *what) {
    if (w->failed) return;
    w->failed = 1;
    snprintf(w->error, w->error_size, "%s%s", w->path[0] ? w->path : "state", what);
}

static int reserve(writer *w, size_t more) {
    if (w->failed) return 0;
    if (w->length + more > w->max) {
        w->failed = 1;
        snprintf(w->error, w->error_size, "the snapshot is larger than %zu bytes", w->max);
        return 0;
    }
    if (w->length + more <= w->capacity) return 1;
    size_t next = w->capacity ? w->capacity : 4096;
    while (next < w->length + more) next *= 2;
    uint8_t *grown = realloc(w->bytes, next);
    if (!grown) {
        w->failed = 1;
        snprintf(w->error, w->error_size, "out of memory while writing the snapshot");
        return 0;
    }
    w->bytes = grown;
    w->capacity = next;
    return 1;
}

static void put_byte(writer *w, uint8_t b) {
    if (reserve(w, 1)) w->bytes[w->length++] = b;
}

static void put_varint(writer *w, uint64_t v) {
    do {
        uint8_t b = v & 0x7F;
        v >>= 7;
        put_byte(w, b | (v ? 0x80 : 0));
    } while (v && !w->failed);
}

static void put_u64(writer *w, uint64_t v) {
    if (!reserve(w, 8)) return;
    for (int i = 0; i < 8; i++) w->bytes[w->length++] = (uint8_t)(v >> (8 * i));
}

static size_t slot_of(seen_tables *s, const void *p) {
    size_t i = ((uintptr_t)p >> 4) * 11400714819323198485ull % s->capacity;
    while (s->keys[i] && s->keys[i] != p) i = (i + 1) % s->capacity;
    return i;
}

// Returns the id of a table seen before, or registers it and returns -1 (-2: out of memory).
static int64_t see(seen_tables *s, const void *p) {
    if (s->count * 2 >= s->capacity) {
        size_t capacity = s->capacity ? s->capacity * 2 : 64;
        seen_tables grown = {calloc(capacity, sizeof(void *)), calloc(capacity, sizeof(uint32_t)), capacity, s->count};
        if (!grown.keys || !grown.ids) {
            free(grown.keys);
            free(grown.ids);
            return -2;
        }
        for (size_t i = 0; i < s->capacity; i++) {
            if (!s->keys[i]) continue;
            size_t j = slot_of(&grown, s->keys[i]);
            grown.keys[j] = s->keys[i];
            grown.ids[j] = s->ids[i];
        }
        free(s->keys);
        free(s->ids);
        *s = grown;
    }
    size_t i = slot_of(s, p);
    if (s->keys[i]) return s->ids[i];
    s->keys[i] = p;
    s->ids[i] = (uint32_t)s->count++;
    return -1;
}

// Appends a key to the path (`.name` or `[n]`); returns the old length to restore.
static size_t push_path(writer *w, int key) {
    size_t old = strlen(w->path);
    if (!w->path[0]) snprintf(w->path, sizeof w->path, "state");
    size_t at = strlen(w->path);
    if (at >= sizeof w->path - 40) return old;
    switch (lua_type(w->L, key)) {
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(w->L, key, &n);
        snprintf(w->path + at, sizeof w->path - at, ".%.*s", (int)(n > 40 ? 40 : n), s);
        break;
    }
    case LUA_TNUMBER:
        if (lua_isinteger(w->L, key)) snprintf(w->path + at, sizeof w->path - at, "[%lld]", (long long)lua_tointeger(w->L, key));
        else snprintf(w->path + at, sizeof w->path - at, "[%g]", lua_tonumber(w->L, key));
        break;
    default:
        snprintf(w->path + at, sizeof w->path - at, "[%s]", lua_typename(w->L, lua_type(w->L, key)));
    }
    return old;
}

static void write_value(writer *w, int index, int depth);

static void write_table(writer *w, int index, int depth) {
    lua_State *L = w->L;
    if (depth > STRATA_SNAPSHOT_MAX_DEPTH) return fail(w, " is nested too deeply to save");
    if (lua_getmetatable(L, index)) {
        lua_pop(L, 1);
        return fail(w, " has a metatable (save plain data, or shape it with on_save)");
    }
    int64_t id = see(&w->seen, lua_topointer(L, index));
    if (id == -2) return fail(w, ": out of memory while saving");
    if (id >= 0) {
        put_byte(w, TAG_REF);
        put_varint(w, (uint64_t)id);
        return;
    }
    put_byte(w, TAG_TABLE);
    if (!lua_checkstack(L, 3)) return fail(w, " is nested too deeply to save");
    index = lua_absindex(L, index);
    lua_pushnil(L);                              // stack: [nil]
    while (!w->failed && lua_next(L, index)) {   // stack: [key, value]
        size_t old = push_path(w, -2);
        write_value(w, -2, depth + 1);
        write_value(w, -1, depth + 1);
        w->path[old] = '\0';
        lua_pop(L, 1);                           // stack: [key]
    }
    if (w->failed) {
        lua_settop(L, index);                    // drop the key lua_next left
        return;
    }
    put_byte(w, TAG_END);
}

// An indicator object: registered like a table, so one shared by two places stays shared.
static void write_indicator(writer *w, const ta_obj *o) {
    int64_t id = see(&w->seen, o);
    if (id == -2) return fail(w, ": out of memory while saving");
    if (id >= 0) {
        put_byte(w, TAG_REF);
        put_varint(w, (uint64_t)id);
        return;
    }
    put_byte(w, TAG_TA);
    size_t size = strata_ta_encodedsize(o);
    if (!reserve(w, size)) return;
    strata_ta_encode(o, w->bytes + w->length);
    w->length += size;
}

static void write_value(writer *w, int index, int depth) {
    lua_State *L = w->L;
    if (w->failed) return;
    if (lua_type(L, index) == LUA_TUSERDATA && lua_checkstack(L, 2)) {
        const ta_obj *o = ta_toobj(L, index);
        if (o) return write_indicator(w, o);
    }
    switch (lua_type(L, index)) {
    case LUA_TNIL: put_byte(w, TAG_NIL); break;
    case LUA_TBOOLEAN: put_byte(w, lua_toboolean(L, index) ? TAG_TRUE : TAG_FALSE); break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, index)) {
            put_byte(w, TAG_INTEGER);
            put_u64(w, (uint64_t)lua_tointeger(L, index));
        } else {
            lua_Number n = lua_tonumber(L, index);
            uint64_t bits;
            memcpy(&bits, &n, 8);
            put_byte(w, TAG_FLOAT);
            put_u64(w, bits);
        }
        break;
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, index, &n);
        put_byte(w, TAG_STRING);
        put_varint(w, n);
        if (reserve(w, n)) {
            memcpy(w->bytes + w->length, s, n);
            w->length += n;
        }
        break;
    }
    case LUA_TTABLE: write_table(w, index, depth); break;
    default: {
        char what[64];
        snprintf(what, sizeof what, " is a %s, which cannot be saved", lua_typename(L, lua_type(L, index)));
        fail(w, what);
    }
    }
}

int strata_snapshot_save(lua_State *L, int index, size_t max_bytes, uint8_t **bytes, size_t *length, char *error, size_t error_size) {
    writer w = {.L = L, .max = max_bytes, .error = error, .error_size = error_size};
    int top = lua_gettop(L);
    index = lua_absindex(L, index);
    if (reserve(&w, sizeof MAGIC)) {
        memcpy(w.bytes, MAGIC, sizeof MAGIC);
        w.length = sizeof MAGIC;
    }
    write_value(&w, index, 0);
    lua_settop(L, top);
    free(w.seen.keys);
    free(w.seen.ids);
    if (w.failed) {
        free(w.bytes);
        return 1;
    }
    *bytes = w.bytes;
    *length = w.length;
    return 0;
}

void strata_snapshot_free(uint8_t *bytes) { free(bytes); }

// --- Restoring ------------------------------------------------------------------------------

typedef struct {
    const uint8_t *bytes;
    size_t length, at;
    int tables;          // index of the Lua table that holds the tables read so far, by id + 1
    lua_Integer count;
} reader;

static void corrupt(lua_State *L, const char *what) { luaL_error(L, "corrupt snapshot: %s", what); }

static uint8_t get_byte(lua_State *L, reader *r) {
    if (r->at >= r->length) corrupt(L, "it ends early");
    return r->bytes[r->at++];
}

static uint64_t get_varint(lua_State *L, reader *r) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        uint8_t b = get_byte(L, r);
        v |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80)) return v;
    }
    corrupt(L, "a length is too long");
    return 0;
}

static uint64_t get_u64(lua_State *L, reader *r) {
    if (r->length - r->at < 8) corrupt(L, "it ends early");
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) v |= (uint64_t)r->bytes[r->at++] << (8 * i);
    return v;
}

// stack: [] -> [value]; returns the tag read (TAG_END pushes nothing).
static int read_value(lua_State *L, reader *r, int depth) {
    if (depth > STRATA_SNAPSHOT_MAX_DEPTH + 1) corrupt(L, "it is nested too deeply");
    luaL_checkstack(L, 4, "snapshot nesting");
    uint8_t tag = get_byte(L, r);
    switch (tag) {
    case TAG_NIL: lua_pushnil(L); break;
    case TAG_FALSE: lua_pushboolean(L, 0); break;
    case TAG_TRUE: lua_pushboolean(L, 1); break;
    case TAG_INTEGER: lua_pushinteger(L, (lua_Integer)get_u64(L, r)); break;
    case TAG_FLOAT: {
        uint64_t bits = get_u64(L, r);
        lua_Number n;
        memcpy(&n, &bits, 8);
        lua_pushnumber(L, n);
        break;
    }
    case TAG_STRING: {
        uint64_t n = get_varint(L, r);
        if (n > r->length - r->at) corrupt(L, "a string runs past its end");
        lua_pushlstring(L, (const char *)r->bytes + r->at, (size_t)n);
        r->at += (size_t)n;
        break;
    }
    case TAG_TABLE: {
        lua_newtable(L);                              // stack: [t]
        lua_pushvalue(L, -1);
        lua_rawseti(L, r->tables, ++r->count);        // registered before its entries: cycles
        while (1) {
            if (read_value(L, r, depth + 1) == TAG_END) break;   // stack: [t, key]
            if (lua_isnil(L, -1)) corrupt(L, "a key is nil");
            if (lua_type(L, -1) == LUA_TNUMBER && lua_tonumber(L, -1) != lua_tonumber(L, -1)) corrupt(L, "a key is NaN");
            if (read_value(L, r, depth + 1) == TAG_END) corrupt(L, "a key has no value");   // stack: [t, key, value]
            lua_rawset(L, -3);                         // stack: [t]
        }
        break;
    }
    case TAG_REF: {
        uint64_t id = get_varint(L, r);
        if (id >= (uint64_t)r->count) corrupt(L, "a reference to a table not read yet");
        lua_rawgeti(L, r->tables, (lua_Integer)id + 1);
        break;
    }
    case TAG_TA: {
        size_t used = 0;
        strata_ta_decode(L, r->bytes + r->at, r->length - r->at, &used);  // stack: [o]
        r->at += used;
        lua_pushvalue(L, -1);
        lua_rawseti(L, r->tables, ++r->count);        // shared like a table
        break;
    }
    case TAG_END: break;
    default: corrupt(L, "an unknown tag");
    }
    return tag;
}

// Protected entry: [lightuserdata reader] -> [value]
static int restore_entry(lua_State *L) {
    reader *r = lua_touserdata(L, 1);
    lua_newtable(L);
    r->tables = lua_gettop(L);                        // stack: [r, tables]
    if (r->length < sizeof MAGIC || memcmp(r->bytes, MAGIC, sizeof MAGIC) != 0) corrupt(L, "not a Strata snapshot");
    r->at = sizeof MAGIC;
    if (read_value(L, r, 0) == TAG_END) corrupt(L, "no value");
    if (r->at != r->length) corrupt(L, "bytes after the value");
    return 1;
}

int strata_snapshot_restore(lua_State *L, const uint8_t *bytes, size_t length) {
    reader r = {.bytes = bytes, .length = length};
    lua_pushcfunction(L, restore_entry);        // stack: [restore_entry]
    lua_pushlightuserdata(L, &r);               // stack: [restore_entry, r]
    // Under the memory cap, with the host's error report: a snapshot costs what it holds.
    return strata_pcall(L, 1, 1, 0);
}
