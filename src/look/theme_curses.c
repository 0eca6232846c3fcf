/* theme_curses.c - the thin mapping from resolved styles to ncurses. Kept apart from
 * theme.c so that parsing and colour degradation are tested without a terminal. */
#include "config.h"
#include "look/theme_curses.h"

attr_t theme_curses_attrs(unsigned attrs)
{
    attr_t a = A_NORMAL;

    if (attrs & THEME_ATTR_BOLD)
        a |= A_BOLD;
    if (attrs & THEME_ATTR_DIM)
        a |= A_DIM;
    if (attrs & THEME_ATTR_UNDERLINE)
        a |= A_UNDERLINE;
    if (attrs & THEME_ATTR_REVERSE)
        a |= A_REVERSE;
    if (attrs & THEME_ATTR_BLINK)
        a |= A_BLINK;
    if (attrs & THEME_ATTR_ITALIC)
        a |= A_ITALIC;
    if (attrs & THEME_ATTR_STANDOUT)
        a |= A_STANDOUT;
    return a;
}

short theme_curses_pair(enum theme_element e)
{
    return (short)(e + 1);
}

int theme_curses_apply(const struct theme_style resolved[THEME_N_ELEMENTS])
{
    int rc = 0;

    if (!has_colors())
        return 0;
    /* pair 0, every cell drawn without a pair: the theme's screen colours */
    if (assume_default_colors(resolved[THEME_NORMAL].fg, resolved[THEME_NORMAL].bg) == ERR)
        rc = -1;
    for (int i = 0; i < THEME_N_ELEMENTS; i++)
        if (init_pair(theme_curses_pair(i), (short)resolved[i].fg,
                      (short)resolved[i].bg) == ERR)
            rc = -1;
    return rc;
}

attr_t theme_curses_attr(const struct theme_style resolved[THEME_N_ELEMENTS],
                         enum theme_element e, bool colour)
{
    attr_t a = theme_curses_attrs(resolved[e].attrs);

    if (colour)
        a |= (attr_t)COLOR_PAIR(theme_curses_pair(e));
    return a;
}
