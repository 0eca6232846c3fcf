/* toggle.c - "toggle-flip": turns a switch of the toggles view the other way (Space or t, and
 * `opsdeck toggle set`): a Lambda SQS trigger (UpdateEventSourceMapping Enabled), an
 * EventBridge rule (EnableRule / DisableRule) or a declared SSM toggle (PutParameter with
 * the toggle's on or off value). The flip goes through the write gate like every write (read-
 * only refuses it, the audit records it before and after); then the action reads the state
 * back every TOGGLE_REREAD_MS until AWS says the new state, or says the flip did not take
 * once [toggles] confirm_timeout has passed (a mapping may sit in Disabling for a while).
 * The run is a job while it confirms, so the view shows the row as changing.
 *
 * What it flips from is the state the view shows (the store's row): a row that is changing
 * or unknown is not flipped, since which way "the other way" is would be a guess.
 *
 * The request line it has the gate write (kind, before, after) is also what the toggles
 * pane reads back as "Flipped here" (toggle_last_flip, toggle.h). */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/action.h"
#include "act/audit.h"
#include "act/toggle.h"
#include "aws/events.h"
#include "aws/lambda.h"
#include "aws/ssm.h"
#include "poll/sources/togglestate.h"
#include "util/xalloc.h"

#define TOGGLE_REREAD_MS 2000

enum { TAG_FLIP, TAG_READ };
enum flip_kind { FLIP_MAPPING, FLIP_RULE, FLIP_PARAMETER };

struct flip {
    bool ready;                          /* the row was read: the fields below are set */
    enum flip_kind kind;
    bool to_on;
    const struct appconfig_toggle *toggle;   /* FLIP_PARAMETER */
    char *rule, *bus;                    /* FLIP_RULE */
    char why[512];                       /* why it cannot be flipped, "" when it can */
    bool flipped;                        /* the write was answered: now confirming */
    long timeout_s;                      /* [toggles] confirm_timeout */
    int64_t deadline, next_read;
    char last[64];                       /* what AWS said on the last read */
    int reads;
};

/* The row the view showed, and which way it goes; why says when it cannot be flipped. */
static void flip_prepare(struct flip *f, struct act_run *run)
{
    const struct act_env *env = act_run_env(run);
    const struct act_target *t = act_run_target(run);
    const struct store_res *r = store_find(env->store, t->kind, t->key);
    const char *state = r ? store_res_str(r, "state") : NULL;

    if (f->ready)
        return;
    f->ready = true;
    if (strcmp(t->kind, "mapping") == 0)
        f->kind = FLIP_MAPPING;
    else if (strcmp(t->kind, "rule") == 0)
        f->kind = FLIP_RULE;
    else
        f->kind = FLIP_PARAMETER;
    if (!r || !state) {
        snprintf(f->why, sizeof(f->why), "%s is not in the list any more: refresh (r) and "
                 "look again", t->name);
        return;
    }
    if (f->kind == FLIP_PARAMETER) {
        const char *tname = store_res_str(r, "toggle");

        f->toggle = tname ? appconfig_toggle(env->app, tname) : NULL;
        if (!f->toggle) {
            snprintf(f->why, sizeof(f->why), "%s is not a declared toggle: declare it as "
                     "[toggle NAME] (parameter, on, off) in opsdeck's config to flip it",
                     t->name);
            return;
        }
    }
    if (f->kind == FLIP_RULE) {
        const char *managed = store_res_str(r, "managed_by");

        if (managed) {
            snprintf(f->why, sizeof(f->why), "%s is managed by %s: change it there", t->name,
                     managed);
            return;
        }
        f->rule = xstrdup(store_res_str(r, "rule") ? store_res_str(r, "rule") : "");
        f->bus = xstrdup(store_res_str(r, "bus") ? store_res_str(r, "bus") : "default");
    }
    if (strcmp(state, TOGGLE_ON) == 0) {
        f->to_on = false;
    } else if (strcmp(state, TOGGLE_OFF) == 0) {
        f->to_on = true;
    } else if (strcmp(state, TOGGLE_CHANGING) == 0) {
        snprintf(f->why, sizeof(f->why), "%s is changing (AWS says %s): wait until it "
                 "settles, then flip it", t->name,
                 store_res_str(r, "aws_state") ? store_res_str(r, "aws_state") : "so");
    } else {
        snprintf(f->why, sizeof(f->why), "%s is neither on nor off (%s): set it with the "
                 "aws CLI (:cli shows the command)", t->name, state);
    }
}

static bool toggle_refuse(void *priv, struct act_run *run, char *why, size_t whylen)
{
    struct flip *f = priv;

    flip_prepare(f, run);
    if (!f->why[0])
        return false;
    snprintf(why, whylen, "%s", f->why);
    return true;
}

static void toggle_describe(void *priv, struct act_run *run, char *out, size_t n)
{
    struct flip *f = priv;

    flip_prepare(f, run);
    if (f->why[0])
        snprintf(out, n, TOGGLE_FLIP_TITLE ": %s", act_run_target(run)->name);
    else
        snprintf(out, n, TOGGLE_FLIP_TITLE ": %s: %s -> %s", act_run_target(run)->name,
                 f->to_on ? TOGGLE_OFF : TOGGLE_ON, f->to_on ? TOGGLE_ON : TOGGLE_OFF);
}

/* The request that reads the state back. */
static void read_request(struct flip *f, struct act_run *run, struct aws_request *req)
{
    const struct act_target *t = act_run_target(run);

    if (f->kind == FLIP_MAPPING)
        lambda_get_event_source_mapping_request(req, t->key);
    else if (f->kind == FLIP_RULE)
        events_describe_rule_request(req, f->rule, f->bus);
    else
        ssm_get_parameter_request(req, f->toggle->parameter, true);
}

static void send_read(struct flip *f, struct act_run *run)
{
    struct aws_request req;

    read_request(f, run, &req);
    f->next_read = INT64_MAX;   /* the answer sets the next one */
    act_send(run, &req, TAG_READ, NULL);
}

static int toggle_start(void *priv, struct act_run *run)
{
    struct flip *f = priv;
    const struct act_target *t = act_run_target(run);
    const struct act_env *env = act_run_env(run);
    struct aws_request req;
    cJSON *params;
    int rc;

    flip_prepare(f, run);
    if (f->why[0]) {
        act_run_finish(run, ACT_FAILED, "%s", f->why);
        return -1;
    }
    if (f->kind == FLIP_MAPPING) {
        lambda_update_event_source_mapping_request(&req, t->key, f->to_on);
    } else if (f->kind == FLIP_RULE) {
        if (f->to_on)
            events_enable_rule_request(&req, f->rule, f->bus);
        else
            events_disable_rule_request(&req, f->rule, f->bus);
    } else {
        struct ssm_put_params pp = {.name = f->toggle->parameter,
                                    .value = f->to_on ? f->toggle->on : f->toggle->off,
                                    .overwrite = true};
        ssm_put_parameter_request(&req, &pp);
    }
    /* the audit says what changed as on/off: a parameter's value may be a secret */
    params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "kind", t->kind);
    cJSON_AddStringToObject(params, "before", f->to_on ? TOGGLE_OFF : TOGGLE_ON);
    cJSON_AddStringToObject(params, "after", f->to_on ? TOGGLE_ON : TOGGLE_OFF);
    act_run_job(run, 1);
    rc = act_send(run, &req, TAG_FLIP, params);
    cJSON_Delete(params);
    if (rc < 0)
        return -1;
    f->timeout_s = env->app ? env->app->confirm_timeout : APPCONFIG_CONFIRM_TIMEOUT_DEFAULT;
    f->deadline = act_run_now(run) + (int64_t)f->timeout_s * 1000;
    return 0;
}

/* What a read says: the state as on/off/changing/unknown, AWS's word in f->last. */
static const char *read_state(struct flip *f, const struct aws_response *resp,
                              struct aws_error *err)
{
    const char *state = NULL;

    if (f->kind == FLIP_MAPPING) {
        struct lambda_esm m = {0};

        if (lambda_event_source_mapping_parse(resp, &m, err) == 0) {
            snprintf(f->last, sizeof(f->last), "%s", m.state);
            state = togglestate_mapping(m.state);
        }
        lambda_esm_free(&m);
    } else if (f->kind == FLIP_RULE) {
        struct events_rule ru = {0};

        if (events_describe_rule_parse(resp, &ru, err) == 0) {
            snprintf(f->last, sizeof(f->last), "%s", ru.state);
            state = togglestate_rule(ru.state);
        }
        events_rule_free(&ru);
    } else {
        struct ssm_parameter p = {0};

        if (ssm_get_parameter_parse(resp, &p, err) == 0) {
            state = togglestate_parameter(p.value, f->toggle->on, f->toggle->off);
            /* never a secure value, not even in the status line */
            snprintf(f->last, sizeof(f->last), "%s", p.secure ? "(secure)" : p.value);
        }
        ssm_parameter_free(&p);
    }
    return state;
}

static void toggle_answer(void *priv, struct act_run *run, int tag,
                          const struct aws_response *resp, const struct aws_error *err)
{
    struct flip *f = priv;
    const struct act_target *t = act_run_target(run);
    const char *want = f->to_on ? TOGGLE_ON : TOGGLE_OFF, *state;
    struct aws_error perr;
    char line[1200];
    int64_t now = act_run_now(run);

    if (err) {
        act_run_describe_error(run, err, line, sizeof(line));
        act_run_finish(run, ACT_FAILED, "%s%s", tag == TAG_FLIP ? "" : "flip sent, but "
                       "reading it back failed: ", line);
        return;
    }
    if (tag == TAG_FLIP) {
        /* read at once, from here: a rule or a parameter is already there, and the run
         * never looks idle between its write and its first read */
        f->flipped = true;
        send_read(f, run);
        return;
    }
    aws_error_clear(&perr);
    state = read_state(f, resp, &perr);
    f->reads++;
    if (!state) {
        act_run_describe_error(run, &perr, line, sizeof(line));
        act_run_finish(run, ACT_FAILED, "flip sent, but reading it back failed: %s", line);
        return;
    }
    if (strcmp(state, want) == 0) {
        act_run_progress(run, 1, 1);
        if (f->kind == FLIP_PARAMETER)
            act_run_finish(run, ACT_DONE, "%s is %s (SSM holds its %s value)", t->name, want,
                           want);
        else
            act_run_finish(run, ACT_DONE, "%s is %s (AWS says %s)", t->name, want, f->last);
        return;
    }
    if (now >= f->deadline) {
        act_run_finish(run, ACT_FAILED, "%s did not take: still %s (AWS says %s) after %ld "
                       "s ([toggles] confirm_timeout); look at it with :cli", t->name, state,
                       f->last, f->timeout_s);
        return;
    }
    f->next_read = now + TOGGLE_REREAD_MS;
}

static int toggle_tick(void *priv, struct act_run *run, int64_t now_ms)
{
    struct flip *f = priv;

    if (!f->flipped || act_run_pending(run))
        return -1;
    if (now_ms < f->next_read)
        return (int)(f->next_read - now_ms);
    send_read(f, run);
    return -1;
}

static void toggle_done(void *priv)
{
    struct flip *f = priv;

    free(f->rule);
    free(f->bus);
}

/* ---- the audit's memory of flips (toggle.h) ------------------------------------------------ */

struct flip_scan {
    const char *kind, *key, *account, *region;
    struct toggle_flip_seen seen;
    char *id;          /* the request line of the latest flip: its outcome has the same id */
    bool found;
};

static const char *json_str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

/* A field the caller knows and the line has must agree; either missing is no evidence. */
static bool same_or_unknown(const char *want, const char *have)
{
    return !want || !*want || !have || strcmp(want, have) == 0;
}

/* A request line toggle_start wrote for this switch: its parameters say the kind and the
 * way it went (no other write writes before and after). */
static bool is_flip_of(const struct flip_scan *sc, const cJSON *o)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "parameters");
    const char *res = json_str(o, "resource"), *kind = json_str(p, "kind");

    return res && kind && strcmp(res, sc->key) == 0 && strcmp(kind, sc->kind) == 0 &&
           json_str(p, "before") && json_str(p, "after") &&
           same_or_unknown(sc->account, json_str(o, "account")) &&
           same_or_unknown(sc->region, json_str(o, "region"));
}

static void scan_line(const cJSON *o, void *arg)
{
    struct flip_scan *sc = arg;
    const char *event = json_str(o, "event"), *id = json_str(o, "id");

    if (!event)
        return;
    if (strcmp(event, "request") == 0 && is_flip_of(sc, o)) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "parameters");

        toggle_flip_seen_free(&sc->seen);
        free(sc->id);
        sc->id = dup_or_null(id);
        sc->seen.time = dup_or_null(json_str(o, "time"));
        sc->seen.by = dup_or_null(json_str(o, "caller_arn"));
        sc->seen.profile = dup_or_null(json_str(o, "profile"));
        sc->seen.before = dup_or_null(json_str(p, "before"));
        sc->seen.after = dup_or_null(json_str(p, "after"));
        sc->found = true;
    } else if (strcmp(event, "outcome") == 0 && sc->id && id && strcmp(id, sc->id) == 0) {
        const cJSON *err = cJSON_GetObjectItemCaseSensitive(o, "error");
        const char *code = cJSON_IsObject(err) ? json_str(err, "code") : NULL;

        if (!code)
            code = cJSON_IsObject(err) ? json_str(err, "message") : json_str(o, "error");
        free(sc->seen.status);
        free(sc->seen.error);
        sc->seen.status = dup_or_null(json_str(o, "status"));
        sc->seen.error = dup_or_null(code);
    }
}

int toggle_last_flip(const char *path, const char *kind, const char *key, const char *account,
                     const char *region, struct toggle_flip_seen *out, char *why,
                     size_t whylen)
{
    struct flip_scan sc = {.kind = kind, .key = key, .account = account, .region = region};
    int rc;

    memset(out, 0, sizeof(*out));
    if (!kind || !key)
        return 0;
    rc = audit_scan_tail(path, TOGGLE_AUDIT_TAIL, scan_line, &sc, why, whylen);
    free(sc.id);
    if (rc < 0 || !sc.found) {
        toggle_flip_seen_free(&sc.seen);
        return rc < 0 ? -1 : 0;
    }
    *out = sc.seen;
    return 1;
}

void toggle_flip_seen_free(struct toggle_flip_seen *f)
{
    free(f->time);
    free(f->by);
    free(f->profile);
    free(f->before);
    free(f->after);
    free(f->status);
    free(f->error);
    memset(f, 0, sizeof(*f));
}

const struct action toggle_flip_action = {
    .name = "toggle-flip",
    .title = TOGGLE_FLIP_TITLE,
    .target_kind = "toggle",
    .mutates = true,
    .confirm = ACT_CONFIRM_YESNO,
    .private_size = sizeof(struct flip),
    .refuse = toggle_refuse,
    .describe = toggle_describe,
    .start = toggle_start,
    .answer = toggle_answer,
    .tick = toggle_tick,
    .done = toggle_done,
};
