/* queue_metrics.c - the age of each queue's oldest message, from CloudWatch
 * (ApproximateAgeOfOldestMessage, Maximum, 1-minute points: SQS publishes one a minute,
 * so the newest says how old the oldest message is now), on the "queue" and "dlq" rows. */
#include "config.h"

#include <stdlib.h>

#include "aws/sqs.h"
#include "poll/sources/metrics.h"
#include "poll/sources/sources.h"

#define PERIOD 60

static size_t add_age(struct cw_query_set *set, const char *url)
{
    char *name = sqs_queue_name_from_url(url);
    size_t qi = cw_query_set_add_sqs_age(set, name, PERIOD);

    free(name);
    return qi;
}

static void queue_metrics_start(struct source_run *run, void *state)
{
    metrics_start(run, state, "queue", add_age, false);
}

static void queue_metrics_answer(struct source_run *run, void *state, unsigned tag,
                                 size_t index, const struct aws_response *resp,
                                 const struct aws_error *err)
{
    (void)tag;
    metrics_answer(run, state, index, resp, err);
}

static const char *const queue_metrics_kinds[] = {"queue", "dlq", NULL};

static void queue_metrics_commit(struct source_run *run, void *state)
{
    metrics_write(source_store(run), state, queue_metrics_kinds, "age_oldest");
}

static void queue_metrics_done(void *state)
{
    metrics_done(state);
}

const struct source queue_metrics_source = {
    .name = "queue_metrics",
    .kinds = queue_metrics_kinds,
    .views = SOURCE_VIEW(APPCONFIG_VIEW_OVERVIEW) | SOURCE_VIEW(APPCONFIG_VIEW_SQS),
    .input = "queue",
    .state_size = sizeof(struct metrics_cycle),
    .start = queue_metrics_start,
    .answer = queue_metrics_answer,
    .commit = queue_metrics_commit,
    .done = queue_metrics_done,
};
