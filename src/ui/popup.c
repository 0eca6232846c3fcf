/* popup.c - a box over the view that fits its content and the screen (popup.h). */
#include "config.h"
#include "ui/popup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/sanitize.h"
#include "util/textwidth.h"
#include "util/xalloc.h"
#include "view.h"

#define KEY_GAP 2       /* between the key column and the text */
#define PAD 1           /* inside the border, left and right */
#define MIN_TEXT 12     /* a text column narrower than this wraps word by word */

void popup_init(struct popup *p, const char *title, const char *hint)
{
    memset(p, 0, sizeof(*p));
    p->title = title ? sanitize_text(title, strlen(title)) : xstrdup("");
    p->hint = hint ? sanitize_text(hint, strlen(hint)) : NULL;
}

void popup_done(struct popup *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->items[i].key);
        free(p->items[i].text);
    }
    free(p->items);
    free(p->title);
    free(p->hint);
    memset(p, 0, sizeof(*p));
}

static void item_add(struct popup *p, enum popup_kind kind, const char *key, const char *text)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        p->items = xrealloc(p->items, p->cap * sizeof(*p->items));
    }
    p->items[p->n].kind = kind;
    p->items[p->n].key = key ? sanitize_text(key, strlen(key)) : NULL;
    p->items[p->n].text = sanitize_text(text ? text : "", text ? strlen(text) : 0);
    p->n++;
}

void popup_heading(struct popup *p, const char *text)
{
    item_add(p, POPUP_HEADING, NULL, text);
}

void popup_blank(struct popup *p)
{
    item_add(p, POPUP_TEXT, NULL, "");
}

void popup_text(struct popup *p, const char *text)
{
    item_add(p, POPUP_TEXT, NULL, text);
}

void popup_text_clean(struct popup *p, const char *clean)
{
    item_add(p, POPUP_TEXT, NULL, "");
    free(p->items[p->n - 1].text);
    p->items[p->n - 1].text = xstrdup(clean ? clean : "");
}

void popup_add(struct popup *p, const char *key, const char *text)
{
    item_add(p, POPUP_ENTRY, key ? key : "", text);
}

bool popup_key(struct popup *p, int key)
{
    int page = p->page > 1 ? p->page - 1 : 1;

    switch (key) {
    case 'j':
    case VIEW_KEY(KEY_DOWN):
        p->scroll++;
        break;
    case 'k':
    case VIEW_KEY(KEY_UP):
        p->scroll--;
        break;
    case ' ':
    case VIEW_KEY(KEY_NPAGE):
    case VIEW_KEY_CTRL('f'):
        p->scroll += page;
        break;
    case VIEW_KEY(KEY_PPAGE):
    case VIEW_KEY_CTRL('b'):
        p->scroll -= page;
        break;
    case 'g':
    case VIEW_KEY(KEY_HOME):
        p->scroll = 0;
        break;
    case 'G':
    case VIEW_KEY(KEY_END):
        p->scroll = p->rows;
        break;
    default:
        return false;
    }
    /* clamped again when drawn, against the rows of that size */
    if (p->scroll > p->rows - p->page)
        p->scroll = p->rows - p->page;
    if (p->scroll < 0)
        p->scroll = 0;
    return true;
}

/* One screen row of the box's content. */
struct row {
    enum popup_kind kind;
    const char *key;   /* POPUP_ENTRY: the key column ("" under a wrapped entry) */
    char *text;
};

struct layout {
    struct row *rows;
    size_t n, cap;
    int keyw, inner;   /* key column and content width */
};

static void row_add(struct layout *l, enum popup_kind kind, const char *key, char *text)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->rows = xrealloc(l->rows, l->cap * sizeof(*l->rows));
    }
    l->rows[l->n].kind = kind;
    l->rows[l->n].key = key;
    l->rows[l->n].text = text;
    l->n++;
}

static void layout_done(struct layout *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->rows[i].text);
    free(l->rows);
}

/* The content laid out for a box at most maxw columns wide: as wide as its widest line
 * needs, narrower only by wrapping. */
static void layout(const struct popup *p, int maxw, struct layout *l)
{
    /* the title and the hint sit in the borders, a blank either side */
    int keyw = 0, want = textwidth(p->title), textw, inner;

    memset(l, 0, sizeof(*l));
    if (p->hint && textwidth(p->hint) > want)
        want = textwidth(p->hint);
    for (size_t i = 0; i < p->n; i++)
        if (p->items[i].kind == POPUP_ENTRY && textwidth(p->items[i].key) > keyw)
            keyw = textwidth(p->items[i].key);
    /* a key column of more than a third would leave the text too little room */
    if (keyw > (maxw - 2 * PAD) / 3)
        keyw = (maxw - 2 * PAD) / 3;
    for (size_t i = 0; i < p->n; i++) {
        int w = textwidth(p->items[i].text) +
                (p->items[i].kind == POPUP_ENTRY ? keyw + KEY_GAP : 0);

        if (w > want)
            want = w;
    }
    inner = maxw - 2 * PAD;
    if (want < inner)
        inner = want;
    if (inner < 1)
        inner = 1;
    textw = inner - keyw - KEY_GAP;
    if (textw < MIN_TEXT && inner > MIN_TEXT) {
        keyw = inner - KEY_GAP - MIN_TEXT;
        textw = MIN_TEXT;
    }
    if (textw < 1)
        textw = 1;
    l->keyw = keyw;
    l->inner = inner;
    for (size_t i = 0; i < p->n; i++) {
        const struct popup_item *it = &p->items[i];
        bool entry = it->kind == POPUP_ENTRY;
        char **lines;
        size_t n = textwidth_wrap(it->text, entry ? textw : inner, &lines);

        for (size_t k = 0; k < n; k++)
            row_add(l, it->kind, entry ? (k == 0 ? it->key : "") : NULL, lines[k]);
        free(lines);
    }
}

/* A border row: the corners, the line, and a label set into it after the corner. */
static void border_row(WINDOW *w, int y, int width, const struct glyphs *g, const char *left,
                       const char *right, const char *label, attr_t box, attr_t lab)
{
    int x = 1;

    wattrset(w, box);
    mvwaddstr(w, y, 0, left);
    for (; x < width - 1; x++)
        mvwaddstr(w, y, x, g->g[GLYPH_HLINE]);
    mvwaddstr(w, y, width - 1, right);
    if (label && *label && width > 4) {
        char *fit = textwidth_truncate(label, width - 2, g->g[GLYPH_ELLIPSIS]);

        wattrset(w, lab);
        mvwaddstr(w, y, 1, fit);
        free(fit);
    }
    wattrset(w, A_NORMAL);
}

void popup_draw(struct popup *p, const struct glyphs *g, int cols, int lines, attr_t box,
                attr_t title, attr_t key)
{
    struct layout l;
    int width, height, page, y0, x0;
    char *label, *bottom = NULL;
    WINDOW *w;

    if (cols < 8 || lines < 3)
        return;
    layout(p, cols - 2, &l);
    width = l.inner + 2 * PAD + 2;
    height = (int)l.n + 2 > lines ? lines : (int)l.n + 2;
    page = height - 2;
    p->rows = (int)l.n;
    p->page = page;
    if (p->scroll > p->rows - page)
        p->scroll = p->rows - page;
    if (p->scroll < 0)
        p->scroll = 0;
    y0 = (lines - height) / 2;
    x0 = (cols - width) / 2;
    w = newwin(height, width, y0, x0);
    if (!w) {
        layout_done(&l);
        return;
    }
    wattrset(w, box);
    for (int y = 0; y < height; y++)
        mvwhline(w, y, 0, ' ' | box, width);
    label = xasprintf(" %s ", p->title);
    border_row(w, 0, width, g, g->g[GLYPH_ULCORNER], g->g[GLYPH_URCORNER], label, box, title);
    if (p->rows > page)
        bottom = xasprintf(" j/k PgDn: more, %d-%d of %d%s%s ", p->scroll + 1,
                           p->scroll + page, p->rows, p->hint ? "; " : "", p->hint ? p->hint : "");
    else if (p->hint)
        bottom = xasprintf(" %s ", p->hint);
    border_row(w, height - 1, width, g, g->g[GLYPH_LLCORNER], g->g[GLYPH_LRCORNER], bottom,
               box, box);
    for (int y = 1; y < height - 1; y++) {
        const struct row *r = &l.rows[p->scroll + y - 1];

        wattrset(w, box);
        mvwaddstr(w, y, 0, g->g[GLYPH_VLINE]);
        mvwaddstr(w, y, width - 1, g->g[GLYPH_VLINE]);
        if (r->kind != POPUP_ENTRY) {
            wattrset(w, r->kind == POPUP_HEADING ? title : box);
            mvwaddstr(w, y, 1 + PAD, r->text);
        } else {
            char *k = textwidth_truncate(r->key, l.keyw, g->g[GLYPH_ELLIPSIS]);

            wattrset(w, key);
            mvwaddstr(w, y, 1 + PAD, k);
            free(k);
            wattrset(w, box);
            mvwaddstr(w, y, 1 + PAD + l.keyw + KEY_GAP, r->text);
        }
    }
    wattrset(w, A_NORMAL);
    wnoutrefresh(w);
    delwin(w);
    free(label);
    free(bottom);
    layout_done(&l);
}
