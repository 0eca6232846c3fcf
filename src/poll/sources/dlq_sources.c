/* dlq_sources.c - which queues feed each dead-letter queue: SQS ListDeadLetterSourceQueues
 * (paged) for every "dlq" row, written as its sources and nsources. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "aws/sqs.h"
#include "core/pager.h"
#include "poll/sources/common.h"
#include "poll/sources/sources.h"
#include "util/xalloc.h"

struct dlq {
    char *url;
    char **sources;
    size_t nsources;
    bool done, gone;
    struct aws_pager pager;
    struct aws_error *err;
};

struct dlq_sources_state {
    struct dlq *d;
    size_t n;
};

static void list_page(struct source_run *run, struct dlq_sources_state *st, size_t di,
                      const char *next_token)
{
    struct aws_request r;
    struct sqs_list_dlq_sources_params lp = {
        .queue_url = st->d[di].url, .max_results = SQS_MAX_RESULTS, .next_token = next_token};

    sqs_list_dead_letter_source_queues_request(&r, &lp);
    source_send(run, &r, 0, di);
}

static void dlq_sources_start(struct source_run *run, void *state)
{
    struct dlq_sources_state *st = state;
    const struct store *s = source_store(run);

    st->n = store_count(s, "dlq");
    st->d = xcalloc(st->n ? st->n : 1, sizeof(*st->d));
    for (size_t i = 0; i < st->n; i++)
        st->d[i].url = xstrdup(store_res_key(store_at(s, "dlq", i)));
    for (size_t i = 0; i < st->n; i++)
        list_page(run, st, i, NULL);
}

static void dlq_sources_answer(struct source_run *run, void *state, unsigned tag, size_t index,
                               const struct aws_response *resp, const struct aws_error *err)
{
    struct dlq_sources_state *st = state;
    struct dlq *d = &st->d[index];
    struct sqs_url_list l = {0};
    struct aws_error perr;
    int rc = 0;

    (void)tag;
    aws_error_clear(&perr);
    if (!err && ((rc = sqs_list_dead_letter_source_queues_parse(resp, &l, &perr)) < 0 ||
                 aws_pager_next(&d->pager, l.next_token, resp, &perr) < 0)) {
        err = &perr;
        source_error(run, err);
    } else if (rc > 0) {
        source_error(run, &perr);   /* items skipped: the call's error, the others listed */
    }
    if (err)
        sqs_url_list_free(&l);
    if (err && sources_gone(err)) {
        d->gone = true;
        source_gone(run);
        return;
    }
    if (err) {
        sources_error_keep(&d->err, err);
        return;
    }
    d->sources = xrealloc(d->sources, (d->nsources + l.n + 1) * sizeof(char *));
    for (size_t i = 0; i < l.n; i++)
        d->sources[d->nsources++] = xstrdup(l.urls[i]);
    if (l.next_token)
        list_page(run, st, index, l.next_token);
    else
        d->done = true;
    sqs_url_list_free(&l);
}

static void dlq_sources_commit(struct source_run *run, void *state)
{
    struct dlq_sources_state *st = state;
    struct store *s = source_store(run);

    for (size_t i = 0; i < st->n; i++) {
        struct dlq *d = &st->d[i];
        struct store_res *r;
        cJSON *arr;
        char *text;

        /* a row the queue list dropped meanwhile is not brought back */
        if (!store_find(s, "dlq", d->url))
            continue;
        if (d->err) {
            store_fail(s, "dlq", d->url, d->err);
            continue;
        }
        if (!d->done)
            continue;
        arr = cJSON_CreateArray();
        for (size_t k = 0; k < d->nsources; k++)
            cJSON_AddItemToArray(arr, cJSON_CreateString(d->sources[k]));
        text = cJSON_PrintUnformatted(arr);
        r = store_update_begin(s, "dlq", d->url);
        store_set_str(r, "sources", text);
        store_set_int(r, "nsources", (int64_t)d->nsources);
        store_update_commit(r);
        free(text);
        cJSON_Delete(arr);
    }
}

static void dlq_sources_done(void *state)
{
    struct dlq_sources_state *st = state;

    for (size_t i = 0; i < st->n; i++) {
        free(st->d[i].url);
        free(st->d[i].err);
        aws_pager_done(&st->d[i].pager);
        sources_strv_free(st->d[i].sources, st->d[i].nsources);
    }
    free(st->d);
}

static const char *const dlq_sources_kinds[] = {"dlq", NULL};

const struct source dlq_sources_source = {
    .name = "dlq_sources",
    .kinds = dlq_sources_kinds,
    .views = SOURCE_VIEW(APPCONFIG_VIEW_OVERVIEW) | SOURCE_VIEW(APPCONFIG_VIEW_DLQ),
    .input = "dlq",
    .state_size = sizeof(struct dlq_sources_state),
    .start = dlq_sources_start,
    .answer = dlq_sources_answer,
    .commit = dlq_sources_commit,
    .done = dlq_sources_done,
};
