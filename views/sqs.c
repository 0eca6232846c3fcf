/* sqs.c - the queue view: every queue with its depths, the age of its oldest message, FIFO,
 * its dead-letter target and a sparkline of its depth, and a mark after the name of a queue
 * whose every Lambda trigger is paused (nobody reads it; `c` opens the trigger in the
 * toggles view); Enter opens a pane with the queue's triggers, every attribute, the redrive
 * policies and the tags of the queue under the cursor.
 *
 * Rows come from the store's "queue" kind (schema in poll/sources/sources.h) and are
 * rebuilt only when that kind's generation or the filter changed. The pane re-reads its
 * queue by URL on each draw, so it follows the fast poll of the open queue and survives the
 * queue's deletion. It also declares the overview's "queues with old messages" section. */
#include "config.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/action.h"
#include "core/client.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/sanitize.h"
#include "table.h"
#include "util/textwidth.h"
#include "view.h"
#include "util/xalloc.h"
#include "util/utf8.h"

enum { COL_NAME, COL_VISIBLE, COL_INFLIGHT, COL_DELAYED, COL_OLDEST, COL_FIFO, COL_DLQ,
       COL_DEPTH, NCOLS };

#define SPARK_WIDTH 10

/* At 80 columns: 16+8+10+8+7+5+8+10 and 7 gaps make 79 (a sortable column has room for
 * its title and the sort mark), so the numbers never lose a digit on the smallest terminal
 * we support. The sort letters are listed in the
 * keys below: D is DELAYED, so the DLQ column is L. */
static const struct table_col sqs_cols[NCOLS] = {
    [COL_NAME] = { .title = "QUEUE", .width = 16, .flex = 3, .sort_key = 'Q' },
    [COL_VISIBLE] = { .title = "VISIBLE", .width = 7, .right = true, .desc_first = true,
                      .sort_key = 'V' },
    [COL_INFLIGHT] = { .title = "IN FLIGHT", .width = 9, .right = true, .desc_first = true,
                       .sort_key = 'I' },
    [COL_DELAYED] = { .title = "DELAYED", .width = 7, .right = true, .desc_first = true,
                      .sort_key = 'D' },
    [COL_OLDEST] = { .title = "OLDEST", .width = 7, .right = true, .desc_first = true,
                     .sort_key = 'O' },
    [COL_FIFO] = { .title = "FIFO", .width = 4, .sort_key = 'F' },
    [COL_DLQ] = { .title = "DLQ", .width = 8, .flex = 1, .sort_key = 'L' },
    /* fixed width, one scale for every row (the title line says it) */
    [COL_DEPTH] = { .title = "DEPTH", .width = SPARK_WIDTH, .no_sort = true },
};

/* The pane: lines made on each draw from the store, then scrolled. */
struct pane_line {
    char *label;  /* NULL: a section title in value */
    char *value;
    enum theme_element style;  /* THEME_N_ELEMENTS: plain */
    char *note;   /* a section title's short state ("none", "loading..."), or NULL */
    enum theme_element note_style;
};

struct sqs_state {
    struct table *table;
    bool built;
    uint64_t gen;       /* the queue kind's generation the rows were built from */
    int64_t fetched;    /* and its last list time: a quiet poll (same values) bumps no
                           generation but adds a history point, and the DEPTH sparklines
                           must advance with it, not jump at the next change */
    char *filter;       /* the filter they were built with */
    const struct glyphs *glyphs;  /* and the glyph table (FIFO mark, sparklines) */
    double spark_max;   /* the DEPTH sparklines' shared scale: 0..this */
    uint64_t gen_mapping;  /* the Lambda triggers' generation the marks were made from */
    size_t paused;      /* queues shown with a paused consumer */

    bool detail_open;
    char *detail_key;   /* URL of the queue whose pane is open */
    char *detail_name;  /* its name when opened: what to call it once it is gone */
    bool deleted;       /* the queue vanished while its pane was open */
    int scroll;         /* first pane line shown */
    int pane_lines;     /* lines and height at the last draw, to clamp scrolling */
    int pane_h;
};

/* ---- the table -------------------------------------------------------------------------- */

static const char *url_tail(const char *url)
{
    const char *slash = strrchr(url, '/');

    return slash && slash[1] ? slash + 1 : url;
}

static const char *arn_tail(const char *arn)
{
    const char *colon = strrchr(arn, ':');

    return colon && colon[1] ? colon + 1 : arn;
}

static const char *queue_name(const struct store_res *r)
{
    const char *name = store_res_str(r, "name");

    return name && *name ? name : url_tail(store_res_key(r));
}

/* The DLQ's name: its own row's name when it is a listed queue, else the ARN's last part;
 * "" when the queue has no dead-letter target. */
static const char *dlq_name(const struct store *s, const struct store_res *r)
{
    const char *url = store_res_str(r, "dlq_url");
    const char *arn = store_res_str(r, "dlq_arn");
    const struct store_res *d = url ? store_find(s, "queue", url) : NULL;

    if (d)
        return queue_name(d);
    if (arn && *arn)
        return arn_tail(arn);
    return url ? url_tail(url) : "";
}

static void thresholds(const struct view_ctx *ctx, long *warn, long *crit)
{
    const struct appconfig_thresholds *th = ctx->cfg ? appconfig_thresholds(ctx->cfg) : NULL;

    *warn = th ? th->oldest_message_warn : 300;
    *crit = th ? th->oldest_message_critical : 900;
}

static void count_cell(struct table_row *row, size_t col, const struct store_res *r,
                       const char *field)
{
    int64_t v;
    char num[32];

    if (store_res_int(r, field, &v))
        table_cell(row, col, fmt_count(num, sizeof num, v), (double)v);
    else
        table_cell(row, col, "-", NAN);
}

/* The highest depth any row's sparkline shows: the top of the one scale they share, so a
 * queue of 2 messages next to one of 5000 does not draw the same bars. */
static double spark_scale(const struct view_ctx *ctx)
{
    size_t n = store_count(ctx->store, "queue");
    double top = 0, lo, hi;

    for (size_t i = 0; i < n; i++)
        if (store_res_history_range(store_at(ctx->store, "queue", i), "visible", SPARK_WIDTH,
                                    &lo, &hi) && isfinite(hi) && hi > top)
            top = hi;
    return top;
}

/* A queue's consumers: the Lambda triggers (event-source mappings, the toggles' "mapping"
 * kind) that read it. A trigger Disabled or Disabling is paused; a queue whose every
 * trigger is paused has nobody reading it, whatever its depth says now. */
struct consumers {
    size_t n, paused;
    const char *jump;   /* the mapping 'c' opens: the first paused one, else the first */
};

static bool mapping_paused(const struct store_res *m)
{
    const char *s = store_res_str(m, "aws_state");

    return s && (strcmp(s, "Disabled") == 0 || strcmp(s, "Disabling") == 0);
}

static void consumers_of(const struct store *s, const struct store_res *q, struct consumers *c)
{
    const char *arn = store_res_str(q, "arn");
    size_t n = store_count(s, "mapping");

    memset(c, 0, sizeof *c);
    for (size_t i = 0; arn && i < n; i++) {
        const struct store_res *m = store_at(s, "mapping", i);
        const char *qa = store_res_str(m, "queue_arn");

        if (!qa || strcmp(qa, arn) != 0)
            continue;
        c->n++;
        if (mapping_paused(m)) {
            if (!c->paused++)
                c->jump = store_res_key(m);
        } else if (!c->jump && c->n == 1) {
            c->jump = store_res_key(m);
        }
    }
}

static bool consumer_paused(const struct consumers *c)
{
    return c->n > 0 && c->paused == c->n;
}

static void add_row(struct sqs_state *st, const struct view_ctx *ctx, const struct store_res *r)
{
    struct table_row *row = table_add(st->table, store_res_key(r));
    struct store_point pts[SPARK_WIDTH];
    struct view_oldest oldest;
    double vals[SPARK_WIDTH];
    size_t n;
    int64_t fifo;
    long warn, crit;
    char *spark;

    table_cell(row, COL_NAME, queue_name(r), NAN);
    {
        struct consumers c;

        consumers_of(ctx->store, r, &c);
        if (consumer_paused(&c)) {
            table_cell_mark(row, COL_NAME, ctx->glyphs->g[GLYPH_MARK_PAUSED], THEME_CRITICAL);
            st->paused++;
        }
    }
    count_cell(row, COL_VISIBLE, r, "visible");
    count_cell(row, COL_INFLIGHT, r, "in_flight");
    count_cell(row, COL_DELAYED, r, "delayed");

    thresholds(ctx, &warn, &crit);
    view_oldest_read(ctx, r, warn, crit, &oldest);
    table_cell(row, COL_OLDEST, oldest.text, oldest.age);
    if (oldest.style != THEME_N_ELEMENTS)
        table_cell_style(row, COL_OLDEST, oldest.style);

    if (store_res_int(r, "fifo", &fifo) && fifo)
        table_cell_raw(row, COL_FIFO, ctx->glyphs->g[GLYPH_MARK_OK], 1);
    else
        table_cell_raw(row, COL_FIFO, "", NAN);

    table_cell(row, COL_DLQ, dlq_name(ctx->store, r), NAN);

    n = store_res_history(r, "visible", SPARK_WIDTH, pts);
    for (size_t i = 0; i < n; i++)
        vals[i] = pts[i].value;
    spark = glyph_sparkline_scaled(ctx->glyphs, vals, n, SPARK_WIDTH, 0, st->spark_max);
    table_cell_raw(row, COL_DEPTH, spark, NAN);
    table_cell_style(row, COL_DEPTH, THEME_SPARKLINE);
    free(spark);

    /* A row whose last poll failed keeps its last good numbers, drawn as stale so nobody
     * reads them as current. */
    if (store_res_stale(r))
        table_row_style(row, THEME_STALE);
}

static void rebuild(struct sqs_state *st, const struct view_ctx *ctx)
{
    size_t n = store_count(ctx->store, "queue");

    st->spark_max = spark_scale(ctx);
    st->paused = 0;
    table_begin(st->table);
    for (size_t i = 0; i < n; i++)
        add_row(st, ctx, store_at(ctx->store, "queue", i));
    table_end(st->table, ctx->filter);
}

static void sqs_init(void *priv, struct view_ctx *ctx)
{
    struct sqs_state *st = priv;

    (void)ctx;
    st->table = table_new(sqs_cols, NCOLS);
    table_sort(st->table, COL_NAME, false);
}

static void detail_close(struct sqs_state *st)
{
    st->detail_open = false;
    st->deleted = false;
    free(st->detail_key);
    free(st->detail_name);
    st->detail_key = NULL;
    st->detail_name = NULL;
    st->scroll = 0;
}

static void sqs_done(void *priv)
{
    struct sqs_state *st = priv;

    detail_close(st);
    table_free(st->table);
    free(st->filter);
    memset(st, 0, sizeof *st);
}

/* Rows as the store and the filter are now. Keys call it too: typed ahead, `/x<Enter>`
 * then Enter reaches the key hook before any update, and Enter must open the row the
 * filter left under the cursor, not the one before it. */
static int sync(struct sqs_state *st, const struct view_ctx *ctx)
{
    struct store_kind_info info, minfo;
    const char *filter = ctx->filter ? ctx->filter : "";

    store_kind_info(ctx->store, "queue", &info);
    store_kind_info(ctx->store, "mapping", &minfo);
    if (st->built && info.generation == st->gen && info.fetched == st->fetched && st->filter &&
        strcmp(st->filter, filter) == 0 && st->glyphs == ctx->glyphs &&
        minfo.generation == st->gen_mapping)
        return 0;
    rebuild(st, ctx);
    st->built = true;
    st->gen_mapping = minfo.generation;
    st->gen = info.generation;
    st->fetched = info.fetched;
    st->glyphs = ctx->glyphs;
    free(st->filter);
    st->filter = xstrdup(filter);
    return VIEW_REDRAW;
}

static int sqs_update(void *priv, struct view_ctx *ctx)
{
    struct sqs_state *st = priv;
    int bits;

    if (!st->table)
        sqs_init(st, ctx);
    bits = sync(st, ctx);
    /* The open queue was deleted: the pane says so, and the poller stops asking for it. */
    if (st->detail_open && !st->deleted && !store_find(ctx->store, "queue", st->detail_key)) {
        st->deleted = true;
        bits |= VIEW_DETAIL | VIEW_REDRAW;
    } else if (st->detail_open && st->deleted &&
               store_find(ctx->store, "queue", st->detail_key)) {
        st->deleted = false;  /* recreated under the same URL */
        bits |= VIEW_DETAIL | VIEW_REDRAW;
    }
    return bits;
}

/* ---- the detail pane ------------------------------------------------------------------- */

struct pane {
    struct pane_line *lines;
    size_t n, cap;
    const char *ellipsis;  /* the glyph table's: "…", or "~" under --ascii */
};

static void pane_add(struct pane *p, const char *label, const char *value,
                     enum theme_element style)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->lines = xrealloc(p->lines, p->cap * sizeof *p->lines);
    }
    p->lines[p->n].label = label ? xstrdup(label) : NULL;
    p->lines[p->n].value = xstrdup(value ? value : "");
    p->lines[p->n].style = style;
    p->lines[p->n].note = NULL;
    p->lines[p->n].note_style = THEME_N_ELEMENTS;
    p->n++;
}

/* A section title; an empty section says so on the same line (the pane must show the
 * tags on one screen, not spend a line per "none"). Returns the title's index. */
static size_t pane_section(struct pane *p, const char *title)
{
    if (p->n > 0)
        pane_add(p, NULL, "", THEME_N_ELEMENTS);
    pane_add(p, NULL, title, THEME_TITLE);
    return p->n - 1;
}

static void pane_note(struct pane *p, size_t at, const char *note, enum theme_element style)
{
    free(p->lines[at].note);
    p->lines[at].note = xstrdup(note);
    p->lines[at].note_style = style;
}

/* A section whose data has not arrived yet (tags are fetched once the pane is open). */
static void pane_loading(struct pane *p, size_t at)
{
    char *note = xasprintf("loading%s", p->ellipsis);

    pane_note(p, at, note, THEME_DIM);
    free(note);
}

static void pane_free(struct pane *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->lines[i].label);
        free(p->lines[i].value);
        free(p->lines[i].note);
    }
    free(p->lines);
}

/* Attributes whose value is a number of seconds or of bytes (the SQS API reference's
 * units), shown in units; the raw number stays in the snapshot JSON. */
static const char *const seconds_attrs[] = {
    "DelaySeconds", "KmsDataKeyReusePeriodSeconds", "MessageRetentionPeriod",
    "ReceiveMessageWaitTimeSeconds", "VisibilityTimeout", NULL,
};
static const char *const bytes_attrs[] = { "MaximumMessageSize", NULL };

static bool listed(const char *const *list, const char *name)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(list[i], name) == 0)
            return true;
    return false;
}

/* A whole number of at most 18 digits, as SQS sends them ("345600"), or -1. */
static int64_t whole_number(const char *s)
{
    int64_t v = 0;
    size_t n = 0;

    if (!s || !*s)
        return -1;
    for (; *s; s++, n++) {
        if (*s < '0' || *s > '9' || n >= 18)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v;
}

/* An attribute's value as a reader wants it: durations, sizes, dates (local time, or UTC
 * after `:utc`); NULL when it is shown as it came. CreatedTimestamp and
 * LastModifiedTimestamp are epoch seconds (moto adds a fraction). */
static char *attr_in_units(const struct view_ctx *ctx, const char *name, const char *v)
{
    char buf[64], *end;
    size_t len = strlen(name);
    int64_t num = whole_number(v);
    double secs;

    if (listed(seconds_attrs, name) && num >= 0)
        return xstrdup(fmt_seconds(buf, sizeof buf, num));
    if (listed(bytes_attrs, name) && num >= 0)
        return xstrdup(fmt_bytes(buf, sizeof buf, num));
    if (len >= 9 && strcmp(name + len - 9, "Timestamp") == 0 && *v) {
        secs = strtod(v, &end);
        if (*end == '\0' && strcmp(view_time(ctx, secs, buf, sizeof buf), "-") != 0)
            return xstrdup(buf);
    }
    return NULL;
}

static int item_cmp(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;

    return strcmp(x->string ? x->string : "", y->string ? y->string : "");
}

/* The members of a JSON object sorted by name (the caller frees the array), or NULL with
 * *n 0 when obj is not an object or is empty. */
static cJSON **sorted_members(const cJSON *obj, size_t *n)
{
    const cJSON *it;
    cJSON **v;
    size_t i = 0;

    *n = 0;
    if (!cJSON_IsObject(obj))
        return NULL;
    cJSON_ArrayForEach(it, obj)
        (*n)++;
    if (*n == 0)
        return NULL;
    v = xmalloc(*n * sizeof *v);
    cJSON_ArrayForEach(it, obj)
        v[i++] = (cJSON *)it;
    qsort(v, *n, sizeof *v, item_cmp);
    return v;
}

/* A JSON value as one line: a string as it is, anything else as compact JSON. */
static char *json_text(const cJSON *v)
{
    char *s, *copy;

    if (cJSON_IsString(v) && v->valuestring)
        return xstrdup(v->valuestring);
    s = cJSON_PrintUnformatted(v);
    copy = xstrdup(s ? s : "");

    cJSON_free(s);
    return copy;
}

static void pane_attributes(struct pane *p, const struct view_ctx *ctx,
                            const struct store_res *r)
{
    const char *text = store_res_str(r, "attributes");
    cJSON *obj = text ? cJSON_Parse(text) : NULL;
    size_t n;
    cJSON **m = sorted_members(obj, &n);

    size_t sec = pane_section(p, "Attributes");

    if (!text)
        pane_loading(p, sec);
    else if (!cJSON_IsObject(obj))
        pane_note(p, sec, "unreadable (not a JSON object)", THEME_WARN);
    else if (n == 0)
        pane_note(p, sec, "none", THEME_DIM);
    for (size_t i = 0; i < n; i++) {
        char *v = json_text(m[i]);
        char *shown = attr_in_units(ctx, m[i]->string, v);

        pane_add(p, m[i]->string, shown ? shown : v, THEME_N_ELEMENTS);
        free(shown);
        free(v);
    }
    free(m);
    cJSON_Delete(obj);
}

static void pane_redrive(struct pane *p, const struct view_ctx *ctx, const struct store_res *r)
{
    const char *text = store_res_str(r, "redrive_policy");
    cJSON *obj = text && *text ? cJSON_Parse(text) : NULL;
    const cJSON *arn, *max;
    char line[64];

    size_t sec = pane_section(p, "Redrive policy");

    if (!text || !*text) {
        pane_note(p, sec, "none (no dead-letter queue)", THEME_DIM);
        return;
    }
    arn = cJSON_GetObjectItemCaseSensitive(obj, "deadLetterTargetArn");
    max = cJSON_GetObjectItemCaseSensitive(obj, "maxReceiveCount");
    if (!cJSON_IsObject(obj) || !cJSON_IsString(arn)) {
        pane_add(p, "raw", text, THEME_WARN);  /* unreadable: show it as it came */
    } else {
        const char *name = dlq_name(ctx->store, r);

        pane_add(p, "DLQ", *name ? name : arn_tail(arn->valuestring), THEME_N_ELEMENTS);
        pane_add(p, "DLQ ARN", arn->valuestring, THEME_N_ELEMENTS);
        if (cJSON_IsNumber(max))
            snprintf(line, sizeof line, "%.0f", max->valuedouble);
        else if (cJSON_IsString(max) && max->valuestring)
            snprintf(line, sizeof line, "%.40s", max->valuestring);
        else
            snprintf(line, sizeof line, "-");
        pane_add(p, "maxReceiveCount", line, THEME_N_ELEMENTS);
    }
    cJSON_Delete(obj);
}

static void pane_allow(struct pane *p, const struct store_res *r)
{
    const char *text = store_res_str(r, "attributes");
    cJSON *attrs = text ? cJSON_Parse(text) : NULL;
    const cJSON *allow = cJSON_GetObjectItemCaseSensitive(attrs, "RedriveAllowPolicy");
    cJSON *obj = cJSON_IsString(allow) ? cJSON_Parse(allow->valuestring) : NULL;
    const cJSON *perm = cJSON_GetObjectItemCaseSensitive(obj, "redrivePermission");
    const cJSON *srcs = cJSON_GetObjectItemCaseSensitive(obj, "sourceQueueArns");
    const cJSON *it;

    size_t sec = pane_section(p, "Redrive allow policy");

    if (!cJSON_IsString(allow)) {
        pane_note(p, sec, "none (any queue may use this one as its DLQ)", THEME_DIM);
    } else if (!cJSON_IsObject(obj)) {
        pane_add(p, "raw", allow->valuestring, THEME_WARN);
    } else {
        pane_add(p, "permission", cJSON_IsString(perm) ? perm->valuestring : "-",
                 THEME_N_ELEMENTS);
        if (cJSON_IsArray(srcs))
            cJSON_ArrayForEach(it, srcs)
                if (cJSON_IsString(it) && it->valuestring)
                    pane_add(p, "source", it->valuestring, THEME_N_ELEMENTS);
    }
    cJSON_Delete(obj);
    cJSON_Delete(attrs);
}

static void pane_tags(struct pane *p, const struct store_res *r)
{
    const char *text = store_res_str(r, "tags");
    cJSON *obj = text ? cJSON_Parse(text) : NULL;
    size_t n;
    cJSON **m = sorted_members(obj, &n);

    size_t sec = pane_section(p, "Tags");

    if (!text)
        pane_loading(p, sec);
    else if (!cJSON_IsObject(obj))
        pane_note(p, sec, "unreadable (not a JSON object)", THEME_WARN);
    else if (n == 0)
        pane_note(p, sec, "none", THEME_DIM);
    for (size_t i = 0; i < n; i++) {
        char *v = json_text(m[i]);

        pane_add(p, m[i]->string, v, THEME_N_ELEMENTS);
        free(v);
    }
    free(m);
    cJSON_Delete(obj);
}

/* The Lambda triggers that read the queue: each one's function, state and last change. */
static void pane_consumers(struct pane *p, const struct view_ctx *ctx, const struct store_res *r)
{
    const char *arn = store_res_str(r, "arn");
    size_t n = store_count(ctx->store, "mapping"), shown = 0;
    struct store_kind_info info;
    size_t sec = pane_section(p, "Consumers (Lambda triggers)");

    store_kind_info(ctx->store, "mapping", &info);
    if (!info.updated) {
        char why[1024] = "";

        if (info.last_error)
            aws_error_describe(info.last_error, ctx->profile ? ctx->profile : "default", why,
                               sizeof why);
        if (info.last_error)
            pane_note(p, sec, why, THEME_CRITICAL);
        else
            pane_loading(p, sec);
        return;
    }
    for (size_t i = 0; arn && i < n; i++) {
        const struct store_res *m = store_at(ctx->store, "mapping", i);
        const char *qa = store_res_str(m, "queue_arn"), *fn = store_res_str(m, "function"),
                   *aws = store_res_str(m, "aws_state"), *why = store_res_str(m, "state_reason");
        char ago[32];
        int64_t mod;
        struct buf b;

        if (!qa || strcmp(qa, arn) != 0)
            continue;
        shown++;
        buf_init(&b);
        buf_printf(&b, "%s%s", mapping_paused(m) ? "PAUSED " : "",
                   aws ? aws : "state unknown");
        /* the date in full is in the toggles view's pane (c) */
        if (store_res_int(m, "last_modified", &mod) && mod > 0) {
            int64_t d = ctx->now_ms / 1000 - mod;

            buf_printf(&b, ", changed %s ago", fmt_duration(ago, sizeof ago, d > 0 ? d : 0));
        }
        if (why && *why)
            buf_printf(&b, ", reason: %s", why);
        pane_add(p, fn ? fn : store_res_key(m), b.data,
                 mapping_paused(m) ? THEME_CRITICAL : THEME_N_ELEMENTS);
        buf_done(&b);
    }
    if (!shown)
        pane_note(p, sec, "none: no trigger reads this queue", THEME_DIM);
    else if (info.stale)
        pane_note(p, sec, "stale: the last read of the triggers failed", THEME_STALE);
}

static void pane_build(struct sqs_state *st, const struct view_ctx *ctx, struct pane *p)
{
    const struct store_res *r = st->deleted ? NULL : store_find(ctx->store, "queue", st->detail_key);
    const char *arn;
    char *title;

    p->ellipsis = ctx->glyphs->g[GLYPH_ELLIPSIS];
    title = xasprintf("Queue %s", r ? queue_name(r) : st->detail_name);
    pane_add(p, NULL, title, THEME_TITLE);
    free(title);
    if (!r) {
        pane_add(p, "URL", st->detail_key, THEME_N_ELEMENTS);
        pane_add(p, "", "queue deleted: it is no longer listed (Esc to go back)", THEME_WARN);
        return;
    }
    pane_add(p, "Name", queue_name(r), THEME_N_ELEMENTS);
    pane_add(p, "URL", store_res_key(r), THEME_N_ELEMENTS);
    arn = store_res_str(r, "arn");
    pane_add(p, "ARN", arn ? arn : "-", THEME_N_ELEMENTS);
    {
        struct view_oldest o;
        long warn, crit;
        char line[128];

        thresholds(ctx, &warn, &crit);
        view_oldest_read(ctx, r, warn, crit, &o);
        pane_add(p, "Oldest", view_oldest_line(ctx, &o, line, sizeof line),
                 o.known && !o.late ? o.style : THEME_DIM);
    }
    if (store_res_stale(r))
        pane_add(p, "Data", "stale: the last poll failed, values are the last good ones",
                 THEME_STALE);
    /* What an engineer looks for first (owner tags, where failures go) before the long
     * list of every attribute. */
    pane_consumers(p, ctx, r);
    pane_tags(p, r);
    pane_redrive(p, ctx, r);
    pane_allow(p, r);
    pane_attributes(p, ctx, r);
}

/* Where value's screen lines of `cols` columns end: the text is cut between characters of
 * the raw (untrusted) value, each piece measured as it will be shown once sanitised, so
 * an escape is never split and view_text still does the sanitising. Returns the number of
 * pieces (at least 1); ends[i] is the byte offset where piece i ends. */
static size_t wrap_value(const char *value, int cols, size_t **ends)
{
    size_t len = strlen(value), n = 0, cap = 4, at = 0;
    int used = 0;

    *ends = xmalloc(cap * sizeof **ends);
    if (cols < 1)
        cols = 1;
    while (at < len) {
        uint32_t cp;
        size_t cl = utf8_decode(value + at, len - at, &cp);
        char *shown;
        int cw;

        if (cl == 0)
            cl = 1;  /* a stray byte: sanitize_text shows it as \xNN on its own */
        shown = sanitize_text(value + at, cl);
        cw = textwidth(shown);

        free(shown);
        if (used > 0 && used + cw > cols) {
            if (n == cap)
                *ends = xrealloc(*ends, (cap *= 2) * sizeof **ends);
            (*ends)[n++] = at;
            used = 0;
        }
        used += cw;
        at += cl;
    }
    if (n == cap)
        *ends = xrealloc(*ends, (cap + 1) * sizeof **ends);
    (*ends)[n++] = len;
    return n;
}

struct screen_line {
    const struct pane_line *line;
    size_t from, to;  /* the piece of line->value on this screen line */
    bool first;       /* carries the label */
    int labelw;       /* the label column's width */
};

/* Columns text takes once sanitised (an escape is wider than the byte it stands for). */
static int shown_width(const char *text)
{
    char *shown = sanitize_text(text, strlen(text));
    int w = textwidth(shown);

    free(shown);
    return w;
}

/* One label column for the whole pane, as wide as the widest label (the attribute names,
 * usually), at most half the width: long tag keys are cut with an ellipsis and values keep
 * room. One column rather than one per section so the pane reads as one table
 * (tests/integ/test_console_screen.py relies on it). */
static void pane_label_widths(const struct pane *p, int w, int *labelw)
{
    int widest = 0;

    for (size_t i = 0; i < p->n; i++)
        if (p->lines[i].label) {
            int lw = shown_width(p->lines[i].label);

            if (lw > widest)
                widest = lw;
        }
    if (widest > w / 2)
        widest = w / 2;
    for (size_t i = 0; i < p->n; i++)
        labelw[i] = p->lines[i].label ? widest : 0;
}

static void draw_pane(struct sqs_state *st, struct view_ctx *ctx, WINDOW *win)
{
    struct pane p = { 0 };
    struct screen_line *sl = NULL;
    size_t nsl = 0, cap = 0;
    int h = getmaxy(win), w = getmaxx(win);
    int *labelw, maxscroll;

    pane_build(st, ctx, &p);
    labelw = xcalloc(p.n ? p.n : 1, sizeof *labelw);
    pane_label_widths(&p, w, labelw);
    /* Long values (ARNs, policies, tag values) wrap rather than lose their end. */
    for (size_t i = 0; i < p.n; i++) {
        size_t *ends, n, from = 0;

        if (p.lines[i].label) {
            n = wrap_value(p.lines[i].value, w - labelw[i] - 4, &ends);
        } else {
            ends = xmalloc(sizeof *ends);
            ends[0] = strlen(p.lines[i].value);
            n = 1;
        }
        for (size_t k = 0; k < n; k++) {
            if (nsl == cap)
                sl = xrealloc(sl, (cap = cap ? cap * 2 : 64) * sizeof *sl);
            sl[nsl++] = (struct screen_line){ &p.lines[i], from, ends[k], k == 0, labelw[i] };
            from = ends[k];
        }
        free(ends);
    }
    st->pane_lines = (int)nsl;
    st->pane_h = h;
    maxscroll = (int)nsl - h > 0 ? (int)nsl - h : 0;
    if (st->scroll > maxscroll)
        st->scroll = maxscroll;
    if (st->scroll < 0)
        st->scroll = 0;
    for (int y = 0; y < h && st->scroll + y < (int)nsl; y++) {
        const struct screen_line *s = &sl[st->scroll + y];
        const struct pane_line *l = s->line;
        attr_t a = l->style == THEME_N_ELEMENTS ? A_NORMAL : view_attr(ctx, l->style);
        char *piece;

        if (!l->label) {
            int used = view_text(win, y, 0, w, l->value, a);

            if (l->note)
                view_text(win, y, used + 2, w - used - 2, l->note,
                          view_attr(ctx, l->note_style));
            continue;
        }
        if (s->first)
            view_text(win, y, 2, s->labelw, l->label, view_attr(ctx, THEME_HEADER));
        piece = xstrndup(l->value + s->from, s->to - s->from);
        view_text(win, y, 2 + s->labelw + 2, w - s->labelw - 4, piece, a);
        free(piece);
    }
    free(sl);
    free(labelw);
    pane_free(&p);
}

/* ---- drawing and keys --------------------------------------------------------------- */

static void sqs_draw(void *priv, struct view_ctx *ctx, WINDOW *win)
{
    struct sqs_state *st = priv;
    struct store_kind_info info;
    int h = getmaxy(win), w = getmaxx(win);
    struct buf title;
    char *t, empty[160], top[32];
    bool desc;
    size_t sort_col;

    werase(win);
    if (!st->built)
        sqs_update(st, ctx);
    if (st->detail_open) {
        draw_pane(st, ctx, win);
        return;
    }
    store_kind_info(ctx->store, "queue", &info);
    if (!info.fetched && table_total(st->table) == 0) {
        /* "0 shown of 0" before the list was read would say there are no queues */
        view_draw_unread(ctx, win, "SQS queues", &info,
                         "the first poll of the queue list is still running");
        return;
    }
    /* the mark's legend, where the eye goes first, while some queue has it: in words when
     * the line has room, else short (80 columns keep the DEPTH scale) */
    for (int longer = 1; longer >= 0; longer--) {
        buf_init(&title);
        buf_printf(&title, "SQS queues  %zu shown of %zu", table_shown(st->table),
                   table_total(st->table));
        if (ctx->filter && *ctx->filter)
            buf_printf(&title, "  /%s", ctx->filter);
        if (st->paused)
            buf_printf(&title, "  %s %zu %spaused", ctx->glyphs->g[GLYPH_MARK_PAUSED],
                       st->paused, !longer ? "" : st->paused == 1 ? "consumer " : "consumers ");
        sort_col = table_sort_column(st->table, &desc);
        buf_printf(&title, "  sorted by %s %s", sqs_cols[sort_col].title,
                   desc ? "descending" : "ascending");
        if (info.stale)
            buf_puts(&title, "  (stale)");  /* the status line says why */
        if (table_total(st->table))
            buf_printf(&title, "  DEPTH 0-%s",
                       fmt_count(top, sizeof top, (int64_t)st->spark_max));
        if (!longer || !st->paused || textwidth(title.data) <= w)
            break;
        buf_done(&title);
    }
    t = buf_steal(&title);
    view_text(win, 0, 0, w, t, view_attr(ctx, info.stale ? THEME_STALE : THEME_TITLE));
    free(t);
    if (ctx->filter && *ctx->filter && table_total(st->table))
        snprintf(empty, sizeof empty, "no match for /%s", ctx->filter);
    else
        snprintf(empty, sizeof empty, "%s", "no queues in this region");
    if (h > 1)
        table_draw(st->table, ctx, win, 1, h - 1, empty);
}

static bool is_enter(int key)
{
    return key == '\n' || key == '\r' || key == VIEW_KEY(KEY_ENTER);
}

static int pane_key(struct sqs_state *st, int key)
{
    int page = st->pane_h > 1 ? st->pane_h - 1 : 1;

    switch (key) {
    case 27:  /* Esc */
    case 'q':
        detail_close(st);
        return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL;
    case 'j':
    case VIEW_KEY(KEY_DOWN):
        st->scroll++;  /* clamped when drawn, against the lines present then */
        break;
    case 'k':
    case VIEW_KEY(KEY_UP):
        st->scroll--;
        break;
    case VIEW_KEY(KEY_NPAGE):
    case VIEW_KEY_CTRL('f'):
    case ' ':
        st->scroll += page;
        break;
    case VIEW_KEY(KEY_PPAGE):
    case VIEW_KEY_CTRL('b'):
        st->scroll -= page;
        break;
    case 'g':
    case VIEW_KEY(KEY_HOME):
        st->scroll = 0;
        break;
    case 'G':
    case VIEW_KEY(KEY_END):
        st->scroll = st->pane_lines;
        break;
    default:
        return VIEW_UNHANDLED;
    }
    if (st->scroll > st->pane_lines - st->pane_h)
        st->scroll = st->pane_lines - st->pane_h;
    if (st->scroll < 0)
        st->scroll = 0;
    return VIEW_HANDLED | VIEW_REDRAW;
}

/* The queue under the cursor, or the one whose pane is open; NULL when none. */
static const char *current_url(const struct sqs_state *st)
{
    if (st->detail_open)
        return st->detail_key;
    return table_selected_key(st->table);
}

/* `y`: the queue's URL, the address every SQS call and the aws CLI take. */
static int copy_url(struct sqs_state *st, struct view_ctx *ctx)
{
    const char *url = current_url(st);
    const struct store_res *r = url ? store_find(ctx->store, "queue", url) : NULL;

    if (!url)
        return VIEW_HANDLED;
    snprintf(ctx->copy, sizeof ctx->copy, "%s", url);
    snprintf(ctx->copy_what, sizeof ctx->copy_what, "URL of %s",
             r ? queue_name(r) : url_tail(url));
    return VIEW_HANDLED | VIEW_COPY;
}

/* `c`: the queue's consumer in the toggles view, where Space resumes it. A queue no
 * trigger reads stays put and says so: the toggles view would only show other queues'. */
static int open_consumer(struct sqs_state *st, struct view_ctx *ctx)
{
    const char *url = current_url(st);
    const struct store_res *r = url ? store_find(ctx->store, "queue", url) : NULL;
    struct consumers c;

    if (!r)
        return VIEW_HANDLED;
    consumers_of(ctx->store, r, &c);
    if (!c.jump) {
        struct store_kind_info info;

        /* "none" only once the triggers were read */
        store_kind_info(ctx->store, "mapping", &info);
        if (info.updated) {
            snprintf(ctx->message, sizeof ctx->message, "no Lambda trigger reads %s",
                     queue_name(r));
        } else if (info.last_error) {
            char why[200];

            aws_error_describe(info.last_error, ctx->profile ? ctx->profile : "default", why,
                               sizeof why);
            snprintf(ctx->message, sizeof ctx->message, "cannot read the Lambda triggers: %s",
                     why);
        } else {
            snprintf(ctx->message, sizeof ctx->message,
                     "the Lambda triggers are not read yet: c again when they are");
        }
        return VIEW_HANDLED | VIEW_MESSAGE;
    }
    snprintf(ctx->jump_view, sizeof ctx->jump_view, "toggles");
    snprintf(ctx->jump_key, sizeof ctx->jump_key, "mapping:%s", c.jump);
    return VIEW_HANDLED | VIEW_JUMP;
}

static int sqs_key(void *priv, struct view_ctx *ctx, int key)
{
    struct sqs_state *st = priv;
    const struct store_res *r;
    const char *sel;

    if (key == 'y' || key == 'c') {
        if (!st->table)
            sqs_init(st, ctx);
        sync(st, ctx);
        return key == 'c' ? open_consumer(st, ctx) : copy_url(st, ctx);
    }
    if (st->detail_open)
        return pane_key(st, key);
    if (!st->table)
        sqs_init(st, ctx);
    sync(st, ctx);
    if (is_enter(key)) {
        sel = table_selected_key(st->table);
        if (!sel)
            return VIEW_HANDLED;
        r = store_find(ctx->store, "queue", sel);
        st->detail_key = xstrdup(sel);
        st->detail_name = xstrdup(r ? queue_name(r) : url_tail(sel));
        st->detail_open = true;
        st->deleted = r == NULL;
        st->scroll = 0;
        return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL;
    }
    if (key == 27 || key == 'q')
        return VIEW_UNHANDLED;  /* the framework goes back, or quits */
    return table_key(st->table, key);
}

static const char *sqs_detail(void *priv)
{
    const struct sqs_state *st = priv;

    return st->detail_open && !st->deleted ? st->detail_key : NULL;
}

static size_t sqs_on_screen(void *priv, const char **keys, size_t max)
{
    const struct sqs_state *st = priv;

    return st->table ? table_on_screen(st->table, keys, max) : 0;
}

static bool sqs_select(void *priv, struct view_ctx *ctx, const char *key)
{
    struct sqs_state *st = priv;

    sqs_update(st, ctx);  /* a jump can arrive before this view ever drew */
    return key && table_select(st->table, key);
}

/* ---- the overview's section ------------------------------------------------------------ */

/* Queues whose oldest message is older than the warning threshold, oldest first. A DLQ is
 * left out: old messages are its normal state, and the DLQ section lists every one that
 * holds any. Enter opens this view on the queue. */
static void overview_build(struct overview_lines *l, const struct view_ctx *ctx, char *none,
                           size_t nonelen)
{
    size_t n = store_count(ctx->store, "queue"), unknown = 0;
    long warn, crit;
    char o[16];

    thresholds(ctx, &warn, &crit);
    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(ctx->store, "queue", i);
        char d[16], right[64];
        int64_t depth = -1, is_dlq;
        struct view_oldest old;

        /* an empty queue's last point is about messages gone since: not listed */
        view_oldest_read(ctx, r, warn, crit, &old);
        if ((store_res_int(r, "is_dlq", &is_dlq) && is_dlq) ||
            !store_res_int(r, "visible", &depth) || depth <= 0)
            continue;
        if (!old.known || old.late)
            unknown++;
        if (!old.known || old.age < (double)warn)
            continue;
        fmt_count(d, sizeof(d), depth);
        snprintf(right, sizeof(right), "%6s %10s %8s", d, "", old.text);
        overview_add(l, &(struct overview_item){
            .key = store_res_key(r), .name = queue_name(r), .right = right,
            .style = store_res_stale(r) || old.late ? THEME_STALE
                     : old.age >= (double)crit ? THEME_CRITICAL : THEME_WARN,
            .order = old.age});
    }
    snprintf(none, nonelen, "no message is older than %s", fmt_duration(o, sizeof(o), warn));
    if (unknown) {
        char why[160], late[16];

        fmt_duration(late, sizeof(late), VIEW_OLDEST_LATE_MS / 1000);
        snprintf(why, sizeof(why), "%zu queue%s with messages %s no CloudWatch age newer "
                 "than %s", unknown, unknown == 1 ? "" : "s", unknown == 1 ? "has" : "have",
                 late);
        overview_cannot_tell(l, why);
    }
}

const struct overview_section sqs_overview = {
    .id = "queue",
    .title = "Queues with old messages",
    .legend = " DEPTH              OLDEST",
    .kind = "queue",
    .jump = "sqs",
    .build = overview_build,
};

/* The queue under the cursor, or the open pane's (while it still exists). */
static bool sqs_target(void *priv, struct view_ctx *ctx, const char *action,
                       struct act_target *out)
{
    struct sqs_state *st = priv;
    const struct store_res *r;
    const char *key;

    (void)action;
    if (!st->table)
        sqs_init(st, ctx);
    sync(st, ctx);
    key = st->detail_open ? (st->deleted ? NULL : st->detail_key) : table_selected_key(st->table);
    if (!key)
        return false;
    r = store_find(ctx->store, "queue", key);
    out->kind = "queue";
    out->key = key;
    out->name = r ? queue_name(r) : url_tail(key);
    return true;
}

static const struct view_action sqs_actions[] = {
    { 'P', "send-message" },
    { 'm', "peek" },
    { 0, NULL },
};

/* `:cli`: what reads the same thing from the aws CLI. */
static bool sqs_cli(void *priv, const struct view_ctx *ctx, char *out, size_t n)
{
    struct sqs_state *st = priv;
    const char *url = st->table ? current_url(st) : NULL;
    char *q;

    (void)ctx;
    if (!url) {
        snprintf(out, n, "aws sqs list-queues");
        return true;
    }
    q = view_shell_quote(url);
    snprintf(out, n, "aws sqs get-queue-attributes --queue-url %s --attribute-names All", q);
    free(q);
    return true;
}

static const struct view_keyhelp sqs_keys[] = {
    { "Enter", "details: triggers, attributes, redrive policy, tags" },
    { "P", "send: a test message to the queue" },
    { "m", "peek: read up to N messages and release them (:messages shows them)" },
    { "y", "copy: the queue's URL to the clipboard (OSC 52)" },
    /* one line at 80 columns: the mark's meaning is in the title too */
    { "c", "consumer: its Lambda trigger in :toggles (the mark: paused)" },
    { "s/S", "sort: by the next column / reverse the order" },
    { "Q V I D O F L", "sort by that column: QUEUE, VISIBLE, IN FLIGHT, DELAYED, OLDEST, "
                       "FIFO, DLQ (again: reverse)" },
    { "j/k", "down / up (in details: scroll)" },
    { "PgUp/PgDn", "page up / down" },
    { "g/G", "first / last" },
    { "Esc/q", "close details (in the table: back)" },
    { NULL, NULL },
};

const struct view sqs_view = {
    .name = "sqs",
    .title = "SQS queues",
    .number = 2,
    .interval = APPCONFIG_VIEW_SQS,
    .private_size = sizeof(struct sqs_state),
    .init = sqs_init,
    .done = sqs_done,
    .update = sqs_update,
    .draw = sqs_draw,
    .key = sqs_key,
    .detail = sqs_detail,
    .on_screen = sqs_on_screen,
    .select = sqs_select,
    .keys = sqs_keys,
    .actions = sqs_actions,
    .target = sqs_target,
    .filter_in_title = true,
    .cli = sqs_cli,
};
