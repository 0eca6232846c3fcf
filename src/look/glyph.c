/* glyph.c - UTF-8 and ASCII glyph tables, and the sparkline renderer. */
#include "config.h"
#include "look/glyph.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

const struct glyphs glyphs_utf8 = {
    .utf8 = true,
    .g = {
        [GLYPH_HLINE] = "─", [GLYPH_VLINE] = "│",
        [GLYPH_ULCORNER] = "┌", [GLYPH_URCORNER] = "┐",
        [GLYPH_LLCORNER] = "└", [GLYPH_LRCORNER] = "┘",
        [GLYPH_LTEE] = "├", [GLYPH_RTEE] = "┤", [GLYPH_TTEE] = "┬", [GLYPH_BTEE] = "┴",
        [GLYPH_CROSS] = "┼",
        [GLYPH_ARROW_UP] = "↑", [GLYPH_ARROW_DOWN] = "↓",
        [GLYPH_ARROW_LEFT] = "←", [GLYPH_ARROW_RIGHT] = "→",
        [GLYPH_ELLIPSIS] = "…",
        [GLYPH_MARK_OK] = "✓", [GLYPH_MARK_WARN] = "▲", [GLYPH_MARK_CRITICAL] = "✗",
        [GLYPH_MARK_STALE] = "◌", [GLYPH_MARK_UNKNOWN] = "?",
        [GLYPH_SORT_ASC] = "▴", [GLYPH_SORT_DESC] = "▾",
        [GLYPH_MARK_PAUSED] = "⏸",
    },
    .spark = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" },
    .spark_gap = " ",
    /* Braille: one column in every locale (no East Asian ambiguous width, unlike ◐◓◑◒) */
    .spin = { "⣾", "⣽", "⣻", "⢿", "⡿", "⣟", "⣯", "⣷" },
};

const struct glyphs glyphs_ascii = {
    .utf8 = false,
    .g = {
        [GLYPH_HLINE] = "-", [GLYPH_VLINE] = "|",
        [GLYPH_ULCORNER] = "+", [GLYPH_URCORNER] = "+",
        [GLYPH_LLCORNER] = "+", [GLYPH_LRCORNER] = "+",
        [GLYPH_LTEE] = "+", [GLYPH_RTEE] = "+", [GLYPH_TTEE] = "+", [GLYPH_BTEE] = "+",
        [GLYPH_CROSS] = "+",
        [GLYPH_ARROW_UP] = "^", [GLYPH_ARROW_DOWN] = "v",
        [GLYPH_ARROW_LEFT] = "<", [GLYPH_ARROW_RIGHT] = ">",
        [GLYPH_ELLIPSIS] = "~",   /* one column, like "…"; "..." would eat three */
        [GLYPH_MARK_OK] = "+", [GLYPH_MARK_WARN] = "!", [GLYPH_MARK_CRITICAL] = "X",
        [GLYPH_MARK_STALE] = "o", [GLYPH_MARK_UNKNOWN] = "?",
        [GLYPH_SORT_ASC] = "^", [GLYPH_SORT_DESC] = "v",
        [GLYPH_MARK_PAUSED] = "P",
    },
    /* '_' is the floor, so that the lowest level is not mistaken for a gap */
    .spark = { "_", ".", "-", ":", "=", "+", "*", "#" },
    .spark_gap = " ",
    .spin = { "|", "/", "-", "\\", "|", "/", "-", "\\" },
};

bool glyph_locale_is_utf8(void)
{
    return sanitize_locale_is_utf8();
}

const struct glyphs *glyphs_select(bool force_ascii)
{
    if (force_ascii || !glyph_locale_is_utf8())
        return &glyphs_ascii;
    return &glyphs_utf8;
}

const char *glyph_spinner(const struct glyphs *g, int64_t now_ms)
{
    int64_t s = now_ms / 1000;

    return g->spin[(s % GLYPH_SPIN_FRAMES + GLYPH_SPIN_FRAMES) % GLYPH_SPIN_FRAMES];
}

char *glyph_sparkline(const struct glyphs *g, const double *values, size_t n, int width)
{
    struct buf out;
    size_t first, shown;
    double lo = INFINITY, hi = -INFINITY;
    bool any = false;

    buf_init(&out);
    if (width <= 0)
        return xstrdup("");
    shown = n < (size_t)width ? n : (size_t)width;
    first = n - shown;
    for (size_t i = first; i < n; i++) {
        if (!isfinite(values[i]))
            continue;
        any = true;
        lo = values[i] < lo ? values[i] : lo;
        hi = values[i] > hi ? values[i] : hi;
    }
    for (size_t i = shown; i < (size_t)width; i++)
        buf_puts(&out, g->spark_gap);
    for (size_t i = first; i < n; i++) {
        double v = values[i];
        int level;

        if (!any || !isfinite(v)) {
            buf_puts(&out, g->spark_gap);
            continue;
        }
        /* halves, so that a range like -1e308..1e308 cannot overflow to infinity */
        if (hi / 2 - lo / 2 <= 0)
            level = v <= 0 ? 0 : GLYPH_SPARK_LEVELS / 2 - 1;
        else
            level = (int)((v / 2 - lo / 2) / (hi / 2 - lo / 2) * (GLYPH_SPARK_LEVELS - 1) + 0.5);
        if (level < 0)
            level = 0;
        if (level >= GLYPH_SPARK_LEVELS)
            level = GLYPH_SPARK_LEVELS - 1;
        buf_puts(&out, g->spark[level]);
    }
    return buf_steal(&out);
}

char *glyph_sparkline_scaled(const struct glyphs *g, const double *values, size_t n,
                             int width, double lo, double hi)
{
    struct buf out;
    size_t first, shown;

    buf_init(&out);
    if (width <= 0)
        return xstrdup("");
    shown = n < (size_t)width ? n : (size_t)width;
    first = n - shown;
    for (size_t i = shown; i < (size_t)width; i++)
        buf_puts(&out, g->spark_gap);
    for (size_t i = first; i < n; i++) {
        double v = values[i];
        int level = 0;

        if (!isfinite(v)) {
            buf_puts(&out, g->spark_gap);
            continue;
        }
        /* halves, as above, so that no range overflows to infinity */
        if (isfinite(lo) && isfinite(hi) && hi / 2 - lo / 2 > 0 && v > lo) {
            level = (int)((v / 2 - lo / 2) / (hi / 2 - lo / 2) * (GLYPH_SPARK_LEVELS - 1) + 0.5);
            if (level < 1)
                level = 1;
            if (level >= GLYPH_SPARK_LEVELS)
                level = GLYPH_SPARK_LEVELS - 1;
        }
        buf_puts(&out, g->spark[level]);
    }
    return buf_steal(&out);
}
