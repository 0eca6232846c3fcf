/* topic_metrics.c - failed deliveries per topic, from CloudWatch
 * (NumberOfNotificationsFailed, Sum over the last 15 minutes), on the "topic" rows. */
#include "config.h"

#include <stdlib.h>

#include "aws/sns.h"
#include "poll/sources/metrics.h"
#include "poll/sources/sources.h"

#define PERIOD 300   /* summed over the window: the period only sets how many points */

static size_t add_failed(struct cw_query_set *set, const char *arn)
{
    char *name = sns_topic_name_from_arn(arn);
    size_t qi = cw_query_set_add_sns_failed(set, name, PERIOD);

    free(name);
    return qi;
}

static void topic_metrics_start(struct source_run *run, void *state)
{
    metrics_start(run, state, "topic", add_failed, true);
}

static void topic_metrics_answer(struct source_run *run, void *state, unsigned tag,
                                 size_t index, const struct aws_response *resp,
                                 const struct aws_error *err)
{
    (void)tag;
    metrics_answer(run, state, index, resp, err);
}

static const char *const topic_metrics_kinds[] = {"topic", NULL};

static void topic_metrics_commit(struct source_run *run, void *state)
{
    metrics_write(source_store(run), state, topic_metrics_kinds, "failed_notifications");
}

static void topic_metrics_done(void *state)
{
    metrics_done(state);
}

const struct source topic_metrics_source = {
    .name = "topic_metrics",
    .kinds = topic_metrics_kinds,
    .input = "topic",
    .state_size = sizeof(struct metrics_cycle),
    .start = topic_metrics_start,
    .answer = topic_metrics_answer,
    .commit = topic_metrics_commit,
    .done = topic_metrics_done,
};
