/* textedit.h - the text of one form field being edited: one line (an id, a number) or
 * several (a message body), UTF-8, with a cursor. No curses: keys come in as view.h's key
 * codes, so it is tested without a terminal (as cmdline.h's lineedit, which is limited to
 * one short line).
 *
 * Keys: printable characters insert; Enter inserts a line break in a multi-line field
 * (TEXTEDIT_UNHANDLED in a one-line one, for the form to move on); Backspace/Ctrl-H,
 * Delete/Ctrl-D delete; Left/Right, Up/Down (same character position on the next line),
 * Home/End (of the line), PgUp/PgDn (ten lines) move; Ctrl-U kills to the line's start,
 * Ctrl-K to its end. Anything else (Tab, Esc, Ctrl-E ...) is left to the caller. */
#ifndef OPSDECK_TEXTEDIT_H
#define OPSDECK_TEXTEDIT_H

#include <stdbool.h>
#include <stddef.h>

struct textedit {
    char *buf;            /* NUL-terminated */
    size_t len, cap, cur; /* cur: a byte offset on a character boundary */
    size_t max;           /* bytes the text may hold */
    bool single_line;
};

enum textedit_result {
    TEXTEDIT_UNHANDLED,   /* not an editing key */
    TEXTEDIT_NONE,        /* an editing key that changed nothing (the limit, an edge) */
    TEXTEDIT_CHANGED,
    TEXTEDIT_MOVED,
};

/* text is copied (cut to max on a character boundary); the cursor goes to its end. */
void textedit_init(struct textedit *te, const char *text, size_t max, bool single_line);
void textedit_done(struct textedit *te);
void textedit_set(struct textedit *te, const char *text);
enum textedit_result textedit_key(struct textedit *te, int key);
const char *textedit_text(const struct textedit *te);

/* Lines: how many, and line i's bytes [start, start + len). */
size_t textedit_nlines(const struct textedit *te);
void textedit_line(const struct textedit *te, size_t i, size_t *start, size_t *len);
/* The cursor's line, and its offset in bytes within that line. */
void textedit_cursor(const struct textedit *te, size_t *line, size_t *byte);

#endif
