/* fmt.c - numbers and times as the console writes them (see fmt.h).
 *
 * Everything goes through snprintf, which never writes past n and always terminates when
 * n > 0, so a buffer that is too small gives a cut string, never an overflow. Magnitudes
 * are handled as uint64_t so that INT64_MIN can be negated without undefined behaviour. */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/fmt.h"

#define MINUTE 60u
#define HOUR (60u * MINUTE)
#define DAY (24u * HOUR)

/* |v| without overflow for INT64_MIN. */
static uint64_t magnitude(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

static char *put(char *buf, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static char *put(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;

    if (!buf || n == 0)
        return buf;
    va_start(ap, fmt);
    vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return buf;
}

/* A non-negative count with an optional sign in front. Above a million, one decimal,
 * truncated rather than rounded: 9,999,999 reads "9.9M", never "10.0M", so the column never
 * overstates a depth and its width stays at most 6 characters plus the sign. */
static char *count_signed(char *buf, size_t n, const char *sign, uint64_t v)
{
    static const struct { uint64_t unit; char suffix; } units[] = {
        { UINT64_C(1000000000000000000), 'E' },
        { UINT64_C(1000000000000000), 'P' },
        { UINT64_C(1000000000000), 'T' },
        { UINT64_C(1000000000), 'G' },
        { UINT64_C(1000000), 'M' },
    };

    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (v >= units[i].unit) {
            uint64_t tenths = v / (units[i].unit / 10);

            return put(buf, n, "%s%" PRIu64 ".%" PRIu64 "%c", sign, tenths / 10, tenths % 10,
                       units[i].suffix);
        }
    }
    return put(buf, n, "%s%" PRIu64, sign, v);
}

char *fmt_count(char *buf, size_t n, int64_t v)
{
    if (v < 0)
        return put(buf, n, "-");
    return count_signed(buf, n, "", (uint64_t)v);
}

char *fmt_delta(char *buf, size_t n, int64_t v)
{
    if (v == 0)
        return put(buf, n, "0");
    return count_signed(buf, n, v > 0 ? "+" : "-", magnitude(v));
}

/* Two units at most, the second zero-padded so that columns of durations line up. */
static char *duration_u(char *buf, size_t n, const char *prefix, uint64_t s)
{
    if (s < MINUTE)
        return put(buf, n, "%s%" PRIu64 "s", prefix, s);
    if (s < HOUR)
        return put(buf, n, "%s%" PRIu64 "m%02" PRIu64 "s", prefix, s / MINUTE, s % MINUTE);
    if (s < DAY)
        return put(buf, n, "%s%" PRIu64 "h%02" PRIu64 "m", prefix, s / HOUR, (s % HOUR) / MINUTE);
    /* past 100 days the hours are noise */
    if (s / DAY >= 100)
        return put(buf, n, "%s%" PRIu64 "d", prefix, s / DAY);
    return put(buf, n, "%s%" PRIu64 "d%02" PRIu64 "h", prefix, s / DAY, (s % DAY) / HOUR);
}

/* One unit, rounded down: an age is "at least this old". */
static char *age_u(char *buf, size_t n, const char *prefix, uint64_t s, const char *suffix)
{
    if (s < MINUTE)
        return put(buf, n, "%s%" PRIu64 "s%s", prefix, s, suffix);
    if (s < HOUR)
        return put(buf, n, "%s%" PRIu64 "m%s", prefix, s / MINUTE, suffix);
    if (s < DAY)
        return put(buf, n, "%s%" PRIu64 "h%s", prefix, s / HOUR, suffix);
    return put(buf, n, "%s%" PRIu64 "d%s", prefix, s / DAY, suffix);
}

char *fmt_duration(char *buf, size_t n, int64_t seconds)
{
    if (seconds < 0)
        return put(buf, n, "-");
    return duration_u(buf, n, "", (uint64_t)seconds);
}

/* A negative age (the clock stepped back, or "unknown") is shown as "-" like the others. */
char *fmt_age(char *buf, size_t n, int64_t ms)
{
    if (ms < 0)
        return put(buf, n, "-");
    return age_u(buf, n, "", (uint64_t)ms / 1000u, "");
}

char *fmt_countdown(char *buf, size_t n, int64_t seconds_left)
{
    if (seconds_left == INT64_MAX)
        return put(buf, n, "no expiry");
    if (seconds_left < 0)
        return age_u(buf, n, "expired ", magnitude(seconds_left), " ago");
    return duration_u(buf, n, "", (uint64_t)seconds_left);
}

char *fmt_seconds(char *buf, size_t n, int64_t seconds)
{
    static const struct { uint64_t unit; char suffix; } units[] = {
        { DAY, 'd' }, { HOUR, 'h' }, { MINUTE, 'm' }, { 1, 's' },
    };
    char part[32];
    uint64_t s;
    size_t used = 0;

    if (!buf || n == 0)
        return buf;
    if (seconds < 0)
        return put(buf, n, "-");
    if (seconds == 0)
        return put(buf, n, "0s");
    s = (uint64_t)seconds;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        uint64_t k = s / units[i].unit;

        if (k == 0)
            continue;
        s -= k * units[i].unit;
        snprintf(part, sizeof(part), "%" PRIu64 "%c", k, units[i].suffix);
        if (used < n - 1)
            snprintf(buf + used, n - used, "%s", part);
        used += strlen(part);
    }
    return buf;
}

char *fmt_bytes(char *buf, size_t n, int64_t bytes)
{
    static const char *const names[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    uint64_t v, unit = 1024;
    size_t i = 0;

    if (bytes < 0)
        return put(buf, n, "-");
    v = (uint64_t)bytes;
    if (v < 1024)
        return put(buf, n, "%" PRIu64 " B", v);
    while (i + 1 < sizeof(names) / sizeof(names[0]) && v / unit >= 1024) {
        unit *= 1024;
        i++;
    }
    if (v % unit == 0)
        return put(buf, n, "%" PRIu64 " %s", v / unit, names[i]);
    /* tenths, cut: 1535 bytes is "1.4 KiB", never more than it holds */
    {
        uint64_t tenths = v / unit * 10 + (v % unit) * 10 / unit;

        return put(buf, n, "%" PRIu64 ".%" PRIu64 " %s", tenths / 10, tenths % 10, names[i]);
    }
}

char *fmt_rate(char *buf, size_t n, double per_minute)
{
    double a;

    if (!isfinite(per_minute))
        return put(buf, n, "-");
    a = per_minute < 0 ? -per_minute : per_minute;
    /* below a twentieth of a message a minute it is noise from rounding, not a trend */
    if (a < 0.05)
        return put(buf, n, "0");
    if (a < 10) {
        long tenths = (long)(a * 10 + 0.5);

        if (tenths % 10 == 0)
            return put(buf, n, "%s%ld", per_minute < 0 ? "-" : "+", tenths / 10);
        return put(buf, n, "%s%ld.%ld", per_minute < 0 ? "-" : "+", tenths / 10, tenths % 10);
    }
    if (a >= 9e18)  /* past what int64 holds: the largest it does, with its sign */
        return fmt_delta(buf, n, per_minute < 0 ? -INT64_MAX : INT64_MAX);
    return fmt_delta(buf, n, (int64_t)(per_minute < 0 ? per_minute - 0.5 : per_minute + 0.5));
}
