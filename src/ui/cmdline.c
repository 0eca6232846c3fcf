/* cmdline.c - the `:` command line and `/` filter prompt (see cmdline.h): a UTF-8 line
 * editor, the command table, parsing with one-line reasons that name the fix, and Tab
 * completion. No curses calls: only the KEY_* numbers, so all of it runs in unit tests. */
#include "config.h"

#include <curses.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/cmdline.h"
#include "util/textwidth.h"
#include "look/theme.h"
#include "view.h"
#include "util/xalloc.h"
#include "util/utf8.h"

/* ---- the line editor -------------------------------------------------------------------- */

static bool is_cont(unsigned char c)
{
    return (c & 0xc0) == 0x80;
}

/* Bytes of the character starting at s[i] (1 for a byte that is not a character, so that
 * the editor always makes progress over text it did not write itself). */
static size_t char_len(const char *s, size_t i, size_t len)
{
    uint32_t cp;
    size_t n = utf8_decode(s + i, len - i, &cp);

    return n ? n : 1;
}

static size_t next_char(const struct lineedit *le, size_t i)
{
    return i >= le->len ? le->len : i + char_len(le->buf, i, le->len);
}

static size_t prev_char(const struct lineedit *le, size_t i)
{
    size_t p = i;

    if (p == 0)
        return 0;
    /* back over at most three continuation bytes to the lead byte */
    do
        p--;
    while (p > 0 && i - p < 4 && is_cont((unsigned char)le->buf[p]));
    /* a run of stray continuation bytes: step one byte, as next_char would */
    if (p + char_len(le->buf, p, le->len) != i)
        return i - 1;
    return p;
}

/* The longest prefix of s (at most max bytes) that does not end inside a character. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
    size_t i = 0;

    while (i < len) {
        size_t n = char_len(s, i, len);

        if (i + n > max)
            break;
        i += n;
    }
    return i;
}

void lineedit_init(struct lineedit *le, const char *text)
{
    size_t n = text ? strlen(text) : 0;

    n = utf8_cut(text ? text : "", n, LINEEDIT_MAX);
    if (n)
        memcpy(le->buf, text, n);
    le->buf[n] = '\0';
    le->len = le->cur = n;
}

static void delete_range(struct lineedit *le, size_t from, size_t to)
{
    memmove(le->buf + from, le->buf + to, le->len - to + 1);
    le->len -= to - from;
    if (le->cur >= to)
        le->cur -= to - from;
    else if (le->cur > from)
        le->cur = from;
}

/* Printable: C0, DEL and the C1 controls (which some terminals obey as escape sequences)
 * are refused, as are surrogates and anything past U+10FFFF (not characters at all). */
static bool printable(int key)
{
    return key >= 0x20 && key != 0x7f && !(key >= 0x80 && key < 0xa0) &&
           !(key >= 0xd800 && key <= 0xdfff) && key <= 0x10ffff;
}

static enum lineedit_result insert_char(struct lineedit *le, int key)
{
    char enc[4];
    size_t n = utf8_encode((uint32_t)key, enc);

    /* a character that does not fit whole is refused, never split */
    if (le->len + n > LINEEDIT_MAX)
        return LINEEDIT_NONE;
    memmove(le->buf + le->cur + n, le->buf + le->cur, le->len - le->cur + 1);
    memcpy(le->buf + le->cur, enc, n);
    le->len += n;
    le->cur += n;
    return LINEEDIT_CHANGED;
}

static enum lineedit_result move_to(struct lineedit *le, size_t to)
{
    if (to == le->cur)
        return LINEEDIT_NONE;
    le->cur = to;
    return LINEEDIT_MOVED;
}

static enum lineedit_result kill_range(struct lineedit *le, size_t from, size_t to)
{
    if (from >= to)
        return LINEEDIT_NONE;
    delete_range(le, from, to);
    return LINEEDIT_CHANGED;
}

static enum lineedit_result backspace(struct lineedit *le)
{
    if (le->len == 0)
        return LINEEDIT_CANCEL;  /* as in vim and less: backspace out of the prompt */
    return kill_range(le, prev_char(le, le->cur), le->cur);
}

/* Ctrl-W: the spaces before the cursor, then the word before them (as a shell does). */
static enum lineedit_result word_back(struct lineedit *le)
{
    size_t p = le->cur;

    while (p > 0 && le->buf[p - 1] == ' ')
        p--;
    while (p > 0 && le->buf[p - 1] != ' ')
        p--;
    return kill_range(le, p, le->cur);
}

static enum lineedit_result function_key(struct lineedit *le, int k)
{
    switch (k) {
    case KEY_BACKSPACE:
        return backspace(le);
    case KEY_DC:
        return kill_range(le, le->cur, next_char(le, le->cur));
    case KEY_LEFT:
        return move_to(le, prev_char(le, le->cur));
    case KEY_RIGHT:
        return move_to(le, next_char(le, le->cur));
    case KEY_HOME:
        return move_to(le, 0);
    case KEY_END:
        return move_to(le, le->len);
    case KEY_ENTER:
        return LINEEDIT_ACCEPT;
    default:
        return LINEEDIT_NONE;
    }
}

enum lineedit_result lineedit_key(struct lineedit *le, int key)
{
    if (key >= VIEW_KEY_FN)
        return function_key(le, key - VIEW_KEY_FN);
    switch (key) {
    case '\n':
    case '\r':
        return LINEEDIT_ACCEPT;
    case 27:
    case VIEW_KEY_CTRL('c'):
    case VIEW_KEY_CTRL('g'):
        return LINEEDIT_CANCEL;
    case '\t':
        return LINEEDIT_COMPLETE;
    case 127:
    case VIEW_KEY_CTRL('h'):
        return backspace(le);
    case VIEW_KEY_CTRL('d'):
        return kill_range(le, le->cur, next_char(le, le->cur));
    case VIEW_KEY_CTRL('a'):
        return move_to(le, 0);
    case VIEW_KEY_CTRL('e'):
        return move_to(le, le->len);
    case VIEW_KEY_CTRL('b'):
        return move_to(le, prev_char(le, le->cur));
    case VIEW_KEY_CTRL('f'):
        return move_to(le, next_char(le, le->cur));
    case VIEW_KEY_CTRL('u'):
        return kill_range(le, 0, le->cur);
    case VIEW_KEY_CTRL('k'):
        return kill_range(le, le->cur, le->len);
    case VIEW_KEY_CTRL('w'):
        return word_back(le);
    default:
        return printable(key) ? insert_char(le, key) : LINEEDIT_NONE;
    }
}

int lineedit_cursor_col(const struct lineedit *le)
{
    char head[LINEEDIT_MAX + 1];

    memcpy(head, le->buf, le->cur);
    head[le->cur] = '\0';
    return textwidth(head);
}

/* ---- commands --------------------------------------------------------------------------- */

const struct cmdline_cmd cmdline_cmds[] = {
    { "profile", NULL, CMDLINE_ARG_PROFILE, true, "profile NAME",
      "switch to AWS profile NAME (drops cached data)" },
    { "region", NULL, CMDLINE_ARG_REGION, true, "region NAME",
      "switch to AWS region NAME (drops cached data)" },
    { "theme", NULL, CMDLINE_ARG_THEME, true, "theme NAME", "switch to colour theme NAME" },
    { "refresh", NULL, CMDLINE_ARG_NONE, false, "refresh", "poll everything now" },
    { "writes", NULL, CMDLINE_ARG_ONOFF, false, "writes on|off",
      "allow or refuse writes in this session (a production profile: type its name)" },
    { "cli", NULL, CMDLINE_ARG_NONE, false, "cli",
      "the aws CLI command that reads what the cursor is on, to hand off (y copies it)" },
    { "utc", NULL, CMDLINE_ARG_NONE, false, "utc", "times of day in UTC, or local again" },
    { "stats", NULL, CMDLINE_ARG_NONE, false, "stats",
      "this console's own requests per minute, by service" },
    { "help", NULL, CMDLINE_ARG_NONE, false, "help", "list keys and commands" },
    { "quit", "q", CMDLINE_ARG_NONE, false, "quit", "leave opsdeck" },
};
const size_t cmdline_ncmds = sizeof(cmdline_cmds) / sizeof(cmdline_cmds[0]);

/* Sorted; the commercial partition, then China and GovCloud are simply among them. */
const char *const cmdline_regions[] = {
    "af-south-1",
    "ap-east-1", "ap-east-2",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
    "ap-south-1", "ap-south-2",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
    "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
    "ca-central-1", "ca-west-1",
    "cn-north-1", "cn-northwest-1",
    "eu-central-1", "eu-central-2",
    "eu-north-1",
    "eu-south-1", "eu-south-2",
    "eu-west-1", "eu-west-2", "eu-west-3",
    "il-central-1",
    "me-central-1", "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1", "us-east-2",
    "us-gov-east-1", "us-gov-west-1",
    "us-west-1", "us-west-2",
    NULL,
};

static bool lower(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

/* [a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+, whole string. */
bool cmdline_region_valid(const char *r)
{
    if (!r || strlen(r) > 64 || !lower(r[0]) || !lower(r[1]) || r[2] != '-')
        return false;
    r += 3;
    if (strncmp(r, "gov-", 4) == 0) {
        r += 4;
    } else if (strncmp(r, "iso", 3) == 0) {
        /* "iso" followed by letters and a '-' is the partition; "isolated-1" is a name */
        const char *p = r + 3;

        while (lower(*p))
            p++;
        if (*p == '-' && lower(p[1]))
            r = p + 1;
    }
    if (!lower(*r))
        return false;
    while (lower(*r))
        r++;
    if (*r++ != '-' || !digit(*r))
        return false;
    while (digit(*r))
        r++;
    return *r == '\0';
}

static const struct cmdline_cmd *cmd_find(const char *word)
{
    for (size_t i = 0; i < cmdline_ncmds; i++)
        if (strcmp(word, cmdline_cmds[i].name) == 0 ||
            (cmdline_cmds[i].alias && strcmp(word, cmdline_cmds[i].alias) == 0))
            return &cmdline_cmds[i];
    return NULL;
}

static bool view_known(const char *const *views, const char *word)
{
    for (size_t i = 0; views && views[i]; i++)
        if (strcmp(views[i], word) == 0)
            return true;
    return false;
}

static bool space(char c)
{
    return c == ' ' || c == '\t';
}

/* The words of line, at most max, each a pointer/length; returns how many there are in
 * all (which may be more than max). */
static size_t split(const char *line, const char **w, size_t *wl, size_t max)
{
    size_t n = 0;
    const char *p = line;

    for (;;) {
        while (space(*p))
            p++;
        if (!*p)
            return n;
        const char *s = p;
        while (*p && !space(*p))
            p++;
        if (n < max) {
            w[n] = s;
            wl[n] = (size_t)(p - s);
        }
        n++;
    }
}

/* Levenshtein distance with transpositions, for "did you mean"; short words only. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t d[34][34];

    if (la > 32 || lb > 32)
        return SIZE_MAX;
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = d[i - 1][j] + 1;

            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

/* The nearest command or view: a word it starts with wins, then the smallest distance up to
 * a third of the word's length (at least 1, at most 2). NULL when nothing is near. */
static const char *suggest(const char *typed, const char *const *views)
{
    const char *best = NULL;
    size_t best_d = strlen(typed) / 3, wl = strlen(typed);
    char word[64];

    /* Caps Lock or a shifted first letter should still find the command */
    for (size_t i = 0; i <= wl && i < sizeof(word); i++)
        word[i] = typed[i] >= 'A' && typed[i] <= 'Z' ? (char)(typed[i] - 'A' + 'a') : typed[i];
    word[sizeof(word) - 1] = '\0';

    if (best_d < 1)
        best_d = 1;
    if (best_d > 2)
        best_d = 2;
    for (size_t pass = 0; pass < 2; pass++) {
        for (size_t i = 0; ; i++) {
            const char *c = pass == 0 ? (i < cmdline_ncmds ? cmdline_cmds[i].name : NULL)
                                      : (views ? views[i] : NULL);

            if (!c)
                break;
            if (wl > 0 && strncmp(c, word, wl) == 0)
                return c;
            size_t d = distance(word, c);

            if (d <= best_d && (!best || d < best_d)) {
                best = c;
                best_d = d;
            }
        }
    }
    return best;
}

/* A word from the user quoted back: at most 40 bytes, never cut inside a character. */
static void quote_word(char *dst, size_t dstlen, const char *w, size_t wl)
{
    size_t n = utf8_cut(w, wl, 40);

    snprintf(dst, dstlen, "%.*s%s", (int)n, w, n < wl ? "..." : "");
}

static int fail(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;

    if (why && whylen) {
        va_start(ap, fmt);
        vsnprintf(why, whylen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int check_arg(const struct cmdline_cmd *c, const char *arg, char *why, size_t whylen)
{
    char q[64];

    quote_word(q, sizeof(q), arg, strlen(arg));
    if (c->arg == CMDLINE_ARG_REGION && !cmdline_region_valid(arg))
        return fail(why, whylen, "'%s' is not a region name (like eu-west-1): :%s (Tab completes)",
                    q, c->usage);
    if (c->arg == CMDLINE_ARG_ONOFF && strcmp(arg, "on") != 0 && strcmp(arg, "off") != 0)
        return fail(why, whylen, "'%s' is neither on nor off: :%s", q, c->usage);
    if (c->arg == CMDLINE_ARG_THEME && !theme_name_valid(arg))
        return fail(why, whylen,
                    "'%s' is not a theme name (letters, digits, '-', '_', '.'): :%s (Tab completes)",
                    q, c->usage);
    return 0;
}

int cmdline_parse(const char *line, const char *const *views, struct cmdline_parsed *out,
                  char *why, size_t whylen)
{
    const char *w[3];
    size_t wl[3], n;
    char word[64], q[64];

    memset(out, 0, sizeof(*out));
    if (!line)
        line = "";
    while (space(*line))
        line++;
    if (*line == ':')  /* the prompt's own colon, if the caller kept it */
        line++;
    n = split(line, w, wl, 3);
    if (n == 0)
        return fail(why, whylen, "empty command: type a view or a command, :help lists them "
                                 "(Tab completes)");
    quote_word(q, sizeof(q), w[0], wl[0]);
    if (wl[0] >= sizeof(word))
        return fail(why, whylen, "unknown command '%s': :help lists the commands "
                                 "(Tab completes)", q);
    memcpy(word, w[0], wl[0]);
    word[wl[0]] = '\0';

    const struct cmdline_cmd *c = cmd_find(word);

    if (!c && view_known(views, word)) {
        if (wl[0] >= sizeof(out->view))
            return fail(why, whylen, "view name '%s' is too long", q);
        if (n > 1)
            return fail(why, whylen, "%s takes no argument: :%s", word, word);
        memcpy(out->view, word, wl[0] + 1);
        return 0;
    }
    if (!c) {
        const char *s = suggest(word, views);

        if (s)
            return fail(why, whylen, "unknown command '%s' — did you mean :%s? (Tab completes)",
                        q, s);
        return fail(why, whylen, "unknown command '%s': :help lists the commands "
                                 "(Tab completes)", q);
    }
    if (c->arg == CMDLINE_ARG_NONE) {
        if (n > 1)
            return fail(why, whylen, "%s takes no argument: :%s", c->name, c->usage);
    } else {
        if (n == 1 && c->arg_required)
            return fail(why, whylen, "%s needs a %s: :%s (Tab completes)", c->name,
                        strchr(c->usage, ' ') ? strchr(c->usage, ' ') + 1 : "value", c->usage);
        if (n > 2)
            return fail(why, whylen, "%s takes one word: :%s", c->name, c->usage);
        if (n == 2) {
            if (wl[1] >= sizeof(out->arg)) {
                quote_word(q, sizeof(q), w[1], wl[1]);
                return fail(why, whylen, "'%s' is too long for :%s", q, c->usage);
            }
            memcpy(out->arg, w[1], wl[1]);
            out->arg[wl[1]] = '\0';
            if (check_arg(c, out->arg, why, whylen) < 0) {
                out->arg[0] = '\0';
                return -1;
            }
        }
    }
    out->cmd = c;
    return 0;
}

/* ---- completion ------------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A candidate that could not be typed as one word (spaces, control characters) would turn
 * the line into something else; it is not offered. */
static bool insertable(const char *s)
{
    if (!*s)
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7f)
            return false;
    return true;
}

struct matchlist {
    char **v;
    size_t n, cap;
};

static void match_add(struct matchlist *m, const char *cand, const char *word, size_t wl)
{
    if (!cand || !insertable(cand) || strncmp(cand, word, wl) != 0)
        return;
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 16;
        m->v = xrealloc(m->v, m->cap * sizeof(*m->v));
    }
    m->v[m->n++] = xstrdup(cand);
}

static void match_sort_unique(struct matchlist *m)
{
    size_t k = 0;

    if (m->n == 0)
        return;
    qsort(m->v, m->n, sizeof(*m->v), cmp_str);
    for (size_t i = 1; i < m->n; i++) {
        if (strcmp(m->v[i], m->v[k]) == 0)
            free(m->v[i]);
        else
            m->v[++k] = m->v[i];
    }
    m->n = k + 1;
}

/* Bytes the matches share, backed off to a character boundary. */
static size_t common_prefix(const struct matchlist *m)
{
    size_t n = strlen(m->v[0]);

    for (size_t i = 1; i < m->n; i++) {
        size_t k = 0;

        while (k < n && m->v[i][k] == m->v[0][k])
            k++;
        n = k;
    }
    return utf8_cut(m->v[0], strlen(m->v[0]), n);
}

static void matches_free(struct matchlist *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->v[i]);
    free(m->v);
}

/* Replaces le->buf[from, le->cur) by rep[0, rn) plus an optional space; false when the
 * result would not fit or nothing changes. */
static bool splice(struct lineedit *le, size_t from, const char *rep, size_t rn, bool add_space)
{
    size_t tail = le->len - le->cur;
    size_t ins = rn + (add_space ? 1 : 0);
    size_t newlen = from + ins + tail;
    char nb[LINEEDIT_MAX + 1];

    if (newlen > LINEEDIT_MAX)
        return false;
    memcpy(nb, le->buf, from);
    memcpy(nb + from, rep, rn);
    if (add_space)
        nb[from + rn] = ' ';
    memcpy(nb + from + ins, le->buf + le->cur, tail);
    nb[newlen] = '\0';
    if (newlen == le->len && memcmp(nb, le->buf, newlen) == 0 && le->cur == from + ins)
        return false;
    memcpy(le->buf, nb, newlen + 1);
    le->len = newlen;
    le->cur = from + ins;
    return true;
}

bool cmdline_complete(struct lineedit *le, const char *const *views,
                      cmdline_candidates_fn cand, void *ud, struct cmdline_completion *out)
{
    struct matchlist m = { 0 };
    const char *w[3];
    size_t wl[3], nw, start = 0, wstart, wlen;
    char head[LINEEDIT_MAX + 1];
    const struct cmdline_cmd *c = NULL;
    bool changed = false, command_word;

    if (out) {
        out->matches = NULL;
        out->n = 0;
    }
    /* only the text before the cursor decides what is being completed */
    memcpy(head, le->buf, le->cur);
    head[le->cur] = '\0';
    while (space(head[start]))
        start++;
    if (head[start] == ':')
        start++;
    nw = split(head + start, w, wl, 3);
    /* the word under completion: the last one, or an empty one after a space */
    bool fresh = le->cur == 0 || space(head[le->cur - 1]) || (nw == 0);

    if (nw == 0 || (nw == 1 && !fresh)) {
        command_word = true;
        wstart = nw ? (size_t)(w[0] - head) : le->cur;
        wlen = nw ? wl[0] : 0;
    } else if ((nw == 1 && fresh) || (nw == 2 && !fresh)) {
        char word[64];

        command_word = false;
        if (wl[0] >= sizeof(word))
            return false;
        memcpy(word, w[0], wl[0]);
        word[wl[0]] = '\0';
        c = cmd_find(word);
        if (!c || c->arg == CMDLINE_ARG_NONE)
            return false;
        wstart = nw == 2 ? (size_t)(w[1] - head) : le->cur;
        wlen = nw == 2 ? wl[1] : 0;
    } else {
        return false;  /* every command takes one word at most */
    }

    const char *word = head + wstart;

    if (command_word) {
        for (size_t i = 0; i < cmdline_ncmds; i++)
            match_add(&m, cmdline_cmds[i].name, word, wlen);
        for (size_t i = 0; views && views[i]; i++)
            match_add(&m, views[i], word, wlen);
    } else {
        static const char *const onoff[] = {"on", "off", NULL};
        const char *const *list = c->arg == CMDLINE_ARG_ONOFF ? onoff
                                  : cand                      ? cand(c->arg, ud)
                                                              : NULL;

        if (!list && c->arg == CMDLINE_ARG_REGION)
            list = cmdline_regions;
        for (size_t i = 0; list && list[i]; i++)
            match_add(&m, list[i], word, wlen);
    }
    match_sort_unique(&m);
    if (m.n > 0) {
        size_t lcp = common_prefix(&m);
        bool add_space = false;

        if (m.n == 1 && command_word) {
            const struct cmdline_cmd *mc = cmd_find(m.v[0]);

            /* no second space if the user already typed one after the cursor */
            add_space = mc && mc->arg != CMDLINE_ARG_NONE &&
                        !(le->cur < le->len && space(le->buf[le->cur]));
        }
        if (lcp >= wlen)
            changed = splice(le, wstart, m.v[0], lcp, add_space);
    }
    if (out) {
        out->matches = m.v;
        out->n = m.n;
    } else {
        matches_free(&m);
    }
    return changed;
}

void cmdline_completion_done(struct cmdline_completion *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        free(c->matches[i]);
    free(c->matches);
    c->matches = NULL;
    c->n = 0;
}
