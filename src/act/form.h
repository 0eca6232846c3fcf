/* form.h - what an action asks before it runs: a small form of named fields with values
 * and their checks, as plain data (no curses). The console draws and edits it
 * (src/ui/dialog.c); a headless command fills it from its options; both check it here.
 *
 * Field kinds: LINE (one line of text), TEXT (several lines: a message body), NUMBER (a
 * whole number within [min, max]; "" when not required means "not given"), CHOICE (one of
 * a list, shown as the value itself). A hidden field is neither shown nor checked (the FIFO
 * fields of a standard queue). Values are UTF-8, owned by the form. */
#ifndef OPSDECK_FORM_H
#define OPSDECK_FORM_H

#include <stdbool.h>
#include <stddef.h>

#define FORM_LINE_MAX 1024            /* bytes of a LINE or NUMBER field by default */
#define FORM_TEXT_MAX (1024 * 1024)   /* bytes of a TEXT field by default */

enum form_kind { FORM_LINE, FORM_TEXT, FORM_NUMBER, FORM_CHOICE };

struct form_field {
    char *name;            /* "body": what the action asks for */
    char *label;           /* "Body": what the user reads */
    enum form_kind kind;
    bool hidden;
    bool required;
    long min, max;         /* NUMBER */
    size_t max_len;        /* bytes; 0: FORM_LINE_MAX or FORM_TEXT_MAX */
    int rows;              /* TEXT: rows shown; 0: 4 */
    char **choices;        /* CHOICE */
    size_t nchoices;
    char *hint;            /* one line on what to write, or NULL */
    char *value;           /* never NULL */
};

struct form {
    char *title;
    struct form_field *fields;
    size_t n;
};

void form_init(struct form *f, const char *title);
void form_done(struct form *f);
/* Adds a field (value ""); the pointer is valid until the next form_add. */
struct form_field *form_add(struct form *f, const char *name, const char *label,
                            enum form_kind kind);
struct form_field *form_field(struct form *f, const char *name);   /* NULL: no such field */
const char *form_value(const struct form *f, const char *name);    /* "" when unknown */
void form_set(struct form *f, const char *name, const char *value);
void form_set_hint(struct form_field *fl, const char *hint);
void form_set_choices(struct form_field *fl, const char *const *choices, size_t n);
/* A NUMBER field's value, or dflt when it is empty or not a number. */
long form_long(const struct form *f, const char *name, long dflt);
/* The visible fields, in order: index i of the n shown. */
size_t form_visible(const struct form *f, size_t *idx, size_t max);

/* Checks every visible field: required ones are not empty, numbers are whole and in range,
 * lengths, UTF-8 text, choices among their list. 0, or -1 with why ("Delay: 1000 is more
 * than 900") and *bad the index of the first field at fault. */
int form_check(const struct form *f, char *why, size_t whylen, size_t *bad);

#endif
