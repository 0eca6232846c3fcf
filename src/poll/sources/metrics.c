/* metrics.c - one CloudWatch number per listed resource (metrics.h). */
#include "config.h"
#include "poll/sources/metrics.h"

#include <stdlib.h>

#include "poll/sources/common.h"
#include "poll/store.h"
#include "util/xalloc.h"

void metrics_init(struct metrics_cycle *c, size_t n, bool sum)
{
    c->set = cw_query_set_new();
    c->n = n;
    c->sum = sum;
    c->have = xcalloc(n + 1, sizeof(*c->have));
    c->points = xcalloc(n + 1, sizeof(*c->points));
    c->value = xcalloc(n + 1, sizeof(*c->value));
    c->ts = xcalloc(n + 1, sizeof(*c->ts));
}

static void send_batch(struct source_run *run, struct metrics_cycle *c, size_t batch,
                       const char *next_token)
{
    struct aws_request r;
    /* CloudWatch wants wall-clock times; the schedule never reads this clock */
    int64_t end = source_wall_s(run);

    int64_t window = c->window_s > 0 ? c->window_s : SOURCES_CW_WINDOW_SECONDS;

    cw_get_metric_data_request(&r, c->set, batch, end - window, end, next_token);
    source_send(run, &r, c->tag, batch);
}

void metrics_send(struct source_run *run, struct metrics_cycle *c, unsigned tag)
{
    size_t batches = cw_get_metric_data_batches(c->set);

    c->failed = xcalloc(batches + 1, sizeof(*c->failed));
    c->pagers = xcalloc(batches + 1, sizeof(*c->pagers));
    c->sent = true;
    c->tag = tag;
    for (size_t b = 0; b < batches; b++)
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

int metrics_get(const struct metrics_cycle *c, size_t i, double *value)
{
    if (!c->sent || i >= c->n || c->failed[i / CW_QUERIES_PER_CALL])
        return -1;
    /* a sum with no points is a sum of none: zero; a newest point without any is unknown */
    if (c->sum ? !c->have[i] : !c->points[i])
        return 0;
    *value = c->value[i];
    return 1;
}

void metrics_set(struct store_res *r, const char *field, const struct metrics_cycle *c,
                 size_t i)
{
    double v;

    switch (metrics_get(c, i, &v)) {
    case 1: store_set_double(r, field, v); break;
    case 0: store_set_unknown(r, field); break;
    default: break;
    }
}

void metrics_set_time(struct store_res *r, const char *field, const struct metrics_cycle *c,
                      size_t i)
{
    double v;

    switch (c->sum ? -1 : metrics_get(c, i, &v)) {
    case 1: store_set_int(r, field, c->ts[i]); break;
    case 0: store_set_unknown(r, field); break;
    default: break;
    }
}

void metrics_done(struct metrics_cycle *c)
{
    for (size_t b = 0; c->pagers && b < cw_get_metric_data_batches(c->set); b++)
        aws_pager_done(&c->pagers[b]);
    free(c->pagers);
    cw_query_set_free(c->set);
    free(c->have);
    free(c->points);
    free(c->value);
    free(c->ts);
    free(c->failed);
}
