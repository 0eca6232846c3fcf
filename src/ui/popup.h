/* popup.h - a box over the view for text the screen has no room for: the `?` help and the
 * `:cli` hand-off. It sizes itself to what it holds and to the screen (never a fixed
 * width), wraps long lines under their key, scrolls when taller than the screen, and draws
 * its border from the glyph table (ASCII with --ascii, line drawing in UTF-8).
 *
 *     struct popup p;
 *     popup_init(&p, "SQS queues: keys", "any other key closes");
 *     popup_heading(&p, "This view");
 *     popup_add(&p, "Enter", "details: attributes, redrive policy, tags");
 *     popup_draw(&p, glyphs, box_attr, title_attr, key_attr);   // each frame
 *     if (!popup_key(&p, key)) close it;                         // j/k/PgDn... scroll
 *
 * Text is sanitised when added: a popup may show names from AWS. */
#ifndef OPSDECK_POPUP_H
#define OPSDECK_POPUP_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "look/glyph.h"

enum popup_kind { POPUP_HEADING, POPUP_ENTRY, POPUP_TEXT };

struct popup_item {
    enum popup_kind kind;
    char *key;   /* POPUP_ENTRY only */
    char *text;
};

struct popup {
    char *title;
    char *hint;    /* in the bottom border ("y copies, any other key closes"), or NULL */
    struct popup_item *items;
    size_t n, cap;
    int scroll;    /* first text row shown */
    int rows;      /* text rows at the last draw (after wrapping) */
    int page;      /* text rows the box showed */
};

void popup_init(struct popup *p, const char *title, const char *hint);
void popup_done(struct popup *p);
void popup_heading(struct popup *p, const char *text);
void popup_blank(struct popup *p);
/* A paragraph across the whole box, wrapped (a command line to hand off). */
void popup_text(struct popup *p, const char *text);
/* The same for text that went through sanitize_text() already (a command built of
 * view_shell_quote words): shown as it is, so the box shows what `y` copies. */
void popup_text_clean(struct popup *p, const char *clean);
/* One entry: key in a column of its own, text wrapped beside it. key "" continues the
 * entry above (a second line of text under the same key column). */
void popup_add(struct popup *p, const char *key, const char *text);

/* Scroll keys (j/k, arrows, PgUp/PgDn, Space, g/G, Home/End): true when the key scrolled
 * (or would, at an end); any other key is the caller's (it usually closes the popup). */
bool popup_key(struct popup *p, int key);

/* The box, centred, at most cols x rows (the screen less what the caller keeps, say the
 * status line), as narrow as the content allows. The bottom border says how to scroll when
 * the content is taller than the box, and how far down it is. wnoutrefresh only. */
void popup_draw(struct popup *p, const struct glyphs *g, int cols, int rows, attr_t box,
                attr_t title, attr_t key);

#endif
