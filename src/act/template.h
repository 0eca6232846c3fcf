/* template.h - the contents of a test message (SQS SendMessage now, SNS Publish later):
 * placeholders, message attributes as text, templates from opsdeck's config.
 *
 * Placeholders, expanded once per message sent: {{uuid}} a random UUID (version 4), {{now}}
 * the time in UTC as 2026-01-02T03:04:05.678Z. Any other {{WORD}} (letters, digits, '_') is
 * an error, so a typo is caught before anything is sent; other text in double braces
 * ("{{ a b }}", a "{{" with no "}}") is plain text.
 *
 * Message attributes are written one per line as NAME=[TYPE:]VALUE, in the form and in
 * [template NAME] attribute.NAME = [TYPE:]VALUE lines: TYPE is String, Number or Binary,
 * each with an optional .label (Number.float); without a TYPE the value is a String. A
 * Number is a decimal number; a Binary value is written in base64. Blank lines and lines
 * starting with # are skipped. At most APPCONFIG_ATTRS_MAX attributes. */
#ifndef OPSDECK_TEMPLATE_H
#define OPSDECK_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/appconfig.h"

#define TEMPLATE_UUID_LEN 36      /* what {{uuid}} becomes, in bytes */
#define TEMPLATE_NOW_LEN 24       /* what {{now}} becomes */

/* text with every placeholder expanded; now_ms the wall clock for {{now}}. NULL with why
 * when text holds an unknown placeholder. The caller frees. */
char *template_expand(const char *text, int64_t now_ms, char *why, size_t whylen);
/* The length text will have once expanded, or -1 with why when it would not expand. */
long template_expanded_len(const char *text, char *why, size_t whylen);

struct tmpl_attr {
    char *name;
    char *type;       /* "String", "Number.float", "Binary" */
    char *value;      /* as written (base64 for a Binary one), placeholders unexpanded */
};

struct tmpl_attrs {
    struct tmpl_attr *v;
    size_t n;
};

/* Parses NAME=[TYPE:]VALUE lines. 0, or -1 with why naming the line (out left empty). */
int tmpl_attrs_parse(const char *text, struct tmpl_attrs *out, char *why, size_t whylen);
void tmpl_attrs_free(struct tmpl_attrs *a);

/* The value of one attribute as it is sent: placeholders expanded, a Binary one decoded.
 * *len its length in bytes. NULL with why when it does not expand or decode, or a Number
 * that is not a number. The caller frees. */
char *tmpl_attr_value(const struct tmpl_attr *a, int64_t now_ms, size_t *len, char *why,
                      size_t whylen);

/* A template's attributes written as NAME=[TYPE:]VALUE lines, as the form shows them. The
 * caller frees. */
char *template_attrs_text(const struct appconfig_template *t);

struct form;

/* The form's "template" field: a choice of "(none)" and every [template NAME] of app, with
 * what it fills in the hint (nothing when app has no template). */
void template_form_choice(struct form *f, const struct appconfig *app, const char *fills);
/* Fills the form's "body", "subject" (when the form has one and the template sets it) and
 * "attributes" fields from [template name] of app; nothing when there is no such one. */
void template_form_fill(struct form *f, const struct appconfig *app, const char *name);
/* The template chosen in the form, or NULL for none (or no such field). */
const char *template_form_chosen(const struct form *f);

/* Milliseconds since the epoch, for {{now}}. */
int64_t template_now_ms(void);

#endif
