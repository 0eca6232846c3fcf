/* poller.c - the scheduler of poll sources (poller.h): starts their cycles when
 * poller_sched.c says they are due, routes each answer to its source, ends each cycle with
 * one commit, and keeps the "error" row of every call (error_rows.c). What a source reads
 * from its run and how it reports an answer's outcome are in poller_source.c.
 *
 * Every request of a cycle is accounted for until it returns, so a cycle is never freed
 * under a callback and never overlaps itself; poller_free releases what is still out once
 * the client is gone (it cancels without calling back). */
#include "config.h"
#include "poll/poller.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "poll/error_rows.h"
#include "poll/keyset.h"
#include "poll/poller_internal.h"
#include "util/xalloc.h"

#define MAX_SLEEP_MS 60000

/* --- what sources call ------------------------------------------------------------------ */

static void on_done(const struct aws_response *resp, const struct aws_error *err, void *ud);

static size_t call_of(struct source_run *run, const char *service, const char *action)
{
    struct call *c;

    for (size_t i = 0; i < run->ncalls; i++)
        if (strcmp(run->calls[i].service, service) == 0 &&
            strcmp(run->calls[i].action, action) == 0)
            return i;
    if (run->ncalls == RUN_CALLS)  /* a source with more kinds of call shares the last row */
        return RUN_CALLS - 1;
    c = &run->calls[run->ncalls];
    memset(c, 0, sizeof(*c));
    snprintf(c->service, sizeof(c->service), "%s", service);
    snprintf(c->action, sizeof(c->action), "%s", action);
    return run->ncalls++;
}

void source_send(struct source_run *run, struct aws_request *req, unsigned tag, size_t index)
{
    struct poller *p = run->p;
    struct req *r = xmalloc(sizeof(*r));

    r->run = run;
    r->tag = tag;
    r->index = index;
    r->call = call_of(run, req->service ? req->service : "?", req->action ? req->action : "?");
    if (!run->lead_action[0]) {
        snprintf(run->lead_service, sizeof(run->lead_service), "%s", run->calls[r->call].service);
        snprintf(run->lead_action, sizeof(run->lead_action), "%s", run->calls[r->call].action);
    }
    r->prev = NULL;
    r->next = p->outstanding;
    if (p->outstanding)
        p->outstanding->prev = r;
    p->outstanding = r;
    run->pending++;
    run->sent++;
    aws_client_send(p->client, req, on_done, r);
}

size_t source_pending(const struct source_run *run)
{
    return run->pending;
}

/* --- cycles ------------------------------------------------------------------------------ */

/* A source whose input rows were added or removed since it last started is due now. */
static void inputs_changed(struct poller *p)
{
    if (p->sched.once)
        return;
    for (size_t i = 0; i < p->sched.n; i++) {
        struct store_kind_info info;

        if (!p->src[i]->input || !p->sched.t[i].ran)
            continue;
        store_kind_info(p->store, p->src[i]->input, &info);
        if (info.rows_generation != p->sched.t[i].input_rows)
            p->sched.t[i].forced = true;
    }
}

static void run_release(struct source_run *run)
{
    if (run->state && run->src->done)
        run->src->done(run->state);
    free(run->state);
    run->state = NULL;
    for (size_t i = 0; i < run->ncalls; i++)
        free(run->calls[i].err);
    run->ncalls = 0;
}

static void cycle_end(struct poller *p, struct source_run *run)
{
    bool asked = run->sent > 0;

    if (run->src->commit)
        run->src->commit(run, run->state);
    for (size_t i = 0; i < run->ncalls; i++) {
        const struct call *c = &run->calls[i];

        error_rows_write(p->store, c->service, c->action, c->ok, c->err, p->profile);
    }
    poller_sched_finish(&p->sched, run->index, run->failed);
    run_release(run);
    inputs_changed(p);
    /* the round is over when nothing runs or is due, whichever cycle ended last: one that
     * asked nothing (DLQ sources of an estate with no DLQ) still closes a round */
    p->asked |= asked;
    if (p->asked && !poller_busy(p)) {
        p->rounds++;
        p->asked = false;
    }
}

static void cycle_start(struct poller *p, size_t i, int64_t now)
{
    struct source_run *run = &p->runs[i];
    const struct source *src = p->src[i];

    run->forced = p->sched.t[i].forced || !p->sched.t[i].ran;
    poller_sched_start(&p->sched, i, now);
    if (src->input) {
        struct store_kind_info info;

        store_kind_info(p->store, src->input, &info);
        p->sched.t[i].input_rows = info.rows_generation;
    }
    run->pending = run->sent = 0;
    run->failed = false;
    run->current = NULL;
    run->ncalls = 0;
    run->state = xcalloc(1, src->state_size ? src->state_size : 1);
    src->start(run, run->state);
    if (!run->pending)   /* nothing to ask (no queues, no DLQs): over as it starts */
        cycle_end(p, run);
}

static void on_done(const struct aws_response *resp, const struct aws_error *err, void *ud)
{
    struct req *r = ud;
    struct source_run *run = r->run;
    struct poller *p = run->p;

    if (r->prev)
        r->prev->next = r->next;
    else
        p->outstanding = r->next;
    if (r->next)
        r->next->prev = r->prev;
    run->pending--;
    run->current = r;
    run->decided = false;
    if (run->src->answer)
        run->src->answer(run, run->state, r->tag, r->index, resp, err);
    if (!run->decided)
        poller_run_outcome(run, err);
    run->current = NULL;
    free(r);
    if (!run->pending)
        cycle_end(p, run);
}

/* --- the schedule ------------------------------------------------------------------------ */

/* Whether source i's input has been read; a source without one always is. */
static bool input_read(const struct poller *p, size_t i)
{
    struct store_kind_info info;

    if (!p->src[i]->input)
        return true;
    store_kind_info(p->store, p->src[i]->input, &info);
    return info.updated != 0;
}

/* The kinds a listing source writes are stale as soon as it is overdue by its interval plus
 * the request timeout (store_kind_expect), naming the call that should have answered: an
 * endpoint that accepts and never answers shows as stale at once, not when the retries
 * give up. Dependent and detail sources only add to kinds another source lists. */
static void expect_fresh(struct poller *p)
{
    long timeout;

    if (p->sched.once || !p->client)
        return;
    timeout = aws_client_timeout_ms(p->client);
    for (size_t i = 0; i < p->sched.n; i++) {
        struct source_run *run = &p->runs[i];
        const struct source *src = p->src[i];
        int64_t every;
        struct aws_error late;

        if (src->input || src->detail || !src->kinds || !run->lead_action[0] ||
            !poller_sched_active(&p->sched, i))
            continue;
        if (!run->lead_endpoint)
            run->lead_endpoint = aws_client_endpoint(p->client, run->lead_service);
        every = poller_sched_effective(&p->sched, i);
        aws_error_clear(&late);
        aws_error_set(&late, AWS_ERR_TIMEOUT, "no answer within the %lld s poll interval "
                      "plus the %ld s request timeout; still trying",
                      (long long)(every / 1000), timeout / 1000);
        aws_error_context(&late, run->lead_service, run->lead_action, run->lead_endpoint);
        for (size_t k = 0; src->kinds[k]; k++)
            store_kind_expect(p->store, src->kinds[k], every + timeout, &late);
    }
}

int poller_tick(struct poller *p, int64_t now_ms)
{
    expect_fresh(p);
    for (size_t i = 0; i < p->sched.n; i++) {
        struct poller_timer *t = &p->sched.t[i];

        if (p->src[i]->outdated && !p->sched.once && t->ran && !t->running &&
            p->src[i]->outdated(&p->runs[i]))
            t->forced = true;
        p->sched.t[i].ready = input_read(p, i);
        if (poller_sched_should_start(&p->sched, i, now_ms))
            cycle_start(p, i, now_ms);
    }
    /* a cycle that ended as it started may have read another source's input */
    for (size_t i = 0; i < p->sched.n; i++)
        p->sched.t[i].ready = input_read(p, i);
    return poller_sched_delay(&p->sched, now_ms, MAX_SLEEP_MS);
}

bool poller_busy(const struct poller *p)
{
    for (size_t i = 0; i < p->sched.n; i++) {
        if (p->sched.t[i].running)
            return true;
        if (poller_sched_active(&p->sched, i) && input_read(p, i) &&
            poller_sched_due(&p->sched, i) == INT64_MIN)
            return true;
    }
    return false;
}

unsigned long poller_rounds(const struct poller *p)
{
    return p->rounds;
}

void poller_set_profile(struct poller *p, const char *profile)
{
    free(p->profile);
    p->profile = xstrdup(profile && *profile ? profile : "default");
}

void poller_set_view(struct poller *p, enum appconfig_view view)
{
    poller_sched_set_view(&p->sched, view);
}

void poller_set_detail(struct poller *p, const char *key)
{
    bool changed = (key == NULL) != (p->detail == NULL) || (key && strcmp(key, p->detail) != 0);

    if (!changed)
        return;
    free(p->detail);
    p->detail = key ? xstrdup(key) : NULL;
    p->sched.detail = key != NULL;
    for (size_t i = 0; i < p->sched.n; i++) {
        if (!p->src[i]->detail)
            continue;
        p->sched.t[i].failures = 0;
        if (key)
            p->sched.t[i].forced = true;
    }
}

void poller_set_on_screen(struct poller *p, const char *const *keys, size_t n)
{
    keyset_set(&p->on_screen, keys, n);
    p->screen_known = true;
}

void poller_refresh(struct poller *p)
{
    poller_sched_refresh(&p->sched);
}

const struct poller_sched *poller_sched_of(const struct poller *p)
{
    return &p->sched;
}

struct feed *poller_feed(struct poller *p)
{
    return &p->feed;
}

/* --- life -------------------------------------------------------------------------------- */

struct poller *poller_new(const struct poller_opts *o)
{
    struct poller *p = xcalloc(1, sizeof(*p));

    p->feed = (struct feed){ .ops = &poller_feed_ops, .impl = p };
    p->client = o->client;
    p->store = o->store;
    p->creds = o->creds;
    p->wall_s = o->wall_s;
    p->profile = xstrdup(o->profile && *o->profile ? o->profile : "default");
    p->src = o->sources;
    if (!o->app)
        p->defaults = appconfig_new();
    poller_sched_init(&p->sched, o->app, p->src, o->once);
    if (o->once && !p->wall_s)
        p->wall_s = (int64_t)time(NULL);
    p->runs = xcalloc(p->sched.n ? p->sched.n : 1, sizeof(*p->runs));
    for (size_t i = 0; i < p->sched.n; i++) {
        p->runs[i].p = p;
        p->runs[i].index = i;
        p->runs[i].src = p->src[i];
    }
    return p;
}

void poller_free(struct poller *p)
{
    if (!p)
        return;
    /* the client was freed first (no callback will come) or nothing is pending */
    while (p->outstanding) {
        struct req *next = p->outstanding->next;
        free(p->outstanding);
        p->outstanding = next;
    }
    for (size_t i = 0; i < p->sched.n; i++) {
        run_release(&p->runs[i]);
        free(p->runs[i].lead_endpoint);
    }
    free(p->runs);
    poller_sched_done(&p->sched);
    appconfig_free(p->defaults);
    keyset_clear(&p->on_screen);
    free(p->detail);
    free(p->profile);
    free(p);
}
