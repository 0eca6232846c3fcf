/* timeutil.c - the monotonic clock, ISO-8601 and HTTP dates (timeutil.h).
 *
 * The date arithmetic is done here rather than with timegm() (not C11, and its answer for
 * an impossible date is a normalised other date) or mktime() (the TZ environment). */
#include "config.h"
#include "util/timeutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t timeutil_mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* n decimal digits at *p, moving *p past them; -1 when one is not a digit. */
static int digits(const char **p, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++, (*p)++) {
        if (**p < '0' || **p > '9')
            return -1;
        v = v * 10 + (**p - '0');
    }
    return v;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int timeutil_parse_iso8601(const char *s, int64_t *epoch)
{
    const char *p = s;
    int y, mo, d, h, mi, sec = 0, off = 0;

    if (!s)
        return -1;
    if ((y = digits(&p, 4)) < 0 || *p++ != '-' || (mo = digits(&p, 2)) < 0 || *p++ != '-' ||
        (d = digits(&p, 2)) < 0 || (*p != 'T' && *p != 't' && *p != ' '))
        return -1;
    p++;
    if ((h = digits(&p, 2)) < 0 || *p++ != ':' || (mi = digits(&p, 2)) < 0)
        return -1;
    if (*p == ':') {
        p++;
        if ((sec = digits(&p, 2)) < 0)
            return -1;
        if (*p == '.' || *p == ',') {
            p++;
            if (!is_digit(*p))
                return -1;
            while (is_digit(*p))
                p++;
        }
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om;

        if ((oh = digits(&p, 2)) < 0)
            return -1;
        if (*p == ':')
            p++;
        if ((om = digits(&p, 2)) < 0 || oh > 23 || om > 59)
            return -1;
        off = sign * (oh * 3600 + om * 60);
    } else {
        return -1;
    }
    if (*p != '\0' || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23 ||
        mi > 59 || sec > 60)
        return -1;
    *epoch = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
    return 0;
}

static const char *const day_names[7] = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
};

/* A month's three letters at *p (case-sensitive, as RFC 9110 writes them), moving *p past
 * them: 1..12, or 0. */
static int month_name(const char **p)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

    for (int i = 0; i < 12; i++) {
        if (strncmp(*p, months + 3 * i, 3) == 0) {
            *p += 3;
            return i + 1;
        }
    }
    return 0;
}

/* "HH:MM:SS" at *p, moving *p past it; false when it is not that. */
static bool time_of_day(const char **p, int *h, int *mi, int *sec)
{
    return (*h = digits(p, 2)) >= 0 && *(*p)++ == ':' && (*mi = digits(p, 2)) >= 0 &&
           *(*p)++ == ':' && (*sec = digits(p, 2)) >= 0;
}

/* RFC 850's two-digit year: one that would be more than 50 years in the future is the most
 * recent past year with the same last two digits (RFC 9110, 5.6.7). */
static int full_year(int yy)
{
    time_t now = time(NULL);
    struct tm tm;
    int this_year = gmtime_r(&now, &tm) ? tm.tm_year + 1900 : 2000, y;

    y = this_year - this_year % 100 + yy;
    return y > this_year + 50 ? y - 100 : y;
}

int timeutil_parse_http_date(const char *s, int64_t *epoch)
{
    const char *p = s;
    int wday = -1, d = -1, mo = 0, y = -1, h = -1, mi = -1, sec = -1;

    if (!s)
        return -1;
    for (int i = 0; i < 7; i++)
        if (strncmp(s, day_names[i], 3) == 0)
            wday = i;
    if (wday < 0)
        return -1;
    p = s + 3;
    if (*p == ',') {
        /* IMF-fixdate: "Thu, 03 Dec 2026 09:59:51 GMT" */
        p++;
        if (*p++ != ' ' || (d = digits(&p, 2)) < 0 || *p++ != ' ' || !(mo = month_name(&p)) ||
            *p++ != ' ' || (y = digits(&p, 4)) < 0 || *p++ != ' ' ||
            !time_of_day(&p, &h, &mi, &sec) || strcmp(p, " GMT") != 0)
            return -1;
    } else if (*p == ' ') {
        /* asctime: "Thu Dec  3 09:59:51 2026" (the day padded with a space) */
        p++;
        if (!(mo = month_name(&p)) || *p++ != ' ')
            return -1;
        if (*p == ' ') {
            p++;
            d = digits(&p, 1);
        } else {
            d = digits(&p, 2);
        }
        if (d < 0 || *p++ != ' ' || !time_of_day(&p, &h, &mi, &sec) || *p++ != ' ' ||
            (y = digits(&p, 4)) < 0 || *p != '\0')
            return -1;
    } else {
        /* RFC 850: "Thursday, 03-Dec-26 09:59:51 GMT" */
        size_t n = strlen(day_names[wday]);

        if (strncmp(s, day_names[wday], n) != 0)
            return -1;
        p = s + n;
        if (*p++ != ',' || *p++ != ' ' ||
            (d = digits(&p, 2)) < 0 || *p++ != '-' || !(mo = month_name(&p)) || *p++ != '-' ||
            (y = digits(&p, 2)) < 0 || *p++ != ' ' || !time_of_day(&p, &h, &mi, &sec) ||
            strcmp(p, " GMT") != 0)
            return -1;
        y = full_year(y);
    }
    if (d < 1 || d > month_days(y, mo) || h > 23 || mi > 59 || sec > 60)
        return -1;
    *epoch = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    return 0;
}

void timeutil_format_iso8601(int64_t epoch, char out[21])
{
    time_t t = (time_t)epoch;
    struct tm tm;
    char tmp[64];

    if ((int64_t)t != epoch || !gmtime_r(&t, &tm) || tm.tm_year < -1900 ||
        tm.tm_year > 9999 - 1900) {
        memcpy(out, "1970-01-01T00:00:00Z", 21);
        return;
    }
    snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    memcpy(out, tmp, 20);
    out[20] = '\0';
}
