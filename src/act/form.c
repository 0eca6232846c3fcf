/* form.c - a form's fields, values and checks (form.h). */
#include "config.h"
#include "act/form.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/utf8.h"

void form_init(struct form *f, const char *title)
{
    memset(f, 0, sizeof(*f));
    f->title = xstrdup(title ? title : "");
}

static void field_done(struct form_field *fl)
{
    free(fl->name);
    free(fl->label);
    free(fl->hint);
    free(fl->value);
    for (size_t i = 0; i < fl->nchoices; i++)
        free(fl->choices[i]);
    free(fl->choices);
}

void form_done(struct form *f)
{
    for (size_t i = 0; i < f->n; i++)
        field_done(&f->fields[i]);
    free(f->fields);
    free(f->title);
    memset(f, 0, sizeof(*f));
}

struct form_field *form_add(struct form *f, const char *name, const char *label,
                            enum form_kind kind)
{
    struct form_field *fl;

    f->fields = xrealloc(f->fields, (f->n + 1) * sizeof(*f->fields));
    fl = &f->fields[f->n++];
    memset(fl, 0, sizeof(*fl));
    fl->name = xstrdup(name);
    fl->label = xstrdup(label);
    fl->kind = kind;
    fl->value = xstrdup("");
    return fl;
}

struct form_field *form_field(struct form *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->fields[i].name, name) == 0)
            return &f->fields[i];
    return NULL;
}

const char *form_value(const struct form *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->fields[i].name, name) == 0)
            return f->fields[i].value;
    return "";
}

void form_set(struct form *f, const char *name, const char *value)
{
    struct form_field *fl = form_field(f, name);

    if (!fl)
        return;
    free(fl->value);
    fl->value = xstrdup(value ? value : "");
}

void form_set_hint(struct form_field *fl, const char *hint)
{
    free(fl->hint);
    fl->hint = hint ? xstrdup(hint) : NULL;
}

void form_set_choices(struct form_field *fl, const char *const *choices, size_t n)
{
    for (size_t i = 0; i < fl->nchoices; i++)
        free(fl->choices[i]);
    free(fl->choices);
    fl->choices = xcalloc(n ? n : 1, sizeof(*fl->choices));
    for (size_t i = 0; i < n; i++)
        fl->choices[i] = xstrdup(choices[i]);
    fl->nchoices = n;
}

/* A whole decimal number, nothing around it. */
static bool parse_long(const char *s, long *out)
{
    char *end;
    long v;

    if (!*s || (*s != '-' && (*s < '0' || *s > '9')))
        return false;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

long form_long(const struct form *f, const char *name, long dflt)
{
    long v;

    return parse_long(form_value(f, name), &v) ? v : dflt;
}

size_t form_visible(const struct form *f, size_t *idx, size_t max)
{
    size_t n = 0;

    for (size_t i = 0; i < f->n; i++)
        if (!f->fields[i].hidden) {
            if (n < max)
                idx[n] = i;
            n++;
        }
    return n;
}

/* Every byte of s is part of a UTF-8 character (a NUL-terminated string). */
static bool utf8_valid(const char *s)
{
    while (*s) {
        uint32_t cp;
        size_t n = utf8_decode(s, SIZE_MAX, &cp);

        if (!n)
            return false;
        s += n;
    }
    return true;
}

int form_check(const struct form *f, char *why, size_t whylen, size_t *bad)
{
    for (size_t i = 0; i < f->n; i++) {
        const struct form_field *fl = &f->fields[i];
        size_t max = fl->max_len ? fl->max_len : fl->kind == FORM_TEXT ? FORM_TEXT_MAX
                                                                        : FORM_LINE_MAX;
        long v;

        if (fl->hidden)
            continue;
        if (bad)
            *bad = i;
        if (!fl->value[0]) {
            if (fl->required) {
                snprintf(why, whylen, "%s: required", fl->label);
                return -1;
            }
            continue;
        }
        if (strlen(fl->value) > max) {
            snprintf(why, whylen, "%s: longer than %zu bytes", fl->label, max);
            return -1;
        }
        if (!utf8_valid(fl->value)) {
            snprintf(why, whylen, "%s: not valid UTF-8 text", fl->label);
            return -1;
        }
        if (fl->kind == FORM_LINE && strchr(fl->value, '\n')) {
            snprintf(why, whylen, "%s: one line only", fl->label);
            return -1;
        }
        if (fl->kind == FORM_NUMBER) {
            if (!parse_long(fl->value, &v)) {
                snprintf(why, whylen, "%s: '%.20s' is not a whole number", fl->label,
                         fl->value);
                return -1;
            }
            if (v < fl->min || v > fl->max) {
                snprintf(why, whylen, "%s: %ld is outside %ld to %ld", fl->label, v, fl->min,
                         fl->max);
                return -1;
            }
        }
        if (fl->kind == FORM_CHOICE) {
            bool found = false;

            for (size_t c = 0; c < fl->nchoices && !found; c++)
                found = strcmp(fl->choices[c], fl->value) == 0;
            if (!found) {
                snprintf(why, whylen, "%s: '%.40s' is not one of the choices", fl->label,
                         fl->value);
                return -1;
            }
        }
    }
    return 0;
}
