/* dlq_consumers.c - whether the queues feeding the open DLQ are being consumed: CloudWatch
 * NumberOfMessagesReceived and NumberOfMessagesDeleted (Sum, one-minute points over the
 * last 15 minutes) for each source queue of the DLQ whose detail pane is open, in one
 * batched GetMetricData, written on those queues' "queue" rows. A consumer that receives
 * without deleting is failing (its messages come back until they land in the DLQ); a
 * queue with messages and no receives has no consumer at all. Only while the pane is open:
 * the metrics are billed per query, and the list of every queue does not need them. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "aws/cloudwatch.h"
#include "aws/sqs.h"
#include "poll/sources/common.h"
#include "poll/sources/metrics.h"
#include "poll/sources/sources.h"
#include "util/xalloc.h"

/* CloudWatch publishes these every minute: asked more often, the answer is the same. */
#define CONSUMERS_INTERVAL_MS 60000
#define CONSUMERS_PERIOD 60

struct consumers_state {
    char **urls;            /* the source queues, as the dlq row lists them */
    size_t n;
    struct metrics_cycle received, deleted;
};

/* The dlq row's "sources" (a JSON array of URLs): untrusted text, non-strings skipped. */
static void read_sources(struct consumers_state *st, const struct store *s, const char *dlq)
{
    const struct store_res *r = dlq ? store_find(s, "dlq", dlq) : NULL;
    const char *text = r ? store_res_str(r, "sources") : NULL;
    cJSON *arr = text ? cJSON_Parse(text) : NULL;
    const cJSON *it;

    if (!cJSON_IsArray(arr)) {
        cJSON_Delete(arr);
        return;
    }
    st->urls = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*st->urls));
    cJSON_ArrayForEach(it, arr)
        if (cJSON_IsString(it) && it->valuestring)
            st->urls[st->n++] = xstrdup(it->valuestring);
    cJSON_Delete(arr);
}

static void consumers_start(struct source_run *run, void *state)
{
    struct consumers_state *st = state;

    read_sources(st, source_store(run), source_detail(run));
    metrics_init(&st->received, st->n, true);
    metrics_init(&st->deleted, st->n, true);
    if (!st->n)
        return;
    for (size_t i = 0; i < st->n; i++) {
        char *name = sqs_queue_name_from_url(st->urls[i]);
        struct cw_dimension d = {"QueueName", name ? name : ""};

        cw_query_set_add(st->received.set, "AWS/SQS", "NumberOfMessagesReceived", &d, 1,
                         CONSUMERS_PERIOD, "Sum");
        cw_query_set_add(st->deleted.set, "AWS/SQS", "NumberOfMessagesDeleted", &d, 1,
                         CONSUMERS_PERIOD, "Sum");
        free(name);
    }
    metrics_send(run, &st->received, 0);
    metrics_send(run, &st->deleted, 1);
}

static void consumers_answer(struct source_run *run, void *state, unsigned tag, size_t index,
                             const struct aws_response *resp, const struct aws_error *err)
{
    struct consumers_state *st = state;

    metrics_answer(run, tag ? &st->deleted : &st->received, index, resp, err);
}

static void consumers_commit(struct source_run *run, void *state)
{
    struct consumers_state *st = state;
    struct store *s = source_store(run);

    for (size_t i = 0; i < st->n; i++) {
        struct store_res *r;

        /* a source the queue list has not brought (or has dropped) gets no row from here */
        if (!store_find(s, "queue", st->urls[i]))
            continue;
        r = store_update_begin(s, "queue", st->urls[i]);
        metrics_set(r, "received_15m", &st->received, i);
        metrics_set(r, "deleted_15m", &st->deleted, i);
        store_update_commit(r);
    }
}

static void consumers_done(void *state)
{
    struct consumers_state *st = state;

    sources_strv_free(st->urls, st->n);
    metrics_done(&st->received);
    metrics_done(&st->deleted);
}

static const char *const consumers_kinds[] = {"queue", NULL};

const struct source dlq_consumers_source = {
    .name = "dlq_consumers",
    .kinds = consumers_kinds,
    .views = SOURCE_VIEW(APPCONFIG_VIEW_DLQ),
    .interval_ms = CONSUMERS_INTERVAL_MS,
    .detail = true,
    .state_size = sizeof(struct consumers_state),
    .start = consumers_start,
    .answer = consumers_answer,
    .commit = consumers_commit,
    .done = consumers_done,
};
