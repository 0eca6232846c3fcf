/* script.c - the OPSDECK_SCRIPT parser (script.h). Strict on purpose: a typo in a test
 * script is reported with its line instead of typing something else. */
#include "config.h"
#include "ui/script.h"

#include <curses.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "view.h"
#include "util/xalloc.h"
#include "util/utf8.h"

#define SCRIPT_MAX_FILE (1 << 20)

static const struct {
    const char *name;
    int key;
} named_keys[] = {
    {"Enter", '\n'},
    {"Esc", 27},
    {"Tab", '\t'},
    {"BS", VIEW_KEY(KEY_BACKSPACE)},
    {"Up", VIEW_KEY(KEY_UP)},
    {"Down", VIEW_KEY(KEY_DOWN)},
    {"Left", VIEW_KEY(KEY_LEFT)},
    {"Right", VIEW_KEY(KEY_RIGHT)},
    {"PgUp", VIEW_KEY(KEY_PPAGE)},
    {"PgDn", VIEW_KEY(KEY_NPAGE)},
    {"Home", VIEW_KEY(KEY_HOME)},
    {"End", VIEW_KEY(KEY_END)},
    {"Space", ' '},
    {"lt", '<'},
};

static void say(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *why, size_t n, const char *fmt, ...)
{
    va_list ap;

    if (!why || !n)
        return;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
}

int script_parse_keys(const char *text, int **keys, size_t *nkeys, char *why, size_t whylen)
{
    size_t n = 0, cap = strlen(text) + 1;
    int *k = xmalloc(cap * sizeof(*k));
    const unsigned char *p = (const unsigned char *)text;

    while (*p) {
        uint32_t cp;
        size_t len;

        if (*p == '<') {
            const char *end = strchr((const char *)p + 1, '>');
            size_t tl = end ? (size_t)(end - (const char *)p - 1) : 0;
            bool found = false;

            if (!end) {
                say(why, whylen, "'<' without '>': write <lt> for a literal '<'");
                goto bad;
            }
            if (tl == 3 && p[1] == 'C' && p[2] == '-' &&
                ((p[3] >= 'a' && p[3] <= 'z') || (p[3] >= 'A' && p[3] <= 'Z'))) {
                k[n++] = VIEW_KEY_CTRL(p[3]);
                found = true;
            }
            for (size_t i = 0; !found && i < sizeof(named_keys) / sizeof(named_keys[0]); i++) {
                if (strlen(named_keys[i].name) == tl &&
                    memcmp(named_keys[i].name, p + 1, tl) == 0) {
                    k[n++] = named_keys[i].key;
                    found = true;
                }
            }
            if (!found) {
                say(why, whylen, "unknown key <%.*s> (write <lt> for a literal '<')",
                    (int)(tl > 40 ? 40 : tl), (const char *)p + 1);
                goto bad;
            }
            p = (const unsigned char *)end + 1;
            continue;
        }
        len = utf8_decode((const char *)p, SIZE_MAX, &cp);
        if (len == 0) {
            say(why, whylen, "invalid UTF-8 in keys");
            goto bad;
        }
        if (cp < 0x20 || cp == 0x7f) {
            say(why, whylen, "control character 0x%02x in keys: write it as <C-x> or <Name>",
                (unsigned)cp);
            goto bad;
        }
        k[n++] = (int)cp;
        p += len;
    }
    *keys = k;
    *nkeys = n;
    return (int)n;
bad:
    free(k);
    return -1;
}

static bool parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    long v;

    if (*s < '0' || *s > '9')
        return false;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return false;
    *out = v;
    return true;
}

static void add(struct script *s, const struct script_cmd *c)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->cmds = xrealloc(s->cmds, s->cap * sizeof(*s->cmds));
    }
    s->cmds[s->n++] = *c;
}

/* One line (no newline, no trailing \r). 0 with *c filled (op -1 for nothing), or -1. */
static int parse_line(char *line, struct script_cmd *c, bool *empty, char *why, size_t whylen)
{
    char *p = line, *word, *arg;
    size_t wl;

    *empty = false;
    while (*p == ' ' || *p == '\t')
        p++;
    if (!*p || *p == '#') {
        *empty = true;
        return 0;
    }
    word = p;
    while (*p && *p != ' ' && *p != '\t')
        p++;
    wl = (size_t)(p - word);
    /* keys takes the rest of the line as it is after one separator: spaces are keys */
    arg = *p ? p + 1 : p;

    if (wl == 4 && memcmp(word, "keys", 4) == 0) {
        c->op = SCRIPT_KEYS;
        if (!*arg) {
            say(why, whylen, "keys needs TEXT: keys :sqs<Enter>");
            return -1;
        }
        if (script_parse_keys(arg, &c->keys, &c->nkeys, why, whylen) < 0)
            return -1;
        return 0;
    }
    /* the other commands take words: trailing blanks are not part of them */
    {
        size_t al = strlen(arg);
        while (al && (arg[al - 1] == ' ' || arg[al - 1] == '\t'))
            arg[--al] = '\0';
        while (*arg == ' ' || *arg == '\t')
            arg++;
    }
    if (wl == 4 && memcmp(word, "dump", 4) == 0) {
        c->op = SCRIPT_DUMP;
        if (!*arg) {
            say(why, whylen, "dump needs a FILE: dump screen.txt");
            return -1;
        }
        c->path = xstrdup(arg);
        return 0;
    }
    if (wl == 6 && memcmp(word, "resize", 6) == 0) {
        char *sp = strpbrk(arg, " \t");
        long cols, rows;
        c->op = SCRIPT_RESIZE;
        if (!sp) {
            say(why, whylen, "resize needs COLS ROWS: resize 100 30");
            return -1;
        }
        *sp++ = '\0';
        while (*sp == ' ' || *sp == '\t')
            sp++;
        if (!parse_long(arg, 1, SCRIPT_MAX_SIZE, &cols) ||
            !parse_long(sp, 1, SCRIPT_MAX_SIZE, &rows)) {
            say(why, whylen, "resize needs two numbers 1..%d: resize 100 30", SCRIPT_MAX_SIZE);
            return -1;
        }
        c->cols = (int)cols;
        c->rows = (int)rows;
        return 0;
    }
    if (wl == 5 && memcmp(word, "sleep", 5) == 0) {
        c->op = SCRIPT_SLEEP;
        if (!parse_long(arg, 0, SCRIPT_MAX_SLEEP, &c->ms)) {
            say(why, whylen, "sleep needs milliseconds 0..%d: sleep 1500", SCRIPT_MAX_SLEEP);
            return -1;
        }
        return 0;
    }
    if ((wl == 4 && memcmp(word, "wait", 4) == 0) ||
        (wl == 7 && memcmp(word, "refresh", 7) == 0)) {
        c->op = wl == 4 ? SCRIPT_WAIT : SCRIPT_REFRESH;
        if (*arg) {
            say(why, whylen, "%.*s takes no argument", (int)wl, word);
            return -1;
        }
        return 0;
    }
    say(why, whylen, "unknown command '%.*s': keys, dump, resize, sleep, wait or refresh",
        (int)(wl > 40 ? 40 : wl), word);
    return -1;
}

int script_parse(struct script *s, const char *origin, const char *text, char *why,
                 size_t whylen)
{
    const char *p = text;
    int lineno = 0;

    memset(s, 0, sizeof(*s));
    s->origin = xstrdup(origin);
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = xstrndup(p, len);
        struct script_cmd c;
        char reason[512];
        bool empty;
        int rc;

        lineno++;
        if (len && line[len - 1] == '\r')
            line[len - 1] = '\0';
        memset(&c, 0, sizeof(c));
        c.line = lineno;
        reason[0] = '\0';
        rc = parse_line(line, &c, &empty, reason, sizeof(reason));
        free(line);
        if (rc < 0) {
            say(why, whylen, "%s:%d: %s", origin, lineno, reason);
            free(c.keys);
            free(c.path);
            script_done(s);
            return -1;
        }
        if (!empty)
            add(s, &c);
        p = nl ? nl + 1 : p + len;
    }
    return 0;
}

int script_load(struct script *s, const char *path, char *why, size_t whylen)
{
    FILE *f = fopen(path, "r");
    char *buf;
    size_t n;
    int rc;

    memset(s, 0, sizeof(*s));
    if (!f) {
        say(why, whylen, "%s: %s", path, strerror(errno));
        return -1;
    }
    buf = xmalloc(SCRIPT_MAX_FILE + 1);
    n = fread(buf, 1, SCRIPT_MAX_FILE + 1, f);
    if (ferror(f) || n > SCRIPT_MAX_FILE) {
        say(why, whylen, "%s: %s", path, ferror(f) ? strerror(errno) : "larger than 1 MiB");
        fclose(f);
        free(buf);
        return -1;
    }
    fclose(f);
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) {
        say(why, whylen, "%s: a NUL byte: not a text file", path);
        free(buf);
        return -1;
    }
    rc = script_parse(s, path, buf, why, whylen);
    free(buf);
    return rc;
}

void script_done(struct script *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->cmds[i].keys);
        free(s->cmds[i].path);
    }
    free(s->cmds);
    free(s->origin);
    memset(s, 0, sizeof(*s));
}
