/* poller.h - the console's pollers: AWS calls on timers, their results written to the store.
 *
 * Never blocks: every call goes through aws_client_send, results arrive in callbacks from
 * aws_client_run (the loop's one wait point). The loop asks poller_tick() what is due and
 * how long it may sleep. Views only read the store, whose schema is fixed here:
 *
 * kind "queue", key = queue URL (every queue ListQueues returns, paged)
 *   name str, arn str, visible int, in_flight int, delayed int  (Approximate*)
 *   fifo int (0/1), dlq_arn str (RedrivePolicy deadLetterTargetArn, absent when none),
 *   dlq_url str (that DLQ's URL when it is one of the listed queues),
 *   max_receive_count int, is_dlq int (0/1: some listed queue's dead-letter target),
 *   age_oldest double (seconds: CloudWatch ApproximateAgeOfOldestMessage, Maximum, newest
 *     datapoint of the last 15 minutes; UNKNOWN when CloudWatch has none),
 *   attributes str (every attribute GetQueueAttributes returned, as a JSON object text),
 *   redrive_policy str (raw JSON), tags str (ListQueueTags as a JSON object text; only
 *     fetched for the queue whose detail pane is open, see poller_set_detail)
 * kind "dlq", key = queue URL of a queue that is some queue's dead-letter target
 *   name, arn, visible, in_flight, delayed, age_oldest: as for "queue" (written from the
 *     same results, so the dlq kind has its own generations and history)
 *   sources str (ListDeadLetterSourceQueues, paged: a JSON array of source queue URLs),
 *   nsources int
 * kind "identity", key "caller": account str, arn str, user_id str (GetCallerIdentity)
 * kind "error", key = "<Service> <Action>" (as "SQS ListQueues"): the latest failure of
 *   that call: message str (aws_error_describe's one line: cause, profile, endpoint, fix),
 *   count int (failures in a row); the row is rewritten with count 0 and message "" when
 *   the call next succeeds, so the overview shows only live errors.
 *
 * A failed list call keeps the rows and marks the kind stale (store_list_fail); a failed
 * per-queue call marks that row stale (store_fail). A queue that vanished between
 * ListQueues and GetQueueAttributes (QueueDoesNotExist) is dropped, not an error. */
#ifndef OPSDECK_POLLER_H
#define OPSDECK_POLLER_H

#include <stdbool.h>
#include <stdint.h>

#include "conf/appconfig.h"
#include "core/client.h"
#include "poll/store.h"

/* How fast the detail pane's queue (attributes and tags) is polled while it is open. */
#define POLLER_DETAIL_INTERVAL_MS 2000
/* Data the visible view does not show is still polled, this many times more slowly (the
 * overview and the header need everything now and then; switching views finds it warm). */
#define POLLER_HIDDEN_FACTOR 6
/* Backoff after a throttling error (or any failure of a group): the group's interval is
 * doubled per failure in a row, up to this factor; back to normal after a success. */
#define POLLER_BACKOFF_MAX 8

struct poller;

/* client, store and cfg are borrowed and must outlive the poller. The client's own
 * max_in_flight is the global cap on requests in flight. Nothing is sent until the first
 * poller_tick. */
struct poller *poller_new(struct aws_client *client, struct store *store,
                          const struct appconfig *cfg);
/* Cancels nothing itself: free the client first (it cancels without callbacks), or free
 * the poller only when aws_client_pending() is 0. */
void poller_free(struct poller *p);

/* The profile named in the "error" rows' messages (aws_error_describe); "default" until
 * set. Copied. */
void poller_set_profile(struct poller *p, const char *profile);

/* The view on screen: its data is polled at its interval (appconfig_interval), the rest at
 * POLLER_HIDDEN_FACTOR times that. */
void poller_set_view(struct poller *p, enum appconfig_view view);
/* The queue whose detail pane is open (NULL: none): polled every POLLER_DETAIL_INTERVAL_MS,
 * with its tags. Starts polling it at once when it changes. */
void poller_set_detail(struct poller *p, const char *queue_url);
/* `r`: everything the visible view shows is due now. */
void poller_refresh(struct poller *p);

/* Starts whatever is due at now_ms (a monotonic clock, ms). Returns the ms until the next
 * thing is due (>= 0), for the loop's timeout. */
int poller_tick(struct poller *p, int64_t now_ms);
/* True while any poll cycle is under way (requests out, or waiting on a dependent call):
 * the headless test mode takes its next key only when this is false. */
bool poller_busy(const struct poller *p);
/* Completed cycles of the queue list (ListQueues + every GetQueueAttributes), for tests. */
unsigned long poller_cycles(const struct poller *p);

#endif
