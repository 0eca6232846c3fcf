/* table.h - the list every view is made of: columns, rows keyed by a stable key, the `/`
 * filter, sort by column, a cursor that stays on its row across refreshes (tmux's
 * mode-tree.c carries its cursor over by tag), scrolling, and drawing.
 *
 * A view rebuilds its rows from the store on each update:
 *     table_begin(t);
 *     for each resource: r = table_add(t, key); table_cell(r, COL_NAME, name, NAN); ...
 *     table_end(t, ctx->filter);
 * table_end filters, sorts and puts the cursor back on the row with the same key (or, when
 * that row is gone, on the row that now sits where it was). Cell text may be untrusted: the
 * table copies it through sanitize_text() before it is ever measured or drawn. */
#ifndef OPSDECK_TABLE_H
#define OPSDECK_TABLE_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "look/theme.h"
#include "view.h"

struct table_col {
    const char *title;  /* column header ("VISIBLE") */
    int width;          /* columns it needs at least; the title is cut to it */
    int flex;           /* share of the spare width (0: fixed); names take the rest */
    bool right;         /* right-aligned (numbers) */
    bool no_sort;       /* `s` skips it (sparklines) */
    bool desc_first;    /* the first sort on it is descending (depths: biggest first) */
    int sort_key;       /* the Shift+letter that sorts by it ('V'), 0 none; never G or S
                           (last row, reverse); the view lists them in its `?` help */
    int min_window;     /* drawn only in a window at least this wide (0: always): detail
                           that 80 columns cannot spare; best no_sort, as `s` cannot show it */
};

struct table;
struct table_row;

/* cols is borrowed and must outlive the table (views pass a static const array). */
struct table *table_new(const struct table_col *cols, size_t ncols);
void table_free(struct table *t);

void table_begin(struct table *t);
/* A row for key (copied). Keys must be unique within one rebuild. */
struct table_row *table_add(struct table *t, const char *key);
/* text: shown (sanitised copy; NULL shows ""); sortval: the value to sort by, NAN to sort
 * by the text (strcoll); unknown numbers sort after every known one in either order. */
void table_cell(struct table_row *r, size_t col, const char *text, double sortval);
/* Text that the view made itself and that must not be escaped (sparklines, glyphs). */
void table_cell_raw(struct table_row *r, size_t col, const char *text, double sortval);
/* A glyph the view made (not escaped, not matched by the filter, not sorted by) drawn one
 * space after a left-aligned cell's text: when the column is too narrow the text is cut
 * and the mark stays ("orders-intake-wo… ⏸", a queue's paused consumer). e styles the mark
 * alone (THEME_N_ELEMENTS: as the cell); NULL or "" removes it. */
void table_cell_mark(struct table_row *r, size_t col, const char *glyph, enum theme_element e);
/* The element the row is drawn with (THEME_CRITICAL for a DLQ holding messages); the
 * selection style is laid over it for the cursor row. Default: none (plain). */
void table_row_style(struct table_row *r, enum theme_element e);
void table_cell_style(struct table_row *r, size_t col, enum theme_element e);
/* Rows with a lower rank come first whatever the sort (critical DLQs first). Default 0. */
void table_row_rank(struct table_row *r, int rank);
/* Makes r the heading of the rows of its rank: drawn across the columns (column 0's text)
 * in the title style, before them whatever the sort, shown only while one of them passes
 * the filter (which never matches a heading itself), and never under the cursor. */
void table_row_heading(struct table_row *r);
/* Filter, case ignored: "text" keeps the rows whose name (column 0) holds text;
 * "COLUMN:text" looks in the column of that title (spaces ignored: "dlq:orders",
 * "inflight:0"), "*:text" in every column but the view's own glyphs; "!..." keeps the rows
 * that do not match; "" or NULL keeps every row. When the filter text changed since the
 * last table_end, the cursor goes to the best match (an exact name, then one starting with
 * the text, then the shortest holding it); otherwise it stays on its row by key. */
void table_end(struct table *t, const char *filter);

/* Navigation and sorting: j/k, arrows, PgUp/PgDn (and Ctrl-B/Ctrl-F), g/G, Home/End move
 * the cursor; `s` sorts by the next sortable column, `S` reverses the order, a column's
 * sort_key sorts by it (again: reversed). Returns
 * VIEW_HANDLED | VIEW_REDRAW (and VIEW_DETAIL when the cursor moved), VIEW_UNHANDLED for
 * any other key. page is the number of rows shown (from the last draw). */
int table_key(struct table *t, int key);
/* The `/` filter is plain text looked for in the name column: not inverted ("!"), naming
 * no column ("COLUMN:", "*:"), not empty. */
bool table_filter_plain(const struct table *t, const char *filter);
/* Sort by column col (descending or not); the view's default before any `s`. */
void table_sort(struct table *t, size_t col, bool desc);
/* The column sorted by, and whether descending (for the view's title line). */
size_t table_sort_column(const struct table *t, bool *desc);

/* Draws the header line and the rows into win at rows y..y+h-1, full width, with the
 * scroll position keeping the cursor visible. A sort mark (glyph) follows the sorted
 * column's title; a sortable column is never narrower than its title and the mark. An empty table shows `empty` (e.g. "no queues", "no match for /x"). */
void table_draw(struct table *t, const struct view_ctx *ctx, WINDOW *win, int y, int h,
                const char *empty);

const char *table_selected_key(const struct table *t);  /* NULL when empty */
/* The keys of the rows drawn at the last draw, top first, at most max (borrowed, valid until
 * the next rebuild); how many. */
size_t table_on_screen(const struct table *t, const char **keys, size_t max);
bool table_select(struct table *t, const char *key);      /* false when not shown */
size_t table_shown(const struct table *t);   /* rows after the filter */
size_t table_total(const struct table *t);   /* rows before it */
/* The shown row i's cell text (sanitised) and key, for tests and the detail pane. */
const char *table_cell_text(const struct table *t, size_t row, size_t col);
const char *table_row_key(const struct table *t, size_t row);

#endif
