/* overview.c - one screen of health, the first thing an on-call engineer sees: the DLQs
 * that hold messages, the queues whose oldest message is older than the warning threshold,
 * the nearest credential expiry and the calls that are failing now. Every item is a line
 * the cursor can rest on; Enter jumps to the view behind it.
 *
 * Not a table: sections of different shapes under headings. The lines are rebuilt from the
 * store on each update and the cursor is carried over by the item's id (section + store
 * key), so a poll never moves it to another item. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"
#include "util/textwidth.h"
#include "view.h"
#include "util/xalloc.h"

enum line_kind {
    LINE_HEADING,  /* a section title: never selected */
    LINE_NOTE,     /* "none — ..." under an empty section: never selected */
    LINE_DLQ,
    LINE_OLDQ,
    LINE_CRED,
    LINE_ERROR,
};

#define NO_STYLE THEME_N_ELEMENTS
#define RIGHT_W 26  /* the columns right of the name: "   DEPTH  CHANGE    OLDEST" */

struct ov_line {
    enum line_kind kind;
    char *id;      /* "dlq\t<url>": stable across rebuilds, for the cursor */
    char *key;     /* the store key (URL, error key), NULL for headings and notes */
    char *name;    /* left text, untrusted (names, error keys) or a heading */
    char *msg;     /* error message (untrusted), else NULL */
    char right[64];              /* our own formatted numbers (never untrusted) */
    enum theme_element style; /* NO_STYLE: plain */
};

struct ov_state {
    struct ov_line *lines;
    size_t n, cap;
    size_t cursor;         /* index of a selectable line; n when there is none */
    char *cursor_id;       /* the id the cursor sits on, carried across rebuilds */
    int top;               /* first line shown */
    int page;              /* lines shown at the last draw, for PgUp/PgDn */
    bool moved;            /* the user (or a jump) placed the cursor: until then it
                            * follows the first item, as data arrives after opening */
    bool built;
    uint64_t gen_dlq, gen_queue, gen_error;
    int64_t expiry, now_s;
    char *filter, *expiry_what;
    const struct glyphs *glyphs;  /* the notes' dash depends on it */
};

/* ---- building the lines ----------------------------------------------------------- */

static bool selectable(const struct ov_line *l)
{
    return l->kind != LINE_HEADING && l->kind != LINE_NOTE;
}

static void lines_clear(struct ov_state *st)
{
    for (size_t i = 0; i < st->n; i++) {
        free(st->lines[i].id);
        free(st->lines[i].key);
        free(st->lines[i].name);
        free(st->lines[i].msg);
    }
    st->n = 0;
}

static struct ov_line *line_add(struct ov_state *st, enum line_kind kind, const char *key,
                                const char *name)
{
    struct ov_line *l;
    static const char *const prefix[] = {
        [LINE_HEADING] = "h", [LINE_NOTE] = "n", [LINE_DLQ] = "dlq", [LINE_OLDQ] = "queue",
        [LINE_CRED] = "cred", [LINE_ERROR] = "error",
    };

    if (st->n == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 32;
        st->lines = xrealloc(st->lines, st->cap * sizeof(*st->lines));
    }
    l = &st->lines[st->n++];
    memset(l, 0, sizeof(*l));
    l->kind = kind;
    l->id = xasprintf("%s\t%s", prefix[kind], key ? key : name);
    l->key = key ? xstrdup(key) : NULL;
    l->name = xstrdup(name ? name : "");
    l->style = NO_STYLE;
    return l;
}

/* The `/` filter on an item line: a case-insensitive substring of its name or message;
 * "!text" keeps the lines that do not match. */
static bool filter_keeps(const char *filter, const char *name, const char *msg)
{
    bool invert = false, hit;

    if (!filter || !*filter)
        return true;
    if (*filter == '!') {
        invert = true;
        filter++;
        if (!*filter)
            return true;
    }
    hit = (name && strcasestr(name, filter)) || (msg && strcasestr(msg, filter));
    return hit != invert;
}

static const char *url_tail(const char *url)
{
    const char *slash = strrchr(url, '/');

    return slash && slash[1] ? slash + 1 : url;
}

static const char *res_name(const struct store_res *r)
{
    const char *name = store_res_str(r, "name");

    return name && *name ? name : url_tail(store_res_key(r));
}

static const char *dash(const struct view_ctx *ctx)
{
    return ctx->glyphs && ctx->glyphs->utf8 ? "—" : "-";
}

static void note_add(struct ov_state *st, const struct view_ctx *ctx, size_t matched,
                     size_t total, const char *none)
{
    char text[200];

    if (matched)
        return;
    if (total && ctx->filter && *ctx->filter)
        snprintf(text, sizeof(text), "no match for /%s", ctx->filter);
    else
        snprintf(text, sizeof(text), "none %s %s", dash(ctx), none);
    line_add(st, LINE_NOTE, NULL, text);
}

/* A resource with the number its section sorts by (depth, age), biggest first. */
struct ranked {
    const struct store_res *r;
    double v;
};

static int cmp_value_desc(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;

    if (x->v != y->v)
        return x->v < y->v ? 1 : -1;
    return strcmp(store_res_key(x->r), store_res_key(y->r));
}

static void section_dlq(struct ov_state *st, const struct view_ctx *ctx)
{
    size_t n = store_count(ctx->store, "dlq"), k = 0, total = 0, shown = 0;
    struct ranked *v = xmalloc((n ? n : 1) * sizeof(*v));
    struct store_kind_info info;
    struct ov_line *l;
    char d[16], c[16], o[16];
    int64_t depth;
    double delta, age;

    l = line_add(st, LINE_HEADING, NULL, "Dead-letter queues holding messages");
    snprintf(l->right, sizeof(l->right), "%8s %7s %9s", "DEPTH", "CHANGE", "OLDEST");
    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(ctx->store, "dlq", i);

        if (store_res_int(r, "visible", &depth) && depth > 0)
            v[k++] = (struct ranked){ r, (double)depth };
    }
    qsort(v, k, sizeof(*v), cmp_value_desc);
    for (size_t i = 0; i < k; i++) {
        const struct store_res *r = v[i].r;

        total++;
        if (!filter_keeps(ctx->filter, res_name(r), NULL))
            continue;
        shown++;
        l = line_add(st, LINE_DLQ, store_res_key(r), res_name(r));
        fmt_count(d, sizeof(d), (int64_t)v[i].v);
        if (store_res_change(r, "visible", &delta))
            fmt_delta(c, sizeof(c), (int64_t)delta);
        else
            snprintf(c, sizeof(c), "-");
        if (store_res_num(r, "age_oldest", &age) && isfinite(age) && age >= 0)
            fmt_duration(o, sizeof(o), (int64_t)age);
        else
            snprintf(o, sizeof(o), "-");
        snprintf(l->right, sizeof(l->right), "%8s %7s %9s", d, c, o);
        l->style = store_res_stale(r) ? THEME_STALE : THEME_CRITICAL;
    }
    free(v);
    store_kind_info(ctx->store, "dlq", &info);
    note_add(st, ctx, shown, total,
             n ? "all DLQs are empty"
               : info.fetched ? "no queue has a dead-letter queue" : "waiting for the first poll");
}

static void section_old(struct ov_state *st, const struct view_ctx *ctx)
{
    const struct appconfig_thresholds *th = appconfig_thresholds(ctx->cfg);
    size_t n = store_count(ctx->store, "queue"), k = 0, total = 0, shown = 0;
    struct ranked *v = xmalloc((n ? n : 1) * sizeof(*v));
    struct ov_line *l;
    char d[16], o[16], none[96];
    int64_t depth, is_dlq;
    double age;

    l = line_add(st, LINE_HEADING, NULL, "Queues with old messages");
    snprintf(l->right, sizeof(l->right), "%8s %7s %9s", "DEPTH", "", "OLDEST");
    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(ctx->store, "queue", i);

        /* Old messages in a DLQ are its normal state; the DLQ section already lists
         * every DLQ that holds any. */
        if (store_res_int(r, "is_dlq", &is_dlq) && is_dlq)
            continue;
        if (store_res_num(r, "age_oldest", &age) && isfinite(age) &&
            age >= (double)th->oldest_message_warn)
            v[k++] = (struct ranked){ r, age };
    }
    qsort(v, k, sizeof(*v), cmp_value_desc);
    for (size_t i = 0; i < k; i++) {
        const struct store_res *r = v[i].r;

        total++;
        if (!filter_keeps(ctx->filter, res_name(r), NULL))
            continue;
        shown++;
        l = line_add(st, LINE_OLDQ, store_res_key(r), res_name(r));
        fmt_count(d, sizeof(d), store_res_int(r, "visible", &depth) ? depth : -1);
        fmt_duration(o, sizeof(o), (int64_t)v[i].v);
        snprintf(l->right, sizeof(l->right), "%8s %7s %9s", d, "", o);
        l->style = store_res_stale(r) ? THEME_STALE
                   : v[i].v >= (double)th->oldest_message_critical ? THEME_CRITICAL
                                                                    : THEME_WARN;
    }
    free(v);
    snprintf(none, sizeof(none), "no message is older than %s",
             fmt_duration(o, sizeof(o), th->oldest_message_warn));
    note_add(st, ctx, shown, total, none);
}

static void section_cred(struct ov_state *st, const struct view_ctx *ctx)
{
    const struct appconfig_thresholds *th = appconfig_thresholds(ctx->cfg);
    const char *what = ctx->expiry_what && *ctx->expiry_what ? ctx->expiry_what
                                                             : "credentials";
    struct ov_line *l;
    char cd[48];

    l = line_add(st, LINE_HEADING, NULL, "Credentials");
    snprintf(l->right, sizeof(l->right), "%*s", RIGHT_W, "EXPIRES IN");
    if (!filter_keeps(ctx->filter, what, NULL)) {
        note_add(st, ctx, 0, 1, "");
        return;
    }
    l = line_add(st, LINE_CRED, "expiry", what);
    fmt_countdown(cd, sizeof(cd), ctx->expiry_seconds);
    snprintf(l->right, sizeof(l->right), "%.*s", RIGHT_W, cd);
    if (ctx->expiry_seconds == INT64_MAX)
        l->style = NO_STYLE;
    else if (ctx->expiry_seconds <= 0)
        l->style = THEME_CRITICAL;
    else if (ctx->expiry_seconds < th->expiry_warn)
        l->style = THEME_WARN;
    else
        l->style = THEME_OK;
}

static void section_errors(struct ov_state *st, const struct view_ctx *ctx)
{
    size_t n = store_count(ctx->store, "error"), total = 0, shown = 0;
    struct ov_line *l;
    char age[16], right[64];
    int64_t count, t;

    l = line_add(st, LINE_HEADING, NULL, "Errors");
    snprintf(l->right, sizeof(l->right), "%*s", RIGHT_W, "SINCE");
    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(ctx->store, "error", i);
        const char *msg = store_res_str(r, "message");

        /* count 0: the call has succeeded since; the error is history, not news */
        if (!store_res_int(r, "count", &count) || count <= 0)
            continue;
        total++;
        if (!filter_keeps(ctx->filter, store_res_key(r), msg))
            continue;
        shown++;
        l = line_add(st, LINE_ERROR, store_res_key(r), store_res_key(r));
        l->msg = xstrdup(msg ? msg : "");
        t = store_res_field_time(r, "count");
        if (t > 0 && ctx->now_ms >= t)
            fmt_age(age, sizeof(age), ctx->now_ms - t);
        else
            snprintf(age, sizeof(age), "-");
        if (count > 1)
            snprintf(right, sizeof(right), "%s ago, x%lld", age, (long long)count);
        else
            snprintf(right, sizeof(right), "%s ago", age);
        /* not padded to RIGHT_W: at 80 columns the message needs the room */
        snprintf(l->right, sizeof(l->right), "%.*s", RIGHT_W, right);
        l->style = THEME_ERROR;
    }
    note_add(st, ctx, shown, total, "no call is failing");
}

/* ---- the cursor --------------------------------------------------------------------- */

static size_t next_selectable(const struct ov_state *st, size_t from, int dir)
{
    for (size_t i = from; i < st->n; i = dir > 0 ? i + 1 : i - 1)
        if (selectable(&st->lines[i]))
            return i;
    return st->n;
}

static void cursor_set(struct ov_state *st, size_t i)
{
    if (i >= st->n)
        return;
    st->cursor = i;
    free(st->cursor_id);
    st->cursor_id = xstrdup(st->lines[i].id);
}

/* After a rebuild: the line with the same id, else the selectable line nearest to where
 * the cursor was (forward first: the item that took the gone one's place). */
static void cursor_restore(struct ov_state *st)
{
    size_t old = st->cursor, i;

    if (!st->moved) {
        i = next_selectable(st, 0, +1);
        st->cursor = i;
        if (i < st->n)
            cursor_set(st, i);
        return;
    }
    if (st->cursor_id)
        for (i = 0; i < st->n; i++)
            if (strcmp(st->lines[i].id, st->cursor_id) == 0 && selectable(&st->lines[i])) {
                st->cursor = i;
                return;
            }
    if (old >= st->n)
        old = st->n ? st->n - 1 : 0;
    i = next_selectable(st, old, +1);
    if (i == st->n)
        i = next_selectable(st, old, -1);
    st->cursor = i;
    /* the cursor now belongs to that item: if the gone one comes back, it stays here */
    if (i < st->n)
        cursor_set(st, i);
}

static void rebuild(struct ov_state *st, const struct view_ctx *ctx)
{
    lines_clear(st);
    section_dlq(st, ctx);
    section_old(st, ctx);
    section_cred(st, ctx);
    section_errors(st, ctx);
    cursor_restore(st);
}

/* ---- hooks -------------------------------------------------------------------------- */

static void ov_done(void *priv)
{
    struct ov_state *st = priv;

    lines_clear(st);
    free(st->lines);
    free(st->cursor_id);
    free(st->filter);
    free(st->expiry_what);
    memset(st, 0, sizeof(*st));
}

static bool str_changed(char **mine, const char *now)
{
    if (!now)
        now = "";
    if (*mine && strcmp(*mine, now) == 0)
        return false;
    free(*mine);
    *mine = xstrdup(now);
    return true;
}

static int ov_update(void *priv, struct view_ctx *ctx)
{
    struct ov_state *st = priv;
    struct store_kind_info dlq, queue, error;
    bool changed = !st->built;

    store_kind_info(ctx->store, "dlq", &dlq);
    store_kind_info(ctx->store, "queue", &queue);
    store_kind_info(ctx->store, "error", &error);
    /* The countdown and the errors' ages move with the clock: a new second redraws. */
    changed |= dlq.generation != st->gen_dlq || queue.generation != st->gen_queue ||
               error.generation != st->gen_error || ctx->expiry_seconds != st->expiry ||
               ctx->now_ms / 1000 != st->now_s;
    changed |= ctx->glyphs != st->glyphs;
    st->glyphs = ctx->glyphs;
    changed |= str_changed(&st->filter, ctx->filter);
    changed |= str_changed(&st->expiry_what, ctx->expiry_what);
    if (!changed)
        return 0;
    st->gen_dlq = dlq.generation;
    st->gen_queue = queue.generation;
    st->gen_error = error.generation;
    st->expiry = ctx->expiry_seconds;
    st->now_s = ctx->now_ms / 1000;
    st->built = true;
    rebuild(st, ctx);
    return VIEW_REDRAW;
}

static void draw_line(const struct ov_line *l, const struct view_ctx *ctx, WINDOW *win,
                      int y, bool selected)
{
    int w = getmaxx(win), rightw = (int)strlen(l->right), x = 2, namew;
    attr_t attr = l->style == NO_STYLE ? A_NORMAL : view_attr(ctx, l->style);

    if (l->kind == LINE_HEADING) {
        view_text(win, y, 0, w, l->name, view_attr(ctx, THEME_TITLE));
        if (rightw && w > rightw + textwidth(l->name))
            view_text(win, y, w - rightw, rightw, l->right, view_attr(ctx, THEME_HEADER));
        return;
    }
    if (l->kind == LINE_NOTE) {
        view_text(win, y, x, w - x, l->name, view_attr(ctx, THEME_DIM));
        return;
    }
    if (selected) {
        attr = view_attr(ctx, THEME_SELECTION);
        view_fill_line(win, y, attr);
    }
    if (rightw > w - x - 8)  /* a very narrow window: the name matters more */
        rightw = 0;
    namew = w - x - rightw - 1;
    if (l->kind == LINE_ERROR) {
        int keyw = namew < 40 ? namew / 2 : 20;
        int used = view_text(win, y, x, keyw, l->name, attr);

        view_text(win, y, x + used + 2, namew - used - 2, l->msg, attr);
    } else {
        view_text(win, y, x, namew, l->name, attr);
    }
    if (rightw)
        view_text(win, y, w - rightw, rightw, l->right, attr);
}

static void ov_draw(void *priv, struct view_ctx *ctx, WINDOW *win)
{
    struct ov_state *st = priv;
    int h = getmaxy(win);

    werase(win);
    if (!st->built)
        ov_update(st, ctx);
    st->page = h > 1 ? h : 1;
    /* Keep the cursor on screen; at the first item show its heading too. */
    if (st->cursor < st->n) {
        if ((int)st->cursor < st->top)
            st->top = (int)st->cursor;
        if ((int)st->cursor >= st->top + h)
            st->top = (int)st->cursor - h + 1;
        if (next_selectable(st, 0, +1) == st->cursor)
            st->top = 0;
        /* the first item of a section scrolled to from below brings its heading along */
        if ((int)st->cursor == st->top && st->cursor > 0 &&
            st->lines[st->cursor - 1].kind == LINE_HEADING && h > 1)
            st->top--;
    }
    if (st->top > (int)st->n - h)
        st->top = (int)st->n - h;
    if (st->top < 0)
        st->top = 0;
    for (int y = 0; y < h && (size_t)(st->top + y) < st->n; y++) {
        size_t i = (size_t)(st->top + y);

        draw_line(&st->lines[i], ctx, win, y, i == st->cursor);
    }
}

static bool is_enter(int key)
{
    return key == '\n' || key == '\r' || key == VIEW_KEY(KEY_ENTER);
}

static int jump(struct view_ctx *ctx, const char *view, const char *key)
{
    snprintf(ctx->jump_view, sizeof(ctx->jump_view), "%s", view);
    snprintf(ctx->jump_key, sizeof(ctx->jump_key), "%s", key ? key : "");
    return VIEW_HANDLED | VIEW_JUMP;
}

static int enter(struct ov_state *st, struct view_ctx *ctx)
{
    const struct ov_line *l;

    if (st->cursor >= st->n)
        return VIEW_HANDLED;
    l = &st->lines[st->cursor];
    switch (l->kind) {
    case LINE_DLQ:
        return jump(ctx, "dlq", l->key);
    case LINE_OLDQ:
        return jump(ctx, "sqs", l->key);
    case LINE_ERROR:
        /* the whole text of that call's errors */
        return jump(ctx, "errors", l->key);
    default:
        return VIEW_HANDLED;  /* nothing behind it yet (the expiry view comes later) */
    }
}

/* Moves by `steps` selectable lines (negative: up), stopping at either end. */
static void cursor_move(struct ov_state *st, long steps)
{
    size_t i = st->cursor;

    if (st->cursor >= st->n)
        return;
    for (; steps > 0; steps--) {
        size_t j = i + 1 < st->n ? next_selectable(st, i + 1, +1) : st->n;

        if (j == st->n)
            break;
        i = j;
    }
    for (; steps < 0; steps++) {
        size_t j = i > 0 ? next_selectable(st, i - 1, -1) : st->n;

        if (j == st->n)
            break;
        i = j;
    }
    cursor_set(st, i);
}

static int ov_key(void *priv, struct view_ctx *ctx, int key)
{
    struct ov_state *st = priv;

    if (!st->built)
        ov_update(st, ctx);
    if (is_enter(key))
        return enter(st, ctx);
    st->moved = true;  /* (an unhandled key sets it too: harmless, the cursor stays) */
    switch (key) {
    case 'j':
    case VIEW_KEY(KEY_DOWN):
        cursor_move(st, 1);
        break;
    case 'k':
    case VIEW_KEY(KEY_UP):
        cursor_move(st, -1);
        break;
    case VIEW_KEY(KEY_NPAGE):
    case VIEW_KEY_CTRL('f'):
        cursor_move(st, st->page > 1 ? st->page - 1 : 1);
        break;
    case VIEW_KEY(KEY_PPAGE):
    case VIEW_KEY_CTRL('b'):
        cursor_move(st, -(st->page > 1 ? st->page - 1 : 1));
        break;
    case 'g':
    case VIEW_KEY(KEY_HOME):
        cursor_set(st, next_selectable(st, 0, +1));
        break;
    case 'G':
    case VIEW_KEY(KEY_END):
        if (st->n)
            cursor_set(st, next_selectable(st, st->n - 1, -1));
        break;
    default:
        return VIEW_UNHANDLED;
    }
    return VIEW_HANDLED | VIEW_REDRAW;
}

/* A jump to the overview with a key: the first item about that store key. */
static bool ov_select(void *priv, struct view_ctx *ctx, const char *key)
{
    struct ov_state *st = priv;

    ov_update(st, ctx);
    for (size_t i = 0; key && i < st->n; i++)
        if (st->lines[i].key && selectable(&st->lines[i]) && strcmp(st->lines[i].key, key) == 0) {
            cursor_set(st, i);
            st->moved = true;
            return true;
        }
    return false;
}

static const struct view_keyhelp ov_keys[] = {
    { "Enter", "open the view behind the line" },
    { "j/k", "next / previous item" },
    { NULL, NULL },
};

const struct view overview_view = {
    .name = "overview",
    .title = "Overview",
    .number = 1,
    .interval = APPCONFIG_VIEW_OVERVIEW,
    .private_size = sizeof(struct ov_state),
    .done = ov_done,
    .update = ov_update,
    .draw = ov_draw,
    .key = ov_key,
    .select = ov_select,
    .keys = ov_keys,
};
