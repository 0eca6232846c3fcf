/* keys.h - terminal input as view.h's key codes, one mapping for the terminal and for the
 * headless script, so a script types exactly what a keyboard would. */
#ifndef OPSDECK_KEYS_H
#define OPSDECK_KEYS_H

#include <wchar.h>

/* A wget_wch() result (rc OK or KEY_CODE_YES, and the character) as a view.h key:
 * Enter (\r, \n, KEY_ENTER) is '\n'; DEL (127) and KEY_BACKSPACE are
 * VIEW_KEY(KEY_BACKSPACE); Ctrl-H stays 8 (the line editor treats it as Backspace too);
 * other function keys are VIEW_KEY(code); characters are their code points. -1 for ERR. */
int keys_from_curses(int rc, wint_t wc);

/* Reads every key ncurses has buffered (w must be in nodelay mode) into keys[0..max).
 * Returns how many; stops at max (the rest stays buffered, the loop comes back at once). */
int keys_read_all(void *w, int *keys, int max);

#endif
