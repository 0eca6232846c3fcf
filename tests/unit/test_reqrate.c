/* test_reqrate.c - the console's own request rate for `:stats` and `?` (src/ui/reqrate.h):
 * per minute over the last minute, by service, "not measured yet" before there is a span,
 * and a new client (after :profile) starting the window again. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "check_tap.h"
#include "ui/reqrate.h"

static void count(struct aws_client_stats *s, const char *service, unsigned long n)
{
    size_t i;

    for (i = 0; i < s->nservices; i++)
        if (strcmp(s->by_service[i].service, service) == 0)
            break;
    if (i == s->nservices)
        snprintf(s->by_service[s->nservices++].service, sizeof(s->by_service[0].service), "%s",
                 service);
    s->by_service[i].requests += n;
    s->requests += n;
}

START_TEST(not_measured_yet)
{
    struct reqrate r;
    struct aws_client_stats s = {0};
    char out[256];

    reqrate_init(&r);
    reqrate_format(&r, 1000, &s, out, sizeof(out));
    ck_assert_str_eq(out, "requests/min: not measured yet");
    reqrate_sample(&r, 1000, &s);
    count(&s, "sqs", 5);
    reqrate_format(&r, 1500, &s, out, sizeof(out));   /* half a second: no rate from that */
    ck_assert_str_eq(out, "requests/min: not measured yet");
    /* nor from the first cycle's burst: 5 requests in 9.9 s are not "30 requests/min" */
    reqrate_format(&r, 1000 + REQRATE_MIN_SPAN_MS - 100, &s, out, sizeof(out));
    ck_assert_str_eq(out, "requests/min: not measured yet");
    reqrate_format(&r, 1000 + REQRATE_MIN_SPAN_MS, &s, out, sizeof(out));
    ck_assert_str_eq(out, "30 requests/min over the last 10 s: sqs 30");
}
END_TEST

START_TEST(per_minute_by_service)
{
    struct reqrate r;
    struct aws_client_stats s = {0};
    char out[256];

    reqrate_init(&r);
    count(&s, "sqs", 1000);                           /* the first cycle: before the window */
    for (int64_t t = 0; t <= 120000; t += 1000) {
        if (t > 0 && t % 10000 == 0) {                /* a cycle every 10 s */
            count(&s, "sqs", 80);
            count(&s, "monitoring", 1);
        }
        reqrate_sample(&r, t, &s);
    }
    reqrate_format(&r, 120000, &s, out, sizeof(out));
    /* the last 60 s hold six cycles: 486 requests, the first 1000 long out of the window */
    ck_assert_str_eq(out, "486 requests/min over the last 60 s: sqs 480, monitoring 6");
}
END_TEST

START_TEST(new_client_starts_again)
{
    struct reqrate r;
    struct aws_client_stats s = {0}, fresh = {0};
    char out[256];

    reqrate_init(&r);
    count(&s, "sqs", 500);
    reqrate_sample(&r, 0, &s);
    count(&s, "sqs", 500);
    reqrate_sample(&r, 30000, &s);
    count(&fresh, "sts", 2);                          /* :profile: a new client, new counters */
    reqrate_sample(&r, 31000, &fresh);
    reqrate_format(&r, 31000, &fresh, out, sizeof(out));
    ck_assert_str_eq(out, "requests/min: not measured yet");
    count(&fresh, "sts", 1);
    reqrate_sample(&r, 51000, &fresh);
    reqrate_format(&r, 51000, &fresh, out, sizeof(out));
    ck_assert_str_eq(out, "3 requests/min over the last 20 s: sts 3");
}
END_TEST

START_TEST(samples_are_spaced)
{
    struct reqrate r;
    struct aws_client_stats s = {0};

    reqrate_init(&r);
    for (int64_t t = 0; t < 4000; t += 100)
        reqrate_sample(&r, t, &s);
    ck_assert_uint_eq(r.n, 1);                        /* one per REQRATE_EVERY_MS */
    for (int64_t t = 0; t < 10 * REQRATE_WINDOW_MS; t += 1000)
        reqrate_sample(&r, t, &s);
    ck_assert_uint_eq(r.n, REQRATE_SAMPLES);          /* a ring: bounded */
}
END_TEST

static Suite *reqrate_suite(void)
{
    Suite *s = suite_create("reqrate");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, not_measured_yet);
    tcase_add_test(tc, per_minute_by_service);
    tcase_add_test(tc, new_client_starts_again);
    tcase_add_test(tc, samples_are_spaced);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(reqrate_suite());
}
