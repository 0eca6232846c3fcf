/* job.c - jobs as store rows (job.h). */
#include "config.h"
#include "act/job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define JOB_KIND "job"
#define JOB_RATE_MIN_MS 1000

struct job {
    struct jobs *js;
    char key[16];
    enum job_state state;
    int64_t done, total;
    int64_t started_mono;        /* for the rate */
    void (*cancel)(void *ud);
    void *cancel_ud;
};

struct jobs {
    struct store *store;
    jobs_clock_fn clock;
    void *clock_arg;
    struct job **v;
    size_t n;
};

static const char *const state_names[] = {
    [JOB_RUNNING] = "running", [JOB_CANCELLING] = "cancelling", [JOB_DONE] = "done",
    [JOB_FAILED] = "failed", [JOB_CANCELLED] = "cancelled",
};

const char *job_state_name(enum job_state st)
{
    return (unsigned)st < sizeof(state_names) / sizeof(state_names[0]) ? state_names[st] : "?";
}

struct jobs *jobs_new(struct store *store, jobs_clock_fn clock, void *clock_arg)
{
    struct jobs *js = xcalloc(1, sizeof(*js));

    js->store = store;
    js->clock = clock;
    js->clock_arg = clock_arg;
    return js;
}

void jobs_free(struct jobs *js)
{
    if (!js)
        return;
    for (size_t i = 0; i < js->n; i++)
        free(js->v[i]);
    free(js->v);
    free(js);
}

static bool ended(enum job_state st)
{
    return st == JOB_DONE || st == JOB_FAILED || st == JOB_CANCELLED;
}

/* Writes the job's row: every field it knows, at once (one generation bump per change). */
static void job_write(struct job *j, const char *action, const char *resource,
                      const char *error)
{
    struct store_res *r = store_update_begin(j->js->store, JOB_KIND, j->key);
    int64_t elapsed = j->js->clock(j->js->clock_arg) - j->started_mono;

    if (action) {   /* the first write */
        store_set_str(r, "action", action);
        store_set_int(r, "started", store_now(j->js->store));
    }
    if (resource)
        store_set_str(r, "resource", resource);
    store_set_str(r, "state", job_state_name(j->state));
    store_set_int(r, "done", j->done);
    if (j->total >= 0)
        store_set_int(r, "total", j->total);
    else
        store_set_unknown(r, "total");
    /* a rate over less than a second says more about the first request than the job */
    if (j->done > 0 && elapsed >= JOB_RATE_MIN_MS)
        store_set_double(r, "rate", (double)j->done * 1000.0 / (double)elapsed);
    else
        store_set_unknown(r, "rate");
    if (ended(j->state)) {
        store_set_int(r, "ended", store_now(j->js->store));
        store_set_unknown(r, "phase");
    }
    if (error)
        store_set_str(r, "error", error);
    store_update_commit(r);
}

struct job *jobs_add(struct jobs *js, const char *action, const char *resource, int64_t total)
{
    struct job *j = xcalloc(1, sizeof(*j));

    j->js = js;
    snprintf(j->key, sizeof(j->key), "%04zu", js->n + 1);
    j->state = JOB_RUNNING;
    j->total = total < 0 ? -1 : total;
    j->started_mono = js->clock(js->clock_arg);
    js->v = xrealloc(js->v, (js->n + 1) * sizeof(*js->v));
    js->v[js->n++] = j;
    job_write(j, action ? action : "?", resource ? resource : "?", NULL);
    return j;
}

const char *job_key(const struct job *j)
{
    return j->key;
}

enum job_state job_state(const struct job *j)
{
    return j->state;
}

void job_progress(struct job *j, int64_t done, int64_t total)
{
    if (ended(j->state))
        return;
    j->done = done;
    if (total >= 0)
        j->total = total;
    job_write(j, NULL, NULL, NULL);
}

void job_set_state(struct job *j, enum job_state st, const char *error)
{
    if (ended(j->state))
        return;
    j->state = st;
    if (ended(st))
        j->cancel = NULL;
    job_write(j, NULL, NULL, st == JOB_FAILED ? (error ? error : "failed") : NULL);
}

void job_set_unit(struct job *j, const char *unit)
{
    struct store_res *r = store_update_begin(j->js->store, JOB_KIND, j->key);

    store_set_str(r, "unit", unit);
    store_update_commit(r);
}

void job_set_phase(struct job *j, const char *phase)
{
    struct store_res *r;

    if (ended(j->state))
        return;
    r = store_update_begin(j->js->store, JOB_KIND, j->key);
    if (phase)
        store_set_str(r, "phase", phase);
    else
        store_set_unknown(r, "phase");
    store_update_commit(r);
}

void job_set_cancel(struct job *j, void (*cancel)(void *ud), void *ud)
{
    j->cancel = cancel;
    j->cancel_ud = ud;
}

void job_detach(struct job *j)
{
    j->cancel = NULL;
    j->cancel_ud = NULL;
}

int jobs_cancel(struct jobs *js, const char *key)
{
    for (size_t i = 0; i < js->n; i++) {
        struct job *j = js->v[i];

        if (strcmp(j->key, key) != 0)
            continue;
        if (j->state != JOB_RUNNING || !j->cancel)
            return -1;
        job_set_state(j, JOB_CANCELLING, NULL);
        j->cancel(j->cancel_ud);
        return 0;
    }
    return -1;
}

size_t jobs_running(const struct jobs *js)
{
    size_t n = 0;

    for (size_t i = 0; js && i < js->n; i++)
        n += !ended(js->v[i]->state);
    return n;
}
