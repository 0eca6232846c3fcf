/* screen_test.h - headless curses for unit tests of views (tig's test mode: newterm() on
 * /dev/null). Shared by test_table, test_view_sqs, test_view_dlq, test_view_overview...
 *
 *     struct screen_test *st = screen_test_new(80, 24);   // UTF-8 locale, TERM xterm-256color
 *     struct view_ctx ctx;
 *     screen_test_ctx(st, &ctx, store, cfg, false);       // mono theme, UTF-8 glyphs
 *     view.draw(priv, &ctx, st->win);
 *     char *row = screen_test_row(st->win, 3);            // row 3 as UTF-8, trailing blanks cut
 *     int col = screen_test_col(row, "1234");             // display column of "1234", -1 absent
 *     int y = screen_test_find(st->win, "orders");        // first row containing it, -1 none
 *     screen_test_row_has(st->win, y, "12"), screen_test_find_or_dump(st->win, "x"): the
 *     same, with the screen on stderr when the text is not there
 *     screen_test_dump(st->win, stderr);                  // the whole screen, for a failure
 *     free(row); screen_test_free(st);
 *
 * Everything is static inline so that each test program includes it without a library.
 * Nothing is ever written to a real terminal: output goes to /dev/null and input comes from
 * /dev/null; the window's cells are read back with mvwinnwstr, which yields each wide
 * character once and keeps combining marks with their base. */
#ifndef OPSDECK_SCREEN_TEST_H
#define OPSDECK_SCREEN_TEST_H

#include <curses.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "look/glyph.h"
#include "util/textwidth.h"
#include "look/theme.h"
#include "look/theme_curses.h"
#include "view.h"

struct screen_test {
    SCREEN *scr;
    FILE *out, *in;
    WINDOW *win;    /* cols x lines, at 0,0: what a view is given */
    int cols, lines;
    bool colour;    /* start_color() succeeded */
    struct theme_style styles[THEME_N_ELEMENTS];
};

/* A terminal of cols x lines. Aborts the test (Check's fork mode reports it) when curses
 * cannot start: a test that cannot look at the screen must not pass. */
static inline struct screen_test *screen_test_new(int cols, int lines)
{
    struct screen_test *st = calloc(1, sizeof *st);
    char buf[16];

    if (!st || !setlocale(LC_ALL, "C.UTF-8"))
        abort();
    /* The size comes from the environment (no tty to ask); resizeterm makes sure. */
    snprintf(buf, sizeof buf, "%d", cols);
    setenv("COLUMNS", buf, 1);
    snprintf(buf, sizeof buf, "%d", lines);
    setenv("LINES", buf, 1);
    st->out = fopen("/dev/null", "w");
    st->in = fopen("/dev/null", "r");
    if (!st->out || !st->in)
        abort();
    st->scr = newterm("xterm-256color", st->out, st->in);
    if (!st->scr) {
        fprintf(stderr, "screen_test: newterm(xterm-256color) failed\n");
        abort();
    }
    set_term(st->scr);
    resizeterm(lines, cols);
    st->cols = cols;
    st->lines = lines;
    st->win = newwin(lines, cols, 0, 0);
    if (!st->win)
        abort();
    if (has_colors() && start_color() == OK) {
        use_default_colors();
        st->colour = true;
    }
    return st;
}

static inline void screen_test_free(struct screen_test *st)
{
    if (!st)
        return;
    delwin(st->win);
    endwin();
    delscreen(st->scr);
    fclose(st->out);
    fclose(st->in);
    free(st);
}

/* Fills ctx as the framework would: the store and config given (either may be NULL), UTF-8
 * glyphs, a theme (colour: a few coloured elements with pairs applied; else the built-in
 * monochrome theme, attributes only), now_ms from the store's clock, no filter. */
static inline void screen_test_ctx(struct screen_test *st, struct view_ctx *ctx,
                                   const struct store *store, const struct appconfig *cfg,
                                   bool colour)
{
    struct theme th;

    memset(ctx, 0, sizeof *ctx);
    if (colour) {
        theme_init(&th);
        theme_load_string(&th, "screen_test",
                          "[elements]\nheader = white blue bold\nwarn = yellow default\n"
                          "critical = red default bold\nstale = color244 default dim\n"
                          "selection = black cyan\ntitle = default default bold\n");
        theme_resolve(&th, 256, st->styles);
        theme_done(&th);
        if (st->colour)
            theme_curses_apply(st->styles);
    } else {
        theme_init_builtin_mono(&th);
        theme_resolve(&th, 0, st->styles);
        theme_done(&th);
    }
    ctx->store = store;
    ctx->cfg = cfg;
    ctx->glyphs = &glyphs_utf8;
    ctx->styles = st->styles;
    ctx->colour = colour && st->colour;
    ctx->now_ms = store ? store_now(store) : 0;
    ctx->filter = "";
    ctx->profile = "test";
    ctx->region = "us-east-1";
}

/* Row y of w as UTF-8 text (what a user sees on that line), trailing blanks cut. The
 * caller frees. Returns "" (allocated) for a row outside the window. */
static inline char *screen_test_row(WINDOW *w, int y)
{
    int maxx = getmaxx(w) > 0 ? getmaxx(w) : 1;
    wchar_t *ws = calloc((size_t)maxx * 6 + 1, sizeof *ws);
    size_t n;
    char *out;

    if (!ws)
        abort();
    if (y < 0 || y >= getmaxy(w) || mvwinnwstr(w, y, 0, ws, maxx * 6) == ERR)
        ws[0] = L'\0';
    n = wcstombs(NULL, ws, 0);
    if (n == (size_t)-1)
        abort();
    out = malloc(n + 1);
    if (!out)
        abort();
    wcstombs(out, ws, n + 1);
    free(ws);
    while (n > 0 && out[n - 1] == ' ')
        out[--n] = '\0';
    return out;
}

/* The display column where needle starts in row text, -1 when absent. */
static inline int screen_test_col(const char *row, const char *needle)
{
    const char *p = strstr(row, needle);
    char *prefix;
    int col;

    if (!p)
        return -1;
    prefix = strndup(row, (size_t)(p - row));
    col = textwidth(prefix);
    free(prefix);
    return col;
}

/* The first row (from `from`) whose text contains needle, -1 when none. */
static inline int screen_test_find_from(WINDOW *w, int from, const char *needle)
{
    for (int y = from; y < getmaxy(w); y++) {
        char *row = screen_test_row(w, y);
        bool hit = strstr(row, needle) != NULL;

        free(row);
        if (hit)
            return y;
    }
    return -1;
}

static inline int screen_test_find(WINDOW *w, const char *needle)
{
    return screen_test_find_from(w, 0, needle);
}

/* The curses attributes of the cell at (y, x), to check a style was applied. */
static inline attr_t screen_test_attr(WINDOW *w, int y, int x)
{
    cchar_t c;
    wchar_t wc[CCHARW_MAX + 1];
    attr_t a = 0;
    short pair = 0;

    if (mvwin_wch(w, y, x, &c) == ERR)
        return 0;
    getcchar(&c, wc, &a, &pair, NULL);
    return a;
}

/* The whole window, one row per line between bars, for a failing test's log. */
static inline void screen_test_dump(WINDOW *w, FILE *f)
{
    for (int y = 0; y < getmaxy(w); y++) {
        char *row = screen_test_row(w, y);

        fprintf(f, "# %2d|%s|\n", y, row);
        free(row);
    }
}

/* screen_test_find, and the screen on stderr when needle is not on it (the failing test's
 * log then shows what was drawn instead). */
static inline int screen_test_find_or_dump(WINDOW *w, const char *needle)
{
    int y = screen_test_find(w, needle);

    if (y < 0) {
        fprintf(stderr, "# \"%s\" not on screen:\n", needle);
        screen_test_dump(w, stderr);
    }
    return y;
}

/* Whether row y holds needle; when not, the screen on stderr. */
static inline bool screen_test_row_has(WINDOW *w, int y, const char *needle)
{
    char *row = screen_test_row(w, y);
    bool hit = strstr(row, needle) != NULL;

    free(row);
    if (!hit) {
        fprintf(stderr, "# row %d lacks \"%s\":\n", y, needle);
        screen_test_dump(w, stderr);
    }
    return hit;
}

#endif
