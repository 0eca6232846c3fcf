/* mappings.c - Lambda ListEventSourceMappings (paged), as the "mapping" kind: the SQS
 * triggers of Lambda functions, the switches that start and stop a queue's consumer. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "aws/lambda.h"
#include "core/pager.h"
#include "poll/sources/common.h"
#include "poll/sources/sources.h"
#include "poll/sources/togglestate.h"
#include "util/xalloc.h"

struct mappings_state {
    struct lambda_esm *m;    /* the SQS ones, taken from the pages */
    size_t n;
    struct aws_pager pager;
    struct aws_error *err;
};

static void list_page(struct source_run *run, const char *marker)
{
    struct aws_request r;
    struct lambda_esm_list_params lp = {.max_items = 100, .marker = marker};

    lambda_list_event_source_mappings_request(&r, &lp);
    source_send(run, &r, 0, 0);
}

static void mappings_start(struct source_run *run, void *state)
{
    (void)state;
    list_page(run, NULL);
}

static void mappings_answer(struct source_run *run, void *state, unsigned tag, size_t index,
                            const struct aws_response *resp, const struct aws_error *err)
{
    struct mappings_state *st = state;
    struct lambda_esm_list l = {0};
    struct aws_error perr;

    (void)tag;
    (void)index;
    aws_error_clear(&perr);
    if (!err && (lambda_list_event_source_mappings_parse(resp, &l, &perr) < 0 ||
                 aws_pager_next(&st->pager, l.next_marker, resp, &perr) < 0)) {
        err = &perr;
        source_error(run, err);
    }
    if (err) {
        lambda_esm_list_free(&l);
        sources_error_keep(&st->err, err);
        source_backoff(run);
        return;
    }
    st->m = xrealloc(st->m, (st->n + l.n + 1) * sizeof(*st->m));
    for (size_t i = 0; i < l.n; i++) {
        /* only queues' triggers: Kinesis, DynamoDB and Kafka mappings are not ours */
        if (l.mappings[i].event_source_arn && strstr(l.mappings[i].event_source_arn, ":sqs:")) {
            st->m[st->n++] = l.mappings[i];
            memset(&l.mappings[i], 0, sizeof(l.mappings[i]));
        }
    }
    if (l.next_marker)
        list_page(run, l.next_marker);
    lambda_esm_list_free(&l);
}

static void mappings_commit(struct source_run *run, void *state)
{
    struct mappings_state *st = state;
    struct store *s = source_store(run);

    if (st->err) {
        store_list_fail(s, "mapping", st->err);
        return;
    }
    store_list_begin(s, "mapping");
    for (size_t i = 0; i < st->n; i++) {
        const struct lambda_esm *m = &st->m[i];
        struct store_res *r = store_update_begin(s, "mapping", m->uuid);
        char fn[256], q[256], name[520];

        togglestate_arn_name(m->function_arn, fn, sizeof(fn));
        togglestate_arn_name(m->event_source_arn, q, sizeof(q));
        snprintf(name, sizeof(name), "%s:%s", fn, q);
        store_set_str(r, "name", name);
        store_set_str(r, "function", fn);
        store_set_str(r, "function_arn", m->function_arn);
        store_set_str(r, "queue", q);
        store_set_str(r, "queue_arn", m->event_source_arn);
        store_set_str(r, "aws_state", m->state);
        store_set_str(r, "state", togglestate_mapping(m->state));
        store_set(r, "state_reason", store_value_str(m->state_reason));
        store_set(r, "last_result", store_value_str(m->last_processing_result));
        sources_set_count(r, "batch_size", m->batch_size);
        sources_set_count(r, "max_concurrency", m->max_concurrency);
        sources_set_count(r, "last_modified", m->last_modified);
        store_update_commit(r);
    }
    store_list_end(s, "mapping");
}

static void mappings_done(void *state)
{
    struct mappings_state *st = state;

    for (size_t i = 0; i < st->n; i++)
        lambda_esm_free(&st->m[i]);
    free(st->m);
    aws_pager_done(&st->pager);
    free(st->err);
}

static const char *const mappings_kinds[] = {"mapping", NULL};

const struct source mappings_source = {
    .name = "mappings",
    .kinds = mappings_kinds,
    /* the sqs view marks a queue whose consumer is paused */
    .views = SOURCE_VIEW(APPCONFIG_VIEW_OVERVIEW) | SOURCE_VIEW(APPCONFIG_VIEW_TOGGLES) |
             SOURCE_VIEW(APPCONFIG_VIEW_SQS),
    .state_size = sizeof(struct mappings_state),
    .start = mappings_start,
    .answer = mappings_answer,
    .commit = mappings_commit,
    .done = mappings_done,
};
