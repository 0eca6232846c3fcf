/* toggles.c - the switches that start and stop message flow, in one list: Lambda's SQS
 * triggers (event-source mappings), EventBridge rules, and SSM parameters declared as
 * toggles in opsdeck's config (with the parameters found under its [toggles] paths, shown
 * read-only). Each row says on, off, changing or unknown as AWS last said it, never what was
 * asked; a row a flip of this session is still confirming says "changing" until the action
 * has read the new state back, with a spinner that turns as the clock moves (the console's
 * loop redraws once a second, ui_loop.c's tick: no timer of the view's own). Space or t flips the row under the cursor (the framework
 * runs the confirmation, the write gate and the audit: act/toggle.c). Enter opens a pane
 * on the row: when it last changed and who or why, as far as AWS tells (a parameter's
 * LastModifiedUser, a mapping's StateTransitionReason; EventBridge keeps neither), the
 * latest flip of it by this user's opsdeck as the audit log has it (its tail, read when the
 * pane opens and when a flip starts or ends), and a rule's targets with their input and
 * DLQ, read by the toggle_detail source while the pane is open.
 *
 * Rows come from three kinds, "mapping", "rule" and "parameter" (sources.h), each read by
 * its own source: a kind not read yet, or failing, says so on a line of its own above the
 * list, so an empty list is never taken for "nothing is off". It also declares the
 * overview's "Toggles off or changing" section. */
#include "config.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "poll/sources/togglestate.h"
#include "act/action.h"
#include "act/audit.h"
#include "act/toggle.h"
#include "core/client.h"
#include "util/buf.h"
#include "util/fmt.h"
#include "util/timeutil.h"
#include "table.h"
#include "view.h"
#include "util/xalloc.h"

enum { COL_NAME, COL_TYPE, COL_STATE, COL_AWS, COL_CHANGED, COL_DETAIL, NCOLS };

/* 80 columns: 18 + 7 + 10 + 9 + 8 + 12 and 5 gaps make 69; the name and the detail share
 * the rest. STATE holds "changing" and its spinner. The name comes first: `/` filters on
 * the first column. Sort letters: S is reverse, so STATE is E and AWS is W. */
static const struct table_col toggles_cols[NCOLS] = {
    [COL_NAME] = { .title = "NAME", .width = 18, .flex = 2, .sort_key = 'N' },
    [COL_TYPE] = { .title = "TYPE", .width = 7, .sort_key = 'T' },
    [COL_STATE] = { .title = "STATE", .width = 10, .sort_key = 'E' },
    [COL_AWS] = { .title = "AWS SAYS", .width = 9, .sort_key = 'W' },
    [COL_CHANGED] = { .title = "CHANGED", .width = 8, .right = true, .sort_key = 'C' },
    [COL_DETAIL] = { .title = "DETAIL", .width = 12, .flex = 1, .sort_key = 'D' },
};


/* Ranks: what is off or moving first (it is why one opens this view in an incident). */
enum { RANK_CHANGING = 0, RANK_OFF = 1, RANK_OTHER = 2 };

#define FLIP_ACTION "toggle-flip"

struct toggles_state {
    struct table *table;
    bool built;
    uint64_t gen[TOGGLESTATE_NKINDS], gen_job;
    char *filter;
    size_t off, changing, total;
    const char *spin;   /* the spinner frame the rows were built with */

    char *pane_key;     /* the row ("KIND:KEY") whose pane is open, NULL: the list */
    char *pane_name;    /* its name when opened: what to call it once it is gone */
    int scroll;         /* first pane line shown */
    int pane_lines, pane_h;

    /* The pane's "Flipped here": the audit log's tail, read when the pane opens and when a
     * flip of its switch starts or ends (update), never on each draw. */
    char *flip_for;     /* the pane key it was read for, NULL: not read */
    bool flip_busy;     /* a flip of the switch was running when it was read */
    int flip_rc;        /* toggle_last_flip's answer: 1 found, 0 none, -1 unreadable */
    struct toggle_flip_seen flip;
    char flip_why[512];
};

/* One line of the pane: a label and its value, or a section title (label NULL). */
struct pane_line {
    char *label, *value;
    enum theme_element style;   /* THEME_N_ELEMENTS: plain */
};

struct pane {
    struct pane_line *lines;
    size_t n;
};

/* The table's key of a row: "KIND:KEY", unique across the three kinds. */
static char *row_key(const char *kind, const char *key)
{
    return xasprintf("%s:%s", kind, key);
}

/* A flip of this session still confirming the row (a job of the flip action on its name). */
static bool flip_running(const struct store *s, const char *name)
{
    size_t n = store_count(s, "job");

    for (size_t i = 0; name && i < n; i++) {
        const struct store_res *j = store_at(s, "job", i);
        const char *a = store_res_str(j, "action"), *res = store_res_str(j, "resource"),
                   *state = store_res_str(j, "state");

        if (a && res && state && strcmp(a, TOGGLE_FLIP_TITLE) == 0 &&
            strcmp(res, name) == 0 &&
            (strcmp(state, "running") == 0 || strcmp(state, "cancelling") == 0))
            return true;
    }
    return false;
}

/* What the row's state is to show: AWS's word, or changing while a flip confirms it. */
static const char *row_state(const struct store *s, const struct store_res *r)
{
    const char *st = store_res_str(r, "state");

    if (flip_running(s, store_res_str(r, "name")))
        return TOGGLE_CHANGING;
    return st ? st : TOGGLE_UNKNOWN;
}

/* "pattern: {"source":[...]}" cut by the table; the schedule as written. */
static void rule_detail(const struct store_res *r, struct buf *b)
{
    const char *sched = store_res_str(r, "schedule"), *pat = store_res_str(r, "pattern"),
               *managed = store_res_str(r, "managed_by");

    if (managed)
        buf_printf(b, "managed by %s; ", managed);
    if (sched)
        buf_puts(b, sched);
    else if (pat)
        buf_printf(b, "pattern %s", pat);
}

static void mapping_detail(const struct store_res *r, struct buf *b)
{
    const char *q = store_res_str(r, "queue"), *res = store_res_str(r, "last_result");
    int64_t v;

    buf_printf(b, "queue %s", q ? q : "?");
    if (store_res_int(r, "batch_size", &v))
        buf_printf(b, ", batch %lld", (long long)v);
    if (store_res_int(r, "max_concurrency", &v))
        buf_printf(b, ", max %lld", (long long)v);
    if (res)
        buf_printf(b, ", last: %s", res);
}

static void parameter_detail(const struct store_res *r, struct buf *b)
{
    const char *param = store_res_str(r, "parameter"), *desc = store_res_str(r, "description");
    int64_t exists = 1;

    store_res_int(r, "exists", &exists);
    if (!exists)
        buf_printf(b, "%s does not exist", param ? param : "?");
    else if (store_res_str(r, "toggle"))
        buf_printf(b, "%s%s%s", param ? param : "?", desc ? ": " : "", desc ? desc : "");
    else
        buf_puts(b, "read-only: not a declared toggle");
}

/* AWS's own word: a mapping's or rule's state; a parameter's value, never a secure one. */
static const char *aws_says(const struct store_res *r, const char *kind)
{
    int64_t secure = 0;

    if (strcmp(kind, "parameter") != 0) {
        const char *s = store_res_str(r, "aws_state");
        return s ? s : "-";
    }
    if (store_res_int(r, "secure", &secure) && secure)
        return "(secure)";
    return store_res_str(r, "value") ? store_res_str(r, "value") : "-";
}

static void add_row(struct toggles_state *st, const struct view_ctx *ctx, size_t ki,
                    const struct store_res *r)
{
    char *key = row_key(togglestate_kinds[ki].kind, store_res_key(r));
    struct table_row *row = table_add(st->table, key);
    const char *state = row_state(ctx->store, r), *name = store_res_str(r, "name");
    char when[32];
    int64_t mod;
    struct buf b;

    free(key);
    table_cell(row, COL_TYPE, togglestate_kinds[ki].type, NAN);
    table_cell(row, COL_NAME, name ? name : store_res_key(r), NAN);
    table_cell(row, COL_STATE, state, NAN);
    table_cell(row, COL_AWS, aws_says(r, togglestate_kinds[ki].kind), NAN);
    if (store_res_int(r, "last_modified", &mod) && mod > 0) {
        int64_t ago = ctx->now_ms / 1000 - mod;

        table_cell(row, COL_CHANGED, ago >= 0 ? fmt_duration(when, sizeof(when), ago) : "now",
                   (double)-mod);
    } else {
        table_cell(row, COL_CHANGED, "-", NAN);
    }
    buf_init(&b);
    if (ki == 0)
        mapping_detail(r, &b);
    else if (ki == 1)
        rule_detail(r, &b);
    else
        parameter_detail(r, &b);
    table_cell(row, COL_DETAIL, b.len ? b.data : "-", NAN);
    buf_done(&b);

    st->total++;
    if (strcmp(state, TOGGLE_CHANGING) == 0) {
        st->changing++;
        table_row_rank(row, RANK_CHANGING);
        table_cell_style(row, COL_STATE, THEME_WARN);
        table_cell_mark(row, COL_STATE, st->spin, THEME_WARN);
    } else if (strcmp(state, TOGGLE_OFF) == 0) {
        st->off++;
        table_row_rank(row, RANK_OFF);
        table_cell_style(row, COL_STATE, THEME_CRITICAL);
    } else {
        table_row_rank(row, RANK_OTHER);
        if (strcmp(state, TOGGLE_ON) == 0)
            table_cell_style(row, COL_STATE, THEME_OK);
        else if (strcmp(state, TOGGLE_UNKNOWN) == 0)
            table_cell_style(row, COL_STATE, THEME_WARN);
    }
    if (strcmp(state, TOGGLE_VALUE) == 0)
        table_row_style(row, THEME_DIM);
    if (store_res_stale(r))
        table_row_style(row, THEME_STALE);
}

static void rebuild(struct toggles_state *st, const struct view_ctx *ctx)
{
    st->off = st->changing = st->total = 0;
    st->spin = glyph_spinner(ctx->glyphs ? ctx->glyphs : &glyphs_ascii, ctx->now_ms);
    table_begin(st->table);
    for (size_t k = 0; k < TOGGLESTATE_NKINDS; k++) {
        size_t n = store_count(ctx->store, togglestate_kinds[k].kind);

        for (size_t i = 0; i < n; i++)
            add_row(st, ctx, k, store_at(ctx->store, togglestate_kinds[k].kind, i));
    }
    table_end(st->table, ctx->filter);
}

/* The store kind and key of a table key "KIND:KEY". */
static const struct store_res *row_res(const struct view_ctx *ctx, const char *tkey,
                                       const char **kind)
{
    for (size_t k = 0; tkey && k < TOGGLESTATE_NKINDS; k++) {
        size_t n = strlen(togglestate_kinds[k].kind);

        if (strncmp(tkey, togglestate_kinds[k].kind, n) == 0 && tkey[n] == ':') {
            *kind = togglestate_kinds[k].kind;
            return store_find(ctx->store, togglestate_kinds[k].kind, tkey + n + 1);
        }
    }
    return NULL;
}

/* ---- the pane (Enter): everything about one switch, and who changed it when ----------- */

static void pane_add(struct pane *p, const char *label, const char *value,
                     enum theme_element style)
{
    p->lines = xrealloc(p->lines, (p->n + 1) * sizeof(*p->lines));
    p->lines[p->n].label = label ? xstrdup(label) : NULL;
    p->lines[p->n].value = xstrdup(value ? value : "-");
    p->lines[p->n].style = style;
    p->n++;
}

static void pane_str(struct pane *p, const char *label, const struct store_res *r,
                     const char *field)
{
    const char *v = store_res_str(r, field);

    if (v && *v)
        pane_add(p, label, v, THEME_N_ELEMENTS);
}

static void pane_free(struct pane *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->lines[i].label);
        free(p->lines[i].value);
    }
    free(p->lines);
}

/* "2026-12-03 14:00:00 UTC (5m00s ago)"; "-" when AWS gave no time. */
static void pane_when(struct pane *p, const struct view_ctx *ctx, const char *label,
                      const struct store_res *r, const char *field)
{
    char when[64], ago[32], line[128];
    int64_t t, d;

    if (!r || !store_res_int(r, field, &t) || t <= 0) {
        pane_add(p, label, "not given by AWS", THEME_DIM);
        return;
    }
    d = ctx->now_ms / 1000 - t;
    view_time(ctx, (double)t, when, sizeof(when));
    snprintf(line, sizeof(line), "%s (%s ago)", when, fmt_duration(ago, sizeof(ago), d > 0 ? d : 0));
    pane_add(p, label, line, THEME_N_ELEMENTS);
}

/* The detail source's row for the pane, or why there is none yet: "loading", "cannot read:
 * cause". Returns the row when it was read. */
static const struct store_res *pane_detail(struct pane *p, const struct view_ctx *ctx,
                                           const char *key, const char *label)
{
    const struct store_res *d = store_find(ctx->store, "toggle_detail", key);
    const struct aws_error *e = d ? store_res_error(d, NULL) : NULL;

    if (d && store_res_fetched(d) && !(store_res_stale(d) && e))
        return d;
    if (e) {
        char why[1024], *line;

        aws_error_describe(e, ctx->profile ? ctx->profile : "default", why, sizeof(why));
        line = xasprintf("cannot read: %s", why);
        pane_add(p, label, line, THEME_CRITICAL);
        free(line);
        return d && store_res_fetched(d) ? d : NULL;
    }
    {
        char *loading = xasprintf("loading%s", ctx->glyphs ? ctx->glyphs->g[GLYPH_ELLIPSIS]
                                                           : "...");

        pane_add(p, label, loading, THEME_DIM);
        free(loading);
    }
    return NULL;
}

/* What the audit log says of this switch's latest flip by this user's opsdeck, on three
 * lines (an ARN leaves no room at 80 columns for the rest):
 *     Flipped here    off -> on, 2026-12-04 14:02:03 UTC
 *       by            arn:aws:iam::123456789012:user/alice (profile prod)
 *       outcome       ok
 * The file is the user's own but anyone with the user's rights may have edited it: every
 * word of it reaches the screen through view_text, which sanitises. */
static void pane_flipped(struct pane *p, const struct toggles_state *st,
                         const struct view_ctx *ctx)
{
    const struct toggle_flip_seen *f = &st->flip;
    char when[64], *line;
    const char *outcome;
    int64_t t;

    if (st->flip_rc < 0) {
        line = xasprintf("cannot read: %s", st->flip_why);
        pane_add(p, "Flipped here", line, THEME_WARN);
        free(line);
        return;
    }
    if (st->flip_rc == 0) {
        pane_add(p, "Flipped here", "never, as far as the audit log tells", THEME_DIM);
        return;
    }
    if (f->time && timeutil_parse_iso8601(f->time, &t) == 0)
        view_time(ctx, (double)t, when, sizeof(when));
    else
        snprintf(when, sizeof(when), "%s", f->time ? f->time : "at an unknown time");
    line = xasprintf("%s -> %s, %s", f->before ? f->before : "?", f->after ? f->after : "?",
                     when);
    pane_add(p, "Flipped here", line, THEME_N_ELEMENTS);
    free(line);
    line = xasprintf("%s (profile %s)", f->by ? f->by : "an unknown caller",
                     f->profile ? f->profile : "?");
    pane_add(p, "  by", line, THEME_N_ELEMENTS);
    free(line);
    outcome = !f->status ? (st->flip_busy ? "sent, no answer yet" : "no outcome recorded")
              : strcmp(f->status, "unknown") == 0 ? "unknown: the session ended before AWS "
                                                    "answered"
                                                  : f->status;
    line = xasprintf("%s%s%s", outcome, f->error ? ": " : "", f->error ? f->error : "");
    pane_add(p, "  outcome", line,
             f->status && strcmp(f->status, "ok") == 0 ? THEME_N_ELEMENTS : THEME_WARN);
    free(line);
}

static void pane_mapping(struct pane *p, const struct toggles_state *st,
                         const struct view_ctx *ctx, const struct store_res *r)
{
    int64_t v;
    char num[32];

    pane_when(p, ctx, "Changed", r, "last_modified");
    /* Lambda keeps no "who": StateTransitionReason says whether a person or Lambda did it */
    pane_add(p, "Why", store_res_str(r, "state_reason") ? store_res_str(r, "state_reason")
                                                         : "not given by AWS",
             store_res_str(r, "state_reason") ? THEME_N_ELEMENTS : THEME_DIM);
    pane_flipped(p, st, ctx);
    pane_str(p, "Function", r, "function");
    pane_str(p, "Function ARN", r, "function_arn");
    pane_str(p, "Queue", r, "queue");
    pane_str(p, "Queue ARN", r, "queue_arn");
    if (store_res_int(r, "batch_size", &v))
        pane_add(p, "Batch size", fmt_count(num, sizeof(num), v), THEME_N_ELEMENTS);
    pane_add(p, "Concurrency", store_res_int(r, "max_concurrency", &v)
                                   ? fmt_count(num, sizeof(num), v) : "not limited",
             THEME_N_ELEMENTS);
    pane_str(p, "Last result", r, "last_result");
    pane_add(p, "UUID", store_res_key(r), THEME_N_ELEMENTS);
}

/* A rule's targets, from ListTargetsByRule: where each sends, whether the event is
 * rewritten, and where deliveries that fail go. */
static void pane_targets(struct pane *p, const struct view_ctx *ctx, const char *key)
{
    const struct store_res *d;
    const char *text;
    cJSON *arr, *t;
    int64_t n = 0;
    char *title;

    pane_add(p, NULL, "", THEME_N_ELEMENTS);
    d = store_find(ctx->store, "toggle_detail", key);
    if (d)
        store_res_int(d, "ntargets", &n);
    title = d && store_res_str(d, "targets") ? xasprintf("Targets (%lld)", (long long)n)
                                             : xstrdup("Targets");
    pane_add(p, NULL, title, THEME_TITLE);
    free(title);
    d = pane_detail(p, ctx, key, "Targets");
    text = d ? store_res_str(d, "targets") : NULL;
    if (!text)
        return;
    arr = cJSON_Parse(text);
    if (cJSON_GetArraySize(arr) == 0)
        pane_add(p, "", "none: the rule sends nowhere", THEME_WARN);
    cJSON_ArrayForEach(t, arr) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(t, "id"),
                    *arn = cJSON_GetObjectItemCaseSensitive(t, "arn"),
                    *dlq = cJSON_GetObjectItemCaseSensitive(t, "dlq"),
                    *in = cJSON_GetObjectItemCaseSensitive(t, "input");
        const char *how = cJSON_IsString(in) ? in->valuestring : "event";
        char *line;

        pane_add(p, cJSON_IsString(id) ? id->valuestring : "?",
                 cJSON_IsString(arn) ? arn->valuestring : "?", THEME_N_ELEMENTS);
        line = xasprintf("%s", strcmp(how, "transformer") == 0 ? "input transformer: the "
                                                                 "event is rewritten"
                               : strcmp(how, "constant") == 0 ? "constant input: the event "
                                                                "is replaced"
                               : strcmp(how, "path") == 0 ? "input path: a part of the event"
                               : "the whole event");
        pane_add(p, "  input", line, THEME_N_ELEMENTS);
        free(line);
        if (cJSON_IsString(dlq))
            pane_add(p, "  DLQ", dlq->valuestring, THEME_N_ELEMENTS);
        else
            pane_add(p, "  DLQ", "none: failed deliveries are dropped after retries",
                     THEME_WARN);
    }
    cJSON_Delete(arr);
}

static void pane_rule(struct pane *p, const struct toggles_state *st,
                      const struct view_ctx *ctx, const struct store_res *r, const char *key)
{
    pane_add(p, "Changed", "not given by EventBridge (CloudTrail records it)", THEME_DIM);
    pane_flipped(p, st, ctx);
    pane_str(p, "Bus", r, "bus");
    pane_str(p, "ARN", r, "arn");
    pane_str(p, "Schedule", r, "schedule");
    pane_str(p, "Pattern", r, "pattern");
    pane_str(p, "Description", r, "description");
    pane_str(p, "Managed by", r, "managed_by");
    pane_targets(p, ctx, key);
}

static void pane_parameter(struct pane *p, const struct toggles_state *st,
                           const struct view_ctx *ctx, const struct store_res *r,
                           const char *key)
{
    const struct appconfig_toggle *tg =
        ctx->cfg && store_res_str(r, "toggle") ? appconfig_toggle(ctx->cfg,
                                                                  store_res_str(r, "toggle"))
                                               : NULL;
    const struct store_res *d;
    int64_t v, secure = 0;
    char num[32];

    pane_when(p, ctx, "Changed", r, "last_modified");
    d = pane_detail(p, ctx, key, "By");
    if (d) {
        int64_t exists = 1;

        store_res_int(d, "exists", &exists);
        if (!exists)
            pane_add(p, "By", "the parameter no longer exists", THEME_WARN);
        else
            pane_add(p, "By", store_res_str(d, "modified_user")
                                  ? store_res_str(d, "modified_user") : "not given by SSM",
                     store_res_str(d, "modified_user") ? THEME_N_ELEMENTS : THEME_DIM);
    }
    pane_flipped(p, st, ctx);
    pane_str(p, "Parameter", r, "parameter");
    pane_str(p, "Type", r, "type");
    store_res_int(r, "secure", &secure);
    if (secure)
        pane_add(p, "Value", "(SecureString: never shown)", THEME_DIM);
    else
        pane_str(p, "Value", r, "value");
    if (tg) {
        pane_add(p, "On value", tg->on, THEME_N_ELEMENTS);
        pane_add(p, "Off value", tg->off, THEME_N_ELEMENTS);
    } else {
        pane_add(p, "Toggle", "not declared: read-only ([toggle NAME] in opsdeck.conf)",
                 THEME_DIM);
    }
    if (store_res_int(r, "version", &v))
        pane_add(p, "Version", fmt_count(num, sizeof(num), v), THEME_N_ELEMENTS);
    pane_str(p, "Description", r, "description");
}

static void pane_build(struct toggles_state *st, const struct view_ctx *ctx, struct pane *p)
{
    const char *kind = NULL;
    const struct store_res *r = row_res(ctx, st->pane_key, &kind);
    size_t ki = 0;
    char *title, line[96];

    for (size_t k = 0; kind && k < TOGGLESTATE_NKINDS; k++)
        if (strcmp(togglestate_kinds[k].kind, kind) == 0)
            ki = k;
    title = xasprintf("%s %s", r ? togglestate_kinds[ki].type : "toggle",
                      r && store_res_str(r, "name") ? store_res_str(r, "name") : st->pane_name);
    pane_add(p, NULL, title, THEME_TITLE);
    free(title);
    if (!r) {
        pane_add(p, "", "no longer listed: deleted, or its list cannot be read (Esc to go back)",
                 THEME_WARN);
        return;
    }
    if (strcmp(row_state(ctx->store, r), TOGGLE_CHANGING) == 0)
        snprintf(line, sizeof(line), "%s %s (AWS says %s)", TOGGLE_CHANGING,
                 glyph_spinner(ctx->glyphs ? ctx->glyphs : &glyphs_ascii, ctx->now_ms),
                 aws_says(r, kind));
    else
        snprintf(line, sizeof(line), "%s (AWS says %s)", row_state(ctx->store, r),
                 aws_says(r, kind));
    pane_add(p, "State", line, strcmp(row_state(ctx->store, r), TOGGLE_OFF) == 0
                                   ? THEME_CRITICAL : THEME_N_ELEMENTS);
    if (store_res_stale(r))
        pane_add(p, "Data", "stale: the last read failed, this is the last good one",
                 THEME_STALE);
    if (strcmp(kind, "mapping") == 0)
        pane_mapping(p, st, ctx, r);
    else if (strcmp(kind, "rule") == 0)
        pane_rule(p, st, ctx, r, st->pane_key);
    else
        pane_parameter(p, st, ctx, r, st->pane_key);
}

#define PANE_LABEL_W 14

static void draw_pane(struct toggles_state *st, struct view_ctx *ctx, WINDOW *win)
{
    struct pane p = {0};
    int h = getmaxy(win), w = getmaxx(win), maxscroll;

    pane_build(st, ctx, &p);
    st->pane_lines = (int)p.n;
    st->pane_h = h;
    maxscroll = (int)p.n - h > 0 ? (int)p.n - h : 0;
    if (st->scroll > maxscroll)
        st->scroll = maxscroll;
    if (st->scroll < 0)
        st->scroll = 0;
    for (int y = 0; y < h && st->scroll + y < (int)p.n; y++) {
        const struct pane_line *l = &p.lines[st->scroll + y];
        attr_t a = l->style == THEME_N_ELEMENTS ? A_NORMAL : view_attr(ctx, l->style);

        if (!l->label) {
            view_text(win, y, 0, w, l->value, a);
            continue;
        }
        view_text(win, y, 2, PANE_LABEL_W, l->label, view_attr(ctx, THEME_HEADER));
        view_text(win, y, 2 + PANE_LABEL_W + 2, w - PANE_LABEL_W - 4, l->value, a);
    }
    pane_free(&p);
}

static void pane_close(struct toggles_state *st)
{
    free(st->pane_key);
    free(st->pane_name);
    st->pane_key = st->pane_name = NULL;
    st->scroll = 0;
    free(st->flip_for);
    st->flip_for = NULL;
    toggle_flip_seen_free(&st->flip);
}

/* Reads what the audit log says of the pane's switch when the pane is new or a flip of it
 * started or ended since the last read (the flip's job comes and goes); true when read. */
static bool pane_audit(struct toggles_state *st, const struct view_ctx *ctx)
{
    const char *kind = NULL;
    const struct store_res *r = st->pane_key ? row_res(ctx, st->pane_key, &kind) : NULL;
    const char *name = r && store_res_str(r, "name") ? store_res_str(r, "name") : st->pane_name;
    bool busy = flip_running(ctx->store, name);
    const struct store_res *me = store_find(ctx->store, "identity", "caller");
    const char *account = me ? store_res_str(me, "account") : NULL;
    char *path;

    if (!st->pane_key || !r)
        return false;
    if (st->flip_for && strcmp(st->flip_for, st->pane_key) == 0 && st->flip_busy == busy)
        return false;
    free(st->flip_for);
    st->flip_for = xstrdup(st->pane_key);
    st->flip_busy = busy;
    toggle_flip_seen_free(&st->flip);
    path = audit_default_path();
    st->flip_rc = toggle_last_flip(path, kind, store_res_key(r), account, ctx->region,
                                   &st->flip, st->flip_why, sizeof(st->flip_why));
    free(path);
    return true;
}

static int pane_key(struct toggles_state *st, int key)
{
    int page = st->pane_h > 1 ? st->pane_h - 1 : 1;

    switch (key) {
    case 27:  /* Esc */
    case 'q':
        pane_close(st);
        return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL;
    case 'j':
    case VIEW_KEY(KEY_DOWN):
        st->scroll++;   /* clamped when drawn */
        break;
    case 'k':
    case VIEW_KEY(KEY_UP):
        st->scroll--;
        break;
    case VIEW_KEY(KEY_NPAGE):
        st->scroll += page;
        break;
    case VIEW_KEY(KEY_PPAGE):
        st->scroll -= page;
        break;
    case 'g':
        st->scroll = 0;
        break;
    case 'G':
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

static const char *toggles_detail(void *priv)
{
    const struct toggles_state *st = priv;

    return st->pane_key;
}

static void toggles_init(void *priv, struct view_ctx *ctx)
{
    struct toggles_state *st = priv;

    (void)ctx;
    st->table = table_new(toggles_cols, NCOLS);
    table_sort(st->table, COL_NAME, false);
}

static void toggles_done(void *priv)
{
    struct toggles_state *st = priv;

    pane_close(st);
    table_free(st->table);
    free(st->filter);
    memset(st, 0, sizeof(*st));
}

static int toggles_update(void *priv, struct view_ctx *ctx)
{
    struct toggles_state *st = priv;
    const char *filter = ctx->filter ? ctx->filter : "";
    struct store_kind_info info;
    bool changed = !st->built || !st->filter || strcmp(st->filter, filter) != 0;

    for (size_t k = 0; k < TOGGLESTATE_NKINDS; k++) {
        store_kind_info(ctx->store, togglestate_kinds[k].kind, &info);
        changed = changed || info.generation != st->gen[k];
        st->gen[k] = info.generation;
    }
    store_kind_info(ctx->store, "job", &info);
    changed = changed || info.generation != st->gen_job;
    st->gen_job = info.generation;
    if (pane_audit(st, ctx))
        changed = true;
    /* a row changing turns its spinner as the clock moves (the console redraws every
     * second): rebuilt when the frame is another, never otherwise */
    if (st->changing &&
        glyph_spinner(ctx->glyphs ? ctx->glyphs : &glyphs_ascii, ctx->now_ms) != st->spin)
        changed = true;
    if (!changed)
        return 0;
    rebuild(st, ctx);
    st->built = true;
    free(st->filter);
    st->filter = xstrdup(filter);
    return VIEW_REDRAW;
}

/* One line per kind that was never read or whose last read failed; returns lines used. */
static int draw_unread(const struct view_ctx *ctx, WINDOW *win, int y, int h)
{
    int w = getmaxx(win), used = 0;

    for (size_t k = 0; k < TOGGLESTATE_NKINDS && y + used < h; k++) {
        struct store_kind_info info;
        char line[1200];
        const struct aws_error *e;

        store_kind_info(ctx->store, togglestate_kinds[k].kind, &info);
        e = info.stale ? info.error : !info.updated ? info.last_error : NULL;
        if (info.updated && !e)
            continue;
        if (e) {
            char why[1024];

            aws_error_describe(e, ctx->profile ? ctx->profile : "default", why, sizeof(why));
            snprintf(line, sizeof(line), "%s: cannot read: %s", togglestate_kinds[k].what, why);
        } else
            snprintf(line, sizeof(line), "%s: not read yet", togglestate_kinds[k].what);
        view_text(win, y + used++, 0, w, line,
                  view_attr(ctx, e ? THEME_CRITICAL : THEME_DIM));
    }
    return used;
}

static void toggles_draw(void *priv, struct view_ctx *ctx, WINDOW *win)
{
    struct toggles_state *st = priv;
    int h = getmaxy(win), w = getmaxx(win), y = 1;
    struct buf title;
    char empty[160];

    werase(win);
    if (!st->built)
        toggles_update(st, ctx);
    if (st->pane_key) {
        draw_pane(st, ctx, win);
        return;
    }
    buf_init(&title);
    buf_printf(&title, "Toggles  %zu off, %zu changing, %zu total", st->off, st->changing,
               st->total);
    if (ctx->filter && *ctx->filter)
        buf_printf(&title, "  %zu shown  /%s", table_shown(st->table), ctx->filter);
    view_text(win, 0, 0, w, title.data,
              view_attr(ctx, st->off || st->changing ? THEME_WARN : THEME_TITLE));
    buf_done(&title);
    y += draw_unread(ctx, win, y, h);
    if (ctx->filter && *ctx->filter && table_total(st->table))
        snprintf(empty, sizeof(empty), "no match for /%s", ctx->filter);
    else
        snprintf(empty, sizeof(empty), "%s", "no triggers, rules or declared toggles read");
    if (h > y)
        table_draw(st->table, ctx, win, y, h - y, empty);
}

static bool toggles_target(void *priv, struct view_ctx *ctx, const char *action,
                           struct act_target *out)
{
    struct toggles_state *st = priv;
    const char *kind = NULL;
    const struct store_res *r =
        row_res(ctx, st->pane_key ? st->pane_key : table_selected_key(st->table), &kind);

    (void)action;
    if (!r)
        return false;
    out->kind = kind;
    out->key = store_res_key(r);
    out->name = store_res_str(r, "name") ? store_res_str(r, "name") : store_res_key(r);
    return true;
}

static int toggles_key(void *priv, struct view_ctx *ctx, int key)
{
    struct toggles_state *st = priv;
    const char *sel, *kind = NULL;
    const struct store_res *r;

    if (st->pane_key)
        return pane_key(st, key);
    if (key == '\n' || key == '\r' || key == VIEW_KEY(KEY_ENTER)) {
        toggles_update(st, ctx);   /* typed ahead: the row the filter left under the cursor */
        sel = table_selected_key(st->table);
        if (!sel)
            return VIEW_HANDLED;
        r = row_res(ctx, sel, &kind);
        st->pane_key = xstrdup(sel);
        st->pane_name = xstrdup(r && store_res_str(r, "name") ? store_res_str(r, "name")
                                                              : strchr(sel, ':') + 1);
        st->scroll = 0;
        return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL;
    }
    return table_key(st->table, key);
}

static bool toggles_select(void *priv, struct view_ctx *ctx, const char *key)
{
    struct toggles_state *st = priv;

    toggles_update(st, ctx);  /* a jump can arrive before this view ever drew */
    if (key && *key)
        pane_close(st);       /* a jump to a row shows that row, not a pane left open */
    return key && table_select(st->table, key);
}

/* `:cli`: the aws CLI command that reads the row's state. */
static bool toggles_cli(void *priv, const struct view_ctx *ctx, char *out, size_t n)
{
    struct toggles_state *st = priv;
    const char *kind = NULL;
    const struct store_res *r =
        row_res(ctx, st->pane_key ? st->pane_key : table_selected_key(st->table), &kind);
    char *a, *b;

    if (!r)
        return false;
    if (strcmp(kind, "mapping") == 0) {
        a = view_shell_quote(store_res_key(r));
        snprintf(out, n, "aws lambda get-event-source-mapping --uuid %s", a);
        free(a);
    } else if (strcmp(kind, "rule") == 0) {
        a = view_shell_quote(store_res_str(r, "rule") ? store_res_str(r, "rule") : "");
        b = view_shell_quote(store_res_str(r, "bus") ? store_res_str(r, "bus") : "default");
        snprintf(out, n, "aws events describe-rule --name %s --event-bus-name %s", a, b);
        free(a);
        free(b);
    } else {
        /* never --with-decryption: the command is shown and copied */
        a = view_shell_quote(store_res_key(r));
        snprintf(out, n, "aws ssm get-parameter --name %s", a);
        free(a);
    }
    return true;
}

/* ---- the overview's section ------------------------------------------------------------ */

/* Every switch that is off or changing; a kind that could not be read says so, so "none" is
 * said only when all three were read. */
static void overview_build(struct overview_lines *l, const struct view_ctx *ctx, char *none,
                           size_t nonelen)
{
    bool all_read = true;

    for (size_t k = 0; k < TOGGLESTATE_NKINDS; k++) {
        struct store_kind_info info;
        size_t n = store_count(ctx->store, togglestate_kinds[k].kind);

        store_kind_info(ctx->store, togglestate_kinds[k].kind, &info);
        if (!info.updated) {
            char *key = row_key(togglestate_kinds[k].kind, ""), why[1024] = "";
            const struct aws_error *e = info.last_error;

            all_read = false;
            if (e)
                aws_error_describe(e, ctx->profile ? ctx->profile : "default", why,
                                   sizeof(why));
            overview_add(l, &(struct overview_item){
                .key = key, .name = togglestate_kinds[k].what, .msg = e ? why : NULL,
                .right = e ? "cannot read" : "not read yet",
                .style = e ? THEME_CRITICAL : THEME_DIM, .order = 3, .jump = ""});
            free(key);
            continue;
        }
        for (size_t i = 0; i < n; i++) {
            const struct store_res *r = store_at(ctx->store, togglestate_kinds[k].kind, i);
            const char *state = row_state(ctx->store, r);
            char *key;
            char right[64];

            if (strcmp(state, TOGGLE_OFF) != 0 && strcmp(state, TOGGLE_CHANGING) != 0)
                continue;
            key = row_key(togglestate_kinds[k].kind, store_res_key(r));
            snprintf(right, sizeof(right), "%8s %16s", togglestate_kinds[k].type, state);
            overview_add(l, &(struct overview_item){
                .key = key,
                .name = store_res_str(r, "name") ? store_res_str(r, "name") : store_res_key(r),
                .right = right,
                .style = store_res_stale(r) ? THEME_STALE
                         : strcmp(state, TOGGLE_OFF) == 0 ? THEME_CRITICAL : THEME_WARN,
                .order = strcmp(state, TOGGLE_CHANGING) == 0 ? 2 : 1});
            free(key);
        }
    }
    snprintf(none, nonelen, "%s", all_read ? "every trigger, rule and toggle is on"
                                           : "none of those read");
}

const struct overview_section toggles_overview = {
    .id = "toggles",
    .title = "Toggles off or changing",
    .legend = "    TYPE            STATE",
    .kind = NULL,
    .jump = "toggles",
    .build = overview_build,
};

static const struct view_action toggles_actions[] = {
    {' ', FLIP_ACTION},
    {'t', FLIP_ACTION},
    {0, NULL},
};

static const struct view_keyhelp toggles_keys[] = {
    { "Space/t", "flip: on -> off or off -> on, confirmed, through the write gate" },
    { "Enter", "details: when it changed and who or why, a rule's targets and their DLQs" },
    { "s/S", "sort: by the next column / reverse the order" },
    { "N T E W C D", "sort by that column: NAME, TYPE, STATE, AWS SAYS, CHANGED, DETAIL "
                     "(again: reverse)" },
    { "j/k", "down / up" },
    { "PgUp/PgDn", "page up / down" },
    { "g/G", "first / last" },
    { "Esc/q", "close details (in the list: back)" },
    { NULL, NULL },
};

const struct view toggles_view = {
    .name = "toggles",
    .title = "Toggles",
    .number = 7,
    .interval = APPCONFIG_VIEW_TOGGLES,
    .private_size = sizeof(struct toggles_state),
    .init = toggles_init,
    .done = toggles_done,
    .update = toggles_update,
    .draw = toggles_draw,
    .key = toggles_key,
    .detail = toggles_detail,
    .select = toggles_select,
    .keys = toggles_keys,
    .actions = toggles_actions,
    .target = toggles_target,
    .filter_in_title = true,
    .cli = toggles_cli,
};
