/* overview.c - one screen of health, the first thing an on-call engineer sees: a section
 * per concern (DLQs holding messages, queues with old messages, the nearest credential
 * expiry, the calls that are failing now), each item a line the cursor can rest on, Enter
 * jumping to the view behind it.
 *
 * The sections are not known here: each view declares its own (struct overview_section in
 * view.h) and views/registry.c lists them. This file builds them from the store in that
 * order, says "not read yet" or "cannot read" for a section whose data never came,
 * "stale" above one whose last read failed and "cannot tell" instead of an all-clear it
 * cannot back, draws them under headings, and carries the cursor over rebuilds by the item's id (section +
 * store key), so a poll never moves it to another item. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"
#include "util/textwidth.h"
#include "util/xalloc.h"
#include "view.h"

enum line_kind {
    LINE_HEADING,  /* a section title: never selected */
    LINE_NOTE,     /* "none - ...", "not read yet" under a section: never selected */
    LINE_ITEM,
};

#define NO_STYLE THEME_N_ELEMENTS

struct ov_line {
    enum line_kind kind;
    char *id;      /* "<section>\t<key>": stable across rebuilds, for the cursor */
    char *key;     /* the store key, NULL for headings and notes */
    char *name;    /* left text, untrusted (names, error keys) or a heading */
    char *msg;     /* drawn after the name (untrusted), else NULL */
    char *jump;    /* the view Enter opens, NULL none */
    char *jump_key;
    char right[64];               /* our own text (never untrusted) */
    enum theme_element style;     /* NO_STYLE: plain */
    double order;
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
    uint64_t generation;   /* the store's, when the lines were built */
    int64_t now_s;
    char *filter;
    const struct glyphs *glyphs;  /* the notes' dash depends on it */
};

/* What a section's build hook is lent: where its items go, and what it has added. */
struct overview_lines {
    struct ov_state *st;
    const struct overview_section *sec;
    const struct view_ctx *ctx;
    size_t total, shown;   /* items offered, items the filter kept */
    char unknown[256];     /* overview_cannot_tell's text, "" none */
};

/* ---- building the lines ----------------------------------------------------------- */

static bool selectable(const struct ov_line *l)
{
    return l->kind == LINE_ITEM;
}

/* Drops the lines from `from` on. */
static void lines_cut(struct ov_state *st, size_t from)
{
    for (size_t i = from; i < st->n; i++) {
        free(st->lines[i].id);
        free(st->lines[i].key);
        free(st->lines[i].name);
        free(st->lines[i].msg);
        free(st->lines[i].jump);
        free(st->lines[i].jump_key);
    }
    st->n = from < st->n ? from : st->n;
}

static void lines_clear(struct ov_state *st)
{
    lines_cut(st, 0);
}

static struct ov_line *line_add(struct ov_state *st, enum line_kind kind, const char *id,
                                const char *name)
{
    struct ov_line *l;

    if (st->n == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 32;
        st->lines = xrealloc(st->lines, st->cap * sizeof(*st->lines));
    }
    l = &st->lines[st->n++];
    memset(l, 0, sizeof(*l));
    l->kind = kind;
    l->id = xstrdup(id);
    l->name = xstrdup(name ? name : "");
    l->style = NO_STYLE;
    return l;
}

/* The `/` filter on an item: a case-insensitive substring of its name or message; "!text"
 * keeps the items that do not match. */
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

void overview_add(struct overview_lines *l, const struct overview_item *item)
{
    const struct overview_section *sec = l->sec;
    const char *jump = item->jump ? item->jump : sec->jump;
    struct ov_line *line;
    char *id;

    l->total++;
    if (!filter_keeps(l->ctx->filter, item->name, item->msg))
        return;
    l->shown++;
    id = xasprintf("%s\t%s", sec->id, item->key);
    line = line_add(l->st, LINE_ITEM, id, item->name);
    free(id);
    line->key = xstrdup(item->key);
    line->msg = item->msg ? xstrdup(item->msg) : NULL;
    line->jump = jump && *jump ? xstrdup(jump) : NULL;
    line->jump_key = xstrdup(item->jump_key ? item->jump_key : item->key);
    snprintf(line->right, sizeof(line->right), "%s", item->right ? item->right : "");
    line->style = item->style;
    line->order = item->order;
}

void overview_cannot_tell(struct overview_lines *l, const char *why)
{
    snprintf(l->unknown, sizeof(l->unknown), "%s", why ? why : "");
}

static const char *dash(const struct view_ctx *ctx)
{
    return ctx->glyphs && ctx->glyphs->utf8 ? "—" : "-";
}

static void note_add(struct ov_state *st, const struct overview_section *sec, const char *text,
                     enum theme_element style)
{
    char *id = xasprintf("%s\tnote", sec->id);

    line_add(st, LINE_NOTE, id, text)->style = style;
    free(id);
}

/* A kind read before whose latest read failed, or that is overdue: what the section shows
 * is the last good data, and an empty section must not read as an all-clear. */
static bool kind_stale(const struct overview_section *sec, const struct view_ctx *ctx,
                       char *why, size_t n)
{
    struct store_kind_info info;
    char ago[32];

    if (!sec->kind)
        return false;
    store_kind_info(ctx->store, sec->kind, &info);
    if (!info.stale)
        return false;
    fmt_age(ago, sizeof(ago), ctx->now_ms - info.updated);
    if (info.error)
        snprintf(why, n, "stale, last read %s ago: %s", ago, info.error->message);
    else
        snprintf(why, n, "stale, last read %s ago", ago);
    return true;
}

/* A kind never read: no list to show, whatever it would hold. */
static bool never_read(const struct overview_section *sec, const struct view_ctx *ctx,
                       char *why, size_t n)
{
    struct store_kind_info info;

    if (!sec->kind)
        return false;
    store_kind_info(ctx->store, sec->kind, &info);
    if (info.updated)
        return false;
    if (info.last_error) {
        /* AWS's text: view_text sanitises it when the note is drawn */
        snprintf(why, n, "cannot read: %s", info.last_error->message);
    } else {
        snprintf(why, n, "not read yet");
    }
    return true;
}

static int cmp_items(const void *a, const void *b)
{
    const struct ov_line *x = a, *y = b;

    if (x->order != y->order)
        return x->order < y->order ? 1 : -1;
    return strcmp(x->key, y->key);
}

static void section_build(struct ov_state *st, const struct overview_section *sec,
                          const struct view_ctx *ctx)
{
    struct overview_lines l = { .st = st, .sec = sec, .ctx = ctx };
    char heading_id[64], none[256] = "", text[1200];
    struct ov_line *h;
    size_t first;
    bool stale;

    snprintf(heading_id, sizeof(heading_id), "%s\theading", sec->id);
    h = line_add(st, LINE_HEADING, heading_id, sec->title);
    if (sec->legend)
        snprintf(h->right, sizeof(h->right), "%*s", OVERVIEW_RIGHT_W, sec->legend);
    first = st->n;
    if (never_read(sec, ctx, text, sizeof(text))) {
        if (sec->alarm)
            lines_cut(st, first - 1);
        else
            note_add(st, sec, text, NO_STYLE);
        return;
    }
    sec->build(&l, ctx, none, sizeof(none));
    qsort(st->lines + first, st->n - first, sizeof(*st->lines), cmp_items);
    stale = kind_stale(sec, ctx, text, sizeof(text));
    if (stale)  /* first: it qualifies every line of the section, the items' too */
        note_add(st, sec, text, THEME_STALE);
    if (l.unknown[0]) {
        snprintf(text, sizeof(text), "%s%s", l.shown ? "" : "cannot tell: ", l.unknown);
        note_add(st, sec, text, THEME_WARN);
    }
    if (l.shown || l.unknown[0])
        return;
    if (sec->alarm) {
        lines_cut(st, first - 1);
        return;
    }
    if (l.total && ctx->filter && *ctx->filter)
        snprintf(text, sizeof(text), "no match for /%s", ctx->filter);
    else if (stale)
        snprintf(text, sizeof(text), "none in the last good read %s %s", dash(ctx), none);
    else
        snprintf(text, sizeof(text), "none %s %s", dash(ctx), none);
    note_add(st, sec, text, NO_STYLE);
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
    for (size_t i = 0; overview_sections[i]; i++)
        section_build(st, overview_sections[i], ctx);
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
    bool changed = !st->built;

    /* Countdowns and the errors' ages move with the clock: a new second rebuilds. */
    changed |= store_generation(ctx->store) != st->generation ||
               ctx->now_ms / 1000 != st->now_s;
    changed |= ctx->glyphs != st->glyphs;
    st->glyphs = ctx->glyphs;
    changed |= str_changed(&st->filter, ctx->filter);
    if (!changed)
        return 0;
    st->generation = store_generation(ctx->store);
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
        view_text(win, y, x, w - x, l->name,
                  view_attr(ctx, l->style == NO_STYLE ? THEME_DIM : l->style));
        return;
    }
    if (selected) {
        attr = view_attr(ctx, THEME_SELECTION);
        view_fill_line(win, y, attr);
    }
    if (rightw > w - x - 8)  /* a very narrow window: the name matters more */
        rightw = 0;
    namew = w - x - rightw - 1;
    if (l->msg) {
        /* the name whole when it fits in half the room, the message after it */
        int keyw = textwidth(l->name) < namew / 2 ? textwidth(l->name) : namew / 2;
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

static int enter(struct ov_state *st, struct view_ctx *ctx)
{
    const struct ov_line *l;

    if (st->cursor >= st->n)
        return VIEW_HANDLED;
    l = &st->lines[st->cursor];
    if (!selectable(l) || !l->jump)
        return VIEW_HANDLED;  /* nothing behind it (yet) */
    snprintf(ctx->jump_view, sizeof(ctx->jump_view), "%s", l->jump);
    snprintf(ctx->jump_key, sizeof(ctx->jump_key), "%s", l->jump_key ? l->jump_key : "");
    return VIEW_HANDLED | VIEW_JUMP;
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
