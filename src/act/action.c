/* action.c - running an action: form, confirmation, the gate, answers, jobs (action.h). */
#include "config.h"
#include "act/action.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* One request of a run on its way; the gate calls back with it. */
struct act_req {
    struct act_req *prev, *next;
    struct act_run *run;
    int tag;
};

struct act_run {
    const struct action *a;
    struct act_env env;
    char *kind, *key, *name;
    struct act_target t;           /* points at the three above */
    void *priv;
    struct form form;
    bool has_form;
    enum act_state state;
    char *confirmed_by;
    char result[1200];
    struct act_req *reqs;
    size_t npending;
    struct job *job;
    char *output, *output_what;    /* act_run_set_output */
};

const struct action *action_find(const char *name)
{
    for (size_t i = 0; name && action_registry[i]; i++)
        if (strcmp(action_registry[i]->name, name) == 0)
            return action_registry[i];
    return NULL;
}

struct act_run *act_run_new(const struct action *a, const struct act_env *env,
                            const struct act_target *t)
{
    struct act_run *r = xcalloc(1, sizeof(*r));

    r->a = a;
    r->env = *env;
    r->kind = xstrdup(t && t->kind ? t->kind : (a->target_kind ? a->target_kind : ""));
    r->key = xstrdup(t && t->key ? t->key : "");
    r->name = xstrdup(t && t->name ? t->name : r->key);
    r->t.kind = r->kind;
    r->t.key = r->key;
    r->t.name = r->name;
    r->priv = xcalloc(1, a->private_size ? a->private_size : 1);
    r->state = ACT_CONFIRM;
    if (a->form) {
        form_init(&r->form, a->title);
        a->form(r->priv, r, &r->form);
        r->has_form = true;
        r->state = ACT_FORM;
    }
    return r;
}

void act_run_free(struct act_run *r)
{
    if (!r)
        return;
    while (r->reqs) {
        struct act_req *q = r->reqs;

        r->reqs = q->next;
        gate_forget(r->env.gate, q);
        free(q);
    }
    if (r->job)
        job_detach(r->job);
    if (r->a->done)
        r->a->done(r->priv);
    free(r->priv);
    if (r->has_form)
        form_done(&r->form);
    free(r->kind);
    free(r->key);
    free(r->name);
    free(r->confirmed_by);
    xfree_secret(r->output);
    free(r->output_what);
    free(r);
}

const struct action *act_run_action(const struct act_run *r)
{
    return r->a;
}

const struct act_target *act_run_target(const struct act_run *r)
{
    return &r->t;
}

enum act_state act_run_state(const struct act_run *r)
{
    return r->state;
}

bool act_run_ended(const struct act_run *r)
{
    return r->state == ACT_DONE || r->state == ACT_FAILED || r->state == ACT_CANCELLED;
}

struct form *act_run_form(struct act_run *r)
{
    return r->has_form ? &r->form : NULL;
}

void act_run_changed(struct act_run *r, const char *field)
{
    if (r->has_form && r->a->changed)
        r->a->changed(r->priv, r, &r->form, field);
}

int act_run_check(struct act_run *r, char *why, size_t whylen, size_t *bad)
{
    size_t b = (size_t)-1;

    if (r->has_form) {
        if (form_check(&r->form, why, whylen, &b) < 0) {
            if (bad)
                *bad = b;
            return -1;
        }
        if (r->a->check && r->a->check(r->priv, r, &r->form, why, whylen) < 0) {
            if (bad)
                *bad = (size_t)-1;
            return -1;
        }
    }
    if (r->state == ACT_FORM)
        r->state = ACT_CONFIRM;
    return 0;
}

enum act_confirm act_run_confirm(const struct act_run *r)
{
    if (r->a->mutates && gate_production(r->env.gate))
        return ACT_CONFIRM_TYPED;
    return r->a->confirm;
}

bool act_run_refused(const struct act_run *r, char *why, size_t whylen)
{
    if (r->a->mutates && gate_read_only(r->env.gate, why, whylen))
        return true;
    return r->a->refuse && r->a->refuse(r->priv, (struct act_run *)r, why, whylen);
}

void act_run_describe(const struct act_run *r, char *what, size_t whatlen, char *where,
                      size_t wherelen)
{
    const char *account = gate_account(r->env.gate), *region = gate_region(r->env.gate);

    if (r->a->describe)
        r->a->describe(r->priv, (struct act_run *)r, what, whatlen);
    else
        snprintf(what, whatlen, "%s: %s", r->a->title, r->name);
    snprintf(where, wherelen, "profile %s · account %s · region %s", gate_profile(r->env.gate),
             account ? account : "not known yet", region ? region : "?");
}

void act_run_finish(struct act_run *r, enum act_state st, const char *fmt, ...)
{
    va_list ap;

    if (act_run_ended(r))
        return;
    va_start(ap, fmt);
    vsnprintf(r->result, sizeof(r->result), fmt, ap);
    va_end(ap);
    r->state = st;
    if (r->job)
        job_set_state(r->job, st == ACT_DONE ? JOB_DONE : st == ACT_FAILED ? JOB_FAILED
                                                                           : JOB_CANCELLED,
                      st == ACT_FAILED ? r->result : NULL);
}

int act_run_start(struct act_run *r, const char *confirmed_by)
{
    char why[1024];

    if (act_run_ended(r))
        return -1;
    free(r->confirmed_by);
    r->confirmed_by = xstrdup(confirmed_by ? confirmed_by : "none");
    if (act_run_refused(r, why, sizeof(why))) {
        act_run_finish(r, ACT_FAILED, "%s", why);
        return -1;
    }
    r->state = ACT_RUNNING;
    if (r->a->start && r->a->start(r->priv, r) < 0) {
        if (!act_run_ended(r))
            act_run_finish(r, ACT_FAILED, "%s could not start", r->a->title);
        return -1;
    }
    if (!r->a->start)
        act_run_finish(r, ACT_DONE, "%s: done", r->a->title);
    return act_run_state(r) == ACT_FAILED ? -1 : 0;
}

static void cancel_job(void *ud)
{
    act_run_cancel(ud);
}

void act_run_cancel(struct act_run *r)
{
    if (act_run_ended(r))
        return;
    if (r->state != ACT_RUNNING) {
        act_run_finish(r, ACT_CANCELLED, "%s: cancelled, nothing was sent", r->a->title);
        return;
    }
    if (r->job)
        job_set_state(r->job, JOB_CANCELLING, NULL);
    if (r->a->cancel)
        r->a->cancel(r->priv, r);
    else
        act_run_finish(r, ACT_CANCELLED, "%s: cancelled", r->a->title);
}

int act_run_tick(struct act_run *r, int64_t now_ms)
{
    if (r->state != ACT_RUNNING || !r->a->tick)
        return -1;
    return r->a->tick(r->priv, r, now_ms);
}

const char *act_run_output(const struct act_run *r, const char **what)
{
    if (what)
        *what = r->output_what ? r->output_what : "";
    return r->output;
}

void act_run_set_output(struct act_run *r, const char *text, const char *what)
{
    xfree_secret(r->output);
    free(r->output_what);
    r->output = text ? xstrdup(text) : NULL;
    r->output_what = what ? xstrdup(what) : NULL;
}

const char *act_run_result(const struct act_run *r)
{
    return r->result;
}

bool act_run_failed(const struct act_run *r)
{
    return r->state == ACT_FAILED;
}

struct job *act_run_job_of(const struct act_run *r)
{
    return r->job;
}

size_t act_run_pending(const struct act_run *r)
{
    return r->npending;
}

const struct act_env *act_run_env(const struct act_run *r)
{
    return &r->env;
}

int64_t act_run_now(const struct act_run *r)
{
    return r->env.clock ? r->env.clock(r->env.clock_arg) : 0;
}

static void on_answer(const struct aws_response *resp, const struct aws_error *err, void *ud)
{
    struct act_req *q = ud;
    struct act_run *r = q->run;
    int tag = q->tag;

    if (q->prev)
        q->prev->next = q->next;
    else
        r->reqs = q->next;
    if (q->next)
        q->next->prev = q->prev;
    r->npending--;
    free(q);
    /* a run that ended (cancelled) does not act on late answers; the gate audited them */
    if (r->state == ACT_RUNNING && r->a->answer)
        r->a->answer(r->priv, r, tag, resp, err);
}

int act_send(struct act_run *r, struct aws_request *req, int tag, const cJSON *params)
{
    struct act_req *q = xcalloc(1, sizeof(*q));
    struct gate_write w = {.resource = r->key[0] ? r->key : NULL,
                           .result = r->a->audit_result};
    struct aws_error err;
    cJSON *p = params ? cJSON_Duplicate(params, true) : cJSON_CreateObject();
    int rc;

    /* how the write was confirmed is part of what the audit says about it */
    if (!cJSON_GetObjectItemCaseSensitive(p, "confirmation"))
        cJSON_AddStringToObject(p, "confirmation", r->confirmed_by ? r->confirmed_by : "none");
    w.params = p;
    q->run = r;
    q->tag = tag;
    rc = gate_send(r->env.gate, req, &w, on_answer, q, &err);
    cJSON_Delete(p);
    if (rc < 0) {
        char line[1200];

        free(q);
        act_run_describe_error(r, &err, line, sizeof(line));
        act_run_finish(r, ACT_FAILED, "%s", line);
        return -1;
    }
    q->next = r->reqs;
    if (r->reqs)
        r->reqs->prev = q;
    r->reqs = q;
    r->npending++;
    return 0;
}

void act_run_job(struct act_run *r, int64_t total)
{
    if (r->job || !r->env.jobs)
        return;
    r->job = jobs_add(r->env.jobs, r->a->title, r->name, total);
    job_set_cancel(r->job, cancel_job, r);
}

void act_run_progress(struct act_run *r, int64_t done, int64_t total)
{
    if (r->job)
        job_progress(r->job, done, total);
}

void act_run_phase(struct act_run *r, const char *phase)
{
    if (r->job)
        job_set_phase(r->job, phase);
}

void act_run_describe_error(const struct act_run *r, const struct aws_error *err, char *out,
                            size_t outlen)
{
    aws_error_describe(err, gate_profile(r->env.gate), out, outlen);
}
