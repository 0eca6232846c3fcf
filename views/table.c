/* table.c - the list every view is made of (table.h): rows keyed by a stable key, filter,
 * sort, a cursor carried over rebuilds by key, scrolling and drawing.
 *
 * Each rebuild (table_begin .. table_end) makes a fresh set of rows; the previous shown
 * order is kept until table_end so that a cursor whose row vanished can move to the row
 * that followed it (tmux's mode-tree.c carries its cursor the same way, by tag). */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "look/glyph.h"
#include "util/sanitize.h"
#include "table.h"
#include "util/textwidth.h"
#include "util/xalloc.h"

#define NO_STYLE (-1)
#define DEFAULT_PAGE 10

struct table_cell {
    char *text;     /* sanitised (or raw, made by the view), never NULL */
    double sortval; /* NAN: sort by text */
    int style;      /* enum theme_element or NO_STYLE */
    bool raw;       /* made by the view: not matched by the filter (sparkline glyphs) */
    char *mark;     /* a glyph after the text that cutting never hides, or NULL */
    int mark_style; /* enum theme_element or NO_STYLE */
};

struct table_row {
    char *key;
    struct table_cell *cells;
    size_t ncols;
    int style;
    int rank;
    bool heading;   /* the title line of the rows of its rank: never under the cursor */
};

struct rowset {
    struct table_row **rows;  /* in table_add order */
    size_t n, cap;
};

struct table {
    const struct table_col *cols;
    size_t ncols;

    struct rowset cur;        /* the rows of the last (or current) build */
    struct rowset old;        /* during a build: the previous rows, until table_end */
    bool building;

    struct table_row **shown; /* filtered and sorted view of cur */
    size_t nshown;
    struct table_row **old_shown;  /* during a build: the previous shown order */
    size_t old_nshown;
    char *filter;             /* the filter of the last table_end, for re-sorting */

    size_t cursor;            /* index into shown */
    char *cursor_key;         /* the key under the cursor, what a rebuild looks for */
    size_t top;               /* first shown row drawn */
    int page;                 /* rows visible at the last draw */
    size_t ndrawn;            /* shown rows top.. drawn at the last draw */

    size_t sort_col;
    bool sort_desc;

    int *natural;             /* per column: the widest shown cell or title (+ sort mark) */
};

/* ---- rows ----------------------------------------------------------------------------- */

static void row_free(struct table_row *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ncols; i++) {
        free(r->cells[i].text);
        free(r->cells[i].mark);
    }
    free(r->cells);
    free(r->key);
    free(r);
}

static void rowset_clear(struct rowset *s)
{
    for (size_t i = 0; i < s->n; i++)
        row_free(s->rows[i]);
    free(s->rows);
    memset(s, 0, sizeof *s);
}

struct table *table_new(const struct table_col *cols, size_t ncols)
{
    struct table *t = xmalloc(sizeof *t);

    memset(t, 0, sizeof *t);
    t->cols = cols;
    t->ncols = ncols;
    t->page = DEFAULT_PAGE;
    t->natural = xcalloc(ncols ? ncols : 1, sizeof *t->natural);
    return t;
}

void table_free(struct table *t)
{
    if (!t)
        return;
    rowset_clear(&t->cur);
    rowset_clear(&t->old);
    free(t->shown);
    free(t->old_shown);
    free(t->filter);
    free(t->cursor_key);
    free(t->natural);
    free(t);
}

/* The row at or next to i in direction dir (+1 or -1) that is not a heading, else the
 * nearest one the other way; i when every shown row is a heading (none is: a heading is
 * shown only with a row of its group). */
static size_t skip_heading(const struct table *t, size_t i, int dir)
{
    for (long j = (long)i; j >= 0 && (size_t)j < t->nshown; j += dir)
        if (!t->shown[j]->heading)
            return (size_t)j;
    for (long j = (long)i; j >= 0 && (size_t)j < t->nshown; j -= dir)
        if (!t->shown[j]->heading)
            return (size_t)j;
    return i;
}

static void set_cursor_dir(struct table *t, size_t i, int dir)
{
    const char *key;

    if (t->nshown == 0) {
        t->cursor = 0;
        return;  /* keep cursor_key: the row may come back with the next poll */
    }
    if (i >= t->nshown)
        i = t->nshown - 1;
    i = skip_heading(t, i, dir);
    t->cursor = i;
    key = t->shown[i]->key;
    if (!t->cursor_key || strcmp(t->cursor_key, key) != 0) {
        free(t->cursor_key);
        t->cursor_key = xstrdup(key);
    }
}

static void set_cursor(struct table *t, size_t i)
{
    set_cursor_dir(t, i, 1);
}

void table_begin(struct table *t)
{
    if (t->building) {
        /* A rebuild that never ended: drop it, the previous rows still hold the place. */
        rowset_clear(&t->cur);
        free(t->shown);
    } else {
        t->old = t->cur;
        t->old_shown = t->shown;
        t->old_nshown = t->nshown;
    }
    memset(&t->cur, 0, sizeof t->cur);
    t->shown = NULL;
    t->nshown = 0;
    t->building = true;
}

struct table_row *table_add(struct table *t, const char *key)
{
    struct table_row *r = xmalloc(sizeof *r);

    r->key = xstrdup(key ? key : "");
    r->ncols = t->ncols;
    r->cells = xmalloc((t->ncols ? t->ncols : 1) * sizeof *r->cells);
    for (size_t i = 0; i < t->ncols; i++) {
        r->cells[i].text = xstrdup("");
        r->cells[i].sortval = NAN;
        r->cells[i].style = NO_STYLE;
        r->cells[i].raw = false;
        r->cells[i].mark = NULL;
        r->cells[i].mark_style = NO_STYLE;
    }
    r->style = NO_STYLE;
    r->rank = 0;
    r->heading = false;
    if (t->cur.n == t->cur.cap) {
        t->cur.cap = t->cur.cap ? t->cur.cap * 2 : 32;
        t->cur.rows = xrealloc(t->cur.rows, t->cur.cap * sizeof *t->cur.rows);
    }
    t->cur.rows[t->cur.n++] = r;
    return r;
}

static void cell_set(struct table_row *r, size_t col, char *text, double sortval, bool raw)
{
    if (!r || col >= r->ncols) {
        free(text);
        return;
    }
    free(r->cells[col].text);
    r->cells[col].text = text;
    r->cells[col].sortval = sortval;
    r->cells[col].raw = raw;
}

void table_cell(struct table_row *r, size_t col, const char *text, double sortval)
{
    cell_set(r, col, text ? sanitize_text(text, strlen(text)) : xstrdup(""), sortval, false);
}

void table_cell_raw(struct table_row *r, size_t col, const char *text, double sortval)
{
    cell_set(r, col, xstrdup(text ? text : ""), sortval, true);
}

void table_cell_mark(struct table_row *r, size_t col, const char *glyph, enum theme_element e)
{
    if (!r || col >= r->ncols)
        return;
    free(r->cells[col].mark);
    r->cells[col].mark = glyph && *glyph ? xstrdup(glyph) : NULL;
    r->cells[col].mark_style = (int)e >= 0 && e < THEME_N_ELEMENTS ? (int)e : NO_STYLE;
}

/* Columns a cell's mark takes, with the space before it; 0 without one. */
static int mark_width(const struct table_cell *c)
{
    return c->mark ? 1 + textwidth(c->mark) : 0;
}

void table_row_style(struct table_row *r, enum theme_element e)
{
    if (r && (int)e >= 0 && e < THEME_N_ELEMENTS)
        r->style = (int)e;
}

void table_cell_style(struct table_row *r, size_t col, enum theme_element e)
{
    if (r && col < r->ncols && (int)e >= 0 && e < THEME_N_ELEMENTS)
        r->cells[col].style = (int)e;
}

void table_row_rank(struct table_row *r, int rank)
{
    if (r)
        r->rank = rank;
}

void table_row_heading(struct table_row *r)
{
    if (r)
        r->heading = true;
}

/* ---- filter and sort ------------------------------------------------------------------ */

/* A `/` filter as typed: "!" inverts; "COLUMN:text" looks in that column (its title,
 * case and spaces ignored: "dlq:", "inflight:"), "*:text" in every column; plain text
 * looks in the name column (column 0) only, so /orders-dlq finds the queue of that name
 * and not the six whose DLQ it is. */
struct filter_spec {
    bool invert;
    long col;            /* FILTER_ALL: every column */
    const char *needle;  /* "" keeps every row */
};

#define FILTER_ALL (-1)

/* Does word (n bytes) name column c: its title without spaces, case ignored? */
static bool names_column(const struct table_col *c, const char *word, size_t n)
{
    const char *t = c->title ? c->title : "";
    size_t i = 0;

    for (; *t; t++) {
        if (*t == ' ')
            continue;
        if (i >= n || tolower((unsigned char)*t) != tolower((unsigned char)word[i]))
            return false;
        i++;
    }
    return i == n && n > 0;
}

static struct filter_spec filter_parse(const struct table *t, const char *filter)
{
    struct filter_spec f = { false, 0, filter ? filter : "" };
    const char *colon;

    if (f.needle[0] == '!') {
        f.invert = true;
        f.needle++;
    }
    colon = strchr(f.needle, ':');
    if (!colon)
        return f;
    if (colon == f.needle + 1 && f.needle[0] == '*') {
        f.col = FILTER_ALL;
        f.needle = colon + 1;
        return f;
    }
    for (size_t c = 0; c < t->ncols; c++)
        if (names_column(&t->cols[c], f.needle, (size_t)(colon - f.needle))) {
            f.col = (long)c;
            f.needle = colon + 1;
            break;
        }
    return f;  /* "text:more" that names no column is text (S3 keys hold colons) */
}

bool table_filter_plain(const struct table *t, const char *filter)
{
    struct filter_spec f = filter_parse(t, filter);

    return !f.invert && f.col == 0 && f.needle == filter && *filter;
}

static bool row_matches(const struct table_row *r, const struct filter_spec *f)
{
    if (f->col != FILTER_ALL)
        return (size_t)f->col < r->ncols && strcasestr(r->cells[f->col].text, f->needle);
    for (size_t i = 0; i < r->ncols; i++)
        if (!r->cells[i].raw && strcasestr(r->cells[i].text, f->needle))
            return true;
    return false;
}

/* qsort has no context argument in C11; the console is single-threaded, so the table
 * being sorted is handed to the comparator through this. */
static const struct table *sorting;

static bool cell_unknown(const struct table_cell *c)
{
    return isnan(c->sortval) && c->text[0] == '\0';
}

static int row_cmp(const void *pa, const void *pb)
{
    const struct table_row *a = *(const struct table_row *const *)pa;
    const struct table_row *b = *(const struct table_row *const *)pb;
    const struct table *t = sorting;
    int c = 0;

    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    if (a->heading != b->heading)
        return a->heading ? -1 : 1;
    if (t->sort_col < t->ncols) {
        const struct table_cell *ca = &a->cells[t->sort_col];
        const struct table_cell *cb = &b->cells[t->sort_col];
        bool na = !isnan(ca->sortval), nb = !isnan(cb->sortval);

        if (na && nb) {
            c = ca->sortval < cb->sortval ? -1 : ca->sortval > cb->sortval ? 1 : 0;
        } else if (na != nb) {
            return na ? -1 : 1;  /* an unknown number goes last in either order */
        } else if (cell_unknown(ca) != cell_unknown(cb)) {
            return cell_unknown(ca) ? 1 : -1;  /* so does an empty text */
        } else {
            c = strcoll(ca->text, cb->text);
        }
        if (t->sort_desc)
            c = -c;
    }
    if (c == 0)
        c = strcmp(a->key, b->key);  /* a total order: rows do not swap between polls */
    return c;
}

static void sort_shown(struct table *t)
{
    if (t->nshown > 1) {
        sorting = t;
        qsort(t->shown, t->nshown, sizeof *t->shown, row_cmp);
        sorting = NULL;
    }
}

static long find_shown(const struct table *t, const char *key)
{
    if (!key)
        return -1;
    for (size_t i = 0; i < t->nshown; i++)
        if (strcmp(t->shown[i]->key, key) == 0)
            return (long)i;
    return -1;
}

static int row_key_cmp(const void *a, const void *b)
{
    return strcmp((*(const struct table_row *const *)a)->key,
                  (*(const struct table_row *const *)b)->key);
}

/* Where the cursor goes after a rebuild: its key, else the first row that followed it
 * before and is still shown, else the nearest one that preceded it, else the same index.
 * The search for survivors goes through a key-sorted copy of the shown rows, so a removed
 * row costs O(n log n) even with thousands of queues. */
static void restore_cursor(struct table *t)
{
    long at = find_shown(t, t->cursor_key);
    long old = -1;
    struct table_row **byk;
    const struct table_row *hit = NULL;

    if (at >= 0) {
        set_cursor(t, (size_t)at);
        return;
    }
    if (t->cursor_key)
        for (size_t i = 0; i < t->old_nshown; i++)
            if (strcmp(t->old_shown[i]->key, t->cursor_key) == 0) {
                old = (long)i;
                break;
            }
    if (old < 0 || t->nshown == 0) {
        set_cursor(t, old >= 0 ? (size_t)old : t->cursor);
        return;
    }
    byk = xmalloc(t->nshown * sizeof *byk);
    memcpy(byk, t->shown, t->nshown * sizeof *byk);
    qsort(byk, t->nshown, sizeof *byk, row_key_cmp);
    for (size_t i = (size_t)old + 1; i < t->old_nshown && !hit; i++) {
        struct table_row **p = bsearch(&t->old_shown[i], byk, t->nshown, sizeof *byk,
                                       row_key_cmp);
        hit = p ? *p : NULL;
    }
    for (long i = old - 1; i >= 0 && !hit; i--) {
        struct table_row **p = bsearch(&t->old_shown[i], byk, t->nshown, sizeof *byk,
                                       row_key_cmp);
        hit = p ? *p : NULL;
    }
    free(byk);
    at = hit ? find_shown(t, hit->key) : -1;
    set_cursor(t, at >= 0 ? (size_t)at : (size_t)old);
}

static void apply_filter(struct table *t, const struct filter_spec *f)
{
    free(t->shown);
    t->shown = xmalloc((t->cur.n ? t->cur.n : 1) * sizeof *t->shown);
    t->nshown = 0;
    for (size_t i = 0; i < t->cur.n; i++) {
        struct table_row *r = t->cur.rows[i];

        /* "!" alone keeps everything: an inverted empty filter would hide every row. */
        if (!r->heading && (f->needle[0] == '\0' || row_matches(r, f) != f->invert))
            t->shown[t->nshown++] = r;
    }
    /* a heading stays while a row of its group does (a view has a few groups: a scan of
     * the shown rows for each is cheap) */
    size_t rows = t->nshown;
    for (size_t i = 0; i < t->cur.n; i++) {
        struct table_row *h = t->cur.rows[i];
        bool keep = false;

        for (size_t j = 0; h->heading && j < rows && !keep; j++)
            keep = t->shown[j]->rank == h->rank;
        if (keep)
            t->shown[t->nshown++] = h;
    }
}

/* How well a cell matches the needle: 0 the whole text (case ignored), 1 its start, 2
 * anywhere, 3 not at all. */
static int match_rank(const char *text, const char *needle)
{
    const char *at = strcasestr(text, needle);

    if (!at)
        return 3;
    if (at == text)
        return strlen(text) == strlen(needle) ? 0 : 1;
    return 2;
}

/* After the filter text changed: the cursor goes to the best match, an exact name first,
 * then a name that starts with the text, then the shortest name holding it (in the shown
 * order when equal), so Enter after /orders-dlq opens orders-dlq. */
static void cursor_to_best(struct table *t, const struct filter_spec *f)
{
    size_t best = 0, col = f->col == FILTER_ALL ? 0 : (size_t)f->col;
    int best_rank = 4;
    size_t best_len = 0;

    if (f->invert || f->needle[0] == '\0' || t->nshown == 0)
        return;
    for (size_t i = 0; i < t->nshown; i++) {
        const char *text = t->shown[i]->cells[col].text;
        int rank = match_rank(text, f->needle);
        size_t len = strlen(text);

        if (t->shown[i]->heading)
            continue;
        if (rank < best_rank || (rank == best_rank && len < best_len)) {
            best = i;
            best_rank = rank;
            best_len = len;
        }
    }
    set_cursor(t, best);
}

/* The widest cell of each column among the shown rows, measured once per rebuild rather
 * than on every draw. */
static void measure(struct table *t)
{
    for (size_t c = 0; c < t->ncols; c++) {
        int w = t->cols[c].title ? textwidth(t->cols[c].title) + 1 : 1;

        for (size_t i = 0; i < t->nshown; i++) {
            int cw = t->shown[i]->heading ? 0 : textwidth(t->shown[i]->cells[c].text) +
                                                 mark_width(&t->shown[i]->cells[c]);

            if (cw > w)
                w = cw;
        }
        t->natural[c] = w;
    }
}

void table_end(struct table *t, const char *filter)
{
    struct filter_spec f;
    bool typed = false;

    if (!t->building)
        table_begin(t);  /* tolerate an end without a begin: an empty rebuild */
    if (!t->filter || strcmp(t->filter, filter ? filter : "") != 0) {
        free(t->filter);
        t->filter = xstrdup(filter ? filter : "");
        typed = true;
    }
    f = filter_parse(t, t->filter);
    apply_filter(t, &f);
    measure(t);
    sort_shown(t);
    restore_cursor(t);
    /* a new filter text puts the cursor on its best match; a poll (same text) and a
     * cleared filter keep it on its row, so Esc after /name leaves the cursor there */
    if (typed)
        cursor_to_best(t, &f);
    free(t->old_shown);
    t->old_shown = NULL;
    t->old_nshown = 0;
    rowset_clear(&t->old);
    t->building = false;
}

void table_sort(struct table *t, size_t col, bool desc)
{
    if (col >= t->ncols)
        return;
    t->sort_col = col;
    t->sort_desc = desc;
    if (t->building)
        return;  /* table_end sorts */
    sort_shown(t);
    restore_cursor(t);
}

/* ---- keys ------------------------------------------------------------------------------ */

static int move_to(struct table *t, long i)
{
    size_t before = t->cursor;
    const char *before_key = t->nshown ? t->shown[t->cursor]->key : NULL;

    if (t->nshown == 0)
        return VIEW_HANDLED | VIEW_REDRAW;
    if (i < 0)
        i = 0;
    if ((size_t)i >= t->nshown)
        i = (long)t->nshown - 1;
    /* onto a heading: on past it the way the cursor was going (k from a group's first row
     * goes to the previous group's last) */
    set_cursor_dir(t, (size_t)i, (size_t)i < before ? -1 : 1);
    if (t->cursor != before || before_key != t->shown[t->cursor]->key)
        return VIEW_HANDLED | VIEW_REDRAW | VIEW_DETAIL;
    return VIEW_HANDLED | VIEW_REDRAW;
}

static void sort_next(struct table *t)
{
    for (size_t step = 1; step <= t->ncols; step++) {
        size_t c = (t->sort_col + step) % t->ncols;

        if (!t->cols[c].no_sort) {
            table_sort(t, c, t->cols[c].desc_first);
            return;
        }
    }
}

/* Shift+letter (k9s): the column whose sort_key it is; pressed again, the order turns. */
static bool sort_by_letter(struct table *t, int key)
{
    for (size_t c = 0; c < t->ncols; c++) {
        if (t->cols[c].no_sort || !t->cols[c].sort_key || t->cols[c].sort_key != key)
            continue;
        if (t->sort_col == c)
            table_sort(t, c, !t->sort_desc);
        else
            table_sort(t, c, t->cols[c].desc_first);
        return true;
    }
    return false;
}

int table_key(struct table *t, int key)
{
    long page = t->page > 1 ? t->page : 1;
    long cur = (long)t->cursor;

    if (key >= 'A' && key <= 'Z' && key != 'G' && key != 'S' && sort_by_letter(t, key))
        return VIEW_HANDLED | VIEW_REDRAW;
    switch (key) {
    case 'j':
    case VIEW_KEY(KEY_DOWN):
        return move_to(t, cur + 1);
    case 'k':
    case VIEW_KEY(KEY_UP):
        return move_to(t, cur - 1);
    case VIEW_KEY(KEY_NPAGE):
    case VIEW_KEY_CTRL('f'):
        return move_to(t, cur + page);
    case VIEW_KEY(KEY_PPAGE):
    case VIEW_KEY_CTRL('b'):
        return move_to(t, cur - page);
    case 'g':
    case VIEW_KEY(KEY_HOME):
        return move_to(t, 0);
    case 'G':
    case VIEW_KEY(KEY_END):
        return move_to(t, (long)t->nshown - 1);
    case 's':
        if (t->ncols)
            sort_next(t);
        return VIEW_HANDLED | VIEW_REDRAW;
    case 'S':
        table_sort(t, t->sort_col, !t->sort_desc);
        return VIEW_HANDLED | VIEW_REDRAW;
    default:
        return VIEW_UNHANDLED;
    }
}

/* ---- drawing --------------------------------------------------------------------------- */

/* Column widths for a window `width` wide: fixed columns get their width, flex columns
 * their minimum plus a share of what is left, but no more than their widest shown cell
 * (a 200-column terminal must not push the numbers a hundred columns from the names);
 * what a capped column does not need goes to the other flex columns, and what nobody needs
 * stays blank on the right. When the window is too narrow, flex columns give up width
 * first (down to 3), so numbers keep their room. */
static void layout(const struct table *t, int width, int *w)
{
    int used = 0, spare;

    for (size_t i = 0; i < t->ncols; i++) {
        if (t->cols[i].min_window > width) {
            w[i] = -1;   /* not drawn: no room, no separator */
            continue;
        }
        w[i] = t->cols[i].width > 0 ? t->cols[i].width : 1;
        /* a sortable column has room for its title and the sort mark after it, so the
         * mark never cuts the title ("VISIB…▾") */
        if (!t->cols[i].no_sort && t->cols[i].title && w[i] < textwidth(t->cols[i].title) + 1)
            w[i] = textwidth(t->cols[i].title) + 1;
        used += w[i] + (used ? 1 : 0);
    }
    spare = width - used;
    while (spare > 0) {
        int flex_total = 0, given = 0;
        size_t last = t->ncols;

        for (size_t i = 0; i < t->ncols; i++)
            if (t->cols[i].flex > 0 && w[i] >= 0 && w[i] < t->natural[i])
                flex_total += t->cols[i].flex;
        if (flex_total == 0)
            break;
        for (size_t i = 0; i < t->ncols; i++) {
            int add, room;

            if (t->cols[i].flex <= 0 || w[i] < 0 || w[i] >= t->natural[i])
                continue;
            add = spare * t->cols[i].flex / flex_total;
            room = t->natural[i] - w[i];
            if (add > room)
                add = room;
            w[i] += add;
            given += add;
            last = i;
        }
        if (given == 0) {
            /* Shares rounded to nothing: the last column with room takes one. */
            w[last]++;
            given = 1;
        }
        spare -= given;
    }
    if (spare < 0) {
        bool shrunk = true;

        while (spare < 0 && shrunk) {
            shrunk = false;
            for (size_t i = 0; i < t->ncols && spare < 0; i++)
                if (t->cols[i].flex > 0 && w[i] > 3) {
                    w[i]--;
                    spare++;
                    shrunk = true;
                }
        }
    }
}

static void put_fit(WINDOW *win, int y, int x, int maxx, const char *text, int w, bool right,
                    const char *ell, attr_t attr)
{
    char *s;

    if (x >= maxx || w <= 0)
        return;
    if (x + w > maxx)
        w = maxx - x;
    s = textwidth_fit(text, w, ell, right);
    wattrset(win, attr);
    mvwaddstr(win, y, x, s);
    wattrset(win, A_NORMAL);
    free(s);
}

static void draw_header(const struct table *t, const struct view_ctx *ctx, WINDOW *win, int y,
                        const int *w, const char *ell)
{
    int maxx = getmaxx(win), x = 0;
    attr_t attr = view_attr(ctx, THEME_HEADER);

    view_fill_line(win, y, attr);
    for (size_t i = 0; i < t->ncols && x < maxx; i++) {
        const char *title = t->cols[i].title ? t->cols[i].title : "";
        char *txt;

        if (w[i] < 0)
            continue;
        if (i == t->sort_col && !t->cols[i].no_sort) {
            const char *mark = ctx->glyphs->g[t->sort_desc ? GLYPH_SORT_DESC : GLYPH_SORT_ASC];
            char *cut = textwidth_truncate(title, w[i] - 1, ell);

            txt = xasprintf("%s%s", cut, mark);
            free(cut);
        } else {
            txt = xstrdup(title);
        }
        put_fit(win, y, x, maxx, txt, w[i], t->cols[i].right, ell, attr);
        free(txt);
        x += w[i] + 1;
    }
}

static void draw_row(const struct table *t, const struct view_ctx *ctx, WINDOW *win, int y,
                     const struct table_row *r, bool selected, const int *w, const char *ell)
{
    int maxx = getmaxx(win), x = 0;
    attr_t row_attr = r->style != NO_STYLE ? view_attr(ctx, (enum theme_element)r->style) : A_NORMAL;
    attr_t sel = view_attr(ctx, THEME_SELECTION);

    /* The cursor row: the selection style over the row's own attributes (its colour pair
     * gives way, a pair cannot be blended; bold or dim stays). */
    if (selected)
        row_attr = sel | (row_attr & ~A_COLOR);
    view_fill_line(win, y, row_attr);
    if (r->heading) {
        put_fit(win, y, 0, maxx, r->cells[0].text, maxx, false, ell,
                view_attr(ctx, THEME_TITLE));
        return;
    }
    for (size_t i = 0; i < t->ncols && x < maxx; i++) {
        attr_t a = row_attr;

        if (w[i] < 0)
            continue;
        if (r->cells[i].style != NO_STYLE) {
            a = view_attr(ctx, (enum theme_element)r->cells[i].style);
            if (selected)
                a = sel | (a & ~A_COLOR);
        }
        if (r->cells[i].mark && !t->cols[i].right && w[i] > mark_width(&r->cells[i])) {
            /* the text gives way, the mark stays: "orders-intake-wo… ⏸" */
            int mw = mark_width(&r->cells[i]), tw = textwidth(r->cells[i].text);
            attr_t ma = a;

            if (tw > w[i] - mw)
                tw = w[i] - mw;
            put_fit(win, y, x, maxx, r->cells[i].text, tw, false, ell, a);
            if (r->cells[i].mark_style != NO_STYLE) {
                ma = view_attr(ctx, (enum theme_element)r->cells[i].mark_style);
                if (selected)
                    ma = sel | (ma & ~A_COLOR);
            }
            put_fit(win, y, x + tw + 1, maxx, r->cells[i].mark, mw - 1, false, ell, ma);
        } else {
            put_fit(win, y, x, maxx, r->cells[i].text, w[i], t->cols[i].right, ell, a);
        }
        x += w[i] + 1;
    }
}

void table_draw(struct table *t, const struct view_ctx *ctx, WINDOW *win, int y, int h,
                const char *empty)
{
    int maxx = getmaxx(win), rows;
    const char *ell = ctx->glyphs ? ctx->glyphs->g[GLYPH_ELLIPSIS] : "~";
    int *w;

    if (h <= 0 || maxx <= 0)
        return;
    w = xmalloc((t->ncols ? t->ncols : 1) * sizeof *w);
    layout(t, maxx, w);
    draw_header(t, ctx, win, y, w, ell);
    rows = h - 1;
    t->page = rows > 0 ? rows : 1;
    t->ndrawn = 0;
    for (int i = 0; i < rows; i++)
        view_fill_line(win, y + 1 + i, A_NORMAL);
    if (t->nshown == 0) {
        if (rows > 0 && empty)
            view_text(win, y + 1, 1, maxx - 1, empty, view_attr(ctx, THEME_DIM));
        free(w);
        return;
    }
    /* Scroll just enough to keep the cursor in sight, and never leave blank rows at the
     * bottom while rows above are hidden (after a resize or rows removed). */
    if (rows > 0) {
        if (t->cursor < t->top)
            t->top = t->cursor;
        /* the first row of a group brings its heading into sight with it */
        if (t->cursor == t->top && t->top > 0 && t->shown[t->top - 1]->heading && rows > 1)
            t->top--;
        if (t->cursor >= t->top + (size_t)rows)
            t->top = t->cursor - (size_t)rows + 1;
        if (t->nshown > (size_t)rows && t->top > t->nshown - (size_t)rows)
            t->top = t->nshown - (size_t)rows;
        if (t->nshown <= (size_t)rows)
            t->top = 0;
        for (int i = 0; i < rows && t->top + (size_t)i < t->nshown; i++) {
            size_t at = t->top + (size_t)i;

            draw_row(t, ctx, win, y + 1 + i, t->shown[at], at == t->cursor, w, ell);
            t->ndrawn++;
        }
    }
    free(w);
}

/* ---- reading --------------------------------------------------------------------------- */

size_t table_on_screen(const struct table *t, const char **keys, size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i < t->ndrawn && n < max && t->top + i < t->nshown; i++)
        keys[n++] = table_row_key(t, t->top + i);
    return n;
}

size_t table_sort_column(const struct table *t, bool *desc)
{
    if (desc)
        *desc = t->sort_desc;
    return t->sort_col;
}

const char *table_selected_key(const struct table *t)
{
    return t->nshown ? t->shown[t->cursor]->key : NULL;
}

bool table_select(struct table *t, const char *key)
{
    long at = find_shown(t, key);

    if (at < 0)
        return false;
    set_cursor(t, (size_t)at);
    return true;
}

size_t table_shown(const struct table *t)
{
    return t->nshown;
}

size_t table_total(const struct table *t)
{
    return t->cur.n;
}

const char *table_cell_text(const struct table *t, size_t row, size_t col)
{
    if (row >= t->nshown || col >= t->ncols)
        return NULL;
    return t->shown[row]->cells[col].text;
}

const char *table_row_key(const struct table *t, size_t row)
{
    return row < t->nshown ? t->shown[row]->key : NULL;
}
