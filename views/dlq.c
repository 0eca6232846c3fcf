/* dlq.c - the dead-letter queue view: every queue that is some queue's dead-letter target,
 * with its depth, its change since the console opened, its rate over the last minutes, the
 * age of its oldest message and the source queues that feed it. Until the first poll has
 * read the list it says "not read yet" (or "cannot read: why"), never "0 holding". A DLQ holding messages means work was lost to retries,
 * so those rows are drawn critical and ranked above the rest whatever the sort.
 *
 * Rows come from the store's "dlq" kind; source names come from the "queue" kind (a
 * source the queue list has not brought yet is named by its URL's last segment). Enter
 * opens a detail pane for the DLQ under the cursor, which the poller then polls fast; the
 * pane lists the source queues with their consumers' CloudWatch receives and deletes (the
 * dlq_consumers source, only while it is open), flags a consumer that fails or is missing,
 * and Enter on a source opens it in the sqs view. It also declares the overview's "DLQs
 * holding messages" section. */
#include "config.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/action.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "table.h"
#include "view.h"
#include "util/xalloc.h"

enum { COL_NAME, COL_DEPTH, COL_CHANGE, COL_OLDEST, COL_INFLIGHT, COL_RATE, COL_SOURCES,
       NCOLS };

/* 80 columns: 16 + 7 + 11 + 8 + 10 + 8 + 12 and 6 gaps make 78 (a sortable column has
 * room for its title and the sort mark); the flex columns share the rest. The change is
 * since the console opened, and says so; the rate needs only the last few polls. Sort
 * letters: S is reverse, so SINCE OPEN is C (change) and SOURCES is U. */
static const struct table_col dlq_cols[NCOLS] = {
    [COL_NAME] = { .title = "DLQ", .width = 16, .flex = 2, .sort_key = 'L' },
    [COL_DEPTH] = { .title = "DEPTH", .width = 7, .right = true, .desc_first = true,
                    .sort_key = 'D' },
    [COL_CHANGE] = { .title = "SINCE OPEN", .width = 7, .right = true, .desc_first = true,
                     .sort_key = 'C' },
    [COL_OLDEST] = { .title = "OLDEST", .width = 8, .right = true, .desc_first = true,
                     .sort_key = 'O' },
    [COL_INFLIGHT] = { .title = "IN FLIGHT", .width = 9, .right = true, .desc_first = true,
                       .sort_key = 'I' },
    [COL_RATE] = { .title = "PER MIN", .width = 7, .right = true, .desc_first = true,
                   .sort_key = 'P' },
    [COL_SOURCES] = { .title = "SOURCES", .width = 12, .flex = 1, .sort_key = 'U' },
};

/* "consumer failing" needs this many receives in 15 minutes: one poison message received
 * twice is not a failing consumer. */
#define CONSUMER_MIN_RECEIVES 5

/* Ranks: a DLQ holding messages first, then the rest (unknown depth included). */
enum { RANK_HOLDING = 0, RANK_OTHER = 1 };

struct dlq_state {
    struct table *table;
    bool built;
    uint64_t gen_dlq, gen_queue;  /* store generations the rows were built from */
    int64_t fetched;              /* and the dlq list's time: a quiet poll adds a point
                                     to the history the rate is taken from */
    char *filter;                 /* the filter they were built with */
    size_t holding;               /* DLQs with depth > 0 (before the filter) */
    bool detail_open;
    char *detail_key;             /* the DLQ URL whose pane is open */
    int detail_scroll;            /* first source line shown in the pane */
    int detail_cursor;            /* the source line Enter opens in the queue view */
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

/* The dlq row's source URLs (the strings of its "sources" array), *n of them; the caller
 * frees with sources_strv_drop. */
static char **sources_urls(const struct store_res *r, size_t *n)
{
    cJSON *arr = r ? sources_parse(r) : NULL;
    const cJSON *it;
    char **v = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(*v));

    *n = 0;
    cJSON_ArrayForEach(it, arr)
        if (cJSON_IsString(it) && it->valuestring)
            v[(*n)++] = xstrdup(it->valuestring);
    cJSON_Delete(arr);
    return v;
}

static void sources_strv_drop(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* What a source queue's CloudWatch numbers (source dlq_consumers) say of its consumer:
 * "consumer failing" when it receives and deletes under a quarter of what it receives (the
 * messages come back until they land here), "no consumer" when messages wait and nothing
 * receives them; NULL when fine or not known. */
static const char *consumer_flag(const struct store_res *q, enum theme_element *style)
{
    double recv, del;
    int64_t visible;

    if (!q || !store_res_num(q, "received_15m", &recv) || !store_res_num(q, "deleted_15m", &del))
        return NULL;
    if (recv >= CONSUMER_MIN_RECEIVES && del * 4 < recv) {
        *style = THEME_CRITICAL;
        return "consumer failing";
    }
    if (recv <= 0 && store_res_int(q, "visible", &visible) && visible > 0) {
        *style = THEME_WARN;
        return "no consumer";
    }
    return NULL;
}

/* A 15-minute sum as a rate a minute: "12", "0.4", "0"; "?" when not known. */
static char *per_minute(const struct store_res *q, const char *field, char *buf, size_t n)
{
    double sum;

    if (!q || !store_res_num(q, field, &sum) || !isfinite(sum) || sum < 0)
        snprintf(buf, n, "?");
    else if (sum / 15 < 10 && sum != 0)
        snprintf(buf, n, "%.1f", sum / 15);
    else
        snprintf(buf, n, "%.0f", sum / 15);
    return buf;
}

/* The source table's columns after the name: their widths and titles. */
enum { SRC_VIS_W = 8, SRC_INF_W = 10, SRC_MAX_W = 8, SRC_RCV_W = 9, SRC_DEL_W = 8,
       SRC_FLAG_W = 18, SRC_FIXED_W = 2 + 8 + 10 + 8 + 9 + 8 + 18 };

static int src_namew(int w)
{
    return w - SRC_FIXED_W > 8 ? w - SRC_FIXED_W : 8;
}

static void src_header(WINDOW *win, int y, const struct view_ctx *ctx, int w)
{
    char line[256];

    snprintf(line, sizeof(line), "%-*s%*s%*s%*s%*s%*s  %s", src_namew(w), "QUEUE",
             SRC_VIS_W, "VISIBLE", SRC_INF_W, "IN FLIGHT", SRC_MAX_W, "MAX RCV",
             SRC_RCV_W, "RECV/MIN", SRC_DEL_W, "DEL/MIN", "CONSUMER");
    view_text(win, y, 2, w - 2, line, view_attr(ctx, THEME_HEADER));
}

static void src_row(WINDOW *win, int y, const struct view_ctx *ctx, int w, const char *url,
                    bool selected)
{
    const struct store_res *q = store_find(ctx->store, "queue", url);
    enum theme_element fs = THEME_N_ELEMENTS;
    const char *flag = consumer_flag(q, &fs);
    char nums[160], a[32], b[32], c[32], d[32], e[32];
    int64_t v;
    int namew = src_namew(w), x = 2 + namew;
    attr_t attr = selected ? view_attr(ctx, THEME_SELECTION) : A_NORMAL;

    if (selected)
        view_fill_line(win, y, attr);
    view_text(win, y, 2, namew - 1, source_name(ctx->store, url), attr);
    snprintf(nums, sizeof(nums), "%*s%*s%*s%*s%*s", SRC_VIS_W,
             fmt_count(a, sizeof(a), q && store_res_int(q, "visible", &v) ? v : -1), SRC_INF_W,
             fmt_count(b, sizeof(b), q && store_res_int(q, "in_flight", &v) ? v : -1),
             SRC_MAX_W,
             fmt_count(c, sizeof(c), q && store_res_int(q, "max_receive_count", &v) ? v : -1),
             SRC_RCV_W, per_minute(q, "received_15m", d, sizeof(d)), SRC_DEL_W,
             per_minute(q, "deleted_15m", e, sizeof(e)));
    x += view_text_clean(win, y, x, w - x, nums, attr);
    if (flag)
        view_text_clean(win, y, x + 2, w - x - 2, flag,
                        selected ? attr : view_attr(ctx, fs));
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
    struct view_oldest oldest;
    double delta, rate;
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

    view_oldest_read(ctx, r, th->oldest_message_warn, th->oldest_message_critical, &oldest);
    table_cell(row, COL_OLDEST, oldest.text, oldest.age);
    if (oldest.style != THEME_N_ELEMENTS)
        table_cell_style(row, COL_OLDEST, oldest.style);

    if (store_res_int(r, "in_flight", &inflight))
        table_cell(row, COL_INFLIGHT, fmt_count(num, sizeof(num), inflight),
                   (double)inflight);
    else
        table_cell(row, COL_INFLIGHT, "-", NAN);

    if (view_rate(r, "visible", ctx->now_ms, VIEW_RATE_WINDOW_MS, &rate, NULL)) {
        table_cell(row, COL_RATE, fmt_rate(num, sizeof(num), rate), rate);
        if (rate > 0)
            table_cell_style(row, COL_RATE, THEME_WARN);
    } else {
        table_cell(row, COL_RATE, "-", NAN);  /* one poll so far */
    }

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
    st->detail_cursor = 0;
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
        dlq.fetched != st->fetched || !st->filter || strcmp(st->filter, filter) != 0) {
        rebuild(st, ctx);
        st->built = true;
        st->gen_dlq = dlq.generation;
        st->gen_queue = queue.generation;
        st->fetched = dlq.fetched;
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
    int64_t depth, v, span;
    double delta, rate;
    struct store_point base;
    char **urls;
    size_t nsrc;

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
        if (store_res_change(r, "visible", &delta) && store_res_baseline(r, "visible", &base))
            snprintf(line + strlen(line), sizeof(line) - strlen(line),
                     " (%s since opened %s ago)", fmt_delta(num, sizeof(num), (int64_t)delta),
                     fmt_age(a, sizeof(a), ctx->now_ms - base.time));
        pane_line(win, y++, ctx, "Depth", line,
                  depth > 0 ? view_attr(ctx, THEME_CRITICAL) : view_attr(ctx, THEME_OK));
    } else {
        pane_line(win, y++, ctx, "Depth", "unknown", view_attr(ctx, THEME_DIM));
    }
    if (view_rate(r, "visible", ctx->now_ms, VIEW_RATE_WINDOW_MS, &rate, &span)) {
        snprintf(line, sizeof(line), "%s messages a minute over the last %s",
                 fmt_rate(num, sizeof(num), rate), fmt_age(a, sizeof(a), span));
        pane_line(win, y++, ctx, "Rate", line,
                  rate > 0 ? view_attr(ctx, THEME_WARN) : A_NORMAL);
    } else {
        pane_line(win, y++, ctx, "Rate", "after the next poll", view_attr(ctx, THEME_DIM));
    }
    {
        const struct appconfig_thresholds *th = appconfig_thresholds(ctx->cfg);
        struct view_oldest o;

        view_oldest_read(ctx, r, th->oldest_message_warn, th->oldest_message_critical, &o);
        pane_line(win, y++, ctx, "Oldest", view_oldest_line(ctx, &o, line, sizeof(line)),
                  view_attr(ctx, o.known && !o.late ? o.style : THEME_DIM));
    }
    if ((v = purge_cooldown_ms(s, res_name(r))) > 0) {
        snprintf(line, sizeof(line), "just now; the next purge in %lld s",
                 (long long)((v + 999) / 1000));
        pane_line(win, y++, ctx, "Purged", line, view_attr(ctx, THEME_WARN));
    }
    if (store_res_stale(r))
        pane_line(win, y++, ctx, "Data", "stale: the last poll failed",
                  view_attr(ctx, THEME_STALE));
    y++;

    urls = sources_urls(r, &nsrc);
    snprintf(line, sizeof(line), "Source queues (%zu)", nsrc);
    view_text(win, y, 0, w, line, view_attr(ctx, THEME_TITLE));
    if (nsrc && w > 60)
        view_text(win, y, 22, w - 22, "received/deleted: CloudWatch, a minute, last 15m",
                  view_attr(ctx, THEME_DIM));
    y++;
    if (nsrc == 0) {
        view_text(win, y++, 2, w - 2, "none listed", view_attr(ctx, THEME_DIM));
    } else if (y < h) {
        int last = h > 12 ? h - 1 : h, avail;

        src_header(win, y++, ctx, w);
        avail = last - y;
        if (avail < 1)
            avail = 1;
        /* the cursor on a source, and on screen: scrolled no further than a full last page */
        if (st->detail_cursor >= (int)nsrc)
            st->detail_cursor = (int)nsrc - 1;
        if (st->detail_cursor < 0)
            st->detail_cursor = 0;
        if (st->detail_scroll > st->detail_cursor)
            st->detail_scroll = st->detail_cursor;
        if (st->detail_scroll < st->detail_cursor - avail + 1)
            st->detail_scroll = st->detail_cursor - avail + 1;
        if (st->detail_scroll > (int)nsrc - avail)
            st->detail_scroll = (int)nsrc - avail;
        if (st->detail_scroll < 0)
            st->detail_scroll = 0;
        for (size_t i = (size_t)st->detail_scroll; i < nsrc && y < last; i++)
            src_row(win, y++, ctx, w, urls[i], (int)i == st->detail_cursor);
    }
    sources_strv_drop(urls, nsrc);
    if (h > 12)  /* the footer lists the keys too; this says it where the eye is */
        view_text(win, h - 1, 0, w,
                  "Esc or q: back to the list   j/k: a source   Enter: open it in the queue view",
                  view_attr(ctx, THEME_DIM));
}

static void dlq_draw(void *priv, struct view_ctx *ctx, WINDOW *win)
{
    struct dlq_state *st = priv;
    struct store_kind_info info;
    int h = getmaxy(win), w = getmaxx(win);
    struct buf title;
    char *t, empty[160];

    werase(win);
    if (!st->built)
        dlq_update(st, ctx);
    if (st->detail_open) {
        draw_detail(st, ctx, win);
        return;
    }
    store_kind_info(ctx->store, "dlq", &info);
    if (!info.fetched && table_total(st->table) == 0) {
        /* Nothing read yet: counting zero DLQs here would be an all-clear nobody gave. */
        view_draw_unread(ctx, win, "Dead-letter queues", &info,
                         "the first poll of the queue list is still running");
        return;
    }
    buf_init(&title);
    buf_printf(&title, "Dead-letter queues  %zu holding messages, %zu total", st->holding,
               table_total(st->table));
    if (ctx->filter && *ctx->filter)
        buf_printf(&title, "  %zu shown  /%s", table_shown(st->table), ctx->filter);
    if (info.stale)
        buf_puts(&title, "  (stale)");  /* the status line says why */
    t = buf_steal(&title);
    view_text(win, 0, 0, w, t, view_attr(ctx, st->holding ? THEME_CRITICAL : THEME_TITLE));
    free(t);
    if (ctx->filter && *ctx->filter && table_total(st->table))
        snprintf(empty, sizeof(empty), "no match for /%s", ctx->filter);
    else
        snprintf(empty, sizeof(empty), "%s",
                 "no dead-letter queues: no queue has a redrive policy");
    if (h > 1)
        table_draw(st->table, ctx, win, 1, h - 1, empty);
}

static bool is_enter(int key)
{
    return key == '\n' || key == '\r' || key == VIEW_KEY(KEY_ENTER);
}

/* Enter on a source line: that queue in the sqs view. */
static int open_source(struct dlq_state *st, struct view_ctx *ctx)
{
    size_t n;
    char **urls = sources_urls(store_find(ctx->store, "dlq", st->detail_key), &n);
    int bits = VIEW_HANDLED;

    if (st->detail_cursor >= 0 && (size_t)st->detail_cursor < n) {
        snprintf(ctx->jump_view, sizeof(ctx->jump_view), "sqs");
        snprintf(ctx->jump_key, sizeof(ctx->jump_key), "%s", urls[st->detail_cursor]);
        bits |= VIEW_JUMP;
    }
    sources_strv_drop(urls, n);
    return bits;
}

static int detail_key(struct dlq_state *st, struct view_ctx *ctx, int key)
{
    int page = 10;  /* the sources list: clamped when drawn */

    if (is_enter(key))
        return open_source(st, ctx);
    switch (key) {
    case 27:  /* Esc */
    case 'q':
        detail_close(st);
        return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL;
    case 'j':
    case VIEW_KEY(KEY_DOWN):
        st->detail_cursor++;  /* clamped when drawn, against the sources present then */
        return VIEW_HANDLED | VIEW_REDRAW;
    case 'k':
    case VIEW_KEY(KEY_UP):
        if (st->detail_cursor > 0)
            st->detail_cursor--;
        return VIEW_HANDLED | VIEW_REDRAW;
    case VIEW_KEY(KEY_NPAGE):
    case VIEW_KEY_CTRL('f'):
        st->detail_cursor += page;
        return VIEW_HANDLED | VIEW_REDRAW;
    case VIEW_KEY(KEY_PPAGE):
    case VIEW_KEY_CTRL('b'):
        st->detail_cursor = st->detail_cursor > page ? st->detail_cursor - page : 0;
        return VIEW_HANDLED | VIEW_REDRAW;
    case 'g':
    case VIEW_KEY(KEY_HOME):
        st->detail_cursor = 0;
        return VIEW_HANDLED | VIEW_REDRAW;
    case 'G':
    case VIEW_KEY(KEY_END):
        st->detail_cursor = 1 << 20;  /* the last source, once clamped */
        return VIEW_HANDLED | VIEW_REDRAW;
    default:
        return VIEW_UNHANDLED;
    }
}

/* The DLQ under the cursor, or the one whose pane is open; NULL when none. */
static const char *current_url(const struct dlq_state *st)
{
    if (st->detail_open)
        return st->detail_key;
    return st->table ? table_selected_key(st->table) : NULL;
}

/* `y`: the DLQ's URL, what redrive and the aws CLI take. */
static int copy_url(struct dlq_state *st, struct view_ctx *ctx)
{
    const char *url = current_url(st);
    const struct store_res *r = url ? store_find(ctx->store, "dlq", url) : NULL;

    if (!url)
        return VIEW_HANDLED;
    snprintf(ctx->copy, sizeof(ctx->copy), "%s", url);
    snprintf(ctx->copy_what, sizeof(ctx->copy_what), "URL of %s",
             r ? res_name(r) : url_tail(url));
    return VIEW_HANDLED | VIEW_COPY;
}

static int dlq_key(void *priv, struct view_ctx *ctx, int key)
{
    struct dlq_state *st = priv;
    const char *sel;

    if (key == 'y')
        return copy_url(st, ctx);
    if (st->detail_open)
        return detail_key(st, ctx, key);
    if (is_enter(key)) {
        sel = table_selected_key(st->table);
        if (!sel)
            return VIEW_HANDLED;
        st->detail_key = xstrdup(sel);
        st->detail_open = true;
        st->detail_scroll = 0;
        st->detail_cursor = 0;
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

/* `:cli`: the DLQ's attributes; in the pane also its source queues. */
static bool dlq_cli(void *priv, const struct view_ctx *ctx, char *out, size_t n)
{
    struct dlq_state *st = priv;
    const char *url = current_url(st);
    char *q;

    (void)ctx;
    if (!url)
        return false;
    q = view_shell_quote(url);
    snprintf(out, n, "aws sqs get-queue-attributes --queue-url %s --attribute-names All%s%s", q,
             st->detail_open ? "\naws sqs list-dead-letter-source-queues --queue-url " : "",
             st->detail_open ? q : "");
    free(q);
    return true;
}

/* ---- the overview's section ------------------------------------------------------------ */

/* Every DLQ holding messages, deepest first: depth, change since the console opened, age of
 * the oldest message. Enter opens this view on it. */
static void overview_build(struct overview_lines *l, const struct view_ctx *ctx, char *none,
                           size_t nonelen)
{
    const struct appconfig_thresholds *th = appconfig_thresholds(ctx->cfg);
    size_t n = store_count(ctx->store, "dlq"), unknown = 0, stale = 0;
    struct store_kind_info info;

    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(ctx->store, "dlq", i);
        char d[16], c[16], right[64];
        int64_t depth;
        double delta;
        struct view_oldest o;

        if (!store_res_int(r, "visible", &depth)) {
            unknown++;
            continue;
        }
        if (store_res_stale(r))
            stale++;
        if (depth <= 0)
            continue;
        fmt_count(d, sizeof(d), depth);
        if (store_res_change(r, "visible", &delta))
            fmt_delta(c, sizeof(c), (int64_t)delta);
        else
            snprintf(c, sizeof(c), "-");
        view_oldest_read(ctx, r, th->oldest_message_warn, th->oldest_message_critical, &o);
        snprintf(right, sizeof(right), "%6s %10s %8s", d, c, o.text);
        overview_add(l, &(struct overview_item){
            .key = store_res_key(r), .name = res_name(r), .right = right,
            .style = store_res_stale(r) ? THEME_STALE : THEME_CRITICAL,
            .order = (double)depth});
    }
    snprintf(none, nonelen, "%s", n ? "all DLQs are empty" : "no queue has a dead-letter queue");
    store_kind_info(ctx->store, "dlq", &info);
    if (info.stale)
        stale = 0;  /* every row is: the overview says so for the whole section */
    if (unknown || stale) {
        char why[160];

        if (unknown)
            snprintf(why, sizeof(why), "the depth of %zu DLQ%s is not known", unknown,
                     unknown == 1 ? "" : "s");
        else
            snprintf(why, sizeof(why), "%zu DLQ%s not read in the last poll (stale)", stale,
                     stale == 1 ? "" : "s");
        overview_cannot_tell(l, why);
    }
}

const struct overview_section dlq_overview = {
    .id = "dlq",
    .title = "Dead-letter queues holding messages",
    .legend = " DEPTH SINCE OPEN   OLDEST",
    .kind = "dlq",
    .jump = "dlq",
    .build = overview_build,
};

/* The DLQ under the cursor, or the open pane's. */
static bool dlq_target(void *priv, struct view_ctx *ctx, const char *action,
                       struct act_target *out)
{
    struct dlq_state *st = priv;
    const struct store_res *r;
    const char *url;

    (void)action;
    if (!st->table)
        dlq_init(st, ctx);
    if (!st->built)
        dlq_update(st, ctx);
    url = current_url(st);
    if (!url)
        return false;
    r = store_find(ctx->store, "dlq", url);
    out->kind = "dlq";
    out->key = url;
    out->name = r ? res_name(r) : url_tail(url);
    return true;
}

static const struct view_action dlq_actions[] = {
    { 'R', "redrive" },
    { 'X', "purge" },
    { 'm', "peek" },
    { 'E', "export" },
    { 0, NULL },
};

static const struct view_keyhelp dlq_keys[] = {
    { "Enter", "details: depth, rate, oldest, source queues and their consumers (in "
               "details: open the source queue under the cursor in the queue view)" },
    { "m", "peek: read up to N messages and release them (:messages shows them)" },
    { "R", "redrive: move the messages back to their sources, or to a queue you give" },
    { "X", "purge: delete every message (typed confirmation; one purge a minute)" },
    { "E", "export: every message into a JSONL file (0600), none deleted" },
    { "y", "copy: the DLQ's URL to the clipboard (OSC 52)" },
    { "s/S", "sort: by the next column / reverse the order" },
    { "L D C O I P U", "sort by that column: DLQ, DEPTH, SINCE OPEN (change since the "
                       "console opened), OLDEST, IN FLIGHT, PER MIN (rate over the last 5 "
                       "minutes), SOURCES (again: reverse)" },
    { "j/k", "down / up (in details: the source queues)" },
    { "PgUp/PgDn", "page up / down" },
    { "g/G", "first / last" },
    { "Esc/q", "close details (in the table: back)" },
    { NULL, NULL },
};

static size_t dlq_on_screen(void *priv, const char **keys, size_t max)
{
    const struct dlq_state *st = priv;

    return st->table ? table_on_screen(st->table, keys, max) : 0;
}

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
    .on_screen = dlq_on_screen,
    .keys = dlq_keys,
    .actions = dlq_actions,
    .target = dlq_target,
    .filter_in_title = true,
    .cli = dlq_cli,
};
