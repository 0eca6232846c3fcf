/* poller_internal.h - the poller's private state, shared by poller.c (cycles and the
 * schedule) and poller_source.c (what sources read and report). Nothing outside
 * src/poll/poller*.c includes it. */
#ifndef OPSDECK_POLLER_INTERNAL_H
#define OPSDECK_POLLER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/awserr.h"
#include "poll/keyset.h"
#include "poll/poller.h"
#include "poll/poller_sched.h"

#define RUN_CALLS 8          /* kinds of request in one cycle: a source makes two or three */

/* One kind of request of a cycle (service + action): its latest failure, or that it
 * worked. At the cycle's end it becomes that call's "error" row. */
struct call {
    char service[32];
    char action[64];
    bool ok;
    struct aws_error *err;
};

struct req {
    struct source_run *run;
    unsigned tag;
    size_t index;
    size_t call;                   /* index into run->calls */
    struct req *prev, *next;       /* outstanding: freed by poller_free if never answered */
};

struct source_run {
    struct poller *p;
    size_t index;                  /* the source's, in p->src */
    const struct source *src;
    /* its first call (ListQueues, GetCallerIdentity): named when its kinds are overdue */
    char lead_service[32], lead_action[64];
    char *lead_endpoint;
    void *state;                   /* non-NULL while a cycle is under way */
    size_t pending;                /* requests out */
    size_t sent;                   /* requests sent in this cycle */
    bool failed;                   /* counts towards backoff */
    struct req *current;           /* the answer being handled, or NULL */
    bool decided;                  /* its outcome was set by source_error or source_gone */
    bool forced;                   /* the cycle was asked for, not just due */
    struct call calls[RUN_CALLS];
    size_t ncalls;
};

struct poller {
    struct feed feed;              /* the poller as the UI sees it (poller_feed.c) */
    struct aws_client *client;
    struct store *store;
    struct creds_manager *creds;
    char *profile;
    char *detail;
    struct keyset on_screen;       /* the keys of the rows on screen */
    bool screen_known;             /* a view has said what is on screen */
    int64_t wall_s;
    const struct source *const *src;
    struct poller_sched sched;
    struct appconfig *defaults;    /* for source_config when no config was given */
    struct source_run *runs;       /* one per source */
    struct req *outstanding;
    unsigned long rounds;
    bool asked;                    /* a cycle since the last round sent something */
};

/* The outcome of the answer being handled (run->current): ok when err is NULL, else its
 * call's latest failure; a throttle counts towards the source's backoff. */
void poller_run_outcome(struct source_run *run, const struct aws_error *err);

#endif
