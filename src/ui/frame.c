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

/* The identity without its type, which the role and the session (or the user's name) say
 * well enough: "assumed-role/Ops/alice" -> "Ops/alice", "user/eng/alice" -> "alice". */
static const char *identity_name(const char *id)
{
    static const char role[] = "assumed-role/";
    const char *first = strchr(id, '/'), *last = strrchr(id, '/');

    if (!first || !last[1])
        return id;
    if (!strncmp(id, role, sizeof(role) - 1))
        return first + 1;
    return last + 1;
}

enum header_refresh { REFRESH_LONG, REFRESH_SHORT, REFRESH_NONE };
enum header_banners { BANNERS_WHOLE, BANNER_PROD_SHORT, BANNERS_SHORT };

/* How much of the header is kept, one form per step. */
struct header_form {
    enum header_refresh refresh;  /* after the countdown: "  refreshing credentials",
                                     " refreshing" or nothing; with no countdown to show,
                                     "refreshing credentials" stands for it, and only
                                     the narrowest forms say just "refreshing" */
    bool ident_name;              /* the identity without its type */
    enum header_banners banners;  /* " PROD " first, then " RO " too */
    bool profile_bare;            /* the profile's name without "profile " */
    int ident_min;                /* 0: the identity whole or not at all; > 0: cut, in at
                                     least that many columns; < 0: left out */
};

#define IDENT_ROOM 16   /* enough to tell OnCallAdmin… from OrganizationAcc… */

/* The order in which the header gives way when it does not fit, the first form that fits
 * being drawn: "refreshing credentials" becomes "refreshing"; the identity loses its type
 * ("assumed-role/", "user/"); the banners take their short forms, PROD first (its red says
 * production), then RO; the identity is cut, keeping at least IDENT_ROOM columns; the "profile" label
 * goes; "refreshing" goes; the identity is cut down to 6 columns, then left out. Past the
 * last form the line is cut at its end, the account first to stay. So at 80 columns with
 * both banners and a refresh running, account, identity, profile, region and countdown all
 * show; a wide terminal gets the first form, every part whole. */
static const struct header_form header_forms[] = {
    {.refresh = REFRESH_LONG},
    {.refresh = REFRESH_SHORT},
    {.refresh = REFRESH_SHORT, .ident_name = true},
    {.refresh = REFRESH_SHORT, .ident_name = true, .banners = BANNER_PROD_SHORT},
    {.refresh = REFRESH_SHORT, .ident_name = true, .banners = BANNERS_SHORT},
    {.refresh = REFRESH_SHORT, .ident_name = true, .banners = BANNERS_SHORT,
     .ident_min = IDENT_ROOM},
    {.refresh = REFRESH_SHORT, .ident_name = true, .banners = BANNERS_SHORT,
     .profile_bare = true, .ident_min = IDENT_ROOM},
    {.refresh = REFRESH_NONE, .ident_name = true, .banners = BANNERS_SHORT,
     .profile_bare = true, .ident_min = IDENT_ROOM},
    {.refresh = REFRESH_SHORT, .ident_name = true, .banners = BANNERS_SHORT,
     .profile_bare = true, .ident_min = 6},
    {.refresh = REFRESH_NONE, .ident_name = true, .banners = BANNERS_SHORT,
     .profile_bare = true, .ident_min = 6},
    {.refresh = REFRESH_SHORT, .ident_name = true, .banners = BANNERS_SHORT,
     .profile_bare = true, .ident_min = -1},
    {.refresh = REFRESH_NONE, .ident_name = true, .banners = BANNERS_SHORT,
     .profile_bare = true, .ident_min = -1},
};

/* The header's text in form f, for the columns the banners leave; NULL when the form shows
 * the identity and cols has no room for it. */
static char *header_compose(const struct frame_header *h, const struct header_form *f,
                            int cols, const char *ellipsis)
{
    const char *profile = h->profile ? h->profile : "?";
    const char *region = h->region ? h->region : "no region";
    char *left, *right, *ident = NULL, *line;
    int room;

    left = xasprintf(" %s", h->account ? h->account : "account ?");
    if (h->refreshing && !h->countdown)   /* none held yet: nothing to count down */
        right = xasprintf("%s%s  %s  refreshing%s", f->profile_bare ? "" : "profile ", profile,
                          region, f->refresh != REFRESH_NONE ? " credentials" : "");
    else
        right = xasprintf("%s%s  %s  %s %s%s", f->profile_bare ? "" : "profile ", profile,
                          region, h->countdown_what ? h->countdown_what : "creds",
                          h->countdown ? h->countdown : "?",
                          !h->refreshing ? "" :
                          f->refresh == REFRESH_LONG ? "  refreshing credentials" :
                          f->refresh == REFRESH_SHORT ? " refreshing" : "");
    /* what is left for the identity between the two, with two spaces either side */
    room = cols - textwidth(left) - textwidth(right) - 4;
    if (h->identity && *h->identity && f->ident_min >= 0) {
        const char *id = f->ident_name ? identity_name(h->identity) : h->identity;

        if (textwidth(id) <= room || (f->ident_min > 0 && room >= f->ident_min)) {
            ident = textwidth_truncate(id, room, ellipsis);
        } else {
            /* this form has no room for it: a later one gives way more */
            free(left);
            free(right);
            return NULL;
        }
    }
    if (ident)
        line = xasprintf("%s  %s  %s", left, ident, right);
    else
        line = xasprintf("%s  %s", left, right);
    free(ident);
    free(left);
    free(right);
    return line;
}

void frame_header_layout(struct frame_header_line *line, const struct frame_header *h,
                         int cols, const char *ellipsis)
{
    size_t nforms = sizeof(header_forms) / sizeof(header_forms[0]);

    memset(line, 0, sizeof(*line));
    for (size_t i = 0; i < nforms && cols > 0; i++) {
        const struct header_form *f = &header_forms[i];
        bool ro_short = f->banners == BANNERS_SHORT;
        char *text;
        int banners;

        line->prod = !h->production ? NULL :
                     f->banners != BANNERS_WHOLE ? FRAME_PROD_BANNER_SHORT : FRAME_PROD_BANNER;
        line->ro = !h->read_only ? NULL :
                   h->production ? (ro_short ? FRAME_READONLY_BANNER_SHORT_AFTER_PROD
                                             : FRAME_READONLY_BANNER_AFTER_PROD) :
                   ro_short ? FRAME_READONLY_BANNER_SHORT : FRAME_READONLY_BANNER;
        banners = (line->prod ? textwidth(line->prod) : 0) +
                  (line->ro ? textwidth(line->ro) : 0);
        text = header_compose(h, f, cols - banners, ellipsis);
        if (!text)
            continue;
        free(line->text);
        line->text = text;
        if (banners + textwidth(line->text) <= cols)
            return;
        if (i + 1 == nforms) {
            /* the narrowest form is still too wide: its end goes */
            char *cut = textwidth_truncate(line->text, cols > banners ? cols - banners : 0,
                                           ellipsis);

            free(line->text);
            line->text = cut;
        }
    }
    if (!line->text)
        line->text = xstrdup("");
}

void frame_header_done(struct frame_header_line *line)
{
    free(line->text);
    line->text = NULL;
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
