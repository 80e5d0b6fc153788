// `ta` indicators over a sliding window of the last n values: sma, wma, stdev, bollinger, roc.
// The window is a ring buffer in the object's cells; running sums are compensated and, every
// ta_resync_interval updates, recomputed exactly from the buffer (amortised O(1) per update).
#include "strata_ta.h"

#include <math.h>

// Slots every window kind starts with: the ring's next position, its fill, updates since the
// last exact recomputation.
enum { W_HEAD, W_COUNT, W_SINCE, W_NEXT };

static int64_t period_cells(const int32_t *p) { return p[0]; }

// Stores `x` in the ring; returns the value it replaced (NAN while the ring fills).
static double window_push(ta_obj *o, double x) {
    ta_cell *s = o->s;
    int32_t n = o->p[0];
    int64_t head = s[W_HEAD].i;
    double old = NAN;
    if (s[W_COUNT].i == n) old = o->a[head].d;
    else s[W_COUNT].i++;
    o->a[head].d = x;
    s[W_HEAD].i = head + 1 == n ? 0 : head + 1;
    return old;
}

// Whether the running sums are due for an exact recomputation (and restarts the count if so).
static int window_due(ta_obj *o) {
    if (++o->s[W_SINCE].i < ta_resync_interval(o->p[0])) return 0;
    o->s[W_SINCE].i = 0;
    return 1;
}

// The position of the oldest value in the ring.
static int64_t window_oldest(const ta_obj *o) { return o->s[W_COUNT].i == o->p[0] ? o->s[W_HEAD].i : 0; }

static const char *window_check(const ta_obj *o) {
    const ta_cell *s = o->s;
    int32_t n = o->p[0];
    if (s[W_COUNT].i < 0 || s[W_COUNT].i > n) return "the window's fill is out of range";
    if (s[W_HEAD].i < 0 || s[W_HEAD].i >= n) return "the window's position is out of range";
    if (s[W_COUNT].i < n && s[W_HEAD].i != s[W_COUNT].i) return "a filling window's position is not its fill";
    if (s[W_SINCE].i < 0 || s[W_SINCE].i >= ta_resync_interval(n)) return "the window's resync count is out of range";
    for (int i = W_NEXT; i < TA_SLOTS; i++)
        if (!ta_finite(s[i].d)) return "the window holds a sum that is not finite";
    return ta_check_inputs(o, 0, s[W_COUNT].i);
}

static const char *const value_input[] = {"value"};

// MARK: sma

enum { SMA_SUM = W_NEXT, SMA_COMP };

static int sma_update(ta_obj *o, const double *in, double *out) {
    ta_cell *s = o->s;
    double old = window_push(o, in[0]);
    if (old == old) ta_kadd(&s[SMA_SUM], &s[SMA_COMP], -old);
    ta_kadd(&s[SMA_SUM], &s[SMA_COMP], in[0]);
    if (window_due(o)) {
        s[SMA_SUM].d = s[SMA_COMP].d = 0;
        for (int64_t i = 0; i < s[W_COUNT].i; i++) ta_kadd(&s[SMA_SUM], &s[SMA_COMP], o->a[i].d);
    }
    if (s[W_COUNT].i < o->p[0]) return 0;
    out[0] = (s[SMA_SUM].d + s[SMA_COMP].d) / o->p[0];
    return 1;
}

const ta_kind ta_sma = {.name = "sma", .id = 1, .periods = 1, .nin = 1, .nout = 1, .inputs = value_input,
                        .cells = period_cells, .update = sma_update, .check = window_check};

// MARK: wma

// Weights 1 (oldest) to n (newest): the weighted sum moves by n·x minus the previous plain sum.
enum { WMA_SUM = W_NEXT, WMA_COMP, WMA_WSUM, WMA_WCOMP };

static int wma_update(ta_obj *o, const double *in, double *out) {
    ta_cell *s = o->s;
    int32_t n = o->p[0];
    double x = in[0];
    double old = window_push(o, x);
    if (old == old) {
        ta_kadd(&s[WMA_WSUM], &s[WMA_WCOMP], -(s[WMA_SUM].d + s[WMA_COMP].d));
        ta_kadd(&s[WMA_WSUM], &s[WMA_WCOMP], n * x);
        ta_kadd(&s[WMA_SUM], &s[WMA_COMP], -old);
    } else {
        ta_kadd(&s[WMA_WSUM], &s[WMA_WCOMP], (double)s[W_COUNT].i * x);
    }
    ta_kadd(&s[WMA_SUM], &s[WMA_COMP], x);
    if (window_due(o)) {
        s[WMA_SUM].d = s[WMA_COMP].d = s[WMA_WSUM].d = s[WMA_WCOMP].d = 0;
        int64_t count = s[W_COUNT].i, at = window_oldest(o);
        for (int64_t w = 1; w <= count; w++) {
            double v = o->a[at].d;
            ta_kadd(&s[WMA_SUM], &s[WMA_COMP], v);
            ta_kadd(&s[WMA_WSUM], &s[WMA_WCOMP], (double)w * v);
            at = at + 1 == n ? 0 : at + 1;
        }
    }
    if (s[W_COUNT].i < n) return 0;
    out[0] = (s[WMA_WSUM].d + s[WMA_WCOMP].d) / ((double)n * (n + 1.0) / 2);
    return 1;
}

const ta_kind ta_wma = {.name = "wma", .id = 3, .periods = 1, .nin = 1, .nout = 1, .inputs = value_input,
                        .cells = period_cells, .update = wma_update, .check = window_check};

// MARK: stdev, bollinger

// Welford's mean and sum of squared deviations, slid (add the new value, drop the oldest).
enum { SD_MEAN = W_NEXT, SD_M2 };

static int deviation_update(ta_obj *o, double x) {
    ta_cell *s = o->s;
    int32_t n = o->p[0];
    double old = window_push(o, x), mean = s[SD_MEAN].d, next;
    if (old == old) {
        next = mean + (x - old) / n;
        s[SD_M2].d += (x - old) * (x - next + old - mean);
    } else {
        next = mean + (x - mean) / (double)s[W_COUNT].i;
        s[SD_M2].d += (x - mean) * (x - next);
    }
    s[SD_MEAN].d = next;
    if (window_due(o)) {
        ta_cell sum = {.d = 0}, comp = {.d = 0}, m2 = {.d = 0}, m2comp = {.d = 0};
        int64_t count = s[W_COUNT].i;
        for (int64_t i = 0; i < count; i++) ta_kadd(&sum, &comp, o->a[i].d);
        mean = (sum.d + comp.d) / (double)count;
        for (int64_t i = 0; i < count; i++) ta_kadd(&m2, &m2comp, (o->a[i].d - mean) * (o->a[i].d - mean));
        s[SD_MEAN].d = mean;
        s[SD_M2].d = m2.d + m2comp.d;
    }
    return s[W_COUNT].i == n;
}

// The population standard deviation (divided by n, as TradingView's ta.stdev and Bollinger's).
static double deviation(const ta_obj *o) {
    double m2 = o->s[SD_M2].d;
    return m2 > 0 ? sqrt(m2 / o->p[0]) : 0;
}

static int stdev_update(ta_obj *o, const double *in, double *out) {
    if (!deviation_update(o, in[0])) return 0;
    out[0] = deviation(o);
    return 1;
}

static int bollinger_update(ta_obj *o, const double *in, double *out) {
    if (!deviation_update(o, in[0])) return 0;
    double mean = o->s[SD_MEAN].d, sd = deviation(o);
    out[0] = mean;
    out[1] = mean + o->k * sd;
    out[2] = mean - o->k * sd;
    out[3] = sd;
    return 1;
}

const ta_kind ta_stdev = {.name = "stdev", .id = 8, .periods = 1, .nin = 1, .nout = 1, .inputs = value_input,
                          .cells = period_cells, .update = stdev_update, .check = window_check};
const ta_kind ta_bollinger = {.name = "bollinger", .id = 7, .periods = 1, .extra = TA_EXTRA_K, .nin = 1, .nout = 4,
                              .inputs = value_input, .cells = period_cells, .update = bollinger_update,
                              .check = window_check};

// MARK: roc

static int roc_update(ta_obj *o, const double *in, double *out) {
    double old = window_push(o, in[0]);
    if (!(old == old) || old == 0) return 0;  // warming up, or no rate of change from 0
    out[0] = 100 * (in[0] - old) / old;
    return 1;
}

const ta_kind ta_roc = {.name = "roc", .id = 12, .periods = 1, .nin = 1, .nout = 1, .inputs = value_input,
                        .cells = period_cells, .update = roc_update, .check = window_check};
