/* secret_rotation.c - Secrets Manager ListSecrets, paged, as the "secret_rotation" kind:
 * every secret that rotates (or has a next rotation date), with when it last rotated and
 * when it rotates next. A next rotation date in the past means the rotation did not happen;
 * the expiry view says "overdue" for it. Never a secret's value: ListSecrets returns none. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "aws/secretsmanager.h"
#include "core/pager.h"
#include "poll/sources/common.h"
#include "poll/sources/sources.h"
#include "util/xalloc.h"

struct secret_rotation_state {
    struct secretsmanager_secret *s;
    size_t n;
    struct aws_pager pager;
    struct aws_error *err;
};

static void list_page(struct source_run *run, const char *next_token)
{
    struct secretsmanager_list_params p = {.max_results = 100, .next_token = next_token};
    struct aws_request r;

    secretsmanager_list_secrets_request(&r, &p);
    source_send(run, &r, 0, 0);
}

static void secret_rotation_start(struct source_run *run, void *state)
{
    (void)state;
    list_page(run, NULL);
}

static void secret_rotation_answer(struct source_run *run, void *state, unsigned tag,
                                   size_t index, const struct aws_response *resp,
                                   const struct aws_error *err)
{
    struct secret_rotation_state *st = state;
    struct secretsmanager_secret_list l = {0};
    struct aws_error perr;

    (void)tag;
    (void)index;
    aws_error_clear(&perr);
    if (!err && (secretsmanager_list_secrets_parse(resp, &l, &perr) < 0 ||
                 aws_pager_next(&st->pager, l.next_token, resp, &perr) < 0)) {
        err = &perr;
        source_error(run, err);
    }
    if (err) {
        secretsmanager_secret_list_free(&l);
        sources_error_keep(&st->err, err);
        source_backoff(run);
        return;
    }
    /* only those that rotate: the others have no countdown */
    for (size_t i = 0; i < l.n; i++) {
        if (!l.secrets[i].rotation_enabled && l.secrets[i].next_rotation < 0) {
            secretsmanager_secret_free(&l.secrets[i]);
            continue;
        }
        st->s = xrealloc(st->s, (st->n + 1) * sizeof(*st->s));
        st->s[st->n++] = l.secrets[i];
    }
    l.n = 0;   /* every entry was taken over or freed */
    if (l.next_token)
        list_page(run, l.next_token);
    secretsmanager_secret_list_free(&l);
}

static void set_time(struct store_res *r, const char *field, int64_t t)
{
    if (t >= 0)
        store_set_int(r, field, t);
    else
        store_set_unknown(r, field);
}

static void secret_rotation_commit(struct source_run *run, void *state)
{
    struct secret_rotation_state *st = state;
    struct store *s = source_store(run);

    if (st->err) {
        store_list_fail(s, "secret_rotation", st->err);
        return;
    }
    store_list_begin(s, "secret_rotation");
    for (size_t i = 0; i < st->n; i++) {
        const struct secretsmanager_secret *x = &st->s[i];
        struct store_res *r = store_update_begin(s, "secret_rotation", x->arn);

        store_set_str(r, "name", x->name);
        store_set_int(r, "rotation_enabled", x->rotation_enabled);
        set_time(r, "rotation_days", x->rotation_days);
        store_set(r, "schedule", store_value_str(x->rotation_schedule));
        set_time(r, "last_rotated", x->last_rotated);
        set_time(r, "last_changed", x->last_changed);
        set_time(r, "next_rotation", x->next_rotation);
        set_time(r, "deleted", x->deleted);
        store_update_commit(r);
    }
    store_list_end(s, "secret_rotation");
}

static void secret_rotation_done(void *state)
{
    struct secret_rotation_state *st = state;

    for (size_t i = 0; i < st->n; i++)
        secretsmanager_secret_free(&st->s[i]);
    free(st->s);
    free(st->err);
    aws_pager_done(&st->pager);
}

static const char *const secret_rotation_kinds[] = {"secret_rotation", NULL};

const struct source secret_rotation_source = {
    .name = "secret_rotation",
    .kinds = secret_rotation_kinds,
    .views = SOURCE_VIEW(APPCONFIG_VIEW_EXPIRY),
    .state_size = sizeof(struct secret_rotation_state),
    .start = secret_rotation_start,
    .answer = secret_rotation_answer,
    .commit = secret_rotation_commit,
    .done = secret_rotation_done,
};
