/* messages.c - `:messages`: the messages the last peeks read (act/peek.c, store kind
 * "message"), newest peek first: queue, age, receives, size, FIFO group, a one-line body;
 * from 120 columns also the sent time and the first receive.
 * Enter opens the message: its ids and times, the receive count against the queue's
 * maxReceiveCount, system and message attributes, and the body: JSON pretty-printed, text
 * as it is, anything that is not UTF-8 as a hex dump; every line sanitised and wrapped to
 * the screen, j/k to scroll. A body that is an SQS extended-client pointer to S3 (the
 * PayloadS3Pointer or MessageS3Pointer form, with ExtendedPayloadSize or
 * SQSLargePayloadSize) is labelled with the object and its real size. `y` copies the body
 * (OSC 52); E writes the peeked messages of the queue under the cursor to a new JSONL
 * file, as the dlq view's E does but without a request (act/peek.c, export-peeked).
 * Nothing here is polled: with no peek yet the view says how to make one.
 *
 * Messages that SQS moved to a DLQ carry the queue they came from (the
 * DeadLetterQueueSourceArn system attribute, set by AWS; moto does not). When any peeked
 * message has it, the list is grouped: a heading per queue and source queue with its count
 * ("orders-dlq  from orders-intake: 3 messages"), the messages of that source under it. */
#include "config.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "act/action.h"
#include "aws/sqs_check.h"
#include "core/proto.h"
#include "table.h"
#include "util/fmt.h"
#include "util/sanitize.h"
#include "util/textwidth.h"
#include "util/utf8.h"
#include "util/xalloc.h"
#include "view.h"

/* The most of a body the viewer lays out: a 1 MiB body (SQS's limit) would be 13,000
 * wrapped lines nobody scrolls through; s saves it whole, E exports it whole. */
#define BODY_SHOWN_MAX (64 * 1024)

enum { COL_QUEUE, COL_AGE, COL_SENT, COL_RECV, COL_FIRST, COL_SIZE, COL_GROUP, COL_BODY, NCOLS };

/* The sent and first-receive times (SENT, FIRST RECV) only where 80 columns are far
 * behind: at 80 the body needs the room, and AGE says when it was sent. */
#define WIDE_WINDOW 120

static const struct table_col msg_cols[NCOLS] = {
    [COL_QUEUE] = {.title = "QUEUE", .width = 12, .flex = 1, .sort_key = 'Q'},
    [COL_AGE] = {.title = "AGE", .width = 7, .right = true, .sort_key = 'A'},
    [COL_SENT] = {.title = "SENT", .width = 15, .no_sort = true, .min_window = WIDE_WINDOW},
    [COL_RECV] = {.title = "RECV", .width = 6, .right = true, .sort_key = 'C'},
    [COL_FIRST] = {.title = "FIRST RECV", .width = 15, .no_sort = true,
                   .min_window = WIDE_WINDOW},
    [COL_SIZE] = {.title = "SIZE", .width = 8, .right = true, .sort_key = 'Z'},
    [COL_GROUP] = {.title = "GROUP", .width = 8, .flex = 1},
    [COL_BODY] = {.title = "BODY", .width = 20, .flex = 4},
};

struct msg_state {
    struct table *table;
    bool built;
    bool grouped;                 /* headings per queue and source queue */
    uint64_t gen;
    char *filter;
    int64_t now_s;
    /* the open message */
    char *open_key;
    char **lines;                 /* its screen lines, sanitised, at width `lines_w` */
    size_t nlines;
    int lines_w;
    uint64_t lines_gen;
    int scroll;
};

/* ---- what a message is made of ------------------------------------------------------------ */

/* The payload's size from ExtendedPayloadSize or SQSLargePayloadSize, -1 when absent. */
static int64_t payload_size(const struct store_res *r)
{
    const char *ma = store_res_str(r, "message_attributes");
    cJSON *o = ma ? cJSON_Parse(ma) : NULL;
    static const char *const names[] = {"ExtendedPayloadSize", "SQSLargePayloadSize"};
    int64_t size = -1;

    for (size_t i = 0; i < 2 && size < 0; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(o, names[i]), "value");
        char *end;

        if (cJSON_IsString(v)) {
            long long n = strtoll(v->valuestring, &end, 10);
            if (*end == '\0' && end != v->valuestring && n >= 0)
                size = n;
        }
    }
    cJSON_Delete(o);
    return size;
}

/* A message's group: "QUEUE\nC NAME\nARN", sorted by queue, then sources by name (C 0),
 * then attributes that are not an SQS queue's ARN (C 1), then no attribute (C 2). */
static char *group_key(const struct store_res *r)
{
    const char *q = store_res_str(r, "queue_name"), *arn = store_res_str(r, "source_arn");
    char *name = arn ? sqs_arn_queue_name(arn) : NULL;
    char *k = xasprintf("%s\n%c%s\n%s", q ? q : "", !arn ? '2' : name ? '0' : '1',
                        name ? name : "", arn ? arn : "");

    free(name);
    return k;
}

/* "from orders-intake", or what is wrong with the source attribute (untrusted: the caller
 * sanitises). */
static char *source_text(const char *arn)
{
    char *name = arn ? sqs_arn_queue_name(arn) : NULL, *s;

    if (!arn)
        return xstrdup("with no source (no DeadLetterQueueSourceArn)");
    s = name ? xasprintf("from %s", name)
             : xasprintf("from a source that is not an SQS queue: \"%.200s\"", arn);
    free(name);
    return s;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_utf8_text(const char *s)
{
    size_t n = strlen(s);

    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);

        if (k == 0)
            return false;
        i += k;
    }
    return true;
}

/* ---- the list ------------------------------------------------------------------------------- */

/* "12-04 14:26:39" (Z after it in UTC): a time in a list column, as the expiry view's. */
static const char *list_time(const struct view_ctx *ctx, int64_t ms, char *buf, size_t n)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;

    if (ms < 0 || !(ctx->utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm)) ||
        !strftime(buf, n, ctx->utc ? "%m-%d %H:%M:%SZ" : "%m-%d %H:%M:%S", &tm))
        snprintf(buf, n, "-");
    return buf;
}

static struct table_row *add_row(struct msg_state *st, const struct view_ctx *ctx,
                                 const struct store_res *r)
{
    struct table_row *row = table_add(st->table, store_res_key(r));
    const char *body = store_res_str(r, "body");
    int64_t sent, first, count, max, size;
    char a[32], text[96], *bucket, *key;

    table_cell(row, COL_QUEUE, store_res_str(r, "queue_name"), NAN);
    if (store_res_int(r, "sent", &sent)) {
        /* the store's clock is the wall clock: ages of SentTimestamp are measured on it */
        table_cell(row, COL_AGE, fmt_age(a, sizeof(a), ctx->now_ms > sent ? ctx->now_ms - sent
                                                                           : 0),
                   (double)-sent);
        table_cell(row, COL_SENT, list_time(ctx, sent, a, sizeof(a)), NAN);
    } else {
        table_cell(row, COL_AGE, "-", NAN);
        table_cell(row, COL_SENT, "-", NAN);
    }
    if (store_res_int(r, "first_receive", &first))
        table_cell(row, COL_FIRST, list_time(ctx, first, a, sizeof(a)), NAN);
    else
        table_cell(row, COL_FIRST, "-", NAN);
    if (store_res_int(r, "receive_count", &count)) {
        if (store_res_int(r, "max_receive_count", &max))
            snprintf(text, sizeof(text), "%lld/%lld", (long long)count, (long long)max);
        else
            snprintf(text, sizeof(text), "%lld", (long long)count);
        table_cell(row, COL_RECV, text, (double)count);
        if (store_res_int(r, "max_receive_count", &max) && count >= max)
            table_cell_style(row, COL_RECV, THEME_CRITICAL);
    } else {
        table_cell(row, COL_RECV, "-", NAN);
    }
    store_res_int(r, "size", &size);
    if (body && sqs_s3_pointer(body, &bucket, &key)) {
        int64_t real = payload_size(r);

        table_cell(row, COL_SIZE, real >= 0 ? fmt_bytes(a, sizeof(a), real) : "S3",
                   (double)real);
        snprintf(text, sizeof(text), "[S3 payload] s3://%.30s/%.40s", bucket, key);
        table_cell(row, COL_BODY, text, NAN);
        free(bucket);
        free(key);
    } else {
        table_cell(row, COL_SIZE, fmt_bytes(a, sizeof(a), size), (double)size);
        /* one line: the first 200 bytes, newlines shown as the sanitiser shows them */
        char *preview = xstrndup(body ? body : "", strnlen(body ? body : "", 200));
        table_cell(row, COL_BODY, preview, NAN);
        free(preview);
    }
    table_cell(row, COL_GROUP, store_res_str(r, "group"), NAN);
    return row;
}

/* The groups' keys, sorted and distinct, with their message counts; how many. Only when a
 * message has a source ARN: a list of plain peeks stays flat. */
static size_t groups_find(const struct store *store, char ***keys, size_t **counts)
{
    size_t n = store_count(store, "message"), ng = 0;
    bool any = false;
    char **all;

    *keys = NULL;
    *counts = NULL;
    for (size_t i = 0; i < n && !any; i++)
        any = store_res_str(store_at(store, "message", i), "source_arn") != NULL;
    if (!any)
        return 0;
    all = xmalloc(n * sizeof(*all));
    for (size_t i = 0; i < n; i++)
        all[i] = group_key(store_at(store, "message", i));
    qsort(all, n, sizeof(*all), cmp_str);
    *counts = xcalloc(n, sizeof(**counts));
    for (size_t i = 0; i < n; i++) {
        if (ng && strcmp(all[ng - 1], all[i]) == 0) {
            free(all[i]);
        } else {
            all[ng++] = all[i];
        }
        (*counts)[ng - 1]++;
    }
    *keys = all;
    return ng;
}

static void add_heading(struct msg_state *st, const char *gkey, size_t count, int rank)
{
    const char *nl = strchr(gkey, '\n'), *arn = strchr(nl + 1, '\n') + 1;
    char *queue = xstrndup(gkey, (size_t)(nl - gkey));
    char *src = source_text(nl[1] != '2' ? arn : NULL);
    char *text = xasprintf("%s  %zu message%s %s", queue, count, count == 1 ? "" : "s", src);
    char *key = xasprintf("group\t%s", gkey);  /* no message key has a tab before its \n */
    struct table_row *row = table_add(st->table, key);

    table_cell(row, COL_QUEUE, text, NAN);
    table_row_heading(row);
    table_row_rank(row, rank);
    free(key);
    free(text);
    free(src);
    free(queue);
}

static int sync(struct msg_state *st, const struct view_ctx *ctx)
{
    struct store_kind_info info;
    const char *filter = ctx->filter ? ctx->filter : "";
    size_t n, ngroups, *counts;
    char **groups;

    store_kind_info(ctx->store, "message", &info);
    if (st->built && info.generation == st->gen && st->filter &&
        strcmp(st->filter, filter) == 0 && st->now_s == ctx->now_ms / 1000)
        return 0;
    table_begin(st->table);
    n = store_count(ctx->store, "message");
    ngroups = groups_find(ctx->store, &groups, &counts);
    st->grouped = ngroups > 0;
    for (size_t i = 0; i < ngroups; i++)
        add_heading(st, groups[i], counts[i], (int)i);
    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(ctx->store, "message", i);
        struct table_row *row = add_row(st, ctx, r);

        if (ngroups) {
            char *g = group_key(r);
            char **at = bsearch(&g, groups, ngroups, sizeof(*groups), cmp_str);

            table_row_rank(row, at ? (int)(at - groups) : (int)ngroups);
            free(g);
        }
    }
    table_end(st->table, filter);
    for (size_t i = 0; i < ngroups; i++)
        free(groups[i]);
    free(groups);
    free(counts);
    st->built = true;
    st->gen = info.generation;
    st->now_s = ctx->now_ms / 1000;
    free(st->filter);
    st->filter = xstrdup(filter);
    return VIEW_REDRAW;
}

/* ---- the open message ------------------------------------------------------------------------ */

static void lines_free(struct msg_state *st)
{
    for (size_t i = 0; i < st->nlines; i++)
        free(st->lines[i]);
    free(st->lines);
    st->lines = NULL;
    st->nlines = 0;
}

static void push(struct msg_state *st, size_t *cap, char *line)
{
    if (st->nlines == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        st->lines = xrealloc(st->lines, *cap * sizeof(*st->lines));
    }
    st->lines[st->nlines++] = line;
}

/* raw (untrusted) text, each of its lines sanitised and wrapped to w columns */
static void push_text(struct msg_state *st, size_t *cap, const char *raw, int w)
{
    const char *p = raw;

    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *clean = sanitize_text(p, len), **wrapped;
        size_t n = textwidth_wrap(clean, w, &wrapped);

        for (size_t i = 0; i < n; i++)
            push(st, cap, wrapped[i]);
        free(wrapped);
        free(clean);
        if (!nl)
            break;
        p = nl + 1;
    }
}

static void push_field(struct msg_state *st, size_t *cap, const char *label, const char *raw,
                       int w)
{
    char *clean = sanitize_text(raw, strlen(raw)), *line = xasprintf("%-14s %s", label, clean);
    char **wrapped;
    size_t n = textwidth_wrap(line, w, &wrapped);

    for (size_t i = 0; i < n; i++)
        push(st, cap, wrapped[i]);
    free(wrapped);
    free(line);
    free(clean);
}

static void push_hex(struct msg_state *st, size_t *cap, const char *body, size_t n)
{
    for (size_t off = 0; off < n; off += 16) {
        char line[96], *o = line;

        o += sprintf(o, "%08zx ", off);
        for (size_t i = 0; i < 16; i++)
            o += i + off < n ? sprintf(o, " %02x", (unsigned char)body[off + i])
                             : sprintf(o, "   ");
        o += sprintf(o, "  |");
        for (size_t i = 0; i < 16 && off + i < n; i++) {
            unsigned char c = (unsigned char)body[off + i];
            *o++ = c >= 0x20 && c < 0x7f ? (char)c : '.';
        }
        *o++ = '|';
        *o = '\0';
        push(st, cap, xstrdup(line));
    }
}

static void push_attrs(struct msg_state *st, size_t *cap, const char *json, bool typed, int w)
{
    cJSON *o = json ? cJSON_Parse(json) : NULL;
    const cJSON *it;

    if (!cJSON_IsObject(o) || !o->child)
        push(st, cap, xstrdup("  none"));
    cJSON_ArrayForEach(it, o) {
        char *label, *value;

        if (typed) {
            const cJSON *t = cJSON_GetObjectItemCaseSensitive(it, "type");
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(it, "value");
            label = xasprintf("  %s", it->string);
            value = xasprintf("(%s) %s", cJSON_IsString(t) ? t->valuestring : "?",
                              cJSON_IsString(v) ? v->valuestring : "");
        } else {
            label = xasprintf("  %s", it->string);
            value = xstrdup(cJSON_IsString(it) ? it->valuestring : "");
        }
        push_field(st, cap, label, value, w);
        free(label);
        free(value);
    }
    cJSON_Delete(o);
}

/* data (len bytes, untrusted) under a heading: JSON pretty-printed, UTF-8 text as it is,
 * anything else as a hex dump. */
static void push_content(struct msg_state *st, size_t *cap, const char *what, const char *data,
                         size_t len, int w)
{
    bool text = memchr(data, '\0', len) == NULL && is_utf8_text(data);
    cJSON *json = text ? cJSON_ParseWithLength(data, len) : NULL;

    if (json && (cJSON_IsObject(json) || cJSON_IsArray(json))) {
        char *pretty = cJSON_Print(json);

        for (char *p = pretty; *p; p++)
            if (*p == '\t')
                *p = ' ';
        push(st, cap, xasprintf("%s (JSON)", what));
        push_text(st, cap, pretty, w);
        cJSON_free(pretty);
    } else if (text) {
        push(st, cap, xasprintf("%s (text)", what));
        push_text(st, cap, data, w);
    } else {
        push(st, cap, xasprintf("%s (not UTF-8: hex)", what));
        push_hex(st, cap, data, len);
    }
    cJSON_Delete(json);
}

/* What `f` read of an S3 payload, or why it could not. */
static void push_payload(struct msg_state *st, size_t *cap, const struct store_res *r, int w)
{
    const char *b64 = store_res_str(r, "payload_b64"), *err = store_res_str(r, "payload_error");
    int64_t first = 0, last = -1, total = -1;
    unsigned char *data = NULL;
    size_t len = 0;
    char a[32], *what;

    if (err && err[0]) {
        push(st, cap, xstrdup(""));
        push_field(st, cap, "Payload", err, w);
    }
    if (!b64 || proto_base64_decode(b64, &data, &len) < 0)
        return;
    store_res_int(r, "payload_first", &first);
    store_res_int(r, "payload_last", &last);
    store_res_int(r, "payload_total", &total);
    what = total >= 0 ? xasprintf("Payload, bytes %lld-%lld of %s", (long long)first,
                                  (long long)last, fmt_bytes(a, sizeof(a), total))
                      : xasprintf("Payload, bytes %lld-%lld", (long long)first, (long long)last);
    push(st, cap, xstrdup(""));
    /* a NUL-terminated copy for the text path; the hex path uses the length */
    char *z = xmalloc(len + 1);
    memcpy(z, data, len);
    z[len] = '\0';
    push_content(st, cap, what, z, len, w);
    free(z);
    free(what);
    free(data);
}

static void layout(struct msg_state *st, const struct view_ctx *ctx, const struct store_res *r,
                   int w)
{
    const char *body = store_res_str(r, "body");
    int64_t v, max;
    size_t cap = 0, len;
    char a[64], b[64], *line, *bucket, *key;

    lines_free(st);
    body = body ? body : "";
    push_field(st, &cap, "Message", store_res_str(r, "id") ? store_res_str(r, "id") : "?", w);
    push_field(st, &cap, "Queue", store_res_str(r, "queue_name") ? store_res_str(r, "queue_name")
                                                                 : "?", w);
    if (store_res_str(r, "source_arn")) {
        const char *arn = store_res_str(r, "source_arn");
        char *name = sqs_arn_queue_name(arn);

        line = name ? xasprintf("%s (%s)", name, arn)
                    : xasprintf("not an SQS queue ARN: \"%s\"", arn);
        push_field(st, &cap, "Source queue", line, w);
        free(line);
        free(name);
    }
    if (store_res_int(r, "sent", &v)) {
        line = xasprintf("%s", view_time(ctx, (double)v / 1000.0, a, sizeof(a)));
        push_field(st, &cap, "Sent", line, w);
        free(line);
    }
    if (store_res_int(r, "first_receive", &v))
        push_field(st, &cap, "First receive", view_time(ctx, (double)v / 1000.0, a, sizeof(a)), w);
    if (store_res_int(r, "receive_count", &v)) {
        if (store_res_int(r, "max_receive_count", &max))
            line = xasprintf("%lld (%lld before this peek); the queue sends a message to its "
                             "DLQ on receive %lld%s", (long long)v, (long long)(v - 1),
                             (long long)(max + 1),
                             v >= max ? ": the NEXT receive moves this one" : "");
        else
            line = xasprintf("%lld (%lld before this peek)", (long long)v, (long long)(v - 1));
        push_field(st, &cap, "Receives", line, w);
        free(line);
    }
    if (store_res_int(r, "size", &v))
        push_field(st, &cap, "Size", fmt_bytes(a, sizeof(a), v), w);
    if (store_res_str(r, "group"))
        push_field(st, &cap, "Group", store_res_str(r, "group"), w);
    if (store_res_int(r, "released", &v) && !v)
        push_field(st, &cap, "Held", "the release failed: it is visible again when its 30 s "
                                     "hold ends", w);
    if (sqs_s3_pointer(body, &bucket, &key)) {
        int64_t size = payload_size(r);

        line = xasprintf("s3://%s/%s, %s (SQS extended client: the body below is the "
                         "pointer; f reads the first 64 KiB, d downloads it whole)", bucket, key,
                         size >= 0 ? fmt_bytes(b, sizeof(b), size) : "size not given");
        push_field(st, &cap, "S3 payload", line, w);
        free(line);
        free(bucket);
        free(key);
    }
    push(st, &cap, xstrdup(""));
    push(st, &cap, xstrdup("Attributes"));
    push_attrs(st, &cap, store_res_str(r, "attributes"), false, w);
    push(st, &cap, xstrdup("Message attributes"));
    push_attrs(st, &cap, store_res_str(r, "message_attributes"), true, w);
    push(st, &cap, xstrdup(""));
    len = strlen(body);
    if (len > BODY_SHOWN_MAX) {
        /* cut where a character starts, so a UTF-8 body stays text */
        size_t cut = BODY_SHOWN_MAX;
        char *part;

        while (cut > 0 && ((unsigned char)body[cut] & 0xc0) == 0x80)
            cut--;
        part = xstrndup(body, cut);
        line = xasprintf("Body, the first %s of %s", fmt_bytes(a, sizeof(a), (int64_t)cut),
                         fmt_bytes(b, sizeof(b), (int64_t)len));
        push_content(st, &cap, line, part, cut, w);
        free(line);
        free(part);
        push(st, &cap, xasprintf("... %s more not shown: s saves the whole body to a file",
                                 fmt_bytes(a, sizeof(a), (int64_t)(len - cut))));
    } else {
        push_content(st, &cap, "Body", body, len, w);
    }
    push_payload(st, &cap, r, w);
}

static void msg_init(void *priv, struct view_ctx *ctx)
{
    struct msg_state *st = priv;

    (void)ctx;
    st->table = table_new(msg_cols, NCOLS);
    table_sort(st->table, COL_AGE, false);
}

static void msg_done(void *priv)
{
    struct msg_state *st = priv;

    lines_free(st);
    table_free(st->table);
    free(st->filter);
    free(st->open_key);
    memset(st, 0, sizeof(*st));
}

static int msg_update(void *priv, struct view_ctx *ctx)
{
    struct msg_state *st = priv;

    if (!st->table)
        msg_init(st, ctx);
    if (st->open_key && !store_find(ctx->store, "message", st->open_key)) {
        free(st->open_key);
        st->open_key = NULL;
        lines_free(st);
    }
    return sync(st, ctx);
}

static void draw_open(struct msg_state *st, struct view_ctx *ctx, WINDOW *win,
                      const struct store_res *r)
{
    int h = getmaxy(win), w = getmaxx(win), body_h = h > 2 ? h - 1 : h;
    struct store_kind_info info;

    store_kind_info(ctx->store, "message", &info);
    if (!st->lines || st->lines_w != w || st->lines_gen != info.generation) {
        layout(st, ctx, r, w > 4 ? w : 4);
        st->lines_w = w;
        st->lines_gen = info.generation;
    }
    if (st->scroll > (int)st->nlines - body_h)
        st->scroll = (int)st->nlines - body_h;
    if (st->scroll < 0)
        st->scroll = 0;
    for (int y = 0; y < body_h && (size_t)(st->scroll + y) < st->nlines; y++) {
        const char *l = st->lines[st->scroll + y];
        bool heading = strncmp(l, "Body (", 6) == 0 || strncmp(l, "Body, ", 6) == 0 || strncmp(l, "Payload, ", 9) == 0 ||
                       strcmp(l, "Attributes") == 0 || strcmp(l, "Message attributes") == 0;

        view_text_clean(win, y, 0, w, l, heading ? view_attr(ctx, THEME_TITLE) : A_NORMAL);
    }
    if (h > 2) {
        char foot[128];
        snprintf(foot, sizeof(foot), "line %d-%zu of %zu   j/k g/G: scroll   y copy  s save  "
                 "Esc back", st->scroll + 1,
                 (size_t)(st->scroll + body_h) < st->nlines ? (size_t)(st->scroll + body_h)
                                                            : st->nlines, st->nlines);
        view_text(win, h - 1, 0, w, foot, view_attr(ctx, THEME_DIM));
    }
}

static void msg_draw(void *priv, struct view_ctx *ctx, WINDOW *win)
{
    struct msg_state *st = priv;
    const struct store_res *r;
    char title[160];
    size_t n;

    werase(win);
    msg_update(st, ctx);
    r = st->open_key ? store_find(ctx->store, "message", st->open_key) : NULL;
    if (r) {
        draw_open(st, ctx, win, r);
        return;
    }
    n = store_count(ctx->store, "message");
    snprintf(title, sizeof(title), "Peeked messages  %zu  (released: still in their queues)%s",
             n, st->grouped ? "  by source queue" : "");
    view_text(win, 0, 0, getmaxx(win), title, view_attr(ctx, THEME_TITLE));
    if (getmaxy(win) > 1)
        table_draw(st->table, ctx, win, 1, getmaxy(win) - 1,
                   n ? "no match for the filter"
                     : "no message peeked in this session: m on a queue (sqs or dlq view) "
                       "peeks at its messages");
}

static int copy_body(struct view_ctx *ctx, const struct store_res *r)
{
    const char *body = r ? store_res_str(r, "body") : NULL;
    size_t len;

    if (!body)
        return 0;
    len = strlen(body);
    /* the body is the store's, unchanged until the framework has copied it */
    ctx->copy_ref = body;
    ctx->copy_ref_len = len < VIEW_COPY_LONG_MAX ? len : VIEW_COPY_LONG_MAX;
    if (len > VIEW_COPY_LONG_MAX)
        snprintf(ctx->copy_what, sizeof(ctx->copy_what), "the first %zu bytes of the body "
                 "(of %zu)", (size_t)VIEW_COPY_LONG_MAX, len);
    else
        snprintf(ctx->copy_what, sizeof(ctx->copy_what), "the message body");
    return VIEW_COPY;
}

static int msg_key(void *priv, struct view_ctx *ctx, int key)
{
    struct msg_state *st = priv;
    const struct store_res *r;

    msg_update(st, ctx);
    if (st->open_key) {
        r = store_find(ctx->store, "message", st->open_key);
        switch (key) {
        case 27:
        case 'q':
            free(st->open_key);
            st->open_key = NULL;
            lines_free(st);
            return VIEW_REDRAW;
        case 'j': case VIEW_KEY(KEY_DOWN): st->scroll++; return VIEW_REDRAW;
        case 'k': case VIEW_KEY(KEY_UP): st->scroll--; return VIEW_REDRAW;
        case VIEW_KEY(KEY_NPAGE): case VIEW_KEY_CTRL('f'): st->scroll += 10; return VIEW_REDRAW;
        case VIEW_KEY(KEY_PPAGE): case VIEW_KEY_CTRL('b'): st->scroll -= 10; return VIEW_REDRAW;
        case 'g': st->scroll = 0; return VIEW_REDRAW;
        case 'G': st->scroll = (int)st->nlines; return VIEW_REDRAW;
        case 'y': return copy_body(ctx, r);
        default: return 0;
        }
    }
    if (key == 27 || key == 'q')
        return VIEW_UNHANDLED;
    if (key == '\n' || key == '\r' || key == VIEW_KEY(KEY_ENTER)) {
        const char *sel = table_selected_key(st->table);

        if (!sel)
            return 0;
        st->open_key = xstrdup(sel);
        st->scroll = 0;
        lines_free(st);
        return VIEW_REDRAW;
    }
    if (key == 'y') {
        const char *sel = table_selected_key(st->table);
        return copy_body(ctx, sel ? store_find(ctx->store, "message", sel) : NULL);
    }
    return table_key(st->table, key);
}

static bool msg_select(void *priv, struct view_ctx *ctx, const char *key)
{
    struct msg_state *st = priv;

    msg_update(st, ctx);
    return key && table_select(st->table, key);
}

/* The open message, or the one under the cursor. */
static bool msg_target(void *priv, struct view_ctx *ctx, const char *action,
                       struct act_target *out)
{
    struct msg_state *st = priv;
    const char *key;
    const struct store_res *r;

    (void)action;
    msg_update(st, ctx);
    key = st->open_key ? st->open_key : table_selected_key(st->table);
    r = key ? store_find(ctx->store, "message", key) : NULL;
    if (!r)
        return false;
    out->kind = "message";
    out->key = key;
    out->name = store_res_str(r, "id") ? store_res_str(r, "id") : key;
    return true;
}

static const struct view_action msg_actions[] = {
    {'f', "fetch-payload"},
    {'s', "save-body"},
    {'d', "download-payload"},
    {'E', "export-peeked"},
    {0, NULL},
};

static const struct view_keyhelp msg_keys[] = {
    {"Enter", "open: the body (JSON pretty-printed, hex when binary) and every attribute"},
    {"y", "copy: the message body to the clipboard (OSC 52)"},
    {"f", "fetch: the first 64 KiB of an S3 extended payload"},
    {"s", "save: the body into a file (0600; an existing one only if you say so)"},
    {"d", "download: a whole S3 extended payload to a file, as a job (resumable)"},
    {"E", "export: this queue's peeked messages to a new JSONL file (0600), no request"},
    {"j/k", "down / up (in a message: scroll)"},
    {"Q A C Z", "sort by that column: QUEUE, AGE, RECV, SIZE (again: reverse)"},
    {"Esc/q", "close the message (in the list: back)"},
    {NULL, NULL},
};

const struct view messages_view = {
    .name = "messages",
    .title = "Peeked messages",
    .number = 0,
    .interval = APPCONFIG_VIEW_OVERVIEW,
    .private_size = sizeof(struct msg_state),
    .init = msg_init,
    .done = msg_done,
    .update = msg_update,
    .draw = msg_draw,
    .key = msg_key,
    .select = msg_select,
    .keys = msg_keys,
    .actions = msg_actions,
    .target = msg_target,
};
