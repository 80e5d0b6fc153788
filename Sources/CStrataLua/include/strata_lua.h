// The C side of Strata's Lua bridge.
//
// Swift must never be on the stack when Lua raises an error: `lua_error` is a `longjmp`, and a
// `longjmp` across Swift frames skips `defer` and corrupts Swift's runtime state. So everything that
// can raise lives here, in C: the protected call, the trampoline that calls Swift host functions
// and raises the error they report, the sandboxed library functions, the deadline hook.
#ifndef STRATA_LUA_H
#define STRATA_LUA_H

#include <lua5.4/lua.h>
#include <lua5.4/lauxlib.h>
#include <lua5.4/lualib.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: - Macros re-declared as functions (Swift cannot import function-like macros)

static inline int strata_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline int strata_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline void strata_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void strata_newtable(lua_State *L) { lua_newtable(L); }
static inline const char *strata_tolstring(lua_State *L, int i, size_t *len) { return lua_tolstring(L, i, len); }
static inline lua_Number strata_tonumber(lua_State *L, int i, int *isnum) { return lua_tonumberx(L, i, isnum); }
static inline lua_Integer strata_tointeger(lua_State *L, int i, int *isnum) { return lua_tointegerx(L, i, isnum); }
static inline void strata_insert(lua_State *L, int i) { lua_insert(L, i); }
static inline void strata_remove(lua_State *L, int i) { lua_remove(L, i); }
static inline void strata_replace(lua_State *L, int i) { lua_replace(L, i); }
static inline int strata_isinteger(lua_State *L, int i) { return lua_isinteger(L, i); }
static inline void strata_fullgc(lua_State *L) { lua_gc(L, LUA_GCCOLLECT); }

// MARK: - Guard: per-state limits and the kill switch

/// Why a call was stopped by the host.
enum strata_kill {
    STRATA_KILL_NONE = 0,
    STRATA_KILL_CPU = 1,     ///< the call overran its wall-clock deadline
    STRATA_KILL_MEMORY = 2,  ///< the state hit its memory cap
};

/// Phases of the strategy lifecycle; host functions check the phase they are called in.
enum strata_phase {
    STRATA_PHASE_IDLE = 0,
    STRATA_PHASE_LOAD = 1,
    STRATA_PHASE_INIT = 2,
    STRATA_PHASE_TICK = 3,
    STRATA_PHASE_RENDER = 4,
    STRATA_PHASE_CONFIG = 5,
    STRATA_PHASE_RELOAD = 6,
};

/// Per-state bookkeeping, reachable from any thread (coroutine) of the state via its extra space.
typedef struct strata_guard {
    lua_State *main;                  ///< the main thread; owns everything
    lua_State *volatile current;      ///< the innermost running coroutine (for the kill hook)
    size_t used;                      ///< bytes allocated now
    size_t peak;                      ///< most bytes ever allocated
    size_t cap;                       ///< memory cap in bytes (0: none)
    int enforce;                      ///< cap enforced: only inside protected calls, never in host code
    volatile int killed;              ///< enum strata_kill; set by the allocator or the watchdog
    int busy;                         ///< a protected call is running (catches concurrent or nested misuse)
    int phase;                        ///< enum strata_phase; set by the host around calls
    int close_depth;                  ///< nesting of coroutine.close (Lua 5.4.4 segfaults when deep)
    int closing;                      ///< the state is being closed: host functions refuse to run
    const void *refused;              ///< the block of the last allocation the cap refused
    int cap_hit;                      ///< the cap refused an allocation during the current call
    size_t refused_size;              ///< its requested size (a second refusal of it is final)
    int (*host)(lua_State *, void *, int);  ///< the dispatcher of the state's host functions
    void *host_context;               ///< what `host` gets as its context
    int tick_names;                   ///< registry slot of the tick's interned field names (0: none yet)
    int tick_table;                   ///< registry slot of the reused tick table (0: none)
    int tick_function;                ///< registry slot of the function that may reuse it
    unsigned tick_fields;             ///< which fields the reused tick table holds
    const void *hot[8];               ///< objects every tick touches, for `strata_prefetch`
} strata_guard;

/// Creates a state with Strata's allocator and a guard; `cap` is the memory cap in bytes (0: none).
/// Returns NULL when out of memory.
lua_State *strata_newstate(size_t cap);

/// Closes a state made by `strata_newstate` and frees its guard.
void strata_close(lua_State *L);

/// The guard of any thread of a state made by `strata_newstate`.
static inline strata_guard *strata_getguard(lua_State *L) {
    return *(strata_guard **)lua_getextraspace(L);
}

/// Raises the kill error on `L` if the state was killed; for long-running C code that polls.
void strata_checkkilled(lua_State *L);

/// Kills the running call: sets the flag and arms the kill hook on the running threads.
/// Safe from a signal handler on the thread running the state.
void strata_armkill(strata_guard *g, int reason);

/// For wrappers that catch errors (pcall, coroutine.resume): turns a memory error under the cap
/// into a kill, and says whether the state is killed, in which case the error must propagate.
int strata_propagatestatus(lua_State *L, int status);

// MARK: - Protected calls

/// Status codes of `strata_pcall`: Lua's own (LUA_OK, LUA_ERRRUN, LUA_ERRMEM, LUA_ERRERR,
/// LUA_ERRSYNTAX) plus these, decided from the host's own flags rather than from the error value.
enum strata_status {
    STRATA_ERRCPU = 100,    ///< killed: deadline overrun
    STRATA_ERRMEMCAP = 101, ///< killed: memory cap
    STRATA_ERRBUSY = 102,   ///< the state was already in a call (misuse)
};

/// Calls the function below `nargs` arguments on the stack, protected, with a traceback handler
/// and a wall-clock deadline of `budget_ns` (0: none). Like `lua_pcall` it leaves `nresults`
/// results, or on error one error value: a table `{ message = string, traceback = string }`.
// stack: [f, args...] -> [results...] | [err]
int strata_pcall(lua_State *L, int nargs, int nresults, uint64_t budget_ns);

/// Loads a text chunk (never binary) under the memory cap; pushes the function or an error
/// table `{ message }`. Returns a status like `strata_pcall`.
// stack: [] -> [f] | [err]
int strata_loadtext(lua_State *L, const char *source, size_t len, const char *chunkname);

/// Loads a chunk the host compiled itself (`strata_dump` output of a verified text chunk) under
/// the memory cap; pushes the function or an error table `{ message }`. Host-only: scripts can
/// never load binary chunks (Lua does not verify them). `chunkname` is ignored by Lua for binary
/// chunks (the dump carries its own); it is accepted for symmetry with `strata_loadtext`.
// stack: [] -> [f] | [err]
int strata_loadcompiled(lua_State *L, const void *bytes, size_t len, const char *chunkname);

/// Dumps the Lua function on top of the stack with its debug info (line numbers, local names,
/// the chunk name) into a new buffer that the caller frees with `strata_freedump`. Returns 0 on
/// success; the state's own memory is not touched.
// stack: [f] -> [f]
int strata_dump(lua_State *L, void **bytes, size_t *len);

/// Frees a buffer made by `strata_dump`.
void strata_freedump(void *bytes);

// MARK: - Host functions implemented in Swift

/// The result a Swift host function returns when it wants an error raised: the message is on the
/// top of the stack; C prefixes the caller's position and raises it.
#define STRATA_HOST_ERROR (-1)

/// A host function implemented in Swift. It must not raise (no `luaL_check*`, no `lua_error`,
/// no metamethods: raw access only). It returns the number of results it pushed, or
/// `STRATA_HOST_ERROR` with a message on top of the stack.
typedef int (*strata_host_fn)(lua_State *L, void *context, int function_id);

/// Pushes a Lua function that calls `fn(L, context, function_id)`; the memory cap is not enforced
/// while Swift runs (so no allocation can raise inside Swift). The first 32 ids of a state's one
/// `fn` and `context` are light C functions (nothing allocated); others are C closures.
// stack: [] -> [function]
void strata_pushhostfunction(lua_State *L, strata_host_fn fn, void *context, int function_id);

// MARK: - Ticks

/// Optional fields of a tick, in the order of `strata_tick.optional`.
enum strata_tick_field { STRATA_TICK_VOLUME, STRATA_TICK_BID, STRATA_TICK_ASK, STRATA_TICK_OPEN,
                         STRATA_TICK_HIGH, STRATA_TICK_LOW, STRATA_TICK_FIELDS };

/// A tick as the host hands it over; NaN in `optional` means absent.
typedef struct strata_tick {
    const char *market;
    size_t market_length;
    double ts;
    double price;
    double optional[STRATA_TICK_FIELDS];
} strata_tick;

/// Pushes a fresh tick table `{market, ts, price, volume?, bid?, ask?, open?, high?, low?, close?}`
/// (`close` equals `price` when the tick is a bar). One C call per tick keeps the hot path short.
// stack: [] -> [tick]
void strata_pushtick(lua_State *L, const strata_tick *tick);

/// Looks at the function in registry slot `ref` before it gets ticks: when its bytecode shows
/// that it only reads fields of its tick (so no script can tell one table from another), one
/// tick table is kept for all its calls. Call it again whenever the tick function changes.
void strata_preparetick(lua_State *L, int ref);

/// Frees registry slot `ref` (luaL_unref), forgetting it as the tick function if it was one: a
/// slot used again later holds a function `strata_preparetick` has not looked at.
void strata_releaseref(lua_State *L, int ref);

/// Asks the CPU to start loading what the next tick of this state will touch first (its
/// state, guard and the tables every tick reads), so that a caller cycling through many states
/// can overlap those memory loads with the work on another state. Only a hint: touches nothing.
void strata_prefetch(lua_State *L);

/// The tick hot path in one C call: pushes the function held in registry slot `ref` and a
/// tick table (fresh, or the kept one for a function `strata_preparetick` cleared), and calls
/// it like `strata_pcall` (no results) in phase STRATA_PHASE_TICK.
// stack: [] -> [] | [err]
int strata_calltick(lua_State *L, int ref, const strata_tick *tick, uint64_t budget_ns);

// MARK: - Sandbox

/// Builds the sandbox in a fresh state: opens the allowed libraries, replaces the functions whose
/// work a hook cannot bound, write-protects the libraries and the string metatable, and leaves
/// a global table with only the allow-listed names. Runs protected; returns a status like
/// `strata_pcall` (an error table is pushed on failure, nothing on success).
int strata_opensandbox(lua_State *L);

/// Pushes a read-only proxy of the table at `index` (writes raise, `rawset` is refused, the
/// metatable is locked, `pairs` iterates the original without ever handing it out).
// stack: [] -> [proxy]
void strata_pushreadonly(lua_State *L, int index);

/// Registers the bounded pattern-matching functions (find, match, gmatch, gsub) into the table at
/// `index`, replacing Lua's own: they poll the guard's kill flag so a deadline stops them.
void strata_openpatterns(lua_State *L, int index);

// MARK: - Shared modules

/// Installs the global `require` (strata_require.c): `require "a.b"` runs the module `a.b`
/// (file `lib/a/b.lua` beside the strategies) once per state and returns what it returned.
/// Its source comes from the function on top of the stack, called with the name: it returns
/// the source, or nil and a message. New modules load only in phase STRATA_PHASE_LOAD;
/// `root` (the strategy's name) starts the chain of requires shown in messages. Installing it
/// again starts with an empty cache (a hot reload).
// stack: [fetch] -> []
void strata_openrequire(lua_State *L, const char *root);

// MARK: - Watchdog

/// Pooled bytes of closed states kept resident for new states; above it, pages go back to
/// the system. The default is STRATA_ARENA_DEFAULT_WATERMARK.
#define STRATA_ARENA_DEFAULT_WATERMARK ((size_t)64 * 1024 * 1024)

/// The shared chunk pool of the per-state arenas, in bytes.
typedef struct strata_arena_stats {
    size_t pooled_bytes;     ///< chunks of closed states, resident, waiting for new states
    size_t released_bytes;   ///< chunks whose pages were given back to the system
    size_t slab_bytes;       ///< every slab mapped so far
    size_t watermark_bytes;  ///< the most pooled bytes kept resident
} strata_arena_stats;

/// Sets the watermark (bytes) and gives back what is above it now.
void strata_arena_set_watermark(size_t bytes);

/// The pool's figures now.
strata_arena_stats strata_arena_getstats(void);

/// 0 while the deadline watchdog runs (or has not been needed yet), else the error number
/// (errno) of what kept it from starting: then overrunning calls are not stopped.
int strata_watchdog_start_error(void);

/// How often the watchdog looks at running calls.
#define STRATA_WATCHDOG_PERIOD_NS 1000000ull

/// Called (on the watchdog thread) when a killed call still runs after a grace period: it is
/// stuck in C code that nothing in-process can interrupt (Lua 5.4.4 has such paths, e.g. a
/// `__call` chain built by editing a metatable). `phase` is the guard's phase. Processes that
/// cannot wait forever (the CLI) exit from it; the engine will move such scripts to workers.
typedef void (*strata_stuck_handler)(int phase);

/// Sets the handler for stuck calls (NULL: none). The grace period is ten deadlines, at least 1 s.
void strata_setstuckhandler(strata_stuck_handler handler);

/// Tables nested deeper than this are refused by a snapshot.
#define STRATA_SNAPSHOT_MAX_DEPTH 100

/// Writes the value at `index` as a snapshot (plain data only: nil, booleans, integers, floats,
/// strings, tables without metatables; shared tables and cycles kept) into a new buffer the
/// caller frees with `strata_snapshot_free`. Runs no Lua code and allocates nothing in the state.
/// Returns 0, or 1 with `error` naming the path of the first value that cannot be saved (or the
/// size bound it passed).
int strata_snapshot_save(lua_State *L, int index, size_t max_bytes, uint8_t **bytes, size_t *length, char *error, size_t error_size);

/// Frees a buffer made by `strata_snapshot_save`.
void strata_snapshot_free(uint8_t *bytes);

/// Pushes the value a snapshot holds, through `strata_pcall` (under the memory cap; a corrupt
/// snapshot or the cap gives a status other than LUA_OK and the error report instead).
int strata_snapshot_restore(lua_State *L, const uint8_t *bytes, size_t length);

// MARK: - ta

/// Writes what the `ta` indicator at `index` is (`ta.sma(20)`) into `buffer`; returns 0 (and
/// writes nothing) when the value there is not an indicator. Runs no Lua code.
int strata_ta_describe(lua_State *L, int index, char *buffer, size_t size);

#ifdef __cplusplus
}
#endif

#endif
