/* appconfig.c - opsdeck's own config file (see appconfig.h and doc/opsdeck.conf.5).
 *
 * inih splits "key = value" lines (trimming, inline comments); a line reader in front of it
 * sees every raw line first. That is where line numbers, section headers and syntax errors
 * are handled, because inih reports only the first bad line, without a reason, and never
 * reports a section that has no keys. The reader hands inih a blank line for everything that
 * is not a key line, so a bad line is reported once, by us, and parsing goes on.
 *
 * Every key is described once, in the table below: its section, type and bounds. The parser,
 * `opsdeck config check` and the documentation test all read that table. */
#include "config.h"
#include "conf/appconfig.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util/sanitize.h"
#include "util/strutil.h"
#include "util/textfile.h"
#include "util/xalloc.h"

/* A config line of more than this is a damaged file, not a setting. */
#define APPCONFIG_MAX_LINE 4096
#define APPCONFIG_MAX_FILE (1024 * 1024)
/* How much of a user's text an error message quotes. */
#define QUOTE_MAX 40

/* The named sections come before SEC_PROFILE; those that take a NAME after it. */
enum section_kind { SEC_NONE, SEC_BAD, SEC_GENERAL, SEC_INTERVALS, SEC_THRESHOLDS, SEC_TOGGLES,
                    SEC_PROFILE, SEC_TEMPLATE, SEC_TOGGLE, SEC_EXPIRY };

static const char *const section_names[] = {
    [SEC_GENERAL] = "general", [SEC_INTERVALS] = "intervals",
    [SEC_THRESHOLDS] = "thresholds", [SEC_PROFILE] = "profile", [SEC_TEMPLATE] = "template",
    [SEC_TOGGLES] = "toggles", [SEC_TOGGLE] = "toggle", [SEC_EXPIRY] = "expiry",
};

#define SECTIONS_HINT "[general], [intervals], [thresholds], [toggles], [profile NAME], " \
                      "[template NAME], [toggle NAME] or [expiry NAME]"

/* SSM's limit on a parameter's name, its path included. */
#define PARAM_NAME_MAX 2048

enum key_type { T_THEME, T_BOOL, T_COUNT, T_DURATION, T_ENVIRONMENT, T_REGION, T_TEXT,
                T_PARAM, T_PATHS, T_ALERT, T_ANCHOR };

/* [template NAME] attribute.NAME: the key's prefix; the rest is the attribute's name. */
#define ATTR_PREFIX "attribute."

struct appconfig_profile_entry {
    char *name;
    char environment[16];    /* "" when not set */
    bool read_only;
    char region[64];         /* "" when not set */
    char theme[APPCONFIG_NAME_MAX + 1];  /* "" when not set */
};

/* Where a key's value lives: in struct appconfig, in a profile entry for SEC_PROFILE, in a
 * template for SEC_TEMPLATE, in a toggle for SEC_TOGGLE. */
struct key_def {
    enum section_kind section;
    const char *name;
    enum key_type type;
    size_t offset;
    long min, max;           /* T_COUNT, T_DURATION */
};

#define CFG(f) offsetof(struct appconfig, f)
#define PRO(f) offsetof(struct appconfig_profile_entry, f)
#define TPL(f) offsetof(struct appconfig_template, f)
#define TGL(f) offsetof(struct appconfig_toggle, f)
#define EXP(f) offsetof(struct appconfig_expiry, f)
#define IVL(v) CFG(interval) + (v) * sizeof(int)

static const struct key_def keys[] = {
    {SEC_GENERAL, "theme", T_THEME, CFG(theme), 0, 0},
    {SEC_GENERAL, "ascii", T_BOOL, CFG(ascii), 0, 0},
    {SEC_GENERAL, "no_color", T_BOOL, CFG(no_color), 0, 0},
    {SEC_GENERAL, "max_in_flight", T_COUNT, CFG(max_in_flight), 1, APPCONFIG_MAX_IN_FLIGHT_MAX},
    {SEC_GENERAL, "peek_count", T_COUNT, CFG(peek_count), 1, 100},
    {SEC_GENERAL, "read_only", T_BOOL, CFG(read_only), 0, 0},
    {SEC_GENERAL, "alert", T_ALERT, CFG(alert), 0, 0},
    {SEC_INTERVALS, "default", T_DURATION, CFG(interval_default), APPCONFIG_INTERVAL_MIN,
     APPCONFIG_INTERVAL_MAX},
    {SEC_INTERVALS, "overview", T_DURATION, IVL(APPCONFIG_VIEW_OVERVIEW),
     APPCONFIG_INTERVAL_MIN, APPCONFIG_INTERVAL_MAX},
    {SEC_INTERVALS, "sqs", T_DURATION, IVL(APPCONFIG_VIEW_SQS), APPCONFIG_INTERVAL_MIN,
     APPCONFIG_INTERVAL_MAX},
    {SEC_INTERVALS, "dlq", T_DURATION, IVL(APPCONFIG_VIEW_DLQ), APPCONFIG_INTERVAL_MIN,
     APPCONFIG_INTERVAL_MAX},
    {SEC_INTERVALS, "sns", T_DURATION, IVL(APPCONFIG_VIEW_SNS), APPCONFIG_INTERVAL_MIN,
     APPCONFIG_INTERVAL_MAX},
    {SEC_INTERVALS, "s3", T_DURATION, IVL(APPCONFIG_VIEW_S3), APPCONFIG_INTERVAL_MIN,
     APPCONFIG_INTERVAL_MAX},
    {SEC_INTERVALS, "expiry", T_DURATION, IVL(APPCONFIG_VIEW_EXPIRY), APPCONFIG_INTERVAL_MIN,
     APPCONFIG_INTERVAL_MAX},
    {SEC_INTERVALS, "toggles", T_DURATION, IVL(APPCONFIG_VIEW_TOGGLES),
     APPCONFIG_INTERVAL_MIN, APPCONFIG_INTERVAL_MAX},
    /* SQS keeps a message at most 14 days: a longer age threshold could never fire. */
    {SEC_THRESHOLDS, "oldest_message_warn", T_DURATION, CFG(thresholds.oldest_message_warn),
     1, 14 * 86400},
    {SEC_THRESHOLDS, "oldest_message_critical", T_DURATION,
     CFG(thresholds.oldest_message_critical), 1, 14 * 86400},
    {SEC_THRESHOLDS, "dlq_depth_warn", T_COUNT, CFG(thresholds.dlq_depth_warn), 1,
     1000000000},
    {SEC_THRESHOLDS, "dlq_depth_critical", T_COUNT, CFG(thresholds.dlq_depth_critical), 1,
     1000000000},
    /* access keys and console passwords age in months */
    {SEC_THRESHOLDS, "expiry_warn", T_DURATION, CFG(thresholds.expiry_warn), 1, 365 * 86400},
    {SEC_THRESHOLDS, "expiry_critical", T_DURATION, CFG(thresholds.expiry_critical), 1,
     365 * 86400},
    {SEC_THRESHOLDS, "console_login_warn", T_DURATION, CFG(thresholds.password_warn), 1,
     365 * 86400},
    {SEC_THRESHOLDS, "console_login_critical", T_DURATION,
     CFG(thresholds.password_critical), 1, 365 * 86400},
    {SEC_THRESHOLDS, "access_key_age", T_DURATION, CFG(thresholds.access_key_age), 86400,
     3650 * 86400},
    {SEC_THRESHOLDS, "access_key_warn", T_DURATION, CFG(thresholds.access_key_warn), 1,
     365 * 86400},
    {SEC_THRESHOLDS, "rotation_warn", T_DURATION, CFG(thresholds.rotation_warn), 1, 365 * 86400},
    {SEC_PROFILE, "environment", T_ENVIRONMENT, PRO(environment), 0, 0},
    {SEC_PROFILE, "read_only", T_BOOL, PRO(read_only), 0, 0},
    {SEC_PROFILE, "region", T_REGION, PRO(region), 0, 0},
    {SEC_PROFILE, "theme", T_THEME, PRO(theme), 0, 0},
    {SEC_TEMPLATE, "body", T_TEXT, TPL(body), 0, 0},
    {SEC_TEMPLATE, "subject", T_TEXT, TPL(subject), 0, 0},
    {SEC_TOGGLES, "paths", T_PATHS, CFG(toggle_paths), 0, 0},
    /* Lambda may take minutes to disable a mapping; an hour is a flip that failed */
    {SEC_TOGGLES, "confirm_timeout", T_DURATION, CFG(confirm_timeout), 1, 3600},
    {SEC_TOGGLE, "parameter", T_PARAM, TGL(parameter), 0, 0},
    {SEC_TOGGLE, "on", T_TEXT, TGL(on), 0, 0},
    {SEC_TOGGLE, "off", T_TEXT, TGL(off), 0, 0},
    {SEC_TOGGLE, "description", T_TEXT, TGL(description), 0, 0},
    {SEC_EXPIRY, "anchor", T_ANCHOR, EXP(anchor), 0, 0},
    /* a lifetime under a minute would be late before a poll could see it change */
    {SEC_EXPIRY, "lifetime", T_DURATION, EXP(lifetime), 60, 3650 * 86400},
    {SEC_EXPIRY, "warn", T_DURATION, EXP(warn), 1, 3650 * 86400},
    {SEC_EXPIRY, "critical", T_DURATION, EXP(critical), 1, 3650 * 86400},
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

/* Which struct fields are int (the rest of T_COUNT/T_DURATION are long). */
static bool field_is_int(const struct key_def *k)
{
    return k->section == SEC_INTERVALS ||
           (k->section == SEC_GENERAL &&
            (k->offset == CFG(max_in_flight) || k->offset == CFG(peek_count)));
}

static const char *const environments[][2] = {
    /* what the user writes, what we store */
    {"production", "production"}, {"prod", "production"},
    {"staging", "staging"}, {"stage", "staging"},
    {"development", "development"}, {"dev", "development"},
    {"test", "test"}, {"sandbox", "sandbox"},
};

static const char *const view_names[APPCONFIG_VIEW_COUNT] = {
    "overview", "sqs", "dlq", "sns", "s3", "expiry", "toggles",
};

/* ---- small helpers ------------------------------------------------------------------- */

/* A user's text for an error message or the printed settings: through the one sanitiser
 * (C0 and C1 controls, bidi overrides, invalid UTF-8 escaped), cut after QUOTE_MAX bytes of
 * the escaped text, so a hostile or damaged file cannot write escape sequences or reorder
 * a line through `config check` or the status line. */
static void quote(char *out, size_t size, const char *s)
{
    char *clean = sanitize_text(s, strlen(s));
    size_t n = strlen(clean);

    if (n > QUOTE_MAX) {
        n = QUOTE_MAX;
        /* never end inside a UTF-8 character or an escape (\x1B, \u{202E}) */
        while (n > 0 && ((unsigned char)clean[n] & 0xC0) == 0x80)
            n--;
        for (size_t k = n; k > 0 && n - k < 9; k--)
            if (clean[k - 1] == '\\') {
                size_t run = 0;
                while (k - 1 - run > 0 && clean[k - 2 - run] == '\\')
                    run++;
                if (run % 2 == 0)     /* an escape starts here, not a doubled backslash */
                    n = k - 1;
                break;
            }
        snprintf(out, size, "%.*s...", (int)n, clean);
    } else {
        snprintf(out, size, "%s", clean);
    }
    free(clean);
}

static void add_error(struct appconfig *cfg, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_error(struct appconfig *cfg, int line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (cfg->nerrors >= APPCONFIG_MAX_ERRORS) {
        cfg->errors_dropped++;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    /* the path comes from the environment: shown through the sanitiser like any text */
    char *path = sanitize_text(cfg->path, strlen(cfg->path));
    cfg->errors = xrealloc(cfg->errors, (cfg->nerrors + 1) * sizeof(*cfg->errors));
    if (line > 0)
        cfg->errors[cfg->nerrors++] = xasprintf("%s:%d: %s", path, line, msg);
    else
        cfg->errors[cfg->nerrors++] = xasprintf("%s: %s", path, msg);
    free(path);
}


static bool name_valid(const char *s, size_t max)
{
    size_t n = strlen(s);

    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.')
            return false;
    return s[0] != '.';  /* a theme name becomes a file name: no "..", no hidden files */
}

/* As botocore's validate_region_name: the region becomes part of a host name. */
static bool region_valid(const char *r)
{
    size_t n = strlen(r);

    if (n == 0 || n > 63 || r[0] == '-' || r[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)r[i]) && r[i] != '-')
            return false;
    return true;
}

bool appconfig_parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};

    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

bool appconfig_parse_duration(const char *s, long *out)
{
    long mult = 1, v = 0;
    const char *p = s;

    if (!isdigit((unsigned char)*p))
        return false;  /* no sign, no space, no empty value */
    for (; isdigit((unsigned char)*p); p++) {
        if (v > (LONG_MAX - (*p - '0')) / 10)
            return false;
        v = v * 10 + (*p - '0');
    }
    switch (*p) {
    case '\0': break;
    case 's': mult = 1; p++; break;
    case 'm': mult = 60; p++; break;
    case 'h': mult = 3600; p++; break;
    case 'd': mult = 86400; p++; break;
    default: return false;
    }
    if (*p != '\0' || v > LONG_MAX / mult)
        return false;
    *out = v * mult;
    return true;
}

/* The shortest exact way to write seconds as a duration. */
static void format_duration(char *out, size_t size, long sec)
{
    if (sec > 0 && sec % 86400 == 0)
        snprintf(out, size, "%ldd", sec / 86400);
    else if (sec > 0 && sec % 3600 == 0)
        snprintf(out, size, "%ldh", sec / 3600);
    else if (sec > 0 && sec % 60 == 0)
        snprintf(out, size, "%ldm", sec / 60);
    else
        snprintf(out, size, "%lds", sec);
}

static struct appconfig_profile_entry *profile_find(const struct appconfig *cfg,
                                                    const char *name)
{
    for (size_t i = 0; name && i < cfg->nprofiles; i++)
        if (strcmp(cfg->profiles[i].name, name) == 0)
            return &cfg->profiles[i];
    return NULL;
}

static struct appconfig_profile_entry *profile_add(struct appconfig *cfg, const char *name)
{
    struct appconfig_profile_entry *p = profile_find(cfg, name);

    if (p)
        return p;  /* a repeated [profile x] adds to the first one */
    cfg->profiles = xrealloc(cfg->profiles, (cfg->nprofiles + 1) * sizeof(*cfg->profiles));
    p = &cfg->profiles[cfg->nprofiles++];
    memset(p, 0, sizeof(*p));
    p->name = xstrdup(name);
    return p;
}

static struct appconfig_template *template_find(const struct appconfig *cfg, const char *name)
{
    for (size_t i = 0; name && i < cfg->ntemplates; i++)
        if (strcmp(cfg->templates[i].name, name) == 0)
            return &cfg->templates[i];
    return NULL;
}

static struct appconfig_template *template_add(struct appconfig *cfg, const char *name)
{
    struct appconfig_template *t = template_find(cfg, name);

    if (t)
        return t;  /* a repeated [template x] adds to the first one */
    cfg->templates = xrealloc(cfg->templates, (cfg->ntemplates + 1) * sizeof(*cfg->templates));
    t = &cfg->templates[cfg->ntemplates++];
    memset(t, 0, sizeof(*t));
    t->name = xstrdup(name);
    return t;
}

static struct appconfig_toggle *toggle_find(const struct appconfig *cfg, const char *name)
{
    for (size_t i = 0; name && i < cfg->ntoggles; i++)
        if (strcmp(cfg->toggles[i].name, name) == 0)
            return &cfg->toggles[i];
    return NULL;
}

static struct appconfig_toggle *toggle_add(struct appconfig *cfg, const char *name, int line)
{
    struct appconfig_toggle *t = toggle_find(cfg, name);

    if (t)
        return t;  /* a repeated [toggle x] adds to the first one */
    cfg->toggles = xrealloc(cfg->toggles, (cfg->ntoggles + 1) * sizeof(*cfg->toggles));
    t = &cfg->toggles[cfg->ntoggles++];
    memset(t, 0, sizeof(*t));
    t->name = xstrdup(name);
    t->line = line;
    return t;
}

static void toggle_done(struct appconfig_toggle *t)
{
    free(t->name);
    free(t->parameter);
    free(t->on);
    free(t->off);
    free(t->description);
}

static void paths_free(struct appconfig *cfg)
{
    for (size_t i = 0; i < cfg->ntoggle_paths; i++)
        free(cfg->toggle_paths[i]);
    free(cfg->toggle_paths);
    cfg->toggle_paths = NULL;
    cfg->ntoggle_paths = 0;
}

static void template_done(struct appconfig_template *t)
{
    free(t->name);
    free(t->body);
    free(t->subject);
    for (size_t i = 0; i < t->nattrs; i++) {
        free(t->attrs[i].name);
        free(t->attrs[i].value);
    }
    free(t->attrs);
}

static struct appconfig_expiry *expiry_find(const struct appconfig *cfg, const char *name)
{
    for (size_t i = 0; name && i < cfg->nexpiries; i++)
        if (strcmp(cfg->expiries[i].name, name) == 0)
            return &cfg->expiries[i];
    return NULL;
}

static struct appconfig_expiry *expiry_add(struct appconfig *cfg, const char *name, int line)
{
    struct appconfig_expiry *e;

    cfg->expiries = xrealloc(cfg->expiries, (cfg->nexpiries + 1) * sizeof(*cfg->expiries));
    e = &cfg->expiries[cfg->nexpiries++];
    memset(e, 0, sizeof(*e));
    e->name = xstrdup(name);
    e->line = line;
    return e;
}

static void expiry_done(struct appconfig_expiry *e)
{
    free(e->name);
    free(e->anchor);
}

/* "secret:NAME-OR-ARN" or "parameter:NAME": a kind and a name of printable characters
 * without spaces (Secrets Manager and SSM names have none), at most 2048 bytes (an ARN). */
static bool anchor_valid(const char *v)
{
    const char *name = NULL;

    if (strncmp(v, "secret:", 7) == 0)
        name = v + 7;
    else if (strncmp(v, "parameter:", 10) == 0)
        name = v + 10;
    if (!name || !*name || strlen(name) > 2048)
        return false;
    for (const char *c = name; *c; c++)
        if ((unsigned char)*c <= ' ' || *c == 0x7f)
            return false;
    return true;
}

/* ---- defaults, lifetime -------------------------------------------------------------- */

struct appconfig *appconfig_new(void)
{
    struct appconfig *cfg = xcalloc(1, sizeof(*cfg));

    strcpy(cfg->theme, "default");
    cfg->max_in_flight = APPCONFIG_MAX_IN_FLIGHT_DEFAULT;
    cfg->peek_count = 10;
    cfg->interval_default = APPCONFIG_INTERVAL_DEFAULT;
    cfg->thresholds.oldest_message_warn = 300;
    cfg->thresholds.oldest_message_critical = 900;
    cfg->thresholds.dlq_depth_warn = 1;
    cfg->thresholds.dlq_depth_critical = 100;
    cfg->thresholds.expiry_warn = 900;
    cfg->confirm_timeout = APPCONFIG_CONFIRM_TIMEOUT_DEFAULT;
    cfg->thresholds.expiry_critical = 300;
    cfg->thresholds.password_warn = 14 * 86400;
    cfg->thresholds.password_critical = 3 * 86400;
    cfg->thresholds.access_key_age = 90 * 86400;
    cfg->thresholds.access_key_warn = 14 * 86400;
    cfg->thresholds.rotation_warn = 86400;
    cfg->alert = APPCONFIG_ALERT_BELL;
    return cfg;
}

void appconfig_free(struct appconfig *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->nprofiles; i++)
        free(cfg->profiles[i].name);
    free(cfg->profiles);
    for (size_t i = 0; i < cfg->ntemplates; i++)
        template_done(&cfg->templates[i]);
    free(cfg->templates);
    for (size_t i = 0; i < cfg->ntoggles; i++)
        toggle_done(&cfg->toggles[i]);
    free(cfg->toggles);
    paths_free(cfg);
    for (size_t i = 0; i < cfg->nexpiries; i++)
        expiry_done(&cfg->expiries[i]);
    free(cfg->expiries);
    for (size_t i = 0; i < cfg->nerrors; i++)
        free(cfg->errors[i]);
    free(cfg->errors);
    free(cfg->path);
    free(cfg);
}

char *appconfig_default_path(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

    /* the XDG spec: a relative XDG_CONFIG_HOME is invalid and ignored */
    if (xdg && xdg[0] == '/')
        return xasprintf("%s/opsdeck/config", xdg);
    if (home && *home)
        return xasprintf("%s/.config/opsdeck/config", home);
    return NULL;
}

/* ---- parsing ------------------------------------------------------------------------- */

struct parse_state {
    struct appconfig *cfg;
    FILE *fp;
    struct textfile tf;      /* bounded lines of fp */
    int lineno;
    enum section_kind sec;
    struct appconfig_profile_entry *profile;  /* for SEC_PROFILE */
    struct appconfig_template *template;      /* for SEC_TEMPLATE */
    struct appconfig_toggle *toggle;          /* for SEC_TOGGLE */
    struct appconfig_expiry *expiry;          /* for SEC_EXPIRY */
    int threshold_line[NKEYS];  /* where each key was set, for the cross-key check */
};

/* "[general]", "[profile prod]": the section kind, or SEC_BAD after reporting why. */
static enum section_kind section_open(struct parse_state *st, char *s)
{
    char *end = strrchr(s, ']'), *name, *after, q[QUOTE_MAX * 4 + 8];

    if (!end) {
        add_error(st->cfg, st->lineno, "section header without a closing ']' — write it as "
                  "[NAME]; keys up to the next header are ignored");
        return SEC_BAD;
    }
    after = str_strip(end + 1);
    if (*after && *after != '#' && *after != ';') {
        add_error(st->cfg, st->lineno, "text after the section header — move it to a line of "
                  "its own or make it a comment with #");
        return SEC_BAD;
    }
    *end = '\0';
    name = str_strip(s + 1);
    if (strncmp(name, "profile", 7) == 0 && (name[7] == '\0' || isspace((unsigned char)name[7]))) {
        char *pname = str_strip(name + 7);

        if (!*pname) {
            add_error(st->cfg, st->lineno, "[profile] without a name — write [profile NAME] "
                      "with the AWS profile's name");
            return SEC_BAD;
        }
        for (char *c = pname; *c; c++) {
            if (isspace((unsigned char)*c) || iscntrl((unsigned char)*c)) {
                quote(q, sizeof(q), pname);
                add_error(st->cfg, st->lineno, "profile name '%s' contains a space or control "
                          "character — AWS profile names have none", q);
                return SEC_BAD;
            }
        }
        st->profile = profile_add(st->cfg, pname);
        return SEC_PROFILE;
    }
    if (strncmp(name, "template", 8) == 0 && (name[8] == '\0' || isspace((unsigned char)name[8]))) {
        char *tname = str_strip(name + 8);

        if (!name_valid(tname, APPCONFIG_NAME_MAX)) {
            quote(q, sizeof(q), tname);
            add_error(st->cfg, st->lineno, "[template %s] is not a template name — use "
                      "letters, digits, '-', '_' and '.' (at most %d)", q, APPCONFIG_NAME_MAX);
            return SEC_BAD;
        }
        st->template = template_add(st->cfg, tname);
        return SEC_TEMPLATE;
    }
    if (strncmp(name, "toggle", 6) == 0 && isspace((unsigned char)name[6])) {
        char *tname = str_strip(name + 6);

        if (!name_valid(tname, APPCONFIG_NAME_MAX)) {
            quote(q, sizeof(q), tname);
            add_error(st->cfg, st->lineno, "[toggle %s] is not a toggle name — use "
                      "letters, digits, '-', '_' and '.' (at most %d)", q, APPCONFIG_NAME_MAX);
            return SEC_BAD;
        }
        st->toggle = toggle_add(st->cfg, tname, st->lineno);
        return SEC_TOGGLE;
    }
    if (strncmp(name, "expiry", 6) == 0 && (name[6] == '\0' || isspace((unsigned char)name[6]))) {
        char *ename = str_strip(name + 6);

        if (!name_valid(ename, APPCONFIG_NAME_MAX)) {
            quote(q, sizeof(q), ename);
            add_error(st->cfg, st->lineno, "[expiry %s] is not a name — use letters, digits, "
                      "'-', '_' and '.' (at most %d)", q, APPCONFIG_NAME_MAX);
            return SEC_BAD;
        }
        if (expiry_find(st->cfg, ename)) {
            quote(q, sizeof(q), ename);
            add_error(st->cfg, st->lineno, "[expiry %s] is declared twice — give each its own "
                      "name; this one is ignored", q);
            return SEC_BAD;
        }
        st->expiry = expiry_add(st->cfg, ename, st->lineno);
        return SEC_EXPIRY;
    }
    for (int k = SEC_GENERAL; k < SEC_PROFILE; k++)
        if (strcmp(name, section_names[k]) == 0)
            return (enum section_kind)k;
    quote(q, sizeof(q), name);
    if (strcmp(name, "default") == 0)
        add_error(st->cfg, st->lineno, "unknown section [default] — settings for the default "
                  "AWS profile go under [profile default]");
    else
        add_error(st->cfg, st->lineno, "unknown section [%s] — use " SECTIONS_HINT, q);
    return SEC_BAD;
}

/* inih's fgets-style reader. Reads one whole raw line, deals with everything that is not
 * "key = value", and gives inih only key lines (everything else as an empty line). */
static char *reader(char *str, int num, void *stream)
{
    struct parse_state *st = stream;
    ssize_t n;
    char *s;

    /* a NUL byte, an endless line or file (/dev/zero) ends the reading: file:line, why */
    n = textfile_next(&st->tf);
    st->lineno = st->tf.lineno;
    strcpy(str, "\n");
    if (n == TEXTFILE_BAD_LINE) {
        add_error(st->cfg, st->lineno, "%s — fix or remove the line", st->tf.why);
        return str;
    }
    if (n == TEXTFILE_ERROR)
        add_error(st->cfg, st->lineno, "%s — the rest of the file is ignored", st->tf.why);
    if (n <= 0)
        return NULL;
    /* a UTF-8 byte order mark, as some editors write one */
    s = st->tf.line.data;
    if (st->lineno == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3;
    s = str_strip(s);
    if (!*s || *s == '#' || *s == ';')
        return str;
    if (*s == '[') {
        st->profile = NULL;
        st->template = NULL;
        st->toggle = NULL;
        st->expiry = NULL;
        st->sec = section_open(st, s);
        return str;
    }
    if (!strchr(s, '=')) {
        /* never quote this line: it may be a secret pasted on a line of its own */
        add_error(st->cfg, st->lineno, "not a [section], a comment or KEY = VALUE — fix the "
                  "line or make it a comment with #");
        return str;
    }
    if ((int)strlen(s) + 2 > num)
        return str;  /* cannot happen: ini_max_line is set above APPCONFIG_MAX_LINE */
    snprintf(str, (size_t)num, "%s\n", s);
    return str;
}

/* Keys that would hold a secret: they belong in the credentials file or the keyring. */
static bool key_is_secret(const char *k)
{
    return strstr(k, "secret") || strstr(k, "session_token") || strstr(k, "security_token") ||
           strstr(k, "password") || strcmp(k, "aws_access_key_id") == 0;
}

static void known_keys(enum section_kind sec, char *out, size_t size)
{
    size_t o = 0;

    out[0] = '\0';
    for (size_t i = 0; i < NKEYS && o < size; i++)
        if (keys[i].section == sec)
            o += (size_t)snprintf(out + o, size - o, "%s%s", o ? ", " : "", keys[i].name);
}

/* As SSM accepts a parameter's name: letters, digits, _ . - /; a path (GetParametersByPath)
 * starts with '/', as does a name with more than one level. */
static bool param_name_valid(const char *s, bool path)
{
    size_t n = strlen(s);

    if (n == 0 || n > PARAM_NAME_MAX || (path && s[0] != '/'))
        return false;
    if (strchr(s + 1, '/') && s[0] != '/')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("_.-/", s[i]))
            return false;
    return true;
}

/* [toggles] paths = /a /b, /c: every path, or none of them when one is not a path. */
static void set_paths(struct parse_state *st, const char *v)
{
    char *copy = xstrdup(v), *save = NULL, q[QUOTE_MAX * 4 + 8];
    char **paths = NULL;
    size_t n = 0;

    for (char *w = strtok_r(copy, " \t,", &save); w; w = strtok_r(NULL, " \t,", &save)) {
        if (!param_name_valid(w, true) || n == APPCONFIG_TOGGLE_PATHS_MAX) {
            quote(q, sizeof(q), w);
            if (n == APPCONFIG_TOGGLE_PATHS_MAX)
                add_error(st->cfg, st->lineno, "paths: more than %d paths — list a common "
                          "parent instead; no path is read", APPCONFIG_TOGGLE_PATHS_MAX);
            else
                add_error(st->cfg, st->lineno, "paths: '%s' is not an SSM path — write it "
                          "as /team/flags; no path is read", q);
            for (size_t i = 0; i < n; i++)
                free(paths[i]);
            free(paths);
            free(copy);
            return;
        }
        paths = xrealloc(paths, (n + 1) * sizeof(*paths));
        paths[n++] = xstrdup(w);
    }
    free(copy);
    paths_free(st->cfg);
    st->cfg->toggle_paths = paths;
    st->cfg->ntoggle_paths = n;
}

static void set_value(struct parse_state *st, const struct key_def *k, const char *v)
{
    char *base = k->section == SEC_PROFILE    ? (char *)st->profile
                 : k->section == SEC_TEMPLATE ? (char *)st->template
                 : k->section == SEC_TOGGLE   ? (char *)st->toggle
                 : k->section == SEC_EXPIRY   ? (char *)st->expiry
                                              : (char *)st->cfg;
    void *field = base + k->offset;
    char q[QUOTE_MAX * 4 + 8], d1[32], d2[32];
    long num = 0;
    bool b;

    quote(q, sizeof(q), v);
    switch (k->type) {
    case T_THEME:
        if (!name_valid(v, APPCONFIG_NAME_MAX)) {
            add_error(st->cfg, st->lineno, "theme '%s' is not a theme name — use the name of "
                      "a file in themes/ without .theme (letters, digits, - and _)", q);
            return;
        }
        strcpy(field, v);
        return;
    case T_BOOL:
        if (!appconfig_parse_bool(v, &b)) {
            add_error(st->cfg, st->lineno, "%s = '%s' is not a boolean — use true or false",
                      k->name, q);
            return;
        }
        *(bool *)field = b;
        return;
    case T_COUNT:
        if (!isdigit((unsigned char)v[0]) || !appconfig_parse_duration(v, &num) ||
            strspn(v, "0123456789") != strlen(v) || num < k->min || num > k->max) {
            add_error(st->cfg, st->lineno, "%s = '%s' is not a whole number from %ld to %ld "
                      "— write one", k->name, q, k->min, k->max);
            return;
        }
        break;
    case T_DURATION:
        if (!appconfig_parse_duration(v, &num)) {
            add_error(st->cfg, st->lineno, "%s = '%s' is not a duration — write seconds as "
                      "30, 30s, 5m, 2h or 1d", k->name, q);
            return;
        }
        if (num < k->min || num > k->max) {
            format_duration(d1, sizeof(d1), k->min);
            format_duration(d2, sizeof(d2), k->max);
            add_error(st->cfg, st->lineno, "%s = %s is out of range — use %s to %s", k->name,
                      q, d1, d2);
            return;
        }
        break;
    case T_ENVIRONMENT:
        for (size_t i = 0; i < sizeof(environments) / sizeof(environments[0]); i++) {
            if (strcasecmp(v, environments[i][0]) == 0) {
                strcpy(field, environments[i][1]);
                return;
            }
        }
        /* a typo in "production" must not pass silently as an unmarked profile */
        add_error(st->cfg, st->lineno, "environment '%s' is unknown — use production, "
                  "staging, development, test or sandbox", q);
        return;
    case T_ALERT:
        if (strcmp(v, "bell") == 0)
            *(int *)field = APPCONFIG_ALERT_BELL;
        else if (strcmp(v, "flash") == 0)
            *(int *)field = APPCONFIG_ALERT_FLASH;
        else if (strcmp(v, "off") == 0)
            *(int *)field = APPCONFIG_ALERT_OFF;
        else
            add_error(st->cfg, st->lineno, "alert = '%s' is unknown — use bell, flash or off",
                      q);
        return;
    case T_ANCHOR:
        if (!anchor_valid(v)) {
            add_error(st->cfg, st->lineno, "anchor = '%s' is not an anchor — write "
                      "secret:NAME-OR-ARN (Secrets Manager) or parameter:NAME (SSM)", q);
            return;
        }
        free(*(char **)field);
        *(char **)field = xstrdup(v);
        return;
    case T_TEXT:
        free(*(char **)field);
        *(char **)field = xstrdup(v);
        return;
    case T_PARAM:
        if (!param_name_valid(v, false)) {
            add_error(st->cfg, st->lineno, "parameter '%s' is not an SSM parameter name — "
                      "use letters, digits and _ . - / (a path starts with /)", q);
            return;
        }
        free(*(char **)field);
        *(char **)field = xstrdup(v);
        return;
    case T_PATHS:
        set_paths(st, v);
        return;
    case T_REGION:
        if (!region_valid(v)) {
            add_error(st->cfg, st->lineno, "region '%s' is not a region name — write one like "
                      "eu-west-1", q);
            return;
        }
        strcpy(field, v);
        return;
    }
    if (field_is_int(k))
        *(int *)field = (int)num;
    else
        *(long *)field = num;
    st->threshold_line[k - keys] = st->lineno;
}

/* value without one pair of matching quotes around it: theme = "dark" means dark. */
static void unquote(char *val, size_t size, const char *value)
{
    size_t n;

    snprintf(val, size, "%s", value);
    n = strlen(val);
    if (n >= 2 && (val[0] == '"' || val[0] == '\'') && val[n - 1] == val[0]) {
        val[n - 1] = '\0';
        memmove(val, val + 1, n - 1);
    }
}

/* As SQS and SNS accept a message attribute's name: letters, digits, '_', '-', '.'. */
static bool attr_name_valid(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > APPCONFIG_ATTR_NAME_MAX || s[0] == '.' || s[n - 1] == '.' ||
        strstr(s, ".."))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.')
            return false;
    return true;
}

/* [template NAME] attribute.ANAME = [TYPE:]VALUE: kept as written (act/template.c reads the
 * type); a repeated name replaces the earlier value. */
static void template_attr(struct parse_state *st, const char *aname, const char *value)
{
    struct appconfig_template *t = st->template;
    char val[APPCONFIG_MAX_LINE + 1], q[QUOTE_MAX * 4 + 8];

    quote(q, sizeof(q), aname);
    if (!attr_name_valid(aname)) {
        add_error(st->cfg, st->lineno, "attribute name '%s' is not valid — use letters, "
                  "digits, '_', '-' and '.' (not at the ends, not twice in a row; at most %d)",
                  q, APPCONFIG_ATTR_NAME_MAX);
        return;
    }
    unquote(val, sizeof(val), value);
    if (!val[0]) {
        add_error(st->cfg, st->lineno, "attribute %s has no value — write "
                  "attribute.%s = [TYPE:]VALUE", q, q);
        return;
    }
    for (size_t i = 0; i < t->nattrs; i++) {
        if (strcmp(t->attrs[i].name, aname) == 0) {
            free(t->attrs[i].value);
            t->attrs[i].value = xstrdup(val);
            return;
        }
    }
    if (t->nattrs == APPCONFIG_ATTRS_MAX) {
        add_error(st->cfg, st->lineno, "more than %d attributes in [template %s] — a message "
                  "takes at most %d; remove one", APPCONFIG_ATTRS_MAX, t->name,
                  APPCONFIG_ATTRS_MAX);
        return;
    }
    t->attrs = xrealloc(t->attrs, (t->nattrs + 1) * sizeof(*t->attrs));
    t->attrs[t->nattrs].name = xstrdup(aname);
    t->attrs[t->nattrs].value = xstrdup(val);
    t->nattrs++;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    struct parse_state *st = user;
    char key[512], val[APPCONFIG_MAX_LINE + 1], q[QUOTE_MAX * 4 + 8], list[256];
    size_t i;

    (void)section;  /* the reader tracks sections itself */
    snprintf(key, sizeof(key), "%s", name);
    for (i = 0; key[i]; i++)
        key[i] = (char)tolower((unsigned char)key[i]);  /* as configparser */
    quote(q, sizeof(q), key);
    if (key_is_secret(key)) {
        /* the value is not quoted, anywhere */
        add_error(st->cfg, st->lineno, "%s is a secret and does not belong in opsdeck's "
                  "config — remove the line; keep keys in ~/.aws/credentials or the OS "
                  "keyring (opsdeck creds add PROFILE)", q);
        return 1;
    }
    if (st->sec == SEC_BAD)
        return 1;  /* the header was reported; one error for the whole section */
    if (!key[0]) {
        add_error(st->cfg, st->lineno, "no key before '=' — write KEY = VALUE");
        return 1;
    }
    if (st->sec == SEC_NONE) {
        add_error(st->cfg, st->lineno, "%s is outside any section — put it under "
                  SECTIONS_HINT, q);
        return 1;
    }
    if (st->sec == SEC_TEMPLATE && strncmp(key, ATTR_PREFIX, strlen(ATTR_PREFIX)) == 0) {
        /* attribute names keep their case: SQS and SNS tell eventType from eventtype */
        template_attr(st, name + strlen(ATTR_PREFIX), value);
        return 1;
    }
    for (i = 0; i < NKEYS; i++)
        if (keys[i].section == st->sec && strcmp(keys[i].name, key) == 0)
            break;
    if (i == NKEYS) {
        known_keys(st->sec, list, sizeof(list));
        add_error(st->cfg, st->lineno, "unknown key '%s' in [%s] — known keys: %s", q,
                  section_names[st->sec], list);
        return 1;
    }
    unquote(val, sizeof(val), value);
    if (!val[0]) {
        add_error(st->cfg, st->lineno, "%s has no value — give one or remove the line to keep "
                  "the default", keys[i].name);
        return 1;
    }
    set_value(st, &keys[i], val);
    return 1;
}

static size_t key_index(const char *name)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (keys[i].section == SEC_THRESHOLDS && strcmp(keys[i].name, name) == 0)
            return i;
    fatal("appconfig: no key %s", name);
}

/* The lower level must not be above the higher one (a depth's warn below its critical, a
 * time left's critical below its warn); both go back to their defaults if it is, since either
 * one may be the typo. */
static void check_pair(struct parse_state *st, long *warn, long *crit, const char *wname,
                       const char *cname, long wdef, long cdef, bool seconds)
{
    int wl = st->threshold_line[key_index(wname)], cl = st->threshold_line[key_index(cname)];
    char a[32], b[32];

    if (*warn <= *crit)
        return;
    if (seconds) {
        format_duration(a, sizeof(a), *warn);
        format_duration(b, sizeof(b), *crit);
    } else {
        snprintf(a, sizeof(a), "%ld", *warn);
        snprintf(b, sizeof(b), "%ld", *crit);
    }
    add_error(st->cfg, wl > cl ? wl : cl, "%s (%s) is above %s (%s) — make %s the lower "
              "one; both keep their defaults", wname, a, cname, b, wname);
    *warn = wdef;
    *crit = cdef;
}

/* A toggle needs its parameter and both values, and two different ones; one parameter is
 * one toggle. An incomplete toggle is dropped (flipping it could only guess). */
static void check_toggles(struct appconfig *cfg)
{
    size_t k = 0;

    for (size_t i = 0; i < cfg->ntoggles; i++) {
        struct appconfig_toggle *t = &cfg->toggles[i];
        const char *missing = !t->parameter ? "parameter" : !t->on ? "on" : !t->off ? "off"
                                                                                : NULL;
        bool dup = false;

        for (size_t j = 0; j < k && t->parameter; j++)
            dup = dup || strcmp(cfg->toggles[j].parameter, t->parameter) == 0;
        if (missing)
            add_error(cfg, t->line, "[toggle %s] has no %s — give parameter, on and off; the "
                      "toggle is ignored", t->name, missing);
        else if (strcmp(t->on, t->off) == 0)
            add_error(cfg, t->line, "[toggle %s]: on and off are the same value — give two "
                      "different values; the toggle is ignored", t->name);
        else if (dup)
            add_error(cfg, t->line, "[toggle %s]: its parameter is another toggle's already — "
                      "declare each parameter once; the toggle is ignored", t->name);
        if (missing || strcmp(t->on ? t->on : "", t->off ? t->off : "") == 0 || dup) {
            toggle_done(t);
            continue;
        }
        cfg->toggles[k++] = *t;
    }
    cfg->ntoggles = k;
}

/* An [expiry NAME] needs an anchor and a lifetime, and thresholds inside the lifetime; one
 * that has not is dropped (reported at its header) rather than counted down wrongly. */
static void expiries_check(struct appconfig *cfg)
{
    size_t kept = 0;

    for (size_t i = 0; i < cfg->nexpiries; i++) {
        struct appconfig_expiry *e = &cfg->expiries[i];
        const char *why = NULL;

        if (!e->anchor)
            why = "has no anchor — add anchor = secret:NAME or anchor = parameter:NAME";
        else if (!e->lifetime)
            why = "has no lifetime — add lifetime = DURATION (as 15m), how long the password "
                  "lives after each change";
        else if (e->warn >= e->lifetime || e->critical >= e->lifetime)
            why = "has warn or critical not shorter than its lifetime — they would always be "
                  "on; make them shorter";
        else if (e->warn && e->critical > e->warn)
            why = "has critical above warn — critical is the shorter time left";
        if (why) {
            add_error(cfg, e->line, "[expiry %s] %s; it is ignored", e->name, why);
            expiry_done(e);
            continue;
        }
        cfg->expiries[kept++] = *e;
    }
    cfg->nexpiries = kept;
}

static void parse_file(struct appconfig *cfg, FILE *fp)
{
    static char inline_prefixes[] = ";#";
    struct parse_state st;
    struct appconfig *defaults = appconfig_new();
    bool saved_multi = ini_allow_multiline, saved_inline = ini_allow_inline_comments,
         saved_stack = ini_use_stack, saved_realloc = ini_allow_realloc,
         saved_stop = ini_stop_on_first_error, saved_novalue = ini_allow_no_value,
         saved_bom = ini_allow_bom;
    char *saved_prefixes = ini_inline_comment_prefixes;
    int saved_max = ini_max_line, saved_initial = ini_initial_alloc, rc;

    memset(&st, 0, sizeof(st));
    st.cfg = cfg;
    st.fp = fp;
    textfile_init(&st.tf, fp, APPCONFIG_MAX_LINE, APPCONFIG_MAX_FILE);
    /* Debian's inih exposes its compile-time options as globals; config.c sets them its
     * own way, so ours are set for this call only. No continuation lines (an indented key
     * is just a key), "; comment" and "# comment" after a value, go on after an error. */
    ini_allow_multiline = false;
    ini_allow_inline_comments = true;
    ini_inline_comment_prefixes = inline_prefixes;
    ini_use_stack = false;
    ini_allow_realloc = false;
    ini_max_line = APPCONFIG_MAX_LINE + 3;
    ini_initial_alloc = APPCONFIG_MAX_LINE + 3;
    ini_stop_on_first_error = false;
    ini_allow_no_value = false;
    ini_allow_bom = false;  /* the reader skips it, as it sees the raw line first */
    rc = ini_parse_stream(reader, &st, handler, &st);
    ini_allow_multiline = saved_multi;
    ini_allow_inline_comments = saved_inline;
    ini_inline_comment_prefixes = saved_prefixes;
    ini_use_stack = saved_stack;
    ini_allow_realloc = saved_realloc;
    ini_max_line = saved_max;
    ini_initial_alloc = saved_initial;
    ini_stop_on_first_error = saved_stop;
    ini_allow_no_value = saved_novalue;
    ini_allow_bom = saved_bom;
    if (rc == -2)
        fatal("out of memory");
    else if (rc > 0 && cfg->nerrors == 0)
        add_error(cfg, rc, "inih could not parse this line — fix it");

    check_pair(&st, &cfg->thresholds.oldest_message_warn,
               &cfg->thresholds.oldest_message_critical, "oldest_message_warn",
               "oldest_message_critical", defaults->thresholds.oldest_message_warn,
               defaults->thresholds.oldest_message_critical, true);
    check_pair(&st, &cfg->thresholds.dlq_depth_warn, &cfg->thresholds.dlq_depth_critical,
               "dlq_depth_warn", "dlq_depth_critical", defaults->thresholds.dlq_depth_warn,
               defaults->thresholds.dlq_depth_critical, false);
    check_pair(&st, &cfg->thresholds.expiry_critical, &cfg->thresholds.expiry_warn,
               "expiry_critical", "expiry_warn", defaults->thresholds.expiry_critical,
               defaults->thresholds.expiry_warn, true);
    check_pair(&st, &cfg->thresholds.password_critical, &cfg->thresholds.password_warn,
               "console_login_critical", "console_login_warn",
               defaults->thresholds.password_critical, defaults->thresholds.password_warn, true);
    expiries_check(cfg);
    check_toggles(cfg);
    appconfig_free(defaults);
    textfile_done(&st.tf);  /* wiped: a refused secret may have passed through it */
}

struct appconfig *appconfig_load(const char *path)
{
    struct appconfig *cfg = appconfig_new();
    struct stat sb;
    FILE *fp;

    cfg->path = path ? xstrdup(path) : appconfig_default_path();
    if (!cfg->path)
        return cfg;  /* no HOME and no XDG_CONFIG_HOME: nowhere to look */
    fp = fopen(cfg->path, "r");
    if (!fp) {
        if (errno != ENOENT && errno != ENOTDIR)
            add_error(cfg, 0, "cannot read: %s — fix its permissions (chmod 600) or remove "
                      "it", strerror(errno));
        return cfg;
    }
    cfg->file_found = true;
    if (fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        add_error(cfg, 0, "is a directory, not a config file — remove it or put a file "
                  "there");
        fclose(fp);
        return cfg;
    }
    parse_file(cfg, fp);
    fclose(fp);
    return cfg;
}

/* ---- queries ------------------------------------------------------------------------- */

struct appconfig_profile appconfig_profile(const struct appconfig *cfg, const char *name)
{
    const struct appconfig_profile_entry *p = profile_find(cfg, name);
    struct appconfig_profile r = {NULL, false, NULL, cfg->theme};

    if (!p)
        return r;
    r.environment = p->environment[0] ? p->environment : NULL;
    r.read_only = p->read_only;
    r.region = p->region[0] ? p->region : NULL;
    if (p->theme[0])
        r.theme = p->theme;
    return r;
}

const struct appconfig_template *appconfig_template(const struct appconfig *cfg,
                                                    const char *name)
{
    return template_find(cfg, name);
}

const struct appconfig_toggle *appconfig_toggle(const struct appconfig *cfg, const char *name)
{
    const struct appconfig_toggle *t = toggle_find(cfg, name);

    for (size_t i = 0; !t && name && i < cfg->ntoggles; i++)
        if (strcmp(cfg->toggles[i].parameter, name) == 0)
            t = &cfg->toggles[i];
    return t;
}

bool appconfig_is_production(const struct appconfig *cfg, const char *profile)
{
    struct appconfig_profile p = appconfig_profile(cfg, profile);

    return p.environment && strcmp(p.environment, "production") == 0;
}

int appconfig_interval(const struct appconfig *cfg, enum appconfig_view view)
{
    if ((unsigned)view < APPCONFIG_VIEW_COUNT && cfg->interval[view] > 0)
        return cfg->interval[view];
    return cfg->interval_default;
}

const struct appconfig_expiry *appconfig_expiry(const struct appconfig *cfg, const char *name)
{
    return expiry_find(cfg, name);
}

const struct appconfig_thresholds *appconfig_thresholds(const struct appconfig *cfg)
{
    return &cfg->thresholds;
}

const char *appconfig_view_name(enum appconfig_view view)
{
    return (unsigned)view < APPCONFIG_VIEW_COUNT ? view_names[view] : "?";
}

/* ---- output -------------------------------------------------------------------------- */

size_t appconfig_print_errors(const struct appconfig *cfg, FILE *out)
{
    for (size_t i = 0; i < cfg->nerrors; i++)
        fprintf(out, "%s\n", cfg->errors[i]);
    if (cfg->errors_dropped) {
        char *path = sanitize_text(cfg->path, strlen(cfg->path));
        fprintf(out, "%s: %zu more problems not shown — fix the ones above first\n", path,
                cfg->errors_dropped);
        free(path);
    }
    return cfg->nerrors;
}

/* A value from the file as the user wrote it, escaped for the terminal. */
static void print_text(FILE *out, const char *key, const char *v)
{
    char *clean;

    if (!v)
        return;
    clean = sanitize_text(v, strlen(v));
    fprintf(out, "%s = %s\n", key, clean);
    free(clean);
}

static void print_expiries(const struct appconfig *cfg, FILE *out);

void appconfig_print(const struct appconfig *cfg, FILE *out)
{
    const struct appconfig_thresholds *t = &cfg->thresholds;
    char d[32];

    fprintf(out, "[general]\ntheme = %s\nascii = %s\nno_color = %s\nmax_in_flight = %d\n"
            "read_only = %s\npeek_count = %d\nalert = %s\n",
            cfg->theme, cfg->ascii ? "true" : "false", cfg->no_color ? "true" : "false",
            cfg->max_in_flight, cfg->read_only ? "true" : "false", cfg->peek_count,
            cfg->alert == APPCONFIG_ALERT_FLASH ? "flash"
            : cfg->alert == APPCONFIG_ALERT_OFF ? "off" : "bell");
    format_duration(d, sizeof(d), cfg->interval_default);
    fprintf(out, "\n[intervals]\ndefault = %s\n", d);
    for (int v = 0; v < APPCONFIG_VIEW_COUNT; v++) {
        format_duration(d, sizeof(d), appconfig_interval(cfg, (enum appconfig_view)v));
        fprintf(out, "%s = %s\n", view_names[v], d);
    }
    fputs("\n[thresholds]\n", out);
    format_duration(d, sizeof(d), t->oldest_message_warn);
    fprintf(out, "oldest_message_warn = %s\n", d);
    format_duration(d, sizeof(d), t->oldest_message_critical);
    fprintf(out, "oldest_message_critical = %s\n", d);
    fprintf(out, "dlq_depth_warn = %ld\ndlq_depth_critical = %ld\n", t->dlq_depth_warn,
            t->dlq_depth_critical);
    format_duration(d, sizeof(d), t->expiry_warn);
    fprintf(out, "expiry_warn = %s\n", d);
    format_duration(d, sizeof(d), t->expiry_critical);
    fprintf(out, "expiry_critical = %s\n", d);
    format_duration(d, sizeof(d), t->password_warn);
    fprintf(out, "console_login_warn = %s\n", d);
    format_duration(d, sizeof(d), t->password_critical);
    fprintf(out, "console_login_critical = %s\n", d);
    format_duration(d, sizeof(d), t->access_key_age);
    fprintf(out, "access_key_age = %s\n", d);
    format_duration(d, sizeof(d), t->access_key_warn);
    fprintf(out, "access_key_warn = %s\n", d);
    format_duration(d, sizeof(d), t->rotation_warn);
    fprintf(out, "rotation_warn = %s\n", d);
    for (size_t i = 0; i < cfg->nprofiles; i++) {
        const struct appconfig_profile_entry *p = &cfg->profiles[i];
        char q[QUOTE_MAX * 4 + 8];

        quote(q, sizeof(q), p->name);
        fprintf(out, "\n[profile %s]\n", q);
        if (p->environment[0])
            fprintf(out, "environment = %s\n", p->environment);
        fprintf(out, "read_only = %s\n", p->read_only ? "true" : "false");
        if (p->region[0])
            fprintf(out, "region = %s\n", p->region);
        fprintf(out, "theme = %s\n", p->theme[0] ? p->theme : cfg->theme);
    }
    for (size_t i = 0; i < cfg->ntemplates; i++) {
        const struct appconfig_template *tp = &cfg->templates[i];

        fprintf(out, "\n[template %s]\n", tp->name);
        print_text(out, "body", tp->body);
        print_text(out, "subject", tp->subject);
        for (size_t k = 0; k < tp->nattrs; k++) {
            char *key = xasprintf("%s%s", ATTR_PREFIX, tp->attrs[k].name);
            print_text(out, key, tp->attrs[k].value);
            free(key);
        }
    }
    format_duration(d, sizeof(d), cfg->confirm_timeout);
    fputs("\n[toggles]\n", out);
    if (cfg->ntoggle_paths) {
        fputs("paths =", out);
        for (size_t i = 0; i < cfg->ntoggle_paths; i++)
            fprintf(out, " %s", cfg->toggle_paths[i]);
        fputc('\n', out);
    }
    fprintf(out, "confirm_timeout = %s\n", d);
    for (size_t i = 0; i < cfg->ntoggles; i++) {
        const struct appconfig_toggle *tg = &cfg->toggles[i];

        fprintf(out, "\n[toggle %s]\n", tg->name);
        print_text(out, "parameter", tg->parameter);
        print_text(out, "on", tg->on);
        print_text(out, "off", tg->off);
        print_text(out, "description", tg->description);
    }
    print_expiries(cfg, out);
}

static void print_expiries(const struct appconfig *cfg, FILE *out)
{
    char d[32];

    for (size_t i = 0; i < cfg->nexpiries; i++) {
        const struct appconfig_expiry *e = &cfg->expiries[i];

        fprintf(out, "\n[expiry %s]\n", e->name);
        print_text(out, "anchor", e->anchor);
        format_duration(d, sizeof(d), e->lifetime);
        fprintf(out, "lifetime = %s\n", d);
        if (e->warn) {
            format_duration(d, sizeof(d), e->warn);
            fprintf(out, "warn = %s\n", d);
        }
        if (e->critical) {
            format_duration(d, sizeof(d), e->critical);
            fprintf(out, "critical = %s\n", d);
        }
    }
}

void appconfig_print_keys(FILE *out)
{
    for (size_t i = 0; i < NKEYS; i++)
        fprintf(out, "%s %s\n", section_names[keys[i].section], keys[i].name);
    fprintf(out, "%s %sNAME\n", section_names[SEC_TEMPLATE], ATTR_PREFIX);
}
