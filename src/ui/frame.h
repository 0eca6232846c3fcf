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
    const char *account;    /* "123456789012" */
    const char *identity;   /* "assumed-role/Ops/alice" */
    const char *profile;
    const char *region;
    const char *countdown;  /* "12m03s", "no expiry"; NULL: none held (with refreshing:
                               the header says only "refreshing credentials") */
    bool refreshing;        /* a credential refresh is under way: said after the countdown */
    const char *countdown_what;  /* what counts down: "key alice" (sanitised); NULL: "creds" */
};

#define FRAME_PROD_BANNER " PRODUCTION "
/* Writes are refused (act/gate.h). Right after the production banner it loses its own
 * spaces (the banner's and the text's separate it): a production profile is read-only by
 * default, and the account, profile, region and countdown must still fit 80 columns. */
#define FRAME_READONLY_BANNER " READ-ONLY "
#define FRAME_READONLY_BANNER_AFTER_PROD "READ-ONLY"

/* The header after the banner, in at most cols columns: account, identity, "profile P",
 * region, "creds COUNTDOWN" (then "refreshing credentials" while a refresh runs, or just
 * "refreshing" when the line would not fit). The identity is shortened first, then dropped,
 * so that at 80 columns account, profile, region and countdown always show. The caller
 * frees. */
char *frame_header_text(const struct frame_header *h, int cols, const char *ellipsis);

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
