/* test_poller.c - when the pollers poll, on a fake clock: intervals per view, the hidden
 * factor, no overlapping cycles, backoff and its cap, refresh, the detail pane's timer.
 * Then the poller itself against a closed port on 127.0.0.1 (real client, real failures):
 * what poller_tick starts and returns, the store's stale rows and "error" rows, backoff. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conf/appconfig.h"
#include "conf/awsconfig.h"
#include "check_tap.h"
#include "core/client.h"
#include "creds/creds.h"
#include "poll/poller.h"
#include "poll/poller_sched.h"
#include "poll/store.h"
#include "tmp_home.h"

#define S 1000   /* ms per second, for readability */

static struct appconfig *cfg_with(int sqs, int dlq, int overview)
{
    struct appconfig *cfg = appconfig_new();

    cfg->interval[APPCONFIG_VIEW_SQS] = sqs;
    cfg->interval[APPCONFIG_VIEW_DLQ] = dlq;
    cfg->interval[APPCONFIG_VIEW_OVERVIEW] = overview;
    return cfg;
}

/* ---- the schedule, no network ---- */

START_TEST(intervals_per_view)
{
    struct appconfig *cfg = cfg_with(5, 20, 30);
    struct poller_sched s;

    poller_sched_init(&s, cfg);
    poller_sched_set_view(&s, APPCONFIG_VIEW_SQS);
    ck_assert_int_eq(poller_sched_interval(&s, POLLER_G_QUEUES), 5 * S);
    ck_assert_int_eq(poller_sched_interval(&s, POLLER_G_METRICS), 5 * S);
    ck_assert_int_eq(poller_sched_interval(&s, POLLER_G_DLQ_SOURCES), 5 * S * POLLER_HIDDEN_FACTOR);

    poller_sched_set_view(&s, APPCONFIG_VIEW_DLQ);
    ck_assert_int_eq(poller_sched_interval(&s, POLLER_G_QUEUES), 20 * S);
    ck_assert_int_eq(poller_sched_interval(&s, POLLER_G_DLQ_SOURCES), 20 * S);
    ck_assert_int_eq(poller_sched_interval(&s, POLLER_G_METRICS), 20 * S * POLLER_HIDDEN_FACTOR);

    poller_sched_set_view(&s, APPCONFIG_VIEW_OVERVIEW);
    ck_assert_int_eq(poller_sched_interval(&s, POLLER_G_QUEUES), 30 * S);
    ck_assert_int_eq(poller_sched_interval(&s, POLLER_G_METRICS), 30 * S);
    ck_assert_int_eq(poller_sched_interval(&s, POLLER_G_DLQ_SOURCES), 30 * S);

    /* a view that shows none of it: everything at the hidden factor of that view's interval
     * (sns has none of its own: [intervals] default, 10 s) */
    poller_sched_set_view(&s, APPCONFIG_VIEW_SNS);
    ck_assert_int_eq(poller_sched_interval(&s, POLLER_G_QUEUES),
                     APPCONFIG_INTERVAL_DEFAULT * S * POLLER_HIDDEN_FACTOR);
    ck_assert_int_eq(poller_sched_interval(&s, POLLER_G_DLQ_SOURCES),
                     APPCONFIG_INTERVAL_DEFAULT * S * POLLER_HIDDEN_FACTOR);

    /* identity and the detail pane keep their own timers whatever the view */
    ck_assert_int_eq(poller_sched_interval(&s, POLLER_G_IDENTITY), 5 * 60 * S);
    ck_assert_int_eq(poller_sched_interval(&s, POLLER_G_DETAIL), POLLER_DETAIL_INTERVAL_MS);
    appconfig_free(cfg);
}
END_TEST

START_TEST(first_tick_starts_all_ready_groups)
{
    struct appconfig *cfg = cfg_with(10, 10, 10);
    struct poller_sched s;

    poller_sched_init(&s, cfg);
    ck_assert(poller_sched_should_start(&s, POLLER_G_IDENTITY, 0, true));
    ck_assert(poller_sched_should_start(&s, POLLER_G_QUEUES, 0, true));
    /* metrics wait for a queue list: due, but not started, and not a busy loop */
    ck_assert(!poller_sched_should_start(&s, POLLER_G_METRICS, 0, false));
    /* no detail pane open: never due */
    ck_assert(!poller_sched_should_start(&s, POLLER_G_DETAIL, 0, true));
    poller_sched_start(&s, POLLER_G_IDENTITY, 0);
    poller_sched_start(&s, POLLER_G_QUEUES, 0);
    ck_assert_int_eq(poller_sched_delay(&s, 0, 60 * S,
                                        1u << POLLER_G_METRICS | 1u << POLLER_G_DLQ_SOURCES),
                     60 * S);
    /* once the metrics are ready they are due at once */
    ck_assert_int_eq(poller_sched_delay(&s, 0, 60 * S, 0), 0);
    appconfig_free(cfg);
}
END_TEST

START_TEST(no_overlap_skips_start)
{
    struct appconfig *cfg = cfg_with(10, 10, 10);
    struct poller_sched s;

    poller_sched_init(&s, cfg);
    poller_sched_set_view(&s, APPCONFIG_VIEW_SQS);
    poller_sched_start(&s, POLLER_G_QUEUES, 0);
    ck_assert(!poller_sched_should_start(&s, POLLER_G_QUEUES, 5 * S, true));
    ck_assert_int_eq(s.t[POLLER_G_QUEUES].skipped, 0);
    /* still running when due at 10 s: skipped, not doubled */
    ck_assert(!poller_sched_should_start(&s, POLLER_G_QUEUES, 10 * S, true));
    ck_assert(!poller_sched_should_start(&s, POLLER_G_QUEUES, 11 * S, true));
    ck_assert_int_eq(s.t[POLLER_G_QUEUES].skipped, 1);
    ck_assert_int_eq(s.t[POLLER_G_QUEUES].started, 1);
    /* it ends at 12 s: next start a whole interval after the skipped one */
    poller_sched_finish(&s, POLLER_G_QUEUES, false);
    ck_assert(!poller_sched_should_start(&s, POLLER_G_QUEUES, 12 * S, true));
    ck_assert_int_eq(poller_sched_due(&s, POLLER_G_QUEUES), 20 * S);
    ck_assert(poller_sched_should_start(&s, POLLER_G_QUEUES, 20 * S, true));
    appconfig_free(cfg);
}
END_TEST

START_TEST(backoff_doubles_to_cap_and_resets)
{
    struct appconfig *cfg = cfg_with(10, 10, 10);
    struct poller_sched s;
    int64_t now = 0;
    const int64_t want[] = {20, 40, 80, 80, 80};

    poller_sched_init(&s, cfg);
    poller_sched_set_view(&s, APPCONFIG_VIEW_SQS);
    ck_assert_int_eq(POLLER_BACKOFF_MAX, 8);
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        poller_sched_start(&s, POLLER_G_QUEUES, now);
        poller_sched_finish(&s, POLLER_G_QUEUES, true);
        ck_assert_int_eq(poller_sched_effective(&s, POLLER_G_QUEUES), want[i] * S);
        /* not due a moment before, due at the backed-off time */
        ck_assert(!poller_sched_should_start(&s, POLLER_G_QUEUES, now + want[i] * S - 1, true));
        now += want[i] * S;
        ck_assert(poller_sched_should_start(&s, POLLER_G_QUEUES, now, true));
    }
    /* the delay the loop gets says the same */
    ck_assert_int_eq(poller_sched_delay(&s, now - 30 * S, 3600 * S,
                                        ~(1u << POLLER_G_QUEUES)), 30 * S);
    poller_sched_start(&s, POLLER_G_QUEUES, now);
    poller_sched_finish(&s, POLLER_G_QUEUES, false);
    ck_assert_int_eq(poller_sched_effective(&s, POLLER_G_QUEUES), 10 * S);
    ck_assert_int_eq(poller_sched_due(&s, POLLER_G_QUEUES), now + 10 * S);
    appconfig_free(cfg);
}
END_TEST

START_TEST(refresh_makes_visible_due)
{
    struct appconfig *cfg = cfg_with(10, 10, 10);
    struct poller_sched s;

    poller_sched_init(&s, cfg);
    poller_sched_set_view(&s, APPCONFIG_VIEW_SQS);
    for (int g = 0; g < POLLER_G_COUNT; g++) {
        if (g == POLLER_G_DETAIL)
            continue;
        poller_sched_start(&s, g, 0);
        poller_sched_finish(&s, g, false);
    }
    ck_assert(!poller_sched_should_start(&s, POLLER_G_QUEUES, 3 * S, true));
    poller_sched_refresh(&s);
    ck_assert(poller_sched_should_start(&s, POLLER_G_QUEUES, 3 * S, true));
    ck_assert(poller_sched_should_start(&s, POLLER_G_METRICS, 3 * S, true));
    /* what the sqs view does not show, and a healthy identity, keep their timers */
    ck_assert(!poller_sched_should_start(&s, POLLER_G_DLQ_SOURCES, 3 * S, true));
    ck_assert(!poller_sched_should_start(&s, POLLER_G_IDENTITY, 3 * S, true));
    ck_assert_int_eq(poller_sched_delay(&s, 3 * S, 3600 * S, 0), 0);

    /* a refresh while the cycle runs is not lost: it starts when the cycle ends */
    poller_sched_start(&s, POLLER_G_QUEUES, 3 * S);
    poller_sched_refresh(&s);
    ck_assert(!poller_sched_should_start(&s, POLLER_G_QUEUES, 4 * S, true));
    poller_sched_finish(&s, POLLER_G_QUEUES, false);
    ck_assert(poller_sched_should_start(&s, POLLER_G_QUEUES, 5 * S, true));

    /* identity is refreshed when it is failing */
    poller_sched_start(&s, POLLER_G_IDENTITY, 5 * S);
    poller_sched_finish(&s, POLLER_G_IDENTITY, true);
    poller_sched_refresh(&s);
    ck_assert(poller_sched_should_start(&s, POLLER_G_IDENTITY, 6 * S, true));
    appconfig_free(cfg);
}
END_TEST

/* A console started during an outage must show the account once AWS answers again, without
 * a key press and without waiting five minutes: a failing identity follows the view's
 * interval with backoff, and goes back to its slow timer after a success. */
START_TEST(failing_identity_retried_at_view_interval)
{
    struct appconfig *cfg = cfg_with(10, 10, 10);
    struct poller_sched s;

    poller_sched_init(&s, cfg);
    poller_sched_set_view(&s, APPCONFIG_VIEW_SQS);
    ck_assert_int_eq(poller_sched_interval(&s, POLLER_G_IDENTITY), 5 * 60 * S);
    poller_sched_start(&s, POLLER_G_IDENTITY, 0);
    poller_sched_finish(&s, POLLER_G_IDENTITY, true);
    ck_assert_int_eq(poller_sched_due(&s, POLLER_G_IDENTITY), 2 * 10 * S);
    ck_assert(!poller_sched_should_start(&s, POLLER_G_IDENTITY, 19 * S, true));
    ck_assert(poller_sched_should_start(&s, POLLER_G_IDENTITY, 20 * S, true));
    poller_sched_start(&s, POLLER_G_IDENTITY, 20 * S);
    poller_sched_finish(&s, POLLER_G_IDENTITY, false);
    ck_assert_int_eq(poller_sched_due(&s, POLLER_G_IDENTITY), 20 * S + 5 * 60 * S);
    appconfig_free(cfg);
}
END_TEST

START_TEST(view_switch_changes_due_time)
{
    struct appconfig *cfg = cfg_with(10, 10, 10);
    struct poller_sched s;

    poller_sched_init(&s, cfg);
    poller_sched_set_view(&s, APPCONFIG_VIEW_SQS);
    poller_sched_start(&s, POLLER_G_DLQ_SOURCES, 0);
    poller_sched_finish(&s, POLLER_G_DLQ_SOURCES, false);
    ck_assert_int_eq(poller_sched_due(&s, POLLER_G_DLQ_SOURCES), 60 * S);
    /* switching to the dlq view: the sources are due at the fast interval from the last start */
    poller_sched_set_view(&s, APPCONFIG_VIEW_DLQ);
    ck_assert_int_eq(poller_sched_due(&s, POLLER_G_DLQ_SOURCES), 10 * S);
    ck_assert(poller_sched_should_start(&s, POLLER_G_DLQ_SOURCES, 10 * S, true));
    appconfig_free(cfg);
}
END_TEST

/* ---- the poller against a closed port ---- */

static int closed_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    port = ntohs(a.sin_port);
    close(fd);   /* nothing listens there now: connections are refused */
    return port;
}

struct rig {
    struct aws_config *acfg;
    struct appconfig *cfg;
    struct creds_manager *cm;
    struct aws_client *client;
    struct store *store;
    struct poller *p;
    char endpoint[64];
};

static void rig_init(struct rig *r)
{
    struct aws_config_opts co = {0};
    struct aws_client_opts opts = {.max_attempts = 1, .connect_timeout_ms = 2000};
    struct aws_error err;

    snprintf(r->endpoint, sizeof(r->endpoint), "http://127.0.0.1:%d", closed_port());
    setenv("AWS_ACCESS_KEY_ID", "AKIAOPSDECKTESTING01", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "opsdeck-testing-secret-not-a-real-key", 1);
    setenv("AWS_REGION", "us-east-1", 1);
    setenv("AWS_ENDPOINT_URL", r->endpoint, 1);
    aws_error_clear(&err);
    r->acfg = aws_config_new(&co, &err);
    ck_assert_msg(r->acfg != NULL, "%s", err.message);
    r->cfg = cfg_with(10, 10, 10);
    r->cm = creds_manager_new(r->acfg);
    r->client = aws_client_new(r->acfg, r->cm, &opts);
    r->store = store_new();
    r->p = poller_new(r->client, r->store, r->cfg);
    poller_set_profile(r->p, "oncall");
}

static void rig_drain(struct rig *r)
{
    /* connection refused ends each request; no timing is asserted */
    while (aws_client_pending(r->client) > 0)
        aws_client_run(r->client, NULL, 0, 1000);
}

static void rig_done(struct rig *r)
{
    aws_client_free(r->client);
    poller_free(r->p);
    store_free(r->store);
    creds_manager_free(r->cm);
    appconfig_free(r->cfg);
    aws_config_free(r->acfg);
}

START_TEST(unreachable_endpoint_marks_stale_and_backs_off)
{
    struct rig r;
    const struct store_res *e;
    struct store_kind_info info;
    int64_t count;
    int delay;

    rig_init(&r);
    poller_set_view(r.p, APPCONFIG_VIEW_SQS);
    ck_assert(!poller_busy(r.p));
    ck_assert_int_eq(aws_client_pending(r.client), 0);   /* nothing before the first tick */

    delay = poller_tick(r.p, 0);
    ck_assert(poller_busy(r.p));
    /* identity + the first ListQueues; metrics wait for a list */
    ck_assert_int_eq(aws_client_pending(r.client), 2);
    ck_assert_int_ge(delay, 0);
    /* ticking again while the cycle runs starts nothing more */
    poller_tick(r.p, 11 * S);
    ck_assert_int_eq(aws_client_pending(r.client), 2);

    rig_drain(&r);
    ck_assert(!poller_busy(r.p));
    ck_assert_int_eq(poller_cycles(r.p), 1);

    store_kind_info(r.store, "queue", &info);
    ck_assert(info.stale);
    ck_assert_ptr_nonnull(info.error);
    store_kind_info(r.store, "dlq", &info);
    ck_assert(info.stale);
    ck_assert_ptr_nonnull(store_find(r.store, "identity", "caller"));
    ck_assert(store_res_stale(store_find(r.store, "identity", "caller")));

    e = store_find(r.store, "error", "SQS ListQueues");
    ck_assert_ptr_nonnull(e);
    ck_assert(store_res_int(e, "count", &count));
    ck_assert_int_eq(count, 1);
    ck_assert_msg(strstr(store_res_str(e, "message"), r.endpoint) != NULL,
                  "error row does not name the endpoint: %s", store_res_str(e, "message"));
    ck_assert_msg(strstr(store_res_str(e, "message"), "oncall") != NULL,
                  "error row does not name the profile: %s", store_res_str(e, "message"));
    ck_assert_ptr_nonnull(store_find(r.store, "error", "STS GetCallerIdentity"));
    /* no list ever worked: the metrics and DLQ groups never asked */
    ck_assert_ptr_null(store_find(r.store, "error", "CloudWatch GetMetricData"));

    /* the skipped start at 11 s was not saved up: the failed cycle backs off from there,
     * x2 the sqs view's 10 s */
    delay = poller_tick(r.p, 12 * S);
    ck_assert_int_eq(aws_client_pending(r.client), 0);
    /* first due: the failing identity, at the view's interval x2 from its start at 0 (the
     * header must not say "account ?" for five minutes after AWS answers again) */
    ck_assert_int_eq(delay, (20 - 12) * S);
    ck_assert_int_eq(poller_tick(r.p, 20 * S), (11 + 20 - 20) * S);
    ck_assert_int_eq(aws_client_pending(r.client), 1);
    rig_drain(&r);
    ck_assert_int_eq(poller_tick(r.p, 31 * S - 1), 1);
    ck_assert_int_eq(aws_client_pending(r.client), 0);
    poller_tick(r.p, 31 * S);
    ck_assert_int_eq(aws_client_pending(r.client), 1);
    rig_drain(&r);
    ck_assert_int_eq(poller_cycles(r.p), 2);
    ck_assert(store_res_int(store_find(r.store, "error", "SQS ListQueues"), "count", &count));
    ck_assert_int_eq(count, 2);
    /* now x4 for the list; the identity failed twice too: due at 20 + 40 */
    ck_assert_int_eq(poller_tick(r.p, 32 * S), (20 + 40 - 32) * S);

    /* `r` is honoured at once, backoff or not, and retries the failing identity too */
    poller_refresh(r.p);
    ck_assert_int_eq(poller_tick(r.p, 33 * S), 60 * S);   /* everything else is waiting */
    ck_assert_int_eq(aws_client_pending(r.client), 2);
    ck_assert(poller_busy(r.p));
    rig_drain(&r);
    ck_assert_int_eq(poller_cycles(r.p), 3);
    rig_done(&r);
}
END_TEST

START_TEST(detail_polled_on_its_own_timer)
{
    struct rig r;
    const struct store_res *row;

    rig_init(&r);
    poller_tick(r.p, 0);
    rig_drain(&r);
    /* opening a detail pane polls it at once: GetQueueAttributes and ListQueueTags */
    poller_set_detail(r.p, "http://127.0.0.1:1/123456789012/orders");
    poller_tick(r.p, 1 * S);
    ck_assert_int_eq(aws_client_pending(r.client), 2);
    ck_assert(poller_busy(r.p));
    rig_drain(&r);
    ck_assert(!poller_busy(r.p));
    row = store_find(r.store, "queue", "http://127.0.0.1:1/123456789012/orders");
    ck_assert_ptr_nonnull(row);
    ck_assert(store_res_stale(row));
    ck_assert_ptr_nonnull(store_find(r.store, "error", "SQS ListQueueTags"));
    /* a refused connection is not throttling: the detail keeps its 2 s pace */
    ck_assert_int_eq(poller_tick(r.p, 2 * S), 1 * S);
    poller_tick(r.p, 1 * S + POLLER_DETAIL_INTERVAL_MS);
    ck_assert_int_eq(aws_client_pending(r.client), 2);
    rig_drain(&r);
    /* closing it stops it */
    poller_set_detail(r.p, NULL);
    poller_tick(r.p, 10 * S);
    ck_assert_int_eq(aws_client_pending(r.client), 0);
    rig_done(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("poller");
    TCase *tc = tcase_create("schedule");
    TCase *net = tcase_create("closed_port");

    tcase_add_test(tc, intervals_per_view);
    tcase_add_test(tc, first_tick_starts_all_ready_groups);
    tcase_add_test(tc, no_overlap_skips_start);
    tcase_add_test(tc, backoff_doubles_to_cap_and_resets);
    tcase_add_test(tc, refresh_makes_visible_due);
    tcase_add_test(tc, failing_identity_retried_at_view_interval);
    tcase_add_test(tc, view_switch_changes_due_time);
    suite_add_tcase(s, tc);
    tcase_add_checked_fixture(net, tmp_home_setup, tmp_home_teardown);
    tcase_add_test(net, unreachable_endpoint_marks_stale_and_backs_off);
    tcase_add_test(net, detail_polled_on_its_own_timer);
    suite_add_tcase(s, net);
    return check_tap_run(s);
}
