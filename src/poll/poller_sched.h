/* poller_sched.h - when each poll group of the poller is due: pure timing, no client.
 *
 * Split from poller.c so the rules (per-view intervals, the hidden factor, no overlap,
 * backoff, refresh) are tested with a fake clock and nothing on the network. Times are ms
 * on the caller's monotonic clock.
 *
 * A group's next start is anchor + interval x backoff, where anchor is the start of its
 * last cycle (fixed rate, so a slow cycle does not push every later one back). A group that
 * never ran is due at once. A cycle still running when its next start comes is not doubled:
 * that start is skipped and the group is next due a whole interval later. */
#ifndef OPSDECK_POLLER_SCHED_H
#define OPSDECK_POLLER_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "conf/appconfig.h"

enum poller_group {
    POLLER_G_IDENTITY,     /* GetCallerIdentity: at start, then every 5 minutes; while it
                            * fails, at the view's interval with backoff */
    POLLER_G_QUEUES,       /* ListQueues + GetQueueAttributes: the "queue" and "dlq" lists */
    POLLER_G_METRICS,      /* GetMetricData: age of oldest message for the listed queues */
    POLLER_G_DLQ_SOURCES,  /* ListDeadLetterSourceQueues for each DLQ */
    POLLER_G_DETAIL,       /* the detail pane's queue: attributes and tags */
    POLLER_G_COUNT
};

#define POLLER_IDENTITY_INTERVAL_MS (5 * 60 * 1000)

struct poller_timer {
    bool ran;              /* started at least once */
    bool running;
    bool forced;           /* due now (refresh, a new detail queue, new DLQs) */
    int64_t anchor;        /* start of the last cycle, moved on by skipped starts */
    unsigned failures;     /* cycles failed in a row */
    unsigned long skipped; /* starts skipped because the cycle was still running */
    unsigned long started;
};

struct poller_sched {
    const struct appconfig *cfg;
    enum appconfig_view view;
    bool detail;           /* a detail queue is set: the detail group exists */
    struct poller_timer t[POLLER_G_COUNT];
};

void poller_sched_init(struct poller_sched *s, const struct appconfig *cfg);
void poller_sched_set_view(struct poller_sched *s, enum appconfig_view view);
/* The view's groups (and identity when it never succeeded) are due now. */
void poller_sched_refresh(struct poller_sched *s);

/* Whether g is fast for the current view (polled at the view's interval). */
bool poller_sched_visible(const struct poller_sched *s, enum poller_group g);
/* g's interval before backoff, ms. */
int64_t poller_sched_interval(const struct poller_sched *s, enum poller_group g);
/* g's interval with backoff: x 2^failures, at most x POLLER_BACKOFF_MAX. */
int64_t poller_sched_effective(const struct poller_sched *s, enum poller_group g);
/* When g is next due (INT64_MIN: now, it never ran or is forced). */
int64_t poller_sched_due(const struct poller_sched *s, enum poller_group g);

/* Should g start at now? Skips (and counts) a start that falls while g is still running.
 * ready: the group's inputs exist (metrics need a queue list); a group that is not ready
 * stays due and starts once it is. */
bool poller_sched_should_start(struct poller_sched *s, enum poller_group g, int64_t now,
                               bool ready);
void poller_sched_start(struct poller_sched *s, enum poller_group g, int64_t now);
/* The cycle ended; failed counts towards backoff, a success resets it. */
void poller_sched_finish(struct poller_sched *s, enum poller_group g, bool failed);
/* ms from now until the next group that is not running is due (0 if one is due now);
 * max_ms when nothing is waiting. Groups in not_ready (bit 1 << group) are left out: they
 * wait for another group's cycle, whose end wakes the loop anyway. */
int poller_sched_delay(const struct poller_sched *s, int64_t now, int max_ms,
                       unsigned not_ready);

const char *poller_group_name(enum poller_group g);

/* The poller's schedule, read-only, for tests and diagnostics (defined in poller.c). */
struct poller;
const struct poller_sched *poller_sched_of(const struct poller *p);

#endif
