/* parameters.c - SSM parameters as the "parameter" kind: the toggles declared in opsdeck's
 * config ([toggle NAME], GetParameters, 10 at a time, decrypted so a SecureString's state can
 * be told) and every parameter under the [toggles] paths (GetParametersByPath, recursive,
 * paged, never decrypted: shown read-only unless declared). A SecureString's value never
 * reaches the store: only whether it is on or off. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "aws/ssm.h"
#include "core/pager.h"
#include "poll/sources/common.h"
#include "poll/sources/sources.h"
#include "poll/sources/togglestate.h"
#include "util/xalloc.h"

enum { TAG_DECLARED, TAG_PATH };

/* What a row will hold: never a secure value, only the state it gives. */
struct param {
    char *name;
    const struct appconfig_toggle *toggle;   /* NULL: found under a path only */
    char *type;
    bool secure;
    char *value;              /* NULL for a SecureString */
    const char *state;
    int64_t version, last_modified;
    bool found;               /* SSM answered for it; a declared one may not exist */
};

struct parameters_state {
    const struct appconfig *cfg;
    struct param *p;
    size_t n;
    struct aws_pager *pagers;     /* one per path */
    struct aws_error *err;
};

static struct param *param_get(struct parameters_state *st, const char *name)
{
    for (size_t i = 0; i < st->n; i++)
        if (strcmp(st->p[i].name, name) == 0)
            return &st->p[i];
    st->p = xrealloc(st->p, (st->n + 1) * sizeof(*st->p));
    memset(&st->p[st->n], 0, sizeof(st->p[0]));
    st->p[st->n].name = xstrdup(name);
    return &st->p[st->n++];
}

static void path_page(struct source_run *run, struct parameters_state *st, size_t pi,
                      const char *token)
{
    struct aws_request r;
    struct ssm_path_params pp = {.path = st->cfg->toggle_paths[pi], .recursive = true,
                                 .max_results = 10, .next_token = token};

    ssm_get_parameters_by_path_request(&r, &pp);
    source_send(run, &r, TAG_PATH, pi);
}

static void parameters_start(struct source_run *run, void *state)
{
    struct parameters_state *st = state;
    const struct appconfig *cfg = source_config(run);

    st->cfg = cfg;
    for (size_t i = 0; i < cfg->ntoggles; i++)
        param_get(st, cfg->toggles[i].parameter)->toggle = &cfg->toggles[i];
    for (size_t i = 0; i < cfg->ntoggles; i += SSM_MAX_GET_PARAMETERS) {
        const char *names[SSM_MAX_GET_PARAMETERS];
        size_t k = 0;
        struct aws_request r;

        for (; k < SSM_MAX_GET_PARAMETERS && i + k < cfg->ntoggles; k++)
            names[k] = cfg->toggles[i + k].parameter;
        ssm_get_parameters_request(&r, names, k, true);
        source_send(run, &r, TAG_DECLARED, i);
    }
    st->pagers = xcalloc(cfg->ntoggle_paths + 1, sizeof(*st->pagers));
    for (size_t i = 0; i < cfg->ntoggle_paths; i++)
        path_page(run, st, i, NULL);
}

/* One parameter SSM described: a declared one's state from its (decrypted) value, which is
 * dropped at once for a SecureString; one found under a path keeps a plain value only. */
static void param_take(struct parameters_state *st, const struct ssm_parameter *sp,
                       bool decrypted)
{
    struct param *p = param_get(st, sp->name);

    if (p->found && p->toggle && !decrypted)
        return;  /* the declared answer (decrypted) says more than the path's */
    p->found = true;
    free(p->type);
    p->type = xstrdup(sp->type ? sp->type : "String");
    p->secure = sp->secure;
    free(p->value);
    p->value = sp->secure ? NULL : xstrdup(sp->value ? sp->value : "");
    p->version = sp->version;
    p->last_modified = sp->last_modified;
    if (p->toggle)
        p->state = decrypted ? togglestate_parameter(sp->value, p->toggle->on, p->toggle->off)
                             : TOGGLE_UNKNOWN;
    else
        p->state = TOGGLE_VALUE;
}

static void parameters_answer(struct source_run *run, void *state, unsigned tag, size_t index,
                              const struct aws_response *resp, const struct aws_error *err)
{
    struct parameters_state *st = state;
    struct ssm_parameter_list l = {0};
    struct aws_error perr;
    int rc = 0;

    aws_error_clear(&perr);
    if (!err) {
        if (tag == TAG_DECLARED)
            rc = ssm_get_parameters_parse(resp, &l, &perr);
        else
            rc = ssm_get_parameters_by_path_parse(resp, &l, &perr);
        if (rc == 0 && tag == TAG_PATH)
            rc = aws_pager_next(&st->pagers[index], l.next_token, resp, &perr) < 0 ? -1 : 0;
        if (rc < 0) {
            err = &perr;
            source_error(run, err);
        }
    }
    if (err) {
        ssm_parameter_list_free(&l);
        sources_error_keep(&st->err, err);
        source_backoff(run);
        return;
    }
    for (size_t i = 0; i < l.n; i++)
        param_take(st, &l.params[i], tag == TAG_DECLARED);
    if (tag == TAG_PATH && l.next_token)
        path_page(run, st, index, l.next_token);
    ssm_parameter_list_free(&l);
}

static void parameters_commit(struct source_run *run, void *state)
{
    struct parameters_state *st = state;
    struct store *s = source_store(run);

    if (st->err) {
        store_list_fail(s, "parameter", st->err);
        return;
    }
    store_list_begin(s, "parameter");
    for (size_t i = 0; i < st->n; i++) {
        const struct param *p = &st->p[i];
        struct store_res *r = store_update_begin(s, "parameter", p->name);

        store_set_str(r, "name", p->toggle ? p->toggle->name : p->name);
        store_set_str(r, "parameter", p->name);
        store_set(r, "toggle", store_value_str(p->toggle ? p->toggle->name : NULL));
        store_set(r, "description",
                  store_value_str(p->toggle ? p->toggle->description : NULL));
        store_set_int(r, "exists", p->found);
        if (!p->found) {
            /* declared, but SSM has no such parameter: a switch nobody can read */
            store_set_str(r, "state", TOGGLE_UNKNOWN);
            store_set_unknown(r, "type");
            store_set_unknown(r, "value");
            store_update_commit(r);
            continue;
        }
        store_set_str(r, "type", p->type);
        store_set_int(r, "secure", p->secure);
        store_set(r, "value", store_value_str(p->value));
        store_set_str(r, "state", p->state);
        sources_set_count(r, "version", p->version);
        sources_set_count(r, "last_modified", p->last_modified);
        store_update_commit(r);
    }
    store_list_end(s, "parameter");
}

static void parameters_done(void *state)
{
    struct parameters_state *st = state;

    for (size_t i = 0; i < st->n; i++) {
        free(st->p[i].name);
        free(st->p[i].type);
        free(st->p[i].value);
    }
    free(st->p);
    for (size_t i = 0; st->pagers && i < st->cfg->ntoggle_paths; i++)
        aws_pager_done(&st->pagers[i]);
    free(st->pagers);
    free(st->err);
}

static const char *const parameters_kinds[] = {"parameter", NULL};

const struct source parameters_source = {
    .name = "parameters",
    .kinds = parameters_kinds,
    .views = SOURCE_VIEW(APPCONFIG_VIEW_OVERVIEW) | SOURCE_VIEW(APPCONFIG_VIEW_TOGGLES),
    .state_size = sizeof(struct parameters_state),
    .start = parameters_start,
    .answer = parameters_answer,
    .commit = parameters_commit,
    .done = parameters_done,
};
