/* rules.c - EventBridge ListEventBuses, then ListRules on each bus (both paged), as the
 * "rule" kind: the rules that start message flow on a schedule or an event pattern. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "aws/events.h"
#include "core/pager.h"
#include "poll/sources/common.h"
#include "poll/sources/sources.h"
#include "poll/sources/togglestate.h"
#include "util/xalloc.h"

enum { TAG_BUSES, TAG_RULES };

struct bus {
    char *name;
    struct aws_pager pager;
};

struct rules_state {
    struct aws_pager bus_pager;
    struct bus *buses;
    size_t nbuses;
    bool buses_done;
    struct events_rule *rules;
    size_t nrules;
    struct aws_error *err;    /* any listing failed: the kind keeps its rows, stale */
};

static void buses_page(struct source_run *run, const char *token)
{
    struct aws_request r;
    struct events_list_params lp = {.limit = 100, .next_token = token};

    events_list_event_buses_request(&r, &lp);
    source_send(run, &r, TAG_BUSES, 0);
}

static void rules_page(struct source_run *run, struct rules_state *st, size_t bi,
                       const char *token)
{
    struct aws_request r;
    struct events_list_params lp = {.limit = 100, .next_token = token};

    events_list_rules_request(&r, st->buses[bi].name, &lp);
    source_send(run, &r, TAG_RULES, bi);
}

static void rules_start(struct source_run *run, void *state)
{
    (void)state;
    buses_page(run, NULL);
}

static void failed(struct source_run *run, struct rules_state *st, const struct aws_error *err)
{
    sources_error_keep(&st->err, err);
    source_backoff(run);
}

static void buses_answer(struct source_run *run, struct rules_state *st,
                         const struct aws_response *resp, const struct aws_error *err)
{
    struct events_bus_list l = {0};
    struct aws_error perr;
    size_t first = st->nbuses;

    aws_error_clear(&perr);
    if (!err && (events_list_event_buses_parse(resp, &l, &perr) < 0 ||
                 aws_pager_next(&st->bus_pager, l.next_token, resp, &perr) < 0)) {
        err = &perr;
        source_error(run, err);
    }
    if (err) {
        events_bus_list_free(&l);
        failed(run, st, err);
        return;
    }
    st->buses = xrealloc(st->buses, (st->nbuses + l.n + 1) * sizeof(*st->buses));
    for (size_t i = 0; i < l.n; i++) {
        memset(&st->buses[st->nbuses], 0, sizeof(st->buses[0]));
        st->buses[st->nbuses++].name = xstrdup(l.buses[i].name);
    }
    if (l.next_token)
        buses_page(run, l.next_token);
    for (size_t i = first; i < st->nbuses; i++)
        rules_page(run, st, i, NULL);
    events_bus_list_free(&l);
}

static void rules_answer(struct source_run *run, void *state, unsigned tag, size_t index,
                         const struct aws_response *resp, const struct aws_error *err)
{
    struct rules_state *st = state;
    struct events_rule_list l = {0};
    struct aws_error perr;

    if (tag == TAG_BUSES) {
        buses_answer(run, st, resp, err);
        return;
    }
    aws_error_clear(&perr);
    if (!err && (events_list_rules_parse(resp, &l, &perr) < 0 ||
                 aws_pager_next(&st->buses[index].pager, l.next_token, resp, &perr) < 0)) {
        err = &perr;
        source_error(run, err);
    }
    if (err) {
        events_rule_list_free(&l);
        failed(run, st, err);
        return;
    }
    st->rules = xrealloc(st->rules, (st->nrules + l.n + 1) * sizeof(*st->rules));
    for (size_t i = 0; i < l.n; i++) {
        st->rules[st->nrules] = l.rules[i];
        /* ListRules may leave EventBusName out on the default bus */
        if (!st->rules[st->nrules].bus)
            st->rules[st->nrules].bus = xstrdup(st->buses[index].name);
        st->nrules++;
        memset(&l.rules[i], 0, sizeof(l.rules[i]));
    }
    if (l.next_token)
        rules_page(run, st, index, l.next_token);
    events_rule_list_free(&l);
}

/* The key and the name people use: "RULE" on the default bus, "BUS/RULE" off it; the key
 * always names the bus, so two buses' rules of one name stay two rows. */
static void rules_commit(struct source_run *run, void *state)
{
    struct rules_state *st = state;
    struct store *s = source_store(run);

    if (st->err) {
        store_list_fail(s, "rule", st->err);
        return;
    }
    store_list_begin(s, "rule");
    for (size_t i = 0; i < st->nrules; i++) {
        const struct events_rule *ru = &st->rules[i];
        bool dflt = strcmp(ru->bus, "default") == 0;
        char *key = xasprintf("%s/%s", ru->bus, ru->name);
        struct store_res *r = store_update_begin(s, "rule", key);

        store_set_str(r, "name", dflt ? ru->name : key);
        store_set_str(r, "rule", ru->name);
        store_set_str(r, "bus", ru->bus);
        store_set(r, "arn", store_value_str(ru->arn));
        store_set_str(r, "aws_state", ru->state);
        store_set_str(r, "state", togglestate_rule(ru->state));
        store_set(r, "schedule", store_value_str(ru->schedule));
        store_set(r, "pattern", store_value_str(ru->pattern));
        store_set(r, "description", store_value_str(ru->description));
        store_set(r, "managed_by", store_value_str(ru->managed_by));
        store_update_commit(r);
        free(key);
    }
    store_list_end(s, "rule");
}

static void rules_done(void *state)
{
    struct rules_state *st = state;

    for (size_t i = 0; i < st->nbuses; i++) {
        free(st->buses[i].name);
        aws_pager_done(&st->buses[i].pager);
    }
    free(st->buses);
    aws_pager_done(&st->bus_pager);
    for (size_t i = 0; i < st->nrules; i++)
        events_rule_free(&st->rules[i]);
    free(st->rules);
    free(st->err);
}

static const char *const rules_kinds[] = {"rule", NULL};

const struct source rules_source = {
    .name = "rules",
    .kinds = rules_kinds,
    .views = SOURCE_VIEW(APPCONFIG_VIEW_OVERVIEW) | SOURCE_VIEW(APPCONFIG_VIEW_TOGGLES),
    .state_size = sizeof(struct rules_state),
    .start = rules_start,
    .answer = rules_answer,
    .commit = rules_commit,
    .done = rules_done,
};
