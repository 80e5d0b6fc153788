// `ta.highest` and `ta.lowest`: the extreme of the last n values through a monotonic deque
// (amortised O(1) per update). The deque is a ring in the object's cells: values in
// `a[0..<n]`, the positions they were fed at in `a[n..<2n]`.
#include "strata_ta.h"

// Slots: updates fed so far (the next position), the deque's first cell, its length.
enum { EX_FED, EX_FIRST, EX_SIZE };

static int64_t extreme_cells(const int32_t *p) { return 2 * (int64_t)p[0]; }

// Feeds `x`; `highest` picks the direction.
static int extreme_update(ta_obj *o, double x, int highest, double *out) {
    ta_cell *s = o->s;
    int32_t n = o->p[0];
    int64_t fed = s[EX_FED].i, first = s[EX_FIRST].i, size = s[EX_SIZE].i;
    // Drop what left the window (positions up to fed - n) before adding: the deque then
    // holds at most n - 1 entries, so the new one always fits.
    while (size > 0 && o->a[n + first].i <= fed - n) {
        first = first + 1 == n ? 0 : first + 1;
        size--;
    }
    // Drop from the back what the new value dominates: it outlives them in the window.
    while (size > 0) {
        int64_t back = (first + size - 1) % n;
        double v = o->a[back].d;
        if (highest ? v > x : v < x) break;
        size--;
    }
    int64_t at = (first + size) % n;
    o->a[at].d = x;
    o->a[n + at].i = fed;
    s[EX_FED].i = fed + 1;
    s[EX_FIRST].i = first;
    s[EX_SIZE].i = size + 1;
    if (fed + 1 < n) return 0;
    out[0] = o->a[first].d;
    return 1;
}

static int highest_update(ta_obj *o, const double *in, double *out) { return extreme_update(o, in[0], 1, out); }
static int lowest_update(ta_obj *o, const double *in, double *out) { return extreme_update(o, in[0], 0, out); }

// A restored deque must be what updates leave: positions rising within the last n fed, values
// falling (highest) or rising (lowest) strictly from front to back.
static const char *extreme_check(const ta_obj *o, int highest) {
    const ta_cell *s = o->s;
    int32_t n = o->p[0];
    int64_t fed = s[EX_FED].i, first = s[EX_FIRST].i, size = s[EX_SIZE].i;
    if (fed < 0 || fed > INT64_MAX / 2) return "the count of values fed is out of range";
    if (first < 0 || first >= n) return "the deque's start is out of range";
    if (size < (fed > 0) || size > n || size > fed) return "the deque's length is out of range";
    int64_t prev_at = -1;
    double prev_value = 0;
    for (int64_t k = 0; k < size; k++) {
        int64_t at = (first + k) % n;
        int64_t position = o->a[n + at].i;
        double value = o->a[at].d;
        if (!ta_bounded(value)) return "the deque holds a value out of range";
        if (position < fed - n || position >= fed) return "the deque holds a position outside the window";
        if (prev_at >= 0) {
            if (position <= o->a[n + prev_at].i) return "the deque's positions do not rise";
            if (highest ? value >= prev_value : value <= prev_value) return "the deque's values are out of order";
        }
        prev_at = at;
        prev_value = value;
    }
    if (size > 0 && o->a[n + (first + size - 1) % n].i != fed - 1) return "the deque lacks the last value fed";
    return NULL;
}

static const char *highest_check(const ta_obj *o) { return extreme_check(o, 1); }
static const char *lowest_check(const ta_obj *o) { return extreme_check(o, 0); }

static const char *const value_input[] = {"value"};

const ta_kind ta_highest = {.name = "highest", .id = 10, .periods = 1, .nin = 1, .nout = 1, .inputs = value_input,
                            .cells = extreme_cells, .update = highest_update, .check = highest_check};
const ta_kind ta_lowest = {.name = "lowest", .id = 11, .periods = 1, .nin = 1, .nout = 1, .inputs = value_input,
                           .cells = extreme_cells, .update = lowest_update, .check = lowest_check};
