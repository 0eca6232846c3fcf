/* frame.c - header, footer and status texts, and drawing a frame line (frame.h). */
#include "config.h"
#include "ui/frame.h"

#include <stdlib.h>
#include <string.h>

#include "util/textwidth.h"
#include "util/xalloc.h"

const struct view_keyhelp frame_keys[] = {
    {":", "command line, Tab completes (the commands are listed below)"},
    {"/", "filter by name as you type; COLUMN:text looks in that column (dlq:orders), "
          "*:text in all of them, !text keeps the rows that do not match; Enter keeps the "
          "filter, Esc clears it; the cursor goes to the best match, an exact name first"},
    {"?", "this help (j/k PgDn scroll it)"},
    {"r", "refresh now"},
    {"1-9", "open a view by its number"},
    {"y", "copy what the cursor is on to the clipboard with OSC 52 (in tmux: "
          "set -g set-clipboard on)"},
    {"Esc", "clear the view's filter, else back"},
    {"q", "back (at the first view: quit)"},
    {"Ctrl-L", "redraw the screen"},
    {"Ctrl-C", "quit"},
    {NULL, NULL},
};

char *frame_identity_from_arn(const char *arn)
{
    const char *p = arn;

    if (!arn)
        return NULL;
    /* arn:partition:service:region:account:resource */
    for (int colons = 0; colons < 5; colons++) {
        p = strchr(p, ':');
        if (!p)
            return xstrdup(arn);
        p++;
    }
    return xstrdup(*p ? p : arn);
}

char *frame_header_text(const struct frame_header *h, int cols, const char *ellipsis)
{
    char *fixed_left, *fixed_right, *ident = NULL, *line, *out;
    int room;

    if (cols <= 0)
        return xstrdup("");
    fixed_left = xasprintf(" %s", h->account ? h->account : "account ?");
    if (h->refreshing && !h->countdown) {   /* none held yet: nothing to count down */
        fixed_right = xasprintf("profile %s  %s  refreshing credentials",
                                h->profile ? h->profile : "?",
                                h->region ? h->region : "no region");
    } else {
        fixed_right = xasprintf("profile %s  %s  %s %s%s", h->profile ? h->profile : "?",
                                h->region ? h->region : "no region",
                                h->countdown_what ? h->countdown_what : "creds",
                                h->countdown ? h->countdown : "?",
                                h->refreshing ? "  refreshing credentials" : "");
        if (h->refreshing && textwidth(fixed_left) + 2 + textwidth(fixed_right) > cols) {
            /* the short form keeps the countdown whole at 80 columns */
            free(fixed_right);
            fixed_right = xasprintf("profile %s  %s  %s %s refreshing",
                                    h->profile ? h->profile : "?",
                                    h->region ? h->region : "no region",
                                    h->countdown_what ? h->countdown_what : "creds",
                                    h->countdown);
        }
    }
    /* what is left for the identity between the two, with two spaces either side */
    room = cols - textwidth(fixed_left) - textwidth(fixed_right) - 4;
    if (h->identity && *h->identity && room >= 6)
        ident = textwidth_truncate(h->identity, room, ellipsis);
    if (ident)
        line = xasprintf("%s  %s  %s", fixed_left, ident, fixed_right);
    else
        line = xasprintf("%s  %s", fixed_left, fixed_right);
    out = textwidth_truncate(line, cols, ellipsis);
    free(ident);
    free(line);
    free(fixed_left);
    free(fixed_right);
    return out;
}

char *frame_footer_text(const struct view_keyhelp *keys, const char *filter, int cols,
                        const char *ellipsis)
{
    static const char framework[] = ": cmd  / filter  ? help  q back";
    size_t cap = 256, len = 0;
    char *buf = xmalloc(cap), *out;
    int fw = (int)sizeof(framework) - 1;

    buf[0] = '\0';
    /* an active filter first: rows are hidden, and the view's title does not say so */
    if (filter && *filter) {
        char *f = xasprintf(" /%s (Esc clears)", filter);
        char *cut = textwidth_truncate(f, cols / 2, ellipsis);

        len = strlen(cut);
        if (len + 1 > cap)
            buf = xrealloc(buf, cap = len + 1);
        memcpy(buf, cut, len + 1);
        free(cut);
        free(f);
    }
    /* the view's keys first, as many whole entries as fit before the framework's */
    for (size_t i = 0; keys && keys[i].keys; i++) {
        /* the footer is a reminder, `?` has the whole text: "details: attributes, ..."
         * shows as "details" */
        const char *what = keys[i].what ? keys[i].what : "";
        int wl = (int)strcspn(what, ":(,;");
        while (wl > 0 && what[wl - 1] == ' ')
            wl--;
        char *item = xasprintf("%s%s %.*s", len ? "  " : " ", keys[i].keys, wl, what);
        size_t il = strlen(item);

        if (textwidth(buf) + textwidth(item) + 4 + fw > cols) {  /* "  | " */
            free(item);
            break;
        }
        if (len + il + 1 > cap) {
            cap = 2 * (len + il + 1);
            buf = xrealloc(buf, cap);
        }
        memcpy(buf + len, item, il + 1);
        len += il;
        free(item);
    }
    out = xasprintf("%s%s%s", buf, len ? "  | " : " ", framework);
    free(buf);
    buf = textwidth_truncate(out, cols, ellipsis);
    free(out);
    return buf;
}

void frame_draw_line(WINDOW *w, const char *text, attr_t attr)
{
    int cols = getmaxx(w);

    wattrset(w, attr);
    /* the whole row in the style first; the last cell of a window returns ERR (the cursor
     * cannot advance past it without scrolling) but is written all the same */
    for (int x = 0; x < cols; x++)
        mvwaddch(w, 0, x, ' ');
    mvwaddstr(w, 0, 0, text);
    wattrset(w, A_NORMAL);
}
