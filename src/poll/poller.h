/* poller.h - the console's scheduler of poll sources, and the snapshot's.
 *
 * Runs the sources of src/poll/sources/ (source.h) on their timers: each cycle's requests
 * go through aws_client_send and their answers arrive in callbacks from aws_client_run,
 * the loop's one wait point, so nothing here blocks. The loop asks poller_tick() what is
 * due and how long it may sleep. It knows no AWS action: the sources do.
 *
 * Besides what the sources write, the poller keeps one "error" row per call (key
 * "<Service> <Action>", as "SQS ListQueues"): that call's latest failure in one line
 * (aws_error_describe: cause, profile, endpoint, fix) and how many cycles in a row it
 * failed, rewritten with count 0 once the call works again (schema in sources/sources.h).
 *
 * The UI uses it through its feed (poller_feed(), feed.h) and never calls poller_* itself;
 * `opsdeck snapshot` and the tests call it directly. */
#ifndef OPSDECK_POLLER_H
#define OPSDECK_POLLER_H

#include <stdbool.h>
#include <stdint.h>

#include "conf/appconfig.h"
#include "core/client.h"
#include "poll/feed.h"
#include "poll/poller_sched.h"
#include "poll/source.h"
#include "poll/store.h"

struct poller_opts {
    struct aws_client *client;      /* sends everything; its max_in_flight caps all sources */
    struct store *store;            /* what the sources write */
    const struct appconfig *app;    /* [intervals]; NULL: the defaults */
    struct creds_manager *creds;    /* read by the credentials source; NULL: none */
    const char *profile;            /* named in the "error" rows; NULL: "default" */
    /* what to run, NULL-terminated: source_registry (sources/sources.h) for the console
     * and the snapshot, fewer or fake ones for tests */
    const struct source *const *sources;
    /* The snapshot: every source but the detail ones once, each as soon as its input is
     * read, then nothing more; no views, no timers. */
    bool once;
    int64_t wall_s;                 /* once: where CloudWatch windows end (0: now) */
};

struct poller;

/* Everything in opts is borrowed and must outlive the poller. Nothing is sent until the
 * first poller_tick. */
struct poller *poller_new(const struct poller_opts *opts);
/* Cancels nothing itself: free the client first (it cancels without callbacks), or free
 * the poller only when aws_client_pending() is 0. */
void poller_free(struct poller *p);
/* The poller as a feed; feed_free() on it frees the poller. */
struct feed *poller_feed(struct poller *p);
extern const struct feed_ops poller_feed_ops;   /* poller_feed.c */

/* Starts whatever is due at now_ms (a monotonic clock, ms). Returns the ms until the next
 * thing is due (>= 0), for the loop's timeout. */
int poller_tick(struct poller *p, int64_t now_ms);
/* Data is on its way: a cycle is under way, or a source is due at once and able to start
 * (never ran, `r`, its input just changed). */
bool poller_busy(const struct poller *p);
/* Completed rounds: from busy back to idle after sending something. */
unsigned long poller_rounds(const struct poller *p);

void poller_set_profile(struct poller *p, const char *profile);
/* The view on screen: the sources it shows are polled at its interval, the rest at
 * POLLER_HIDDEN_FACTOR times that. */
void poller_set_view(struct poller *p, enum appconfig_view view);
/* The key of the open detail pane (NULL: none), polled by the detail sources of the view
 * on screen, at once when it changes. */
void poller_set_detail(struct poller *p, const char *key);
/* `r`: what the view shows, and whatever is failing, is due now. */
void poller_refresh(struct poller *p);
/* The keys of the rows on screen (copied), for source_on_screen; from the first call on,
 * rows not named are off screen. */
void poller_set_on_screen(struct poller *p, const char *const *keys, size_t n);

/* The schedule, read-only, for tests and poll_dump. */
const struct poller_sched *poller_sched_of(const struct poller *p);

#endif
