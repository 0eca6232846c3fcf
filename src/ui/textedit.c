/* textedit.c - one form field's text being edited (textedit.h). */
#include "config.h"
#include "ui/textedit.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "util/utf8.h"
#include "util/xalloc.h"
#include "view.h"

static bool cont(unsigned char c)
{
    return (c & 0xc0) == 0x80;
}

/* The longest prefix of s, at most max bytes, that ends on a character boundary. */
static size_t cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    while (max > 0 && cont((unsigned char)s[max]))
        max--;
    return max;
}

static void reserve(struct textedit *te, size_t need)
{
    if (need + 1 <= te->cap)
        return;
    te->cap = te->cap ? te->cap : 64;
    while (te->cap < need + 1)
        te->cap *= 2;
    te->buf = xrealloc(te->buf, te->cap);
}

void textedit_set(struct textedit *te, const char *text)
{
    size_t n = text ? strlen(text) : 0;

    n = cut(text ? text : "", n, te->max);
    if (te->single_line && text) {
        const char *nl = memchr(text, '\n', n);
        if (nl)
            n = (size_t)(nl - text);
    }
    reserve(te, n);
    if (n)
        memcpy(te->buf, text, n);
    te->buf[n] = '\0';
    te->len = te->cur = n;
}

void textedit_init(struct textedit *te, const char *text, size_t max, bool single_line)
{
    memset(te, 0, sizeof(*te));
    te->max = max;
    te->single_line = single_line;
    textedit_set(te, text);
}

void textedit_done(struct textedit *te)
{
    free(te->buf);
    memset(te, 0, sizeof(*te));
}

const char *textedit_text(const struct textedit *te)
{
    return te->buf ? te->buf : "";
}

static size_t next_char(const struct textedit *te, size_t i)
{
    if (i >= te->len)
        return te->len;
    i++;
    while (i < te->len && cont((unsigned char)te->buf[i]))
        i++;
    return i;
}

static size_t prev_char(const struct textedit *te, size_t i)
{
    if (i == 0)
        return 0;
    i--;
    while (i > 0 && cont((unsigned char)te->buf[i]))
        i--;
    return i;
}

static size_t line_start(const struct textedit *te, size_t i)
{
    while (i > 0 && te->buf[i - 1] != '\n')
        i--;
    return i;
}

static size_t line_end(const struct textedit *te, size_t i)
{
    while (i < te->len && te->buf[i] != '\n')
        i++;
    return i;
}

/* Characters from s to e. */
static size_t chars(const struct textedit *te, size_t s, size_t e)
{
    size_t n = 0;

    while (s < e) {
        s = next_char(te, s);
        n++;
    }
    return n;
}

/* The offset n characters after s, not past the end of its line. */
static size_t advance(const struct textedit *te, size_t s, size_t n)
{
    size_t e = line_end(te, s);

    while (n-- > 0 && s < e)
        s = next_char(te, s);
    return s;
}

static enum textedit_result move_to(struct textedit *te, size_t to)
{
    if (to == te->cur)
        return TEXTEDIT_NONE;
    te->cur = to;
    return TEXTEDIT_MOVED;
}

static enum textedit_result delete_range(struct textedit *te, size_t a, size_t b)
{
    if (a >= b)
        return TEXTEDIT_NONE;
    memmove(te->buf + a, te->buf + b, te->len - b + 1);
    te->len -= b - a;
    te->cur = a;
    return TEXTEDIT_CHANGED;
}

static enum textedit_result insert(struct textedit *te, const char *s, size_t n)
{
    if (te->len + n > te->max)
        return TEXTEDIT_NONE;   /* never a split character: all of it or nothing */
    reserve(te, te->len + n);
    memmove(te->buf + te->cur + n, te->buf + te->cur, te->len - te->cur + 1);
    memcpy(te->buf + te->cur, s, n);
    te->len += n;
    te->cur += n;
    return TEXTEDIT_CHANGED;
}

/* Up (dir -1) or down (+1) lines, keeping the character position. */
static enum textedit_result vertical(struct textedit *te, int dir, int times)
{
    size_t to = te->cur;

    while (times-- > 0) {
        size_t s = line_start(te, to), col = chars(te, s, to);

        if (dir < 0) {
            if (s == 0)
                break;
            to = advance(te, line_start(te, s - 1), col);
        } else {
            size_t e = line_end(te, to);
            if (e >= te->len)
                break;
            to = advance(te, e + 1, col);
        }
    }
    return move_to(te, to);
}

static enum textedit_result function_key(struct textedit *te, int k)
{
    switch (k) {
    case KEY_LEFT:
        return move_to(te, prev_char(te, te->cur));
    case KEY_RIGHT:
        return move_to(te, next_char(te, te->cur));
    case KEY_UP:
        return te->single_line ? TEXTEDIT_UNHANDLED : vertical(te, -1, 1);
    case KEY_DOWN:
        return te->single_line ? TEXTEDIT_UNHANDLED : vertical(te, 1, 1);
    case KEY_PPAGE:
        return te->single_line ? TEXTEDIT_UNHANDLED : vertical(te, -1, 10);
    case KEY_NPAGE:
        return te->single_line ? TEXTEDIT_UNHANDLED : vertical(te, 1, 10);
    case KEY_HOME:
        return move_to(te, line_start(te, te->cur));
    case KEY_END:
        return move_to(te, line_end(te, te->cur));
    case KEY_BACKSPACE:
        return delete_range(te, prev_char(te, te->cur), te->cur);
    case KEY_DC:
        return delete_range(te, te->cur, next_char(te, te->cur));
    case KEY_ENTER:
        return te->single_line ? TEXTEDIT_UNHANDLED : insert(te, "\n", 1);
    default:
        return TEXTEDIT_UNHANDLED;
    }
}

enum textedit_result textedit_key(struct textedit *te, int key)
{
    char enc[4];

    if (key >= VIEW_KEY_FN)
        return function_key(te, key - VIEW_KEY_FN);
    switch (key) {
    case '\r':
    case '\n':
        return te->single_line ? TEXTEDIT_UNHANDLED : insert(te, "\n", 1);
    case 127:
    case VIEW_KEY_CTRL('h'):
        return delete_range(te, prev_char(te, te->cur), te->cur);
    case VIEW_KEY_CTRL('d'):
        return delete_range(te, te->cur, next_char(te, te->cur));
    case VIEW_KEY_CTRL('u'):
        return delete_range(te, line_start(te, te->cur), te->cur);
    case VIEW_KEY_CTRL('k'):
        return delete_range(te, te->cur, line_end(te, te->cur));
    default:
        break;
    }
    /* printable: no C0, DEL, C1, surrogates (as cmdline.c's lineedit) */
    if (key < 0x20 || key == 0x7f || (key >= 0x80 && key < 0xa0) ||
        (key >= 0xd800 && key <= 0xdfff) || key > 0x10ffff)
        return TEXTEDIT_UNHANDLED;
    return insert(te, enc, utf8_encode((uint32_t)key, enc));
}

size_t textedit_nlines(const struct textedit *te)
{
    size_t n = 1;

    for (size_t i = 0; i < te->len; i++)
        n += te->buf[i] == '\n';
    return n;
}

void textedit_line(const struct textedit *te, size_t i, size_t *start, size_t *len)
{
    size_t s = 0;

    while (i > 0 && s <= te->len) {
        size_t e = line_end(te, s);
        if (e >= te->len) {
            s = te->len;
            break;
        }
        s = e + 1;
        i--;
    }
    if (i > 0)
        s = te->len;
    *start = s;
    *len = line_end(te, s) - s;
}

void textedit_cursor(const struct textedit *te, size_t *line, size_t *byte)
{
    size_t n = 0;

    for (size_t i = 0; i < te->cur; i++)
        n += te->buf[i] == '\n';
    *line = n;
    *byte = te->cur - line_start(te, te->cur);
}
