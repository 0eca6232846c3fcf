/* errors.c - `:errors`: the recent errors in full, newest first. The status line has room
 * for one line of the latest error and cuts it; here each failure shows its source (the
 * AWS call, or "console" for the console's own), when it happened, how many times in a row,
 * and its whole text (cause, profile, endpoint, fix) wrapped to the screen, sanitised.
 *
 * It reads the framework's error log (ctx->errlog, views/errlog.h), not the network. The
 * cursor moves by entry; `y` copies the entry's text for a ticket or a colleague. Reached
 * by `:errors` and by Enter on an error line of the overview, whose section this file
 * declares too. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errlog.h"
#include "util/fmt.h"
#include "util/sanitize.h"
#include "util/textwidth.h"
#include "util/xalloc.h"
#include "view.h"

/* One screen row: an entry's heading or a piece of its text. */
struct erow {
    size_t entry;   /* index among the shown entries */
    bool heading;
    char *text;
};

struct errors_state {
    size_t *shown;      /* errlog indexes (newest first) the filter keeps */
    size_t nshown;
    size_t cursor;      /* index into shown */
    char *cursor_src;   /* the source under the cursor, kept across new entries */
    int64_t cursor_first;
    int top;            /* first screen row drawn */
    int page;
    uint64_t gen;
    bool built;
    char *filter;
};

static bool keeps(const char *filter, const struct errlog_entry *e)
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
    hit = strcasestr(e->source, filter) || strcasestr(e->text, filter);
    return hit != invert;
}

static void cursor_mark(struct errors_state *st, const struct view_ctx *ctx)
{
    const struct errlog_entry *e = st->nshown ? errlog_at(ctx->errlog, st->shown[st->cursor])
                                              : NULL;

    free(st->cursor_src);
    st->cursor_src = e ? xstrdup(e->source) : NULL;
    st->cursor_first = e ? e->first_ms : 0;
}

static void rebuild(struct errors_state *st, const struct view_ctx *ctx)
{
    size_t n = errlog_count(ctx->errlog);

    free(st->shown);
    st->shown = xcalloc(n ? n : 1, sizeof(*st->shown));
    st->nshown = 0;
    for (size_t i = 0; i < n; i++)
        if (keeps(ctx->filter, errlog_at(ctx->errlog, i)))
            st->shown[st->nshown++] = i;
    /* the cursor stays on its entry (the same source, first seen at the same time) when
     * new failures arrive on top of it */
    st->cursor = 0;
    for (size_t i = 0; st->cursor_src && i < st->nshown; i++) {
        const struct errlog_entry *e = errlog_at(ctx->errlog, st->shown[i]);

        if (strcmp(e->source, st->cursor_src) == 0 && e->first_ms == st->cursor_first) {
            st->cursor = i;
            break;
        }
    }
    cursor_mark(st, ctx);
}

static int errors_update(void *priv, struct view_ctx *ctx)
{
    struct errors_state *st = priv;
    const char *filter = ctx->filter ? ctx->filter : "";
    uint64_t gen = ctx->errlog ? ctx->errlog->generation : 0;

    if (st->built && gen == st->gen && st->filter && strcmp(st->filter, filter) == 0)
        return 0;
    rebuild(st, ctx);
    st->built = true;
    st->gen = gen;
    free(st->filter);
    st->filter = xstrdup(filter);
    return VIEW_REDRAW;
}

static void errors_done(void *priv)
{
    struct errors_state *st = priv;

    free(st->shown);
    free(st->cursor_src);
    free(st->filter);
    memset(st, 0, sizeof(*st));
}

static void rows_add(struct erow **rows, size_t *n, size_t *cap, size_t entry, bool heading,
                     char *text)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *rows = xrealloc(*rows, *cap * sizeof(**rows));
    }
    (*rows)[(*n)++] = (struct erow){ entry, heading, text };
}

/* Every shown entry as screen rows at width w: a heading, then the text wrapped, indented;
 * sanitised here, once, before it is measured. */
static size_t layout(const struct errors_state *st, const struct view_ctx *ctx, int w,
                     struct erow **rows)
{
    size_t n = 0, cap = 0;

    *rows = NULL;
    for (size_t i = 0; i < st->nshown; i++) {
        const struct errlog_entry *e = errlog_at(ctx->errlog, st->shown[i]);
        char when[64], first[64], **lines;
        char *src = sanitize_text(e->source, strlen(e->source));
        char *text = sanitize_text(e->text, strlen(e->text));
        size_t nl;

        view_time(ctx, (double)e->last_ms / 1000.0, when, sizeof(when));
        if (e->count > 1) {
            view_time(ctx, (double)e->first_ms / 1000.0, first, sizeof(first));
            /* "since 11:06:40" on the same day: the heading must fit 80 columns */
            if (strlen(first) > 19 && strncmp(first, when, 11) == 0)
                first[19] = '\0';
            rows_add(rows, &n, &cap, i, true,
                     xasprintf("%s  %s  x%lu since %s", when, src, e->count,
                               strncmp(first, when, 11) == 0 ? first + 11 : first));
        } else {
            rows_add(rows, &n, &cap, i, true, xasprintf("%s  %s", when, src));
        }
        nl = textwidth_wrap(text, w - 4, &lines);
        free(text);
        free(src);
        for (size_t k = 0; k < nl; k++)
            rows_add(rows, &n, &cap, i, false, lines[k]);
        free(lines);
    }
    return n;
}

static void errors_draw(void *priv, struct view_ctx *ctx, WINDOW *win)
{
    struct errors_state *st = priv;
    int h = getmaxy(win), w = getmaxx(win), body;
    struct erow *rows;
    size_t n, first_row = 0;
    char title[256];

    werase(win);
    if (!st->built)
        errors_update(st, ctx);
    if (ctx->filter && *ctx->filter)
        snprintf(title, sizeof(title), "Recent errors  %zu shown of %zu, newest first  /%s",
                 st->nshown, errlog_count(ctx->errlog), ctx->filter);
    else
        snprintf(title, sizeof(title), "Recent errors  %zu, newest first",
                 errlog_count(ctx->errlog));
    view_text(win, 0, 0, w, title, view_attr(ctx, THEME_TITLE));
    body = h - 1;
    st->page = body > 1 ? body : 1;
    if (st->nshown == 0) {
        view_text(win, 1, 1, w - 1,
                  errlog_count(ctx->errlog) ? "no error matches the filter"
                                            : "no error since the console started",
                  view_attr(ctx, THEME_DIM));
        return;
    }
    n = layout(st, ctx, w, &rows);
    for (size_t i = 0; i < n; i++)
        if (rows[i].entry == st->cursor && rows[i].heading) {
            first_row = i;
            break;
        }
    /* the cursor's heading in sight, and as much of its text as fits */
    if ((int)first_row < st->top)
        st->top = (int)first_row;
    {
        size_t last = first_row;

        while (last + 1 < n && rows[last + 1].entry == st->cursor)
            last++;
        if ((int)last >= st->top + body)
            st->top = (int)last - body + 1;
        if ((int)first_row < st->top)
            st->top = (int)first_row;
    }
    if (st->top > (int)n - body)
        st->top = (int)n - body;
    if (st->top < 0)
        st->top = 0;
    for (int y = 0; y < body && st->top + y < (int)n; y++) {
        const struct erow *r = &rows[st->top + y];

        if (r->heading) {
            attr_t a = view_attr(ctx, r->entry == st->cursor ? THEME_SELECTION : THEME_ERROR);

            if (r->entry == st->cursor)
                view_fill_line(win, 1 + y, a);
            view_text_clean(win, 1 + y, 0, w, r->text, a);
        } else {
            view_text_clean(win, 1 + y, 4, w - 4, r->text, A_NORMAL);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(rows[i].text);
    free(rows);
}

static int errors_key(void *priv, struct view_ctx *ctx, int key)
{
    struct errors_state *st = priv;
    long to = (long)st->cursor;
    long page = st->page > 4 ? st->page / 4 : 1;  /* entries are several rows tall */

    if (!st->built)
        errors_update(st, ctx);
    switch (key) {
    case 'j':
    case VIEW_KEY(KEY_DOWN):
        to++;
        break;
    case 'k':
    case VIEW_KEY(KEY_UP):
        to--;
        break;
    case VIEW_KEY(KEY_NPAGE):
    case VIEW_KEY_CTRL('f'):
        to += page;
        break;
    case VIEW_KEY(KEY_PPAGE):
    case VIEW_KEY_CTRL('b'):
        to -= page;
        break;
    case 'g':
    case VIEW_KEY(KEY_HOME):
        to = 0;
        break;
    case 'G':
    case VIEW_KEY(KEY_END):
        to = (long)st->nshown - 1;
        break;
    case 'y': {
        const struct errlog_entry *e =
            st->nshown ? errlog_at(ctx->errlog, st->shown[st->cursor]) : NULL;

        if (!e)
            return VIEW_HANDLED;
        snprintf(ctx->copy, sizeof(ctx->copy), "%s: %s", e->source, e->text);
        snprintf(ctx->copy_what, sizeof(ctx->copy_what), "the %s error", e->source);
        return VIEW_HANDLED | VIEW_COPY;
    }
    default:
        return VIEW_UNHANDLED;
    }
    if (to >= (long)st->nshown)
        to = (long)st->nshown - 1;
    if (to < 0)
        to = 0;
    st->cursor = (size_t)to;
    cursor_mark(st, ctx);
    return VIEW_HANDLED | VIEW_REDRAW;
}

/* A jump from the overview's error line: the newest entry of that source ("SQS
 * ListQueues"). */
static bool errors_select(void *priv, struct view_ctx *ctx, const char *key)
{
    struct errors_state *st = priv;

    errors_update(st, ctx);
    for (size_t i = 0; key && i < st->nshown; i++)
        if (strcmp(errlog_at(ctx->errlog, st->shown[i])->source, key) == 0) {
            st->cursor = i;
            cursor_mark(st, ctx);
            return true;
        }
    return false;
}

static const struct view_keyhelp errors_keys[] = {
    { "j/k", "next / previous error" },
    { "y", "copy: the error's whole text (OSC 52)" },
    { "PgUp/PgDn", "page up / down" },
    { "g/G", "newest / oldest" },
    { "Esc/q", "back" },
    { NULL, NULL },
};

const struct view errors_view = {
    .name = "errors",
    .title = "Recent errors",
    .number = 0,
    .interval = APPCONFIG_VIEW_OVERVIEW,
    .private_size = sizeof(struct errors_state),
    .done = errors_done,
    .update = errors_update,
    .draw = errors_draw,
    .key = errors_key,
    .select = errors_select,
    .keys = errors_keys,
    .filter_in_title = true,
};

/* ---- the overview's section ------------------------------------------------------------ */

/* Every call failing now (the poller's "error" rows with a count), with how long ago and
 * how many times in a row, its one-line cause and fix after the call's name. Enter opens
 * this view on that call's errors, whole. */
static void overview_build(struct overview_lines *l, const struct view_ctx *ctx, char *none,
                           size_t nonelen)
{
    size_t n = store_count(ctx->store, "error");

    for (size_t i = 0; i < n; i++) {
        const struct store_res *r = store_at(ctx->store, "error", i);
        const char *msg = store_res_str(r, "message");
        char age[16], right[64];
        int64_t count, t;

        /* count 0: the call has succeeded since; the error is history, not news */
        if (!store_res_int(r, "count", &count) || count <= 0)
            continue;
        t = store_res_field_time(r, "count");
        if (t > 0 && ctx->now_ms >= t)
            fmt_age(age, sizeof(age), ctx->now_ms - t);
        else
            snprintf(age, sizeof(age), "-");
        if (count > 1)
            snprintf(right, sizeof(right), "%s ago, x%lld", age, (long long)count);
        else
            snprintf(right, sizeof(right), "%s ago", age);
        overview_add(l, &(struct overview_item){
            .key = store_res_key(r), .name = store_res_key(r), .msg = msg ? msg : "",
            .right = right, .style = THEME_ERROR});
    }
    snprintf(none, nonelen, "no call is failing");
}

const struct overview_section errors_overview = {
    .id = "error",
    .title = "Errors",
    .legend = "SINCE",
    .jump = "errors",
    .build = overview_build,
};
