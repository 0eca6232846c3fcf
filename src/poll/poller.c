/* poller.c - the console's pollers: the repeating, store-writing form of snapshot.c's graph.
 *
 * Five groups, each a cycle of requests on its own timer (poller_sched.c decides when):
 *   identity     GetCallerIdentity                          → "identity" caller
 *   queues       ListQueues (paged) → GetQueueAttributes    → "queue" and "dlq" lists
 *                 in a window of ATTRS_WINDOW
 *   metrics      GetMetricData, batches of 500 (paged)      → age_oldest on those rows
 *   dlq_sources  ListDeadLetterSourceQueues per DLQ (paged) → sources, nsources
 *   detail       GetQueueAttributes + ListQueueTags          → attributes, tags of one queue
 * A cycle gathers its answers and writes the store once, when its last request is back:
 * the "queue" list needs every queue's RedrivePolicy before it can say which are DLQs, and
 * a view never sees half a cycle. metrics and dlq_sources work on the queues of the last
 * completed list. Every request of a cycle is accounted for until it returns, so a cycle
 * is never freed under a callback and never overlaps itself. */
#include "config.h"
#include "poll/poller.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/cloudwatch.h"
#include "aws/sqs.h"
#include "aws/sts.h"
#include "poll/poller_sched.h"
#include "core/pager.h"
#include "core/retry.h"
#include "util/xalloc.h"

#define ATTRS_WINDOW 64               /* GetQueueAttributes out at once (see snapshot.c) */
#define CW_WINDOW_SECONDS (15 * 60)   /* age of oldest: newest point of the last 15 min */
#define CW_PERIOD 60
#define MAX_SLEEP_MS 60000

/* The calls whose latest failure is an "error" row, keyed "<Service> <Action>". */
enum err_call {
    E_IDENTITY, E_LIST_QUEUES, E_QUEUE_ATTRS, E_METRICS, E_DLQ_SOURCES, E_TAGS, E_COUNT
};
static const char *const err_keys[E_COUNT] = {
    "STS GetCallerIdentity", "SQS ListQueues", "SQS GetQueueAttributes",
    "CloudWatch GetMetricData", "SQS ListDeadLetterSourceQueues", "SQS ListQueueTags"};

enum req_kind { R_IDENTITY, R_LIST_QUEUES, R_QUEUE_ATTRS, R_METRICS, R_DLQ_SOURCES,
                R_DETAIL_ATTRS, R_DETAIL_TAGS };

struct req_ctx {
    struct poller *p;
    enum req_kind kind;
    size_t index;                  /* queue, DLQ or CloudWatch batch */
    struct req_ctx *prev, *next;   /* outstanding: freed by poller_free if never answered */
};

struct cyc_queue {
    char *url;
    struct sqs_queue_attrs attrs;
    bool have_attrs;
    bool gone;                     /* deleted between ListQueues and GetQueueAttributes */
    struct aws_error *err;         /* allocated only on failure: 1000 queues stay small */
};

/* What a cycle has found so far; results that count for the whole cycle. */
struct cycle_status {
    size_t pending;                /* requests out */
    bool failed;                   /* the cycle failed as a whole (list call, throttling) */
    struct aws_error *last_err[E_COUNT];
    bool ok[E_COUNT];              /* some call of that kind succeeded */
};

struct queue_cycle {
    struct cycle_status st;
    struct cyc_queue *q;
    size_t n, cap;
    size_t sent;                   /* q[0..sent) have had GetQueueAttributes sent */
    bool listed;                   /* the last ListQueues page is in */
    struct aws_pager pager;
    struct aws_error *list_err;
};

struct metrics_cycle {
    struct cycle_status st;
    struct cw_query_set *set;
    char **urls;                   /* by query index */
    size_t n;
    bool *have;
    double *age;
    int64_t *ts;
    struct aws_pager *pagers;      /* per batch */
    int64_t start, end;
};

struct dlq_entry {
    char *url;
    char **sources;
    size_t nsources;
    bool done, gone;
    struct aws_pager pager;
    struct aws_error *err;
};

struct dlq_cycle {
    struct cycle_status st;
    struct dlq_entry *d;
    size_t n;
};

struct detail_cycle {
    struct cycle_status st;
    char *url;
    struct sqs_queue_attrs attrs;
    bool have_attrs, have_tags, gone;
    struct sqs_tag_list tags;
    struct aws_error *attrs_err, *tags_err;
};

struct poller {
    struct aws_client *client;
    struct store *store;
    const struct appconfig *cfg;
    char *profile;
    struct poller_sched sched;
    struct req_ctx *outstanding;

    /* the last completed queue list: what metrics and dlq_sources work on */
    bool listed;
    char **known;                  /* queue URLs */
    size_t nknown;
    char **dlqs;                   /* URLs of the queues that are some queue's DLQ */
    size_t ndlqs;

    char *detail_url;
    char *late_endpoint[3];        /* per expect_kinds entry, resolved once */
    unsigned err_count[E_COUNT];
    unsigned long cycles;

    struct cycle_status ist;       /* identity: one request */
    struct queue_cycle qc;
    struct metrics_cycle mc;
    struct dlq_cycle dc;
    struct detail_cycle tc;
};

static void on_done(const struct aws_response *resp, const struct aws_error *err, void *ud);

/* --- helpers -------------------------------------------------------------------------- */

static void send_req(struct poller *p, struct aws_request *r, enum req_kind kind, size_t index,
                     struct cycle_status *st)
{
    struct req_ctx *ctx = xmalloc(sizeof(*ctx));

    ctx->p = p;
    ctx->kind = kind;
    ctx->index = index;
    ctx->prev = NULL;
    ctx->next = p->outstanding;
    if (p->outstanding)
        p->outstanding->prev = ctx;
    p->outstanding = ctx;
    st->pending++;
    aws_client_send(p->client, r, on_done, ctx);
}

static struct aws_error *error_copy(const struct aws_error *err)
{
    struct aws_error *e = xmalloc(sizeof(*e));

    *e = *err;
    return e;
}

static void error_keep(struct aws_error **slot, const struct aws_error *err)
{
    if (!*slot)
        *slot = xmalloc(sizeof(**slot));
    **slot = *err;
}

static bool is_gone(const struct aws_error *err)
{
    return err->kind == AWS_ERR_HTTP &&
           (strcmp(err->code, "AWS.SimpleQueueService.NonExistentQueue") == 0 ||
            strcmp(err->code, "QueueDoesNotExist") == 0);
}

/* The client already retried; a throttle that is still there counts against the group. */
static bool is_throttle(const struct aws_error *err)
{
    return retry_is_throttle_code(err->code) || retry_classify(err) == RETRY_THROTTLE ||
           err->http_status == 429;
}

static void status_error(struct cycle_status *st, enum err_call call, const struct aws_error *e)
{
    error_keep(&st->last_err[call], e);
    if (is_throttle(e))
        st->failed = true;
}

static void status_done(struct cycle_status *st)
{
    for (int i = 0; i < E_COUNT; i++)
        free(st->last_err[i]);
    memset(st, 0, sizeof(*st));
}

/* The "error" row of a call: its latest failure, or cleared once it works again. */
static void error_row(struct poller *p, enum err_call call, const struct aws_error *err)
{
    struct store_res *r;
    char line[1200];

    if (!err) {
        if (!p->err_count[call] && !store_find(p->store, "error", err_keys[call]))
            return;
        p->err_count[call] = 0;
        r = store_update_begin(p->store, "error", err_keys[call]);
        store_set_str(r, "message", "");
        store_set_int(r, "count", 0);
        store_update_commit(r);
        return;
    }
    p->err_count[call]++;
    aws_error_describe(err, p->profile, line, sizeof(line));
    r = store_update_begin(p->store, "error", err_keys[call]);
    store_set_str(r, "message", line);
    store_set_int(r, "count", p->err_count[call]);
    store_update_commit(r);
}

/* One error row per call kind per cycle: the last failure wins, else a success clears it. */
static void status_report(struct poller *p, const struct cycle_status *st)
{
    for (int i = 0; i < E_COUNT; i++) {
        if (st->last_err[i])
            error_row(p, (enum err_call)i, st->last_err[i]);
        else if (st->ok[i])
            error_row(p, (enum err_call)i, NULL);
    }
}

static void set_count(struct store_res *r, const char *field, int64_t v)
{
    if (v >= 0)
        store_set_int(r, field, v);
    else
        store_set_unknown(r, field);
}

static char *attrs_json(const struct sqs_queue_attrs *a)
{
    cJSON *o = cJSON_CreateObject();
    char *text;

    for (size_t i = 0; i < a->nattrs; i++)
        cJSON_AddItemToObject(o, a->attrs[i].name, cJSON_CreateString(a->attrs[i].value));
    text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* --- identity ------------------------------------------------------------------------- */

static void start_identity(struct poller *p)
{
    struct aws_request r;

    sts_get_caller_identity_request(&r);
    send_req(p, &r, R_IDENTITY, 0, &p->ist);
}

/* --- queues --------------------------------------------------------------------------- */

static void list_queues(struct poller *p, const char *next_token)
{
    struct aws_request r;
    struct sqs_list_queues_params lp = {.max_results = SQS_MAX_RESULTS, .next_token = next_token};

    sqs_list_queues_request(&r, &lp);
    send_req(p, &r, R_LIST_QUEUES, 0, &p->qc.st);
}

static void pump_queue_attrs(struct poller *p)
{
    struct queue_cycle *c = &p->qc;

    while (!c->list_err && c->st.pending < ATTRS_WINDOW && c->sent < c->n) {
        size_t qi = c->sent++;
        struct aws_request r;

        sqs_get_queue_attributes_request(&r, c->q[qi].url);
        send_req(p, &r, R_QUEUE_ATTRS, qi, &c->st);
    }
}

static void on_list_queues(struct poller *p, const struct aws_response *resp,
                           const struct aws_error *err)
{
    struct queue_cycle *c = &p->qc;
    struct sqs_url_list l = {0};
    struct aws_error perr;

    aws_error_clear(&perr);
    if (!err && (sqs_list_queues_parse(resp, &l, &perr) < 0 ||
                 aws_pager_next(&c->pager, l.next_token, resp, &perr) < 0))
        err = &perr;
    if (err) {
        sqs_url_list_free(&l);
        error_keep(&c->list_err, err);
        status_error(&c->st, E_LIST_QUEUES, err);
        c->st.failed = true;
        return;
    }
    c->st.ok[E_LIST_QUEUES] = true;
    if (c->n + l.n > c->cap) {
        c->cap = (c->n + l.n) * 2;
        c->q = xrealloc(c->q, c->cap * sizeof(*c->q));
    }
    for (size_t i = 0; i < l.n; i++) {
        memset(&c->q[c->n], 0, sizeof(c->q[c->n]));
        c->q[c->n++].url = xstrdup(l.urls[i]);
    }
    if (l.next_token)
        list_queues(p, l.next_token);
    else
        c->listed = true;
    sqs_url_list_free(&l);
}

static void on_queue_attrs(struct poller *p, size_t qi, const struct aws_response *resp,
                           const struct aws_error *err)
{
    struct cyc_queue *q = &p->qc.q[qi];
    struct aws_error perr;

    aws_error_clear(&perr);
    if (!err && sqs_get_queue_attributes_parse(resp, q->url, &q->attrs, &perr) < 0)
        err = &perr;
    if (err && is_gone(err)) {
        q->gone = true;
    } else if (err) {
        q->err = error_copy(err);
        status_error(&p->qc.st, E_QUEUE_ATTRS, err);
    } else {
        q->have_attrs = true;
        p->qc.st.ok[E_QUEUE_ATTRS] = true;
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
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

    return n ? bsearch(&key, ix, n, sizeof(*ix), cmp_arn) : NULL;
}

static void write_queue(struct poller *p, const struct cyc_queue *q, const char *dlq_url,
                        bool is_dlq)
{
    const struct sqs_queue_attrs *a = &q->attrs;
    struct store_res *r = store_update_begin(p->store, "queue", q->url);
    char *json = attrs_json(a);

    store_set_str(r, "name", a->name);
    store_set(r, "arn", store_value_str(a->arn));
    set_count(r, "visible", a->visible);
    set_count(r, "in_flight", a->not_visible);
    set_count(r, "delayed", a->delayed);
    store_set_int(r, "fifo", a->fifo);
    store_set(r, "dlq_arn", store_value_str(a->has_redrive ? a->dlq_arn : NULL));
    store_set(r, "dlq_url", store_value_str(dlq_url));
    set_count(r, "max_receive_count", a->has_redrive ? a->max_receive_count : -1);
    store_set_int(r, "is_dlq", is_dlq);
    store_set_str(r, "attributes", json);
    store_set(r, "redrive_policy", store_value_str(sqs_queue_attr(a, "RedrivePolicy")));
    store_update_commit(r);
    free(json);
    if (!is_dlq)
        return;
    r = store_update_begin(p->store, "dlq", q->url);
    store_set_str(r, "name", a->name);
    store_set(r, "arn", store_value_str(a->arn));
    set_count(r, "visible", a->visible);
    set_count(r, "in_flight", a->not_visible);
    set_count(r, "delayed", a->delayed);
    store_update_commit(r);
}

static bool was_dlq(const struct poller *p, const char *url)
{
    return p->ndlqs && bsearch(&url, p->dlqs, p->ndlqs, sizeof(char *), cmp_str);
}

/* Every answer is in: which queues are DLQs, then both lists at once. */
static void queues_commit(struct poller *p)
{
    struct queue_cycle *c = &p->qc;
    struct arn_ix *ix = xcalloc(c->n + 1, sizeof(*ix));
    bool *is_dlq = xcalloc(c->n + 1, sizeof(bool));
    char **dlqs = xcalloc(c->n + 1, sizeof(char *)), **known = xcalloc(c->n + 1, sizeof(char *));
    size_t nix = 0, ndlqs = 0, nknown = 0;
    bool new_dlq = false;

    for (size_t i = 0; i < c->n; i++)
        if (c->q[i].have_attrs && c->q[i].attrs.arn)
            ix[nix++] = (struct arn_ix){.arn = c->q[i].attrs.arn, .qi = i};
    qsort(ix, nix, sizeof(*ix), cmp_arn);
    for (size_t i = 0; i < c->n; i++) {
        const struct arn_ix *t;
        if (!c->q[i].have_attrs || !c->q[i].attrs.has_redrive || !c->q[i].attrs.dlq_arn)
            continue;
        if ((t = find_arn(ix, nix, c->q[i].attrs.dlq_arn)))
            is_dlq[t->qi] = true;
    }

    store_list_begin(p->store, "queue");
    store_list_begin(p->store, "dlq");
    for (size_t i = 0; i < c->n; i++) {
        struct cyc_queue *q = &c->q[i];
        const struct arn_ix *t;
        if (q->gone)
            continue;
        known[nknown++] = xstrdup(q->url);
        if (q->err) {
            /* kept in both lists (update_begin marks it present), stale with the error */
            store_update_begin(p->store, "queue", q->url);
            store_fail(p->store, "queue", q->url, q->err);
            if (was_dlq(p, q->url)) {
                store_update_begin(p->store, "dlq", q->url);
                store_fail(p->store, "dlq", q->url, q->err);
                dlqs[ndlqs++] = xstrdup(q->url);
            }
            continue;
        }
        if (!q->have_attrs)
            continue;
        t = q->attrs.has_redrive && q->attrs.dlq_arn ? find_arn(ix, nix, q->attrs.dlq_arn) : NULL;
        write_queue(p, q, t ? c->q[t->qi].url : NULL, is_dlq[i]);
        if (is_dlq[i]) {
            if (!was_dlq(p, q->url))
                new_dlq = true;
            dlqs[ndlqs++] = xstrdup(q->url);
        }
    }
    store_list_end(p->store, "queue");
    store_list_end(p->store, "dlq");

    qsort(dlqs, ndlqs, sizeof(char *), cmp_str);
    free_strv(p->dlqs, p->ndlqs);
    free_strv(p->known, p->nknown);
    p->dlqs = dlqs;
    p->ndlqs = ndlqs;
    p->known = known;
    p->nknown = nknown;
    p->listed = true;
    /* a new DLQ has no sources yet: ask now rather than a hidden interval later */
    if (new_dlq)
        p->sched.t[POLLER_G_DLQ_SOURCES].forced = true;
    free(ix);
    free(is_dlq);
}

static void queue_cycle_done(struct poller *p)
{
    struct queue_cycle *c = &p->qc;

    if (c->list_err) {
        store_list_fail(p->store, "queue", c->list_err);
        store_list_fail(p->store, "dlq", c->list_err);
    } else {
        queues_commit(p);
    }
    status_report(p, &c->st);
    poller_sched_finish(&p->sched, POLLER_G_QUEUES, c->st.failed);
    p->cycles++;
    for (size_t i = 0; i < c->n; i++) {
        free(c->q[i].url);
        free(c->q[i].err);
        sqs_queue_attrs_free(&c->q[i].attrs);
    }
    free(c->q);
    free(c->list_err);
    aws_pager_done(&c->pager);
    status_done(&c->st);
    memset(c, 0, sizeof(*c));
}

static void start_queues(struct poller *p)
{
    memset(&p->qc, 0, sizeof(p->qc));
    list_queues(p, NULL);
}

/* --- metrics -------------------------------------------------------------------------- */

static void send_metrics(struct poller *p, size_t batch, const char *next_token)
{
    struct metrics_cycle *c = &p->mc;
    struct aws_request r;

    cw_get_metric_data_request(&r, c->set, batch, c->start, c->end, next_token);
    send_req(p, &r, R_METRICS, batch, &c->st);
}

static bool start_metrics(struct poller *p)
{
    struct metrics_cycle *c = &p->mc;

    memset(c, 0, sizeof(*c));
    if (!p->nknown)
        return false;
    c->set = cw_query_set_new();
    c->n = p->nknown;
    c->urls = xcalloc(c->n, sizeof(char *));
    c->have = xcalloc(c->n, sizeof(bool));
    c->age = xcalloc(c->n, sizeof(double));
    c->ts = xcalloc(c->n, sizeof(int64_t));
    for (size_t i = 0; i < c->n; i++) {
        char *name = sqs_queue_name_from_url(p->known[i]);
        size_t qi = cw_query_set_add_sqs_age(c->set, name, CW_PERIOD);
        c->urls[qi] = xstrdup(p->known[i]);
        free(name);
    }
    /* CloudWatch wants wall-clock times; the schedule itself never reads this clock */
    c->end = (int64_t)time(NULL);
    c->start = c->end - CW_WINDOW_SECONDS;
    c->pagers = xcalloc(cw_get_metric_data_batches(c->set) + 1, sizeof(*c->pagers));
    for (size_t b = 0; b < cw_get_metric_data_batches(c->set); b++)
        send_metrics(p, b, NULL);
    return true;
}

static void on_metrics(struct poller *p, size_t batch, const struct aws_response *resp,
                       const struct aws_error *err)
{
    struct metrics_cycle *c = &p->mc;
    struct cw_metric_data d = {0};
    struct aws_error perr;

    aws_error_clear(&perr);
    if (!err && (cw_get_metric_data_parse(resp, &d, &perr) < 0 ||
                 aws_pager_next(&c->pagers[batch], d.next_token, resp, &perr) < 0))
        err = &perr;
    if (err) {
        cw_metric_data_free(&d);
        status_error(&c->st, E_METRICS, err);
        c->st.failed = true;
        return;
    }
    c->st.ok[E_METRICS] = true;
    for (size_t i = 0; i < d.n; i++) {
        const struct cw_metric_result *res = &d.results[i];
        size_t qi;
        if (cw_query_index(res->id, &qi) < 0 || qi >= c->n)
            continue;
        /* one id's points may be split over pages: keep the newest */
        for (size_t k = 0; k < res->n; k++)
            if (!c->have[qi] || res->timestamps[k] > c->ts[qi]) {
                c->have[qi] = true;
                c->age[qi] = res->values[k];
                c->ts[qi] = res->timestamps[k];
            }
    }
    if (d.next_token)
        send_metrics(p, batch, d.next_token);
    cw_metric_data_free(&d);
}

static void write_age(struct poller *p, const char *kind, const char *url, bool have, double age)
{
    const struct store_res *row = store_find(p->store, kind, url);
    struct store_res *r;

    /* only rows the list has, and not stale ones: a metric must not make a row whose
     * queue poll is failing look fresh */
    if (!row || store_res_stale(row))
        return;
    r = store_update_begin(p->store, kind, url);
    if (have)
        store_set_double(r, "age_oldest", age);
    else
        store_set_unknown(r, "age_oldest");
    store_update_commit(r);
}

static void metrics_cycle_done(struct poller *p)
{
    struct metrics_cycle *c = &p->mc;

    if (!c->st.last_err[E_METRICS]) {
        for (size_t i = 0; i < c->n; i++) {
            write_age(p, "queue", c->urls[i], c->have[i], c->age[i]);
            write_age(p, "dlq", c->urls[i], c->have[i], c->age[i]);
        }
    }
    status_report(p, &c->st);
    poller_sched_finish(&p->sched, POLLER_G_METRICS, c->st.failed);
    for (size_t b = 0; b < cw_get_metric_data_batches(c->set); b++)
        aws_pager_done(&c->pagers[b]);
    free(c->pagers);
    cw_query_set_free(c->set);
    free_strv(c->urls, c->n);
    free(c->have);
    free(c->age);
    free(c->ts);
    status_done(&c->st);
    memset(c, 0, sizeof(*c));
}

/* --- DLQ sources ---------------------------------------------------------------------- */

static void list_sources(struct poller *p, size_t di, const char *next_token)
{
    struct aws_request r;
    struct sqs_list_dlq_sources_params lp = {
        .queue_url = p->dc.d[di].url, .max_results = SQS_MAX_RESULTS, .next_token = next_token};

    sqs_list_dead_letter_source_queues_request(&r, &lp);
    send_req(p, &r, R_DLQ_SOURCES, di, &p->dc.st);
}

static bool start_dlq_sources(struct poller *p)
{
    struct dlq_cycle *c = &p->dc;

    memset(c, 0, sizeof(*c));
    if (!p->ndlqs)
        return false;
    c->n = p->ndlqs;
    c->d = xcalloc(c->n, sizeof(*c->d));
    for (size_t i = 0; i < c->n; i++) {
        c->d[i].url = xstrdup(p->dlqs[i]);
        list_sources(p, i, NULL);
    }
    return true;
}

static void on_dlq_sources(struct poller *p, size_t di, const struct aws_response *resp,
                           const struct aws_error *err)
{
    struct dlq_entry *d = &p->dc.d[di];
    struct sqs_url_list l = {0};
    struct aws_error perr;

    aws_error_clear(&perr);
    if (!err && (sqs_list_dead_letter_source_queues_parse(resp, &l, &perr) < 0 ||
                 aws_pager_next(&d->pager, l.next_token, resp, &perr) < 0))
        err = &perr;
    if (err)
        sqs_url_list_free(&l);
    if (err && is_gone(err)) {
        d->gone = true;
        return;
    }
    if (err) {
        error_keep(&d->err, err);
        status_error(&p->dc.st, E_DLQ_SOURCES, err);
        return;
    }
    p->dc.st.ok[E_DLQ_SOURCES] = true;
    d->sources = xrealloc(d->sources, (d->nsources + l.n + 1) * sizeof(char *));
    for (size_t i = 0; i < l.n; i++)
        d->sources[d->nsources++] = xstrdup(l.urls[i]);
    if (l.next_token)
        list_sources(p, di, l.next_token);
    else
        d->done = true;
    sqs_url_list_free(&l);
}

static void dlq_cycle_done(struct poller *p)
{
    struct dlq_cycle *c = &p->dc;

    for (size_t i = 0; i < c->n; i++) {
        struct dlq_entry *d = &c->d[i];
        if (d->err) {
            if (store_find(p->store, "dlq", d->url))
                store_fail(p->store, "dlq", d->url, d->err);
        } else if (d->done && store_find(p->store, "dlq", d->url)) {
            struct store_res *r = store_update_begin(p->store, "dlq", d->url);
            cJSON *arr = cJSON_CreateArray();
            char *text;
            for (size_t k = 0; k < d->nsources; k++)
                cJSON_AddItemToArray(arr, cJSON_CreateString(d->sources[k]));
            text = cJSON_PrintUnformatted(arr);
            store_set_str(r, "sources", text);
            store_set_int(r, "nsources", (int64_t)d->nsources);
            store_update_commit(r);
            free(text);
            cJSON_Delete(arr);
        }
        free(d->url);
        free(d->err);
        aws_pager_done(&d->pager);
        free_strv(d->sources, d->nsources);
    }
    status_report(p, &c->st);
    poller_sched_finish(&p->sched, POLLER_G_DLQ_SOURCES, c->st.failed);
    free(c->d);
    status_done(&c->st);
    memset(c, 0, sizeof(*c));
}

/* --- detail --------------------------------------------------------------------------- */

static void start_detail(struct poller *p)
{
    struct detail_cycle *c = &p->tc;
    struct aws_request r;

    memset(c, 0, sizeof(*c));
    c->url = xstrdup(p->detail_url);
    sqs_get_queue_attributes_request(&r, c->url);
    send_req(p, &r, R_DETAIL_ATTRS, 0, &c->st);
    sqs_list_queue_tags_request(&r, c->url);
    send_req(p, &r, R_DETAIL_TAGS, 0, &c->st);
}

static void on_detail(struct poller *p, enum req_kind kind, const struct aws_response *resp,
                      const struct aws_error *err)
{
    struct detail_cycle *c = &p->tc;
    struct aws_error perr;
    enum err_call call = kind == R_DETAIL_ATTRS ? E_QUEUE_ATTRS : E_TAGS;

    aws_error_clear(&perr);
    if (!err) {
        int rc = kind == R_DETAIL_ATTRS
                     ? sqs_get_queue_attributes_parse(resp, c->url, &c->attrs, &perr)
                     : sqs_list_queue_tags_parse(resp, &c->tags, &perr);
        if (rc < 0)
            err = &perr;
    }
    if (err && is_gone(err)) {
        c->gone = true;
    } else if (err) {
        error_keep(kind == R_DETAIL_ATTRS ? &c->attrs_err : &c->tags_err, err);
        status_error(&c->st, call, err);
    } else {
        c->st.ok[call] = true;
        if (kind == R_DETAIL_ATTRS)
            c->have_attrs = true;
        else
            c->have_tags = true;
    }
}

static char *tags_json(const struct sqs_tag_list *t)
{
    cJSON *o = cJSON_CreateObject();
    char *text;

    for (size_t i = 0; i < t->n; i++)
        cJSON_AddItemToObject(o, t->tags[i].name, cJSON_CreateString(t->tags[i].value));
    text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return text;
}

static void detail_cycle_done(struct poller *p)
{
    struct detail_cycle *c = &p->tc;

    if (!c->gone && (c->have_attrs || c->have_tags)) {
        /* the depth counters are left to the list cycle: written every 2 s here they would
         * squeeze the sparkline's history into the time the pane was open */
        struct store_res *r = store_update_begin(p->store, "queue", c->url);
        if (c->have_attrs) {
            char *json = attrs_json(&c->attrs);
            store_set_str(r, "name", c->attrs.name);
            store_set(r, "arn", store_value_str(c->attrs.arn));
            store_set_str(r, "attributes", json);
            store_set(r, "redrive_policy",
                      store_value_str(sqs_queue_attr(&c->attrs, "RedrivePolicy")));
            store_set(r, "dlq_arn",
                      store_value_str(c->attrs.has_redrive ? c->attrs.dlq_arn : NULL));
            free(json);
        }
        if (c->have_tags) {
            char *json = tags_json(&c->tags);
            store_set_str(r, "tags", json);
            free(json);
        }
        store_update_commit(r);
    }
    if (!c->gone && (c->attrs_err || c->tags_err))
        store_fail(p->store, "queue", c->url, c->attrs_err ? c->attrs_err : c->tags_err);
    status_report(p, &c->st);
    poller_sched_finish(&p->sched, POLLER_G_DETAIL, c->st.failed);
    free(c->url);
    free(c->attrs_err);
    free(c->tags_err);
    sqs_queue_attrs_free(&c->attrs);
    sqs_tag_list_free(&c->tags);
    status_done(&c->st);
    memset(c, 0, sizeof(*c));
}

/* --- dispatch ------------------------------------------------------------------------- */

static void identity_done(struct poller *p, const struct aws_response *resp,
                          const struct aws_error *err)
{
    struct sts_identity id = {0};
    struct aws_error perr;

    aws_error_clear(&perr);
    if (!err && sts_get_caller_identity_parse(resp, &id, &perr) < 0)
        err = &perr;
    if (err) {
        store_fail(p->store, "identity", "caller", err);
    } else {
        struct store_res *r = store_update_begin(p->store, "identity", "caller");
        store_set_str(r, "account", id.account);
        store_set_str(r, "arn", id.arn);
        store_set(r, "user_id", store_value_str(id.user_id));
        store_update_commit(r);
    }
    error_row(p, E_IDENTITY, err);
    poller_sched_finish(&p->sched, POLLER_G_IDENTITY, err != NULL);
    sts_identity_free(&id);
}

static void on_done(const struct aws_response *resp, const struct aws_error *err, void *ud)
{
    struct req_ctx *ctx = ud;
    struct poller *p = ctx->p;
    enum req_kind kind = ctx->kind;
    size_t index = ctx->index;

    if (ctx->prev)
        ctx->prev->next = ctx->next;
    else
        p->outstanding = ctx->next;
    if (ctx->next)
        ctx->next->prev = ctx->prev;
    free(ctx);

    switch (kind) {
    case R_IDENTITY:
        p->ist.pending--;
        identity_done(p, resp, err);
        break;
    case R_LIST_QUEUES:
    case R_QUEUE_ATTRS:
        p->qc.st.pending--;
        if (kind == R_LIST_QUEUES)
            on_list_queues(p, resp, err);
        else
            on_queue_attrs(p, index, resp, err);
        pump_queue_attrs(p);
        if (!p->qc.st.pending && (p->qc.listed || p->qc.list_err))
            queue_cycle_done(p);
        break;
    case R_METRICS:
        p->mc.st.pending--;
        on_metrics(p, index, resp, err);
        if (!p->mc.st.pending)
            metrics_cycle_done(p);
        break;
    case R_DLQ_SOURCES:
        p->dc.st.pending--;
        on_dlq_sources(p, index, resp, err);
        if (!p->dc.st.pending)
            dlq_cycle_done(p);
        break;
    case R_DETAIL_ATTRS:
    case R_DETAIL_TAGS:
        p->tc.st.pending--;
        on_detail(p, kind, resp, err);
        if (!p->tc.st.pending)
            detail_cycle_done(p);
        break;
    }
}

/* --- API ------------------------------------------------------------------------------ */

struct poller *poller_new(struct aws_client *client, struct store *store,
                          const struct appconfig *cfg)
{
    struct poller *p = xcalloc(1, sizeof(*p));

    p->client = client;
    p->store = store;
    p->cfg = cfg;
    p->profile = xstrdup("default");
    poller_sched_init(&p->sched, cfg);
    return p;
}

void poller_set_profile(struct poller *p, const char *profile)
{
    free(p->profile);
    p->profile = xstrdup(profile && *profile ? profile : "default");
}

void poller_free(struct poller *p)
{
    if (!p)
        return;
    /* the client was freed first (no callback will come) or nothing is pending */
    while (p->outstanding) {
        struct req_ctx *next = p->outstanding->next;
        free(p->outstanding);
        p->outstanding = next;
    }
    for (size_t i = 0; i < p->qc.n; i++) {
        free(p->qc.q[i].url);
        free(p->qc.q[i].err);
        sqs_queue_attrs_free(&p->qc.q[i].attrs);
    }
    free(p->qc.q);
    free(p->qc.list_err);
    aws_pager_done(&p->qc.pager);
    status_done(&p->qc.st);
    for (size_t b = 0; p->mc.pagers && b < cw_get_metric_data_batches(p->mc.set); b++)
        aws_pager_done(&p->mc.pagers[b]);
    free(p->mc.pagers);
    cw_query_set_free(p->mc.set);
    free_strv(p->mc.urls, p->mc.n);
    free(p->mc.have);
    free(p->mc.age);
    free(p->mc.ts);
    status_done(&p->mc.st);
    for (size_t i = 0; i < p->dc.n; i++) {
        free(p->dc.d[i].url);
        free(p->dc.d[i].err);
        aws_pager_done(&p->dc.d[i].pager);
        free_strv(p->dc.d[i].sources, p->dc.d[i].nsources);
    }
    free(p->dc.d);
    status_done(&p->dc.st);
    free(p->tc.url);
    free(p->tc.attrs_err);
    free(p->tc.tags_err);
    sqs_queue_attrs_free(&p->tc.attrs);
    sqs_tag_list_free(&p->tc.tags);
    status_done(&p->tc.st);
    free_strv(p->known, p->nknown);
    free_strv(p->dlqs, p->ndlqs);
    free(p->detail_url);
    for (size_t i = 0; i < sizeof(p->late_endpoint) / sizeof(p->late_endpoint[0]); i++)
        free(p->late_endpoint[i]);
    free(p->profile);
    free(p);
}

void poller_set_view(struct poller *p, enum appconfig_view view)
{
    poller_sched_set_view(&p->sched, view);
}

void poller_set_detail(struct poller *p, const char *queue_url)
{
    bool changed = (queue_url == NULL) != (p->detail_url == NULL) ||
                   (queue_url && strcmp(queue_url, p->detail_url) != 0);

    if (!changed)
        return;
    free(p->detail_url);
    p->detail_url = queue_url ? xstrdup(queue_url) : NULL;
    p->sched.detail = queue_url != NULL;
    p->sched.t[POLLER_G_DETAIL].failures = 0;
    if (queue_url)
        p->sched.t[POLLER_G_DETAIL].forced = true;
}

void poller_refresh(struct poller *p)
{
    poller_sched_refresh(&p->sched);
}

static bool group_ready(const struct poller *p, enum poller_group g)
{
    if (g == POLLER_G_METRICS || g == POLLER_G_DLQ_SOURCES)
        return p->listed;
    if (g == POLLER_G_DETAIL)
        return p->detail_url != NULL;
    return true;
}

/* The kinds each group's list keeps fresh, and the call that reads them: a kind is stale as
 * soon as its group is overdue by its interval plus the request timeout (store.h). */
static const struct {
    enum poller_group g;
    const char *kind, *service, *action;
} expect_kinds[] = {
    {POLLER_G_QUEUES, "queue", "sqs", "ListQueues"},
    {POLLER_G_QUEUES, "dlq", "sqs", "ListQueues"},
    {POLLER_G_IDENTITY, "identity", "sts", "GetCallerIdentity"},
};

static void expect_fresh(struct poller *p)
{
    long timeout = aws_client_timeout_ms(p->client);

    for (size_t i = 0; i < sizeof(expect_kinds) / sizeof(expect_kinds[0]); i++) {
        int64_t every = poller_sched_effective(&p->sched, expect_kinds[i].g);
        struct aws_error late;

        if (!p->late_endpoint[i])
            p->late_endpoint[i] = aws_client_endpoint(p->client, expect_kinds[i].service);
        aws_error_clear(&late);
        aws_error_set(&late, AWS_ERR_TIMEOUT, "no answer within the %lld s poll interval "
                      "plus the %ld s request timeout; still trying",
                      (long long)(every / 1000), timeout / 1000);
        aws_error_context(&late, expect_kinds[i].service, expect_kinds[i].action,
                          p->late_endpoint[i]);
        store_kind_expect(p->store, expect_kinds[i].kind, every + timeout, &late);
    }
}

int poller_tick(struct poller *p, int64_t now_ms)
{
    expect_fresh(p);
    unsigned not_ready = 0;

    for (int g = 0; g < POLLER_G_COUNT; g++) {
        bool ready = group_ready(p, g), sent = true;
        if (!ready)
            not_ready |= 1u << g;
        if (!poller_sched_should_start(&p->sched, g, now_ms, ready))
            continue;
        poller_sched_start(&p->sched, g, now_ms);
        switch ((enum poller_group)g) {
        case POLLER_G_IDENTITY: start_identity(p); break;
        case POLLER_G_QUEUES: start_queues(p); break;
        case POLLER_G_METRICS: sent = start_metrics(p); break;
        case POLLER_G_DLQ_SOURCES: sent = start_dlq_sources(p); break;
        case POLLER_G_DETAIL: start_detail(p); break;
        case POLLER_G_COUNT: break;
        }
        /* nothing to ask (no queues, no DLQs): the cycle is over as it starts */
        if (!sent)
            poller_sched_finish(&p->sched, g, false);
    }
    return poller_sched_delay(&p->sched, now_ms, MAX_SLEEP_MS, not_ready);
}

bool poller_busy(const struct poller *p)
{
    for (int g = 0; g < POLLER_G_COUNT; g++)
        if (p->sched.t[g].running)
            return true;
    return false;
}

const struct poller_sched *poller_sched_of(const struct poller *p)
{
    return &p->sched;
}

unsigned long poller_cycles(const struct poller *p)
{
    return p->cycles;
}
