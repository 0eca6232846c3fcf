/* theme.c - theme files, and colours stepped down to what the terminal has.
 *
 * Files are read with inih through a line reader of our own: inih reports only the first
 * bad line and no line numbers to the handler, while a theme must report every bad line as
 * file:line and still load the rest. The reader counts lines, strips indentation (so an
 * indented line is never taken as a continuation of the previous value), and rejects
 * lines inih would skip silently or only count. */
#include "config.h"
#include "look/theme.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util/sanitize.h"
#include "util/strutil.h"
#include "util/textfile.h"
#include "util/xalloc.h"

/* A theme line longer than this is damage, not a style. */
#define THEME_MAX_LINE 1024
/* What the reader takes before a line is refused outright (blanks around it included), and
 * the most a theme file may hold: a theme is a page of text. */
#define THEME_MAX_FILE_LINE (16 * 1024)
#define THEME_MAX_FILE (256 * 1024)

static const char *const element_names[THEME_N_ELEMENTS] = {
    [THEME_HEADER] = "header",       [THEME_FOOTER] = "footer",
    [THEME_STATUS] = "status",       [THEME_OK] = "ok",
    [THEME_WARN] = "warn",           [THEME_CRITICAL] = "critical",
    [THEME_STALE] = "stale",         [THEME_SELECTION] = "selection",
    [THEME_PROD_BANNER] = "prod-banner", [THEME_SPARKLINE] = "sparkline",
    [THEME_DIM] = "dim",             [THEME_TITLE] = "title",
    [THEME_BORDER] = "border",       [THEME_ERROR] = "error",
    [THEME_FILTER] = "filter",       [THEME_HELP] = "help",
    [THEME_NORMAL] = "normal",
};

static const char *const colour_names[8] = {
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
    const char *name;
    unsigned bit;
} attr_names[] = {
    { "bold", THEME_ATTR_BOLD },         { "dim", THEME_ATTR_DIM },
    { "underline", THEME_ATTR_UNDERLINE }, { "reverse", THEME_ATTR_REVERSE },
    { "blink", THEME_ATTR_BLINK },       { "italic", THEME_ATTR_ITALIC },
    { "standout", THEME_ATTR_STANDOUT }, { "none", 0 },
};

/* What the compiled-in fallback looks like; kept equal to themes/monochrome.theme by
 * test_theme. Attributes only, so it reads on any terminal. */
static const char builtin_mono[] =
    "[theme]\n"
    "name = monochrome\n"
    "description = attributes only, for NO_COLOR, --no-color and terminals without colour\n"
    "[elements]\n"
    "header = default default reverse\n"
    "footer = default default reverse\n"
    "status = default default\n"
    "ok = default default\n"
    "warn = default default bold\n"
    "critical = default default bold underline\n"
    "stale = default default dim\n"
    "selection = default default reverse bold\n"
    "prod-banner = default default reverse bold blink\n"
    "sparkline = default default\n"
    "dim = default default dim\n"
    "title = default default bold\n"
    "border = default default\n"
    "error = default default bold\n"
    "filter = default default underline\n"
    "help = default default\n"
    "normal = default default\n";

/* ---- names ------------------------------------------------------------------------------ */

const char *theme_element_name(enum theme_element e)
{
    if ((int)e < 0 || e >= THEME_N_ELEMENTS)
        return "?";
    return element_names[e];
}

int theme_element_from_name(const char *name)
{
    for (int i = 0; i < THEME_N_ELEMENTS; i++)
        if (strcasecmp(name, element_names[i]) == 0)
            return i;
    return -1;
}

bool theme_name_valid(const char *name)
{
    if (!name || !*name || name[0] == '.' || strlen(name) > 64)
        return false;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-' && *p != '.')
            return false;
    return true;
}

/* ---- values ----------------------------------------------------------------------------- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* 0 and *out set, or -1 with a reason in why (NULL when s is simply not a colour word). */
static int colour_parse_why(const char *s, int *out, const char **why)
{
    *why = NULL;
    if (strcasecmp(s, "default") == 0) {
        *out = THEME_COLOUR_DEFAULT;
        return 0;
    }
    for (int i = 0; i < 8; i++) {
        const char *b = s;

        if (strcasecmp(s, colour_names[i]) == 0) {
            *out = i;
            return 0;
        }
        if (strncasecmp(b, "bright", 6) == 0) {
            b += 6;
            if (*b == '-')
                b++;
            if (strcasecmp(b, colour_names[i]) == 0) {
                *out = i + 8;
                return 0;
            }
        }
    }
    if (strncasecmp(s, "color", 5) == 0 || strncasecmp(s, "colour", 6) == 0) {
        const char *d = s + (tolower((unsigned char)s[4]) == 'u' ? 6 : 5);
        int v = 0;

        if (!*d || strspn(d, "0123456789") != strlen(d) || strlen(d) > 3) {
            *why = "a palette colour is color0..color255";
            return -1;
        }
        v = atoi(d);
        if (v > 255) {
            *why = "a palette colour is color0..color255";
            return -1;
        }
        *out = v;
        return 0;
    }
    if (s[0] == '#') {
        int v = 0;

        if (strlen(s) != 7) {
            *why = "an RGB colour is #rrggbb, six hex digits";
            return -1;
        }
        for (int i = 1; i < 7; i++) {
            int h = hexval((unsigned char)s[i]);

            if (h < 0) {
                *why = "an RGB colour is #rrggbb, six hex digits";
                return -1;
            }
            v = v * 16 + h;
        }
        *out = THEME_COLOUR_RGB | v;
        return 0;
    }
    return -1;
}

int theme_colour_parse(const char *s, int *out)
{
    const char *why;
    int v;

    if (!s || colour_parse_why(s, &v, &why) != 0)
        return -1;
    *out = v;
    return 0;
}

int theme_attr_parse(const char *s, unsigned *out)
{
    if (!s)
        return -1;
    for (size_t i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
        if (strcasecmp(s, attr_names[i].name) == 0) {
            *out = attr_names[i].bit;
            return 0;
        }
    return -1;
}

int theme_style_parse(const char *s, struct theme_style *out, char *why, size_t n)
{
    struct theme_style st = { THEME_COLOUR_DEFAULT, THEME_COLOUR_DEFAULT, 0 };
    char *copy = xstrdup(s ? s : ""), *save = NULL, *tok;
    int ncolours = 0, ntokens = 0;
    bool seen_attr = false;
    int rc = -1;

    for (tok = strtok_r(copy, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
        const char *cwhy;
        int c;
        unsigned a;

        ntokens++;
        if (colour_parse_why(tok, &c, &cwhy) == 0) {
            if (seen_attr) {
                snprintf(why, n, "colour '%s' after the attributes: write FG BG, then "
                         "attributes", tok);
                goto out;
            }
            if (ncolours == 2) {
                snprintf(why, n, "a third colour '%s': a style has only FG and BG", tok);
                goto out;
            }
            if (ncolours++ == 0)
                st.fg = c;
            else
                st.bg = c;
        } else if (cwhy) {
            snprintf(why, n, "bad colour '%s': %s", tok, cwhy);
            goto out;
        } else if (theme_attr_parse(tok, &a) == 0) {
            seen_attr = true;
            st.attrs |= a;
        } else {
            snprintf(why, n, "'%s' is neither a colour nor an attribute (bold, dim, "
                     "underline, reverse, blink, italic, standout)", tok);
            goto out;
        }
    }
    if (ntokens == 0) {
        snprintf(why, n, "no colours or attributes given");
        goto out;
    }
    *out = st;
    rc = 0;
out:
    free(copy);
    return rc;
}

/* ---- theme lifetime --------------------------------------------------------------------- */

void theme_init(struct theme *t)
{
    memset(t, 0, sizeof(*t));
    for (int i = 0; i < THEME_N_ELEMENTS; i++)
        t->style[i] = (struct theme_style){ THEME_COLOUR_DEFAULT, THEME_COLOUR_DEFAULT, 0 };
}

void theme_done(struct theme *t)
{
    for (size_t i = 0; i < t->n_issues; i++)
        free(t->issues[i].text);
    free(t->issues);
    free(t->name);
    free(t->description);
    free(t->path);
    memset(t, 0, sizeof(*t));
}

static void theme_issue_add(struct theme *t, const char *origin, int line, const char *fmt,
                            ...) __attribute__((format(printf, 4, 5)));

static void theme_issue_add(struct theme *t, const char *origin, int line, const char *fmt,
                            ...)
{
    va_list ap;
    char msg[512], *full;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (t->n_issues == t->cap_issues) {
        t->cap_issues = t->cap_issues ? t->cap_issues * 2 : 8;
        t->issues = xrealloc(t->issues, t->cap_issues * sizeof(*t->issues));
    }
    t->issues[t->n_issues].line = line;
    full = line > 0 ? xasprintf("%s:%d: %s", origin, line, msg)
                    : xasprintf("%s: %s", origin, msg);
    /* messages quote the file, and they reach the status line: a theme from elsewhere
     * must not write escape sequences to the terminal through them */
    t->issues[t->n_issues].text = sanitize_text(full, strlen(full));
    free(full);
    t->n_issues++;
}

void theme_init_builtin_mono(struct theme *t)
{
    theme_init(t);
    theme_load_string(t, "(built-in monochrome)", builtin_mono);
}

/* ---- reading a file --------------------------------------------------------------------- */

enum section { SEC_NONE, SEC_THEME, SEC_ELEMENTS, SEC_UNKNOWN };

struct load_state {
    struct theme *t;
    const char *origin;
    FILE *fp;
    struct textfile tf; /* bounded lines of fp */
    int lineno;
    bool line_bad;      /* reported by the reader; the handler ignores it */
    enum section sec;
    /* parsed into a copy, applied at the end */
    struct theme_style style[THEME_N_ELEMENTS];
    int def_line[THEME_N_ELEMENTS];
    char *name, *description;
};


static char *reader(char *str, int num, void *stream)
{
    struct load_state *st = stream;
    int got = textfile_next(&st->tf);
    char *s;

    st->lineno = st->tf.lineno;
    st->line_bad = false;
    /* a bad line is reported and skipped; a file too large (or endless) ends the reading */
    if (got < 0)
        theme_issue_add(st->t, st->origin, st->lineno, "%s", st->tf.why);
    if (got == TEXTFILE_BAD_LINE)
        goto bad;
    if (got <= 0)
        return NULL;
    s = str_strip(st->tf.line.data);
    if (st->lineno == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0)
        s = str_strip(s + 3);  /* a BOM; strip it here, as inih would */
    if (strlen(s) > THEME_MAX_LINE || (int)strlen(s) + 2 > num) {
        theme_issue_add(st->t, st->origin, st->lineno, "line longer than %d characters",
                        THEME_MAX_LINE);
        goto bad;
    }
    if (*s == '\0' || *s == ';' || *s == '#') {
        /* blank or comment */
    } else if (*s == '[') {
        char *end = strchr(s, ']');

        if (!end) {
            theme_issue_add(st->t, st->origin, st->lineno, "section header without ']'");
            goto bad;
        }
        *end = '\0';
        if (strcasecmp(str_strip(s + 1), "theme") == 0) {
            st->sec = SEC_THEME;
        } else if (strcasecmp(str_strip(s + 1), "elements") == 0) {
            st->sec = SEC_ELEMENTS;
        } else {
            theme_issue_add(st->t, st->origin, st->lineno, "unknown section [%s]; its lines "
                            "are ignored (a theme has [theme] and [elements])", str_strip(s + 1));
            st->sec = SEC_UNKNOWN;
        }
        *end = ']';
    } else if (!strpbrk(s, "=:")) {
        theme_issue_add(st->t, st->origin, st->lineno,
                        "'%s' is not 'element = FG BG ATTRS'", s);
        goto bad;
    }
    snprintf(str, (size_t)num, "%s\n", s);
    return str;
bad:
    st->line_bad = true;
    snprintf(str, (size_t)num, "\n");
    return str;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    struct load_state *st = user;
    char why[300];
    struct theme_style style;
    int e;

    (void)section;  /* the reader tracks sections itself, with the line they were on */
    if (st->line_bad)
        return 1;
    switch (st->sec) {
    case SEC_NONE:
        theme_issue_add(st->t, st->origin, st->lineno, "'%s' is outside any section; put "
                        "it under [elements]", name);
        return 1;
    case SEC_UNKNOWN:
        return 1;  /* the section header was reported */
    case SEC_THEME:
        if (strcasecmp(name, "name") == 0) {
            free(st->name);
            st->name = xstrdup(value);
        } else if (strcasecmp(name, "description") == 0) {
            free(st->description);
            st->description = xstrdup(value);
        } else {
            theme_issue_add(st->t, st->origin, st->lineno, "unknown key '%s' in [theme] "
                            "(known: name, description)", name);
        }
        return 1;
    case SEC_ELEMENTS:
        break;
    }
    e = theme_element_from_name(name);
    if (e < 0) {
        theme_issue_add(st->t, st->origin, st->lineno, "unknown element '%s'; ignored", name);
        return 1;
    }
    if (theme_style_parse(value, &style, why, sizeof(why)) != 0) {
        theme_issue_add(st->t, st->origin, st->lineno, "%s: %s; the line is ignored",
                        element_names[e], why);
        return 1;
    }
    if (st->def_line[e])
        theme_issue_add(st->t, st->origin, st->lineno, "'%s' is set again (first on line "
                        "%d); this line wins", element_names[e], st->def_line[e]);
    st->style[e] = style;
    st->def_line[e] = st->lineno;
    return 1;
}

/* The name a theme gets when its file says none: the base name without ".theme". */
static char *name_from_origin(const char *origin)
{
    const char *base = strrchr(origin, '/');
    size_t n;

    base = base ? base + 1 : origin;
    n = strlen(base);
    if (n > 6 && strcmp(base + n - 6, ".theme") == 0)
        n -= 6;
    return xstrndup(base, n);
}

static int load_stream(struct theme *t, const char *origin, FILE *fp)
{
    struct load_state st;
    bool saved_multi = ini_allow_multiline, saved_inline = ini_allow_inline_comments,
         saved_stack = ini_use_stack, saved_realloc = ini_allow_realloc,
         saved_stop = ini_stop_on_first_error, saved_novalue = ini_allow_no_value;
    char *saved_prefixes = ini_inline_comment_prefixes;
    int saved_max = ini_max_line;
    int rc;

    memset(&st, 0, sizeof(st));
    st.t = t;
    st.origin = origin;
    st.fp = fp;
    textfile_init(&st.tf, fp, THEME_MAX_FILE_LINE, THEME_MAX_FILE);
    memcpy(st.style, t->style, sizeof(st.style));
    /* Debian's inih exposes its options as globals (config.c sets them too): inline
     * comments after ';' (never '#', which starts #rrggbb), no continuation lines, a heap
     * line buffer our reader always fits, every line parsed. */
    ini_allow_multiline = false;
    ini_allow_inline_comments = true;
    ini_inline_comment_prefixes = ";";
    ini_use_stack = false;
    ini_allow_realloc = false;
    ini_max_line = THEME_MAX_LINE + 3;
    ini_stop_on_first_error = false;
    ini_allow_no_value = false;
    rc = ini_parse_stream(reader, &st, handler, &st);
    ini_allow_multiline = saved_multi;
    ini_allow_inline_comments = saved_inline;
    ini_inline_comment_prefixes = saved_prefixes;
    ini_use_stack = saved_stack;
    ini_allow_realloc = saved_realloc;
    ini_max_line = saved_max;
    ini_stop_on_first_error = saved_stop;
    ini_allow_no_value = saved_novalue;
    textfile_done(&st.tf);
    if (rc == -2)
        fatal("out of memory reading %s", origin);
    if (ferror(fp)) {
        theme_issue_add(t, origin, 0, "read error: %s", strerror(errno));
        free(st.name);
        free(st.description);
        return -1;
    }
    memcpy(t->style, st.style, sizeof(st.style));
    for (int i = 0; i < THEME_N_ELEMENTS; i++)
        if (st.def_line[i])
            t->defined |= 1u << i;
    free(t->name);
    t->name = st.name ? st.name : name_from_origin(origin);
    if (st.description) {
        free(t->description);
        t->description = st.description;
    }
    return 0;
}

int theme_load_file(struct theme *t, const char *path)
{
    struct stat sb;
    FILE *fp;
    int rc;

    fp = fopen(path, "r");
    if (!fp) {
        theme_issue_add(t, path, 0, "cannot read: %s", strerror(errno));
        return -1;
    }
    if (fstat(fileno(fp), &sb) == 0 && !S_ISREG(sb.st_mode)) {
        theme_issue_add(t, path, 0, "not a regular file");
        fclose(fp);
        return -1;
    }
    rc = load_stream(t, path, fp);
    fclose(fp);
    if (rc == 0) {
        free(t->path);
        t->path = xstrdup(path);
    }
    return rc;
}

int theme_load_string(struct theme *t, const char *origin, const char *text)
{
    FILE *fp;
    int rc;

    if (!*text) {  /* fmemopen refuses a zero-length buffer */
        free(t->name);
        t->name = name_from_origin(origin);
        return 0;
    }
    fp = fmemopen((void *)text, strlen(text), "r");
    if (!fp)
        fatal("fmemopen: %s", strerror(errno));
    rc = load_stream(t, origin, fp);
    fclose(fp);
    return rc;
}

/* ---- finding a theme -------------------------------------------------------------------- */

static char *readable_file(char *path)
{
    struct stat sb;

    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
        return path;
    free(path);
    return NULL;
}

char *theme_find(const char *name, const char *datadir)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    char *p = NULL;

    if (!theme_name_valid(name))
        return NULL;
    /* XDG: a relative XDG_CONFIG_HOME is invalid and must be ignored */
    if (xdg && xdg[0] == '/')
        p = readable_file(xasprintf("%s/opsdeck/themes/%s.theme", xdg, name));
    else if (home && home[0])
        p = readable_file(xasprintf("%s/.config/opsdeck/themes/%s.theme", home, name));
    if (!p && datadir && datadir[0])
        p = readable_file(xasprintf("%s/%s.theme", datadir, name));
    return p;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the NAME of every DIR/NAME.theme that theme_find would accept. */
static void names_from_dir(char *dir, char ***v, size_t *n, size_t *cap)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    while (d && (e = readdir(d))) {
        size_t len = strlen(e->d_name);
        char *name, *path;

        if (len <= 6 || strcmp(e->d_name + len - 6, ".theme") != 0)
            continue;
        name = xstrndup(e->d_name, len - 6);
        path = theme_name_valid(name) ? readable_file(xasprintf("%s/%s", dir, e->d_name)) : NULL;
        if (!path) {
            free(name);
            continue;
        }
        free(path);
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 16;
            *v = xrealloc(*v, *cap * sizeof(**v));
        }
        (*v)[(*n)++] = name;
    }
    if (d)
        closedir(d);
    free(dir);
}

size_t theme_names(const char *datadir, char ***out)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    char **v = NULL;
    size_t n = 0, cap = 0, k = 0;

    *out = NULL;
    /* the same directories as theme_find, in the same order */
    if (xdg && xdg[0] == '/')
        names_from_dir(xasprintf("%s/opsdeck/themes", xdg), &v, &n, &cap);
    else if (home && home[0])
        names_from_dir(xasprintf("%s/.config/opsdeck/themes", home), &v, &n, &cap);
    if (datadir && datadir[0])
        names_from_dir(xstrdup(datadir), &v, &n, &cap);
    if (n == 0)
        return 0;
    qsort(v, n, sizeof(*v), name_cmp);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(v[i], v[k]) == 0)
            free(v[i]);
        else
            v[++k] = v[i];
    }
    *out = v;
    return k + 1;
}

/* ---- colours ---------------------------------------------------------------------------- */

/* xterm's defaults for the 16 ANSI colours */
static const int ansi_rgb[16] = {
    0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
    0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};
static const int cube_level[6] = { 0x00, 0x5f, 0x87, 0xaf, 0xd7, 0xff };

int theme_256_to_rgb(int i)
{
    if (i < 0 || i > 255)
        return 0;
    if (i < 16)
        return ansi_rgb[i];
    if (i < 232) {
        i -= 16;
        return cube_level[i / 36] << 16 | cube_level[(i / 6) % 6] << 8 | cube_level[i % 6];
    }
    i = 8 + 10 * (i - 232);
    return i << 16 | i << 8 | i;
}

/* tmux's colour_to_6cube: the cube level nearest v (levels are not evenly spaced) */
static int to_6cube(int v)
{
    if (v < 48)
        return 0;
    if (v < 114)
        return 1;
    return (v - 35) / 40;
}

static int dist_sq(int r1, int g1, int b1, int r2, int g2, int b2)
{
    return (r1 - r2) * (r1 - r2) + (g1 - g2) * (g1 - g2) + (b1 - b2) * (b1 - b2);
}

int theme_rgb_to_256(int rgb)
{
    int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
    int qr = to_6cube(r), qg = to_6cube(g), qb = to_6cube(b);
    int cr = cube_level[qr], cg = cube_level[qg], cb = cube_level[qb];
    int grey_avg, grey_idx, grey;

    if (cr == r && cg == g && cb == b)
        return 16 + 36 * qr + 6 * qg + qb;
    /* the grey ramp may be nearer than the cube (tmux's colour_find_rgb) */
    grey_avg = (r + g + b) / 3;
    grey_idx = grey_avg > 238 ? 23 : grey_avg < 3 ? 0 : (grey_avg - 3) / 10;
    grey = 8 + 10 * grey_idx;
    if (dist_sq(grey, grey, grey, r, g, b) < dist_sq(cr, cg, cb, r, g, b))
        return 232 + grey_idx;
    return 16 + 36 * qr + 6 * qg + qb;
}

static int luminance(int rgb)
{
    return (299 * ((rgb >> 16) & 0xff) + 587 * ((rgb >> 8) & 0xff) + 114 * (rgb & 0xff)) /
           1000;
}

int theme_rgb_to_16(int rgb)
{
    int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
    int mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
    int mn = r < g ? (r < b ? r : b) : (g < b ? g : b);
    int chroma = mx - mn, l, thresh, idx;

    if (mx < 0x30)
        return 0;
    if (chroma < 0x20 || chroma * 4 < mx) {
        /* little colour: a grey by brightness */
        l = luminance(rgb);
        return l < 0x40 ? 0 : l < 0xa0 ? 8 : l < 0xf0 ? 7 : 15;
    }
    /* the hue: the channels in the upper half of the range are "on" (never all three,
     * since the weakest is below the middle) */
    thresh = mn + chroma / 2;
    idx = (r >= thresh ? 1 : 0) | (g >= thresh ? 2 : 0) | (b >= thresh ? 4 : 0);
    return mx >= 0xf0 ? idx + 8 : idx;
}

int theme_256_to_16(int index)
{
    if (index < 0)
        return index;
    if (index < 16)
        return index;
    return theme_rgb_to_16(theme_256_to_rgb(index));
}

static double wcag_channel(int v)
{
    double c = v / 255.0;

    return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double wcag_luminance(int rgb)
{
    return 0.2126 * wcag_channel((rgb >> 16) & 0xff) +
           0.7152 * wcag_channel((rgb >> 8) & 0xff) + 0.0722 * wcag_channel(rgb & 0xff);
}

double theme_contrast(int rgb_a, int rgb_b)
{
    double a = wcag_luminance(rgb_a), b = wcag_luminance(rgb_b);

    return a > b ? (a + 0.05) / (b + 0.05) : (b + 0.05) / (a + 0.05);
}

bool theme_use_colour(const char *no_color_env, bool no_color_flag, bool has_colors,
                      int colors)
{
    if (no_color_env && no_color_env[0])
        return false;
    return !no_color_flag && has_colors && colors >= 8;
}

/* One colour for a terminal with `mode` colours (256, 16 or 8). */
static int degrade(int c, int mode)
{
    if (c < 0)
        return THEME_COLOUR_DEFAULT;
    if (c & THEME_COLOUR_RGB)
        c = mode >= 256 ? theme_rgb_to_256(c & 0xffffff) : theme_rgb_to_16(c & 0xffffff);
    else if (c > 255)
        return THEME_COLOUR_DEFAULT;
    if (mode < 256)
        c = theme_256_to_16(c);
    return c;
}

/* Black or white, whichever reads on bg. */
static int contrast_with(int bg, int mode)
{
    if (luminance(theme_256_to_rgb(bg)) < 0x80)
        return mode >= 16 ? 15 : 7;
    return 0;
}

/* Black or white, whichever has the more contrast on bg by WCAG (white is 7 at 8 colours,
 * as bright colours are not foregrounds there). */
static int readable_on(int bg, int mode)
{
    int white = mode >= 16 ? 15 : 7, rgb = theme_256_to_rgb(bg);

    return theme_contrast(0x000000, rgb) >= theme_contrast(theme_256_to_rgb(white), rgb) ? 0
                                                                                       : white;
}

struct theme_style theme_style_resolve(struct theme_style s, int colors)
{
    struct theme_style out = { THEME_COLOUR_DEFAULT, THEME_COLOUR_DEFAULT, s.attrs };
    int mode = colors >= 256 ? 256 : colors >= 16 ? 16 : colors >= 8 ? 8 : 0;

    if (mode == 0)
        return out;
    out.fg = degrade(s.fg, mode);
    out.bg = degrade(s.bg, mode);
    if (mode == 8) {
        /* as tmux: a bright foreground is the base colour made bold, which most 8-colour
         * terminals draw bright; a bright background just loses its brightness. Grey
         * (bright black) would be black: white made dim reads as grey, or at worst as
         * white, never as nothing on a dark background. */
        if (out.fg == 8) {
            out.fg = 7;
            out.attrs |= THEME_ATTR_DIM;
        } else if (out.fg >= 8) {
            out.fg -= 8;
            out.attrs |= THEME_ATTR_BOLD;
        }
        if (out.bg >= 8)
            out.bg -= 8;
    }
    if (out.fg >= 0 && out.fg == out.bg)
        out.fg = contrast_with(out.bg, mode);
    return out;
}

void theme_resolve(const struct theme *t, int colors, struct theme_style out[THEME_N_ELEMENTS])
{
    int mode = colors >= 256 ? 256 : colors >= 16 ? 16 : colors >= 8 ? 8 : 0;
    struct theme_style normal;

    for (int i = 0; i < THEME_N_ELEMENTS; i++)
        out[i] = theme_style_resolve(t->style[i], colors);
    normal = out[THEME_NORMAL];
    for (int i = 0; i < THEME_N_ELEMENTS; i++) {
        bool dim = i == THEME_STALE || i == THEME_DIM || i == THEME_BORDER ||
                   i == THEME_SPARKLINE;

        if (mode == 0)
            break;
        if (i != THEME_NORMAL) {
            if (out[i].fg < 0)
                out[i].fg = normal.fg;
            if (out[i].bg < 0)
                out[i].bg = normal.bg;
        }
        if (out[i].fg >= 0 && out[i].fg == out[i].bg)
            out[i].fg = contrast_with(out[i].bg, mode);
        if (out[i].fg >= 0 && out[i].bg >= 0 &&
            theme_contrast(theme_256_to_rgb(out[i].fg), theme_256_to_rgb(out[i].bg)) <
                (dim ? 3.0 : 4.5))
            out[i].fg = readable_on(out[i].bg, mode);
    }
}
