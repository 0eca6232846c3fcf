/* metrics.h - one CloudWatch number for every row of a kind: what the queue_metrics and
 * topic_metrics sources share. GetMetricData takes 500 queries a call; the answers may be
 * paged, and one query's points split over pages. */
#ifndef OPSDECK_SOURCES_METRICS_H
#define OPSDECK_SOURCES_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aws/cloudwatch.h"
#include "core/pager.h"
#include "poll/source.h"

struct metrics_cycle {
    struct cw_query_set *set;
    char **keys;          /* the store key of each query, by query index */
    size_t n;
    bool *have;           /* CloudWatch answered for it (with points or without) */
    bool *points;         /* it had at least one point */
    double *value;        /* the newest point, or the sum of them */
    int64_t *ts;          /* the newest point's time */
    struct aws_pager *pagers;   /* per batch */
    bool sum;
    bool *failed;         /* by batch: a call of it failed, its numbers are incomplete */
    int64_t start, end;   /* the window, epoch seconds */
};

/* Builds one query per row of kind (add: its query for the row's key, returning the
 * query's index) over the SOURCES_CW_WINDOW_SECONDS before source_wall_s(), and sends them.
 * sum: add a query's points up (a Sum over the window); else keep the newest point. Sends
 * nothing when the kind has no rows. */
void metrics_start(struct source_run *run, struct metrics_cycle *c, const char *kind,
                   size_t (*add)(struct cw_query_set *set, const char *key), bool sum);
/* One GetMetricData answer (tag 0, index = the batch); follows NextToken. */
void metrics_answer(struct source_run *run, struct metrics_cycle *c, size_t batch,
                    const struct aws_response *resp, const struct aws_error *err);
/* Writes field on each row of each kind in kinds (NULL-terminated) that is still listed and
 * not stale (a metric must not make a row whose own poll is failing look fresh): the
 * number, or unknown when CloudWatch has none. Rows whose batch had a call fail keep what
 * they had. */
void metrics_write(struct store *s, const struct metrics_cycle *c, const char *const *kinds,
                   const char *field);
void metrics_done(struct metrics_cycle *c);

#endif
