/* dlq.c - the dead-letter queue view: every queue that is some queue's dead-letter target,
 * with its depth, its change since the console opened, the age of its oldest message and
 * the source queues that feed it. A DLQ holding messages means work was lost to retries,
 * so those rows are drawn critical and ranked above the rest whatever the sort.
 *
 * Rows come from the store's "dlq" kind; source names come from the "queue" kind (a
 * source the queue list has not brought yet is named by its URL's last segment). Enter
 * opens a detail pane for the DLQ under the cursor, which the poller then polls fast. */
#include "config.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/fmt.h"
#include "table.h"
#include "view.h"
#include "util/xalloc.h"

enum { COL_NAME, COL_DEPTH, COL_CHANGE, COL_OLDEST, COL_INFLIGHT, COL_SOURCES, NCOLS };

/* 80 columns: 16 + 7 + 7 + 8 + 9 + 12 and the gaps leave the flex columns ~15 more. */
static const struct table_col dlq_cols[NCOLS] = {
    [COL_NAME] = { .title = "DLQ", .width = 16, .flex = 2 },
    [COL_DEPTH] = { .title = "DEPTH", .width = 7, .right = true, .desc_first = true },
    [COL_CHANGE] = { .title = "CHANGE", .width = 7, .right = true, .desc_first = true },
    [COL_OLDEST] = { .title = "OLDEST", .width = 8, .right = true, .desc_first = true },
    [COL_INFLIGHT] = { .title = "IN FLIGHT", .width = 9, .right = true, .desc_first = true },
    [COL_SOURCES] = { .title = "SOURCES", .width = 12, .flex = 1 },
};

/* Ranks: a DLQ holding messages first, then the rest (unknown depth included). */
enum { RANK_HOLDING = 0, RANK_OTHER = 1 };

struct dlq_state {
    struct table *table;
    bool built;
    uint64_t gen_dlq, gen_queue;  /* store generations the rows were built from */
    char *filter;                 /* the filter they were built with */
    size_t holding;               /* DLQs with depth > 0 (before the filter) */
    bool detail_open;
    char *detail_key;             /* the DLQ URL whose pane is open */
    int detail_scroll;            /* first source line shown in the pane */
};

/* The name a queue URL ends with: what to call a queue the store has no row for. */
static const char *url_tail(const char *url)
{
    const char *slash = strrchr(url, '/');

    return slash && slash[1] ? slash + 1 : url;
}

/* A source queue's name: the queue kind's name field, else the URL's last segment. */
static const char *source_name(const struct store *s, const char *url)
{
    const struct store_res *q = store_find(s, "queue", url);
    const char *name = q ? store_res_str(q, "name") : NULL;

    return name && *name ? name : url_tail(url);
}

/* The dlq row's "sources" field (a JSON array of URLs, untrusted) as a parsed array, or
 * NULL when it is missing or malformed. Non-string items are skipped by the callers. */
static cJSON *sources_parse(const struct store_res *r)
{
    const char *text = store_res_str(r, "sources");
    cJSON *arr;

    if (!text)
        return NULL;
    arr = cJSON_Parse(text);
    if (arr && !cJSON_IsArray(arr)) {
        cJSON_Delete(arr);
        return NULL;
    }
    return arr;
}

/* "orders, billing" from the source URLs (the table sanitises it). */
static char *sources_joined(const struct store *s, const struct store_res *r)
{
    cJSON *arr = sources_parse(r);
    const cJSON *it;
    struct buf b;
    bool first = true;

    buf_init(&b);
    cJSON_ArrayForEach(it, arr) {
        if (!cJSON_IsString(it) || !it->valuestring)
            continue;
        if (!first)
            buf_puts(&b, ", ");
        buf_puts(&b, source_name(s, it->valuestring));
        first = false;
    }
    cJSON_Delete(arr);
    return buf_steal(&b);
}

static const char *res_name(const struct store_res *r)
{
    const char *name = store_res_str(r, "name");

    return name && *name ? name : url_tail(store_res_key(r));
}

static void add_row(struct dlq_state *st, const struct view_ctx *ctx,
                    const struct store_res *r)
{
    const struct appconfig_thresholds *th = appconfig_thresholds(ctx->cfg);
    struct table_row *row = table_add(st->table, store_res_key(r));
    char num[32];
    int64_t depth = -1, inflight = -1;
    double age, delta;
    bool has_depth = store_res_int(r, "visible", &depth);
    char *sources;

    table_cell(row, COL_NAME, res_name(r), NAN);

    table_cell(row, COL_DEPTH, fmt_count(num, sizeof(num), has_depth ? depth : -1),
               has_depth ? (double)depth : NAN);

    if (store_res_change(r, "visible", &delta)) {
        table_cell(row, COL_CHANGE, fmt_delta(num, sizeof(num), (int64_t)delta), delta);
        if (delta > 0)  /* growing: messages are still failing right now */
            table_cell_style(row, COL_CHANGE, THEME_WARN);
    } else {
        table_cell(row, COL_CHANGE, "-", NAN);
    }

    if (store_res_num(r, "age_oldest", &age) && isfinite(age) && age >= 0) {
        table_cell(row, COL_OLDEST, fmt_duration(num, sizeof(num), (int64_t)age), age);
        if (age >= th->oldest_message_critical)
            table_cell_style(row, COL_OLDEST, THEME_CRITICAL);
        else if (age >= th->oldest_message_warn)
            table_cell_style(row, COL_OLDEST, THEME_WARN);
    } else {
        table_cell(row, COL_OLDEST, "-", NAN);
    }

    if (store_res_int(r, "in_flight", &inflight))
        table_cell(row, COL_INFLIGHT, fmt_count(num, sizeof(num), inflight),
                   (double)inflight);
    else
        table_cell(row, COL_INFLIGHT, "-", NAN);

    sources = sources_joined(ctx->store, r);
    table_cell(row, COL_SOURCES, *sources ? sources : "-", NAN);
    free(sources);

    if (has_depth && depth > 0) {
        table_row_rank(row, RANK_HOLDING);
        st->holding++;
    } else {
        table_row_rank(row, RANK_OTHER);
    }
    /* Stale data is drawn as stale, but a DLQ that held messages at its last good poll
     * keeps its depth cell critical: the stale style must not hide it. */
    if (store_res_stale(r)) {
        table_row_style(row, THEME_STALE);
        if (has_depth && depth > 0)
            table_cell_style(row, COL_DEPTH, THEME_CRITICAL);
    } else if (has_depth && depth > 0) {
        table_row_style(row, THEME_CRITICAL);
    } else if (has_depth) {
        table_row_style(row, THEME_OK);
    }
}

static void rebuild(struct dlq_state *st, const struct view_ctx *ctx)
{
    size_t n = store_count(ctx->store, "dlq");

    st->holding = 0;
    table_begin(st->table);
    for (size_t i = 0; i < n; i++)
        add_row(st, ctx, store_at(ctx->store, "dlq", i));
    table_end(st->table, ctx->filter);
}

static void dlq_init(void *priv, struct view_ctx *ctx)
{
    struct dlq_state *st = priv;

    (void)ctx;
    st->table = table_new(dlq_cols, NCOLS);
    table_sort(st->table, COL_DEPTH, true);
}

static void dlq_done(void *priv)
{
    struct dlq_state *st = priv;

    table_free(st->table);
    free(st->filter);
    free(st->detail_key);
    memset(st, 0, sizeof(*st));
}

static void detail_close(struct dlq_state *st)
{
    st->detail_open = false;
    free(st->detail_key);
    st->detail_key = NULL;
    st->detail_scroll = 0;
}

static int dlq_update(void *priv, struct view_ctx *ctx)
{
    struct dlq_state *st = priv;
    struct store_kind_info dlq, queue;
    const char *filter = ctx->filter ? ctx->filter : "";
    int bits = 0;

    store_kind_info(ctx->store, "dlq", &dlq);
    store_kind_info(ctx->store, "queue", &queue);
    if (!st->built || dlq.generation != st->gen_dlq || queue.generation != st->gen_queue ||
        !st->filter || strcmp(st->filter, filter) != 0) {
        rebuild(st, ctx);
        st->built = true;
        st->gen_dlq = dlq.generation;
        st->gen_queue = queue.generation;
        free(st->filter);
        st->filter = xstrdup(filter);
        bits |= VIEW_REDRAW;
    }
    /* The pane's DLQ is no longer a DLQ (its source lost its redrive policy, or it was
     * deleted): close the pane so the poller stops polling it fast. */
    if (st->detail_open && !store_find(ctx->store, "dlq", st->detail_key)) {
        detail_close(st);
        bits |= VIEW_DETAIL | VIEW_REDRAW;
    }
    return bits;
}

/* One "label  value" line of the pane; value is untrusted. */
static void pane_line(WINDOW *win, int y, const struct view_ctx *ctx, const char *label,
                      const char *value, attr_t attr)
{
    int w = getmaxx(win);

    view_text(win, y, 1, 10, label, view_attr(ctx, THEME_HEADER));
    view_text(win, y, 12, w - 12, value, attr);
}

static void draw_detail(struct dlq_state *st, struct view_ctx *ctx, WINDOW *win)
{
    const struct store *s = ctx->store;
    const struct store_res *r = store_find(s, "dlq", st->detail_key);
    int h = getmaxy(win), w = getmaxx(win), y = 0;
    char num[32], line[256], a[32], b[32], c[32];
    int64_t depth, v;
    double age, delta;
    cJSON *arr;
    const cJSON *it;
    int i = 0, nsrc;

    if (!r)
        return;
    view_text(win, y++, 0, w, "Dead-letter queue", view_attr(ctx, THEME_TITLE));
    pane_line(win, y++, ctx, "Name", res_name(r), A_NORMAL);
    pane_line(win, y++, ctx, "URL", store_res_key(r), A_NORMAL);
    if (store_res_int(r, "visible", &depth)) {
        fmt_count(a, sizeof(a), depth);
        fmt_count(b, sizeof(b), store_res_int(r, "in_flight", &v) ? v : -1);
        fmt_count(c, sizeof(c), store_res_int(r, "delayed", &v) ? v : -1);
        snprintf(line, sizeof(line), "%s visible, %s in flight, %s delayed", a, b, c);
        if (store_res_change(r, "visible", &delta))
            snprintf(line + strlen(line), sizeof(line) - strlen(line),
                     " (%s since opened)", fmt_delta(num, sizeof(num), (int64_t)delta));
        pane_line(win, y++, ctx, "Depth", line,
                  depth > 0 ? view_attr(ctx, THEME_CRITICAL) : view_attr(ctx, THEME_OK));
    } else {
        pane_line(win, y++, ctx, "Depth", "unknown", view_attr(ctx, THEME_DIM));
    }
    if (store_res_num(r, "age_oldest", &age) && isfinite(age) && age >= 0)
        pane_line(win, y++, ctx, "Oldest", fmt_duration(num, sizeof(num), (int64_t)age),
                  A_NORMAL);
    else
        pane_line(win, y++, ctx, "Oldest", "unknown", view_attr(ctx, THEME_DIM));
    if (store_res_stale(r))
        pane_line(win, y++, ctx, "Data", "stale: the last poll failed",
                  view_attr(ctx, THEME_STALE));
    y++;

    arr = sources_parse(r);
    nsrc = cJSON_GetArraySize(arr);
    snprintf(line, sizeof(line), "Source queues (%d)", nsrc);
    view_text(win, y++, 0, w, line, view_attr(ctx, THEME_TITLE));
    if (nsrc == 0) {
        view_text(win, y++, 2, w - 2, "none listed", view_attr(ctx, THEME_DIM));
    } else if (y < h) {
        int namew = w - 2 - 10 - 14;

        if (namew < 8)
            namew = 8;
        view_text(win, y, 2, namew, "QUEUE", view_attr(ctx, THEME_HEADER));
        view_text(win, y, 2 + namew, 10, "  VISIBLE", view_attr(ctx, THEME_HEADER));
        view_text(win, y++, 2 + namew + 10, 14, "  MAX RECEIVES", view_attr(ctx, THEME_HEADER));
        /* scrolled no further than a full last page */
        {
            int avail = (h > 12 ? h - 1 : h) - y;

            if (avail < 1)
                avail = 1;
            if (st->detail_scroll > nsrc - avail)
                st->detail_scroll = nsrc - avail;
            if (st->detail_scroll < 0)
                st->detail_scroll = 0;
        }
        cJSON_ArrayForEach(it, arr) {
            const struct store_res *q;

            if (i++ < st->detail_scroll || !cJSON_IsString(it) || !it->valuestring)
                continue;
            if (y >= (h > 12 ? h - 1 : h))
                break;
            q = store_find(s, "queue", it->valuestring);
            view_text(win, y, 2, namew, source_name(s, it->valuestring), A_NORMAL);
            snprintf(line, sizeof(line), "%9s",
                     fmt_count(num, sizeof(num),
                               q && store_res_int(q, "visible", &v) ? v : -1));
            view_text(win, y, 2 + namew, 10, line, A_NORMAL);
            snprintf(line, sizeof(line), "%14s",
                     fmt_count(num, sizeof(num),
                               q && store_res_int(q, "max_receive_count", &v) ? v : -1));
            view_text(win, y++, 2 + namew + 10, 14, line, A_NORMAL);
        }
    }
    cJSON_Delete(arr);
    if (h > 12)  /* the footer lists the keys too; this says it where the eye is */
        view_text(win, h - 1, 0, w, "Esc or q: back to the list   j/k: scroll the sources",
                  view_attr(ctx, THEME_DIM));
}

static void dlq_draw(void *priv, struct view_ctx *ctx, WINDOW *win)
{
    struct dlq_state *st = priv;
    struct store_kind_info info;
    int h = getmaxy(win), w = getmaxx(win);
    char title[160], empty[160];

    werase(win);
    if (!st->built)
        dlq_update(st, ctx);
    if (st->detail_open) {
        draw_detail(st, ctx, win);
        return;
    }
    store_kind_info(ctx->store, "dlq", &info);
    snprintf(title, sizeof(title), "Dead-letter queues  %zu holding messages, %zu total%s",
             st->holding, table_total(st->table), info.stale ? "  (stale)" : "");
    view_text(win, 0, 0, w, title,
              view_attr(ctx, st->holding ? THEME_CRITICAL : THEME_TITLE));
    if (ctx->filter && *ctx->filter && table_total(st->table))
        snprintf(empty, sizeof(empty), "no match for /%s", ctx->filter);
    else
        snprintf(empty, sizeof(empty), "%s",
                 info.fetched ? "no dead-letter queues: no queue has a redrive policy"
                              : "no dead-letter queues yet");
    if (h > 1)
        table_draw(st->table, ctx, win, 1, h - 1, empty);
}

static bool is_enter(int key)
{
    return key == '\n' || key == '\r' || key == VIEW_KEY(KEY_ENTER);
}

static int detail_key(struct dlq_state *st, int key)
{
    switch (key) {
    case 27:  /* Esc */
    case 'q':
        detail_close(st);
        return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL;
    case 'j':
    case VIEW_KEY(KEY_DOWN):
        st->detail_scroll++;  /* clamped when drawn, against the sources present then */
        return VIEW_HANDLED | VIEW_REDRAW;
    case 'k':
    case VIEW_KEY(KEY_UP):
        if (st->detail_scroll > 0)
            st->detail_scroll--;
        return VIEW_HANDLED | VIEW_REDRAW;
    case 'g':
    case VIEW_KEY(KEY_HOME):
        st->detail_scroll = 0;
        return VIEW_HANDLED | VIEW_REDRAW;
    default:
        return VIEW_UNHANDLED;
    }
}

static int dlq_key(void *priv, struct view_ctx *ctx, int key)
{
    struct dlq_state *st = priv;
    const char *sel;

    (void)ctx;
    if (st->detail_open)
        return detail_key(st, key);
    if (is_enter(key)) {
        sel = table_selected_key(st->table);
        if (!sel)
            return VIEW_HANDLED;
        st->detail_key = xstrdup(sel);
        st->detail_open = true;
        st->detail_scroll = 0;
        return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL;
    }
    return table_key(st->table, key);
}

static const char *dlq_detail(void *priv)
{
    const struct dlq_state *st = priv;

    return st->detail_open ? st->detail_key : NULL;
}

static bool dlq_select(void *priv, struct view_ctx *ctx, const char *key)
{
    struct dlq_state *st = priv;

    dlq_update(st, ctx);  /* a jump can arrive before this view ever drew */
    return key && table_select(st->table, key);
}

static const struct view_keyhelp dlq_keys[] = {
    { "Enter", "details: depth, oldest, source queues" },
    { "s/S", "sort by next column / reverse" },
    { "Esc/q", "close details" },
    { NULL, NULL },
};

const struct view dlq_view = {
    .name = "dlq",
    .title = "Dead-letter queues",
    .number = 3,
    .interval = APPCONFIG_VIEW_DLQ,
    .private_size = sizeof(struct dlq_state),
    .init = dlq_init,
    .done = dlq_done,
    .update = dlq_update,
    .draw = dlq_draw,
    .key = dlq_key,
    .detail = dlq_detail,
    .select = dlq_select,
    .keys = dlq_keys,
};
