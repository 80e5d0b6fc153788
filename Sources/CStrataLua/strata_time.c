// The `time` library: UTC calendar arithmetic on tick timestamps (Unix seconds), with no
// access to the host's clock. Dates are computed here (Howard Hinnant's days/civil algorithms),
// never by gmtime/strftime/timegm: those have undefined or platform-specific behaviour on
// out-of-range values, and strftime's conversions read the process locale.
//
// Timestamps are Unix seconds, integers or floats, from 0001-01-01T00:00:00Z to
// 9999-12-31T23:59:59.999Z; floats are rounded to the nearest millisecond.
#include "strata_sandbox.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

// MARK: - Bounds (data first: what a script can ask for)

/// The first and last second a timestamp may name (years 1 to 9999).
#define STRATA_TIME_MIN (-62135596800LL)
#define STRATA_TIME_MAX (253402300799LL)
#define STRATA_MS_PER_DAY 86400000LL
/// The longest format string and the longest text `parse` reads.
#define STRATA_TIME_MAX_FORMAT 256
/// Room for the widest output of the longest format (`%A` is 9 bytes for 2 of format).
#define STRATA_TIME_MAX_OUTPUT (STRATA_TIME_MAX_FORMAT * 5)

static const char *const strata_weekday_names[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
static const char *const strata_month_names[] = {"January", "February", "March", "April", "May", "June", "July",
                                                 "August", "September", "October", "November", "December"};

/// One instant broken down (UTC).
typedef struct strata_civil {
    long long year;
    int month, day, hour, min, sec, ms;
    int wday;                  ///< 1 = Monday … 7 = Sunday (ISO 8601)
    int yday;                  ///< 1 … 366
    long long days;            ///< days since 1970-01-01
} strata_civil;

// MARK: - Calendar arithmetic (Hinnant, http://howardhinnant.github.io/date_algorithms.html)

static long long strata_days_from_civil(long long y, int m, int d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const long long yoe = y - era * 400;                                   // [0, 399]
    const long long doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
    const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
    return era * 146097 + doe - 719468;
}

static void strata_civil_from_days(long long z, long long *y, int *m, int *d) {
    z += 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const long long doe = z - era * 146097;                                 // [0, 146096]
    const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);          // [0, 365]
    const long long mp = (5 * doy + 2) / 153;                               // [0, 11]
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int strata_isleap(long long y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

static int strata_days_in_month(long long y, int m) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && strata_isleap(y) ? 29 : days[m - 1];
}

static long long strata_floordiv(long long a, long long b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

static void strata_civil_from_ms(long long total, strata_civil *c) {
    c->days = strata_floordiv(total, STRATA_MS_PER_DAY);
    long long of_day = total - c->days * STRATA_MS_PER_DAY;
    strata_civil_from_days(c->days, &c->year, &c->month, &c->day);
    c->hour = (int)(of_day / 3600000);
    c->min = (int)(of_day / 60000 % 60);
    c->sec = (int)(of_day / 1000 % 60);
    c->ms = (int)(of_day % 1000);
    c->wday = (int)((c->days % 7 + 7 + 3) % 7) + 1;  // 1970-01-01 was a Thursday (4)
    c->yday = (int)(c->days - strata_days_from_civil(c->year, 1, 1)) + 1;
}

// MARK: - Arguments

// Reads the timestamp argument at `arg` as whole milliseconds since the epoch; raises for
// anything but a finite number in range.
static long long strata_checkms(lua_State *L, int arg) {
    int isnum = 0;
    if (lua_isinteger(L, arg)) {
        lua_Integer s = lua_tointeger(L, arg);
        if (s < STRATA_TIME_MIN || s > STRATA_TIME_MAX)
            luaL_argerror(L, arg, "timestamp out of range (years 1 to 9999)");
        return (long long)s * 1000;
    }
    lua_Number ts = lua_tonumberx(L, arg, &isnum);
    if (!isnum || lua_type(L, arg) != LUA_TNUMBER) luaL_typeerror(L, arg, "number");
    if (isnan(ts)) luaL_argerror(L, arg, "timestamp is NaN");
    if (isinf(ts)) luaL_argerror(L, arg, "timestamp is infinite");
    if (ts < (lua_Number)STRATA_TIME_MIN || ts >= (lua_Number)STRATA_TIME_MAX + 1)
        luaL_argerror(L, arg, "timestamp out of range (years 1 to 9999)");
    long long ms = (long long)floor(ts * 1000.0 + 0.5);
    // Rounding the last millisecond of year 9999 up would leave the range.
    return ms > (STRATA_TIME_MAX + 1) * 1000 - 1 ? (STRATA_TIME_MAX + 1) * 1000 - 1 : ms;
}

// Pushes milliseconds since the epoch as seconds: an integer when whole, else a float.
// stack: [] -> [ts]
static void strata_pushms(lua_State *L, long long ms) {
    if (ms % 1000 == 0) lua_pushinteger(L, (lua_Integer)(ms / 1000));
    else lua_pushnumber(L, (lua_Number)ms / 1000.0);
}

// MARK: - format

// Appends `text` to the output; the caller sized the buffer for the longest format.
static void strata_put(char *out, size_t *n, const char *text) {
    size_t length = strlen(text);
    memcpy(out + *n, text, length);
    *n += length;
}

static void strata_putnumber(char *out, size_t *n, long long value, int width, char pad) {
    char digits[24];
    int count = 0;
    int negative = value < 0;
    unsigned long long v = negative ? (unsigned long long)(-value) : (unsigned long long)value;
    do { digits[count++] = (char)('0' + v % 10); v /= 10; } while (v);
    if (negative) out[(*n)++] = '-';
    for (int i = count; i < width; i++) out[(*n)++] = pad;
    while (count) out[(*n)++] = digits[--count];
}

// Writes one conversion; returns 0 when `spec` is not one the library knows.
static int strata_convert(char spec, const strata_civil *c, long long ms, char *out, size_t *n) {
    switch (spec) {
    case 'Y': strata_putnumber(out, n, c->year, 4, '0'); break;
    case 'y': strata_putnumber(out, n, c->year % 100, 2, '0'); break;
    case 'm': strata_putnumber(out, n, c->month, 2, '0'); break;
    case 'd': strata_putnumber(out, n, c->day, 2, '0'); break;
    case 'e': strata_putnumber(out, n, c->day, 2, ' '); break;
    case 'H': strata_putnumber(out, n, c->hour, 2, '0'); break;
    case 'M': strata_putnumber(out, n, c->min, 2, '0'); break;
    case 'S': strata_putnumber(out, n, c->sec, 2, '0'); break;
    case 'L': strata_putnumber(out, n, c->ms, 3, '0'); break;
    case 'j': strata_putnumber(out, n, c->yday, 3, '0'); break;
    case 'u': strata_putnumber(out, n, c->wday, 1, '0'); break;
    case 'w': strata_putnumber(out, n, c->wday % 7, 1, '0'); break;
    case 's': strata_putnumber(out, n, strata_floordiv(ms, 1000), 1, '0'); break;
    case 'A': strata_put(out, n, strata_weekday_names[c->wday - 1]); break;
    case 'B': strata_put(out, n, strata_month_names[c->month - 1]); break;
    case 'a': memcpy(out + *n, strata_weekday_names[c->wday - 1], 3); *n += 3; break;
    case 'b': memcpy(out + *n, strata_month_names[c->month - 1], 3); *n += 3; break;
    case 'F': strata_convert('Y', c, ms, out, n); out[(*n)++] = '-'; strata_convert('m', c, ms, out, n);
              out[(*n)++] = '-'; strata_convert('d', c, ms, out, n); break;
    case 'T': strata_convert('R', c, ms, out, n); out[(*n)++] = ':'; strata_convert('S', c, ms, out, n); break;
    case 'R': strata_convert('H', c, ms, out, n); out[(*n)++] = ':'; strata_convert('M', c, ms, out, n); break;
    case 'z': strata_put(out, n, "+0000"); break;
    case 'Z': strata_put(out, n, "UTC"); break;
    case '%': out[(*n)++] = '%'; break;
    default: return 0;
    }
    return 1;
}

// Raises "unknown conversion" for `spec`, found at byte `at` of the format argument `arg`.
static int strata_badconversion(lua_State *L, int arg, char spec, size_t at, const char *known) {
    unsigned char byte = (unsigned char)spec;
    const char *shown = byte > 0x20 && byte < 0x7f ? lua_pushfstring(L, "'%%%c'", (int)byte) : lua_pushfstring(L, "'%%' and byte %d", (int)byte);
    return luaL_argerror(L, arg, lua_pushfstring(L, "unknown conversion %s at byte %d (known: %s)", shown, (int)at, known));
}

// time.format(ts [, fmt]): fmt defaults to ISO 8601 with milliseconds when there are any.
static int strata_time_format(lua_State *L) {
    long long ms = strata_checkms(L, 1);
    size_t length;
    const char *fmt = luaL_optlstring(L, 2, ms % 1000 ? "%Y-%m-%dT%H:%M:%S.%LZ" : "%Y-%m-%dT%H:%M:%SZ", &length);
    if (length > STRATA_TIME_MAX_FORMAT)
        return luaL_argerror(L, 2, lua_pushfstring(L, "format too long (%d bytes, limit %d)", (int)(length > 99999999 ? 99999999 : length),
                                                   STRATA_TIME_MAX_FORMAT));
    strata_civil c;
    strata_civil_from_ms(ms, &c);
    char out[STRATA_TIME_MAX_OUTPUT];
    size_t n = 0;
    for (size_t i = 0; i < length; i++) {
        if (fmt[i] != '%') { out[n++] = fmt[i]; continue; }
        if (i + 1 == length) return luaL_argerror(L, 2, "format ends with a lone '%'");
        char spec = fmt[++i];
        if (!strata_convert(spec, &c, ms, out, &n)) return strata_badconversion(L, 2, spec, i, "Y y m d e H M S L j u w s a A b B F T R z Z %");
    }
    lua_pushlstring(L, out, n);  // stack: [ts, fmt?, text]
    return 1;
}

// MARK: - parts, make, boundaries

// Sets t[name] = value on the table on top.
static void strata_setint(lua_State *L, const char *name, long long value) {
    lua_pushinteger(L, (lua_Integer)value);
    lua_setfield(L, -2, name);
}

static int strata_time_parts(lua_State *L) {
    strata_civil c;
    strata_civil_from_ms(strata_checkms(L, 1), &c);
    lua_createtable(L, 0, 9);  // stack: [ts, parts]
    strata_setint(L, "year", c.year);
    strata_setint(L, "month", c.month);
    strata_setint(L, "day", c.day);
    strata_setint(L, "hour", c.hour);
    strata_setint(L, "min", c.min);
    strata_setint(L, "sec", c.sec);
    strata_setint(L, "ms", c.ms);
    strata_setint(L, "wday", c.wday);
    strata_setint(L, "yday", c.yday);
    return 1;
}

/// The fields `make` reads, with their ranges (day's upper bound depends on the month).
static const struct strata_field { const char *name; int required; long long min, max; } strata_make_fields[] = {
    {"year", 1, 1, 9999}, {"month", 1, 1, 12}, {"day", 0, 1, 31}, {"hour", 0, 0, 23},
    {"min", 0, 0, 59},    {"sec", 0, 0, 59},   {"ms", 0, 0, 999}, {NULL, 0, 0, 0},
};

// Reads field `f` of the table at 1 (raw: no metamethods) as an integer in range.
static long long strata_makefield(lua_State *L, const struct strata_field *f) {
    lua_pushstring(L, f->name);
    int type = lua_rawget(L, 1);  // stack: [t, value]
    long long value = f == &strata_make_fields[2] ? 1 : 0;
    if (type == LUA_TNIL) {
        if (f->required) luaL_argerror(L, 1, lua_pushfstring(L, "field '%s' is required", f->name));
    } else {
        int isint = 0;
        lua_Integer v = lua_tointegerx(L, -1, &isint);
        if (type != LUA_TNUMBER || !isint)
            luaL_argerror(L, 1, lua_pushfstring(L, "field '%s' must be an integer, got %s", f->name,
                                                type == LUA_TNUMBER ? "a fraction" : lua_typename(L, type)));
        if (v < f->min || v > f->max)
            luaL_argerror(L, 1, lua_pushfstring(L, "field '%s' out of range (%I to %I)", f->name, (LUAI_UACINT)f->min, (LUAI_UACINT)f->max));
        value = v;
    }
    lua_pop(L, 1);  // stack: [t]
    return value;
}

// time.make{year, month, day=1, hour=0, min=0, sec=0, ms=0} -> ts (wday and yday are ignored)
static int strata_time_make(lua_State *L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);  // stack: [t]
    // Unknown fields are refused (a typo such as `minute` would otherwise read as 0).
    lua_pushnil(L);
    while (lua_next(L, 1)) {  // stack: [t, key, value]
        lua_pop(L, 1);
        int known = 0;
        if (lua_type(L, -1) == LUA_TSTRING) {
            const char *key = lua_tostring(L, -1);
            for (const struct strata_field *f = strata_make_fields; f->name; f++)
                if (strcmp(f->name, key) == 0) known = 1;
            // A `time.parts` table round-trips: its derived fields are ignored.
            if (strcmp(key, "wday") == 0 || strcmp(key, "yday") == 0) known = 1;
        }
        if (!known)
            return luaL_argerror(L, 1, lua_type(L, -1) == LUA_TSTRING && lua_rawlen(L, -1) <= 40
                                           ? lua_pushfstring(L, "unknown field '%s'", lua_tostring(L, -1))
                                           : "unknown field (fields: year, month, day, hour, min, sec, ms)");
    }
    long long v[7];
    for (int i = 0; strata_make_fields[i].name; i++) v[i] = strata_makefield(L, &strata_make_fields[i]);
    if (v[2] > strata_days_in_month(v[0], (int)v[1])) {
        char month[16];  // lua_pushfstring has no zero padding
        snprintf(month, sizeof month, "%04d-%02d", (int)v[0], (int)v[1]);
        return luaL_argerror(L, 1, lua_pushfstring(L, "field 'day' out of range (%s has %d days)", month, strata_days_in_month(v[0], (int)v[1])));
    }
    long long days = strata_days_from_civil(v[0], (int)v[1], (int)v[2]);
    strata_pushms(L, ((days * 24 + v[3]) * 60 + v[4]) * 60000 + v[5] * 1000 + v[6]);
    return 1;
}

static int strata_time_day_start(lua_State *L) {
    strata_pushms(L, strata_floordiv(strata_checkms(L, 1), STRATA_MS_PER_DAY) * STRATA_MS_PER_DAY);
    return 1;
}

static int strata_time_week_start(lua_State *L) {
    strata_civil c;
    strata_civil_from_ms(strata_checkms(L, 1), &c);
    long long days = c.days - (c.wday - 1);  // back to Monday (before year 1 only for 0001-01-01, a Monday)
    strata_pushms(L, days * STRATA_MS_PER_DAY);
    return 1;
}

static int strata_time_month_start(lua_State *L) {
    strata_civil c;
    strata_civil_from_ms(strata_checkms(L, 1), &c);
    strata_pushms(L, strata_days_from_civil(c.year, c.month, 1) * STRATA_MS_PER_DAY);
    return 1;
}

static int strata_time_year_start(lua_State *L) {
    strata_civil c;
    strata_civil_from_ms(strata_checkms(L, 1), &c);
    strata_pushms(L, strata_days_from_civil(c.year, 1, 1) * STRATA_MS_PER_DAY);
    return 1;
}

static int strata_time_days_in_month(lua_State *L) {
    lua_Integer year = luaL_checkinteger(L, 1);
    lua_Integer month = luaL_checkinteger(L, 2);
    luaL_argcheck(L, year >= 1 && year <= 9999, 1, "year out of range (1 to 9999)");
    luaL_argcheck(L, month >= 1 && month <= 12, 2, "month out of range (1 to 12)");
    lua_pushinteger(L, strata_days_in_month(year, (int)month));
    return 1;
}

// MARK: - parse

typedef struct strata_scan {
    const char *s;
    size_t n, i;
} strata_scan;

// Reads exactly `width` digits (or 1 to `width` when `exact` is 0); -1 when there are none.
static long long strata_digits(strata_scan *p, int width, int exact) {
    long long value = 0;
    int count = 0;
    while (count < width && p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9') {
        value = value * 10 + (p->s[p->i++] - '0');
        count++;
    }
    return count == 0 || (exact && count < width) ? -1 : value;
}

static int strata_accept(strata_scan *p, char c) {
    if (p->i < p->n && p->s[p->i] == c) { p->i++; return 1; }
    return 0;
}

/// What `parse` collected, before it is checked.
typedef struct strata_fields {
    long long year, month, day, hour, min, sec, ms;
    long long offset_min;      ///< the text's UTC offset, in minutes
} strata_fields;

// Reads a fraction of a second (1 to 9 digits) into milliseconds (rounded down: 1.9999 s is 1.999 s).
static void strata_fraction(strata_scan *p, strata_fields *f) {
    long long scale = 100;
    f->ms = 0;
    for (int count = 0; p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9' && count < 9; count++, scale /= 10)
        f->ms += (p->s[p->i++] - '0') * scale;
}

// Reads `Z`, `+HH:MM`, `-HH:MM` or `+HHMM`; returns 0 on a malformed offset.
static int strata_offset(strata_scan *p, strata_fields *f) {
    if (strata_accept(p, 'Z')) return 1;
    int sign = strata_accept(p, '+') ? 1 : strata_accept(p, '-') ? -1 : 0;
    if (!sign) return 1;
    long long h = strata_digits(p, 2, 1);
    strata_accept(p, ':');
    long long m = strata_digits(p, 2, 1);
    if (h < 0 || m < 0 || h > 23 || m > 59) return 0;
    f->offset_min = sign * (h * 60 + m);
    return 1;
}

// ISO 8601: YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|±HH:MM]. Returns NULL or what is wrong.
static const char *strata_parseiso(strata_scan *p, strata_fields *f) {
    f->year = strata_digits(p, 4, 1);
    if (f->year < 0 || !strata_accept(p, '-')) return "expected YYYY-MM-DD";
    f->month = strata_digits(p, 2, 1);
    if (f->month < 0 || !strata_accept(p, '-')) return "expected YYYY-MM-DD";
    f->day = strata_digits(p, 2, 1);
    if (f->day < 0) return "expected YYYY-MM-DD";
    if (p->i == p->n) return NULL;
    if (!strata_accept(p, 'T') && !strata_accept(p, ' ')) return strata_offset(p, f) ? NULL : "malformed UTC offset";
    f->hour = strata_digits(p, 2, 1);
    if (f->hour < 0 || !strata_accept(p, ':')) return "expected HH:MM after the date";
    f->min = strata_digits(p, 2, 1);
    if (f->min < 0) return "expected HH:MM after the date";
    if (strata_accept(p, ':')) {
        f->sec = strata_digits(p, 2, 1);
        if (f->sec < 0) return "expected SS after HH:MM:";
        if (strata_accept(p, '.') || strata_accept(p, ',')) {
            if (p->i == p->n || p->s[p->i] < '0' || p->s[p->i] > '9') return "expected digits after the decimal point";
            strata_fraction(p, f);
            while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9') p->i++;  // beyond nanoseconds
        }
    }
    return strata_offset(p, f) ? NULL : "malformed UTC offset";
}

// Reads text by a format of the same conversions `format` knows (the numeric ones, %b, %%).
static const char *strata_parseformat(strata_scan *p, strata_fields *f, const char *fmt, size_t length) {
    for (size_t i = 0; i < length; i++) {
        if (fmt[i] != '%') {
            if (!strata_accept(p, fmt[i])) return "text does not match the format";
            continue;
        }
        if (i + 1 == length) return "format ends with a lone '%'";
        char spec = fmt[++i];
        long long v = 0;
        switch (spec) {
        case 'Y': v = f->year = strata_digits(p, 4, 1); break;
        case 'm': v = f->month = strata_digits(p, 2, 0); break;
        case 'd': v = f->day = strata_digits(p, 2, 0); break;
        case 'H': v = f->hour = strata_digits(p, 2, 0); break;
        case 'M': v = f->min = strata_digits(p, 2, 0); break;
        case 'S': v = f->sec = strata_digits(p, 2, 0); break;
        case 'L': v = f->ms = strata_digits(p, 3, 1); break;
        case 'F': v = strata_parseformat(p, f, "%Y-%m-%d", 8) ? -1 : 0; break;
        case 'T': v = strata_parseformat(p, f, "%H:%M:%S", 8) ? -1 : 0; break;
        case 'R': v = strata_parseformat(p, f, "%H:%M", 5) ? -1 : 0; break;
        case 'z': v = strata_offset(p, f) ? 0 : -1; break;
        case '%': v = strata_accept(p, '%') ? 0 : -1; break;
        case 'b': {
            v = -1;
            for (int m = 0; m < 12; m++) {
                if (p->n - p->i >= 3 && strncmp(p->s + p->i, strata_month_names[m], 3) == 0) {
                    f->month = m + 1;
                    p->i += 3;
                    v = 0;
                    break;
                }
            }
            break;
        }
        default: return "unknown conversion";  // checked before parsing (strata_checkparseformat)
        }
        if (v < 0) return "text does not match the format";
    }
    return NULL;
}

// Raises for a format `parse` cannot use: a misspelt format is the script's bug, not bad text.
static void strata_checkparseformat(lua_State *L, const char *fmt, size_t length) {
    if (length > STRATA_TIME_MAX_FORMAT) luaL_argerror(L, 2, lua_pushfstring(L, "format too long (limit %d bytes)", STRATA_TIME_MAX_FORMAT));
    for (size_t i = 0; i < length; i++) {
        if (fmt[i] != '%') continue;
        if (i + 1 == length) luaL_argerror(L, 2, "format ends with a lone '%'");
        if (!strchr("YmdHMSLFTRzb%", fmt[++i]) || fmt[i] == '\0') strata_badconversion(L, 2, fmt[i], i, "Y m d H M S L F T R z b %");
    }
}

// time.parse(text [, fmt]) -> ts | nil, message
static int strata_time_parse(lua_State *L) {
    size_t length, fmt_length = 0;
    const char *text = luaL_checklstring(L, 1, &length);
    const char *fmt = luaL_optlstring(L, 2, NULL, &fmt_length);
    if (fmt) strata_checkparseformat(L, fmt, fmt_length);
    const char *problem = NULL;
    strata_fields f = {-1, -1, -1, 0, 0, 0, 0, 0};
    strata_scan p = {text, length, 0};
    if (length > STRATA_TIME_MAX_FORMAT) {
        problem = "text too long";
    } else {
        problem = fmt ? strata_parseformat(&p, &f, fmt, fmt_length) : strata_parseiso(&p, &f);
        if (!problem && p.i != p.n) problem = "unexpected text after the date";
        if (!problem && fmt && (f.year < 0 || f.month < 0 || f.day < 0)) {
            if (f.day < 0 && f.year >= 0 && f.month >= 0) f.day = 1;
            else problem = "the format must give at least a year and a month (%Y and %m or %b)";
        }
    }
    if (!problem) {
        if (f.year < 1 || f.year > 9999) problem = "year out of range (1 to 9999)";
        else if (f.month < 1 || f.month > 12) problem = "month out of range";
        else if (f.day < 1 || f.day > strata_days_in_month(f.year, (int)f.month)) problem = "day out of range for the month";
        else if (f.hour > 23 || f.min > 59 || f.sec > 59) problem = "time of day out of range";
    }
    long long ms = 0;
    if (!problem) {
        ms = ((strata_days_from_civil(f.year, (int)f.month, (int)f.day) * 24 + f.hour) * 60 + f.min - f.offset_min) * 60000 + f.sec * 1000 + f.ms;
        if (ms < STRATA_TIME_MIN * 1000 || ms > STRATA_TIME_MAX * 1000 + 999) problem = "year out of range (1 to 9999)";
    }
    if (problem) {
        luaL_pushfail(L);
        lua_pushfstring(L, "cannot parse time: %s", problem);  // stack: [..., nil, message]
        return 2;
    }
    strata_pushms(L, ms);
    return 1;
}

// MARK: - The library

static const luaL_Reg strata_time_functions[] = {
    {"format", strata_time_format},         {"parts", strata_time_parts},           {"parse", strata_time_parse},
    {"make", strata_time_make},             {"day_start", strata_time_day_start},   {"week_start", strata_time_week_start},
    {"month_start", strata_time_month_start}, {"year_start", strata_time_year_start}, {"days_in_month", strata_time_days_in_month},
    {NULL, NULL},
};

int strata_opentime(lua_State *L) {
    luaL_newlib(L, strata_time_functions);  // stack: [time]
    strata_setint(L, "SECOND", 1);
    strata_setint(L, "MINUTE", 60);
    strata_setint(L, "HOUR", 3600);
    strata_setint(L, "DAY", 86400);
    strata_setint(L, "WEEK", 604800);
    return 1;
}

int strata_lazy_time(lua_State *L) { return strata_lazyindex(L); }
