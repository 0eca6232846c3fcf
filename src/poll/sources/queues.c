/* queues.c - the queue list: SQS ListQueues (paged), then GetQueueAttributes for every
 * queue, a window of ATTRS_WINDOW at a time, and, once the list is complete, the age of each
 * queue's oldest message from CloudWatch (ApproximateAgeOfOldestMessage, Maximum, 1-minute
 * points: SQS publishes one a minute, so the newest says how old the oldest message is
 * now); written as the "queue" and "dlq" kinds at once.
 *
 * The lists are written only when every answer is in: whether a queue is a DLQ depends on
 * every other queue's RedrivePolicy, and a view must never see half a list. Attributes go
 * out while later pages are still being listed, the ages while the attributes are.
 *
 * In the console, a cycle reads only some queues' attributes and ages (adaptive.h): those on
 * screen, those with a problem, those never read, and a few of the rest, longest unread
 * first; the others keep their rows as they are, with their own age. The snapshot reads
 * every queue. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "aws/sqs.h"
#include "core/pager.h"
#include "poll/adaptive.h"
#include "poll/sources/common.h"
#include "poll/sources/metrics.h"
#include "poll/sources/sources.h"
#include "util/xalloc.h"

/* GetQueueAttributes out at once: the client would only queue the rest, and 1000 queued
 * requests cost megabytes for nothing. */
#define ATTRS_WINDOW 64
#define AGE_PERIOD 60

enum { R_LIST, R_ATTRS, R_AGE };

struct queue {
    char *url;
    struct sqs_queue_attrs attrs;
    bool have_attrs;
    bool gone;                     /* deleted between ListQueues and GetQueueAttributes */
    bool want;                     /* read in this cycle; otherwise its rows are kept */
    size_t age_ix;                 /* its query in ages */
    char *kept_arn, *kept_dlq_arn; /* a kept row's, copied from the store at commit */
    struct aws_error *err;         /* allocated only on failure: 1000 queues stay small */
};

struct queues_state {
    struct queue *q;
    size_t n, cap;
    size_t sent;                   /* q[0..sent) have had GetQueueAttributes sent, if wanted */
    size_t on_screen;              /* listed queues on screen */
    bool selected;                 /* which queues to read is known: attributes may go out */
    struct aws_pager pager;        /* ListQueues' pages: no token twice, a page cap */
    struct aws_error *list_err;
    struct metrics_cycle ages;     /* query i: q[i]'s age of oldest message */
};

static void list_page(struct source_run *run, const char *next_token)
{
    struct aws_request r;
    struct sqs_list_queues_params lp = {.max_results = SQS_MAX_RESULTS, .next_token = next_token};

    sqs_list_queues_request(&r, &lp);
    source_send(run, &r, R_LIST, 0);
}

static void pump_attrs(struct source_run *run, struct queues_state *st)
{
    while (st->selected && !st->list_err && source_pending(run) < ATTRS_WINDOW &&
           st->sent < st->n) {
        size_t qi = st->sent++;
        struct aws_request r;

        if (!st->q[qi].want)
            continue;
        sqs_get_queue_attributes_request(&r, st->q[qi].url);
        source_send(run, &r, R_ATTRS, qi);
    }
}

static void queues_start(struct source_run *run, void *state)
{
    struct queues_state *st = state;

    st->selected = source_interval(run) <= 0;   /* the snapshot reads all, page by page */
    list_page(run, NULL);
}

/* A queue with a problem is read every cycle wherever it is: a DLQ holding messages, or a
 * queue whose depth grew between its last two reads. (A row whose read failed keeps its
 * old fetch time, so it is the longest unread and goes first in the next cycle anyway.) */
static bool has_problem(const struct store_res *r)
{
    struct store_point pts[2];
    double h[2];
    int64_t dlq = 0, visible = 0;
    size_t n;

    if (store_res_int(r, "is_dlq", &dlq) && dlq && store_res_int(r, "visible", &visible) &&
        visible > 0)
        return true;
    n = store_res_history(r, "visible", 2, pts);
    for (size_t i = 0; i < n; i++)
        h[i] = pts[i].value;
    return adaptive_growing(h, n);
}

/* The whole list is in: which queues this cycle reads (all of them for the snapshot). */
static void select_queues(struct source_run *run, struct queues_state *st)
{
    int64_t interval = source_interval(run);
    struct store *s = source_store(run);
    struct adaptive_row *rows;

    st->selected = true;
    if (interval <= 0) {
        for (size_t i = 0; i < st->n; i++)
            st->q[i].want = true;
        return;
    }
    rows = xcalloc(st->n + 1, sizeof(*rows));
    for (size_t i = 0; i < st->n; i++) {
        const struct store_res *r = store_find(s, "queue", st->q[i].url);

        rows[i].on_screen = source_on_screen(run, st->q[i].url);
        st->on_screen += rows[i].on_screen;
        rows[i].age_ms = r ? store_res_age(r) : -1;
        rows[i].problem = r && has_problem(r);
    }
    adaptive_select(rows, st->n, interval, source_forced(run));
    for (size_t i = 0; i < st->n; i++)
        st->q[i].want = rows[i].refresh;
    free(rows);
}

/* The whole list is in: the ages of the queues read, while their attributes are coming. */
static void ask_ages(struct source_run *run, struct queues_state *st)
{
    size_t n = 0;

    for (size_t i = 0; i < st->n; i++)
        n += st->q[i].want;
    metrics_init(&st->ages, n, false);
    for (size_t i = 0; i < st->n; i++) {
        char *name;

        if (!st->q[i].want)
            continue;
        name = sqs_queue_name_from_url(st->q[i].url);
        st->q[i].age_ix = cw_query_set_add_sqs_age(st->ages.set, name, AGE_PERIOD);
        free(name);
    }
    metrics_send(run, &st->ages, R_AGE);
}

static void on_list(struct source_run *run, struct queues_state *st,
                    const struct aws_response *resp, const struct aws_error *err)
{
    struct sqs_url_list l = {0};
    struct aws_error perr;
    int rc = 0;

    aws_error_clear(&perr);
    if (!err && ((rc = sqs_list_queues_parse(resp, &l, &perr)) < 0 ||
                 aws_pager_next(&st->pager, l.next_token, resp, &perr) < 0)) {
        err = &perr;
        source_error(run, err);
    } else if (rc > 0) {
        source_error(run, &perr);   /* items skipped: the call's error, the others listed */
    }
    if (err) {
        sqs_url_list_free(&l);
        sources_error_keep(&st->list_err, err);
        source_backoff(run);
        return;
    }
    if (st->n + l.n > st->cap) {
        st->cap = (st->n + l.n) * 2;
        st->q = xrealloc(st->q, st->cap * sizeof(*st->q));
    }
    for (size_t i = 0; i < l.n; i++) {
        memset(&st->q[st->n], 0, sizeof(st->q[st->n]));
        /* the snapshot reads every queue: as each page arrives */
        st->q[st->n].want = source_interval(run) <= 0;
        st->q[st->n++].url = xstrdup(l.urls[i]);
    }
    if (l.next_token) {
        list_page(run, l.next_token);
    } else {
        select_queues(run, st);
        ask_ages(run, st);
    }
    sqs_url_list_free(&l);
}

static void on_attrs(struct source_run *run, struct queue *q, const struct aws_response *resp,
                     const struct aws_error *err)
{
    struct aws_error perr;

    aws_error_clear(&perr);
    if (!err && sqs_get_queue_attributes_parse(resp, q->url, &q->attrs, &perr) < 0) {
        err = &perr;
        source_error(run, err);
    }
    if (err && sources_gone(err)) {
        q->gone = true;
        source_gone(run);
    } else if (err) {
        sources_error_keep(&q->err, err);
    } else {
        q->have_attrs = true;
    }
}

static void queues_answer(struct source_run *run, void *state, unsigned tag, size_t index,
                          const struct aws_response *resp, const struct aws_error *err)
{
    struct queues_state *st = state;

    if (tag == R_LIST)
        on_list(run, st, resp, err);
    else if (tag == R_ATTRS)
        on_attrs(run, &st->q[index], resp, err);
    else
        metrics_answer(run, &st->ages, index, resp, err);
    pump_attrs(run, st);
}

struct arn_ix {
    const char *arn;
    size_t qi;
};

static int cmp_arn(const void *a, const void *b)
{
    return strcmp(((const struct arn_ix *)a)->arn, ((const struct arn_ix *)b)->arn);
}

static const struct arn_ix *find_arn(const struct arn_ix *ix, size_t n, const char *arn)
{
    struct arn_ix key = {.arn = arn};

    return n && arn ? bsearch(&key, ix, n, sizeof(*ix), cmp_arn) : NULL;
}

static void write_queue(struct store *s, const struct queues_state *st, size_t qi,
                        const char *dlq_url, bool is_dlq)
{
    const struct queue *q = &st->q[qi];
    const struct sqs_queue_attrs *a = &q->attrs;
    struct store_res *r = store_update_begin(s, "queue", q->url);

    sources_write_queue_attrs(r, a);
    metrics_set(r, "age_oldest", &st->ages, q->age_ix);
    metrics_set_time(r, "age_oldest_at", &st->ages, q->age_ix);
    sources_set_count(r, "visible", a->visible);
    sources_set_count(r, "in_flight", a->not_visible);
    sources_set_count(r, "delayed", a->delayed);
    store_set_int(r, "fifo", a->fifo);
    store_set(r, "dlq_url", store_value_str(dlq_url));
    sources_set_count(r, "max_receive_count", a->has_redrive ? a->max_receive_count : -1);
    store_set_int(r, "is_dlq", is_dlq);
    store_update_commit(r);
    if (!is_dlq)
        return;
    r = store_update_begin(s, "dlq", q->url);
    store_set_str(r, "name", a->name);
    store_set(r, "arn", store_value_str(a->arn));
    sources_set_count(r, "visible", a->visible);
    sources_set_count(r, "in_flight", a->not_visible);
    sources_set_count(r, "delayed", a->delayed);
    metrics_set(r, "age_oldest", &st->ages, q->age_ix);
    metrics_set_time(r, "age_oldest_at", &st->ages, q->age_ix);
    store_update_commit(r);
}

/* A queue not read in this cycle: its ARN and DLQ's ARN as its row has them, copied before
 * the store is written. */
static void remember_kept(struct store *s, struct queue *q)
{
    const struct store_res *r = store_find(s, "queue", q->url);
    const char *v;

    if (!r)
        return;
    if ((v = store_res_str(r, "arn")))
        q->kept_arn = xstrdup(v);
    if ((v = store_res_str(r, "dlq_arn")))
        q->kept_dlq_arn = xstrdup(v);
}

static const char *arn_of(const struct queue *q)
{
    return q->have_attrs ? q->attrs.arn : q->kept_arn;
}

static const char *dlq_arn_of(const struct queue *q)
{
    if (q->have_attrs)
        return q->attrs.has_redrive ? q->attrs.dlq_arn : NULL;
    return q->kept_dlq_arn;
}

/* Every answer is in: which queues are DLQs (by the RedrivePolicy of every listed queue,
 * read now or kept), then both lists at once. */
static void write_lists(struct store *s, struct queues_state *st)
{
    struct arn_ix *ix = xcalloc(st->n + 1, sizeof(*ix));
    bool *is_dlq = xcalloc(st->n + 1, sizeof(bool));
    size_t nix = 0;

    for (size_t i = 0; i < st->n; i++)
        if (!st->q[i].want)
            remember_kept(s, &st->q[i]);
    for (size_t i = 0; i < st->n; i++)
        if (arn_of(&st->q[i]))
            ix[nix++] = (struct arn_ix){.arn = arn_of(&st->q[i]), .qi = i};
    qsort(ix, nix, sizeof(*ix), cmp_arn);
    for (size_t i = 0; i < st->n; i++) {
        const struct arn_ix *t;

        if ((t = find_arn(ix, nix, dlq_arn_of(&st->q[i]))))
            is_dlq[t->qi] = true;
    }

    store_list_begin(s, "queue");
    store_list_begin(s, "dlq");
    for (size_t i = 0; i < st->n; i++) {
        struct queue *q = &st->q[i];
        const struct arn_ix *t;

        if (q->gone)
            continue;
        if (!q->want) {
            /* not read now: both rows stay as they were, with their own age */
            store_list_keep(s, "queue", q->url);
            store_list_keep(s, "dlq", q->url);
            continue;
        }
        if (q->err) {
            /* kept in both lists (update_begin marks it present), stale with the error */
            bool was_dlq = store_find(s, "dlq", q->url) != NULL;

            store_update_begin(s, "queue", q->url);
            store_fail(s, "queue", q->url, q->err);
            if (was_dlq) {
                store_update_begin(s, "dlq", q->url);
                store_fail(s, "dlq", q->url, q->err);
            }
            continue;
        }
        if (!q->have_attrs)
            continue;
        t = q->attrs.has_redrive ? find_arn(ix, nix, q->attrs.dlq_arn) : NULL;
        write_queue(s, st, i, t ? st->q[t->qi].url : NULL, is_dlq[i]);
    }
    store_list_end(s, "queue");
    store_list_end(s, "dlq");
    free(ix);
    free(is_dlq);
}

static void queues_commit(struct source_run *run, void *state)
{
    struct queues_state *st = state;
    struct store *s = source_store(run);

    if (st->list_err) {
        store_list_fail(s, "queue", st->list_err);
        store_list_fail(s, "dlq", st->list_err);
        return;
    }
    write_lists(s, st);
    if (source_interval(run) > 0) {
        /* an off-screen row is read only every so many cycles: it is stale when it missed
         * two of its own turns, not one of the list's */
        int64_t period = adaptive_offscreen_period(st->n, st->on_screen, source_interval(run));

        store_kind_expect_rows(s, "queue", 2 * period);
        store_kind_expect_rows(s, "dlq", 2 * period);
    }
}

static void queues_done(void *state)
{
    struct queues_state *st = state;

    for (size_t i = 0; i < st->n; i++) {
        free(st->q[i].url);
        free(st->q[i].err);
        free(st->q[i].kept_arn);
        free(st->q[i].kept_dlq_arn);
        sqs_queue_attrs_free(&st->q[i].attrs);
    }
    free(st->q);
    free(st->list_err);
    aws_pager_done(&st->pager);
    metrics_done(&st->ages);
}

static const char *const queues_kinds[] = {"queue", "dlq", NULL};

const struct source queues_source = {
    .name = "queues",
    .kinds = queues_kinds,
    /* the sns view too: a topic's pane shows its SQS subscribers' depths (sns.c hands them
     * over as the rows on screen), which must move after a test message is published */
    .views = SOURCE_VIEW(APPCONFIG_VIEW_OVERVIEW) | SOURCE_VIEW(APPCONFIG_VIEW_SQS) |
             SOURCE_VIEW(APPCONFIG_VIEW_DLQ) | SOURCE_VIEW(APPCONFIG_VIEW_SNS),
    .state_size = sizeof(struct queues_state),
    .start = queues_start,
    .answer = queues_answer,
    .commit = queues_commit,
    .done = queues_done,
};
