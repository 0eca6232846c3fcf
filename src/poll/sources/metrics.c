/* metrics.c - one CloudWatch number per row of a kind (metrics.h). */
#include "config.h"
#include "poll/sources/metrics.h"

#include <stdlib.h>

#include "poll/sources/common.h"
#include "poll/store.h"
#include "util/xalloc.h"

static void send_batch(struct source_run *run, struct metrics_cycle *c, size_t batch,
                       const char *next_token)
{
    struct aws_request r;

    cw_get_metric_data_request(&r, c->set, batch, c->start, c->end, next_token);
    source_send(run, &r, 0, batch);
}

void metrics_start(struct source_run *run, struct metrics_cycle *c, const char *kind,
                   size_t (*add)(struct cw_query_set *set, const char *key), bool sum)
{
    const struct store *s = source_store(run);
    size_t n = store_count(s, kind);

    c->sum = sum;
    if (!n)
        return;
    c->set = cw_query_set_new();
    c->n = n;
    c->keys = xcalloc(n, sizeof(*c->keys));
    c->have = xcalloc(n, sizeof(*c->have));
    c->points = xcalloc(n, sizeof(*c->points));
    c->value = xcalloc(n, sizeof(*c->value));
    c->ts = xcalloc(n, sizeof(*c->ts));
    for (size_t i = 0; i < n; i++) {
        const char *key = store_res_key(store_at(s, kind, i));
        size_t qi = add(c->set, key);

        if (qi < n)
            c->keys[qi] = xstrdup(key);
    }
    /* CloudWatch wants wall-clock times; the schedule never reads this clock */
    c->end = source_wall_s(run);
    c->start = c->end - SOURCES_CW_WINDOW_SECONDS;
    c->failed = xcalloc(cw_get_metric_data_batches(c->set) + 1, sizeof(*c->failed));
    c->pagers = xcalloc(cw_get_metric_data_batches(c->set) + 1, sizeof(*c->pagers));
    for (size_t b = 0; b < cw_get_metric_data_batches(c->set); b++)
        send_batch(run, c, b, NULL);
}

void metrics_answer(struct source_run *run, struct metrics_cycle *c, size_t batch,
                    const struct aws_response *resp, const struct aws_error *err)
{
    struct cw_metric_data d = {0};
    struct aws_error perr;

    aws_error_clear(&perr);
    if (!err && (cw_get_metric_data_parse(resp, &d, &perr) < 0 ||
                 aws_pager_next(&c->pagers[batch], d.next_token, resp, &perr) < 0)) {
        err = &perr;
        source_error(run, err);
    }
    if (err) {
        cw_metric_data_free(&d);
        c->failed[batch] = true;
        source_backoff(run);
        return;
    }
    for (size_t i = 0; i < d.n; i++) {
        const struct cw_metric_result *res = &d.results[i];
        size_t qi;

        if (cw_query_index(res->id, &qi) < 0 || qi >= c->n)
            continue;
        c->have[qi] = true;   /* a complete answer without points: no data, or zero */
        for (size_t k = 0; k < res->n; k++) {
            if (c->sum) {
                c->value[qi] += res->values[k];
                c->points[qi] = true;
            } else if (!c->points[qi] || res->timestamps[k] > c->ts[qi]) {
                c->points[qi] = true;
                c->value[qi] = res->values[k];
                c->ts[qi] = res->timestamps[k];
            }
        }
    }
    if (d.next_token)
        send_batch(run, c, batch, d.next_token);
    cw_metric_data_free(&d);
}

void metrics_write(struct store *s, const struct metrics_cycle *c, const char *const *kinds,
                   const char *field)
{
    for (size_t i = 0; i < c->n; i++) {
        /* a sum with no points is a sum of none: zero; a newest point without any is not
         * known */
        bool known = c->sum ? c->have[i] : c->points[i];

        if (!c->keys[i] || c->failed[i / CW_MAX_QUERIES_PER_CALL])
            continue;
        for (size_t k = 0; kinds[k]; k++) {
            const struct store_res *row = store_find(s, kinds[k], c->keys[i]);
            struct store_res *r;

            if (!row || store_res_stale(row))
                continue;
            r = store_update_begin(s, kinds[k], c->keys[i]);
            if (known)
                store_set_double(r, field, c->value[i]);
            else
                store_set_unknown(r, field);
            store_update_commit(r);
        }
    }
}

void metrics_done(struct metrics_cycle *c)
{
    for (size_t b = 0; c->pagers && b < cw_get_metric_data_batches(c->set); b++)
        aws_pager_done(&c->pagers[b]);
    free(c->pagers);
    cw_query_set_free(c->set);
    sources_strv_free(c->keys, c->n);
    free(c->have);
    free(c->points);
    free(c->value);
    free(c->ts);
    free(c->failed);
}
