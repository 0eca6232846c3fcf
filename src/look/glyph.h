/* glyph.h - the characters the console draws with: UTF-8, or ASCII when the locale is not
 * UTF-8 or --ascii is given (an 8-bit terminal over a jump host shows mojibake otherwise).
 * One table each, chosen once at start, as htop's Meter.c does. */
#ifndef OPSDECK_GLYPH_H
#define OPSDECK_GLYPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum glyph_id {
    GLYPH_HLINE,
    GLYPH_VLINE,
    GLYPH_ULCORNER,
    GLYPH_URCORNER,
    GLYPH_LLCORNER,
    GLYPH_LRCORNER,
    GLYPH_LTEE,
    GLYPH_RTEE,
    GLYPH_TTEE,
    GLYPH_BTEE,
    GLYPH_CROSS,
    GLYPH_ARROW_UP,
    GLYPH_ARROW_DOWN,
    GLYPH_ARROW_LEFT,
    GLYPH_ARROW_RIGHT,
    GLYPH_ELLIPSIS,
    GLYPH_MARK_OK,
    GLYPH_MARK_WARN,
    GLYPH_MARK_CRITICAL,
    GLYPH_MARK_STALE,
    GLYPH_MARK_UNKNOWN,
    GLYPH_SORT_ASC,
    GLYPH_SORT_DESC,
    GLYPH_MARK_PAUSED,   /* a queue whose consumer (Lambda trigger) is paused */
    GLYPH_N
};

#define GLYPH_SPARK_LEVELS 8
/* A spinner's frames: what is waiting on AWS (a flip being confirmed) turns one frame a
 * second, as the console redraws (glyph_spinner). */
#define GLYPH_SPIN_FRAMES 8

struct glyphs {
    bool utf8;
    const char *g[GLYPH_N];                   /* each one terminal column wide */
    const char *spark[GLYPH_SPARK_LEVELS];    /* lowest to highest, one column each */
    const char *spark_gap;                    /* an unknown point: distinct from the lowest */
    const char *spin[GLYPH_SPIN_FRAMES];      /* a spinner, one column each */
};

extern const struct glyphs glyphs_utf8;
extern const struct glyphs glyphs_ascii;

/* True when the current LC_CTYPE (set by setlocale() before) is UTF-8. */
bool glyph_locale_is_utf8(void);

/* The table to use: ASCII when forced or when the locale is not UTF-8. */
const struct glyphs *glyphs_select(bool force_ascii);

/* The spinner's frame at now_ms (any clock in milliseconds): the next one each second, so
 * the console's redraw once a second turns it without a timer of its own. */
const char *glyph_spinner(const struct glyphs *g, int64_t now_ms);

/* A sparkline `width` columns wide of the last `width` values (newest on the right; fewer
 * values leave gaps on the left). Each known value is scaled to the min..max of the known
 * values shown; NAN (or any non-finite value) is unknown and drawn as a gap. When all
 * known values are equal there is no range: they are drawn at the lowest level when they
 * are <= 0 and at the middle level otherwise, so a flat busy queue does not look empty.
 * The caller frees; "" for width <= 0. */
char *glyph_sparkline(const struct glyphs *g, const double *values, size_t n, int width);

/* The same on a scale the caller gives (one scale for a whole view, so that a quiet queue
 * and a busy one do not look alike): lo draws the lowest level, hi the highest, a value
 * above lo at least the second lowest (one message is not none), values outside lo..hi
 * are clamped. With hi <= lo every known value is drawn at the lowest level. */
char *glyph_sparkline_scaled(const struct glyphs *g, const double *values, size_t n,
                             int width, double lo, double hi);

#endif
