// Loading chunks: text from scripts, and the host's own compiled form of a verified text.
//
// A strategy version is parsed once; every instance of it then loads the bytes `lua_dump` made
// of that parse. Lua does not verify binary chunks (a forged one can corrupt memory), so only
// the host may load them: scripts' `load` stays text-only (strata_sandbox.c), and the bytes
// never come from outside the process.
#include "strata_internal.h"

#include <stdlib.h>
#include <string.h>

static int strata_loadchunk(lua_State *L, const char *chunk, size_t len, const char *chunkname, const char *mode) {
    strata_guard *g = strata_getguard(L);
    g->cap_hit = 0;
    g->enforce = 1;
    int status = luaL_loadbufferx(L, chunk, len, chunkname, mode);  // stack: [f] | [err]
    g->enforce = 0;
    if (status != LUA_OK) {
        if (status == LUA_ERRMEM && g->cap_hit) status = STRATA_ERRMEMCAP;
        strata_normalizeerror(L);   // stack: [report]
    }
    return status;
}

int strata_loadtext(lua_State *L, const char *source, size_t len, const char *chunkname) {
    // No deadline can stop the parser (no hook fires in it): what it may cost is bounded first.
    uint64_t cost = strata_parsecost(source, len);
    if (cost > STRATA_PARSE_BUDGET_FILE) {
        lua_createtable(L, 0, 1);     // stack: [report]
        lua_pushfstring(L, "the script is too complex to compile safely (parser cost %I over the bound of %I: "
                           "long elseif or and/or chains, many names under deeply nested functions, or many gotos)",
                        (LUAI_UACINT)cost, (LUAI_UACINT)STRATA_PARSE_BUDGET_FILE);
        lua_setfield(L, -2, "message");
        return LUA_ERRSYNTAX;
    }
    return strata_loadchunk(L, source, len, chunkname, "t");
}

int strata_loadcompiled(lua_State *L, const void *bytes, size_t len, const char *chunkname) {
    // Mode "b": a text chunk here would be a host bug, not something to parse silently.
    return strata_loadchunk(L, (const char *)bytes, len, chunkname, "b");
}

// MARK: - Dumping

typedef struct strata_dumpbuffer {
    unsigned char *bytes;
    size_t length;
    size_t capacity;
} strata_dumpbuffer;

static int strata_dumpwriter(lua_State *L, const void *piece, size_t size, void *ud) {
    (void)L;
    strata_dumpbuffer *buffer = (strata_dumpbuffer *)ud;
    if (buffer->length + size > buffer->capacity) {
        size_t capacity = buffer->capacity ? buffer->capacity : 1024;
        while (capacity < buffer->length + size) capacity *= 2;
        unsigned char *grown = realloc(buffer->bytes, capacity);
        if (!grown) return 1;       // lua_dump stops and returns this status
        buffer->bytes = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->bytes + buffer->length, piece, size);
    buffer->length += size;
    return 0;
}

int strata_dump(lua_State *L, void **bytes, size_t *len) {
    // The buffer is the host's (malloc), not the state's: the state's memory is not touched.
    strata_dumpbuffer buffer = {NULL, 0, 0};
    // stack: [f] -> [f]; strip 0 keeps line info, local names and the chunk name for tracebacks.
    int status = lua_isfunction(L, -1) && !lua_iscfunction(L, -1)
                     ? lua_dump(L, strata_dumpwriter, &buffer, 0) : 1;
    if (status != 0) {
        free(buffer.bytes);
        *bytes = NULL;
        *len = 0;
        return status;
    }
    *bytes = buffer.bytes;
    *len = buffer.length;
    return 0;
}

void strata_freedump(void *bytes) {
    free(bytes);
}
