/* topics.c - SNS topics: ListTopics (paged), then GetTopicAttributes and
 * ListSubscriptionsByTopic (paged) for each topic as its page arrives, GetSubscriptionAttributes
 * for each confirmed subscription as its page arrives (the redrive policy, the filter policy,
 * raw delivery: what ListSubscriptionsByTopic does not say) and, once the list is complete,
 * each topic's messages published, notifications delivered and failed over the last hour
 * from CloudWatch (one batched GetMetricData for all topics); written as the "topic" kind
 * once every answer is in, for the sns view and `opsdeck snapshot`. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sns.h"
#include "core/pager.h"
#include "poll/sources/common.h"
#include "poll/sources/metrics.h"
#include "poll/sources/sources.h"
#include "util/xalloc.h"

#define METRIC_PERIOD 300   /* summed over the window: the period only sets how many points */
#define METRIC_WINDOW (60 * 60)

enum { R_LIST, R_ATTRS, R_SUBS, R_METRICS, R_SUBATTRS };

/* The CloudWatch numbers of a topic, query (k * ntopics + topic) for metric k. */
enum { M_FAILED, M_PUBLISHED, M_DELIVERED, M_COUNT };
static const char *const metric_names[M_COUNT] = {
    [M_FAILED] = "NumberOfNotificationsFailed",
    [M_PUBLISHED] = "NumberOfMessagesPublished",
    [M_DELIVERED] = "NumberOfNotificationsDelivered",
};
static const char *const metric_fields[M_COUNT] = {
    [M_FAILED] = "failed_notifications",
    [M_PUBLISHED] = "published",
    [M_DELIVERED] = "delivered",
};

/* A subscription's GetSubscriptionAttributes answer. */
struct sub_attrs {
    struct sns_subscription_attrs a;
    bool have;
    bool failed;
};

struct topic {
    char *arn;
    struct sns_topic_attrs attrs;
    bool have_attrs;
    bool gone;                     /* deleted between ListTopics and its describe calls */
    struct sns_subscription *subs;
    struct sub_attrs *sattrs;      /* one per subs entry */
    size_t nsubs;
    struct aws_pager subs_pager;
    struct aws_error *err;
};

struct topics_state {
    struct topic *t;
    size_t n, cap;
    struct aws_pager pager;        /* ListTopics' pages */
    struct aws_error *list_err;
    struct metrics_cycle metrics;  /* query k * n + i: t[i]'s metric k */
    struct subref { size_t ti, si; } *refs;   /* a GetSubscriptionAttributes' index */
    size_t nrefs, refcap;
};

static void list_page(struct source_run *run, const char *next_token)
{
    struct aws_request r;

    sns_list_topics_request(&r, next_token);
    source_send(run, &r, R_LIST, 0);
}

static void list_subscriptions(struct source_run *run, struct topics_state *st, size_t ti,
                               const char *next_token)
{
    struct aws_request r;

    sns_list_subscriptions_by_topic_request(&r, st->t[ti].arn, next_token);
    source_send(run, &r, R_SUBS, ti);
}

static void topics_start(struct source_run *run, void *state)
{
    (void)state;
    list_page(run, NULL);
}

/* The whole list is in: every topic's numbers, while the describes are coming. */
static void ask_metrics(struct source_run *run, struct topics_state *st)
{
    metrics_init(&st->metrics, st->n * M_COUNT, true);
    st->metrics.window_s = METRIC_WINDOW;
    for (int k = 0; k < M_COUNT; k++) {
        for (size_t i = 0; i < st->n; i++) {
            char *name = sns_topic_name_from_arn(st->t[i].arn);
            struct cw_dimension dim = {"TopicName", name};

            cw_query_set_add(st->metrics.set, "AWS/SNS", metric_names[k], &dim, 1,
                             METRIC_PERIOD, "Sum");
            free(name);
        }
    }
    metrics_send(run, &st->metrics, R_METRICS);
}

/* A confirmed subscription's attributes (a pending one has no ARN to ask with). */
static void ask_sub_attrs(struct source_run *run, struct topics_state *st, size_t ti, size_t si)
{
    const struct sns_subscription *sub = &st->t[ti].subs[si];
    struct aws_request r;

    if (sub->pending || !sub->arn || !*sub->arn)
        return;
    if (st->nrefs == st->refcap) {
        st->refcap = st->refcap ? st->refcap * 2 : 64;
        st->refs = xrealloc(st->refs, st->refcap * sizeof(*st->refs));
    }
    st->refs[st->nrefs] = (struct subref){ti, si};
    sns_get_subscription_attributes_request(&r, sub->arn);
    source_send(run, &r, R_SUBATTRS, st->nrefs++);
}

static void on_list(struct source_run *run, struct topics_state *st,
                    const struct aws_response *resp, const struct aws_error *err)
{
    struct sns_topic_list l = {0};
    struct aws_error perr;
    int rc = 0;

    aws_error_clear(&perr);
    if (!err && ((rc = sns_list_topics_parse(resp, &l, &perr)) < 0 ||
                 aws_pager_next(&st->pager, l.next_token, resp, &perr) < 0)) {
        err = &perr;
        source_error(run, err);
    } else if (rc > 0) {
        source_error(run, &perr);   /* items skipped: the call's error, the others listed */
    }
    if (err) {
        sns_topic_list_free(&l);
        sources_error_keep(&st->list_err, err);
        source_backoff(run);
        return;
    }
    if (st->n + l.n > st->cap) {
        st->cap = (st->n + l.n) * 2;
        st->t = xrealloc(st->t, st->cap * sizeof(*st->t));
    }
    for (size_t i = 0; i < l.n; i++) {
        size_t ti = st->n++;
        struct aws_request r;

        memset(&st->t[ti], 0, sizeof(st->t[ti]));
        st->t[ti].arn = xstrdup(l.arns[i]);
        sns_get_topic_attributes_request(&r, l.arns[i]);
        source_send(run, &r, R_ATTRS, ti);
        list_subscriptions(run, st, ti, NULL);
    }
    if (l.next_token)
        list_page(run, l.next_token);
    else
        ask_metrics(run, st);
    sns_topic_list_free(&l);
}

static void on_subs(struct source_run *run, struct topics_state *st, size_t ti,
                    const struct aws_response *resp)
{
    struct topic *t = &st->t[ti];
    struct sns_subscription_list l = {0};
    struct aws_error perr;
    int rc;

    aws_error_clear(&perr);
    if ((rc = sns_list_subscriptions_by_topic_parse(resp, &l, &perr)) < 0 ||
        aws_pager_next(&t->subs_pager, l.next_token, resp, &perr) < 0) {
        sns_subscription_list_free(&l);
        source_error(run, &perr);
        sources_error_keep(&t->err, &perr);
        return;
    }
    if (rc > 0)
        source_error(run, &perr);   /* items skipped: the call's error, the others listed */
    /* the entries are taken over: the list's array is freed empty */
    if (l.n) {
        size_t first = t->nsubs;

        t->subs = xrealloc(t->subs, (t->nsubs + l.n) * sizeof(*t->subs));
        t->sattrs = xrealloc(t->sattrs, (t->nsubs + l.n) * sizeof(*t->sattrs));
        memcpy(t->subs + t->nsubs, l.subs, l.n * sizeof(*l.subs));
        memset(t->sattrs + t->nsubs, 0, l.n * sizeof(*t->sattrs));
        t->nsubs += l.n;
        l.n = 0;
        for (size_t si = first; si < t->nsubs; si++)
            ask_sub_attrs(run, st, ti, si);
    }
    if (l.next_token)
        list_subscriptions(run, st, ti, l.next_token);
    sns_subscription_list_free(&l);
}

/* A subscription deleted meanwhile is no failure: it only has no attributes to show. */
static void on_sub_attrs(struct source_run *run, struct topics_state *st, size_t ri,
                         const struct aws_response *resp, const struct aws_error *err)
{
    struct sub_attrs *sa = &st->t[st->refs[ri].ti].sattrs[st->refs[ri].si];
    struct aws_error perr;

    if (err) {
        if (sources_gone(err))
            source_gone(run);
        sa->failed = true;
        return;
    }
    aws_error_clear(&perr);
    if (sns_get_subscription_attributes_parse(resp, &sa->a, &perr) < 0) {
        source_error(run, &perr);
        sa->failed = true;
        return;
    }
    sa->have = true;
}

static void topics_answer(struct source_run *run, void *state, unsigned tag, size_t index,
                          const struct aws_response *resp, const struct aws_error *err)
{
    struct topics_state *st = state;
    struct aws_error perr;

    if (tag == R_LIST) {
        on_list(run, st, resp, err);
        return;
    }
    if (tag == R_METRICS) {
        metrics_answer(run, &st->metrics, index, resp, err);
        return;
    }
    if (tag == R_SUBATTRS) {
        on_sub_attrs(run, st, index, resp, err);
        return;
    }
    if (err && sources_gone(err)) {
        st->t[index].gone = true;
        source_gone(run);
        return;
    }
    if (err) {
        sources_error_keep(&st->t[index].err, err);
        return;
    }
    if (tag == R_SUBS) {
        on_subs(run, st, index, resp);
        return;
    }
    aws_error_clear(&perr);
    if (sns_get_topic_attributes_parse(resp, &st->t[index].attrs, &perr) < 0) {
        source_error(run, &perr);
        sources_error_keep(&st->t[index].err, &perr);
    } else {
        st->t[index].have_attrs = true;
    }
}

static cJSON *json_str_or_null(const char *v)
{
    return v ? cJSON_CreateString(v) : cJSON_CreateNull();
}

/* The subscriptions as a JSON array's text, with what GetSubscriptionAttributes said of
 * each confirmed one (null where it was not read); *pending counts those awaiting
 * confirmation, *no_dlq the confirmed ones without a redrive policy (-1 when some
 * subscription's attributes could not be read: unknown, not zero). */
static char *subscriptions_json(const struct topic *t, int64_t *pending, int64_t *no_dlq)
{
    cJSON *arr = cJSON_CreateArray();
    char *text;
    bool unknown = false;

    *pending = 0;
    *no_dlq = 0;
    for (size_t i = 0; i < t->nsubs; i++) {
        const struct sns_subscription *sub = &t->subs[i];
        const struct sub_attrs *sa = &t->sattrs[i];
        cJSON *o = cJSON_CreateObject();

        cJSON_AddStringToObject(o, "arn", sub->arn ? sub->arn : "");
        cJSON_AddBoolToObject(o, "pending", sub->pending);
        cJSON_AddItemToObject(o, "protocol", json_str_or_null(sub->protocol));
        cJSON_AddItemToObject(o, "endpoint", json_str_or_null(sub->endpoint));
        cJSON_AddItemToObject(o, "owner", json_str_or_null(sub->owner));
        if (sa->have) {
            cJSON_AddBoolToObject(o, "raw_delivery", sa->a.raw_delivery);
            cJSON_AddItemToObject(o, "filter_policy", json_str_or_null(sa->a.filter_policy));
            cJSON_AddItemToObject(o, "filter_policy_scope",
                                  json_str_or_null(sa->a.filter_policy_scope));
            cJSON_AddItemToObject(o, "dlq_arn", json_str_or_null(sa->a.redrive_dlq_arn));
            *no_dlq += !sa->a.has_redrive;
        } else {
            cJSON_AddNullToObject(o, "raw_delivery");
            cJSON_AddNullToObject(o, "filter_policy");
            cJSON_AddNullToObject(o, "filter_policy_scope");
            cJSON_AddNullToObject(o, "dlq_arn");
            if (!sub->pending)
                unknown = true;
        }
        cJSON_AddItemToArray(arr, o);
        *pending += sub->pending;
    }
    if (unknown)
        *no_dlq = -1;
    text = cJSON_PrintUnformatted(arr);
    cJSON_Delete(arr);
    return text;
}

/* Delivery-status logging of one protocol as the topic's attributes set it: the roles SNS
 * writes failures and successes with, and the percentage of successes logged (null: unset). */
static cJSON *feedback_json(const struct sns_feedback *f)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddItemToObject(o, "failure_role", json_str_or_null(f->failure_role));
    cJSON_AddItemToObject(o, "success_role", json_str_or_null(f->success_role));
    if (f->sample_rate >= 0)
        cJSON_AddNumberToObject(o, "sample_rate", (double)f->sample_rate);
    else
        cJSON_AddNullToObject(o, "sample_rate");
    return o;
}

/* Subscriptions by protocol ({"sqs": 2, "email": 1}), the delivery-status logging prefixes
 * (["SQS", "HTTP"]) of the protocols it has subscribers on whose failures are not logged, and
 * for each of those protocols its logging ({"SQS": {"failure_role": …, "success_role": …,
 * "sample_rate": 10}}). */
static void protocols_write(struct store_res *r, const struct topic *t)
{
    cJSON *by = cJSON_CreateObject(), *off = cJSON_CreateArray(), *log = cJSON_CreateObject();
    unsigned used = 0;
    char *text;

    for (size_t i = 0; i < t->nsubs; i++) {
        const char *p = t->subs[i].protocol ? t->subs[i].protocol : "?";
        cJSON *n = cJSON_GetObjectItemCaseSensitive(by, p);
        int proto = sns_protocol_of(p);

        if (n)
            cJSON_SetNumberValue(n, n->valuedouble + 1);
        else
            cJSON_AddNumberToObject(by, p, 1);
        if (proto >= 0)
            used |= 1u << proto;
    }
    for (int p = 0; p < SNS_PROTO_COUNT; p++) {
        if (!(used & (1u << p)))
            continue;
        if (!t->attrs.feedback[p].failure_role)
            cJSON_AddItemToArray(off, cJSON_CreateString(sns_protocol_prefix(p)));
        cJSON_AddItemToObject(log, sns_protocol_prefix(p), feedback_json(&t->attrs.feedback[p]));
    }
    text = cJSON_PrintUnformatted(by);
    store_set_str(r, "protocols", text);
    free(text);
    text = cJSON_PrintUnformatted(off);
    store_set_str(r, "logging_off", text);
    free(text);
    text = cJSON_PrintUnformatted(log);
    store_set_str(r, "logging", text);
    free(text);
    cJSON_Delete(by);
    cJSON_Delete(off);
    cJSON_Delete(log);
}

static void write_topic(struct store *s, const struct topics_state *st, size_t ti)
{
    const struct topic *t = &st->t[ti];
    const struct sns_topic_attrs *a = &t->attrs;
    struct store_res *r = store_update_begin(s, "topic", t->arn);
    char *name = sns_topic_name_from_arn(t->arn);
    int64_t pending, no_dlq;
    char *subs = subscriptions_json(t, &pending, &no_dlq);

    store_set_str(r, "name", name);
    store_set(r, "display_name", store_value_str(a->display_name));
    store_set_int(r, "fifo", a->fifo);
    store_set_int(r, "content_dedup", a->content_based_dedup);
    sources_set_count(r, "subscriptions_confirmed", a->subs_confirmed);
    sources_set_count(r, "subscriptions_pending", a->subs_pending);
    store_set_int(r, "failure_logging", a->failure_feedback != 0);
    store_set_int(r, "pending_in_list", pending);
    sources_set_count(r, "no_dlq", no_dlq);
    store_set_str(r, "kms_key", a->kms_master_key_id ? a->kms_master_key_id : "");
    store_set_str(r, "subscriptions", subs);
    protocols_write(r, t);
    for (int k = 0; k < M_COUNT; k++)
        metrics_set(r, metric_fields[k], &st->metrics, (size_t)k * st->n + ti);
    store_update_commit(r);
    free(subs);
    free(name);
}

static void topics_commit(struct source_run *run, void *state)
{
    struct topics_state *st = state;
    struct store *s = source_store(run);

    if (st->list_err) {
        store_list_fail(s, "topic", st->list_err);
        return;
    }
    store_list_begin(s, "topic");
    for (size_t i = 0; i < st->n; i++) {
        const struct topic *t = &st->t[i];

        if (t->gone)
            continue;
        if (t->err) {
            store_update_begin(s, "topic", t->arn);
            store_fail(s, "topic", t->arn, t->err);
        } else if (t->have_attrs) {
            write_topic(s, st, i);
        }
    }
    store_list_end(s, "topic");
}

static void topics_done(void *state)
{
    struct topics_state *st = state;

    for (size_t i = 0; i < st->n; i++) {
        struct sns_subscription_list l = {.subs = st->t[i].subs, .n = st->t[i].nsubs};

        free(st->t[i].arn);
        free(st->t[i].err);
        aws_pager_done(&st->t[i].subs_pager);
        sns_topic_attrs_free(&st->t[i].attrs);
        for (size_t k = 0; k < st->t[i].nsubs; k++)
            sns_subscription_attrs_free(&st->t[i].sattrs[k].a);
        free(st->t[i].sattrs);
        sns_subscription_list_free(&l);
    }
    free(st->t);
    free(st->refs);
    free(st->list_err);
    aws_pager_done(&st->pager);
    metrics_done(&st->metrics);
}

static const char *const topics_kinds[] = {"topic", NULL};

const struct source topics_source = {
    .name = "topics",
    .kinds = topics_kinds,
    .views = SOURCE_VIEW(APPCONFIG_VIEW_SNS) | SOURCE_VIEW(APPCONFIG_VIEW_OVERVIEW),
    .state_size = sizeof(struct topics_state),
    .start = topics_start,
    .answer = topics_answer,
    .commit = topics_commit,
    .done = topics_done,
};
