/* template.c - placeholders and message attributes as text (template.h). */
#include "config.h"
#include "act/template.h"

#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "act/form.h"
#include "util/buf.h"
#include "util/xalloc.h"

int64_t template_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void uuid4(char out[TEMPLATE_UUID_LEN + 1])
{
    unsigned char b[16];
    size_t got = 0;

    while (got < sizeof(b)) {
        ssize_t n = getrandom(b + got, sizeof(b) - got, 0);
        if (n <= 0)
            fatal("getrandom: no randomness for {{uuid}}");
        got += (size_t)n;
    }
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);   /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);   /* RFC 4122 variant */
    snprintf(out, TEMPLATE_UUID_LEN + 1,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
}

static void now_text(int64_t now_ms, char out[TEMPLATE_NOW_LEN + 1])
{
    time_t s = (time_t)(now_ms / 1000);
    struct tm tm;
    char text[64];

    gmtime_r(&s, &tm);
    if (strftime(text, 20, "%Y-%m-%dT%H:%M:%S", &tm) != 19)
        memcpy(text, "0000-00-00T00:00:00", 20);   /* a year past 9999 */
    snprintf(text + 19, sizeof(text) - 19, ".%03dZ", (int)(now_ms % 1000));
    memcpy(out, text, TEMPLATE_NOW_LEN);
    out[TEMPLATE_NOW_LEN] = '\0';
}

/* What may be a placeholder's name: a word of letters, digits and '_' (so a typo such as
 * {{uid}} is caught, while other text in double braces is just text). */
static bool placeholder_name(const char *s, size_t n)
{
    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_')
            return false;
    return true;
}

/* Walks text: plain runs and placeholders. With out NULL it only measures. */
static long expand(const char *text, int64_t now_ms, struct buf *out, char *why, size_t whylen)
{
    long len = 0;
    const char *p = text;

    while (*p) {
        const char *open = strstr(p, "{{"), *close;

        if (!open || !(close = strstr(open + 2, "}}"))) {
            size_t n = strlen(p);
            if (out)
                buf_append(out, p, n);
            return len + (long)n;
        }
        size_t nlen = (size_t)(close - open - 2);
        if (!placeholder_name(open + 2, nlen)) {
            /* "{{ a }}" or JSON that happens to hold braces: text, kept as it is */
            if (out)
                buf_append(out, p, (size_t)(open + 1 - p));
            len += open + 1 - p;
            p = open + 1;   /* "{{{uuid}}}": the placeholder may start at the next brace */
            continue;
        }
        if (out)
            buf_append(out, p, (size_t)(open - p));
        len += open - p;
        if (nlen == 4 && strncmp(open + 2, "uuid", 4) == 0) {
            char u[TEMPLATE_UUID_LEN + 1];
            if (out) {
                uuid4(u);
                buf_puts(out, u);
            }
            len += TEMPLATE_UUID_LEN;
        } else if (nlen == 3 && strncmp(open + 2, "now", 3) == 0) {
            char t[TEMPLATE_NOW_LEN + 1];
            if (out) {
                now_text(now_ms, t);
                buf_puts(out, t);
            }
            len += TEMPLATE_NOW_LEN;
        } else {
            snprintf(why, whylen, "unknown placeholder {{%.*s}} — use {{uuid}} or {{now}}",
                     nlen > 40 ? 40 : (int)nlen, open + 2);
            return -1;
        }
        p = close + 2;
    }
    return len;
}

char *template_expand(const char *text, int64_t now_ms, char *why, size_t whylen)
{
    struct buf b;

    buf_init(&b);
    if (expand(text ? text : "", now_ms, &b, why, whylen) < 0) {
        buf_done(&b);
        return NULL;
    }
    buf_putc(&b, '\0');
    return buf_steal(&b);
}

long template_expanded_len(const char *text, char *why, size_t whylen)
{
    return expand(text ? text : "", 0, NULL, why, whylen);
}

/* ---- attributes -------------------------------------------------------------------------- */

void tmpl_attrs_free(struct tmpl_attrs *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->v[i].name);
        free(a->v[i].type);
        free(a->v[i].value);
    }
    free(a->v);
    a->v = NULL;
    a->n = 0;
}

/* As SQS and SNS take a name: letters, digits, '_', '-', '.' (not at the ends nor twice in
 * a row), not starting with AWS. or Amazon. (reserved). */
static bool name_valid(const char *s, size_t n, char *why, size_t whylen)
{
    if (n == 0 || n > APPCONFIG_ATTR_NAME_MAX) {
        snprintf(why, whylen, "a name of 1 to %d characters", APPCONFIG_ATTR_NAME_MAX);
        return false;
    }
    if (s[0] == '.' || s[n - 1] == '.' || memmem(s, n, "..", 2)) {
        snprintf(why, whylen, "no '.' at either end nor two in a row");
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.') {
            snprintf(why, whylen, "letters, digits, '_', '-' and '.' only");
            return false;
        }
    }
    if ((n >= 4 && strncasecmp(s, "AWS.", 4) == 0) ||
        (n >= 7 && strncasecmp(s, "Amazon.", 7) == 0)) {
        snprintf(why, whylen, "not starting with AWS. or Amazon. (reserved)");
        return false;
    }
    return true;
}

/* "String", "Number.float", "Binary.x" before a ':' make a type; anything else does not. */
static bool type_prefix(const char *s, size_t n)
{
    static const char *const bases[] = {"String", "Number", "Binary"};

    for (size_t b = 0; b < 3; b++) {
        size_t bl = strlen(bases[b]);

        if (n < bl || strncmp(s, bases[b], bl) != 0)
            continue;
        if (n == bl)
            return true;
        if (s[bl] != '.' || n == bl + 1)
            return false;
        for (size_t i = bl + 1; i < n; i++)
            if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
                return false;
        return true;
    }
    return false;
}

int tmpl_attrs_parse(const char *text, struct tmpl_attrs *out, char *why, size_t whylen)
{
    struct tmpl_attrs a = {0};
    const char *p = text ? text : "";
    int lineno = 0;
    char reason[128];

    memset(out, 0, sizeof(*out));
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        const char *line = p, *eq, *colon;

        lineno++;
        p = eol ? eol + 1 : p + len;
        while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
            len--;
        while (len && (*line == ' ' || *line == '\t')) {
            line++;
            len--;
        }
        if (len == 0 || *line == '#')
            continue;
        eq = memchr(line, '=', len);
        if (!eq) {
            snprintf(why, whylen, "attribute line %d has no '=' — write NAME=[TYPE:]VALUE",
                     lineno);
            goto fail;
        }
        size_t nl = (size_t)(eq - line);
        while (nl && (line[nl - 1] == ' ' || line[nl - 1] == '\t'))
            nl--;
        if (!name_valid(line, nl, reason, sizeof(reason))) {
            snprintf(why, whylen, "attribute line %d: the name must have %s", lineno, reason);
            goto fail;
        }
        for (size_t i = 0; i < a.n; i++) {
            if (strlen(a.v[i].name) == nl && strncmp(a.v[i].name, line, nl) == 0) {
                snprintf(why, whylen, "attribute line %d: %.*s is given twice", lineno,
                         (int)(nl > 64 ? 64 : nl), line);
                goto fail;
            }
        }
        if (a.n == APPCONFIG_ATTRS_MAX) {
            snprintf(why, whylen, "attribute line %d: a message takes at most %d attributes",
                     lineno, APPCONFIG_ATTRS_MAX);
            goto fail;
        }
        const char *v = eq + 1;
        size_t vl = len - (size_t)(v - line);
        while (vl && (*v == ' ' || *v == '\t')) {
            v++;
            vl--;
        }
        struct tmpl_attr at = {0};
        colon = memchr(v, ':', vl);
        if (colon && type_prefix(v, (size_t)(colon - v))) {
            at.type = xstrndup(v, (size_t)(colon - v));
            vl -= (size_t)(colon + 1 - v);
            v = colon + 1;
        } else {
            at.type = xstrdup("String");
        }
        if (vl == 0) {
            snprintf(why, whylen, "attribute line %d: %.*s has no value (SQS refuses empty "
                                  "ones)", lineno, (int)(nl > 64 ? 64 : nl), line);
            free(at.type);
            goto fail;
        }
        at.name = xstrndup(line, nl);
        at.value = xstrndup(v, vl);
        a.v = xrealloc(a.v, (a.n + 1) * sizeof(*a.v));
        a.v[a.n++] = at;
    }
    *out = a;
    return 0;
fail:
    tmpl_attrs_free(&a);
    return -1;
}

/* A decimal number as SQS takes one: sign, digits, fraction, exponent; at most 38
 * significant digits. */
static bool number_valid(const char *s)
{
    int digits = 0;
    bool any = false;

    if (*s == '+' || *s == '-')
        s++;
    for (; isdigit((unsigned char)*s); s++, any = true)
        digits += digits || *s != '0';
    if (*s == '.')
        for (s++; isdigit((unsigned char)*s); s++, any = true)
            digits++;
    if (!any)
        return false;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!isdigit((unsigned char)*s))
            return false;
        while (isdigit((unsigned char)*s))
            s++;
    }
    return *s == '\0' && digits <= 38;
}

char *tmpl_attr_value(const struct tmpl_attr *a, int64_t now_ms, size_t *len, char *why,
                      size_t whylen)
{
    char reason[256];
    char *v = template_expand(a->value, now_ms, reason, sizeof(reason));

    if (!v) {
        snprintf(why, whylen, "attribute %.64s: %s", a->name, reason);
        return NULL;
    }
    if (strncmp(a->type, "Number", 6) == 0 && !number_valid(v)) {
        snprintf(why, whylen, "attribute %.64s: '%.40s' is not a number (a Number holds "
                              "digits, a sign, a point and an exponent; 38 digits at most)",
                 a->name, v);
        free(v);
        return NULL;
    }
    if (strncmp(a->type, "Binary", 6) == 0) {
        size_t vl = strlen(v), pad = 0;
        unsigned char *raw = xmalloc(vl / 4 * 3 + 3);
        int n = vl % 4 == 0 && vl > 0 ? EVP_DecodeBlock(raw, (const unsigned char *)v,
                                                        (int)vl)
                                      : -1;

        if (n < 0) {
            snprintf(why, whylen, "attribute %.64s: a Binary value is written in base64, and "
                                  "'%.40s' is not base64", a->name, v);
            free(raw);
            free(v);
            return NULL;
        }
        /* EVP_DecodeBlock counts the padding as data */
        while (pad < 2 && vl > pad && v[vl - 1 - pad] == '=')
            pad++;
        free(v);
        *len = (size_t)n - pad;
        return (char *)raw;
    }
    *len = strlen(v);
    return v;
}

char *template_attrs_text(const struct appconfig_template *t)
{
    struct buf b;

    buf_init(&b);
    for (size_t i = 0; t && i < t->nattrs; i++)
        buf_printf(&b, "%s%s=%s", i ? "\n" : "", t->attrs[i].name, t->attrs[i].value);
    buf_putc(&b, '\0');
    return buf_steal(&b);
}

#define TEMPLATE_NONE "(none)"

void template_form_choice(struct form *f, const struct appconfig *app, const char *fills)
{
    const char **names;
    struct form_field *fl;
    char *hint;

    if (!app || !app->ntemplates)
        return;
    names = xcalloc(app->ntemplates + 1, sizeof(*names));
    names[0] = TEMPLATE_NONE;
    for (size_t i = 0; i < app->ntemplates; i++)
        names[i + 1] = app->templates[i].name;
    fl = form_add(f, "template", "Template", FORM_CHOICE);
    form_set_choices(fl, names, app->ntemplates + 1);
    hint = xasprintf("Left/Right: a [template NAME] of opsdeck's config fills %s", fills);
    form_set_hint(fl, hint);
    free(hint);
    form_set(f, "template", TEMPLATE_NONE);
    free(names);
}

void template_form_fill(struct form *f, const struct appconfig *app, const char *name)
{
    const struct appconfig_template *t = app && name ? appconfig_template(app, name) : NULL;
    char *attrs;

    if (!t)
        return;
    form_set(f, "body", t->body ? t->body : "");
    if (t->subject)
        form_set(f, "subject", t->subject);   /* a form without the field ignores it */
    attrs = template_attrs_text(t);
    form_set(f, "attributes", attrs);
    free(attrs);
}

const char *template_form_chosen(const struct form *f)
{
    const char *name = form_value(f, "template");   /* "" without the field */

    return name[0] && strcmp(name, TEMPLATE_NONE) != 0 ? name : NULL;
}
