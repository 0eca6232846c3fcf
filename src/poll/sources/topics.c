/* topics.c - SNS topics: ListTopics (paged), then GetTopicAttributes and
 * ListSubscriptionsByTopic (paged) for each topic as its page arrives and, once the list is
 * complete, each topic's failed deliveries from CloudWatch (NumberOfNotificationsFailed, Sum
 * over the last 15 minutes); written as the "topic" kind once every answer is in. No view
 * shows them yet: `opsdeck snapshot` reads them. */
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

#define FAILED_PERIOD 300   /* summed over the window: the period only sets how many points */

enum { R_LIST, R_ATTRS, R_SUBS, R_FAILED };

struct topic {
    char *arn;
    struct sns_topic_attrs attrs;
    bool have_attrs;
    bool gone;                     /* deleted between ListTopics and its describe calls */
    struct sns_subscription *subs;
    size_t nsubs;
    struct aws_pager subs_pager;
    struct aws_error *err;
};

struct topics_state {
    struct topic *t;
    size_t n, cap;
    struct aws_pager pager;        /* ListTopics' pages */
    struct aws_error *list_err;
    struct metrics_cycle failed;   /* query i: t[i]'s failed deliveries */
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

/* The whole list is in: every topic's failed deliveries, while the describes are coming. */
static void ask_failures(struct source_run *run, struct topics_state *st)
{
    metrics_init(&st->failed, st->n, true);
    for (size_t i = 0; i < st->n; i++) {
        char *name = sns_topic_name_from_arn(st->t[i].arn);

        cw_query_set_add_sns_failed(st->failed.set, name, FAILED_PERIOD);
        free(name);
    }
    metrics_send(run, &st->failed, R_FAILED);
}

static void on_list(struct source_run *run, struct topics_state *st,
                    const struct aws_response *resp, const struct aws_error *err)
{
    struct sns_topic_list l = {0};
    struct aws_error perr;

    aws_error_clear(&perr);
    if (!err && (sns_list_topics_parse(resp, &l, &perr) < 0 ||
                 aws_pager_next(&st->pager, l.next_token, resp, &perr) < 0)) {
        err = &perr;
        source_error(run, err);
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
        ask_failures(run, st);
    sns_topic_list_free(&l);
}

static void on_subs(struct source_run *run, struct topics_state *st, size_t ti,
                    const struct aws_response *resp)
{
    struct topic *t = &st->t[ti];
    struct sns_subscription_list l = {0};
    struct aws_error perr;

    aws_error_clear(&perr);
    if (sns_list_subscriptions_by_topic_parse(resp, &l, &perr) < 0 ||
        aws_pager_next(&t->subs_pager, l.next_token, resp, &perr) < 0) {
        sns_subscription_list_free(&l);
        source_error(run, &perr);
        sources_error_keep(&t->err, &perr);
        return;
    }
    /* the entries are taken over: the list's array is freed empty */
    if (l.n) {
        t->subs = xrealloc(t->subs, (t->nsubs + l.n) * sizeof(*t->subs));
        memcpy(t->subs + t->nsubs, l.subs, l.n * sizeof(*l.subs));
        t->nsubs += l.n;
        l.n = 0;
    }
    if (l.next_token)
        list_subscriptions(run, st, ti, l.next_token);
    sns_subscription_list_free(&l);
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
    if (tag == R_FAILED) {
        metrics_answer(run, &st->failed, index, resp, err);
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

/* The subscriptions as a JSON array's text; *pending counts those awaiting confirmation. */
static char *subscriptions_json(const struct topic *t, int64_t *pending)
{
    cJSON *arr = cJSON_CreateArray();
    char *text;

    *pending = 0;
    for (size_t i = 0; i < t->nsubs; i++) {
        const struct sns_subscription *sub = &t->subs[i];
        cJSON *o = cJSON_CreateObject();

        cJSON_AddStringToObject(o, "arn", sub->arn ? sub->arn : "");
        cJSON_AddBoolToObject(o, "pending", sub->pending);
        cJSON_AddItemToObject(o, "protocol", json_str_or_null(sub->protocol));
        cJSON_AddItemToObject(o, "endpoint", json_str_or_null(sub->endpoint));
        cJSON_AddItemToObject(o, "owner", json_str_or_null(sub->owner));
        cJSON_AddItemToArray(arr, o);
        *pending += sub->pending;
    }
    text = cJSON_PrintUnformatted(arr);
    cJSON_Delete(arr);
    return text;
}

static void write_topic(struct store *s, const struct topics_state *st, size_t ti)
{
    const struct topic *t = &st->t[ti];
    const struct sns_topic_attrs *a = &t->attrs;
    struct store_res *r = store_update_begin(s, "topic", t->arn);
    char *name = sns_topic_name_from_arn(t->arn);
    int64_t pending;
    char *subs = subscriptions_json(t, &pending);

    store_set_str(r, "name", name);
    store_set(r, "display_name", store_value_str(a->display_name));
    store_set_int(r, "fifo", a->fifo);
    sources_set_count(r, "subscriptions_confirmed", a->subs_confirmed);
    sources_set_count(r, "subscriptions_pending", a->subs_pending);
    store_set_int(r, "failure_logging", a->failure_feedback != 0);
    store_set_int(r, "pending_in_list", pending);
    store_set_str(r, "subscriptions", subs);
    metrics_set(r, "failed_notifications", &st->failed, ti);
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
        sns_subscription_list_free(&l);
    }
    free(st->t);
    free(st->list_err);
    aws_pager_done(&st->pager);
    metrics_done(&st->failed);
}

static const char *const topics_kinds[] = {"topic", NULL};

const struct source topics_source = {
    .name = "topics",
    .kinds = topics_kinds,
    .state_size = sizeof(struct topics_state),
    .start = topics_start,
    .answer = topics_answer,
    .commit = topics_commit,
    .done = topics_done,
};
