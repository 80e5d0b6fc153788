// `ta` indicators built on exponential smoothing: ema, rma, rsi, macd, atr. Each smoothing is
// seeded with the simple mean of its first n values, as TradingView's ta.ema and ta.rma are.
#include "strata_ta.h"

#include <math.h>

// Slots of one smoothing (ta_smooth): the seed's compensated sum, the value, the count.
enum { SM_SUM, SM_COMP, SM_VALUE, SM_COUNT, SM_SLOTS };

int ta_smooth(ta_cell *s, int32_t n, double alpha, double x, double *out) {
    int64_t count = s[SM_COUNT].i;
    if (count < n) {
        ta_kadd(&s[SM_SUM], &s[SM_COMP], x);
        s[SM_COUNT].i = ++count;
        if (count < n) return 0;
        s[SM_VALUE].d = (s[SM_SUM].d + s[SM_COMP].d) / (double)n;
    } else {
        s[SM_VALUE].d = alpha * x + (1 - alpha) * s[SM_VALUE].d;
    }
    *out = s[SM_VALUE].d;
    return 1;
}

const char *ta_smooth_check(const ta_cell *s, int32_t n) {
    if (s[SM_COUNT].i < 0 || s[SM_COUNT].i > n) return "a smoothing's count is out of range";
    if (!ta_finite(s[SM_SUM].d) || !ta_finite(s[SM_COMP].d) || !ta_finite(s[SM_VALUE].d))
        return "a smoothing holds a number that is not finite";
    return NULL;
}

static int64_t no_cells(const int32_t *p) {
    (void)p;
    return 0;
}

static const char *const value_input[] = {"value"};

// MARK: ema, rma

static int ema_update(ta_obj *o, const double *in, double *out) {
    return ta_smooth(o->s, o->p[0], 2.0 / (o->p[0] + 1.0), in[0], out);
}

static int rma_update(ta_obj *o, const double *in, double *out) {
    return ta_smooth(o->s, o->p[0], 1.0 / o->p[0], in[0], out);
}

static const char *one_smooth_check(const ta_obj *o) { return ta_smooth_check(o->s, o->p[0]); }

const ta_kind ta_ema = {.name = "ema", .id = 2, .periods = 1, .nin = 1, .nout = 1, .inputs = value_input,
                        .cells = no_cells, .update = ema_update, .check = one_smooth_check};
const ta_kind ta_rma = {.name = "rma", .id = 4, .periods = 1, .nin = 1, .nout = 1, .inputs = value_input,
                        .cells = no_cells, .update = rma_update, .check = one_smooth_check};

// MARK: rsi

// Slots: the smoothed gains, the smoothed losses, the previous value and whether there is one.
enum { RSI_UP = 0, RSI_DOWN = SM_SLOTS, RSI_PREV = 2 * SM_SLOTS, RSI_HAS_PREV };

static int rsi_update(ta_obj *o, const double *in, double *out) {
    ta_cell *s = o->s;
    double x = in[0];
    if (!s[RSI_HAS_PREV].i) {
        s[RSI_PREV].d = x;
        s[RSI_HAS_PREV].i = 1;
        return 0;
    }
    double change = x - s[RSI_PREV].d, up, down;
    s[RSI_PREV].d = x;
    double alpha = 1.0 / o->p[0];
    int ready = ta_smooth(s + RSI_UP, o->p[0], alpha, change > 0 ? change : 0, &up);
    ta_smooth(s + RSI_DOWN, o->p[0], alpha, change < 0 ? -change : 0, &down);
    if (!ready) return 0;
    out[0] = down == 0 ? 100 : up == 0 ? 0 : 100 - 100 / (1 + up / down);
    return 1;
}

static const char *rsi_check(const ta_obj *o) {
    const char *why = ta_smooth_check(o->s + RSI_UP, o->p[0]);
    if (!why) why = ta_smooth_check(o->s + RSI_DOWN, o->p[0]);
    if (!why && o->s[RSI_UP + SM_COUNT].i != o->s[RSI_DOWN + SM_COUNT].i) why = "rsi's smoothings disagree";
    if (!why && (o->s[RSI_HAS_PREV].i & ~1)) why = "rsi's previous-value flag is not 0 or 1";
    if (!why && !ta_bounded(o->s[RSI_PREV].d)) why = "rsi's previous value is out of range";
    return why;
}

const ta_kind ta_rsi = {.name = "rsi", .id = 5, .periods = 1, .nin = 1, .nout = 1, .inputs = value_input,
                        .cells = no_cells, .update = rsi_update, .check = rsi_check};

// MARK: macd

enum { MACD_FAST = 0, MACD_SLOW = SM_SLOTS, MACD_SIGNAL = 2 * SM_SLOTS };

static int macd_update(ta_obj *o, const double *in, double *out) {
    double fast, slow, signal;
    int ready = ta_smooth(o->s + MACD_FAST, o->p[0], 2.0 / (o->p[0] + 1.0), in[0], &fast);
    ready &= ta_smooth(o->s + MACD_SLOW, o->p[1], 2.0 / (o->p[1] + 1.0), in[0], &slow);
    if (!ready) return 0;
    double line = fast - slow;
    if (!ta_smooth(o->s + MACD_SIGNAL, o->p[2], 2.0 / (o->p[2] + 1.0), line, &signal)) return 0;
    out[0] = line;
    out[1] = signal;
    out[2] = line - signal;
    return 1;
}

static const char *macd_check(const ta_obj *o) {
    const char *why = ta_smooth_check(o->s + MACD_FAST, o->p[0]);
    if (!why) why = ta_smooth_check(o->s + MACD_SLOW, o->p[1]);
    if (!why) why = ta_smooth_check(o->s + MACD_SIGNAL, o->p[2]);
    int lines = o->s[MACD_FAST + SM_COUNT].i == o->p[0] && o->s[MACD_SLOW + SM_COUNT].i == o->p[1];
    if (!why && !lines && o->s[MACD_SIGNAL + SM_COUNT].i != 0) why = "macd's signal started before its line";
    return why;
}

const ta_kind ta_macd = {.name = "macd", .id = 6, .periods = 3, .nin = 1, .nout = 3, .inputs = value_input,
                         .cells = no_cells, .update = macd_update, .check = macd_check};

// MARK: atr

enum { ATR_SMOOTH = 0, ATR_PREV_CLOSE = SM_SLOTS, ATR_HAS_PREV };

static int atr_update(ta_obj *o, const double *in, double *out) {
    ta_cell *s = o->s;
    double high = in[0], low = in[1], range = high - low;
    if (s[ATR_HAS_PREV].i) {
        double prev = s[ATR_PREV_CLOSE].d;
        range = fmax(range, fmax(fabs(high - prev), fabs(low - prev)));
    }
    s[ATR_PREV_CLOSE].d = in[2];
    s[ATR_HAS_PREV].i = 1;
    return ta_smooth(s + ATR_SMOOTH, o->p[0], 1.0 / o->p[0], range, out);
}

static const char *atr_check(const ta_obj *o) {
    const char *why = ta_smooth_check(o->s + ATR_SMOOTH, o->p[0]);
    if (!why && (o->s[ATR_HAS_PREV].i & ~1)) why = "atr's previous-close flag is not 0 or 1";
    if (!why && !ta_bounded(o->s[ATR_PREV_CLOSE].d)) why = "atr's previous close is out of range";
    return why;
}

static const char *const atr_inputs[] = {"high", "low", "close"};
const ta_kind ta_atr = {.name = "atr", .id = 9, .periods = 1, .nin = 3, .nout = 1, .inputs = atr_inputs,
                        .cells = no_cells, .update = atr_update, .check = atr_check};
