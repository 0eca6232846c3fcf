/* textwidth.c - display width of UTF-8 text, truncation and padding by columns.
 *
 * Text is walked in units of one base character plus the zero-width characters after it
 * (combining marks, variation selectors, zero-width joiners), so that a cut never leaves a
 * mark without its base or puts it on the ellipsis. UTF-8 is decoded by util/utf8.c rather
 * than with mbrtowc(), so that the text is read the same way whatever the locale's charset. */
#include "config.h"
#include "util/textwidth.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "util/buf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

/* The character at s (NUL-terminated) and its length; *cp = -1 for a byte that is not a
 * character, which is then a unit of its own. */
static size_t char_at(const char *s, long *cp)
{
    uint32_t c;
    size_t n = utf8_decode(s, SIZE_MAX, &c);

    if (!n) {
        *cp = -1;
        return 1;
    }
    *cp = (long)c;
    return n;
}

static int char_width(long cp)
{
    int w;

    if (cp < 0)
        return 1;  /* an invalid byte; sanitize_text() would have escaped it */
    w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : w;
}

/* One unit at s: a character and the zero-width ones after it. Returns its byte length
 * and its width in *w. A zero-width character at the very start is a unit of width 0. */
static size_t unit_next(const char *s, int *w)
{
    long cp;
    size_t n = char_at(s, &cp);

    *w = char_width(cp);
    while (s[n]) {
        size_t m = char_at(s + n, &cp);

        if (cp < 0 || char_width(cp) != 0)
            break;
        n += m;
    }
    return n;
}

int textwidth(const char *s)
{
    int total = 0, w;

    while (*s) {
        s += unit_next(s, &w);
        total += w;
    }
    return total;
}

char *textwidth_truncate(const char *s, int cols, const char *ellipsis)
{
    struct buf out;
    int ew, used = 0;

    if (cols < 0)
        cols = 0;
    if (textwidth(s) <= cols)
        return xstrdup(s);
    if (!ellipsis)
        ellipsis = "";
    ew = textwidth(ellipsis);
    if (ew > cols) {
        ellipsis = "";
        ew = 0;
    }
    buf_init(&out);
    while (*s) {
        int w;
        size_t n = unit_next(s, &w);

        if (used + w > cols - ew)
            break;
        buf_append(&out, s, n);
        used += w;
        s += n;
    }
    buf_puts(&out, ellipsis);
    return buf_steal(&out);
}

char *textwidth_fit(const char *s, int cols, const char *ellipsis, bool align_right)
{
    char *cut = textwidth_truncate(s, cols, ellipsis);
    int pad = (cols < 0 ? 0 : cols) - textwidth(cut);
    struct buf out;

    if (pad <= 0)
        return cut;
    buf_init(&out);
    if (!align_right)
        buf_puts(&out, cut);
    for (int i = 0; i < pad; i++)
        buf_putc(&out, ' ');
    if (align_right)
        buf_puts(&out, cut);
    free(cut);
    return buf_steal(&out);
}

struct linelist {
    char **v;
    size_t n, cap;
};

static void line_push(struct linelist *l, const char *s, size_t len)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 8;
        l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
    }
    l->v[l->n++] = xstrndup(s, len);
}

/* One paragraph (no '\n') into lines of at most cols columns. */
static void wrap_paragraph(struct linelist *l, const char *s, size_t len, int cols)
{
    const char *end = s + len;

    do {
        const char *p = s, *brk = NULL;
        int used = 0, w;

        /* take units while they fit; remember the last space as where to break */
        while (p < end) {
            size_t n = unit_next(p, &w);

            if (p + n > end)
                n = (size_t)(end - p);
            if (*p == ' ')
                brk = p;
            if (used + w > cols && used > 0)
                break;
            used += w;
            p += n;
        }
        if (p >= end) {
            line_push(l, s, (size_t)(end - s));
            return;
        }
        if (*p == ' ')
            brk = p;           /* the break falls on a space: the whole line fits */
        if (!brk || brk == s)
            brk = p;           /* one word wider than the line: cut it where it is full */
        line_push(l, s, (size_t)(brk - s));
        s = brk;
        while (s < end && *s == ' ')
            s++;
    } while (s < end);
}

size_t textwidth_wrap(const char *s, int cols, char ***lines)
{
    struct linelist l = { NULL, 0, 0 };

    if (cols < 1)
        cols = 1;
    if (!s)
        s = "";
    for (;;) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);

        if (len == 0)
            line_push(&l, s, 0);
        else
            wrap_paragraph(&l, s, len, cols);
        if (!nl)
            break;
        s = nl + 1;
    }
    *lines = l.v;
    return l.n;
}
