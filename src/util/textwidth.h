/* textwidth.h - how many terminal columns text takes, and cutting or padding it to a width,
 * so that table columns stay aligned with wide (CJK, emoji: 2 columns) and combining
 * (0 columns) characters in queue names, keys and tags.
 *
 * Input is UTF-8 that went through sanitize_text() (sanitize.h): no control characters.
 * Widths come from wcwidth() and so from LC_CTYPE: the console calls setlocale(LC_ALL, "")
 * first; in a non-UTF-8 locale every non-ASCII character counts one column. A character
 * wcwidth() does not know (unassigned) counts one column, as terminals draw it. */
#ifndef OPSDECK_TEXTWIDTH_H
#define OPSDECK_TEXTWIDTH_H

#include <stdbool.h>
#include <stddef.h>

/* Columns taken by s. */
int textwidth(const char *s);

/* s cut to at most `cols` columns, ending in `ellipsis` (for example glyph GLYPH_ELLIPSIS)
 * when something was cut. A character is never split, a combining mark stays with its base
 * character, and a wide character that would straddle the limit is left out (the result is
 * then one column short). When the ellipsis itself does not fit, the text is cut without
 * it. The caller frees. */
char *textwidth_truncate(const char *s, int cols, const char *ellipsis);

/* s cut as above, then padded with spaces to exactly `cols` columns, on the right
 * (align_right false) or on the left (align_right true, for numbers). The caller frees. */
char *textwidth_fit(const char *s, int cols, const char *ellipsis, bool align_right);

/* s broken into lines of at most `cols` columns (at least 1): at spaces where it can be
 * (the spaces at a break are dropped), inside a word only when the word alone is wider
 * than a line (an ARN, a URL); an explicit '\n' ends a line. *out gets the lines (each
 * freed by the caller, then the array); returns how many (at least 1: "" is one empty
 * line). */
size_t textwidth_wrap(const char *s, int cols, char ***out);

#endif
