/* metrics.h - one CloudWatch number per listed resource, asked within the cycle that lists
 * them: the queues source asks each queue's age of oldest message, the topics source each
 * topic's failed deliveries, as soon as the list is complete and alongside the describe
 * calls (GetMetricData is the slowest call of a cycle: started after the describes it
 * would add its whole time to every cycle). CW_QUERIES_PER_CALL (100) queries a call, the
 * calls in parallel; answers may be paged, and one query's points split over pages. */
#ifndef OPSDECK_SOURCES_METRICS_H
#define OPSDECK_SOURCES_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aws/cloudwatch.h"
#include "core/pager.h"
#include "poll/source.h"
#include "poll/store.h"

struct metrics_cycle {
    struct cw_query_set *set;
    size_t n;             /* queries: query i is the source's resource i */
    bool *have;           /* CloudWatch answered for it (with points or without) */
    bool *points;         /* it had at least one point */
    double *value;        /* the newest point, or the sum of them */
    int64_t *ts;          /* the newest point's time */
    struct aws_pager *pagers;   /* per batch */
    bool sum;
    bool *failed;         /* by batch: a call of it failed, its numbers are incomplete */
    bool sent;
    unsigned tag;         /* the source's tag for these calls */
    int window_s;         /* the window's length before source_wall_s(); 0: the default,
                           * SOURCES_CW_WINDOW_SECONDS (set after metrics_init) */
};

/* Room for n queries; the caller then adds them in order with cw_query_set_add_*(c->set),
 * query i for its resource i. sum: a query's points are added up (a Sum over the window);
 * else the newest point is kept. */
void metrics_init(struct metrics_cycle *c, size_t n, bool sum);
/* Sends the queries (tag comes back to the answer hook, the batch as its index), over the
 * window_s (else SOURCES_CW_WINDOW_SECONDS) before source_wall_s(). Nothing when there are none. */
void metrics_send(struct source_run *run, struct metrics_cycle *c, unsigned tag);
/* One GetMetricData answer for batch; follows NextToken. */
void metrics_answer(struct source_run *run, struct metrics_cycle *c, size_t batch,
                    const struct aws_response *resp, const struct aws_error *err);
/* Query i's number: 1 with *value, 0 when CloudWatch has none (unknown), -1 when it was
 * not asked or its call failed (the row keeps what it had). */
int metrics_get(const struct metrics_cycle *c, size_t i, double *value);
/* Writes metrics_get's answer for query i as field on row r: the number, or unknown;
 * nothing at all for -1. */
void metrics_set(struct store_res *r, const char *field, const struct metrics_cycle *c,
                 size_t i);
/* As metrics_set, the newest point's time (epoch seconds) instead of its value: what a
 * view needs to say how old a number that CloudWatch publishes minutes late is. Only for a
 * cycle that keeps the newest point (sum false). */
void metrics_set_time(struct store_res *r, const char *field, const struct metrics_cycle *c,
                      size_t i);
void metrics_done(struct metrics_cycle *c);

#endif
