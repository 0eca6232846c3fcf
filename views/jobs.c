/* jobs.c - `:jobs`: the long actions of this session (act/job.h), running and ended, from
 * the store's "job" rows: what, on what, state, progress, rate, time left or taken, and why
 * one failed. `c` cancels the job under the cursor (through the action framework, like any
 * other action). The list is every job the session started: there is nothing to poll, so
 * an empty list truthfully says there are none. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/action.h"
#include "table.h"
#include "util/fmt.h"
#include "util/xalloc.h"
#include "view.h"

enum { COL_JOB, COL_ACTION, COL_RESOURCE, COL_STATE, COL_DONE, COL_RATE, COL_TIME, COL_ERROR,
       NCOLS };

/* At 80 columns: 4+12+8+10+11+7+11+10 and 7 gaps make 80 ("Send a test…" keeps its
 * words), and the last column holds a download's "[###] 100%" (BAR_MIN cells); past 80 it
 * gets at least half of what is spare (flex 3 of 6), and the bar grows by as much
 * (bar_len). */
static const struct table_col jobs_cols[NCOLS] = {
    [COL_JOB] = {.title = "JOB", .width = 4},
    [COL_ACTION] = {.title = "ACTION", .width = 12, .flex = 1},
    [COL_RESOURCE] = {.title = "ON", .width = 8, .flex = 2},
    [COL_STATE] = {.title = "STATE", .width = 10},
    [COL_DONE] = {.title = "DONE", .width = 11, .right = true},
    [COL_RATE] = {.title = "RATE", .width = 7, .right = true},
    [COL_TIME] = {.title = "TIME", .width = 11, .right = true},
    [COL_ERROR] = {.title = "ERROR", .width = 10, .flex = 3},
};

#define BAR_MIN 3   /* cells of the bar at 80 columns */
#define BAR_MAX 20

struct jobs_state {
    struct table *table;
    bool built;
    uint64_t gen;
    char *filter;
    int64_t now_s;      /* the second the rows were built in: ages move on */
    int bar;            /* cells of a download's bar, for the width last drawn */
    int built_bar;      /* ... and the rows' */
};

/* The bar's cells for a window cols wide: the last column's share of the width past 80. */
static int bar_len(int cols)
{
    int n = BAR_MIN + (cols - 80) / 2;

    return n < BAR_MIN ? BAR_MIN : n > BAR_MAX ? BAR_MAX : n;
}

/* "90.1M": a size in at most 5 columns, for the DONE column of a download. */
static char *short_bytes(char *buf, size_t n, int64_t v)
{
    static const char units[] = "BKMGTP";
    double d = (double)(v < 0 ? 0 : v);
    size_t u = 0;

    while (d >= 1024 && u + 1 < sizeof(units) - 1) {
        d /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(buf, n, "%lldB", (long long)v);
    else
        snprintf(buf, n, d < 9.95 ? "%.1f%c" : "%.0f%c", d, units[u]);
    return buf;
}

/* A running download's bar of len cells where its error would go: "[##------] 25%". */
static void progress_bar(char *out, size_t n, int64_t done, int64_t total, int len)
{
    int pct = total > 0 ? (int)(done * 100 / total) : 0;
    char bar[BAR_MAX + 1];
    int fill = (pct * len + 50) / 100;   /* to the nearest cell */

    for (int i = 0; i < len; i++)
        bar[i] = i < fill ? '#' : '-';
    bar[len] = '\0';
    snprintf(out, n, "[%s] %d%%", bar, pct);
}

static void add_row(struct jobs_state *st, const struct view_ctx *ctx, const struct store_res *r)
{
    struct table_row *row = table_add(st->table, store_res_key(r));
    const char *state = store_res_str(r, "state");
    int64_t done = 0, total = -1, started = 0, ended = 0;
    double rate = NAN;
    char a[32], b[32], text[80];
    bool running = state && (strcmp(state, "running") == 0 || strcmp(state, "cancelling") == 0);
    const char *unit = store_res_str(r, "unit");
    bool bytes = unit && strcmp(unit, "bytes") == 0;

    table_cell(row, COL_JOB, store_res_key(r), NAN);
    table_cell(row, COL_ACTION, store_res_str(r, "action"), NAN);
    table_cell(row, COL_RESOURCE, store_res_str(r, "resource"), NAN);
    table_cell(row, COL_STATE, state ? state : "?", NAN);
    store_res_int(r, "done", &done);
    if (!store_res_int(r, "total", &total))
        total = -1;
    if (bytes)
        snprintf(text, sizeof(text), "%s/%s", short_bytes(a, sizeof(a), done),
                 total >= 0 ? short_bytes(b, sizeof(b), total) : "?");
    else if (total >= 0)
        snprintf(text, sizeof(text), "%s/%s", fmt_count(a, sizeof(a), done),
                 fmt_count(b, sizeof(b), total));
    else
        snprintf(text, sizeof(text), "%s/?", fmt_count(a, sizeof(a), done));
    table_cell(row, COL_DONE, text, (double)done);
    if (store_res_num(r, "rate", &rate) && isfinite(rate)) {
        if (bytes)
            snprintf(text, sizeof(text), "%s/s", short_bytes(a, sizeof(a), (int64_t)rate));
        else
            snprintf(text, sizeof(text), "%.1f/s", rate);
        table_cell(row, COL_RATE, text, rate);
    } else {
        table_cell(row, COL_RATE, "-", NAN);
    }
    /* running: the time left at this rate; ended: how long it took */
    store_res_int(r, "started", &started);
    if (running && isfinite(rate) && rate > 0 && total > done) {
        fmt_duration(a, sizeof(a), (int64_t)((double)(total - done) / rate + 0.999));
        snprintf(text, sizeof(text), "%s left", a);
        table_cell(row, COL_TIME, text, NAN);
    } else if (!running && store_res_int(r, "ended", &ended) && started) {
        fmt_duration(a, sizeof(a), (ended - started) / 1000);
        snprintf(text, sizeof(text), "took %s", a);
        table_cell(row, COL_TIME, text, NAN);
    } else {
        table_cell(row, COL_TIME, "-", NAN);
    }
    if (running && store_res_str(r, "phase")) {
        /* a step before its units move ("checking the partial file: 42%") */
        table_cell(row, COL_ERROR, store_res_str(r, "phase"), NAN);
    } else if (bytes && running && total > 0) {
        /* before the first draw (a key, a target): the narrowest */
        progress_bar(text, sizeof(text), done, total, st->bar > 0 ? st->bar : BAR_MIN);
        table_cell(row, COL_ERROR, text, NAN);
    } else {
        table_cell(row, COL_ERROR, store_res_str(r, "error"), NAN);
    }
    if (state && strcmp(state, "failed") == 0)
        table_row_style(row, THEME_ERROR);
    else if (running)
        table_row_style(row, THEME_WARN);
    (void)ctx;
}

static int sync(struct jobs_state *st, const struct view_ctx *ctx)
{
    struct store_kind_info info;
    const char *filter = ctx->filter ? ctx->filter : "";
    size_t n;

    store_kind_info(ctx->store, "job", &info);
    if (st->built && info.generation == st->gen && st->filter &&
        strcmp(st->filter, filter) == 0 && st->now_s == ctx->now_ms / 1000 &&
        st->bar == st->built_bar)
        return 0;
    table_begin(st->table);
    n = store_count(ctx->store, "job");
    for (size_t i = 0; i < n; i++)
        add_row(st, ctx, store_at(ctx->store, "job", i));
    table_end(st->table, filter);
    st->built = true;
    st->gen = info.generation;
    st->now_s = ctx->now_ms / 1000;
    st->built_bar = st->bar;
    free(st->filter);
    st->filter = xstrdup(filter);
    return VIEW_REDRAW;
}

static void jobs_init(void *priv, struct view_ctx *ctx)
{
    struct jobs_state *st = priv;

    (void)ctx;
    st->table = table_new(jobs_cols, NCOLS);
    /* the newest job first: it is the one the user just started */
    table_sort(st->table, COL_JOB, true);
}

static void jobs_done(void *priv)
{
    struct jobs_state *st = priv;

    table_free(st->table);
    free(st->filter);
    memset(st, 0, sizeof(*st));
}

static int jobs_update(void *priv, struct view_ctx *ctx)
{
    struct jobs_state *st = priv;

    if (!st->table)
        jobs_init(st, ctx);
    return sync(st, ctx);
}

static void jobs_draw(void *priv, struct view_ctx *ctx, WINDOW *win)
{
    struct jobs_state *st = priv;
    size_t running = 0, n;
    char title[160];

    st->bar = bar_len(getmaxx(win));
    jobs_update(st, ctx);
    n = store_count(ctx->store, "job");
    for (size_t i = 0; i < n; i++) {
        const char *s = store_res_str(store_at(ctx->store, "job", i), "state");
        running += s && (strcmp(s, "running") == 0 || strcmp(s, "cancelling") == 0);
    }
    snprintf(title, sizeof(title), "Jobs  %zu running, %zu in this session", running, n);
    view_text(win, 0, 0, getmaxx(win), title, view_attr(ctx, THEME_TITLE));
    if (getmaxy(win) > 1)
        table_draw(st->table, ctx, win, 1, getmaxy(win) - 1,
                   n ? "no match for the filter"
                     : "no jobs in this session: long actions (a batch of test messages, a "
                       "redrive) run here");
}

static int jobs_key(void *priv, struct view_ctx *ctx, int key)
{
    struct jobs_state *st = priv;

    jobs_update(st, ctx);
    if (key == 27 || key == 'q')
        return VIEW_UNHANDLED;
    return table_key(st->table, key);
}

static bool jobs_target(void *priv, struct view_ctx *ctx, const char *action,
                        struct act_target *out)
{
    struct jobs_state *st = priv;
    const char *key;

    (void)action;
    jobs_update(st, ctx);
    key = table_selected_key(st->table);
    if (!key)
        return false;
    out->kind = "job";
    out->key = key;
    out->name = key;
    return true;
}

static bool jobs_select(void *priv, struct view_ctx *ctx, const char *key)
{
    struct jobs_state *st = priv;

    jobs_update(st, ctx);
    return key && table_select(st->table, key);
}

static const struct view_keyhelp jobs_keys[] = {
    {"c", "cancel the job under the cursor"},
    {"j/k", "down / up"},
    {"s/S", "sort by next column / reverse"},
    {"Esc/q", "back"},
    {NULL, NULL},
};

static const struct view_action jobs_actions[] = {
    {'c', "cancel-job"},
    {0, NULL},
};

const struct view jobs_view = {
    .name = "jobs",
    .title = "Jobs",
    .number = 0,
    .interval = APPCONFIG_VIEW_OVERVIEW,
    .private_size = sizeof(struct jobs_state),
    .init = jobs_init,
    .done = jobs_done,
    .update = jobs_update,
    .draw = jobs_draw,
    .key = jobs_key,
    .select = jobs_select,
    .keys = jobs_keys,
    .actions = jobs_actions,
    .target = jobs_target,
};
