/* frame.h - the console's frame around the view: the header (row 0), the footer with the
 * view's keys (row LINES-2) and the status line (row LINES-1). The texts are composed by
 * pure functions (tested without a terminal); frame_draw_* put them on a window. */
#ifndef OPSDECK_FRAME_H
#define OPSDECK_FRAME_H

#include <curses.h>
#include <stdbool.h>

#include "view.h"

/* What the header shows. Strings may be NULL (not known yet); account and identity come
 * from AWS and must already be sanitised. */
struct frame_header {
    bool production;        /* the PRODUCTION banner first */
    bool read_only;         /* the READ-ONLY banner after it: writes are refused (act/gate.h) */
    const char *account;    /* "123456789012" */
    const char *identity;   /* "assumed-role/Ops/alice" */
    const char *profile;
    const char *region;
    const char *countdown;  /* "12m03s", "no expiry"; NULL: none held (with refreshing:
                               the header says only "refreshing credentials") */
    bool refreshing;        /* a credential refresh is under way: said after the countdown */
    const char *countdown_what;  /* what counts down: "key alice" (sanitised); NULL: "creds" */
};

/* The banners in their whole and short forms. Right after the production banner the
 * read-only one loses its own spaces (the banner's and the text's separate it). */
#define FRAME_PROD_BANNER " PRODUCTION "
#define FRAME_PROD_BANNER_SHORT " PROD "
#define FRAME_READONLY_BANNER " READ-ONLY "
#define FRAME_READONLY_BANNER_SHORT " RO "
#define FRAME_READONLY_BANNER_AFTER_PROD "READ-ONLY"
#define FRAME_READONLY_BANNER_SHORT_AFTER_PROD "RO"

/* The header laid out for one width: the banners drawn first, each in its own style, then
 * text in the columns left. */
struct frame_header_line {
    const char *prod;       /* a FRAME_PROD_BANNER* form; NULL: not production */
    const char *ro;         /* a FRAME_READONLY_BANNER* form; NULL: writes allowed */
    char *text;             /* account, identity, profile, region, countdown */
};

/* Lays the header out in at most cols columns (banners and text together). What yields
 * first when it does not fit, so that at 80 columns with both banners the account, the
 * identity (its role and session name, cut if it must be), the profile, the region and
 * the countdown stay: see the order in frame.c. Wide terminals get every part whole. Below
 * the banners' own width (8 columns) the window clips them. */
void frame_header_layout(struct frame_header_line *line, const struct frame_header *h,
                         int cols, const char *ellipsis);
void frame_header_done(struct frame_header_line *line);

/* The ARN's resource part, which says who ("user/alice", "assumed-role/Ops/alice"); the
 * whole ARN when it has no such part. The caller frees. */
char *frame_identity_from_arn(const char *arn);

/* The footer: the active filter when the view's title does not show it ("/orders (Esc
 * clears)", filter NULL or "" when none, sanitised by the caller), the view's keys in their
 * order (most useful first) as many as fit whole before the framework's (": cmd  / filter
 * ?  help  q back"), each by its short form (its text up to ':', '(', ',' or ';'), cut to
 * cols. keys may be NULL. The caller frees. */
char *frame_footer_text(const struct view_keyhelp *keys, const char *filter, int cols,
                        const char *ellipsis);

/* Writes text on row 0 of w across its whole width in attr (the rest of the row filled). */
void frame_draw_line(WINDOW *w, const char *text, attr_t attr);

/* The framework's keys, for `?` help, ending with {NULL, NULL}. */
extern const struct view_keyhelp frame_keys[];

#endif
