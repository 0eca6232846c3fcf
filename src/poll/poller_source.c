/* poller_source.c - the poller's side of source.h that needs no scheduling: what a source
 * reads from its run (the store, the config, the detail key, what is on screen, the
 * interval, the clock) and how it reports an answer's outcome (an error, a resource gone,
 * its own rows, backoff), which becomes that call's "error" row at the cycle's end. */
#include "config.h"

#include <time.h>

#include "core/retry.h"
#include "poll/poller_internal.h"
#include "util/xalloc.h"

/* The client already retried; a throttle that is still there counts against the source. */
static bool is_throttle(const struct aws_error *err)
{
    return retry_is_throttle_code(err->code) || retry_classify(err) == RETRY_THROTTLE ||
           err->http_status == 429;
}

void poller_run_outcome(struct source_run *run, const struct aws_error *err)
{
    struct call *c = &run->calls[run->current->call];

    if (!err) {
        c->ok = true;
        return;
    }
    if (!c->err)
        c->err = xmalloc(sizeof(*c->err));
    *c->err = *err;
    if (is_throttle(err))
        run->failed = true;
}

void source_error(struct source_run *run, const struct aws_error *err)
{
    if (!run->current || !err)
        return;
    poller_run_outcome(run, err);
    run->decided = true;
}

void source_gone(struct source_run *run)
{
    if (!run->current)
        return;
    /* the service answered: whatever failed before (credentials, the network) works now */
    poller_run_outcome(run, NULL);
    run->decided = true;
}

void source_own_outcome(struct source_run *run)
{
    if (run->current)
        run->decided = true;
}

void source_backoff(struct source_run *run)
{
    run->failed = true;
}

struct store *source_store(const struct source_run *run)
{
    return run->p->store;
}

const char *source_detail(const struct source_run *run)
{
    return run->src->detail ? run->p->detail : NULL;
}

const struct appconfig *source_config(const struct source_run *run)
{
    return run->p->sched.cfg ? run->p->sched.cfg : run->p->defaults;
}

bool source_on_screen(const struct source_run *run, const char *key)
{
    return !run->p->screen_known || keyset_has(&run->p->on_screen, key);
}

bool source_forced(const struct source_run *run)
{
    return run->forced;
}

int64_t source_interval(const struct source_run *run)
{
    const struct poller *p = run->p;

    return p->sched.once ? 0 : poller_sched_interval(&p->sched, run->index);
}

const struct aws_config *source_aws_config(const struct source_run *run)
{
    return run->p->client ? aws_client_config(run->p->client) : NULL;
}

struct creds_manager *source_creds(const struct source_run *run)
{
    return run->p->creds;
}

int64_t source_wall_s(const struct source_run *run)
{
    return run->p->wall_s ? run->p->wall_s : (int64_t)time(NULL);
}
