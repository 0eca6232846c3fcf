/* sns.c - the SNS view: every topic with its subscriptions, those awaiting confirmation,
 * those without a dead-letter queue, the protocols whose failed deliveries nobody logs, and
 * its messages published and notifications failed over the last hour (CloudWatch), with a
 * sparkline of the failures; a PROBLEM column says what is wrong and `p` keeps only those
 * topics. Enter opens the topic's pane: its attributes, what turns delivery-status logging
 * on, and its subscriptions (protocol, endpoint, pending, raw delivery, the queue's depth
 * for SQS endpoints, the DLQ and its depth, the filter policy pretty-printed), with jumps to
 * the queue in the sqs view and to the DLQ in the dlq view, the latest test message's id
 * (the publish action's "published" row), and the newest failed deliveries; `f` there lists
 * every failure record loaded, and asks the topic_failures source for older ones through
 * the detail key (topicfail.h) as the cursor nears the end.
 *
 * Rows come from the store's "topic" kind (poll/sources/sources.h); queue depths from the
 * "queue" kind, found by ARN. It also declares the overview's SNS section. */
#include "config.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/action.h"
#include "poll/sources/topicfail.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/sanitize.h"
#include "util/textwidth.h"
#include "table.h"
#include "view.h"
#include "util/xalloc.h"

enum { COL_NAME, COL_SUBS, COL_PENDING, COL_NODLQ, COL_LOGOFF, COL_FAILED, COL_PUBLISHED,
       COL_SPARK, COL_PROBLEM, NCOLS };

#define SPARK_WIDTH 8

/* At 80 columns: 14+5+5+7+8+7+6+8+10 and 8 gaps make 78 (a sortable column has room for its
 * title and the sort mark). The numbers are over the last hour, which the title says. Sort
 * letters: S is reverse and G the last row, so SUBS is U and PUBL is B. */
static const struct table_col sns_cols[NCOLS] = {
    [COL_NAME] = { .title = "TOPIC", .width = 14, .flex = 3, .sort_key = 'T' },
    [COL_SUBS] = { .title = "SUBS", .width = 5, .right = true, .desc_first = true,
                   .sort_key = 'U' },
    [COL_PENDING] = { .title = "PEND", .width = 5, .right = true, .desc_first = true,
                      .sort_key = 'N' },
    [COL_NODLQ] = { .title = "NO DLQ", .width = 7, .right = true, .desc_first = true,
                    .sort_key = 'Q' },
    [COL_LOGOFF] = { .title = "LOG OFF", .width = 8, .sort_key = 'L' },
    [COL_FAILED] = { .title = "FAILED", .width = 7, .right = true, .desc_first = true,
                     .sort_key = 'F' },
    [COL_PUBLISHED] = { .title = "PUBL", .width = 6, .right = true, .desc_first = true,
                        .sort_key = 'B' },
    [COL_SPARK] = { .title = "FAILURES", .width = SPARK_WIDTH, .no_sort = true },
    [COL_PROBLEM] = { .title = "PROBLEM", .width = 10, .flex = 2, .sort_key = 'R' },
};

/* Ranks: failing deliveries first, then any other problem, then the rest. */
enum { RANK_FAILING, RANK_PROBLEM, RANK_OK };

/* Queue depths one pane can draw: two per subscription row, more than a screen holds. */
#define SNS_SHOWN_MAX 128

struct sns_state {
    struct table *table;
    bool built;
    uint64_t gen_topic, gen_queue;
    int64_t fetched;
    char *filter;
    bool problems_only;           /* `p` */
    size_t nproblem, nfailing;    /* before the filter */
    bool detail_open;
    char *detail_key;             /* the topic ARN whose pane is open */
    int sub_cursor;               /* the subscription selected in the pane */
    long want;                    /* failure records the pane wants loaded */
    char *feed_key;               /* what the detail hook handed the feed (topicfail.h) */
    bool failures_open;           /* `f`: the failed deliveries, the whole window */
    int fail_cursor, fail_top;
    /* the open topic's failure records parsed once per change of the kind, not per draw
     * (5000 of them are ~2 MB of JSON) */
    cJSON *fail_recs;
    char *fail_recs_key;
    uint64_t fail_recs_gen;
    /* the queues (subscribers and their DLQs) whose depths the open pane drew: handed to the
     * feed as the rows on screen, so they are read every cycle and a test message's arrival
     * shows within one interval */
    char *shown[SNS_SHOWN_MAX];
    size_t nshown;
};

/* How close to the end of the loaded failure records the cursor gets before more are
 * asked for: about a screenful, so scrolling rarely waits. */
#define FAIL_AHEAD 20

static int failures_more(struct sns_state *st, const struct view_ctx *ctx);

static const char *arn_tail(const char *arn)
{
    const char *c = strrchr(arn, ':');

    return c && c[1] ? c + 1 : arn;
}

static const char *topic_name(const struct store_res *r)
{
    const char *name = store_res_str(r, "name");

    return name && *name ? name : arn_tail(store_res_key(r));
}

/* A JSON field of a row (untrusted text) parsed, when it has the type wanted; else NULL. */
static cJSON *json_field(const struct store_res *r, const char *field, int type)
{
    const char *text = store_res_str(r, field);
    cJSON *v = text ? cJSON_Parse(text) : NULL;

    if (v && (v->type & 0xff) != type) {
        cJSON_Delete(v);
        return NULL;
    }
    return v;
}

/* "SQS,HTTP" from the row's logging_off array; "" when every protocol in use logs its
 * failures; NULL when it is not known. The caller frees. */
static char *logging_off(const struct store_res *r)
{
    cJSON *arr = json_field(r, "logging_off", cJSON_Array);
    const cJSON *it;
    struct buf b;

    if (!arr)
        return NULL;
    buf_init(&b);
    cJSON_ArrayForEach(it, arr) {
        if (!cJSON_IsString(it))
            continue;
        if (b.len)
            buf_puts(&b, ",");
        buf_puts(&b, it->valuestring);
    }
    cJSON_Delete(arr);
    return buf_steal(&b);
}

/* What is wrong with a topic, worst first; "" when nothing known is. */
struct problems {
    bool failing, pending, no_dlq, log_off;
};

static struct problems topic_problems(const struct store_res *r)
{
    struct problems p = {0};
    int64_t v;
    double d;
    char *off = logging_off(r);

    p.failing = store_res_num(r, "failed_notifications", &d) && d > 0;
    p.pending = (store_res_int(r, "pending_in_list", &v) && v > 0) ||
                (store_res_int(r, "subscriptions_pending", &v) && v > 0);
    p.no_dlq = store_res_int(r, "no_dlq", &v) && v > 0;
    p.log_off = off && *off;
    free(off);
    return p;
}

static bool any_problem(struct problems p)
{
    return p.failing || p.pending || p.no_dlq || p.log_off;
}

static void problems_text(struct problems p, struct buf *b)
{
    const char *words[4];
    size_t n = 0;

    if (p.failing)
        words[n++] = "failing";
    if (p.pending)
        words[n++] = "pending";
    if (p.no_dlq)
        words[n++] = "no DLQ";
    if (p.log_off)
        words[n++] = "no log";
    for (size_t i = 0; i < n; i++)
        buf_printf(b, "%s%s", i ? ", " : "", words[i]);
}

static void count_cell(struct table_row *row, size_t col, const struct store_res *r,
                       const char *field)
{
    double v;
    char num[32];

    if (store_res_num(r, field, &v) && isfinite(v))
        table_cell(row, col, fmt_count(num, sizeof num, (int64_t)v), v);
    else
        table_cell(row, col, "-", NAN);
}

static size_t subs_count(const struct store_res *r)
{
    cJSON *arr = json_field(r, "subscriptions", cJSON_Array);
    size_t n = (size_t)cJSON_GetArraySize(arr);

    cJSON_Delete(arr);
    return n;
}

static void add_row(struct sns_state *st, const struct view_ctx *ctx, const struct store_res *r)
{
    struct problems p = topic_problems(r);
    struct table_row *row;
    struct store_point pts[SPARK_WIDTH];
    double vals[SPARK_WIDTH], lo, hi;
    size_t n;
    char *off, *spark;
    struct buf b;

    if (any_problem(p))
        st->nproblem++;
    if (p.failing)
        st->nfailing++;
    if (st->problems_only && !any_problem(p))
        return;
    row = table_add(st->table, store_res_key(r));
    table_cell(row, COL_NAME, topic_name(r), NAN);
    if (store_res_str(r, "subscriptions")) {
        char num[32];
        size_t ns = subs_count(r);

        table_cell(row, COL_SUBS, fmt_count(num, sizeof num, (int64_t)ns), (double)ns);
    } else {
        table_cell(row, COL_SUBS, "-", NAN);
    }
    count_cell(row, COL_PENDING, r, "pending_in_list");
    if (p.pending)
        table_cell_style(row, COL_PENDING, THEME_WARN);
    count_cell(row, COL_NODLQ, r, "no_dlq");
    if (p.no_dlq)
        table_cell_style(row, COL_NODLQ, THEME_WARN);
    off = logging_off(r);
    table_cell(row, COL_LOGOFF, !off ? "?" : *off ? off : "-", NAN);
    if (p.log_off)
        table_cell_style(row, COL_LOGOFF, THEME_WARN);
    free(off);
    count_cell(row, COL_FAILED, r, "failed_notifications");
    if (p.failing)
        table_cell_style(row, COL_FAILED, THEME_CRITICAL);
    count_cell(row, COL_PUBLISHED, r, "published");

    n = store_res_history(r, "failed_notifications", SPARK_WIDTH, pts);
    for (size_t i = 0; i < n; i++)
        vals[i] = pts[i].value;
    if (!store_res_history_range(r, "failed_notifications", SPARK_WIDTH, &lo, &hi) ||
        !isfinite(hi))
        hi = 0;
    spark = glyph_sparkline_scaled(ctx->glyphs, vals, n, SPARK_WIDTH, 0, hi);
    table_cell_raw(row, COL_SPARK, spark, NAN);
    table_cell_style(row, COL_SPARK, THEME_SPARKLINE);
    free(spark);

    buf_init(&b);
    problems_text(p, &b);
    table_cell(row, COL_PROBLEM, b.len ? buf_str(&b) : "-", NAN);
    buf_done(&b);

    table_row_rank(row, p.failing ? RANK_FAILING : any_problem(p) ? RANK_PROBLEM : RANK_OK);
    if (store_res_stale(r))
        table_row_style(row, THEME_STALE);
    else if (p.failing)
        table_row_style(row, THEME_CRITICAL);
}

static void rebuild(struct sns_state *st, const struct view_ctx *ctx)
{
    size_t n = store_count(ctx->store, "topic");

    st->nproblem = st->nfailing = 0;
    table_begin(st->table);
    for (size_t i = 0; i < n; i++)
        add_row(st, ctx, store_at(ctx->store, "topic", i));
    table_end(st->table, ctx->filter);
}

static void sns_init(void *priv, struct view_ctx *ctx)
{
    struct sns_state *st = priv;

    (void)ctx;
    st->table = table_new(sns_cols, NCOLS);
    table_sort(st->table, COL_NAME, false);
}

static void detail_close(struct sns_state *st)
{
    st->detail_open = false;
    st->failures_open = false;
    free(st->detail_key);
    st->detail_key = NULL;
    st->sub_cursor = 0;
}

static void shown_clear(struct sns_state *st)
{
    for (size_t i = 0; i < st->nshown; i++)
        free(st->shown[i]);
    st->nshown = 0;
}

/* The queue row whose depth was just drawn is on screen (see shown). */
static void shown_add(struct sns_state *st, const struct store_res *q)
{
    if (q && st->nshown < SNS_SHOWN_MAX)
        st->shown[st->nshown++] = xstrdup(store_res_key(q));
}

static void sns_done(void *priv)
{
    struct sns_state *st = priv;

    table_free(st->table);
    free(st->filter);
    free(st->detail_key);
    free(st->feed_key);
    cJSON_Delete(st->fail_recs);
    free(st->fail_recs_key);
    shown_clear(st);
    memset(st, 0, sizeof(*st));
}

static int sns_update(void *priv, struct view_ctx *ctx)
{
    struct sns_state *st = priv;
    struct store_kind_info topic, queue;
    const char *filter = ctx->filter ? ctx->filter : "";
    int bits = 0;

    store_kind_info(ctx->store, "topic", &topic);
    store_kind_info(ctx->store, "queue", &queue);
    if (!st->built || topic.generation != st->gen_topic || queue.generation != st->gen_queue ||
        topic.fetched != st->fetched || !st->filter || strcmp(st->filter, filter) != 0) {
        rebuild(st, ctx);
        st->built = true;
        st->gen_topic = topic.generation;
        st->gen_queue = queue.generation;
        st->fetched = topic.fetched;
        free(st->filter);
        st->filter = xstrdup(filter);
        bits |= VIEW_REDRAW;
    }
    if (st->detail_open && !store_find(ctx->store, "topic", st->detail_key)) {
        detail_close(st);
        bits |= VIEW_DETAIL | VIEW_REDRAW;
    }
    if (st->detail_open)
        bits |= failures_more(st, ctx);
    return bits;
}

/* ---- the topic's pane ------------------------------------------------------------------ */

/* The listed queue whose ARN is arn (an SQS endpoint, a DLQ), or NULL. */
static const struct store_res *queue_by_arn(const struct store *s, const char *arn)
{
    size_t n = store_count(s, "queue");

    if (!arn)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const struct store_res *q = store_at(s, "queue", i);
        const char *a = store_res_str(q, "arn");

        if (a && strcmp(a, arn) == 0)
            return q;
    }
    return NULL;
}

static const char *json_str(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* "12 msgs" for the listed queue with ARN arn, "not listed" when the queue list has no such
 * queue (another account, or not read yet). */
static void queue_depth(struct sns_state *st, const struct store *s, const char *arn,
                        char *out, size_t n)
{
    const struct store_res *q = queue_by_arn(s, arn);
    int64_t v;
    char num[32];

    shown_add(st, q);

    if (!q)
        snprintf(out, n, "not listed");
    else if (store_res_int(q, "visible", &v))
        snprintf(out, n, "%s msgs", fmt_count(num, sizeof num, v));
    else
        snprintf(out, n, "depth ?");
}

static void pane_line(WINDOW *win, int y, const struct view_ctx *ctx, const char *label,
                      const char *value, attr_t attr)
{
    int w = getmaxx(win);

    if (y >= getmaxy(win))
        return;
    view_text(win, y, 1, 10, label, view_attr(ctx, THEME_HEADER));
    view_text(win, y, 12, w - 12, value, attr);
}

/* A role's name from its ARN (arn:aws:iam::1:role/path/sns-logs: "sns-logs"). */
static const char *role_name(const char *arn)
{
    const char *slash = strrchr(arn, '/');

    return slash && slash[1] ? slash + 1 : arn;
}

/* How a protocol whose failures are logged logs, what matters first so a narrow pane cuts
 * only the role: "SQS: failures logged, 10 % of successes; role sns-logs" ("successes not",
 * "successes without a sample rate"; "roles F (failures), S (successes)" when they differ). */
static void feedback_text(const char *proto, const cJSON *f, struct buf *b)
{
    const char *frole = json_str(f, "failure_role"), *srole = json_str(f, "success_role");
    const cJSON *rate = cJSON_GetObjectItemCaseSensitive(f, "sample_rate");

    buf_printf(b, "%s: failures logged, ", proto);
    if (!srole)
        buf_puts(b, "successes not");
    else if (cJSON_IsNumber(rate))
        buf_printf(b, "%g %% of successes", rate->valuedouble);
    else
        buf_puts(b, "successes without a sample rate");
    if (srole && strcmp(srole, frole) != 0)
        buf_printf(b, "; roles %s (failures), %s (successes)", role_name(frole),
                   role_name(srole));
    else
        buf_printf(b, "; role %s", role_name(frole));
}

/* A line for each protocol in use whose failures are logged (the row's logging object);
 * false when the row has no such object (written before it existed), so nothing is drawn. */
static bool logged_lines(WINDOW *win, int *y, const struct view_ctx *ctx,
                         const struct store_res *r)
{
    cJSON *log = json_field(r, "logging", cJSON_Object);
    const cJSON *it;
    int n = 0;
    struct buf b;

    if (!log)
        return false;
    buf_init(&b);
    cJSON_ArrayForEach(it, log) {
        if (!cJSON_IsObject(it) || !it->string || !json_str(it, "failure_role"))
            continue;
        buf_reset(&b);
        feedback_text(it->string, it, &b);
        pane_line(win, (*y)++, ctx, n++ ? "" : "Logging", buf_str(&b), view_attr(ctx, THEME_OK));
    }
    buf_done(&b);
    cJSON_Delete(log);
    return n > 0;
}

/* How delivery status is logged for the protocols in use, and what turns failure logging on
 * where it is off: their attribute names. */
static void logging_lines(WINDOW *win, int *y, const struct view_ctx *ctx,
                          const struct store_res *r)
{
    char *off = logging_off(r);
    int64_t on = 0;
    struct buf b;
    char *save, *tok;
    bool logged;

    if (!off) {
        pane_line(win, (*y)++, ctx, "Logging", "unknown (not read)", view_attr(ctx, THEME_DIM));
        return;
    }
    logged = logged_lines(win, y, ctx, r);
    if (!*off && logged) {
        free(off);
        return;
    }
    if (!*off) {
        store_res_int(r, "failure_logging", &on);
        pane_line(win, (*y)++, ctx, "Logging",
                  on ? "failed deliveries are logged for every protocol in use"
                     : "no subscriber SNS can log deliveries for",
                  view_attr(ctx, on ? THEME_OK : THEME_DIM));
        free(off);
        return;
    }
    buf_init(&b);
    buf_printf(&b, "failures NOT logged for %s: set", off);
    for (tok = strtok_r(off, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        buf_printf(&b, " %sFailureFeedbackRoleArn", tok);
    pane_line(win, (*y)++, ctx, logged ? "" : "Logging", buf_str(&b), view_attr(ctx, THEME_WARN));
    pane_line(win, (*y)++, ctx, "", "to the ARN of a role SNS may write CloudWatch Logs with",
              view_attr(ctx, THEME_DIM));
    buf_done(&b);
    free(off);
}

/* The selected subscription's filter policy, pretty-printed, a line each. */
static void filter_lines(WINDOW *win, int *y, int h, const struct view_ctx *ctx,
                         const cJSON *sub)
{
    const char *policy = json_str(sub, "filter_policy");
    const char *scope = json_str(sub, "filter_policy_scope");
    cJSON *doc;
    char *pretty, *save, *line, title[96];
    int w = getmaxx(win);

    if (*y >= h)
        return;
    if (!policy) {
        view_text(win, (*y)++, 2, w - 2,
                  cJSON_IsNull(cJSON_GetObjectItem(sub, "raw_delivery")) &&
                          !cJSON_IsTrue(cJSON_GetObjectItem(sub, "pending"))
                      ? "Filter policy: unknown (its attributes were not read)"
                      : "Filter policy: none (every message is delivered)",
                  view_attr(ctx, THEME_DIM));
        return;
    }
    snprintf(title, sizeof title, "Filter policy (on the message %s):",
             scope && strcmp(scope, "MessageBody") == 0 ? "body" : "attributes");
    view_text(win, (*y)++, 2, w - 2, title, view_attr(ctx, THEME_HEADER));
    doc = cJSON_Parse(policy);
    pretty = doc ? cJSON_Print(doc) : xstrdup(policy);
    cJSON_Delete(doc);
    for (line = strtok_r(pretty, "\n", &save); line && *y < h;
         line = strtok_r(NULL, "\n", &save)) {
        struct buf b;

        /* cJSON indents with tabs and puts one after each colon: two spaces, one space */
        buf_init(&b);
        for (const char *c = line; *c; c++) {
            if (*c != '\t')
                buf_putc(&b, *c);
            else
                buf_puts(&b, c == line || c[-1] == '\t' ? "  " : " ");
        }
        view_text(win, (*y)++, 4, w - 4, buf_str(&b), A_NORMAL);
        buf_done(&b);
    }
    free(pretty);
}

/* One failure record on a line: time, code, tries, dwell (42 columns), then the endpoint
 * and the provider's response, or the raw text of a record that is not a delivery record. */
#define RECORD_LEFT 42

static void record_line(WINDOW *win, int y, int x, int w, const struct view_ctx *ctx,
                        const cJSON *it, attr_t sel)
{
    const cJSON *t = cJSON_GetObjectItem(it, "time_ms"), *c = cJSON_GetObjectItem(it, "status_code");
    const cJSON *d = cJSON_GetObjectItem(it, "dwell_ms"), *a = cJSON_GetObjectItem(it, "attempts");
    const char *ep = json_str(it, "endpoint"), *resp = json_str(it, "provider_response");
    const char *raw = json_str(it, "unparsed");
    char line[192], when[64], code[16], dwell[32], tries[16];
    struct buf b;

    view_time(ctx, cJSON_IsNumber(t) ? t->valuedouble / 1000.0 : -1, when, sizeof when);
    when[19] = '\0';   /* the date and time; the zone is the header's */
    snprintf(code, sizeof code, cJSON_IsNumber(c) ? "%.0f" : "-", c ? c->valuedouble : 0);
    snprintf(tries, sizeof tries, cJSON_IsNumber(a) ? "%.0f" : "-", a ? a->valuedouble : 0);
    if (cJSON_IsNumber(d))
        fmt_age(dwell, sizeof dwell, (int64_t)d->valuedouble);
    else
        snprintf(dwell, sizeof dwell, "-");
    if (sel)
        mvwchgat(win, y, 0, getmaxx(win), sel, 0, NULL);
    snprintf(line, sizeof line, "%-19s %5s %5s %7s  ", when, code, tries, dwell);
    view_text(win, y, x, RECORD_LEFT, line, sel ? sel : view_attr(ctx, THEME_CRITICAL));
    buf_init(&b);
    if (raw)
        buf_printf(&b, "(not a delivery record) %s", raw);
    else
        buf_printf(&b, "%s  %s", ep ? ep : "?", resp ? resp : "");
    view_text(win, y, x + RECORD_LEFT, w - RECORD_LEFT > 10 ? w - RECORD_LEFT : 10, buf_str(&b),
              sel ? sel : A_NORMAL);
    buf_done(&b);
}

static void record_header(WINDOW *win, int y, int x, int w, const struct view_ctx *ctx)
{
    char line[128];

    snprintf(line, sizeof line, "%-19s %5s %5s %7s  %s", "TIME", "CODE", "TRIES", "DWELL",
             "ENDPOINT / PROVIDER RESPONSE");
    view_text(win, y, x, w, line, view_attr(ctx, THEME_HEADER));
}

/* How many records are loaded and whether older ones exist: "60 loaded, newest first; more
 * before 14:02:11", "all 12 loaded", "60 loaded; more not known yet". Loading says so. */
static void loaded_text(const struct view_ctx *ctx, const struct store_res *r, long want,
                        struct buf *b)
{
    int64_t loaded = 0, more = -1, from = 0;
    char when[64];

    store_res_int(r, "loaded", &loaded);
    store_res_int(r, "more", &more);
    store_res_int(r, "covered_from", &from);
    if (more == 0) {
        buf_printf(b, "all %lld loaded", (long long)loaded);
        return;
    }
    buf_printf(b, "%lld loaded, newest first; ", (long long)loaded);
    if (more > 0)
        buf_printf(b, "more before %s", view_time(ctx, (double)from / 1000.0, when, sizeof when));
    else
        buf_puts(b, "more not known yet");
    if (want > loaded && loaded < TOPICFAIL_MAX)
        buf_printf(b, " (loading older%s)", ctx->glyphs->g[GLYPH_ELLIPSIS]);
    else if (loaded >= TOPICFAIL_MAX)
        buf_printf(b, " (the pane keeps at most %d)", TOPICFAIL_MAX);
}

/* The topic_failures row of the open topic when it holds records; else the line that says
 * why not (not read, cannot read, not logged, none) is drawn and NULL returned. */
/* The records of row r (the open topic's topic_failures row), parsed at most once per
 * change of the kind; owned by st. */
static const cJSON *failure_records(struct sns_state *st, const struct view_ctx *ctx,
                                    const struct store_res *r)
{
    struct store_kind_info info;

    store_kind_info(ctx->store, "topic_failures", &info);
    if (st->fail_recs && st->fail_recs_gen == info.generation && st->fail_recs_key &&
        strcmp(st->fail_recs_key, store_res_key(r)) == 0)
        return st->fail_recs;
    cJSON_Delete(st->fail_recs);
    free(st->fail_recs_key);
    st->fail_recs = json_field(r, "records", cJSON_Array);
    st->fail_recs_key = xstrdup(store_res_key(r));
    st->fail_recs_gen = info.generation;
    return st->fail_recs;
}

static const struct store_res *failures_row(WINDOW *win, int *y, int h, int x,
                                            struct sns_state *st, const struct view_ctx *ctx,
                                            const struct store_res *topic, const cJSON **recs)
{
    const struct store_res *r = store_find(ctx->store, "topic_failures", store_res_key(topic));
    const struct aws_error *err = r ? store_res_error(r, NULL) : NULL;
    int w = getmaxx(win) - x;
    int64_t exists = 0, logged = 0;
    char line[512];

    *recs = NULL;
    store_res_int(topic, "failure_logging", &logged);
    if (*y >= h)
        return NULL;
    if (!r || !store_res_fetched(r)) {
        view_text(win, (*y)++, x, w,
                  err ? err->message : "not read yet: the delivery-status log is being read",
                  view_attr(ctx, err ? THEME_ERROR : THEME_DIM));
        return NULL;
    }
    if (err) {
        struct buf b;

        buf_init(&b);
        buf_printf(&b, "cannot read %s: %s", store_res_str(r, "log_group"), err->message);
        view_text(win, (*y)++, x, w, buf_str(&b), view_attr(ctx, THEME_ERROR));
        buf_done(&b);
    }
    store_res_int(r, "group_exists", &exists);
    if (!exists) {
        if (*y < h)
            view_text(win, (*y)++, x, w, logged ? "none logged yet" : "not logged: see Logging above",
                      view_attr(ctx, logged ? THEME_OK : THEME_WARN));
        snprintf(line, sizeof line, "(no log group %s)", store_res_str(r, "log_group"));
        if (*y < h)
            view_text(win, (*y)++, x, w, line, view_attr(ctx, THEME_DIM));
        return NULL;
    }
    *recs = failure_records(st, ctx, r);
    if (cJSON_GetArraySize(*recs) == 0) {
        int64_t more = -1;

        store_res_int(r, "more", &more);
        if (*y < h)
            view_text(win, (*y)++, x, w, more == 0 ? "none in the log group"
                                                   : "none read yet (older ones are being read)",
                      view_attr(ctx, more == 0 ? THEME_OK : THEME_DIM));
        *recs = NULL;
        return NULL;
    }
    return r;
}

/* Why deliveries fail, in the topic's pane: the newest records that fit, and how many are
 * loaded (`f` opens them all). */
static void failure_lines(WINDOW *win, int *y, int h, const struct view_ctx *ctx,
                          struct sns_state *st, const struct store_res *topic)
{
    const struct store_res *r;
    int w = getmaxx(win), room;
    const cJSON *recs;
    const cJSON *it;
    struct buf b;

    if (*y >= h)
        return;
    view_text(win, (*y)++, 0, w, "Failed deliveries (CloudWatch Logs)", view_attr(ctx, THEME_TITLE));
    if (!(r = failures_row(win, y, h, 2, st, ctx, topic, &recs)))
        return;
    if (*y < h)
        record_header(win, (*y)++, 2, w - 2, ctx);
    room = h - *y - 1;   /* the last line says how many are loaded */
    cJSON_ArrayForEach(it, recs) {
        if (room-- <= 0 || *y >= h)
            break;
        record_line(win, (*y)++, 2, w - 2, ctx, it, 0);
    }
    if (*y < h) {
        buf_init(&b);
        loaded_text(ctx, r, st->want, &b);
        buf_puts(&b, "  f: all of them");
        view_text(win, (*y)++, 2, w - 2, buf_str(&b), view_attr(ctx, THEME_DIM));
        buf_done(&b);
    }
}

/* `f`: the failed deliveries in the whole window, a cursor on one, its full text below. */
#define FAIL_DETAIL_LINES 5

static void draw_failures(struct sns_state *st, struct view_ctx *ctx, WINDOW *win)
{
    const struct store_res *topic = store_find(ctx->store, "topic", st->detail_key), *r;
    int h = getmaxy(win), w = getmaxx(win), y = 0, listh, n, i = 0;
    const cJSON *recs, *it, *sel = NULL;
    struct buf b;

    if (!topic)
        return;
    buf_init(&b);
    buf_printf(&b, "Failed deliveries of %s (CloudWatch Logs)", topic_name(topic));
    view_text(win, y++, 0, w, buf_str(&b), view_attr(ctx, THEME_TITLE));
    buf_done(&b);
    if (!(r = failures_row(win, &y, h, 2, st, ctx, topic, &recs)))
        return;
    buf_init(&b);
    loaded_text(ctx, r, st->want, &b);
    view_text(win, y++, 2, w - 2, buf_str(&b), view_attr(ctx, THEME_DIM));
    buf_done(&b);
    if (y < h)
        record_header(win, y++, 2, w - 2, ctx);
    n = cJSON_GetArraySize(recs);
    if (st->fail_cursor >= n)
        st->fail_cursor = n - 1;
    if (st->fail_cursor < 0)
        st->fail_cursor = 0;
    listh = h - y - (h > 12 ? FAIL_DETAIL_LINES + 1 : 0);
    if (listh < 1)
        listh = 1;
    if (st->fail_cursor < st->fail_top)
        st->fail_top = st->fail_cursor;
    if (st->fail_cursor >= st->fail_top + listh)
        st->fail_top = st->fail_cursor - listh + 1;
    cJSON_ArrayForEach(it, recs) {
        int row = i - st->fail_top;

        if (i == st->fail_cursor)
            sel = it;
        if (row >= 0 && row < listh && y + row < h)
            record_line(win, y + row, 2, w - 2, ctx, it,
                        i == st->fail_cursor ? view_attr(ctx, THEME_SELECTION) : 0);
        i++;
    }
    if (sel && h > 12) {
        const char *id = json_str(sel, "message_id"), *ep = json_str(sel, "endpoint");
        const char *resp = json_str(sel, "provider_response"), *raw = json_str(sel, "unparsed");
        const cJSON *t = cJSON_GetObjectItem(sel, "time_ms");
        char when[64];

        char *clean, **wrapped;
        size_t nw;

        y = h - FAIL_DETAIL_LINES;
        buf_init(&b);
        buf_printf(&b, "%s  message id %s",
                   view_time(ctx, cJSON_IsNumber(t) ? t->valuedouble / 1000.0 : -1, when,
                             sizeof when), id ? id : "?");
        view_text(win, y++, 0, w, buf_str(&b), view_attr(ctx, THEME_HEADER));
        buf_reset(&b);
        buf_printf(&b, "Endpoint  %s", raw ? "(not a delivery record)" : ep ? ep : "?");
        view_text(win, y++, 0, w, buf_str(&b), A_NORMAL);
        buf_done(&b);
        /* the provider's response is the why: two lines of it, wrapped */
        view_text(win, y, 0, 10, "Response", A_NORMAL);
        clean = sanitize_text(raw ? raw : resp ? resp : "", strlen(raw ? raw : resp ? resp : ""));
        nw = textwidth_wrap(clean, w - 10 > 10 ? w - 10 : 10, &wrapped);
        buf_init(&b);
        for (size_t k = 0; k < nw; k++) {
            if (k >= 1)   /* the rest on the second line, cut where it must be */
                buf_printf(&b, "%s%s", k > 1 ? " " : "", wrapped[k]);
            else
                view_text_clean(win, y, 10, w - 10, wrapped[k], A_NORMAL);
            free(wrapped[k]);
        }
        view_text_clean(win, y + 1, 10, w - 10, buf_str(&b), A_NORMAL);
        buf_done(&b);
        free(wrapped);
        free(clean);
        view_text(win, h - 1, 0, w,
                  "Esc/q: back  j/k PgUp/PgDn g/G: move (older load near the end)  y: message id",
                  view_attr(ctx, THEME_DIM));
    }
}

/* The topic's latest test message (the publish action's "published" row): it stays here
 * after the status line moved on; `y` in the pane copies its id. */
static void published_line(WINDOW *win, int *y, const struct view_ctx *ctx,
                           const struct store_res *topic)
{
    const struct store_res *p = store_find(ctx->store, "published", store_res_key(topic));
    const char *id = p ? store_res_str(p, "message_id") : NULL;
    const char *seq = p ? store_res_str(p, "sequence_number") : NULL;
    int64_t at = 0;
    char when[64];
    struct buf b;

    if (!id)
        return;
    store_res_int(p, "published", &at);
    buf_init(&b);
    /* the id first and whole: it is what is looked for in the subscribers' queues */
    buf_printf(&b, "message id %s  (y copies it)", id);
    pane_line(win, (*y)++, ctx, "Test msg", buf_str(&b), view_attr(ctx, THEME_OK));
    buf_reset(&b);
    if (seq)
        buf_printf(&b, "sequence number %s, ", seq);
    /* the store's clock is in milliseconds (publish.c writes store_now) */
    buf_printf(&b, "published %s", view_time(ctx, (double)at / 1000.0, when, sizeof when));
    pane_line(win, (*y)++, ctx, "", buf_str(&b), view_attr(ctx, THEME_DIM));
    buf_done(&b);
}

static int protocol_order(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;

    if (x->valuedouble != y->valuedouble)
        return x->valuedouble > y->valuedouble ? -1 : 1;
    return strcmp(x->string, y->string);
}

/* "Subscriptions  3: sqs 2, email 1", most used protocol first, from the row's protocols
 * object ({"sqs": 2, "email": 1}); just the count when that is missing or malformed. */
static void subscriptions_title(const struct store_res *r, int nsubs, struct buf *b)
{
    cJSON *by = json_field(r, "protocols", cJSON_Object);
    const cJSON *it;
    const cJSON **v;
    size_t n = 0;

    buf_printf(b, "Subscriptions  %d", nsubs);
    v = xcalloc((size_t)cJSON_GetArraySize(by) + 1, sizeof *v);
    cJSON_ArrayForEach(it, by) {
        if (cJSON_IsNumber(it) && it->string)
            v[n++] = it;
    }
    qsort(v, n, sizeof *v, protocol_order);
    for (size_t i = 0; i < n; i++)
        buf_printf(b, "%s%s %lld", i ? ", " : ": ", v[i]->string, (long long)v[i]->valuedouble);
    free(v);
    cJSON_Delete(by);
}

static void draw_detail(struct sns_state *st, struct view_ctx *ctx, WINDOW *win)
{
    const struct store *s = ctx->store;
    const struct store_res *r = store_find(s, "topic", st->detail_key);
    int h = getmaxy(win), w = getmaxx(win), y = 0, i = 0, nsubs, first;
    char line[512], a[32], b[32], c[32], depth[32];
    const char *disp, *kms;
    int64_t fifo = 0;
    double v;
    cJSON *subs;
    const cJSON *it, *sel = NULL;
    int epw, listh;

    shown_clear(st);
    if (!r)
        return;
    snprintf(line, sizeof line, "Topic %s", topic_name(r));
    view_text(win, y++, 0, w, line, view_attr(ctx, THEME_TITLE));
    pane_line(win, y++, ctx, "ARN", store_res_key(r), A_NORMAL);
    disp = store_res_str(r, "display_name");
    if (disp && *disp)
        pane_line(win, y++, ctx, "Display", disp, A_NORMAL);
    store_res_int(r, "fifo", &fifo);
    kms = store_res_str(r, "kms_key");
    {
        struct buf kind;   /* the key is untrusted: view_text sanitises it, once */

        buf_init(&kind);
        buf_printf(&kind, "%s, %s%s", fifo ? "FIFO" : "standard",
                   kms && *kms ? "encrypted with " : kms ? "not encrypted" : "encryption unknown",
                   kms && *kms ? kms : "");
        pane_line(win, y++, ctx, "Kind", buf_str(&kind), A_NORMAL);
        buf_done(&kind);
    }
    fmt_count(a, sizeof a, store_res_num(r, "published", &v) && isfinite(v) ? (int64_t)v : -1);
    fmt_count(b, sizeof b, store_res_num(r, "delivered", &v) && isfinite(v) ? (int64_t)v : -1);
    fmt_count(c, sizeof c,
              store_res_num(r, "failed_notifications", &v) && isfinite(v) ? (int64_t)v : -1);
    snprintf(line, sizeof line, "%s published, %s delivered, %s failed (CloudWatch)", a, b, c);
    pane_line(win, y++, ctx, "Last hour", line,
              view_attr(ctx, store_res_num(r, "failed_notifications", &v) && v > 0
                                 ? THEME_CRITICAL : THEME_NORMAL));
    logging_lines(win, &y, ctx, r);
    published_line(win, &y, ctx, r);
    if (store_res_stale(r))
        pane_line(win, y++, ctx, "Data", "stale: the last poll failed",
                  view_attr(ctx, THEME_STALE));
    y++;

    subs = json_field(r, "subscriptions", cJSON_Array);
    nsubs = cJSON_GetArraySize(subs);
    if (st->sub_cursor >= nsubs)
        st->sub_cursor = nsubs ? nsubs - 1 : 0;
    if (y < h) {
        struct buf t;   /* protocol names are untrusted: view_text sanitises them */

        buf_init(&t);
        subscriptions_title(r, nsubs, &t);
        view_text(win, y++, 0, w, buf_str(&t), view_attr(ctx, THEME_TITLE));
        buf_done(&t);
    }
    if (!subs) {
        if (y < h)
            view_text(win, y++, 2, w - 2, "unknown (not read)", view_attr(ctx, THEME_DIM));
        return;
    }
    if (nsubs == 0 && y < h)
        view_text(win, y++, 2, w - 2, "none: nothing receives what is published here",
                  view_attr(ctx, THEME_WARN));
    epw = w - 2 - 7 - 10 - 4 - 24;
    if (epw < 10)
        epw = 10;
    if (nsubs && y < h) {
        view_text(win, y, 2, 7, "PROTO", view_attr(ctx, THEME_HEADER));
        view_text(win, y, 9, epw, "ENDPOINT", view_attr(ctx, THEME_HEADER));
        view_text(win, y, 9 + epw, 10, " STATE", view_attr(ctx, THEME_HEADER));
        view_text(win, y, 19 + epw, 4, " RAW", view_attr(ctx, THEME_HEADER));
        view_text(win, y++, 23 + epw, w - 23 - epw, " DLQ", view_attr(ctx, THEME_HEADER));
    }
    /* the list takes at most half of what is left, so the filter policy shows too */
    listh = (h - y) / 2 > 3 ? (h - y) / 2 : h - y;
    first = st->sub_cursor >= listh ? st->sub_cursor - listh + 1 : 0;
    cJSON_ArrayForEach(it, subs) {
        const char *proto = json_str(it, "protocol"), *ep = json_str(it, "endpoint");
        const char *dlq = json_str(it, "dlq_arn");
        bool pending = cJSON_IsTrue(cJSON_GetObjectItem(it, "pending"));
        const cJSON *raw = cJSON_GetObjectItem(it, "raw_delivery");
        attr_t at = i == st->sub_cursor ? view_attr(ctx, THEME_SELECTION) : A_NORMAL;
        int row = i - first;

        if (i == st->sub_cursor)
            sel = it;
        if (row < 0 || row >= listh || y + row >= h) {
            i++;
            continue;
        }
        if (i == st->sub_cursor)
            mvwchgat(win, y + row, 0, w, at, 0, NULL);
        view_text(win, y + row, 2, 7, proto ? proto : "?", at);
        if (proto && strcmp(proto, "sqs") == 0 && ep) {
            queue_depth(st, s, ep, depth, sizeof depth);
            snprintf(line, sizeof line, "%s (%s)", arn_tail(ep), depth);
            view_text(win, y + row, 9, epw, line, at);
        } else {
            view_text(win, y + row, 9, epw, ep ? ep : "?", at);
        }
        view_text(win, y + row, 9 + epw, 10, pending ? " pending" : " confirmed",
                  pending ? at | view_attr(ctx, THEME_WARN) : at);
        view_text(win, y + row, 19 + epw, 4,
                  cJSON_IsTrue(raw) ? " yes" : cJSON_IsFalse(raw) ? " no" : " ?", at);
        if (dlq) {
            queue_depth(st, s, dlq, depth, sizeof depth);
            snprintf(line, sizeof line, " %s (%s)", arn_tail(dlq), depth);
            view_text(win, y + row, 23 + epw, w - 23 - epw, line, at);
        } else {
            view_text(win, y + row, 23 + epw, w - 23 - epw,
                      pending ? " -" : cJSON_IsNull(raw) ? " ?" : " none",
                      pending || cJSON_IsNull(raw) ? at : at | view_attr(ctx, THEME_WARN));
        }
        i++;
    }
    y += nsubs < listh ? nsubs : listh;
    if (sel) {
        y++;
        filter_lines(win, &y, h > 12 ? h - 1 : h, ctx, sel);
    }
    cJSON_Delete(subs);
    y++;
    failure_lines(win, &y, h > 12 ? h - 1 : h, ctx, st, r);
    if (h > 12)
        view_text(win, h - 1, 0, w,
                  "Esc/q back  j/k subscription  Enter its queue  D its DLQ  f failures  "
                  "P publish",
                  view_attr(ctx, THEME_DIM));
}

/* ---- reachability ------------------------------------------------------------------------ */

/* What kind of endpoint a base URL is, for a person: AWS's public one, a VPC endpoint's
 * own DNS name, an emulator on this machine, or some other URL from the config. */
static const char *endpoint_kind(const char *url)
{
    const char *host = url ? strstr(url, "://") : NULL;
    char h[256];
    size_t n;

    if (!host)
        return "unknown";
    host += 3;
    n = strcspn(host, ":/");
    if (n >= sizeof h)
        return "custom";
    memcpy(h, host, n);
    h[n] = '\0';
    if (strcmp(h, "localhost") == 0 || strncmp(h, "127.", 4) == 0 || strcmp(h, "[::1") == 0)
        return "local emulator";
    if (strstr(h, ".vpce.amazonaws.com"))
        return "VPC endpoint";
    n = strlen(h);
    if ((n > 14 && strcmp(h + n - 14, ".amazonaws.com") == 0) ||
        (n > 17 && strcmp(h + n - 17, ".amazonaws.com.cn") == 0))
        return "public";
    return "custom";
}

/* "SNS public https://sns... ok 34ms" or "SNS ... FAILING since 03:12:08: why". */
static void reach_probe_text(const struct view_ctx *ctx, const char *label,
                             const struct store_res *r, struct buf *b, bool *failing)
{
    const char *ep = r ? store_res_str(r, "endpoint") : NULL;
    const char *why = r ? store_res_str(r, "error") : NULL;
    int64_t ok = 0, ms = -1;
    double at, last;
    char when[64];

    *failing = false;
    if (!r) {
        buf_printf(b, "%s not probed yet", label);
        return;
    }
    store_res_int(r, "ok", &ok);
    store_res_int(r, "latency_ms", &ms);
    buf_printf(b, "%s %s ", label, endpoint_kind(ep));
    if (ok) {
        buf_printf(b, "ok %lldms", (long long)ms);
        if (why && *why && store_res_num(r, "error_at", &at))
            buf_printf(b, " (last failure %s)", view_time(ctx, at, when, sizeof when));
    } else {
        *failing = true;
        if (store_res_num(r, "last_ok", &last))
            buf_printf(b, "FAILING, last ok %s", view_time(ctx, last, when, sizeof when));
        else
            buf_puts(b, "FAILING, never answered");
        buf_printf(b, ": %s", why ? why : "?");
    }
    /* the URL last: the status must survive an 80-column cut */
    buf_printf(b, "  %s", ep ? ep : "?");
}

/* The VPC endpoints for SNS, SQS and S3: "VPC endpoints: sns vpce-1 (vpc-9, available,
 * private DNS on); sqs none; s3 none". */
static void reach_vpce_text(const struct store_res *r, struct buf *b)
{
    static const char *const svcs[] = {"sns", "sqs", "s3"};
    const char *why = r ? store_res_str(r, "error") : NULL;
    cJSON *list = r ? json_field(r, "list", cJSON_Array) : NULL;

    buf_puts(b, "VPC endpoints: ");
    if (!r) {
        buf_puts(b, "not read yet");
        return;
    }
    if (why && *why) {
        buf_printf(b, "cannot read (EC2 DescribeVpcEndpoints): %s", why);
        cJSON_Delete(list);
        return;
    }
    if (!list) {
        buf_puts(b, "unknown");
        return;
    }
    for (size_t i = 0; i < 3; i++) {
        const cJSON *it;
        bool any = false;

        buf_printf(b, "%s%s", i ? "; " : "", svcs[i]);
        cJSON_ArrayForEach(it, list) {
            const char *svc = json_str(it, "service");

            if (!svc || strcmp(svc, svcs[i]) != 0)
                continue;
            buf_printf(b, "%s %s (%s, %s%s)", any ? "," : "", json_str(it, "id") ? json_str(it, "id") : "?",
                       json_str(it, "vpc") ? json_str(it, "vpc") : "?",
                       json_str(it, "state") ? json_str(it, "state") : "?",
                       cJSON_IsTrue(cJSON_GetObjectItem(it, "private_dns")) ? ", private DNS on"
                       : strcmp(json_str(it, "type") ? json_str(it, "type") : "", "Gateway") == 0
                           ? "" : ", private DNS off");
            any = true;
        }
        if (!any)
            buf_puts(b, " none");
    }
    cJSON_Delete(list);
}

/* The lines under the title (REACH_LINES): each endpoint in use and its health, then the
 * private paths. */
#define REACH_LINES 3

static void draw_reach(const struct view_ctx *ctx, WINDOW *win, int y)
{
    static const char *const keys[] = {"sns", "sqs"}, *const labels[] = {"SNS", "SQS"};
    int w = getmaxx(win);
    struct buf b;
    bool failing;

    buf_init(&b);
    for (int i = 0; i < 2; i++) {
        buf_reset(&b);
        reach_probe_text(ctx, labels[i], store_find(ctx->store, "reach", keys[i]), &b, &failing);
        view_text(win, y + i, 0, w, buf_str(&b),
                  view_attr(ctx, failing ? THEME_CRITICAL : THEME_DIM));
    }
    buf_reset(&b);
    reach_vpce_text(store_find(ctx->store, "reach", "vpce"), &b);
    view_text(win, y + 2, 0, w, buf_str(&b), view_attr(ctx, THEME_DIM));
    buf_done(&b);
}

static void sns_draw(void *priv, struct view_ctx *ctx, WINDOW *win)
{
    struct sns_state *st = priv;
    struct store_kind_info info;
    int h = getmaxy(win), w = getmaxx(win);
    struct buf title;
    char empty[160];
    int top = 1;

    werase(win);
    if (!st->built)
        sns_update(st, ctx);
    if (st->detail_open && st->failures_open) {
        draw_failures(st, ctx, win);
        return;
    }
    if (st->detail_open) {
        draw_detail(st, ctx, win);
        return;
    }
    store_kind_info(ctx->store, "topic", &info);
    if (!info.fetched && store_count(ctx->store, "topic") == 0) {
        view_draw_unread(ctx, win, "SNS topics", &info,
                         "the first poll of the topic list is still running");
        if (h > 10)
            draw_reach(ctx, win, 3);   /* why it cannot read may be right here */
        return;
    }
    buf_init(&title);
    buf_printf(&title, "SNS topics  %zu with problems (%zu failing), %zu total, last hour",
               st->nproblem, st->nfailing, store_count(ctx->store, "topic"));
    if (st->problems_only)
        buf_puts(&title, "  [p: problems only]");
    if (ctx->filter && *ctx->filter)
        buf_printf(&title, "  %zu shown  /%s", table_shown(st->table), ctx->filter);
    if (info.stale)
        buf_puts(&title, "  (stale)");
    view_text(win, 0, 0, w, buf_str(&title),
              view_attr(ctx, st->nfailing ? THEME_CRITICAL : THEME_TITLE));
    buf_done(&title);
    if (h > 10) {
        draw_reach(ctx, win, 1);
        top = 1 + REACH_LINES;
    }
    if (ctx->filter && *ctx->filter && table_total(st->table))
        snprintf(empty, sizeof empty, "no match for /%s", ctx->filter);
    else if (st->problems_only && store_count(ctx->store, "topic"))
        snprintf(empty, sizeof empty, "no topic has a problem (p: show all)");
    else
        snprintf(empty, sizeof empty, "no SNS topics in this region");
    if (h > top)
        table_draw(st->table, ctx, win, top, h - top, empty);
}

static bool is_enter(int key)
{
    return key == '\n' || key == '\r' || key == VIEW_KEY(KEY_ENTER);
}

/* The pane's selected subscription's field (a queue ARN), copied into out; false if none. */
static bool selected_sub_field(struct sns_state *st, const struct view_ctx *ctx,
                               const char *field, bool sqs_only, char *out, size_t n)
{
    const struct store_res *r = store_find(ctx->store, "topic", st->detail_key);
    cJSON *subs = r ? json_field(r, "subscriptions", cJSON_Array) : NULL;
    const cJSON *sub = cJSON_GetArrayItem(subs, st->sub_cursor);
    const char *v = json_str(sub, field), *proto = json_str(sub, "protocol");
    bool ok = v && (!sqs_only || (proto && strcmp(proto, "sqs") == 0));

    if (ok)
        snprintf(out, n, "%s", v);
    cJSON_Delete(subs);
    return ok;
}

/* Enter on an SQS subscription: the queue in the sqs view; D: its DLQ in the dlq view. */
static int jump_to_queue(struct sns_state *st, struct view_ctx *ctx, bool dlq)
{
    char arn[1024];
    const struct store_res *q;

    if (!selected_sub_field(st, ctx, dlq ? "dlq_arn" : "endpoint", !dlq, arn, sizeof arn))
        return VIEW_HANDLED;
    q = queue_by_arn(ctx->store, arn);
    if (!q)
        return VIEW_HANDLED;  /* not a queue this account lists: nowhere to go */
    snprintf(ctx->jump_view, sizeof ctx->jump_view, "%s", dlq ? "dlq" : "sqs");
    snprintf(ctx->jump_key, sizeof ctx->jump_key, "%s", store_res_key(q));
    return VIEW_HANDLED | VIEW_JUMP;
}

/* The number of failure records loaded for the open topic, and whether older ones exist
 * (more != 0). */
static int64_t failures_loaded(const struct sns_state *st, const struct view_ctx *ctx,
                               int64_t *more)
{
    const struct store_res *r = store_find(ctx->store, "topic_failures", st->detail_key);
    int64_t loaded = 0;

    *more = 0;
    if (!r || store_res_error(r, NULL) || !store_res_int(r, "loaded", &loaded))
        return -1;
    store_res_int(r, "more", more);
    return loaded;
}

/* The cursor is within FAIL_AHEAD records of the end of what is loaded and older records
 * exist: ask for TOPICFAIL_STEP more (once: until they are in, want stays ahead). */
static int failures_more(struct sns_state *st, const struct view_ctx *ctx)
{
    int64_t more, loaded;

    if (!st->failures_open)
        return 0;
    loaded = failures_loaded(st, ctx, &more);
    if (loaded < 0 || more == 0 || st->want > loaded || loaded >= TOPICFAIL_MAX ||
        st->fail_cursor + FAIL_AHEAD < loaded)
        return 0;
    st->want = (long)loaded + TOPICFAIL_STEP;
    return VIEW_DETAIL;
}

static int failures_key(struct sns_state *st, struct view_ctx *ctx, int key)
{
    switch (key) {
    case 27:
    case 'q':
        st->failures_open = false;
        return VIEW_HANDLED | VIEW_REDRAW;
    case 'j':
    case VIEW_KEY(KEY_DOWN):
        st->fail_cursor++;   /* clamped when drawn */
        break;
    case 'k':
    case VIEW_KEY(KEY_UP):
        if (st->fail_cursor > 0)
            st->fail_cursor--;
        break;
    case VIEW_KEY(KEY_NPAGE):
    case VIEW_KEY_CTRL('f'):
        st->fail_cursor += 10;
        break;
    case VIEW_KEY(KEY_PPAGE):
    case VIEW_KEY_CTRL('b'):
        st->fail_cursor = st->fail_cursor > 10 ? st->fail_cursor - 10 : 0;
        break;
    case 'g':
    case VIEW_KEY(KEY_HOME):
        st->fail_cursor = 0;
        break;
    case 'G':
    case VIEW_KEY(KEY_END):
        st->fail_cursor = 1 << 20;
        break;
    default:
        return VIEW_UNHANDLED;
    }
    {
        int64_t more, loaded = failures_loaded(st, ctx, &more);

        if (st->fail_cursor >= loaded)
            st->fail_cursor = loaded > 0 ? (int)loaded - 1 : 0;
    }
    return VIEW_HANDLED | VIEW_REDRAW | failures_more(st, ctx);
}

static int detail_key(struct sns_state *st, struct view_ctx *ctx, int key)
{
    if (st->failures_open)
        return failures_key(st, ctx, key);
    switch (key) {
    case 'f':
        st->failures_open = true;
        st->fail_cursor = st->fail_top = 0;
        return VIEW_HANDLED | VIEW_REDRAW | failures_more(st, ctx);
    case 27:
    case 'q':
        detail_close(st);
        return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL;
    case 'j':
    case VIEW_KEY(KEY_DOWN):
        st->sub_cursor++;  /* clamped when drawn */
        return VIEW_HANDLED | VIEW_REDRAW;
    case 'k':
    case VIEW_KEY(KEY_UP):
        if (st->sub_cursor > 0)
            st->sub_cursor--;
        return VIEW_HANDLED | VIEW_REDRAW;
    case 'g':
    case VIEW_KEY(KEY_HOME):
        st->sub_cursor = 0;
        return VIEW_HANDLED | VIEW_REDRAW;
    case 'G':
    case VIEW_KEY(KEY_END):
        st->sub_cursor = 1 << 20;
        return VIEW_HANDLED | VIEW_REDRAW;
    case 'D':
        return jump_to_queue(st, ctx, true);
    default:
        if (is_enter(key))
            return jump_to_queue(st, ctx, false);
        return VIEW_UNHANDLED;
    }
}

static const char *current_arn(const struct sns_state *st)
{
    if (st->detail_open)
        return st->detail_key;
    return st->table ? table_selected_key(st->table) : NULL;
}

/* `y` in the pane: the latest test message's id; in the failures: the selected record's
 * message id. False when there is none (the pane then copies the topic's ARN, the
 * failures nothing). */
static bool copy_message_id(struct sns_state *st, struct view_ctx *ctx)
{
    const struct store_res *r;
    const char *id = NULL;

    if (st->failures_open) {
        r = store_find(ctx->store, "topic_failures", st->detail_key);
        if (r)
            id = json_str(cJSON_GetArrayItem(failure_records(st, ctx, r), st->fail_cursor),
                          "message_id");
    } else {
        r = store_find(ctx->store, "published", st->detail_key);
        id = r ? store_res_str(r, "message_id") : NULL;
    }
    if (id) {
        snprintf(ctx->copy, sizeof ctx->copy, "%s", id);
        snprintf(ctx->copy_what, sizeof ctx->copy_what, "the message id %s", id);
    }
    return id != NULL;
}

static int sns_key(void *priv, struct view_ctx *ctx, int key)
{
    struct sns_state *st = priv;
    const char *sel;

    if (key == 'y' && st->detail_open && copy_message_id(st, ctx))
        return VIEW_HANDLED | VIEW_COPY;
    if (key == 'y' && st->failures_open)
        return VIEW_HANDLED;   /* a record that is not a delivery record has no id */
    if (key == 'y') {
        const char *arn = current_arn(st);

        if (!arn)
            return VIEW_HANDLED;
        snprintf(ctx->copy, sizeof ctx->copy, "%s", arn);
        snprintf(ctx->copy_what, sizeof ctx->copy_what, "ARN of %s", arn_tail(arn));
        return VIEW_HANDLED | VIEW_COPY;
    }
    if (st->detail_open)
        return detail_key(st, ctx, key);
    if (key == 'p') {
        st->problems_only = !st->problems_only;
        st->built = false;
        sns_update(st, ctx);
        return VIEW_HANDLED | VIEW_REDRAW;
    }
    if (is_enter(key)) {
        sel = table_selected_key(st->table);
        if (!sel)
            return VIEW_HANDLED;
        st->detail_key = xstrdup(sel);
        st->detail_open = true;
        st->failures_open = false;
        st->sub_cursor = 0;
        st->want = TOPICFAIL_STEP;
        return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL;
    }
    return table_key(st->table, key);
}

/* The open topic and how many of its failure records the pane wants loaded. */
/* The rows on screen for the feed: the queues whose depths the open pane drew (none for
 * the topic list, whose rows are topics the topics source reads whole every cycle). */
static size_t sns_on_screen(void *priv, const char **keys, size_t max)
{
    struct sns_state *st = priv;
    size_t n = 0;

    if (!st->detail_open || st->failures_open)
        return 0;
    for (size_t i = 0; i < st->nshown && n < max; i++)
        keys[n++] = st->shown[i];
    return n;
}

static const char *sns_detail(void *priv)
{
    struct sns_state *st = priv;

    if (!st->detail_open)
        return NULL;
    free(st->feed_key);
    st->feed_key = topicfail_key(st->detail_key, st->want);
    return st->feed_key;
}

static bool sns_select(void *priv, struct view_ctx *ctx, const char *key)
{
    struct sns_state *st = priv;

    sns_update(st, ctx);
    if (key && !table_select(st->table, key) && st->problems_only) {
        st->problems_only = false;  /* a jump to a topic the `p` filter hides: show all */
        st->built = false;
        sns_update(st, ctx);
    }
    return key && table_select(st->table, key);
}

/* P: the topic under the cursor or the open pane's. */
static bool sns_target(void *priv, struct view_ctx *ctx, const char *action,
                       struct act_target *out)
{
    struct sns_state *st = priv;
    const struct store_res *r;
    const char *arn;

    (void)action;
    if (!st->table)
        sns_init(st, ctx);
    sns_update(st, ctx);
    arn = current_arn(st);
    r = arn ? store_find(ctx->store, "topic", arn) : NULL;
    if (!r)
        return false;
    out->kind = "topic";
    out->key = store_res_key(r);
    out->name = topic_name(r);
    return true;
}

static bool sns_cli(void *priv, const struct view_ctx *ctx, char *out, size_t n)
{
    struct sns_state *st = priv;
    const char *arn = current_arn(st);
    char *q;

    (void)ctx;
    if (!arn)
        return false;
    q = view_shell_quote(arn);
    snprintf(out, n, "aws sns get-topic-attributes --topic-arn %s\n"
             "aws sns list-subscriptions-by-topic --topic-arn %s", q, q);
    free(q);
    return true;
}

/* ---- the overview's section ------------------------------------------------------------ */

/* Topics with failed deliveries in the last hour, subscriptions pending or without a DLQ,
 * failures not logged: worst first. */
static void overview_build(struct overview_lines *l, const struct view_ctx *ctx, char *none,
                           size_t nonelen)
{
    size_t n = store_count(ctx->store, "topic");

    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(ctx->store, "topic", i);
        struct problems p = topic_problems(r);
        char f[16], pe[16], nd[16], right[64];
        double v;
        int64_t iv;
        struct buf msg;

        if (!any_problem(p))
            continue;
        fmt_count(f, sizeof f, store_res_num(r, "failed_notifications", &v) && isfinite(v)
                                   ? (int64_t)v : -1);
        fmt_count(pe, sizeof pe, store_res_int(r, "pending_in_list", &iv) ? iv : -1);
        fmt_count(nd, sizeof nd, store_res_int(r, "no_dlq", &iv) ? iv : -1);
        snprintf(right, sizeof right, "%8s %7s %9s", f, pe, nd);
        buf_init(&msg);
        problems_text(p, &msg);
        overview_add(l, &(struct overview_item){
            .key = store_res_key(r), .name = topic_name(r), .msg = buf_str(&msg), .right = right,
            .style = store_res_stale(r) ? THEME_STALE : p.failing ? THEME_CRITICAL : THEME_WARN,
            .order = (p.failing ? 1e9 : 0) + (store_res_num(r, "failed_notifications", &v) &&
                                              isfinite(v) ? v : 0)});
        buf_done(&msg);
    }
    snprintf(none, nonelen, "%s", n ? "every topic delivers, logs failures and has DLQs"
                                    : "no SNS topics in this region");
}

const struct overview_section sns_overview = {
    .id = "sns",
    .title = "SNS topics with problems",
    .legend = "  FAILED PENDING    NO DLQ",
    .kind = "topic",
    .jump = "sns",
    .build = overview_build,
};

/* Endpoints that stopped answering: the first thing on screen, not a wall of errors. */
static void reach_overview_build(struct overview_lines *l, const struct view_ctx *ctx,
                                 char *none, size_t nonelen)
{
    static const char *const keys[] = {"sns", "sqs"}, *const names[] = {"SNS", "SQS"};

    for (size_t i = 0; i < 2; i++) {
        const struct store_res *r = store_find(ctx->store, "reach", keys[i]);
        const char *ep = r ? store_res_str(r, "endpoint") : NULL, *why;
        int64_t ok = 1;
        double since;
        char when[64], name[64];
        struct buf msg;

        if (!r || !store_res_int(r, "ok", &ok) || ok)
            continue;
        why = store_res_str(r, "error");
        buf_init(&msg);
        if (store_res_num(r, "last_ok", &since))
            buf_printf(&msg, "not answering since %s", view_time(ctx, since, when, sizeof when));
        else if (store_res_num(r, "error_at", &since))
            buf_printf(&msg, "not answered once (%s)", view_time(ctx, since, when, sizeof when));
        buf_printf(&msg, " from here (%s %s): %s", endpoint_kind(ep), ep ? ep : "?",
                   why ? why : "?");
        snprintf(name, sizeof name, "%s", names[i]);
        overview_add(l, &(struct overview_item){
            .key = keys[i], .name = name, .msg = buf_str(&msg), .style = THEME_CRITICAL,
            .order = 1, .jump_key = ""});
        buf_done(&msg);
    }
    snprintf(none, nonelen, "SNS and SQS answer");
}

const struct overview_section reach_overview = {
    .id = "reach",
    .title = "Endpoints not answering",
    .kind = "reach",
    .jump = "sns",
    .alarm = true,
    .build = reach_overview_build,
};

static const struct view_keyhelp sns_keys[] = {
    { "Enter", "details: subscriptions, DLQs, filter policies, logging" },
    { "P", "publish: a test message to the topic (through the write gate)" },
    { "p", "problems: show only topics with a problem (again: all)" },
    { "y", "copy: the topic's ARN to the clipboard (OSC 52); in details, the last test "
           "message's id" },
    { "s/S", "sort: by the next column / reverse the order" },
    { "T U N Q L F B R", "sort by that column: TOPIC, SUBS, PEND (pending confirmation), "
                         "NO DLQ (subscriptions without a redrive policy), LOG OFF "
                         "(protocols whose failures are not logged), FAILED and PUBL (last "
                         "hour), PROBLEM (again: reverse)" },
    { "j/k", "down / up (in details: the subscription)" },
    { "D", "in details: the subscription's DLQ in the dlq view (Enter: its queue in sqs)" },
    { "f", "in details: every failed delivery loaded, newest first; older ones load as the "
           "cursor nears the end (y: a record's message id)" },
    { "g/G", "first / last" },
    { "Esc/q", "close details (in the table: back)" },
    { NULL, NULL },
};

static const struct view_action sns_actions[] = {
    { 'P', "publish" },
    { 0, NULL },
};

const struct view sns_view = {
    .name = "sns",
    .title = "SNS topics",
    .number = 4,
    .interval = APPCONFIG_VIEW_SNS,
    .private_size = sizeof(struct sns_state),
    .init = sns_init,
    .done = sns_done,
    .update = sns_update,
    .draw = sns_draw,
    .key = sns_key,
    .detail = sns_detail,
    .on_screen = sns_on_screen,
    .select = sns_select,
    .keys = sns_keys,
    .actions = sns_actions,
    .target = sns_target,
    .filter_in_title = true,
    .cli = sns_cli,
};
