// Internal: the `ta` library's indicator objects (strata_ta*.c).
//
// An indicator is one full userdata: a fixed header (its kind, parameters, last outputs and a
// few scalar slots) followed by an array of cells whose length follows from the kind and its
// periods. It holds no pointer but its kind, so a snapshot is the header's numbers and the cells,
// and a restored object is checked by the same rules that keep a live one consistent.
#ifndef STRATA_TA_H
#define STRATA_TA_H

#include "strata_lua.h"

/// The longest period an indicator accepts (its buffers then take a few MiB, counted against
/// the state's memory cap like any other allocation).
#define TA_MAX_PERIOD 1000000
/// The largest magnitude an input may have: sums, squares and products of inputs then stay
/// finite whatever the period or the number of updates.
#define TA_MAX_INPUT 1e100
/// Scalar slots of an indicator (sums, compensations, smoothed values, counters).
#define TA_SLOTS 16
/// Most inputs and outputs of one update.
#define TA_MAX_IO 4

/// One number of an indicator's state: a float or a counter, as its kind says.
typedef union ta_cell {
    double d;
    int64_t i;
} ta_cell;

struct ta_kind;

/// An indicator object (the userdata's block).
typedef struct ta_obj {
    const struct ta_kind *kind;
    int32_t p[3];          ///< periods (0 when unused)
    double k;              ///< a multiplier (bollinger's band width), else 0
    int32_t ready;         ///< whether `out` holds the last update's value
    double out[TA_MAX_IO]; ///< the last outputs
    ta_cell s[TA_SLOTS];   ///< scalar state, kind-specific
    int64_t ncells;        ///< length of `a`, a function of kind and periods
    ta_cell a[];           ///< buffers, kind-specific
} ta_obj;

/// What an indicator's constructor takes after its periods.
enum ta_extra { TA_EXTRA_NONE, TA_EXTRA_K, TA_EXTRA_OPTIONAL_PERIOD };

/// One kind of indicator: its name, its arguments, and the functions that run it.
typedef struct ta_kind {
    const char *name;            ///< Lua name: `ta.<name>(...)`
    uint8_t id;                  ///< stable number in snapshots (never reused)
    int8_t periods;              ///< periods the constructor takes
    int8_t extra;                ///< enum ta_extra
    int8_t nin;                  ///< numbers `update` takes
    int8_t nout;                 ///< values `update` returns once ready
    int8_t boolean;              ///< outputs are booleans (crossover, crossunder)
    int8_t nil_inputs;           ///< inputs may be nil (then the update gives false)
    uint8_t nonnegative;         ///< bit i set: input i must not be negative
    const char *const *inputs;   ///< names of `update`'s arguments, for errors
    /// Cells the object needs for periods `p` (at most a few times the longest period).
    int64_t (*cells)(const int32_t *p);
    /// Feeds one update (inputs already checked finite and bounded; for `nil_inputs` kinds a
    /// NaN stands for nil); writes `out` and returns whether the value is ready.
    int (*update)(ta_obj *o, const double *in, double *out);
    /// Checks a restored object's slots and cells: NULL if consistent, else what is wrong.
    const char *(*check)(const ta_obj *o);
} ta_kind;

/// Every kind, for the library and for snapshots; ends with NULL.
extern const ta_kind *const ta_kinds[];

extern const ta_kind ta_sma, ta_ema, ta_wma, ta_rma, ta_rsi, ta_macd, ta_bollinger, ta_stdev,
    ta_atr, ta_highest, ta_lowest, ta_roc, ta_vwap, ta_crossover, ta_crossunder;

/// Clears an object's state (periods and multiplier stay): it warms up again.
void ta_clear(ta_obj *o);

/// Pushes the metatable of `kind`'s objects, creating it on first use.
// stack: [] -> [mt]
void ta_pushmetatable(lua_State *L, const ta_kind *kind);

/// The indicator at `index`, or NULL if the value there is not one.
ta_obj *ta_toobj(lua_State *L, int index);

/// Writes `o`'s description (`ta.sma(20)`) into `buffer`.
void ta_describe(const ta_obj *o, char *buffer, size_t size);

/// Opens the `ta` library: the table of constructors.
// stack: [] -> [lib]
int strata_open_ta(lua_State *L);

// MARK: - Snapshots (strata_ta_codec.c)

/// Bytes `strata_ta_encode` writes for `o`.
size_t strata_ta_encodedsize(const ta_obj *o);
/// Writes `o` (its kind's id, parameters, outputs, slots and cells) at `at`.
void strata_ta_encode(const ta_obj *o, uint8_t *at);
/// Reads an object written by `strata_ta_encode` from at most `length` bytes, checking every
/// field; pushes it and sets `used`, or raises "corrupt snapshot: ...".
// stack: [] -> [o]
int strata_ta_decode(lua_State *L, const uint8_t *bytes, size_t length, size_t *used);

// MARK: - Building blocks shared by kinds (strata_ta_blocks.c)

/// Adds `x` to a compensated (Neumaier) sum held in two slots.
static inline void ta_kadd(ta_cell *sum, ta_cell *comp, double x) {
    double s = sum->d, t = s + x;
    comp->d += (s >= x || s <= -x) ? (s - t) + x : (x - t) + s;
    sum->d = t;
}

/// How many updates a windowed sum runs between exact recomputations from its buffer (amortised
/// O(1), and no drift beyond a few ulps between two).
static inline int64_t ta_resync_interval(int32_t period) { return period < 64 ? 64 : period; }

/// Exponential smoothing seeded with the simple mean of its first `n` values (TradingView's
/// `ta.ema`/`ta.rma`). Uses four slots from `s`: sum, compensation, value, count.
int ta_smooth(ta_cell *s, int32_t n, double alpha, double x, double *out);
/// Checks the four slots of a smoothing (count in 0...n, numbers finite).
const char *ta_smooth_check(const ta_cell *s, int32_t n);

/// Whether `x` is finite and within TA_MAX_INPUT in magnitude (as every stored input is).
static inline int ta_bounded(double x) { return x == x && x <= TA_MAX_INPUT && x >= -TA_MAX_INPUT; }
/// Whether `x` is finite.
static inline int ta_finite(double x) { return x == x && x - x == 0; }
/// Checks that cells `from..<to` are bounded inputs.
const char *ta_check_inputs(const ta_obj *o, int64_t from, int64_t to);

#endif
