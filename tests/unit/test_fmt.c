/* test_fmt.c - the console's number and time forms at their edges: unit boundaries,
 * negatives, INT64 extremes, and buffers too small (cut, terminated, never overrun). */
#include "config.h"
#include "check_tap.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"

typedef char *(*fmt_fn)(char *buf, size_t n, int64_t v);

static void is(fmt_fn f, int64_t v, const char *want)
{
    char buf[64];

    memset(buf, 'x', sizeof(buf));
    ck_assert_ptr_eq(f(buf, sizeof(buf), v), buf);
    ck_assert_msg(strcmp(buf, want) == 0, "value %lld: got '%s', want '%s'", (long long)v, buf,
                  want);
}

START_TEST(count)
{
    is(fmt_count, 0, "0");
    is(fmt_count, 1, "1");
    is(fmt_count, 1234, "1234");
    is(fmt_count, 98765, "98765");
    is(fmt_count, 999999, "999999");
    is(fmt_count, 1000000, "1.0M");
    is(fmt_count, 1250000, "1.2M");
    is(fmt_count, 9999999, "9.9M");       /* cut, never rounded up past the truth */
    is(fmt_count, 123456789, "123.4M");
    is(fmt_count, 999999999, "999.9M");
    is(fmt_count, 1000000000, "1.0G");
    is(fmt_count, 3400000000LL, "3.4G");
    is(fmt_count, 1000000000000LL, "1.0T");
    is(fmt_count, INT64_MAX, "9.2E");
    is(fmt_count, -1, "-");
    is(fmt_count, INT64_MIN, "-");
}
END_TEST

START_TEST(count_fits_depth_column)
{
    char buf[32];

    /* a depth column is 7 wide: every magnitude must fit */
    for (int64_t v = 1; v > 0 && v <= INT64_MAX / 3; v *= 3)
        ck_assert_int_le(strlen(fmt_count(buf, sizeof(buf), v)), 7);
    ck_assert_int_le(strlen(fmt_count(buf, sizeof(buf), INT64_MAX)), 7);
}
END_TEST

START_TEST(delta)
{
    is(fmt_delta, 0, "0");
    is(fmt_delta, 12, "+12");
    is(fmt_delta, -3, "-3");
    is(fmt_delta, 999999, "+999999");
    is(fmt_delta, 2500000, "+2.5M");
    is(fmt_delta, -2500000, "-2.5M");
    is(fmt_delta, -4000000000LL, "-4.0G");
    is(fmt_delta, INT64_MAX, "+9.2E");
    is(fmt_delta, INT64_MIN, "-9.2E");
}
END_TEST

START_TEST(duration)
{
    is(fmt_duration, 0, "0s");
    is(fmt_duration, 45, "45s");
    is(fmt_duration, 59, "59s");
    is(fmt_duration, 60, "1m00s");
    is(fmt_duration, 723, "12m03s");
    is(fmt_duration, 3599, "59m59s");
    is(fmt_duration, 3600, "1h00m");
    is(fmt_duration, 3 * 3600 + 12 * 60 + 59, "3h12m");
    is(fmt_duration, 86399, "23h59m");
    is(fmt_duration, 86400, "1d00h");
    is(fmt_duration, 2 * 86400 + 4 * 3600 + 3599, "2d04h");
    is(fmt_duration, 99 * 86400 + 86399, "99d23h");
    is(fmt_duration, 100 * 86400, "100d");
    is(fmt_duration, 400 * 86400 + 5 * 3600, "400d");
    is(fmt_duration, INT64_MAX, "106751991167300d");
    is(fmt_duration, -1, "-");
    is(fmt_duration, INT64_MIN, "-");
}
END_TEST

START_TEST(age)
{
    is(fmt_age, 0, "0s");
    is(fmt_age, 999, "0s");
    is(fmt_age, 12000, "12s");
    is(fmt_age, 59999, "59s");
    is(fmt_age, 60000, "1m");
    is(fmt_age, 150000, "2m");
    is(fmt_age, 3599999, "59m");
    is(fmt_age, 3600000, "1h");
    is(fmt_age, 3 * 3600000 + 59 * 60000, "3h");
    is(fmt_age, 86399999, "23h");
    is(fmt_age, 86400000, "1d");
    is(fmt_age, 2 * 86400000LL + 5, "2d");
    is(fmt_age, INT64_MAX, "106751991167d");
    is(fmt_age, -1, "-");
    is(fmt_age, INT64_MIN, "-");
}
END_TEST

START_TEST(countdown)
{
    is(fmt_countdown, INT64_MAX, "no expiry");
    is(fmt_countdown, 723, "12m03s");
    is(fmt_countdown, 0, "0s");
    is(fmt_countdown, 59, "59s");
    is(fmt_countdown, 3600, "1h00m");
    is(fmt_countdown, 86399, "23h59m");
    is(fmt_countdown, -1, "expired 1s ago");
    is(fmt_countdown, -180, "expired 3m ago");
    is(fmt_countdown, -239, "expired 3m ago");
    is(fmt_countdown, -3600, "expired 1h ago");
    is(fmt_countdown, -3 * 86400, "expired 3d ago");
    is(fmt_countdown, INT64_MIN, "expired 106751991167300d ago");
    is(fmt_countdown, INT64_MAX - 1, "106751991167300d");
}
END_TEST

/* Queue settings as a reader wants them: 345600 seconds is "4d", not "4d00h". */
START_TEST(seconds)
{
    is(fmt_seconds, 0, "0s");
    is(fmt_seconds, 30, "30s");
    is(fmt_seconds, 60, "1m");
    is(fmt_seconds, 90, "1m30s");
    is(fmt_seconds, 3600, "1h");
    is(fmt_seconds, 43200, "12h");
    is(fmt_seconds, 345600, "4d");        /* MessageRetentionPeriod default */
    is(fmt_seconds, 1209600, "14d");      /* its maximum */
    is(fmt_seconds, 90061, "1d1h1m1s");
    is(fmt_seconds, 86400 + 30, "1d30s");
    is(fmt_seconds, -1, "-");
    is(fmt_seconds, INT64_MAX, "106751991167300d15h30m7s");
}
END_TEST

START_TEST(bytes)
{
    is(fmt_bytes, 0, "0 B");
    is(fmt_bytes, 1023, "1023 B");
    is(fmt_bytes, 1024, "1 KiB");
    is(fmt_bytes, 1536, "1.5 KiB");
    is(fmt_bytes, 1535, "1.4 KiB");       /* cut, never more than it holds */
    is(fmt_bytes, 262144, "256 KiB");     /* MaximumMessageSize default */
    is(fmt_bytes, 1048576, "1 MiB");      /* its maximum */
    is(fmt_bytes, 1048575, "1023.9 KiB");
    is(fmt_bytes, 5LL << 30, "5 GiB");
    is(fmt_bytes, INT64_MAX, "7.9 EiB");
    is(fmt_bytes, -1, "-");
}
END_TEST

static void rate_is(double v, const char *want)
{
    char buf[32];

    ck_assert_str_eq(fmt_rate(buf, sizeof(buf), v), want);
}

START_TEST(rate)
{
    rate_is(0, "0");
    rate_is(0.01, "0");
    rate_is(-0.04, "0");
    rate_is(0.5, "+0.5");
    rate_is(2.0, "+2");
    rate_is(-3.24, "-3.2");
    rate_is(-3.26, "-3.3");
    rate_is(9.96, "+10");
    rate_is(12.4, "+12");
    rate_is(-120.6, "-121");
    rate_is(2500000, "+2.5M");
    rate_is(1e30, "+9.2E");
    rate_is(-1e30, "-9.2E");
    rate_is(NAN, "-");
    rate_is(INFINITY, "-");
}
END_TEST

/* Every function, every size from 0 up: never writes past n, always terminated, a prefix
 * of the full text. Under --enable-asan the exact-size heap copy catches any overrun. */
START_TEST(tiny_buffers)
{
    static const fmt_fn fns[] = { fmt_count, fmt_delta, fmt_duration, fmt_age, fmt_countdown,
                                   fmt_seconds, fmt_bytes };
    static const int64_t vals[] = { 0, 59, 60, 3599, 3600, 86399, 86400, 9000000, -5,
                                    -86400, INT64_MAX, INT64_MIN };

    for (size_t f = 0; f < sizeof(fns) / sizeof(fns[0]); f++) {
        for (size_t v = 0; v < sizeof(vals) / sizeof(vals[0]); v++) {
            char full[64];

            fns[f](full, sizeof(full), vals[v]);
            for (size_t n = 0; n <= strlen(full) + 1; n++) {
                char guard[70];
                char *buf = guard + 3;

                memset(guard, '#', sizeof(guard));
                ck_assert_ptr_eq(fns[f](buf, n, vals[v]), buf);
                for (size_t i = n; i < sizeof(guard) - 3; i++)
                    ck_assert_int_eq(buf[i], '#');
                ck_assert_int_eq(guard[0], '#');
                if (n == 0)
                    continue;
                ck_assert_int_eq(strlen(buf), n - 1 < strlen(full) ? n - 1 : strlen(full));
                ck_assert_int_eq(strncmp(buf, full, strlen(buf)), 0);
            }
            /* a heap buffer of exactly the needed size: asan sees a one-byte overrun */
            char *exact = malloc(strlen(full) + 1);
            ck_assert_ptr_nonnull(exact);
            ck_assert_str_eq(fns[f](exact, strlen(full) + 1, vals[v]), full);
            free(exact);
        }
    }
    /* NULL with n == 0 is allowed (nothing is written) */
    ck_assert_ptr_null(fmt_count(NULL, 0, 5));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fmt");
    TCase *tc = tcase_create("fmt");

    tcase_add_test(tc, count);
    tcase_add_test(tc, count_fits_depth_column);
    tcase_add_test(tc, delta);
    tcase_add_test(tc, duration);
    tcase_add_test(tc, age);
    tcase_add_test(tc, countdown);
    tcase_add_test(tc, seconds);
    tcase_add_test(tc, bytes);
    tcase_add_test(tc, rate);
    tcase_add_test(tc, tiny_buffers);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
