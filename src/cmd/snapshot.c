/* snapshot.c - `opsdeck snapshot`: every inventory call once, in parallel, then one document.
 *
 * The calls form a small dependency graph driven by callbacks on one event loop:
 *   GetCallerIdentity, ListBuckets                      independent
 *   ListQueues (paged) → GetQueueAttributes per queue   as each page arrives
 *                      → GetMetricData (age of oldest)  once every page is in
 *   all attributes in  → ListDeadLetterSourceQueues     for each queue some RedrivePolicy targets
 *   ListTopics (paged) → GetTopicAttributes, ListSubscriptionsByTopic (paged) per topic
 *                      → GetMetricData (failed notifications) once every page is in
 * Inventory failures are fatal: the snapshot would be wrong, so we print one line and no
 * JSON. Enrichment (CloudWatch, DLQ sources) failing is recorded in "errors" and the values
 * are null, because a missing metric must not hide the queues. */
#include "config.h"
#include "cmd/snapshot.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/cloudwatch.h"
#include "aws/s3.h"
#include "aws/sns.h"
#include "aws/sqs.h"
#include "aws/sts.h"
#include "core/client.h"
#include "core/pager.h"
#include "cmd/commands.h"
#include "creds/mfa_tty.h"
#include "util/jsonnum.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#define CW_WINDOW_SECONDS (15 * 60)   /* metrics from the last 15 minutes */
#define CW_PERIOD 300

struct snap_queue {
    char *url;
    struct sqs_queue_attrs attrs;
    bool have_attrs;
    bool gone;                 /* deleted between ListQueues and GetQueueAttributes */
    bool is_dlq;
    char **sources;            /* ListDeadLetterSourceQueues, accumulated over pages */
    size_t nsources;
    bool sources_known;
    struct aws_pager sources_pager;
    size_t cw_index;
    bool have_age;
    double age;
    int64_t age_ts;
};

struct snap_topic {
    char *arn;
    struct sns_topic_attrs attrs;
    bool have_attrs;
    bool gone;
    struct sns_subscription *subs;
    size_t nsubs;
    struct aws_pager subs_pager;
    size_t cw_index;
    bool have_failed;
    double failed;
};

struct snapshot {
    const struct snapshot_opts *opts;
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct aws_client *client;
    time_t started;

    struct sts_identity identity;
    struct s3_bucket_list buckets;

    struct snap_queue *queues;
    size_t nqueues;
    bool queues_listed;
    struct aws_pager queues_pager;
    size_t queue_attrs_pending;   /* GetQueueAttributes sent and not answered */
    size_t queue_attrs_sent;      /* queues[0..sent) have had theirs sent */
    bool dlq_sources_started;
    struct cw_query_set *cw_sqs;

    struct snap_topic *topics;
    size_t ntopics;
    bool topics_listed;
    struct aws_pager topics_pager;
    struct cw_query_set *cw_sns;
    struct aws_pager *cw_pagers[2];   /* per GetMetricData batch: SQS, SNS */

    cJSON *errors;             /* non-fatal: [{service, action, code, message}] */
    struct req_ctx *outstanding;
    bool failed;
    struct aws_error fatal;
};

enum req_kind {
    REQ_IDENTITY, REQ_BUCKETS, REQ_LIST_QUEUES, REQ_QUEUE_ATTRS, REQ_DLQ_SOURCES,
    REQ_LIST_TOPICS, REQ_TOPIC_ATTRS, REQ_TOPIC_SUBS, REQ_CW_SQS, REQ_CW_SNS,
};

struct req_ctx {
    struct snapshot *s;
    enum req_kind kind;
    size_t index;     /* queue or topic index, or CloudWatch batch */
    struct req_ctx *prev, *next;   /* outstanding requests, freed if the run is cut short */
};

static void on_done(const struct aws_response *resp, const struct aws_error *err, void *ud);

static void send_req(struct snapshot *s, struct aws_request *r, enum req_kind kind, size_t index)
{
    struct req_ctx *ctx = xmalloc(sizeof(*ctx));

    ctx->s = s;
    ctx->kind = kind;
    ctx->index = index;
    ctx->prev = NULL;
    ctx->next = s->outstanding;
    if (s->outstanding)
        s->outstanding->prev = ctx;
    s->outstanding = ctx;
    aws_client_send(s->client, r, on_done, ctx);
}

static void fail(struct snapshot *s, const struct aws_error *err)
{
    if (s->failed)
        return;
    s->failed = true;
    s->fatal = *err;
}

static void note_error(struct snapshot *s, const struct aws_error *err)
{
    cJSON *e = cJSON_CreateObject();
    char line[1024];

    aws_error_describe(err, s->cfg->profile, line, sizeof(line));
    cJSON_AddStringToObject(e, "service", err->service);
    cJSON_AddStringToObject(e, "action", err->action);
    cJSON_AddStringToObject(e, "code", err->code);
    cJSON_AddStringToObject(e, "message", line);
    cJSON_AddItemToArray(s->errors, e);
}

/* A resource deleted between the list and the describe is not a failure of the snapshot. */
static bool is_gone(const struct aws_error *err)
{
    return err->kind == AWS_ERR_HTTP &&
           (strcmp(err->code, "AWS.SimpleQueueService.NonExistentQueue") == 0 ||
            strcmp(err->code, "QueueDoesNotExist") == 0 || strcmp(err->code, "NotFound") == 0);
}

/* --- SQS -------------------------------------------------------------------------------- */

static void list_queues(struct snapshot *s, const char *next_token)
{
    struct aws_request r;
    struct sqs_list_queues_params p = {.max_results = SQS_MAX_RESULTS, .next_token = next_token};

    sqs_list_queues_request(&r, &p);
    send_req(s, &r, REQ_LIST_QUEUES, 0);
}

static void list_dlq_sources(struct snapshot *s, size_t qi, const char *next_token)
{
    struct aws_request r;
    struct sqs_list_dlq_sources_params p = {
        .queue_url = s->queues[qi].url, .max_results = SQS_MAX_RESULTS, .next_token = next_token};

    sqs_list_dead_letter_source_queues_request(&r, &p);
    send_req(s, &r, REQ_DLQ_SOURCES, qi);
}

static void send_cw_batches(struct snapshot *s, struct cw_query_set *set, enum req_kind kind)
{
    int64_t end = (int64_t)s->started, start = end - CW_WINDOW_SECONDS;

    s->cw_pagers[kind == REQ_CW_SNS] = xcalloc(cw_get_metric_data_batches(set) + 1,
                                               sizeof(struct aws_pager));
    for (size_t b = 0; b < cw_get_metric_data_batches(set); b++) {
        struct aws_request r;
        cw_get_metric_data_request(&r, set, b, start, end, NULL);
        send_req(s, &r, kind, b);
    }
}

static void queues_listed(struct snapshot *s)
{
    s->queues_listed = true;
    s->cw_sqs = cw_query_set_new();
    for (size_t i = 0; i < s->nqueues; i++) {
        char *name = sqs_queue_name_from_url(s->queues[i].url);
        s->queues[i].cw_index = cw_query_set_add_sqs_age(s->cw_sqs, name, CW_PERIOD);
        free(name);
    }
    send_cw_batches(s, s->cw_sqs, REQ_CW_SQS);
}

/* Once every queue's attributes are in, the DLQs are the targets of some RedrivePolicy. */
static void start_dlq_sources(struct snapshot *s)
{
    if (s->dlq_sources_started || !s->queues_listed || s->queue_attrs_pending ||
        s->queue_attrs_sent < s->nqueues)
        return;
    s->dlq_sources_started = true;
    for (size_t i = 0; i < s->nqueues; i++) {
        const char *target = s->queues[i].attrs.dlq_arn;
        if (!s->queues[i].have_attrs || !target)
            continue;
        for (size_t j = 0; j < s->nqueues; j++)
            if (s->queues[j].attrs.arn && strcmp(s->queues[j].attrs.arn, target) == 0)
                s->queues[j].is_dlq = true;
    }
    for (size_t j = 0; j < s->nqueues; j++)
        if (s->queues[j].is_dlq)
            list_dlq_sources(s, j, NULL);
}

/* GetQueueAttributes go out a window at a time rather than all at once: the client would
 * only queue the rest, and 1000 queued requests cost megabytes for nothing. */
#define ATTRS_WINDOW 64

static void pump_queue_attrs(struct snapshot *s)
{
    while (!s->failed && s->queue_attrs_pending < ATTRS_WINDOW &&
           s->queue_attrs_sent < s->nqueues) {
        size_t qi = s->queue_attrs_sent++;
        struct aws_request r;

        sqs_get_queue_attributes_request(&r, s->queues[qi].url);
        s->queue_attrs_pending++;
        send_req(s, &r, REQ_QUEUE_ATTRS, qi);
    }
}

static void on_list_queues(struct snapshot *s, const struct aws_response *resp)
{
    struct sqs_url_list l = {0};
    struct aws_error err;

    aws_error_clear(&err);
    if (sqs_list_queues_parse(resp, &l, &err) < 0 ||
        aws_pager_next(&s->queues_pager, l.next_token, resp, &err) < 0) {
        sqs_url_list_free(&l);
        fail(s, &err);
        return;
    }
    s->queues = xrealloc(s->queues, (s->nqueues + l.n) * sizeof(*s->queues));
    for (size_t i = 0; i < l.n; i++) {
        size_t qi = s->nqueues++;

        memset(&s->queues[qi], 0, sizeof(s->queues[qi]));
        s->queues[qi].url = xstrdup(l.urls[i]);
    }
    pump_queue_attrs(s);
    if (l.next_token)
        list_queues(s, l.next_token);
    else
        queues_listed(s);
    sqs_url_list_free(&l);
    start_dlq_sources(s);
}

static void on_queue_attrs(struct snapshot *s, size_t qi, const struct aws_response *resp)
{
    struct snap_queue *q = &s->queues[qi];
    struct aws_error err;

    aws_error_clear(&err);
    if (sqs_get_queue_attributes_parse(resp, q->url, &q->attrs, &err) < 0)
        fail(s, &err);
    else
        q->have_attrs = true;
}

static void on_dlq_sources(struct snapshot *s, size_t qi, const struct aws_response *resp)
{
    struct snap_queue *q = &s->queues[qi];
    struct sqs_url_list l = {0};
    struct aws_error err;

    aws_error_clear(&err);
    if (sqs_list_dead_letter_source_queues_parse(resp, &l, &err) < 0 ||
        aws_pager_next(&q->sources_pager, l.next_token, resp, &err) < 0) {
        sqs_url_list_free(&l);
        note_error(s, &err);
        return;
    }
    q->sources = xrealloc(q->sources, (q->nsources + l.n) * sizeof(*q->sources));
    for (size_t i = 0; i < l.n; i++)
        q->sources[q->nsources++] = xstrdup(l.urls[i]);
    if (l.next_token)
        list_dlq_sources(s, qi, l.next_token);
    else
        q->sources_known = true;
    sqs_url_list_free(&l);
}

/* --- SNS -------------------------------------------------------------------------------- */

static void list_topics(struct snapshot *s, const char *next_token)
{
    struct aws_request r;

    sns_list_topics_request(&r, next_token);
    send_req(s, &r, REQ_LIST_TOPICS, 0);
}

static void list_subscriptions(struct snapshot *s, size_t ti, const char *next_token)
{
    struct aws_request r;

    sns_list_subscriptions_by_topic_request(&r, s->topics[ti].arn, next_token);
    send_req(s, &r, REQ_TOPIC_SUBS, ti);
}

static void on_list_topics(struct snapshot *s, const struct aws_response *resp)
{
    struct sns_topic_list l = {0};
    struct aws_error err;

    aws_error_clear(&err);
    if (sns_list_topics_parse(resp, &l, &err) < 0 ||
        aws_pager_next(&s->topics_pager, l.next_token, resp, &err) < 0) {
        sns_topic_list_free(&l);
        fail(s, &err);
        return;
    }
    s->topics = xrealloc(s->topics, (s->ntopics + l.n) * sizeof(*s->topics));
    for (size_t i = 0; i < l.n; i++) {
        size_t ti = s->ntopics++;
        struct aws_request r;

        memset(&s->topics[ti], 0, sizeof(s->topics[ti]));
        s->topics[ti].arn = xstrdup(l.arns[i]);
        sns_get_topic_attributes_request(&r, l.arns[i]);
        send_req(s, &r, REQ_TOPIC_ATTRS, ti);
        list_subscriptions(s, ti, NULL);
    }
    if (l.next_token) {
        list_topics(s, l.next_token);
    } else {
        s->topics_listed = true;
        s->cw_sns = cw_query_set_new();
        for (size_t i = 0; i < s->ntopics; i++) {
            char *name = sns_topic_name_from_arn(s->topics[i].arn);
            s->topics[i].cw_index = cw_query_set_add_sns_failed(s->cw_sns, name, CW_PERIOD);
            free(name);
        }
        send_cw_batches(s, s->cw_sns, REQ_CW_SNS);
    }
    sns_topic_list_free(&l);
}

static void on_topic_attrs(struct snapshot *s, size_t ti, const struct aws_response *resp)
{
    struct snap_topic *t = &s->topics[ti];
    struct aws_error err;

    aws_error_clear(&err);
    if (sns_get_topic_attributes_parse(resp, &t->attrs, &err) < 0)
        fail(s, &err);
    else
        t->have_attrs = true;
}

static void on_topic_subs(struct snapshot *s, size_t ti, const struct aws_response *resp)
{
    struct snap_topic *t = &s->topics[ti];
    struct sns_subscription_list l = {0};
    struct aws_error err;

    aws_error_clear(&err);
    if (sns_list_subscriptions_by_topic_parse(resp, &l, &err) < 0 ||
        aws_pager_next(&t->subs_pager, l.next_token, resp, &err) < 0) {
        sns_subscription_list_free(&l);
        fail(s, &err);
        return;
    }
    /* take the entries over: the list's array is freed empty */
    if (l.n) {
        t->subs = xrealloc(t->subs, (t->nsubs + l.n) * sizeof(*t->subs));
        memcpy(t->subs + t->nsubs, l.subs, l.n * sizeof(*l.subs));
        t->nsubs += l.n;
        l.n = 0;
    }
    if (l.next_token)
        list_subscriptions(s, ti, l.next_token);
    sns_subscription_list_free(&l);
}

/* --- CloudWatch ------------------------------------------------------------------------- */

static void on_metrics(struct snapshot *s, enum req_kind kind, size_t batch,
                       const struct aws_response *resp)
{
    struct cw_query_set *set = kind == REQ_CW_SQS ? s->cw_sqs : s->cw_sns;
    struct cw_metric_data d = {0};
    struct aws_error err;

    aws_error_clear(&err);
    if (cw_get_metric_data_parse(resp, &d, &err) < 0 ||
        aws_pager_next(&s->cw_pagers[kind == REQ_CW_SNS][batch], d.next_token, resp, &err) < 0) {
        cw_metric_data_free(&d);
        note_error(s, &err);
        return;
    }
    for (size_t i = 0; i < d.n; i++) {
        const struct cw_metric_result *res = &d.results[i];
        size_t qi;

        if (cw_query_index(res->id, &qi) < 0 || qi >= cw_query_set_count(set))
            continue;
        if (kind == REQ_CW_SQS) {
            /* results for one id may be split over pages: keep the newest point */
            for (size_t k = 0; k < s->nqueues; k++) {
                struct snap_queue *q = &s->queues[k];
                if (q->cw_index != qi)
                    continue;
                for (size_t p = 0; p < res->n; p++)
                    if (!q->have_age || res->timestamps[p] > q->age_ts) {
                        q->have_age = true;
                        q->age = res->values[p];
                        q->age_ts = res->timestamps[p];
                    }
                break;
            }
        } else {
            for (size_t k = 0; k < s->ntopics; k++) {
                struct snap_topic *t = &s->topics[k];
                if (t->cw_index != qi)
                    continue;
                t->have_failed = true;   /* a complete answer with no points means zero */
                for (size_t p = 0; p < res->n; p++)
                    t->failed += res->values[p];
                break;
            }
        }
    }
    if (d.next_token) {
        struct aws_request r;
        int64_t end = (int64_t)s->started;
        cw_get_metric_data_request(&r, set, batch, end - CW_WINDOW_SECONDS, end, d.next_token);
        send_req(s, &r, kind, batch);
    }
    cw_metric_data_free(&d);
}

/* --- dispatch --------------------------------------------------------------------------- */

static void on_done(const struct aws_response *resp, const struct aws_error *err, void *ud)
{
    struct req_ctx *ctx = ud;
    struct snapshot *s = ctx->s;
    enum req_kind kind = ctx->kind;
    size_t index = ctx->index;

    if (ctx->prev)
        ctx->prev->next = ctx->next;
    else
        s->outstanding = ctx->next;
    if (ctx->next)
        ctx->next->prev = ctx->prev;
    free(ctx);
    if (kind == REQ_QUEUE_ATTRS)
        s->queue_attrs_pending--;
    if (s->failed)
        return;
    if (err) {
        if (kind == REQ_QUEUE_ATTRS && is_gone(err))
            s->queues[index].gone = true;
        else if (kind == REQ_TOPIC_ATTRS && is_gone(err))
            s->topics[index].gone = true;
        else if (kind == REQ_TOPIC_SUBS && is_gone(err))
            s->topics[index].gone = true;
        else if (kind == REQ_CW_SQS || kind == REQ_CW_SNS || kind == REQ_DLQ_SOURCES)
            note_error(s, err);
        else
            fail(s, err);
    } else {
        switch (kind) {
        case REQ_IDENTITY: {
            struct aws_error perr;
            aws_error_clear(&perr);
            if (sts_get_caller_identity_parse(resp, &s->identity, &perr) < 0)
                fail(s, &perr);
            break;
        }
        case REQ_BUCKETS: {
            struct aws_error perr;
            aws_error_clear(&perr);
            if (s3_list_buckets_parse(resp, &s->buckets, &perr) < 0)
                fail(s, &perr);
            break;
        }
        case REQ_LIST_QUEUES: on_list_queues(s, resp); break;
        case REQ_QUEUE_ATTRS: on_queue_attrs(s, index, resp); break;
        case REQ_DLQ_SOURCES: on_dlq_sources(s, index, resp); break;
        case REQ_LIST_TOPICS: on_list_topics(s, resp); break;
        case REQ_TOPIC_ATTRS: on_topic_attrs(s, index, resp); break;
        case REQ_TOPIC_SUBS: on_topic_subs(s, index, resp); break;
        case REQ_CW_SQS:
        case REQ_CW_SNS: on_metrics(s, kind, index, resp); break;
        }
    }
    if (kind == REQ_QUEUE_ATTRS && !s->failed) {
        pump_queue_attrs(s);
        start_dlq_sources(s);
    }
}

/* --- output ----------------------------------------------------------------------------- */

static cJSON *json_str_or_null(const char *v)
{
    return v ? cJSON_CreateString(v) : cJSON_CreateNull();
}

static cJSON *json_count(int64_t v)
{
    return v >= 0 ? json_int64(v) : cJSON_CreateNull();
}

static int cmp_queue(const void *a, const void *b)
{
    return strcmp(((const struct snap_queue *)a)->url, ((const struct snap_queue *)b)->url);
}

static int cmp_topic(const void *a, const void *b)
{
    return strcmp(((const struct snap_topic *)a)->arn, ((const struct snap_topic *)b)->arn);
}

static const char *queue_url_by_arn(const struct snapshot *s, const char *arn)
{
    for (size_t i = 0; i < s->nqueues; i++)
        if (s->queues[i].attrs.arn && strcmp(s->queues[i].attrs.arn, arn) == 0)
            return s->queues[i].url;
    return NULL;
}

static cJSON *queue_json(const struct snapshot *s, const struct snap_queue *q)
{
    const struct sqs_queue_attrs *a = &q->attrs;
    cJSON *o = cJSON_CreateObject(), *attrs = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "url", q->url);
    cJSON_AddStringToObject(o, "name", a->name);
    cJSON_AddItemToObject(o, "arn", json_str_or_null(a->arn));
    cJSON_AddBoolToObject(o, "fifo", a->fifo);
    cJSON_AddItemToObject(o, "visible", json_count(a->visible));
    cJSON_AddItemToObject(o, "in_flight", json_count(a->not_visible));
    cJSON_AddItemToObject(o, "delayed", json_count(a->delayed));
    cJSON_AddItemToObject(o, "oldest_age_seconds",
                          q->have_age ? cJSON_CreateNumber(q->age) : cJSON_CreateNull());
    if (a->has_redrive && a->dlq_arn) {
        cJSON *dlq = cJSON_CreateObject();
        cJSON_AddStringToObject(dlq, "arn", a->dlq_arn);
        cJSON_AddItemToObject(dlq, "url", json_str_or_null(queue_url_by_arn(s, a->dlq_arn)));
        cJSON_AddItemToObject(dlq, "max_receive_count", json_count(a->max_receive_count));
        cJSON_AddItemToObject(o, "dead_letter_queue", dlq);
    } else {
        cJSON_AddNullToObject(o, "dead_letter_queue");
    }
    cJSON_AddBoolToObject(o, "is_dlq", q->is_dlq);
    if (q->is_dlq && q->sources_known) {
        cJSON *src = cJSON_CreateArray();
        for (size_t i = 0; i < q->nsources; i++)
            cJSON_AddItemToArray(src, cJSON_CreateString(q->sources[i]));
        cJSON_AddItemToObject(o, "dlq_sources", src);
    } else {
        cJSON_AddNullToObject(o, "dlq_sources");
    }
    for (size_t i = 0; i < a->nattrs; i++)
        cJSON_AddStringToObject(attrs, a->attrs[i].name, a->attrs[i].value);
    cJSON_AddItemToObject(o, "attributes", attrs);
    return o;
}

static cJSON *topic_json(const struct snap_topic *t)
{
    const struct sns_topic_attrs *a = &t->attrs;
    cJSON *o = cJSON_CreateObject(), *subs = cJSON_CreateArray();
    char *name = sns_topic_name_from_arn(t->arn);
    size_t pending = 0;

    cJSON_AddStringToObject(o, "arn", t->arn);
    cJSON_AddStringToObject(o, "name", name);
    free(name);
    cJSON_AddItemToObject(o, "display_name", json_str_or_null(a->display_name));
    cJSON_AddBoolToObject(o, "fifo", a->fifo);
    cJSON_AddItemToObject(o, "subscriptions_confirmed", json_count(a->subs_confirmed));
    cJSON_AddItemToObject(o, "subscriptions_pending", json_count(a->subs_pending));
    cJSON_AddBoolToObject(o, "failure_logging", a->failure_feedback != 0);
    cJSON_AddItemToObject(o, "failed_notifications",
                          t->have_failed ? cJSON_CreateNumber(t->failed) : cJSON_CreateNull());
    for (size_t i = 0; i < t->nsubs; i++) {
        const struct sns_subscription *sub = &t->subs[i];
        cJSON *js = cJSON_CreateObject();
        cJSON_AddStringToObject(js, "arn", sub->arn ? sub->arn : "");
        cJSON_AddBoolToObject(js, "pending", sub->pending);
        cJSON_AddItemToObject(js, "protocol", json_str_or_null(sub->protocol));
        cJSON_AddItemToObject(js, "endpoint", json_str_or_null(sub->endpoint));
        cJSON_AddItemToObject(js, "owner", json_str_or_null(sub->owner));
        cJSON_AddItemToArray(subs, js);
        pending += sub->pending;
    }
    json_add_int64(o, "pending_in_list", (int64_t)pending);
    cJSON_AddItemToObject(o, "subscriptions", subs);
    return o;
}

/* The members before the arrays: what was asked, of whom, when. */
static cJSON *header_json(const struct snapshot *s)
{
    cJSON *root = cJSON_CreateObject(), *id = cJSON_CreateObject();
    char when[32];
    struct tm tm;

    gmtime_r(&s->started, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
    cJSON_AddStringToObject(root, "schema", "opsdeck.snapshot/1");
    cJSON_AddStringToObject(root, "taken_at", when);
    cJSON_AddStringToObject(root, "profile", s->cfg->profile);
    cJSON_AddItemToObject(root, "region", json_str_or_null(s->cfg->region));
    cJSON_AddStringToObject(id, "account", s->identity.account);
    cJSON_AddStringToObject(id, "arn", s->identity.arn);
    cJSON_AddItemToObject(id, "user_id", json_str_or_null(s->identity.user_id));
    cJSON_AddItemToObject(root, "identity", id);
    return root;
}

static cJSON *buckets_json(const struct snapshot *s)
{
    cJSON *buckets = cJSON_CreateArray();

    for (size_t i = 0; i < s->buckets.n; i++) {
        cJSON *b = cJSON_CreateObject();
        cJSON_AddStringToObject(b, "name", s->buckets.buckets[i].name);
        cJSON_AddItemToObject(b, "created", json_str_or_null(s->buckets.buckets[i].creation_date));
        cJSON_AddItemToArray(buckets, b);
    }
    return buckets;
}

static cJSON *stats_json(const struct snapshot *s)
{
    cJSON *stats = cJSON_CreateObject();
    struct aws_client_stats st;

    aws_client_get_stats(s->client, &st);
    json_add_int64(stats, "requests", (int64_t)st.requests);
    json_add_int64(stats, "retries", (int64_t)st.retries);
    json_add_int64(stats, "bytes_received", (int64_t)st.bytes_received);
    return stats;
}

static void sort_inventory(struct snapshot *s)
{
    if (s->nqueues)
        qsort(s->queues, s->nqueues, sizeof(*s->queues), cmp_queue);
    if (s->ntopics)
        qsort(s->topics, s->ntopics, sizeof(*s->topics), cmp_topic);
}

static bool queue_listed(const struct snap_queue *q) { return q->have_attrs && !q->gone; }
static bool topic_listed(const struct snap_topic *t) { return t->have_attrs && !t->gone; }

/* The whole document as one tree (for the text summary). */
static cJSON *snapshot_json(struct snapshot *s)
{
    cJSON *root = header_json(s), *queues = cJSON_CreateArray(), *topics = cJSON_CreateArray();

    sort_inventory(s);
    for (size_t i = 0; i < s->nqueues; i++)
        if (queue_listed(&s->queues[i]))
            cJSON_AddItemToArray(queues, queue_json(s, &s->queues[i]));
    cJSON_AddItemToObject(root, "queues", queues);
    for (size_t i = 0; i < s->ntopics; i++)
        if (topic_listed(&s->topics[i]))
            cJSON_AddItemToArray(topics, topic_json(&s->topics[i]));
    cJSON_AddItemToObject(root, "topics", topics);
    cJSON_AddItemToObject(root, "buckets", buckets_json(s));
    cJSON_AddItemToObject(root, "errors", s->errors);
    s->errors = NULL;
    cJSON_AddItemToObject(root, "stats", stats_json(s));
    return root;
}

/* Prints one JSON value made terminal-safe, then frees it. */
static void emit_value(FILE *out, cJSON *v)
{
    char *text = cJSON_PrintUnformatted(v);
    char *safe = sanitize_json(text);

    fputs(safe, out);
    free(safe);
    free(text);
    cJSON_Delete(v);
}

static void emit_member(FILE *out, const char *key, cJSON *v, bool last)
{
    fprintf(out, "\"%s\": ", key);   /* our own keys: nothing to escape */
    emit_value(out, v);
    fputs(last ? "\n" : ",\n", out);
}

/* The document streamed a member at a time and a queue per line: 1000 queues are never held
 * as a tree and as text at once, which keeps peak memory near the inventory's own size. */
static void emit_json(struct snapshot *s, FILE *out)
{
    cJSON *head = header_json(s), *it;
    bool first;

    sort_inventory(s);
    fputs("{\n", out);
    while ((it = head->child)) {
        cJSON_DetachItemViaPointer(head, it);
        emit_member(out, it->string, it, false);
    }
    cJSON_Delete(head);

    fputs("\"queues\": [", out);
    first = true;
    for (size_t i = 0; i < s->nqueues; i++) {
        if (!queue_listed(&s->queues[i]))
            continue;
        fputs(first ? "\n" : ",\n", out);
        first = false;
        emit_value(out, queue_json(s, &s->queues[i]));
    }
    fputs("\n],\n\"topics\": [", out);
    first = true;
    for (size_t i = 0; i < s->ntopics; i++) {
        if (!topic_listed(&s->topics[i]))
            continue;
        fputs(first ? "\n" : ",\n", out);
        first = false;
        emit_value(out, topic_json(&s->topics[i]));
    }
    fputs("\n],\n", out);
    emit_member(out, "buckets", buckets_json(s), false);
    emit_member(out, "errors", s->errors, false);
    s->errors = NULL;
    emit_member(out, "stats", stats_json(s), true);
    fputs("}\n", out);
}

static void print_text(const cJSON *root)
{
    const cJSON *id = cJSON_GetObjectItem(root, "identity"), *it;
    const cJSON *queues = cJSON_GetObjectItem(root, "queues");
    const cJSON *topics = cJSON_GetObjectItem(root, "topics");
    const cJSON *errors = cJSON_GetObjectItem(root, "errors");
    int nq = cJSON_GetArraySize(queues), ndlq = 0;
    char *s1, *s2;

    s1 = sanitize_text(cJSON_GetObjectItem(id, "arn")->valuestring,
                       strlen(cJSON_GetObjectItem(id, "arn")->valuestring));
    s2 = sanitize_text(cJSON_GetStringValue(cJSON_GetObjectItem(root, "profile")),
                       strlen(cJSON_GetStringValue(cJSON_GetObjectItem(root, "profile"))));
    printf("%s  profile %s  region %s\n", s1, s2,
           cJSON_IsString(cJSON_GetObjectItem(root, "region"))
               ? cJSON_GetObjectItem(root, "region")->valuestring : "-");
    free(s1);
    free(s2);
    cJSON_ArrayForEach(it, queues)
        ndlq += cJSON_IsTrue(cJSON_GetObjectItem(it, "is_dlq"));
    printf("%d queues (%d dead-letter), %d topics, %d buckets\n", nq, ndlq,
           cJSON_GetArraySize(topics), cJSON_GetArraySize(cJSON_GetObjectItem(root, "buckets")));
    cJSON_ArrayForEach(it, queues) {
        const cJSON *v = cJSON_GetObjectItem(it, "visible");
        const char *name = cJSON_GetObjectItem(it, "name")->valuestring;
        double visible;
        /* counts are exact integers (json_int64): read as such, not as cJSON numbers */
        if (!cJSON_IsTrue(cJSON_GetObjectItem(it, "is_dlq")) || !json_number(v, &visible) ||
            visible <= 0)
            continue;
        s1 = sanitize_text(name, strlen(name));
        if (cJSON_IsRaw(v))
            printf("  DLQ %-40s %10s messages\n", s1, v->valuestring);
        else
            printf("  DLQ %-40s %10.0f messages\n", s1, visible);
        free(s1);
    }
    cJSON_ArrayForEach(it, topics) {
        const cJSON *p = cJSON_GetObjectItem(it, "pending_in_list");
        const cJSON *f = cJSON_GetObjectItem(it, "failed_notifications");
        const char *name = cJSON_GetObjectItem(it, "name")->valuestring;
        double pending = 0;
        json_number(p, &pending);
        if (pending <= 0 && !(cJSON_IsNumber(f) && f->valuedouble > 0))
            continue;
        s1 = sanitize_text(name, strlen(name));
        if (cJSON_IsNumber(f))
            printf("  topic %-38s %4.0f pending subscriptions, %.0f failed deliveries (15 min)\n",
                   s1, pending, f->valuedouble);
        else
            printf("  topic %-38s %4.0f pending subscriptions\n", s1, pending);
        free(s1);
    }
    cJSON_ArrayForEach(it, errors) {
        const char *m = cJSON_GetObjectItem(it, "message")->valuestring;
        s1 = sanitize_text(m, strlen(m));
        printf("  warning: %s\n", s1);
        free(s1);
    }
}

/* --- run -------------------------------------------------------------------------------- */

static void snapshot_done(struct snapshot *s)
{
    for (size_t i = 0; i < s->nqueues; i++) {
        free(s->queues[i].url);
        sqs_queue_attrs_free(&s->queues[i].attrs);
        for (size_t j = 0; j < s->queues[i].nsources; j++)
            free(s->queues[i].sources[j]);
        free(s->queues[i].sources);
        aws_pager_done(&s->queues[i].sources_pager);
    }
    free(s->queues);
    for (size_t i = 0; i < s->ntopics; i++) {
        struct sns_subscription_list l = {.subs = s->topics[i].subs, .n = s->topics[i].nsubs};
        free(s->topics[i].arn);
        sns_topic_attrs_free(&s->topics[i].attrs);
        sns_subscription_list_free(&l);
        aws_pager_done(&s->topics[i].subs_pager);
    }
    free(s->topics);
    aws_pager_done(&s->queues_pager);
    aws_pager_done(&s->topics_pager);
    for (int k = 0; k < 2; k++) {
        size_t nb = k ? (s->cw_sns ? cw_get_metric_data_batches(s->cw_sns) : 0)
                      : (s->cw_sqs ? cw_get_metric_data_batches(s->cw_sqs) : 0);
        for (size_t b = 0; s->cw_pagers[k] && b < nb; b++)
            aws_pager_done(&s->cw_pagers[k][b]);
        free(s->cw_pagers[k]);
    }
    sts_identity_free(&s->identity);
    s3_bucket_list_free(&s->buckets);
    cw_query_set_free(s->cw_sqs);
    cw_query_set_free(s->cw_sns);
    cJSON_Delete(s->errors);
    aws_client_free(s->client);   /* cancels what is pending, without callbacks */
    while (s->outstanding) {
        struct req_ctx *next = s->outstanding->next;
        free(s->outstanding);
        s->outstanding = next;
    }
    creds_manager_free(s->cm);
    aws_config_free(s->cfg);
}

static int report_failure(const struct aws_error *err, const char *profile)
{
    char line[1200];

    aws_error_describe(err, profile, line, sizeof(line));
    fprintf(stderr, "opsdeck: %s\n", line);
    return 1;
}

int snapshot_run(const struct snapshot_opts *opts)
{
    struct aws_config_opts co = {
        .profile = opts->profile, .region = opts->region, .endpoint_url = opts->endpoint_url};
    struct snapshot s;
    const struct aws_credentials *creds;
    struct aws_request r;
    struct aws_error err;
    cJSON *root;
    int rc = 0;

    memset(&s, 0, sizeof(s));
    s.opts = opts;
    s.started = time(NULL);
    aws_error_clear(&err);
    s.cfg = aws_config_new(&co, &err);
    if (!s.cfg)
        return report_failure(&err, opts->profile ? opts->profile : "default");
    if (!s.cfg->region) {
        fprintf(stderr, "opsdeck: no region for profile '%s': pass --region, set AWS_REGION, "
                        "or add `region = ...` to the profile in %s\n",
                s.cfg->profile, s.cfg->config_file);
        aws_config_free(s.cfg);
        return 1;
    }
    s.cm = creds_manager_new(s.cfg);
    creds_manager_set_mfa(s.cm, creds_mfa_tty_prompt, NULL, opts->mfa_code);
    /* fail before any request when there are no credentials at all: one clear line */
    if (creds_manager_get(s.cm, &creds, &err) == CREDS_ERROR) {
        rc = report_failure(&err, s.cfg->profile);
        creds_manager_free(s.cm);
        aws_config_free(s.cfg);
        return rc;
    }
    s.client = aws_client_new(s.cfg, s.cm, NULL);
    s.errors = cJSON_CreateArray();

    sts_get_caller_identity_request(&r);
    send_req(&s, &r, REQ_IDENTITY, 0);
    list_queues(&s, NULL);
    list_topics(&s, NULL);
    s3_list_buckets_request(&r);
    send_req(&s, &r, REQ_BUCKETS, 0);

    while (!s.failed && aws_client_pending(s.client) > 0)
        aws_client_run(s.client, NULL, 0, 1000);

    if (s.failed) {
        rc = report_failure(&s.fatal, s.cfg->profile);
    } else if (opts->json) {
        emit_json(&s, stdout);
    } else {
        root = snapshot_json(&s);
        print_text(root);
        cJSON_Delete(root);
    }
    if (!s.failed) {
        if (fflush(stdout) != 0 || ferror(stdout)) {
            perror("opsdeck: writing the snapshot");
            rc = 1;
        }
    }
    snapshot_done(&s);
    return rc;
}

int cmd_snapshot(const struct global_opts *g, int argc, char **argv)
{
    struct snapshot_opts so = {
        .profile = g->profile, .region = g->region, .endpoint_url = g->endpoint_url,
        .mfa_code = g->mfa_code, .json = g->json};

    if (argc > 1) {
        fprintf(stderr, "opsdeck: snapshot takes no arguments, got '%s' (see --help)\n",
                argv[1]);
        return 2;
    }
    return snapshot_run(&so);
}
