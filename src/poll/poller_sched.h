/* poller_sched.h - when each poll source is due: pure timing, no client, no store.
 *
 * Split from poller.c so the rules (per-view intervals, the hidden factor, intervals of
 * their own, no overlap, backoff, refresh, the snapshot's run-once) are tested with a
 * fake clock and fake sources. Times are ms on the caller's monotonic clock.
 *
 * A source's next start is anchor + interval x backoff, where anchor is the start of its
 * last cycle (fixed rate, so a slow cycle does not push every later one back). A source
 * that never ran, or is forced (`r`, a new detail key, new rows in its input), is due at
 * once. A cycle still running when its next start comes is not doubled: that start is
 * skipped and the source is next due a whole interval later. A source whose input was
 * never read is not ready: it waits, due, and starts once it is. */
#ifndef OPSDECK_POLLER_SCHED_H
#define OPSDECK_POLLER_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/appconfig.h"
#include "poll/source.h"

/* Data the view on screen does not show is still polled, this many times more slowly (the
 * overview and the header need everything now and then; switching views finds it warm). */
#define POLLER_HIDDEN_FACTOR 6
/* Backoff after a failed cycle (a failed list, throttling): the interval is doubled per
 * failure in a row, up to this factor; back to normal after a success. */
#define POLLER_BACKOFF_MAX 8

struct poller_timer {
    bool ran;              /* started at least once */
    bool running;
    bool forced;           /* due now (refresh, a new detail key, new input rows) */
    bool ready;            /* its input exists (set by the poller before asking) */
    int64_t anchor;        /* start of the last cycle, moved on by skipped starts */
    unsigned failures;     /* cycles failed in a row */
    unsigned long skipped; /* starts skipped because the cycle was still running */
    unsigned long started;
    uint64_t input_rows;   /* its input kind's rows_generation when it last started */
};

struct poller_sched {
    const struct appconfig *cfg;
    const struct source *const *src;
    size_t n;
    struct poller_timer *t;   /* one per source, in src order */
    enum appconfig_view view;
    bool detail;              /* a detail key is set */
    bool once;                /* the snapshot: every source (but detail ones) once, now */
};

/* sources: NULL-terminated, borrowed. Every source starts ready. */
void poller_sched_init(struct poller_sched *s, const struct appconfig *cfg,
                       const struct source *const *sources, bool once);
void poller_sched_done(struct poller_sched *s);
/* The index of the source named name, or s->n. */
size_t poller_sched_find(const struct poller_sched *s, const char *name);

void poller_sched_set_view(struct poller_sched *s, enum appconfig_view view);
/* `r`: what the view shows, and whatever is failing, is due now. */
void poller_sched_refresh(struct poller_sched *s);

/* Polled at all now: not a detail source without a pane open in one of its views; in the
 * console, not a snapshot-only source. */
bool poller_sched_active(const struct poller_sched *s, size_t i);
/* The view on screen shows it (its interval is the view's). */
bool poller_sched_visible(const struct poller_sched *s, size_t i);
/* Its interval before backoff, ms. */
int64_t poller_sched_interval(const struct poller_sched *s, size_t i);
/* Its interval with backoff: x 2^failures, at most x POLLER_BACKOFF_MAX. */
int64_t poller_sched_effective(const struct poller_sched *s, size_t i);
/* When it is next due: INT64_MIN for now (never ran, or forced), INT64_MAX never (the
 * snapshot's sources after their one run). */
int64_t poller_sched_due(const struct poller_sched *s, size_t i);

/* Should source i start at now? Skips (and counts) a start that falls while it is still
 * running; false while it is not ready (it stays due). */
bool poller_sched_should_start(struct poller_sched *s, size_t i, int64_t now);
void poller_sched_start(struct poller_sched *s, size_t i, int64_t now);
/* The cycle ended; failed counts towards backoff, a success resets it. */
void poller_sched_finish(struct poller_sched *s, size_t i, bool failed);
/* Active, ready and due now, or running: data is on its way from i. */
bool poller_sched_pending(const struct poller_sched *s, size_t i);
/* ms from now until the next active, ready source that is not running is due (0 if one
 * is due now); max_ms when nothing is waiting. Sources that are not ready are left out:
 * they wait for another source's cycle, whose end wakes the loop anyway. */
int poller_sched_delay(const struct poller_sched *s, int64_t now, int max_ms);

#endif
