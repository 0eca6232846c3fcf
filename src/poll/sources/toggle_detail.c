/* toggle_detail.c - the switch whose pane is open in the toggles view, as the
 * "toggle_detail" kind: a rule's targets (EventBridge ListTargetsByRule, paged) and who last
 * changed a parameter (SSM DescribeParameters: LastModifiedUser, which GetParameters does not
 * give). A mapping needs nothing more than its list row (LastModified,
 * StateTransitionReason), so its pane sends no request.
 *
 * The key is the toggles view's row key, "rule:BUS/RULE" or "parameter:NAME"; a rule's name
 * never holds '/', a bus's may, so the rule is what follows the last '/'. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "aws/events.h"
#include "aws/ssm.h"
#include "core/pager.h"
#include "poll/sources/common.h"
#include "poll/sources/sources.h"
#include "util/xalloc.h"

#define TOGGLE_DETAIL_INTERVAL_MS 10000

enum { TAG_TARGETS, TAG_META };

struct tdetail_state {
    char *key;                     /* the store key: the view's row key */
    char *bus, *rule;              /* a rule's */
    const char *param;             /* a parameter's name, inside key */
    struct aws_pager pager;
    cJSON *targets;                /* an array, built as pages come */
    bool have_targets;
    struct ssm_param_meta meta;
    bool have_meta, found, gone;
    struct aws_error *err;
};

static void targets_page(struct source_run *run, struct tdetail_state *st, const char *token)
{
    struct aws_request r;
    struct events_list_params lp = {.limit = 100, .next_token = token};

    events_list_targets_by_rule_request(&r, st->rule, st->bus, &lp);
    source_send(run, &r, TAG_TARGETS, 0);
}

static void tdetail_start(struct source_run *run, void *state)
{
    struct tdetail_state *st = state;
    const char *key = source_detail(run);
    struct aws_request r;

    if (!key)
        return;
    st->key = xstrdup(key);
    if (strncmp(key, "rule:", 5) == 0) {
        const char *slash = strrchr(key + 5, '/');

        if (!slash || !slash[1])
            return;
        st->bus = xstrndup(key + 5, (size_t)(slash - (key + 5)));
        st->rule = xstrdup(slash + 1);
        st->targets = cJSON_CreateArray();
        targets_page(run, st, NULL);
    } else if (strncmp(key, "parameter:", 10) == 0 && key[10]) {
        st->param = st->key + 10;
        ssm_describe_parameters_request(&r, &st->param, 1, NULL);
        source_send(run, &r, TAG_META, 0);
    }
}

/* A target as the pane shows it: where it goes, what it is sent, where failures go. */
static void target_add(cJSON *arr, const struct events_target *t)
{
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "id", t->id);
    cJSON_AddStringToObject(o, "arn", t->arn);
    if (t->role_arn)
        cJSON_AddStringToObject(o, "role_arn", t->role_arn);
    if (t->dlq_arn)
        cJSON_AddStringToObject(o, "dlq", t->dlq_arn);
    cJSON_AddStringToObject(o, "input", t->input_transformer ? "transformer"
                                        : t->input ? "constant"
                                        : t->input_path ? "path" : "event");
    cJSON_AddItemToArray(arr, o);
}

static void targets_answer(struct source_run *run, struct tdetail_state *st,
                           const struct aws_response *resp, const struct aws_error *err)
{
    struct events_target_list l = {0};
    struct aws_error perr;

    aws_error_clear(&perr);
    if (!err && (events_list_targets_by_rule_parse(resp, &l, &perr) < 0 ||
                 aws_pager_next(&st->pager, l.next_token, resp, &perr) < 0)) {
        err = &perr;
        source_error(run, err);
    }
    if (err && strcmp(err->code, "ResourceNotFoundException") == 0) {
        st->gone = true;   /* deleted since the list: the rules source will drop the row */
        source_gone(run);
    } else if (err) {
        sources_error_keep(&st->err, err);
    } else {
        for (size_t i = 0; i < l.n; i++)
            target_add(st->targets, &l.targets[i]);
        if (l.next_token)
            targets_page(run, st, l.next_token);
        else
            st->have_targets = true;
    }
    events_target_list_free(&l);
}

static void meta_answer(struct source_run *run, struct tdetail_state *st,
                        const struct aws_response *resp, const struct aws_error *err)
{
    struct ssm_param_meta_list l = {0};
    struct aws_error perr;

    aws_error_clear(&perr);
    if (!err && ssm_describe_parameters_parse(resp, &l, &perr) < 0) {
        err = &perr;
        source_error(run, err);
    }
    if (err) {
        sources_error_keep(&st->err, err);
        return;
    }
    st->have_meta = true;
    for (size_t i = 0; i < l.n; i++) {
        if (strcmp(l.params[i].name, st->param) != 0)
            continue;   /* Equals is exact; anything else is not the one asked for */
        st->meta = l.params[i];
        memset(&l.params[i], 0, sizeof(l.params[i]));
        st->found = true;
        break;
    }
    ssm_param_meta_list_free(&l);
}

static void tdetail_answer(struct source_run *run, void *state, unsigned tag, size_t index,
                           const struct aws_response *resp, const struct aws_error *err)
{
    (void)index;
    if (tag == TAG_TARGETS)
        targets_answer(run, state, resp, err);
    else
        meta_answer(run, state, resp, err);
}

static void tdetail_commit(struct source_run *run, void *state)
{
    struct tdetail_state *st = state;
    struct store *s = source_store(run);
    struct store_res *r;

    if (!st->key || (!st->rule && !st->param))
        return;
    if (st->err) {
        store_fail(s, "toggle_detail", st->key, st->err);
        return;
    }
    if (!st->gone && !st->have_targets && !st->have_meta)
        return;
    r = store_update_begin(s, "toggle_detail", st->key);
    store_set_int(r, "exists", !st->gone && (st->rule || st->found));
    if (st->rule && st->have_targets) {
        char *json = cJSON_PrintUnformatted(st->targets);

        store_set_str(r, "targets", json ? json : "[]");
        store_set_int(r, "ntargets", cJSON_GetArraySize(st->targets));
        cJSON_free(json);
    }
    if (st->param && st->found) {
        store_set(r, "modified_user", store_value_str(st->meta.last_modified_user));
        sources_set_count(r, "modified", st->meta.last_modified);
        sources_set_count(r, "version", st->meta.version);
        store_set(r, "description", store_value_str(st->meta.description));
    }
    store_update_commit(r);
}

static void tdetail_done(void *state)
{
    struct tdetail_state *st = state;

    free(st->key);
    free(st->bus);
    free(st->rule);
    aws_pager_done(&st->pager);
    cJSON_Delete(st->targets);
    ssm_param_meta_free(&st->meta);
    free(st->err);
}

static const char *const tdetail_kinds[] = {"toggle_detail", NULL};

const struct source toggle_detail_source = {
    .name = "toggle_detail",
    .kinds = tdetail_kinds,
    .views = SOURCE_VIEW(APPCONFIG_VIEW_TOGGLES),
    .interval_ms = TOGGLE_DETAIL_INTERVAL_MS,
    .detail = true,
    .state_size = sizeof(struct tdetail_state),
    .start = tdetail_start,
    .answer = tdetail_answer,
    .commit = tdetail_commit,
    .done = tdetail_done,
};
