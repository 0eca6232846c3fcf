/* fmt.c - numbers and times as the console writes them (see fmt.h).
 *
 * Everything goes through snprintf, which never writes past n and always terminates when
 * n > 0, so a buffer that is too small gives a cut string, never an overflow. Magnitudes
 * are handled as uint64_t so that INT64_MIN can be negated without undefined behaviour. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

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
