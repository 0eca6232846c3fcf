/* dialog.c - confirmations, typed confirmations, forms and progress (dialog.h). */
#include "config.h"
#include "ui/dialog.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"
#include "util/sanitize.h"
#include "util/textwidth.h"
#include "util/xalloc.h"
#include "view.h"

#define LABEL_COLS 12       /* the form's label column */
#define TEXT_ROWS 4         /* a multi-line field's rows when the field does not say */
#define DIALOG_MAX_COLS 90

static bool is_enter(int key)
{
    return key == '\r' || key == '\n' || key == VIEW_KEY(KEY_ENTER);
}

static void set_str(char **dst, const char *s)
{
    free(*dst);
    *dst = s ? xstrdup(s) : NULL;
}

static void common(struct dialog *d, enum dialog_kind kind, const char *title,
                   const char *what, const char *where, bool production)
{
    memset(d, 0, sizeof(*d));
    d->kind = kind;
    set_str(&d->title, title);
    set_str(&d->what, what);
    set_str(&d->where, where);
    d->production = production;
}

void dialog_confirm(struct dialog *d, const char *title, const char *what, const char *where,
                    bool production, const char *ok_label)
{
    common(d, DIALOG_CONFIRM, title, what, where, production);
    set_str(&d->ok_label, ok_label ? ok_label : "Yes");
}

void dialog_typed(struct dialog *d, const char *title, const char *what, const char *where,
                  bool production, const char *prompt, const char *expect)
{
    common(d, DIALOG_TYPED, title, what, where, production);
    set_str(&d->prompt, prompt);
    set_str(&d->expect, expect);
    lineedit_init(&d->le, "");
}

static bool field_multiline(const struct form_field *fl)
{
    return fl->kind == FORM_TEXT;
}

static size_t field_max(const struct form_field *fl)
{
    return fl->max_len ? fl->max_len : fl->kind == FORM_TEXT ? FORM_TEXT_MAX : FORM_LINE_MAX;
}

/* Loads the focused field into the editor (a choice is not edited as text). */
static void focus_load(struct dialog *d)
{
    if (d->te_on)
        textedit_done(&d->te);
    d->te_on = false;
    if (d->focus < d->form->n && d->form->fields[d->focus].kind != FORM_CHOICE) {
        const struct form_field *fl = &d->form->fields[d->focus];

        textedit_init(&d->te, fl->value, field_max(fl), !field_multiline(fl));
        d->te_on = true;
    }
}

static size_t first_visible(const struct form *f, size_t from)
{
    for (size_t i = from; i < f->n; i++)
        if (!f->fields[i].hidden)
            return i;
    return f->n;   /* the button */
}

void dialog_form(struct dialog *d, struct form *f, const char *what, const char *where,
                 bool production, const char *ok_label)
{
    common(d, DIALOG_FORM, f->title, what, where, production);
    set_str(&d->ok_label, ok_label ? ok_label : "OK");
    d->form = f;
    d->focus = first_visible(f, 0);
    focus_load(d);
}

void dialog_progress(struct dialog *d, const char *title, const char *what,
                     const char *job_key)
{
    common(d, DIALOG_PROGRESS, title, what, NULL, false);
    snprintf(d->job_key, sizeof(d->job_key), "%s", job_key ? job_key : "");
}

void dialog_signin(struct dialog *d, const char *title, const char *what, const char *where)
{
    common(d, DIALOG_SIGNIN, title, what, where, false);
}

void dialog_signin_set(struct dialog *d, const struct dialog_signin *si)
{
    set_str(&d->signin_uri, si->uri);
    set_str(&d->signin_uri_complete, si->uri_complete);
    set_str(&d->signin_code, si->code);
    set_str(&d->signin_status, si->status);
    set_str(&d->signin_error, si->error);
    d->signin_expires_ms = si->expires_ms;
    d->signin_now_ms = si->now_ms;
    d->signin_ended = si->ended;
}

void dialog_done(struct dialog *d)
{
    free(d->title);
    free(d->what);
    free(d->where);
    free(d->ok_label);
    free(d->expect);
    free(d->prompt);
    free(d->changed);
    free(d->signin_uri);
    free(d->signin_uri_complete);
    free(d->signin_code);
    free(d->signin_status);
    free(d->signin_error);
    if (d->te_on)
        textedit_done(&d->te);
    memset(d, 0, sizeof(*d));
}

const char *dialog_changed(const struct dialog *d)
{
    return d->changed ? d->changed : "";
}

void dialog_set_error(struct dialog *d, const char *why, size_t field)
{
    snprintf(d->error, sizeof(d->error), "%s", why ? why : "");
    if (d->kind == DIALOG_FORM && field < d->form->n && !d->form->fields[field].hidden) {
        d->focus = field;
        focus_load(d);
    }
}

void dialog_reload(struct dialog *d)
{
    if (d->kind != DIALOG_FORM)
        return;
    if (d->focus < d->form->n && d->form->fields[d->focus].hidden)
        d->focus = first_visible(d->form, d->focus);
    if (d->te_on && d->focus < d->form->n &&
        strcmp(textedit_text(&d->te), d->form->fields[d->focus].value) == 0)
        return;   /* keep the cursor where it is */
    focus_load(d);
}

const char *dialog_field_text(const struct dialog *d)
{
    return d->te_on ? textedit_text(&d->te) : "";
}

void dialog_set_field_text(struct dialog *d, const char *text)
{
    if (d->kind != DIALOG_FORM || d->focus >= d->form->n)
        return;
    form_set(d->form, d->form->fields[d->focus].name, text);
    focus_load(d);
}

bool dialog_field_multiline(const struct dialog *d)
{
    return d->kind == DIALOG_FORM && d->focus < d->form->n &&
           field_multiline(&d->form->fields[d->focus]);
}

/* ---- keys ---------------------------------------------------------------------------------- */

static enum dialog_result confirm_key(struct dialog *d, int key)
{
    switch (key) {
    case 'y':
    case 'Y':
        return DIALOG_OK;
    case 'n':
    case 'N':
    case 27:
    case 'q':
    case VIEW_KEY_CTRL('c'):
        return DIALOG_CANCEL;
    case '\t':
    case VIEW_KEY(KEY_LEFT):
    case VIEW_KEY(KEY_RIGHT):
    case VIEW_KEY(KEY_BTAB):
    case 'h':
    case 'l':
        d->button = !d->button;
        return DIALOG_OPEN;
    default:
        if (is_enter(key))
            return d->button == 0 ? DIALOG_OK : DIALOG_CANCEL;
        return DIALOG_OPEN;
    }
}

static enum dialog_result typed_key(struct dialog *d, int key)
{
    switch (lineedit_key(&d->le, key)) {
    case LINEEDIT_ACCEPT:
        if (strcmp(d->le.buf, d->expect) == 0)
            return DIALOG_OK;
        snprintf(d->error, sizeof(d->error), "that is not the name: type it exactly, or Esc");
        return DIALOG_OPEN;
    case LINEEDIT_CANCEL:
        /* Backspace on an empty line cancels the `:` prompt; here it must not */
        return key == 27 || key == VIEW_KEY_CTRL('c') || key == VIEW_KEY_CTRL('g')
                   ? DIALOG_CANCEL
                   : DIALOG_OPEN;
    case LINEEDIT_CHANGED:
        d->error[0] = '\0';
        return DIALOG_OPEN;
    default:
        return DIALOG_OPEN;
    }
}

static size_t prev_visible(const struct form *f, size_t from)
{
    while (from > 0) {
        from--;
        if (!f->fields[from].hidden)
            return from;
    }
    return f->n;   /* wraps to the button */
}

static void move_focus(struct dialog *d, bool forward)
{
    if (forward)
        d->focus = d->focus >= d->form->n ? first_visible(d->form, 0)
                                          : first_visible(d->form, d->focus + 1);
    else
        d->focus = d->focus >= d->form->n ? prev_visible(d->form, d->form->n)
                                          : prev_visible(d->form, d->focus);
    focus_load(d);
}

static enum dialog_result changed(struct dialog *d)
{
    struct form_field *fl = &d->form->fields[d->focus];

    set_str(&d->changed, fl->name);
    d->error[0] = '\0';
    return DIALOG_CHANGED;
}

static enum dialog_result choice_key(struct dialog *d, struct form_field *fl, int key)
{
    size_t cur = 0;
    int step = key == VIEW_KEY(KEY_LEFT) ? -1 : 1;

    if (fl->nchoices == 0)
        return DIALOG_OPEN;
    for (size_t i = 0; i < fl->nchoices; i++)
        if (strcmp(fl->choices[i], fl->value) == 0)
            cur = i;
    cur = (cur + fl->nchoices + (size_t)(step < 0 ? fl->nchoices - 1 : 1)) % fl->nchoices;
    form_set(d->form, fl->name, fl->choices[cur]);
    return changed(d);
}

static enum dialog_result form_key(struct dialog *d, int key)
{
    struct form_field *fl;

    if (key == 27 || key == VIEW_KEY_CTRL('c'))
        return DIALOG_CANCEL;
    if (key == VIEW_KEY_CTRL('x'))
        return DIALOG_OK;
    if (key == '\t') {
        move_focus(d, true);
        return DIALOG_OPEN;
    }
    if (key == VIEW_KEY(KEY_BTAB)) {
        move_focus(d, false);
        return DIALOG_OPEN;
    }
    if (d->focus >= d->form->n) {   /* the [Send] button */
        if (is_enter(key))
            return DIALOG_OK;
        if (key == VIEW_KEY(KEY_UP) || key == VIEW_KEY(KEY_LEFT))
            move_focus(d, false);
        else if (key == VIEW_KEY(KEY_DOWN) || key == VIEW_KEY(KEY_RIGHT))
            move_focus(d, true);
        return DIALOG_OPEN;
    }
    fl = &d->form->fields[d->focus];
    if (fl->kind == FORM_CHOICE) {
        if (key == VIEW_KEY(KEY_LEFT) || key == VIEW_KEY(KEY_RIGHT) || key == ' ')
            return choice_key(d, fl, key);
        if (is_enter(key) || key == VIEW_KEY(KEY_DOWN))
            move_focus(d, true);
        else if (key == VIEW_KEY(KEY_UP))
            move_focus(d, false);
        return DIALOG_OPEN;
    }
    if (field_multiline(fl) && key == VIEW_KEY_CTRL('e'))
        return DIALOG_EDITOR;
    switch (textedit_key(&d->te, key)) {
    case TEXTEDIT_CHANGED:
        form_set(d->form, fl->name, textedit_text(&d->te));
        return changed(d);
    case TEXTEDIT_UNHANDLED:
        /* one-line fields: Enter and the arrows move between fields */
        if (is_enter(key) || key == VIEW_KEY(KEY_DOWN))
            move_focus(d, true);
        else if (key == VIEW_KEY(KEY_UP))
            move_focus(d, false);
        return DIALOG_OPEN;
    default:
        return DIALOG_OPEN;
    }
}

static enum dialog_result progress_key(struct dialog *d, int key)
{
    (void)d;
    if (key == 'c' || key == 'C')
        return DIALOG_STOP;
    if (key == 27 || key == 'q' || is_enter(key))
        return DIALOG_HIDE;
    return DIALOG_OPEN;
}

static enum dialog_result signin_key(struct dialog *d, int key)
{
    if (key == 27 || key == 'q' || key == VIEW_KEY_CTRL('c'))
        return DIALOG_CANCEL;
    if ((key == 'y' || key == 'Y') && (d->signin_uri_complete || d->signin_uri))
        return DIALOG_COPY;
    if (is_enter(key) && d->signin_ended)
        return DIALOG_OK;
    return DIALOG_OPEN;
}

enum dialog_result dialog_key(struct dialog *d, int key)
{
    switch (d->kind) {
    case DIALOG_CONFIRM:
        return confirm_key(d, key);
    case DIALOG_TYPED:
        return typed_key(d, key);
    case DIALOG_FORM:
        return form_key(d, key);
    case DIALOG_PROGRESS:
        return progress_key(d, key);
    case DIALOG_SIGNIN:
        return signin_key(d, key);
    }
    return DIALOG_OPEN;
}

/* ---- drawing ------------------------------------------------------------------------------- */

/* Untrusted or not, text reaches the dialog sanitised and cut to cols, skipping its first
 * `skip` columns (a field scrolled sideways). Returns the columns written. */
static int put(WINDOW *w, int y, int x, int cols, const char *text, int skip, attr_t attr,
               const struct glyphs *g)
{
    char *clean, *shown, *fit;
    int n;

    if (cols <= 0 || !text)
        return 0;
    clean = sanitize_text(text, strlen(text));
    shown = clean;
    while (skip > 0 && *shown) {
        char one[8] = {0};
        size_t k = 1;

        while (shown[k] && (shown[k] & 0xc0) == 0x80)
            k++;
        memcpy(one, shown, k < sizeof(one) ? k : sizeof(one) - 1);
        skip -= textwidth(one) > 0 ? textwidth(one) : 1;
        shown += k;
    }
    fit = textwidth_truncate(shown, cols, g->g[GLYPH_ELLIPSIS]);
    wattrset(w, attr);
    mvwaddstr(w, y, x, fit);
    n = textwidth(fit);
    free(fit);
    free(clean);
    return n;
}

/* text on up to `rows` rows of cols, broken at spaces; the last row cut with the ellipsis. */
static void put_wrapped(WINDOW *w, int y, int x, int cols, int rows, const char *text,
                        attr_t attr, const struct glyphs *g)
{
    char *clean = sanitize_text(text, strlen(text)), *p = clean;

    for (int r = 0; r < rows && *p; r++) {
        size_t n = strlen(p), cut = n, k;
        char *line;

        if (r < rows - 1 && textwidth(p) > cols) {
            /* the last space that leaves the row within cols */
            cut = 0;
            for (k = 0; k < n; k++) {
                if (p[k] == ' ') {
                    line = xstrndup(p, k);
                    if (textwidth(line) > cols) {
                        free(line);
                        break;
                    }
                    free(line);
                    cut = k;
                }
            }
            if (cut == 0)
                cut = n;   /* one long word: cut by put */
        }
        line = xstrndup(p, cut);
        wattrset(w, attr);
        {
            char *fit = textwidth_truncate(line, cols, g->g[GLYPH_ELLIPSIS]);
            mvwaddstr(w, y + r, x, fit);
            free(fit);
        }
        free(line);
        p += cut;
        while (*p == ' ')
            p++;
    }
    free(clean);
}

static void fill(WINDOW *w, int y, int x, int cols, attr_t attr)
{
    wattrset(w, attr);
    for (int i = 0; i < cols; i++)
        mvwaddch(w, y, x + i, ' ');
}

static void frame(WINDOW *w, int h, int wd, const char *title, const struct dialog_style *st)
{
    const struct glyphs *g = st->glyphs;

    for (int y = 0; y < h; y++)
        fill(w, y, 0, wd, st->normal);
    wattrset(w, st->border);
    mvwaddstr(w, 0, 0, g->g[GLYPH_ULCORNER]);
    mvwaddstr(w, 0, wd - 1, g->g[GLYPH_URCORNER]);
    mvwaddstr(w, h - 1, 0, g->g[GLYPH_LLCORNER]);
    mvwaddstr(w, h - 1, wd - 1, g->g[GLYPH_LRCORNER]);
    for (int x = 1; x < wd - 1; x++) {
        mvwaddstr(w, 0, x, g->g[GLYPH_HLINE]);
        mvwaddstr(w, h - 1, x, g->g[GLYPH_HLINE]);
    }
    for (int y = 1; y < h - 1; y++) {
        mvwaddstr(w, y, 0, g->g[GLYPH_VLINE]);
        mvwaddstr(w, y, wd - 1, g->g[GLYPH_VLINE]);
    }
    if (title && *title) {
        char *t = xasprintf(" %s ", title);
        put(w, 0, 2, wd - 4, t, 0, st->title, g);
        free(t);
    }
}

/* The header rows every dialog starts with: what, where, PRODUCTION. Returns the next row. */
static int header(WINDOW *w, int wd, const struct dialog *d, const struct dialog_style *st)
{
    int y = 1;

    if (d->what)
        put(w, y++, 2, wd - 4, d->what, 0, st->title, st->glyphs);
    if (d->where)
        put(w, y++, 2, wd - 4, d->where, 0, st->normal, st->glyphs);
    if (d->production)
        put(w, y++, 2, wd - 4, " PRODUCTION ", 0, st->production, st->glyphs);
    return y + 1;
}

static WINDOW *centred(int h, int wd)
{
    if (h > LINES)
        h = LINES;
    if (wd > COLS)
        wd = COLS;
    return newwin(h, wd, (LINES - h) / 2, (COLS - wd) / 2);
}

static int dialog_cols(void)
{
    int wd = COLS - 2;

    return wd > DIALOG_MAX_COLS ? DIALOG_MAX_COLS : wd < 20 ? COLS : wd;
}

static void draw_buttons(WINDOW *w, int y, int wd, const char *ok, const char *no, int focus,
                         const struct dialog_style *st)
{
    char *a = xasprintf("[ %s ]", ok), *b = xasprintf("[ %s ]", no);
    int total = textwidth(a) + 3 + textwidth(b), x = (wd - total) / 2;

    if (x < 2)
        x = 2;
    x += put(w, y, x, wd - 2 - x, a, 0, focus == 0 ? st->focus : st->normal, st->glyphs);
    x += 3;
    put(w, y, x, wd - 2 - x, b, 0, focus == 1 ? st->focus : st->normal, st->glyphs);
    free(a);
    free(b);
}

static void draw_confirm(struct dialog *d, const struct dialog_style *st)
{
    int wd = dialog_cols(), h = 9 + (d->production ? 1 : 0), y;
    WINDOW *w = centred(h, wd);
    char *keys;

    if (!w)
        return;
    frame(w, h, wd, d->title, st);
    y = header(w, wd, d, st);
    draw_buttons(w, y++, wd, d->ok_label, "Cancel", d->button, st);
    keys = xasprintf("y %s · n/Esc cancel · Tab between", d->ok_label);
    put(w, h - 2, 2, wd - 4, keys, 0, st->dim, st->glyphs);
    free(keys);
    curs_set(0);
    wnoutrefresh(w);
    delwin(w);
}

static void draw_typed(struct dialog *d, const struct dialog_style *st)
{
    int wd = dialog_cols(), h = 10 + (d->production ? 1 : 0), y, x;
    WINDOW *w = centred(h, wd);
    char *prompt;

    if (!w)
        return;
    frame(w, h, wd, d->title, st);
    y = header(w, wd, d, st);
    prompt = xasprintf("%s: %s", d->prompt ? d->prompt : "Type the name to confirm",
                       d->expect);
    put(w, y++, 2, wd - 4, prompt, 0, st->normal, st->glyphs);
    free(prompt);
    fill(w, y, 2, wd - 4, st->field);
    put(w, y, 2, 2, "> ", 0, st->field, st->glyphs);
    x = 4 + put(w, y, 4, wd - 6, d->le.buf, 0, st->field, st->glyphs);
    y++;
    if (d->error[0])
        put(w, y, 2, wd - 4, d->error, 0, st->error, st->glyphs);
    put(w, h - 2, 2, wd - 4, "Enter confirm · Esc cancel", 0, st->dim, st->glyphs);
    wmove(w, y - 1, x < wd - 2 ? x : wd - 2);
    curs_set(1);
    wnoutrefresh(w);
    delwin(w);
}

static int field_rows(const struct form_field *fl, int text_rows)
{
    if (fl->kind != FORM_TEXT)
        return 1;
    return text_rows > 0 ? text_rows : fl->rows > 0 ? fl->rows : TEXT_ROWS;
}

/* Draws one field at row y; returns the cursor's (y, x) when it has focus and is text. */
static void draw_field(WINDOW *w, int y, int wd, const struct dialog *d, size_t i, int rows,
                       const struct dialog_style *st, int *cy, int *cx)
{
    const struct form_field *fl = &d->form->fields[i];
    bool focus = d->focus == i;
    int vx = 2 + LABEL_COLS, vw = wd - 2 - vx;
    attr_t va = focus ? st->focus : st->field;

    put(w, y, 2, LABEL_COLS - 1, fl->label, 0, focus ? st->title : st->normal, st->glyphs);
    if (fl->kind == FORM_CHOICE) {
        char *v = xasprintf("%s %s %s", st->glyphs->g[GLYPH_ARROW_LEFT], fl->value,
                            st->glyphs->g[GLYPH_ARROW_RIGHT]);
        fill(w, y, vx, vw, va);
        put(w, y, vx, vw, v, 0, va, st->glyphs);
        free(v);
        return;
    }
    if (!focus || !d->te_on) {
        /* not being edited: the first lines of the value */
        const char *p = fl->value;
        for (int r = 0; r < rows; r++) {
            const char *nl = strchr(p, '\n');
            char *line = nl ? xstrndup(p, (size_t)(nl - p)) : xstrdup(p);

            fill(w, y + r, vx, vw, va);
            put(w, y + r, vx, vw, line, 0, va, st->glyphs);
            free(line);
            if (!nl) {
                p = "";
            } else {
                p = nl + 1;
                if (r == rows - 1 && *p) /* more below: say so */
                    put(w, y + r, vx + vw - 1, 1, st->glyphs->g[GLYPH_ELLIPSIS], 0, st->dim,
                        st->glyphs);
            }
        }
        return;
    }
    /* being edited: scrolled so the cursor shows */
    size_t cl, cb, nlines = textedit_nlines(&d->te), top = 0;
    textedit_cursor(&d->te, &cl, &cb);
    if (cl >= (size_t)rows)
        top = cl - (size_t)rows + 1;
    size_t ls, ll;
    textedit_line(&d->te, cl, &ls, &ll);
    char *head = xstrndup(textedit_text(&d->te) + ls, cb);
    char *chead = sanitize_text(head, strlen(head));
    int col = textwidth(chead), skip = col >= vw ? col - vw + 1 : 0;
    free(chead);
    free(head);
    for (int r = 0; r < rows; r++) {
        fill(w, y + r, vx, vw, va);
        if (top + (size_t)r < nlines) {
            textedit_line(&d->te, top + (size_t)r, &ls, &ll);
            char *line = xstrndup(textedit_text(&d->te) + ls, ll);
            put(w, y + r, vx, vw, line, skip, va, st->glyphs);
            free(line);
        }
    }
    *cy = y + (int)(cl - top);
    *cx = vx + col - skip;
}

static void draw_form(struct dialog *d, const struct dialog_style *st)
{
    size_t vis[64], nvis = form_visible(d->form, vis, 64);
    int wd = dialog_cols(), top, avail, need = 0, text_rows = 0, ntext = 0, y, cy = -1,
        cx = -1, h;
    WINDOW *w;
    const char *msg;

    if (nvis > 64)
        nvis = 64;
    top = 2 + (d->where ? 1 : 0) + (d->production ? 1 : 0) + 1;
    avail = LINES - top - 5;   /* message (2 rows), buttons, keys, border */
    for (size_t k = 0; k < nvis; k++) {
        need += field_rows(&d->form->fields[vis[k]], 0);
        ntext += d->form->fields[vis[k]].kind == FORM_TEXT;
    }
    if (need > avail && ntext > 0) {
        /* squeeze the multi-line fields first, to two rows at least */
        int other = (int)nvis - ntext;
        text_rows = (avail - other) / ntext;
        if (text_rows < 2)
            text_rows = 2;
        need = other + text_rows * ntext;
    }
    /* still too tall: scroll by field so the focused one shows */
    if (d->focus < d->form->n) {
        size_t fpos = 0;
        for (size_t k = 0; k < nvis; k++)
            if (vis[k] == d->focus)
                fpos = k;
        if (fpos < d->scroll)
            d->scroll = fpos;
        while (d->scroll < fpos) {
            int rows = 0;
            for (size_t k = d->scroll; k <= fpos; k++)
                rows += field_rows(&d->form->fields[vis[k]], text_rows);
            if (rows <= avail)
                break;
            d->scroll++;
        }
    }
    if (need <= avail)
        d->scroll = 0;
    h = top + (need < avail ? need : avail) + 5;   /* message (2), buttons, keys, border */
    w = centred(h, wd);
    if (!w)
        return;
    frame(w, h, wd, d->title, st);
    y = header(w, wd, d, st);
    for (size_t k = d->scroll; k < nvis; k++) {
        int rows = field_rows(&d->form->fields[vis[k]], text_rows);

        if (y + rows > h - 5 && k > d->scroll)
            break;
        draw_field(w, y, wd, d, vis[k], rows, st, &cy, &cx);
        y += rows;
    }
    /* two rows for why the form cannot be sent (or the field's hint): a size check names
     * the size, the queue, its limit and the fix, which one 80-column row cannot hold */
    msg = d->error[0] ? d->error
          : d->focus < d->form->n && d->form->fields[d->focus].hint ? d->form->fields[d->focus].hint
                                                                     : NULL;
    if (msg)
        put_wrapped(w, h - 5, 2, wd - 4, 2, msg, d->error[0] ? st->error : st->dim, st->glyphs);
    draw_buttons(w, h - 3, wd, d->ok_label, "Esc cancel", d->focus >= d->form->n ? 0 : -1,
                 st);
    put(w, h - 2, 2, wd - 4,
        dialog_field_multiline(d) ? "Tab next · S-Tab back · Enter new line · ^E editor · "
                                    "^X send · Esc cancel"
                                  : "Tab/Enter next · S-Tab back · ^X send · Esc cancel",
        0, st->dim, st->glyphs);
    if (cy >= 0) {
        wmove(w, cy, cx < wd - 2 ? cx : wd - 2);
        curs_set(1);
    } else {
        curs_set(0);
    }
    wnoutrefresh(w);
    delwin(w);
}

static void draw_progress(struct dialog *d, const struct dialog_style *st,
                          const struct store *store)
{
    const struct store_res *r = store ? store_find(store, "job", d->job_key) : NULL;
    int wd = dialog_cols(), h = 10, y, barw;
    WINDOW *w = centred(h, wd);
    int64_t done = 0, total = -1;
    double rate = NAN;
    const char *state = r ? store_res_str(r, "state") : NULL, *err = NULL;
    char line[256], a[32], b[32], eta[32];
    bool running;
    const char *unit = r ? store_res_str(r, "unit") : NULL;
    /* a download counts bytes: sizes, not counts */
    char *(*amount)(char *, size_t, int64_t) = unit && strcmp(unit, "bytes") == 0 ? fmt_bytes
                                                                                 : fmt_count;

    if (!w)
        return;
    frame(w, h, wd, d->title, st);
    y = header(w, wd, d, st);
    if (!r) {
        put(w, y, 2, wd - 4, "the job is not in the store (the session was switched)", 0,
            st->error, st->glyphs);
    } else {
        store_res_int(r, "done", &done);
        if (!store_res_int(r, "total", &total))
            total = -1;
        if (!store_res_num(r, "rate", &rate))
            rate = NAN;
        err = store_res_str(r, "error");
        /* the bar */
        barw = wd - 4 - 24;
        if (barw < 10)
            barw = 10;
        wattrset(w, st->normal);
        mvwaddstr(w, y, 2, "[");
        for (int i = 0; i < barw; i++) {
            bool filled = total > 0 && (int64_t)i * total < done * barw;
            wattrset(w, filled ? st->focus : st->dim);
            waddstr(w, filled ? st->glyphs->spark[GLYPH_SPARK_LEVELS - 1]
                              : st->glyphs->g[GLYPH_HLINE]);
        }
        wattrset(w, st->normal);
        waddstr(w, "]");
        if (total > 0)
            snprintf(line, sizeof(line), " %s / %s %3d%%", amount(a, sizeof(a), done),
                     amount(b, sizeof(b), total), (int)(done * 100 / total));
        else
            snprintf(line, sizeof(line), " %s / ?", amount(a, sizeof(a), done));
        put(w, y++, 4 + barw, wd - 6 - barw, line, 0, st->normal, st->glyphs);
        /* rate, time left, state */
        if (isfinite(rate) && rate > 0 && total > 0 && done < total)
            fmt_duration(eta, sizeof(eta), (int64_t)((double)(total - done) / rate + 0.999));
        else
            snprintf(eta, sizeof(eta), "-");
        if (state && store_res_str(r, "phase"))
            snprintf(line, sizeof(line), "%s · %s", store_res_str(r, "phase"), state);
        else if (isfinite(rate) && amount == fmt_bytes)
            snprintf(line, sizeof(line), "%s/s · %s left · %s",
                     fmt_bytes(a, sizeof(a), (int64_t)rate), eta, state ? state : "?");
        else if (isfinite(rate))
            snprintf(line, sizeof(line), "%.1f/s · %s left · %s", rate, eta,
                     state ? state : "?");
        else
            snprintf(line, sizeof(line), "rate not known yet · %s", state ? state : "?");
        put(w, y++, 2, wd - 4, line, 0, st->normal, st->glyphs);
        if (err)
            put(w, y++, 2, wd - 4, err, 0, st->error, st->glyphs);
    }
    running = state && (strcmp(state, "running") == 0 || strcmp(state, "cancelling") == 0);
    put(w, h - 2, 2, wd - 4,
        running ? "c cancel the job · Enter/Esc hide (it goes on: :jobs)" : "Enter/Esc close",
        0, st->dim, st->glyphs);
    curs_set(0);
    wnoutrefresh(w);
    delwin(w);
}

/* The sign-in: where to go, the code, how long it is valid, how it goes. Every string is
 * AWS's or the config's: put() sanitises them. */
static void draw_signin(struct dialog *d, const struct dialog_style *st)
{
    int wd = dialog_cols(), h = 17, y;
    WINDOW *w = centred(h, wd);
    char line[256], left[32];

    if (!w)
        return;
    frame(w, h, wd, d->title, st);
    y = header(w, wd, d, st);
    if (d->signin_code) {
        put(w, y++, 2, wd - 4, "On any device with a browser, open", 0, st->normal, st->glyphs);
        put(w, y++, 6, wd - 8, d->signin_uri ? d->signin_uri : "?", 0, st->title, st->glyphs);
        put(w, y, 2, wd - 4, "and enter the code", 0, st->normal, st->glyphs);
        put(w, y++, 22, wd - 24, d->signin_code, 0, st->focus | A_BOLD, st->glyphs);
        if (d->signin_uri_complete) {
            put(w, y++, 2, wd - 4, "or open this URL, which carries the code:", 0, st->normal,
                st->glyphs);
            put(w, y++, 6, wd - 8, d->signin_uri_complete, 0, st->normal, st->glyphs);
        }
        y++;
        if (!d->signin_ended && d->signin_expires_ms) {
            int64_t ms = d->signin_expires_ms - d->signin_now_ms;

            fmt_duration(left, sizeof(left), ms > 0 ? (ms + 999) / 1000 : 0);
            snprintf(line, sizeof(line), "The code expires in %s", left);
            put(w, y++, 2, wd - 4, line, 0, ms > 60000 ? st->normal : st->error, st->glyphs);
        }
    }
    if (d->signin_status)
        put(w, y++, 2, wd - 4, d->signin_status, 0, st->dim, st->glyphs);
    /* four rows (the countdown is gone once it ended): the cause names the profile and
     * the start URL, then the fix */
    if (d->signin_error)
        put_wrapped(w, h - 6, 2, wd - 4, 4, d->signin_error, st->error, st->glyphs);
    put(w, h - 2, 2, wd - 4,
        d->signin_ended ? (d->signin_error ? "Enter try again · Esc close" : "Enter/Esc close")
                    : "y copy the URL with the code (OSC 52) · Esc cancel the sign-in",
        0, st->dim, st->glyphs);
    curs_set(0);
    wnoutrefresh(w);
    delwin(w);
}

void dialog_draw(struct dialog *d, const struct dialog_style *st, const struct store *store)
{
    switch (d->kind) {
    case DIALOG_CONFIRM:
        draw_confirm(d, st);
        break;
    case DIALOG_TYPED:
        draw_typed(d, st);
        break;
    case DIALOG_FORM:
        draw_form(d, st);
        break;
    case DIALOG_PROGRESS:
        draw_progress(d, st, store);
        break;
    case DIALOG_SIGNIN:
        draw_signin(d, st);
        break;
    }
}
