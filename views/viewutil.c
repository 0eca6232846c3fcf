/* viewutil.c - small drawing helpers every view uses (view.h): theme attributes, untrusted
 * text written safely, full-width lines. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ui/glyph.h"
#include "util/sanitize.h"
#include "util/textwidth.h"
#include "ui/theme_curses.h"
#include "view.h"

attr_t view_attr(const struct view_ctx *ctx, enum theme_element e)
{
    if ((int)e < 0 || e >= THEME_N_ELEMENTS)
        return A_NORMAL;
    if (!ctx || !ctx->styles)
        /* No theme lent (a test, or a view drawn before the theme loaded): the cursor must
         * still be visible. */
        return e == THEME_SELECTION ? A_REVERSE : A_NORMAL;
    return theme_curses_attr(ctx->styles, e, ctx->colour);
}

int view_text(WINDOW *w, int y, int x, int cols, const char *text, attr_t attr)
{
    int maxx, maxy, n;
    char *clean, *cut;

    if (!w || !text)
        return 0;
    getmaxyx(w, maxy, maxx);
    if (y < 0 || y >= maxy || x < 0 || x >= maxx || cols <= 0)
        return 0;
    if (cols > maxx - x)
        cols = maxx - x;
    /* The ellipsis follows the locale (as the glyph table the console chose does), since
     * this helper is not lent the view's glyphs. */
    clean = sanitize_text(text, strlen(text));
    cut = textwidth_truncate(clean, cols, glyphs_select(false)->g[GLYPH_ELLIPSIS]);
    n = textwidth(cut);
    wattrset(w, attr);
    mvwaddstr(w, y, x, cut);
    wattrset(w, A_NORMAL);
    free(cut);
    free(clean);
    return n;
}

void view_fill_line(WINDOW *w, int y, attr_t attr)
{
    int maxx, maxy;

    if (!w)
        return;
    getmaxyx(w, maxy, maxx);
    if (y < 0 || y >= maxy)
        return;
    /* whline neither moves the cursor nor scrolls, even on the bottom-right cell. */
    mvwhline(w, y, 0, ' ' | attr, maxx);
}
