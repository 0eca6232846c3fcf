/* keys.c - wget_wch() results as view.h key codes (keys.h). */
#include "config.h"
#include "ui/keys.h"

#include <curses.h>

#include "view.h"

int keys_from_curses(int rc, wint_t wc)
{
    if (rc == KEY_CODE_YES) {
        if (wc == KEY_ENTER)
            return '\n';
        return VIEW_KEY((int)wc);
    }
    if (rc != OK)
        return -1;
    if (wc == '\r')
        return '\n';
    if (wc == 127)
        return VIEW_KEY(KEY_BACKSPACE);
    return (int)wc;
}

int keys_read_all(void *w, int *keys, int max)
{
    int n = 0;

    while (n < max) {
        wint_t wc;
        int rc = wget_wch((WINDOW *)w, &wc);
        int k = keys_from_curses(rc, wc);

        if (rc == ERR)
            break;
        if (k >= 0)
            keys[n++] = k;
    }
    return n;
}
