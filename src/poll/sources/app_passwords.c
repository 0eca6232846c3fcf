/* app_passwords.c - the passwords with a fixed lifetime that opsdeck's config declares
 * ([expiry NAME]), as the "app_password" kind: when their anchor (a Secrets Manager secret's
 * LastChangedDate, from DescribeSecret, or an SSM parameter's LastModifiedDate, from
 * GetParameter without decryption) last changed, and so when the next change is due. The
 * refresh itself is someone else's (a token-refresh function): a due time in the past means
 * it did not happen, and the view says "late". */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/secretsmanager.h"
#include "aws/ssm.h"
#include "poll/sources/common.h"
#include "poll/sources/sources.h"
#include "util/xalloc.h"

#define CAUSE_MAX 160

struct app_anchor {
    int64_t changed;          /* -1: not read */
    char cause[CAUSE_MAX];    /* why not, or "" */
};

struct app_passwords_state {
    const struct appconfig *app;   /* the sections as they were when the cycle started */
    struct app_anchor *a;          /* one per cfg->expiries[i] */
    size_t n;
};

static bool is_secret(const struct appconfig_expiry *e)
{
    return strncmp(e->anchor, "secret:", 7) == 0;
}

static const char *anchor_name(const struct appconfig_expiry *e)
{
    return strchr(e->anchor, ':') + 1;
}

static void app_passwords_start(struct source_run *run, void *state)
{
    struct app_passwords_state *st = state;

    st->app = source_config(run);
    st->n = st->app ? st->app->nexpiries : 0;
    st->a = xcalloc(st->n ? st->n : 1, sizeof(*st->a));
    for (size_t i = 0; i < st->n; i++) {
        const struct appconfig_expiry *e = &st->app->expiries[i];
        struct aws_request r;

        st->a[i].changed = -1;
        if (is_secret(e))
            secretsmanager_describe_secret_request(&r, anchor_name(e));
        else
            ssm_get_parameter_request(&r, anchor_name(e), false);
        source_send(run, &r, 0, i);
    }
}

static void app_passwords_answer(struct source_run *run, void *state, unsigned tag,
                                 size_t index, const struct aws_response *resp,
                                 const struct aws_error *err)
{
    struct app_passwords_state *st = state;
    struct app_anchor *a;
    struct aws_error perr;
    bool secret;

    (void)tag;
    if (index >= st->n)
        return;
    a = &st->a[index];
    secret = is_secret(&st->app->expiries[index]);
    aws_error_clear(&perr);
    if (err && err->kind == AWS_ERR_HTTP &&
        (strcmp(err->code, "ResourceNotFoundException") == 0 ||
         strcmp(err->code, "ParameterNotFound") == 0)) {
        snprintf(a->cause, sizeof(a->cause), "%s does not exist — fix its anchor in opsdeck's "
                 "config", secret ? "the secret" : "the parameter");
        source_gone(run);
        return;
    }
    if (!err && secret) {
        struct secretsmanager_secret x = {0};

        if (secretsmanager_describe_secret_parse(resp, &x, &perr) < 0)
            err = &perr;
        else
            a->changed = x.last_changed >= 0 ? x.last_changed : x.created;
        secretsmanager_secret_free(&x);
    } else if (!err) {
        struct ssm_parameter p = {0};

        if (ssm_get_parameter_parse(resp, &p, &perr) < 0)
            err = &perr;
        else
            a->changed = p.last_modified;
        ssm_parameter_free(&p);
    }
    if (err == &perr)
        source_error(run, err);
    if (err)
        sources_cannot_read(err, a->cause, sizeof(a->cause));
    else if (a->changed < 0)
        snprintf(a->cause, sizeof(a->cause), "AWS gave no last-changed date");
}

static void app_passwords_commit(struct source_run *run, void *state)
{
    struct app_passwords_state *st = state;
    struct store *s = source_store(run);

    store_list_begin(s, "app_password");
    for (size_t i = 0; i < st->n; i++) {
        const struct appconfig_expiry *e = &st->app->expiries[i];
        struct store_res *r = store_update_begin(s, "app_password", e->name);

        store_set_str(r, "anchor", e->anchor);
        store_set_int(r, "lifetime", e->lifetime);
        if (e->warn)
            store_set_int(r, "warn", e->warn);
        else
            store_set_unknown(r, "warn");
        if (e->critical)
            store_set_int(r, "critical", e->critical);
        else
            store_set_unknown(r, "critical");
        if (st->a[i].changed >= 0) {
            store_set_int(r, "last_changed", st->a[i].changed);
            store_set_int(r, "expires", st->a[i].changed + e->lifetime);
        } else {
            store_set_unknown(r, "last_changed");
            store_set_unknown(r, "expires");
        }
        store_set_str(r, "unreadable", st->a[i].cause);
        store_update_commit(r);
    }
    store_list_end(s, "app_password");
}

static void app_passwords_done(void *state)
{
    struct app_passwords_state *st = state;

    free(st->a);
}

static const char *const app_passwords_kinds[] = {"app_password", NULL};

const struct source app_passwords_source = {
    .name = "app_passwords",
    .kinds = app_passwords_kinds,
    .views = SOURCE_VIEW(APPCONFIG_VIEW_EXPIRY),
    .state_size = sizeof(struct app_passwords_state),
    .start = app_passwords_start,
    .answer = app_passwords_answer,
    .commit = app_passwords_commit,
    .done = app_passwords_done,
};
