/* theme_curses.h - resolved theme styles (theme.h) turned into ncurses colour pairs and
 * attributes. The only part of the theme module that knows curses. */
#ifndef OPSDECK_THEME_CURSES_H
#define OPSDECK_THEME_CURSES_H

#include <curses.h>

#include "look/theme.h"

/* THEME_ATTR_* bits as curses attributes (pure: no terminal needed). */
attr_t theme_curses_attrs(unsigned attrs);

/* Pair number of an element: element + 1 (pair 0 is the theme's normal element: the
 * terminal's own colours unless the theme paints the screen). */
short theme_curses_pair(enum theme_element e);

/* init_pair() for every element; call after start_color() and use_default_colors() (so
 * that -1 means the terminal's own colour). Without colours (has_colors() false), does
 * nothing and the attributes alone are used. Returns 0, or -1 when a pair was refused. */
int theme_curses_apply(const struct theme_style resolved[THEME_N_ELEMENTS]);

/* The attributes to draw element e with: its pair (when colours are on) and its attrs. */
attr_t theme_curses_attr(const struct theme_style resolved[THEME_N_ELEMENTS],
                         enum theme_element e, bool colour);

#endif
