/* source.h - what a poll source is: a const table of operations, like the views'.
 *
 * A source owns a part of the store. One poll cycle of it sends requests, reads their
 * answers, and writes its kinds once, when the last answer is in, so a view never sees half
 * a cycle. Each source is one file, src/poll/sources/NAME.c, ending with
 *
 *     const struct source queues_source = { .name = "queues", .kinds = ..., ... };
 *
 * and src/poll/sources/registry.c lists them (the store schema they write is in
 * src/poll/sources/sources.h). The scheduler (poller.c) decides when each runs, allocates
 * its per-cycle state (state_size bytes, zeroed), routes every answer to it, and writes the
 * "error" row of each call it made; `opsdeck snapshot` runs every source once the same way.
 *
 * Hooks run inside the loop's one wait point: they send requests and return, never wait.
 * A cycle ends when no request of it is out any more: then commit writes the store and
 * done frees what the state points to (done is also called for a cycle that is abandoned,
 * when the poller is freed). */
#ifndef OPSDECK_SOURCE_H
#define OPSDECK_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/appconfig.h"
#include "core/awserr.h"
#include "core/request.h"

struct store;
struct creds_manager;
struct aws_config;

/* One cycle of one source: what its hooks are lent (poller.c owns it). */
struct source_run;

/* The bit of a view (enum appconfig_view) in source.views. */
#define SOURCE_VIEW(v) (1u << (v))

struct source {
    const char *name;           /* "queues": how the schedule, poll_dump and tests name it */
    const char *const *kinds;   /* the store kinds it writes, NULL-terminated */
    /* The views that show its data (SOURCE_VIEW bits). While one of them is on screen it
     * is polled at that view's [intervals] value and `r` polls it at once; otherwise
     * POLLER_HIDDEN_FACTOR times more slowly, so switching views finds it warm. */
    unsigned views;
    /* Its own interval in ms, whatever the view: the header's identity, the open detail
     * pane, the credential manager's report. While it is failing it is retried no more
     * slowly than the view's interval (with backoff), so a slow source in trouble comes
     * back with the rest. 0: the views' intervals. A source with neither views nor an
     * interval of its own is read only by `opsdeck snapshot`. */
    int interval_ms;
    /* The kind whose rows it works on (the DLQs, for their source queues), or NULL. It
     * starts only once that kind has been read, and is due at once when rows are added to
     * that kind or removed from it (a new DLQ gets its sources now, not an interval later).
     * The snapshot runs it after the source that writes that kind. A call that only needs
     * the list a source is reading (CloudWatch numbers for the listed queues) belongs in
     * that source's cycle instead, started as soon as the list is complete: a dependent
     * source would add its whole time after the slowest describe. */
    const char *input;
    /* It polls the key of the open detail pane (feed_set_detail) while one of its views
     * is on screen, and nothing otherwise. The snapshot does not run it. */
    bool detail;
    /* Only the console runs it, never `opsdeck snapshot` (what the console itself sees of
     * the network: the endpoints' health, which a snapshot's document does not report). */
    bool live_only;
    size_t state_size;          /* its per-cycle state, zeroed by the framework */

    /* start: send the cycle's requests (source_send); sending none ends the cycle at once.
     * answer: one response, resp on success or err on failure (after the client's
     *   retries); may send more (the next page, the next window). The call counts as
     *   failed with err, or as a success, unless the hook says otherwise with
     *   source_error (a response that did not parse) or source_gone.
     * commit: every answer is in: write the store, once.
     * done: free what the state points to (the framework frees the state itself).
     * Only start is required. */
    void (*start)(struct source_run *run, void *state);
    void (*answer)(struct source_run *run, void *state, unsigned tag, size_t index,
                   const struct aws_response *resp, const struct aws_error *err);
    void (*commit)(struct source_run *run, void *state);
    void (*done)(void *state);
    /* Optional: between cycles, true when the source can tell without a request that its
     * rows no longer say what it reads (the credential manager started or ended a refresh):
     * it is then due at once, so the header says "refreshing credentials" in the frame that
     * asks for an MFA code, not an interval later. It must turn false once the rows are
     * written, or the source would run on every turn. */
    bool (*outdated)(struct source_run *run);
};

/* Sends req (the client takes its contents) for this cycle; tag and index come back to the
 * answer hook untouched (which call, which queue or page). */
void source_send(struct source_run *run, struct aws_request *req, unsigned tag, size_t index);
/* Requests of this cycle still out: for sending in windows. */
size_t source_pending(const struct source_run *run);

/* In answer: the call failed with err after all (its response did not parse, say). */
void source_error(struct source_run *run, const struct aws_error *err);
/* In answer: the resource asked about does not exist (deleted between the list and the
 * describe; no password policy, no login profile): not a failure of the call, and since
 * the service answered, an "error" row it had (credentials, the network) is cleared. */
void source_gone(struct source_run *run);
/* In answer: the source reports this call's outcome in its own rows (reach's probes, which
 * repeat another source's call): no "error" row is written for it, failed or not. */
void source_own_outcome(struct source_run *run);
/* The cycle failed as a whole (its list call failed): the next one waits longer, x2 per
 * cycle failed in a row up to x8. A throttling error in any answer does this by itself. */
void source_backoff(struct source_run *run);

struct store *source_store(const struct source_run *run);
/* The open detail pane's key (a queue URL) for a detail source, else NULL. */
const char *source_detail(const struct source_run *run);
/* opsdeck's config (the declared toggles, [expiry NAME]); never NULL: the defaults when none
 * was given. */
const struct appconfig *source_config(const struct source_run *run);
/* The row key is on screen (feed_set_on_screen): read it every cycle (adaptive.h). Until a
 * view has said what is on screen (poll_dump, tests) every row counts as on screen. */
bool source_on_screen(const struct source_run *run, const char *key);
/* This cycle was asked for (`r`, a first run), not just due. */
bool source_forced(const struct source_run *run);
/* This source's interval now, ms (the view's, or the slower one of a hidden view), before
 * backoff; 0 for the snapshot, which reads everything once. */
int64_t source_interval(const struct source_run *run);
/* The AWS configuration the requests are resolved with (an S3 bucket's endpoint in its
 * own region); NULL when there is none. */
const struct aws_config *source_aws_config(const struct source_run *run);
/* The credential manager, for the credentials source; NULL when there is none. */
struct creds_manager *source_creds(const struct source_run *run);
/* Wall-clock seconds where time windows end (CloudWatch): now, or for the snapshot the
 * moment it started (its taken_at), so every window of one snapshot is the same. */
int64_t source_wall_s(const struct source_run *run);

#endif
