// `ta.vwap` (cumulative, or over the last n updates) and `ta.crossover`/`ta.crossunder`.
#include "strata_ta.h"

#include <math.h>

// MARK: vwap

// Slots: the compensated sums of price·volume and of volume; for a windowed vwap also the
// ring's next position, its fill and updates since the last exact recomputation. A windowed
// vwap keeps price·volume in a[0..<n] and volume in a[n..<2n].
enum { VW_PV, VW_PVC, VW_V, VW_VC, VW_HEAD, VW_COUNT, VW_SINCE };

static int64_t vwap_cells(const int32_t *p) { return 2 * (int64_t)p[0]; }

static int vwap_update(ta_obj *o, const double *in, double *out) {
    ta_cell *s = o->s;
    int32_t n = o->p[0];
    double pv = in[0] * in[1], v = in[1];
    if (n > 0) {
        int64_t head = s[VW_HEAD].i;
        if (s[VW_COUNT].i == n) {
            ta_kadd(&s[VW_PV], &s[VW_PVC], -o->a[head].d);
            ta_kadd(&s[VW_V], &s[VW_VC], -o->a[n + head].d);
        } else {
            s[VW_COUNT].i++;
        }
        o->a[head].d = pv;
        o->a[n + head].d = v;
        s[VW_HEAD].i = head + 1 == n ? 0 : head + 1;
    }
    ta_kadd(&s[VW_PV], &s[VW_PVC], pv);
    ta_kadd(&s[VW_V], &s[VW_VC], v);
    if (n > 0 && ++s[VW_SINCE].i >= ta_resync_interval(n)) {
        s[VW_SINCE].i = 0;
        s[VW_PV].d = s[VW_PVC].d = s[VW_V].d = s[VW_VC].d = 0;
        for (int64_t i = 0; i < s[VW_COUNT].i; i++) {
            ta_kadd(&s[VW_PV], &s[VW_PVC], o->a[i].d);
            ta_kadd(&s[VW_V], &s[VW_VC], o->a[n + i].d);
        }
    }
    double volume = s[VW_V].d + s[VW_VC].d;
    if ((n > 0 && s[VW_COUNT].i < n) || !(volume > 0)) return 0;  // warming up, or no volume yet
    out[0] = (s[VW_PV].d + s[VW_PVC].d) / volume;
    return 1;
}

static const char *vwap_check(const ta_obj *o) {
    const ta_cell *s = o->s;
    int32_t n = o->p[0];
    for (int i = VW_PV; i <= VW_VC; i++)
        if (!ta_finite(s[i].d)) return "vwap holds a sum that is not finite";
    if (n == 0) {
        for (int i = VW_HEAD; i < TA_SLOTS; i++)
            if (s[i].i != 0) return "a cumulative vwap holds window slots";
        return NULL;
    }
    if (s[VW_COUNT].i < 0 || s[VW_COUNT].i > n) return "the window's fill is out of range";
    if (s[VW_HEAD].i < 0 || s[VW_HEAD].i >= n) return "the window's position is out of range";
    if (s[VW_COUNT].i < n && s[VW_HEAD].i != s[VW_COUNT].i) return "a filling window's position is not its fill";
    if (s[VW_SINCE].i < 0 || s[VW_SINCE].i >= ta_resync_interval(n)) return "the window's resync count is out of range";
    for (int64_t i = 0; i < s[VW_COUNT].i; i++) {
        double pv = o->a[i].d, v = o->a[n + i].d;
        if (!ta_finite(pv) || fabs(pv) > TA_MAX_INPUT * TA_MAX_INPUT) return "the window holds a product out of range";
        if (!ta_bounded(v) || v < 0) return "the window holds a volume out of range";
    }
    return NULL;
}

static const char *const vwap_inputs[] = {"price", "volume"};
const ta_kind ta_vwap = {.name = "vwap", .id = 13, .periods = 1, .extra = TA_EXTRA_OPTIONAL_PERIOD, .nin = 2,
                         .nout = 1, .nonnegative = 2, .inputs = vwap_inputs, .cells = vwap_cells,
                         .update = vwap_update, .check = vwap_check};

// MARK: crossover, crossunder

// Slots: the previous pair and whether there is one. A nil input (NaN here) forgets the pair.
enum { CR_A, CR_B, CR_HAS };

static int cross_update(ta_obj *o, const double *in, double *out, int over) {
    ta_cell *s = o->s;
    double a = in[0], b = in[1];
    if (a != a || b != b) {
        s[CR_HAS].i = 0;
        out[0] = 0;
        return 1;
    }
    int crossed = 0;
    if (s[CR_HAS].i) {
        double pa = s[CR_A].d, pb = s[CR_B].d;
        crossed = over ? a > b && pa <= pb : a < b && pa >= pb;
    }
    s[CR_A].d = a;
    s[CR_B].d = b;
    s[CR_HAS].i = 1;
    out[0] = crossed;
    return 1;
}

static int crossover_update(ta_obj *o, const double *in, double *out) { return cross_update(o, in, out, 1); }
static int crossunder_update(ta_obj *o, const double *in, double *out) { return cross_update(o, in, out, 0); }

static int64_t no_cells(const int32_t *p) {
    (void)p;
    return 0;
}

static const char *cross_check(const ta_obj *o) {
    const ta_cell *s = o->s;
    if (s[CR_HAS].i & ~1) return "the previous-pair flag is not 0 or 1";
    if (!ta_bounded(s[CR_A].d) || !ta_bounded(s[CR_B].d)) return "the previous pair is out of range";
    return NULL;
}

static const char *const cross_inputs[] = {"a", "b"};
const ta_kind ta_crossover = {.name = "crossover", .id = 14, .nin = 2, .nout = 1, .boolean = 1, .nil_inputs = 1,
                              .inputs = cross_inputs, .cells = no_cells, .update = crossover_update,
                              .check = cross_check};
const ta_kind ta_crossunder = {.name = "crossunder", .id = 15, .nin = 2, .nout = 1, .boolean = 1, .nil_inputs = 1,
                               .inputs = cross_inputs, .cells = no_cells, .update = crossunder_update,
                               .check = cross_check};
