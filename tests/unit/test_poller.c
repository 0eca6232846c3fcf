/* test_poller.c - the scheduler of poll sources.
 *
 * First the timing rules on a fake clock (poller_sched.c): the real sources' intervals per
 * view, the hidden factor, intervals of their own, no overlapping cycles, backoff and its
 * cap, refresh, the detail pane's timer; then fake sources for the rules no real source
 * shows yet (snapshot-only sources, run-once, inputs). Then the poller itself with fake
 * sources that need no network (cycles, commits, inputs, busy and rounds), and against a
 * closed port on 127.0.0.1 (real client, real failures): what poller_tick starts and
 * returns, stale rows and "error" rows, backoff, and what a source's answer hook decides. */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "aws/sqs.h"
#include "check_tap.h"
#include "conf/appconfig.h"
#include "conf/awsconfig.h"
#include "core/client.h"
#include "creds/creds.h"
#include "poll/poller.h"
#include "poll/poller_sched.h"
#include "poll/sources/sources.h"
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

/* The real registry's sources, by name. */
static size_t src_ix(const struct poller_sched *s, const char *name)
{
    size_t i = poller_sched_find(s, name);

    ck_assert_msg(i < s->n, "no source named %s", name);
    return i;
}

/* ---- the schedule of the real sources, no network ---- */

START_TEST(intervals_per_view)
{
    struct appconfig *cfg = cfg_with(5, 20, 30);
    struct poller_sched s;
    size_t queues, dlq_sources, identity, detail, creds;

    poller_sched_init(&s, cfg, source_registry, false);
    queues = src_ix(&s, "queues");
    dlq_sources = src_ix(&s, "dlq_sources");
    identity = src_ix(&s, "identity");
    detail = src_ix(&s, "queue_detail");
    creds = src_ix(&s, "credentials");

    poller_sched_set_view(&s, APPCONFIG_VIEW_SQS);
    ck_assert_int_eq(poller_sched_interval(&s, queues), 5 * S);
    ck_assert_int_eq(poller_sched_interval(&s, dlq_sources), 5 * S * POLLER_HIDDEN_FACTOR);

    poller_sched_set_view(&s, APPCONFIG_VIEW_DLQ);
    ck_assert_int_eq(poller_sched_interval(&s, queues), 20 * S);
    ck_assert_int_eq(poller_sched_interval(&s, dlq_sources), 20 * S);

    poller_sched_set_view(&s, APPCONFIG_VIEW_OVERVIEW);
    ck_assert_int_eq(poller_sched_interval(&s, queues), 30 * S);
    ck_assert_int_eq(poller_sched_interval(&s, dlq_sources), 30 * S);

    /* the sns view shows its subscribers' queue depths, not the DLQs' sources (it has no
     * interval of its own: [intervals] default, 10 s) */
    poller_sched_set_view(&s, APPCONFIG_VIEW_SNS);
    ck_assert_int_eq(poller_sched_interval(&s, queues), APPCONFIG_INTERVAL_DEFAULT * S);
    ck_assert_int_eq(poller_sched_interval(&s, dlq_sources),
                     APPCONFIG_INTERVAL_DEFAULT * S * POLLER_HIDDEN_FACTOR);

    /* a view that shows none of it: everything at the hidden factor of that view's interval */
    poller_sched_set_view(&s, APPCONFIG_VIEW_EXPIRY);
    ck_assert_int_eq(poller_sched_interval(&s, queues),
                     APPCONFIG_INTERVAL_DEFAULT * S * POLLER_HIDDEN_FACTOR);
    ck_assert_int_eq(poller_sched_interval(&s, dlq_sources),
                     APPCONFIG_INTERVAL_DEFAULT * S * POLLER_HIDDEN_FACTOR);

    /* identity, the detail pane and the credential report keep their own timers */
    ck_assert_int_eq(poller_sched_interval(&s, identity), 5 * 60 * S);
    ck_assert_int_eq(poller_sched_interval(&s, detail), 2 * S);
    ck_assert_int_eq(poller_sched_interval(&s, creds), 1 * S);
    poller_sched_done(&s);
    appconfig_free(cfg);
}
END_TEST

START_TEST(first_tick_starts_all_ready_sources)
{
    struct appconfig *cfg = cfg_with(10, 10, 10);
    struct poller_sched s;
    size_t identity, queues, dlq_sources, detail, creds, topics, buckets;

    poller_sched_init(&s, cfg, source_registry, false);
    identity = src_ix(&s, "identity");
    queues = src_ix(&s, "queues");
    dlq_sources = src_ix(&s, "dlq_sources");
    detail = src_ix(&s, "queue_detail");
    creds = src_ix(&s, "credentials");
    topics = src_ix(&s, "topics");
    buckets = src_ix(&s, "buckets");
    ck_assert(poller_sched_should_start(&s, identity, 0));
    ck_assert(poller_sched_should_start(&s, queues, 0));
    /* the DLQs' sources wait for the DLQs: due, but not started, and not a busy loop */
    s.t[dlq_sources].ready = false;
    ck_assert(!poller_sched_should_start(&s, dlq_sources, 0));
    s.t[src_ix(&s, "bucket_regions")].ready = false;   /* the same, for the buckets */
    /* no detail pane open: never due */
    ck_assert(!poller_sched_active(&s, detail));
    ck_assert(!poller_sched_should_start(&s, detail, 0));
    /* topics: the sns view's, buckets: the s3 view's; each polled (more slowly) from any view */
    ck_assert(poller_sched_active(&s, topics) && poller_sched_should_start(&s, topics, 0));
    ck_assert(poller_sched_active(&s, buckets));
    ck_assert_int_eq(poller_sched_interval(&s, buckets),
                     POLLER_HIDDEN_FACTOR * poller_sched_interval(&s, queues));
    poller_sched_start(&s, identity, 0);
    poller_sched_start(&s, queues, 0);
    poller_sched_start(&s, topics, 0);
    poller_sched_start(&s, src_ix(&s, "reach"), 0);
    poller_sched_start(&s, buckets, 0);
    poller_sched_start(&s, creds, 0);
    /* the expiry view's sources are polled while hidden too (more slowly) */
    poller_sched_start(&s, src_ix(&s, "iam_expiry"), 0);
    poller_sched_start(&s, src_ix(&s, "secret_rotation"), 0);
    poller_sched_start(&s, src_ix(&s, "app_passwords"), 0);
    /* and the toggles view's */
    poller_sched_start(&s, src_ix(&s, "mappings"), 0);
    poller_sched_start(&s, src_ix(&s, "rules"), 0);
    poller_sched_start(&s, src_ix(&s, "parameters"), 0);
    poller_sched_finish(&s, creds, false);
    ck_assert_int_eq(poller_sched_delay(&s, 0, 60 * S), 1 * S);   /* the credential report */
    s.t[creds].running = true;
    ck_assert_int_eq(poller_sched_delay(&s, 0, 60 * S), 60 * S);
    /* once the DLQs are known their sources are due at once */
    s.t[dlq_sources].ready = true;
    ck_assert_int_eq(poller_sched_delay(&s, 0, 60 * S), 0);
    poller_sched_done(&s);
    appconfig_free(cfg);
}
END_TEST

START_TEST(no_overlap_skips_start)
{
    struct appconfig *cfg = cfg_with(10, 10, 10);
    struct poller_sched s;
    size_t q;

    poller_sched_init(&s, cfg, source_registry, false);
    q = src_ix(&s, "queues");
    poller_sched_set_view(&s, APPCONFIG_VIEW_SQS);
    poller_sched_start(&s, q, 0);
    ck_assert(!poller_sched_should_start(&s, q, 5 * S));
    ck_assert_int_eq(s.t[q].skipped, 0);
    /* still running when due at 10 s: skipped, not doubled */
    ck_assert(!poller_sched_should_start(&s, q, 10 * S));
    ck_assert(!poller_sched_should_start(&s, q, 11 * S));
    ck_assert_int_eq(s.t[q].skipped, 1);
    ck_assert_int_eq(s.t[q].started, 1);
    /* it ends at 12 s: next start a whole interval after the skipped one */
    poller_sched_finish(&s, q, false);
    ck_assert(!poller_sched_should_start(&s, q, 12 * S));
    ck_assert_int_eq(poller_sched_due(&s, q), 20 * S);
    ck_assert(poller_sched_should_start(&s, q, 20 * S));
    poller_sched_done(&s);
    appconfig_free(cfg);
}
END_TEST

START_TEST(backoff_doubles_to_cap_and_resets)
{
    struct appconfig *cfg = cfg_with(10, 10, 10);
    struct poller_sched s;
    int64_t now = 0;
    const int64_t want[] = {20, 40, 80, 80, 80};
    size_t q;

    poller_sched_init(&s, cfg, source_registry, false);
    q = src_ix(&s, "queues");
    poller_sched_set_view(&s, APPCONFIG_VIEW_SQS);
    ck_assert_int_eq(POLLER_BACKOFF_MAX, 8);
    /* everything else has run and is waiting far away */
    for (size_t i = 0; i < s.n; i++) {
        poller_sched_start(&s, i, 0);
        poller_sched_finish(&s, i, false);
        s.t[i].ready = i == q;
    }
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        poller_sched_start(&s, q, now);
        poller_sched_finish(&s, q, true);
        ck_assert_int_eq(poller_sched_effective(&s, q), want[i] * S);
        /* not due a moment before, due at the backed-off time */
        ck_assert(!poller_sched_should_start(&s, q, now + want[i] * S - 1));
        now += want[i] * S;
        ck_assert(poller_sched_should_start(&s, q, now));
    }
    /* the delay the loop gets says the same */
    ck_assert_int_eq(poller_sched_delay(&s, now - 30 * S, 3600 * S), 30 * S);
    poller_sched_start(&s, q, now);
    poller_sched_finish(&s, q, false);
    ck_assert_int_eq(poller_sched_effective(&s, q), 10 * S);
    ck_assert_int_eq(poller_sched_due(&s, q), now + 10 * S);
    poller_sched_done(&s);
    appconfig_free(cfg);
}
END_TEST

START_TEST(refresh_makes_visible_and_failing_due)
{
    struct appconfig *cfg = cfg_with(10, 10, 10);
    struct poller_sched s;
    size_t q, det, d, id;

    poller_sched_init(&s, cfg, source_registry, false);
    q = src_ix(&s, "queues");
    det = src_ix(&s, "queue_detail");
    d = src_ix(&s, "dlq_sources");
    id = src_ix(&s, "identity");
    poller_sched_set_view(&s, APPCONFIG_VIEW_SQS);
    s.detail = true;   /* a detail pane is open */
    for (size_t i = 0; i < s.n; i++) {
        poller_sched_start(&s, i, 0);
        poller_sched_finish(&s, i, false);
    }
    ck_assert(!poller_sched_should_start(&s, q, 1 * S));
    ck_assert(!poller_sched_should_start(&s, det, 1 * S));
    poller_sched_refresh(&s);
    ck_assert(poller_sched_should_start(&s, q, 1 * S));
    ck_assert(poller_sched_should_start(&s, det, 1 * S));
    /* what the sqs view does not show, and a healthy identity, keep their timers */
    ck_assert(!poller_sched_should_start(&s, d, 3 * S));
    ck_assert(!poller_sched_should_start(&s, id, 3 * S));
    ck_assert_int_eq(poller_sched_delay(&s, 3 * S, 3600 * S), 0);

    /* a refresh while the cycle runs is not lost: it starts when the cycle ends */
    poller_sched_start(&s, q, 3 * S);
    poller_sched_refresh(&s);
    ck_assert(!poller_sched_should_start(&s, q, 4 * S));
    poller_sched_finish(&s, q, false);
    ck_assert(poller_sched_should_start(&s, q, 5 * S));

    /* a failing source is refreshed, shown or not: the identity, the DLQ sources */
    poller_sched_start(&s, id, 5 * S);
    poller_sched_finish(&s, id, true);
    poller_sched_start(&s, d, 5 * S);
    poller_sched_finish(&s, d, true);
    poller_sched_refresh(&s);
    ck_assert(poller_sched_should_start(&s, id, 6 * S));
    ck_assert(poller_sched_should_start(&s, d, 6 * S));
    poller_sched_done(&s);
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
    size_t id;

    poller_sched_init(&s, cfg, source_registry, false);
    id = src_ix(&s, "identity");
    poller_sched_set_view(&s, APPCONFIG_VIEW_SQS);
    ck_assert_int_eq(poller_sched_interval(&s, id), 5 * 60 * S);
    poller_sched_start(&s, id, 0);
    poller_sched_finish(&s, id, true);
    ck_assert_int_eq(poller_sched_due(&s, id), 2 * 10 * S);
    ck_assert(!poller_sched_should_start(&s, id, 19 * S));
    ck_assert(poller_sched_should_start(&s, id, 20 * S));
    poller_sched_start(&s, id, 20 * S);
    poller_sched_finish(&s, id, false);
    ck_assert_int_eq(poller_sched_due(&s, id), 20 * S + 5 * 60 * S);
    poller_sched_done(&s);
    appconfig_free(cfg);
}
END_TEST

START_TEST(view_switch_changes_due_time)
{
    struct appconfig *cfg = cfg_with(10, 10, 10);
    struct poller_sched s;
    size_t d;

    poller_sched_init(&s, cfg, source_registry, false);
    d = src_ix(&s, "dlq_sources");
    poller_sched_set_view(&s, APPCONFIG_VIEW_SQS);
    poller_sched_start(&s, d, 0);
    poller_sched_finish(&s, d, false);
    ck_assert_int_eq(poller_sched_due(&s, d), 60 * S);
    /* switching to the dlq view: the sources are due at the fast interval from the last start */
    poller_sched_set_view(&s, APPCONFIG_VIEW_DLQ);
    ck_assert_int_eq(poller_sched_due(&s, d), 10 * S);
    ck_assert(poller_sched_should_start(&s, d, 10 * S));
    poller_sched_done(&s);
    appconfig_free(cfg);
}
END_TEST

/* ---- fake sources: the rules no real source shows yet ---- */

static void nothing_start(struct source_run *run, void *state)
{
    (void)run;
    (void)state;
}

static const struct source fake_shown = {
    .name = "shown", .views = SOURCE_VIEW(APPCONFIG_VIEW_S3), .start = nothing_start};
static const struct source fake_own = {
    .name = "own", .interval_ms = 45 * S, .start = nothing_start};
static const struct source fake_snapshot_only = {.name = "snapshot-only", .start = nothing_start};
static const struct source fake_detail = {
    .name = "detail", .views = SOURCE_VIEW(APPCONFIG_VIEW_S3), .interval_ms = 3 * S,
    .detail = true, .start = nothing_start};
static const struct source fake_dependent = {
    .name = "dependent", .views = SOURCE_VIEW(APPCONFIG_VIEW_S3), .input = "thing",
    .start = nothing_start};
static const struct source *const fakes[] = {
    &fake_shown, &fake_own, &fake_snapshot_only, &fake_detail, &fake_dependent, NULL};

START_TEST(fake_sources_follow_the_rules)
{
    struct appconfig *cfg = cfg_with(10, 10, 10);
    struct poller_sched s;
    enum { SHOWN, OWN, SNAP, DETAIL, DEP };

    cfg->interval[APPCONFIG_VIEW_S3] = 30;
    poller_sched_init(&s, cfg, fakes, false);
    ck_assert_uint_eq(s.n, 5);
    ck_assert_uint_eq(poller_sched_find(&s, "own"), OWN);
    ck_assert_uint_eq(poller_sched_find(&s, "nonesuch"), s.n);

    /* on the s3 view: its sources at its interval; its own timer for the other */
    poller_sched_set_view(&s, APPCONFIG_VIEW_S3);
    ck_assert(poller_sched_visible(&s, SHOWN) && !poller_sched_visible(&s, OWN));
    ck_assert_int_eq(poller_sched_interval(&s, SHOWN), 30 * S);
    ck_assert_int_eq(poller_sched_interval(&s, OWN), 45 * S);
    /* elsewhere: hidden, six times the view's */
    poller_sched_set_view(&s, APPCONFIG_VIEW_SQS);
    ck_assert_int_eq(poller_sched_interval(&s, SHOWN), 10 * S * POLLER_HIDDEN_FACTOR);
    ck_assert_int_eq(poller_sched_interval(&s, OWN), 45 * S);
    /* a slow source of its own that fails comes back with the view's interval */
    poller_sched_start(&s, OWN, 0);
    poller_sched_finish(&s, OWN, true);
    ck_assert_int_eq(poller_sched_interval(&s, OWN), 10 * S);
    ck_assert_int_eq(poller_sched_effective(&s, OWN), 20 * S);

    /* what no view shows and has no timer is the snapshot's alone */
    ck_assert(!poller_sched_active(&s, SNAP));
    ck_assert(!poller_sched_should_start(&s, SNAP, 0));
    ck_assert(!poller_sched_pending(&s, SNAP));

    /* a detail source: only with a key set, and only while one of its views shows */
    ck_assert(!poller_sched_active(&s, DETAIL));
    s.detail = true;
    ck_assert(!poller_sched_active(&s, DETAIL));          /* the sqs view is on screen */
    poller_sched_set_view(&s, APPCONFIG_VIEW_S3);
    ck_assert(poller_sched_active(&s, DETAIL));
    ck_assert(poller_sched_should_start(&s, DETAIL, 0));

    /* a source whose input is not read stays due without starting, and is left out of the
     * loop's timeout; `r` does not start it either */
    s.t[DEP].ready = false;
    ck_assert(!poller_sched_should_start(&s, DEP, 0));
    ck_assert(!poller_sched_pending(&s, DEP));
    poller_sched_refresh(&s);
    ck_assert(!poller_sched_should_start(&s, DEP, 1 * S));
    s.t[DEP].ready = true;
    ck_assert(poller_sched_pending(&s, DEP));
    ck_assert(poller_sched_should_start(&s, DEP, 1 * S));
    poller_sched_done(&s);
    appconfig_free(cfg);
}
END_TEST

/* The snapshot: every source once, detail sources never, no timers and no refresh. */
START_TEST(once_runs_every_source_once)
{
    struct poller_sched s;
    enum { SHOWN, OWN, SNAP, DETAIL, DEP };

    poller_sched_init(&s, NULL, fakes, true);
    s.detail = true;
    s.t[DEP].ready = false;
    for (size_t i = 0; i < s.n; i++)
        ck_assert_msg(poller_sched_should_start(&s, i, 0) == (i != DETAIL && i != DEP),
                      "%s", fakes[i]->name);
    for (size_t i = 0; i < s.n; i++)
        if (i != DETAIL && i != DEP)
            poller_sched_start(&s, i, 0);
    /* running: not started again, nor counted as skipped */
    ck_assert(!poller_sched_should_start(&s, SHOWN, 3600 * S));
    ck_assert_int_eq(s.t[SHOWN].skipped, 0);
    poller_sched_finish(&s, SHOWN, true);
    /* done, even failed: never due again, whatever the time or `r` */
    poller_sched_refresh(&s);
    ck_assert_int_eq(poller_sched_due(&s, SHOWN), INT64_MAX);
    ck_assert(!poller_sched_should_start(&s, SHOWN, 86400 * S));
    ck_assert(!poller_sched_pending(&s, SHOWN));
    /* the dependent one starts once its input is read */
    s.t[DEP].ready = true;
    ck_assert(poller_sched_pending(&s, DEP));
    ck_assert_int_eq(poller_sched_delay(&s, 5 * S, 60 * S), 0);
    ck_assert(poller_sched_should_start(&s, DEP, 5 * S));
    poller_sched_start(&s, DEP, 5 * S);
    poller_sched_finish(&s, DEP, false);
    ck_assert(!poller_sched_should_start(&s, DEP, 6 * S));
    ck_assert(!poller_sched_active(&s, DETAIL));
    poller_sched_done(&s);
}
END_TEST

/* ---- the poller with sources that need no network ---- */

/* A source that writes the "thing" list from the names in things[], and one that works on
 * "thing" rows and counts how often it ran and over how many rows. */
static const char *things[8];
static unsigned lister_commits, counter_starts;
static size_t counter_rows;

static void lister_commit(struct source_run *run, void *state)
{
    struct store *s = source_store(run);

    (void)state;
    lister_commits++;
    store_list_begin(s, "thing");
    for (size_t i = 0; things[i]; i++) {
        struct store_res *r = store_update_begin(s, "thing", things[i]);

        store_set_int(r, "n", (int64_t)i);
        store_update_commit(r);
    }
    store_list_end(s, "thing");
}

static void counter_start(struct source_run *run, void *state)
{
    (void)state;
    counter_starts++;
    counter_rows = store_count(source_store(run), "thing");
}

static const char *const thing_kinds[] = {"thing", NULL};
static const struct source lister = {
    .name = "lister", .kinds = thing_kinds, .views = SOURCE_VIEW(APPCONFIG_VIEW_SQS),
    .start = nothing_start, .commit = lister_commit};
/* shown by another view than the lister: `r` on the sqs view does not force it, and its own
 * timer (hidden: 6 x an hour) never comes due, so only its input makes it run again */
static const struct source counter = {
    .name = "counter", .views = SOURCE_VIEW(APPCONFIG_VIEW_DLQ), .input = "thing",
    .start = counter_start};
/* the dependent first: it must still wait for its input, whatever the order */
static const struct source *const pair[] = {&counter, &lister, NULL};

START_TEST(inputs_order_and_rerun_dependents)
{
    struct appconfig *cfg = cfg_with(3600, 3600, 3600);
    struct store *store = store_new();
    struct poller_opts po = {.store = store, .app = cfg, .sources = pair};
    struct poller *p = poller_new(&po);

    lister_commits = counter_starts = 0;
    things[0] = "a";
    things[1] = NULL;
    poller_set_view(p, APPCONFIG_VIEW_SQS);
    /* before the first tick everything is due: data is on its way */
    ck_assert(poller_busy(p));
    /* the first tick: the list is written, then (next tick) its dependent starts */
    poller_tick(p, 0);
    ck_assert_uint_eq(lister_commits, 1);
    ck_assert_uint_eq(counter_starts, 0);
    ck_assert(poller_busy(p));               /* the dependent is due and ready now */
    poller_tick(p, 1);
    ck_assert_uint_eq(counter_starts, 1);
    ck_assert_uint_eq(counter_rows, 1);
    ck_assert(!poller_busy(p));
    /* cycles that asked nothing of the network make no round */
    ck_assert_uint_eq(poller_rounds(p), 0);

    /* the list changes (a row added): the dependent is due at once, not an interval later */
    things[1] = "b";
    things[2] = NULL;
    poller_refresh(p);
    ck_assert_int_eq(poller_tick(p, 10 * S), 0);
    ck_assert_uint_eq(lister_commits, 2);
    poller_tick(p, 10 * S + 1);
    ck_assert_uint_eq(counter_starts, 2);
    ck_assert_uint_eq(counter_rows, 2);
    /* the same list again: the dependent keeps its own timer */
    poller_refresh(p);
    poller_tick(p, 20 * S);
    ck_assert_uint_eq(lister_commits, 3);
    poller_tick(p, 20 * S + 1);
    ck_assert_uint_eq(counter_starts, 2);
    ck_assert(!poller_busy(p));
    /* a row removed counts as a change too */
    things[1] = NULL;
    poller_refresh(p);
    poller_tick(p, 30 * S);
    poller_tick(p, 30 * S + 1);
    ck_assert_uint_eq(counter_starts, 3);
    ck_assert_uint_eq(counter_rows, 1);
    poller_free(p);
    store_free(store);
    appconfig_free(cfg);
}
END_TEST

/* In the snapshot the dependent starts as soon as its input is read (at the next tick), and
 * neither runs again. */
START_TEST(once_with_sources)
{
    struct store *store = store_new();
    struct poller_opts po = {.store = store, .sources = pair, .once = true, .wall_s = 42};
    struct poller *p = poller_new(&po);
    int delay;

    lister_commits = counter_starts = 0;
    things[0] = "a";
    things[1] = NULL;
    ck_assert(poller_busy(p));
    poller_tick(p, 0);
    ck_assert_uint_eq(lister_commits, 1);
    delay = poller_tick(p, 0);
    ck_assert_uint_eq(counter_starts, 1);
    ck_assert(!poller_busy(p));
    ck_assert_int_eq(delay, 60 * S);   /* nothing will ever be due */
    poller_tick(p, 3600 * S);
    ck_assert_uint_eq(lister_commits, 1);
    ck_assert_uint_eq(counter_starts, 1);
    poller_free(p);
    store_free(store);
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

static void rig_init_with(struct rig *r, const struct source *const *sources)
{
    struct aws_config_opts co = {0};
    struct aws_client_opts opts = {.max_attempts = 1, .connect_timeout_ms = 2000};
    struct aws_error err;
    struct poller_opts po = {0};

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
    r->client = aws_client_new(r->acfg, creds_manager_source(r->cm), &opts);
    r->store = store_new();
    po.client = r->client;
    po.store = r->store;
    po.app = r->cfg;
    po.creds = r->cm;
    po.profile = "oncall";
    po.sources = sources;
    r->p = poller_new(&po);
}

/* The header's and the queue views' sources: the cases below count their requests and
 * time their backoff, which the s3 view's bucket list (polled off screen too) would join. */
static const struct source *const rig_sources[] = {
    &identity_source, &credentials_source, &queues_source, &dlq_sources_source,
    &queue_detail_source, &topics_source, NULL,
};

static void rig_init(struct rig *r)
{
    rig_init_with(r, rig_sources);
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

static unsigned long started(struct rig *r, const char *name)
{
    const struct poller_sched *s = poller_sched_of(r->p);

    return s->t[src_ix(s, name)].started;
}

/* The sqs view's sources: what this test follows (the other views' sources are polled
 * from any view too, more slowly, and would add their own timers). */
static const struct source *const sqs_view_sources[] = {
    &identity_source, &credentials_source, &queues_source, &dlq_sources_source,
    &queue_detail_source, NULL,
};

START_TEST(unreachable_endpoint_marks_stale_and_backs_off)
{
    struct rig r;
    const struct store_res *e;
    struct store_kind_info info;
    int64_t count;
    int delay;

    rig_init_with(&r, sqs_view_sources);
    poller_set_view(r.p, APPCONFIG_VIEW_SQS);
    ck_assert_int_eq(aws_client_pending(r.client), 0);   /* nothing before the first tick */

    delay = poller_tick(r.p, 0);
    ck_assert(poller_busy(r.p));
    /* identity + the first ListQueues; metrics wait for a list; the credential report
     * needs no request */
    ck_assert_int_eq(aws_client_pending(r.client), 2);
    ck_assert_int_ge(delay, 0);
    /* ticking again while the cycle runs starts nothing more */
    poller_tick(r.p, 11 * S);
    ck_assert_int_eq(aws_client_pending(r.client), 2);

    rig_drain(&r);
    ck_assert(!poller_busy(r.p));
    ck_assert_int_eq(poller_rounds(r.p), 1);
    ck_assert_int_eq(started(&r, "queues"), 1);

    store_kind_info(r.store, "queue", &info);
    ck_assert(info.stale);
    ck_assert_ptr_nonnull(info.error);
    ck_assert_int_eq(info.updated, 0);       /* never read: "cannot read", not "no queues" */
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
    ck_assert_str_eq(store_res_str(e, "service"), "sqs");
    ck_assert_str_eq(store_res_str(e, "action"), "ListQueues");
    ck_assert_ptr_nonnull(store_find(r.store, "error", "STS GetCallerIdentity"));
    /* no list ever worked: CloudWatch and the DLQ sources were never asked */
    ck_assert_ptr_null(store_find(r.store, "error", "CloudWatch GetMetricData"));
    ck_assert_int_eq(started(&r, "dlq_sources"), 0);

    /* the skipped start at 11 s was not saved up: the failed cycle backs off from there,
     * x2 the sqs view's 10 s */
    delay = poller_tick(r.p, 12 * S);
    ck_assert_int_eq(aws_client_pending(r.client), 0);
    /* the credential report is next, every second (it holds the environment's keys the
     * requests used); then the failing identity, at the view's interval x2 from its start
     * at 0 (the header must not say "account ?" for five minutes after AWS answers again) */
    ck_assert_int_eq(delay, 1 * S);
    ck_assert_ptr_nonnull(store_find(r.store, "credential", "default"));
    for (int64_t t = 13 * S; t < 20 * S; t += S)
        poller_tick(r.p, t);
    ck_assert_int_eq(aws_client_pending(r.client), 0);
    poller_tick(r.p, 20 * S);
    ck_assert_int_eq(aws_client_pending(r.client), 1);
    rig_drain(&r);
    ck_assert_int_eq(poller_rounds(r.p), 2);
    poller_tick(r.p, 31 * S - 1);
    ck_assert_int_eq(aws_client_pending(r.client), 0);
    poller_tick(r.p, 31 * S);
    ck_assert_int_eq(aws_client_pending(r.client), 1);
    rig_drain(&r);
    ck_assert_int_eq(started(&r, "queues"), 2);
    ck_assert(store_res_int(store_find(r.store, "error", "SQS ListQueues"), "count", &count));
    ck_assert_int_eq(count, 2);
    /* now x4 for the list (due at 31 + 40); the identity failed twice too: due at 20 + 40 */
    {
        const struct poller_sched *s = poller_sched_of(r.p);

        ck_assert_int_eq(poller_sched_due(s, src_ix(s, "queues")), 71 * S);
        ck_assert_int_eq(poller_sched_due(s, src_ix(s, "identity")), 60 * S);
    }

    /* `r` is honoured at once, backoff or not, and retries the failing identity too */
    poller_refresh(r.p);
    poller_tick(r.p, 33 * S);
    ck_assert_int_eq(aws_client_pending(r.client), 2);
    ck_assert(poller_busy(r.p));
    rig_drain(&r);
    ck_assert_int_eq(started(&r, "queues"), 3);
    ck_assert_int_eq(poller_rounds(r.p), 4);
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
    /* opening a detail pane polls it at once: GetQueueAttributes and ListQueueTags; but
     * only where a view that has such a pane is on screen */
    poller_set_detail(r.p, "http://127.0.0.1:1/123456789012/orders");
    poller_tick(r.p, 1 * S);
    ck_assert_int_eq(aws_client_pending(r.client), 0);   /* the overview has no pane */
    poller_set_view(r.p, APPCONFIG_VIEW_SQS);
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
    poller_tick(r.p, 2 * S);
    ck_assert_int_eq(aws_client_pending(r.client), 0);
    poller_tick(r.p, 1 * S + 2 * S);
    ck_assert_int_eq(aws_client_pending(r.client), 2);
    rig_drain(&r);
    /* closing it stops it */
    poller_set_detail(r.p, NULL);
    poller_tick(r.p, 10 * S);
    ck_assert_int_eq(started(&r, "queue_detail"), 2);
    rig_done(&r);
}
END_TEST

/* What a source's answer hook says decides the "error" row: by default the client's error
 * counts; a resource gone is no error; a response that did not parse is one. */
enum fake_answer { ANSWER_DEFAULT, ANSWER_GONE, ANSWER_PARSE };
static enum fake_answer fake_mode;
static unsigned fake_answers, fake_commits;

static void sqs_list_start(struct source_run *run, void *state)
{
    struct aws_request r;
    struct sqs_list_queues_params lp = {.max_results = 10};

    (void)state;
    sqs_list_queues_request(&r, &lp);
    source_send(run, &r, 7, 3);
}

static void sqs_list_answer(struct source_run *run, void *state, unsigned tag, size_t index,
                            const struct aws_response *resp, const struct aws_error *err)
{
    struct aws_error perr;

    (void)state;
    ck_assert_uint_eq(tag, 7);
    ck_assert_uint_eq(index, 3);
    ck_assert_ptr_null(resp);
    ck_assert_ptr_nonnull(err);
    ck_assert_uint_eq(source_pending(run), 0);
    fake_answers++;
    if (fake_mode == ANSWER_GONE) {
        source_gone(run);
    } else if (fake_mode == ANSWER_PARSE) {
        aws_error_clear(&perr);
        aws_error_set(&perr, AWS_ERR_PARSE, "SQS ListQueues: not JSON");
        source_error(run, &perr);
    }
}

static void sqs_list_commit(struct source_run *run, void *state)
{
    (void)run;
    (void)state;
    fake_commits++;
}

static const struct source fake_sqs = {
    .name = "fake_sqs", .views = SOURCE_VIEW(APPCONFIG_VIEW_SQS), .start = sqs_list_start,
    .answer = sqs_list_answer, .commit = sqs_list_commit};
static const struct source *const fake_sqs_only[] = {&fake_sqs, NULL};

START_TEST(answer_hook_decides_the_error_row)
{
    struct rig r;
    const struct store_res *e;
    int64_t count;

    rig_init_with(&r, fake_sqs_only);
    poller_set_view(r.p, APPCONFIG_VIEW_SQS);
    fake_answers = fake_commits = 0;

    fake_mode = ANSWER_GONE;
    poller_tick(r.p, 0);
    rig_drain(&r);
    ck_assert_uint_eq(fake_answers, 1);
    ck_assert_uint_eq(fake_commits, 1);
    ck_assert_ptr_null(store_find(r.store, "error", "SQS ListQueues"));

    fake_mode = ANSWER_DEFAULT;
    poller_refresh(r.p);
    poller_tick(r.p, 1 * S);
    rig_drain(&r);
    e = store_find(r.store, "error", "SQS ListQueues");
    ck_assert_ptr_nonnull(e);
    ck_assert(store_res_int(e, "count", &count));
    ck_assert_int_eq(count, 1);
    ck_assert_msg(strstr(store_res_str(e, "message"), r.endpoint) != NULL, "%s",
                  store_res_str(e, "message"));

    fake_mode = ANSWER_PARSE;
    poller_refresh(r.p);
    poller_tick(r.p, 2 * S);
    rig_drain(&r);
    e = store_find(r.store, "error", "SQS ListQueues");
    ck_assert(store_res_int(e, "count", &count));
    ck_assert_int_eq(count, 2);
    ck_assert_msg(strstr(store_res_str(e, "message"), "not JSON") != NULL, "%s",
                  store_res_str(e, "message"));
    /* neither a parse failure nor a refused connection is throttling: no backoff */
    {
        const struct poller_sched *s = poller_sched_of(r.p);

        ck_assert_uint_eq(s->t[0].failures, 0);
    }
    ck_assert_uint_eq(poller_rounds(r.p), 3);
    rig_done(&r);
}
END_TEST

/* The poller freed with requests still out (the client went first): every cycle's state is
 * released through its done hook (ASan checks nothing leaks). */
START_TEST(free_with_cycles_under_way)
{
    struct rig r;

    rig_init(&r);
    poller_set_view(r.p, APPCONFIG_VIEW_SQS);
    poller_set_detail(r.p, "http://127.0.0.1:1/123456789012/orders");
    poller_tick(r.p, 0);
    ck_assert_int_ge(aws_client_pending(r.client), 4);
    rig_done(&r);
}
END_TEST

/* ---- the credentials source: the credential manager's report as rows ---- */

static int64_t cred_now_ms;

static int64_t cred_clock(void *arg)
{
    (void)arg;
    return cred_now_ms;
}

START_TEST(credential_rows_from_the_manager)
{
    struct aws_config_opts co = {0};
    struct aws_config *acfg;
    struct creds_manager *cm;
    const struct aws_credentials *c;
    struct aws_error err;
    struct store *store = store_new();
    static const struct source *const only[] = {&credentials_source, NULL};
    struct poller_opts po = {.store = store, .sources = only, .profile = "default"};
    struct poller *p;
    const struct store_res *r, *near;
    struct store_res *w;
    int64_t v;

    setenv("AWS_ACCESS_KEY_ID", "AKIACREDROWS000001", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "cred-rows-secret-value", 1);
    setenv("AWS_CREDENTIAL_EXPIRATION", "2030-01-01T00:00:00Z", 1);   /* 1893456000 */
    setenv("AWS_REGION", "us-east-1", 1);
    aws_error_clear(&err);
    acfg = aws_config_new(&co, &err);
    ck_assert_msg(acfg != NULL, "%s", err.message);
    cm = creds_manager_new(acfg);
    ck_assert_int_eq(creds_manager_get(cm, NULL, NULL, &c, &err), CREDS_OK);
    cred_now_ms = (int64_t)(1893456000 - 600) * 1000;
    store_set_clock(store, cred_clock, NULL);
    po.creds = cm;
    p = poller_new(&po);

    /* nothing read yet: the header says "?" rather than "no expiry" */
    ck_assert_int_eq(credentials_nearest(store, cred_now_ms / 1000, &near), INT64_MAX);
    ck_assert_ptr_null(near);
    poller_tick(p, 0);
    ck_assert(!poller_busy(p));
    ck_assert_uint_eq(poller_rounds(p), 0);   /* no request was made */
    r = store_find(store, "credential", "default");
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(store_res_str(r, "method"), "env");
    ck_assert(store_res_int(r, "expiry", &v));
    ck_assert_int_eq(v, 1893456000);
    ck_assert(store_res_int(r, "refreshable", &v));
    ck_assert_int_eq(v, 0);                   /* nothing renews environment variables */
    ck_assert(store_res_int(r, "active", &v));
    ck_assert_int_eq(v, 1);
    ck_assert_str_eq(store_res_str(r, "refresh_error"), "");
    ck_assert(store_res_int(r, "refreshing", &v));
    ck_assert_int_eq(v, 0);                   /* nothing runs: the keys are at hand */
    ck_assert(store_res_int(r, "usable", &v));
    ck_assert_int_eq(v, 1);
    ck_assert_msg(strstr(store_res_str(r, "source"), "AWS_ACCESS_KEY_ID") != NULL, "%s",
                  store_res_str(r, "source"));
    ck_assert_ptr_null(strstr(store_res_str(r, "source"), "cred-rows-secret-value"));
    ck_assert_ptr_null(strstr(store_res_str(r, "source"), "AKIACREDROWS000001"));
    ck_assert_int_eq(credentials_nearest(store, cred_now_ms / 1000, &near), 600);
    ck_assert_ptr_eq(near, r);
    /* expired: the seconds left go negative, the header says "expired ... ago" */
    ck_assert_int_eq(credentials_nearest(store, 1893456000 + 60, NULL), -60);

    /* a second credential that expires sooner is the nearest */
    w = store_update_begin(store, "credential", "prod");
    store_set_str(w, "method", "assume-role");
    store_set_int(w, "expiry", 1893456000 - 480);
    store_set_int(w, "active", 0);
    store_update_commit(w);
    ck_assert_int_eq(credentials_nearest(store, cred_now_ms / 1000, &near), 120);
    ck_assert_str_eq(store_res_key(near), "prod");
    /* the next report drops what the manager no longer holds (prod was never its) */
    poller_tick(p, 1000);
    ck_assert_ptr_null(store_find(store, "credential", "prod"));

    /* keys that do not expire: no expiry, and the nearest is the active profile's own */
    unsetenv("AWS_CREDENTIAL_EXPIRATION");
    creds_manager_invalidate(cm);
    ck_assert_int_eq(creds_manager_get(cm, NULL, NULL, &c, &err), CREDS_OK);
    poller_tick(p, 2000);
    r = store_find(store, "credential", "default");
    ck_assert(!store_res_int(r, "expiry", &v));
    ck_assert_int_eq(store_res_get(r, "expiry")->type, STORE_UNKNOWN);
    ck_assert_int_eq(credentials_nearest(store, cred_now_ms / 1000, &near), INT64_MAX);
    ck_assert_ptr_eq(near, store_find(store, "credential", "default"));
    poller_free(p);
    store_free(store);
    creds_manager_free(cm);
    aws_config_free(acfg);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("poller");
    TCase *tc = tcase_create("schedule");
    TCase *fake = tcase_create("fake_sources");
    TCase *net = tcase_create("closed_port");

    tcase_add_test(tc, intervals_per_view);
    tcase_add_test(tc, first_tick_starts_all_ready_sources);
    tcase_add_test(tc, no_overlap_skips_start);
    tcase_add_test(tc, backoff_doubles_to_cap_and_resets);
    tcase_add_test(tc, refresh_makes_visible_and_failing_due);
    tcase_add_test(tc, failing_identity_retried_at_view_interval);
    tcase_add_test(tc, view_switch_changes_due_time);
    suite_add_tcase(s, tc);
    tcase_add_test(fake, fake_sources_follow_the_rules);
    tcase_add_test(fake, once_runs_every_source_once);
    tcase_add_test(fake, inputs_order_and_rerun_dependents);
    tcase_add_test(fake, once_with_sources);
    suite_add_tcase(s, fake);
    tcase_add_checked_fixture(net, tmp_home_setup, tmp_home_teardown);
    tcase_add_test(net, unreachable_endpoint_marks_stale_and_backs_off);
    tcase_add_test(net, detail_polled_on_its_own_timer);
    tcase_add_test(net, answer_hook_decides_the_error_row);
    tcase_add_test(net, free_with_cycles_under_way);
    tcase_add_test(net, credential_rows_from_the_manager);
    suite_add_tcase(s, net);
    return check_tap_run(s);
}
