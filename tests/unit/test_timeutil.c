/* test_timeutil.c - the one ISO-8601 parser and formatter, HTTP dates, and the monotonic
 * clock: every form AWS answers and credential sources write, the dates that do not exist,
 * and malformed text that must be refused without touching the result. */
#include "config.h"
#include "check_tap.h"

#include <stdint.h>
#include <string.h>
#include <time.h>

#include "util/timeutil.h"

struct good {
    const char *text;
    int64_t epoch;   /* from `date -u -d TEXT +%s` */
};

static const struct good good_times[] = {
    {"1970-01-01T00:00:00Z", 0},
    {"2026-11-25T10:36:44Z", 1795603004},
    {"2026-11-25T10:36:44.000Z", 1795603004},              /* S3, CloudWatch */
    {"2026-11-25T12:36:44+02:00", 1795603004},
    {"2026-11-25T08:36:44.5-02:00", 1795603004},
    {"2026-11-25T12:36:44+0200", 1795603004},               /* offset without a colon */
    {"2024-02-29T23:59:59Z", 1709251199},                   /* a leap day */
    {"2000-02-29T00:00:00Z", 951782400},                    /* divisible by 400: leap */
    {"2024-02-29T12:00:00-0230", 1709208000 + 9000},
    {"2030-01-01 00:00:00z", 1893456000},                   /* space, lower-case zone */
    {"2030-01-01t00:00:00Z", 1893456000},
    {"2030-01-01T00:00Z", 1893456000},                      /* minutes only */
    {"2030-01-01T00:00:59,999Z", 1893456059},               /* comma fraction, dropped */
    {"2016-12-31T23:59:60Z", 1483228800},                   /* a leap second */
    {"1969-12-31T23:59:59Z", -1},
    {"9999-12-31T23:59:59Z", 253402300799},
    {"2030-06-15T14:00:00-23:59", 1907762400 + 23 * 3600 + 59 * 60},
};

static const char *const bad_times[] = {
    "", "2030", "2030-01-01", "2030-01-01T00:00:00",      /* no time, no zone */
    "2030-13-01T00:00:00Z", "2030-00-10T00:00:00Z",       /* no such month */
    "2030-01-00T00:00:00Z", "2030-01-32T00:00:00Z",
    "2030-02-30T00:00:00Z", "2030-04-31T00:00:00Z",       /* no such day */
    "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z",       /* not leap years */
    "2030-01-01T24:00:00Z", "2030-01-01T00:60:00Z", "2030-01-01T00:00:61Z",
    "2030-01-01T00:00:00Zjunk", "2030-01-01T00:00:00Z\n", "2030-01-01T00:00:00 Z",
    " 2030-01-01T00:00:00Z", "2030-01-01T00:00:00.Z", "2030-01-01T00:00:00.+01:00",
    "2030-01-01T00:00:00+25:00", "2030-01-01T00:00:00+01:60", "2030-01-01T00:00:00+01",
    "2030-01-01T00:00:00+01:0", "2030-01-01T00:00:00+1:00", "2030-01-01T00:00:00UTC",
    "99999999999-01-01T00:00:00Z", "2030-1-01T00:00:00Z", "2030-01-1T00:00:00Z",
    "2030-01-01T0:00:00Z", "2030-01-01T00:0:00Z", "-030-01-01T00:00:00Z",
    "+2030-01-01T00:00:00Z", "abcd-ef-ghTij:kl:mnZ", "2030-01-01X00:00:00Z",
    "2030/01/01T00:00:00Z", "2030-01-01T00-00-00Z", "2030-01-01T00:00:00.1.2Z",
    "\xef\xbc\x92\xef\xbc\x90\xef\xbc\x93\xef\xbc\x90-01-01T00:00:00Z",  /* full-width digits */
    "2030-01-01T00:00:00\xe2\x80\xaeZ",                   /* a bidi override before the zone */
};

START_TEST(parses_every_form)
{
    for (size_t i = 0; i < sizeof(good_times) / sizeof(good_times[0]); i++) {
        int64_t t = 42;

        ck_assert_msg(timeutil_parse_iso8601(good_times[i].text, &t) == 0, "'%s' refused",
                      good_times[i].text);
        ck_assert_msg(t == good_times[i].epoch, "'%s' gave %lld, want %lld",
                      good_times[i].text, (long long)t, (long long)good_times[i].epoch);
    }
}
END_TEST

START_TEST(refuses_malformed_and_leaves_result)
{
    int64_t t = 42;

    for (size_t i = 0; i < sizeof(bad_times) / sizeof(bad_times[0]); i++) {
        ck_assert_msg(timeutil_parse_iso8601(bad_times[i], &t) == -1, "'%s' accepted",
                      bad_times[i]);
        ck_assert_int_eq(t, 42);
    }
    ck_assert_int_eq(timeutil_parse_iso8601(NULL, &t), -1);
    ck_assert_int_eq(t, 42);
}
END_TEST

/* Every prefix of a good time is refused: a value cut short in a file or on the wire is
 * never read as some other time. */
START_TEST(refuses_every_truncation)
{
    const char *full = "2026-11-25T08:36:44.5-02:00";
    char cut[64];
    int64_t t = 42;

    for (size_t n = 0; n < strlen(full); n++) {
        memcpy(cut, full, n);
        cut[n] = '\0';
        ck_assert_msg(timeutil_parse_iso8601(cut, &t) == -1, "'%s' accepted", cut);
    }
    ck_assert_int_eq(t, 42);
}
END_TEST

START_TEST(formats_utc_and_round_trips)
{
    char out[21];
    int64_t back;

    timeutil_format_iso8601(1795603004, out);
    ck_assert_str_eq(out, "2026-11-25T10:36:44Z");
    timeutil_format_iso8601(0, out);
    ck_assert_str_eq(out, "1970-01-01T00:00:00Z");
    timeutil_format_iso8601(-1, out);
    ck_assert_str_eq(out, "1969-12-31T23:59:59Z");
    timeutil_format_iso8601(253402300799, out);
    ck_assert_str_eq(out, "9999-12-31T23:59:59Z");
    /* year 10000 does not fit the form */
    timeutil_format_iso8601(253402300800, out);
    ck_assert_str_eq(out, "1970-01-01T00:00:00Z");
    /* every day for 60 years, at a time of day that moves: out and back */
    for (int64_t t = -86400LL * 365; t < 86400LL * 365 * 60; t += 86400 + 3607) {
        timeutil_format_iso8601(t, out);
        ck_assert_int_eq(timeutil_parse_iso8601(out, &back), 0);
        ck_assert_int_eq(back, t);
    }
}
END_TEST

/* HTTP dates in the three forms RFC 9110 (5.6.7) asks a recipient to read: S3's headers
 * (Last-Modified, the restore expiry) and a skewed answer's Date. */
START_TEST(http_date_forms)
{
    int64_t t = 0;

    /* IMF-fixdate */
    ck_assert_int_eq(timeutil_parse_http_date("Thu, 03 Dec 2026 09:59:51 GMT", &t), 0);
    ck_assert_int_eq(t, 1796291991);
    ck_assert_int_eq(timeutil_parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", &t), 0);
    ck_assert_int_eq(t, 784111777);
    ck_assert_int_eq(timeutil_parse_http_date("Thu, 29 Feb 2024 00:00:00 GMT", &t), 0);
    ck_assert_int_eq(t, 1709164800);
    ck_assert_int_eq(timeutil_parse_http_date("Wed, 25 Nov 2026 10:33:24 GMT", &t), 0);
    ck_assert_int_eq(t, 1795602804);
    /* RFC 850: a two-digit year more than 50 years ahead is the century before */
    t = 0;
    ck_assert_int_eq(timeutil_parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", &t), 0);
    ck_assert_int_eq(t, 784111777);
    ck_assert_int_eq(timeutil_parse_http_date("Thursday, 03-Dec-26 09:59:51 GMT", &t), 0);
    ck_assert_int_eq(t, 1796291991);
    /* asctime: the day padded with a space, or two digits */
    t = 0;
    ck_assert_int_eq(timeutil_parse_http_date("Sun Nov  6 08:49:37 1994", &t), 0);
    ck_assert_int_eq(t, 784111777);
    ck_assert_int_eq(timeutil_parse_http_date("Thu Dec 03 09:59:51 2026", &t), 0);
    ck_assert_int_eq(t, 1796291991);
}
END_TEST

START_TEST(http_date_malformed)
{
    static const char *const bad[] = {
        /* IMF-fixdate gone wrong */
        "Thu, 03 Dec 2026 09:59:51 UTC", "Thu, 03 Dec 2026 09:59:51 PST",
        "Thu, 3 Dec 2026 09:59:51 GMT", "Thu, 31 Feb 2026 09:59:51 GMT",
        "Thu, 03 Dek 2026 09:59:51 GMT", "Thu, 03 dec 2026 09:59:51 GMT",
        "Xyz, 03 Dec 2026 09:59:51 GMT", "thu, 03 Dec 2026 09:59:51 GMT",
        "Thu, 03 Dec 2026 24:00:00 GMT", "Thu, 03 Dec 2026 09:60:00 GMT",
        "Thu, 03 Dec 2026 09:59:51 GMT ", "Thu, 03 Dec 2026 09:5x:51 GMT",
        "Sun, 29 Feb 2026 09:59:51 GMT",   /* 2026 is not a leap year */
        "Wed, 32 Nov 2026 10:33:24 GMT", "Wed, 00 Nov 2026 10:33:24 GMT",
        "Wed, 25 Nov 99999999999 10:33:24 GMT", "Wed, 25 Nov 2026 10:33",
        "Wed, 25 Nov 2026 10:33:24", "Wed,25 Nov 2026 10:33:24 GMT",
        /* RFC 850 gone wrong: a short day name, a four-digit year, spaces for dashes */
        "Thu, 03-Dec-26 09:59:51 GMT", "Thursday, 03-Dec-2026 09:59:51 GMT",
        "Thursday, 03 Dec 26 09:59:51 GMT", "Thursdax, 03-Dec-26 09:59:51 GMT",
        "Thursday 03-Dec-26 09:59:51 GMT", "Thursday, 03-Dec-26 09:59:51",
        /* asctime gone wrong */
        "Thu Dec 3 09:59:51 2026", "Thu Dec  3 09:59:51 26", "Thu Dec  3 09:59:51 2026 GMT",
        "Thu Dec  3 09:59:51", "Thu  Dec  3 09:59:51 2026",
        /* nothing like a date */
        "", "garbage", "Thu", "Thu,", "Sunday", "1796291991",
    };
    int64_t t = 42;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(timeutil_parse_http_date(bad[i], &t) == -1, "'%s' accepted", bad[i]);
    ck_assert_int_eq(timeutil_parse_http_date(NULL, &t), -1);
    ck_assert_int_eq(t, 42);
}
END_TEST

/* Every prefix of each form is refused (no read past a short string's end). */
START_TEST(http_date_truncations)
{
    static const char *const good[] = {
        "Thu, 03 Dec 2026 09:59:51 GMT", "Thursday, 03-Dec-26 09:59:51 GMT",
        "Thu Dec  3 09:59:51 2026",
    };
    char buf[64];
    int64_t t;

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        for (size_t n = 0; n < strlen(good[i]); n++) {
            memcpy(buf, good[i], n);
            buf[n] = '\0';
            ck_assert_msg(timeutil_parse_http_date(buf, &t) == -1, "'%s' accepted", buf);
        }
    }
}
END_TEST

START_TEST(monotonic_clock_never_goes_back)
{
    int64_t last = timeutil_mono_ms(), now;
    struct timespec ts = {0, 2000000};

    ck_assert_int_gt(last, 0);
    for (int i = 0; i < 50; i++) {
        nanosleep(&ts, NULL);
        now = timeutil_mono_ms();
        ck_assert_int_ge(now, last);
        last = now;
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("timeutil");
    TCase *tc = tcase_create("timeutil");

    tcase_add_test(tc, parses_every_form);
    tcase_add_test(tc, refuses_malformed_and_leaves_result);
    tcase_add_test(tc, refuses_every_truncation);
    tcase_add_test(tc, formats_utc_and_round_trips);
    tcase_add_test(tc, http_date_forms);
    tcase_add_test(tc, http_date_malformed);
    tcase_add_test(tc, http_date_truncations);
    tcase_add_test(tc, monotonic_clock_never_goes_back);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
