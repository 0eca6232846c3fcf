/* config.c - profile, region and endpoint resolution, with botocore 1.43 as the reference.
 *
 * The two files are read with inih. inih only sees keys, so a custom line reader watches
 * every raw line: it knows the line number, the indentation and the section headers (inih
 * does not report empty sections, and "[profile x]" with no keys is still a profile). That
 * lets us follow Python's configparser, which botocore uses, where inih alone cannot:
 * an indented line is a continuation only when it is indented deeper than its key, a key
 * repeated in one section or a section repeated in one file is an error, and `;` inside a
 * value is not a comment. */
#include "config.h"
#include "conf/awsconfig.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/strutil.h"
#include "util/textfile.h"
#include "util/xalloc.h"

/* Longest line we accept; configparser has no limit, but a config line of a megabyte is
 * a damaged file, and inih needs a bound for its line buffer. */
#define CONFIG_MAX_LINE (1024 * 1024)
/* The AWS CLI's files hold profiles of a few lines each: 16 MiB is thousands of them. */
#define CONFIG_MAX_FILE (16 * 1024 * 1024)

struct ini_kv {
    char *key;    /* lower-cased, as configparser's optionxform does */
    char *value;  /* continuation lines joined with '\n'; "\nk = v..." is a nested block */
    int line;
    int indent;
};

struct ini_section {
    char *header;  /* the text between the brackets, as written */
    int line;
    struct ini_kv *kv;
    size_t n, cap;
};

struct ini_file {
    char *path;
    struct ini_section *sec;
    size_t n, cap;
};

struct aws_config_data {
    struct ini_file config;
    struct ini_file creds;
    char *endpoint_url;  /* --endpoint-url */
};

/* ---- reading one file ---------------------------------------------------------------- */

struct parse_state {
    FILE *fp;
    struct textfile tf;       /* bounded reading of fp */
    size_t tf_off;            /* how much of tf.line the reader has handed out */
    struct ini_file *file;
    struct buf line;          /* the raw current line (all its chunks) */
    int lineno;
    bool at_line_start;
    bool have_prev_key;       /* mirrors inih's prev_name: a key since the last header */
    struct ini_section *cur;
    struct ini_kv *last;
    char err[600];            /* first error found by us (inih's own errors have only a line) */
};

static void kv_free(struct ini_kv *kv)
{
    free(kv->key);
    /* values may be secrets (aws_secret_access_key) */
    xfree_secret(kv->value);
}

static void file_done(struct ini_file *f)
{
    for (size_t i = 0; i < f->n; i++) {
        for (size_t j = 0; j < f->sec[i].n; j++)
            kv_free(&f->sec[i].kv[j]);
        free(f->sec[i].kv);
        free(f->sec[i].header);
    }
    free(f->sec);
    free(f->path);
    memset(f, 0, sizeof(*f));
}


static int indent_of(const char *s)
{
    int n = 0;

    while (s[n] == ' ' || s[n] == '\t')
        n++;
    return n;
}

static void state_error(struct parse_state *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void state_error(struct parse_state *st, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (st->err[0])
        return;  /* keep the first */
    n = snprintf(st->err, sizeof(st->err), "%s:%d: ", st->file->path, st->lineno);
    if (n < 0 || (size_t)n >= sizeof(st->err))
        return;
    va_start(ap, fmt);
    vsnprintf(st->err + n, sizeof(st->err) - (size_t)n, fmt, ap);
    va_end(ap);
}

/* A finished raw line that is a section header opens a new section. Indented "[x]" after a
 * key is a continuation for inih (and configparser), so only then is it not a header. */
static void line_finish(struct parse_state *st)
{
    char *s, *end;
    struct ini_section *sec;

    if (st->lineno == 0 || !st->line.data)
        return;
    s = st->line.data;
    if (indent_of(s) > 0 && st->have_prev_key)
        return;
    s = str_strip(s);
    if (*s != '[')
        return;
    end = strchr(s + 1, ']');
    if (!end)
        return;  /* inih reports it as a syntax error */
    *end = '\0';
    for (size_t i = 0; i < st->file->n; i++) {
        if (strcmp(st->file->sec[i].header, s + 1) == 0) {
            state_error(st, "section [%s] appears twice (first on line %d); merge the two",
                        s + 1, st->file->sec[i].line);
            return;
        }
    }
    if (st->file->n == st->file->cap) {
        st->file->cap = st->file->cap ? st->file->cap * 2 : 8;
        st->file->sec = xrealloc(st->file->sec, st->file->cap * sizeof(*st->file->sec));
    }
    sec = &st->file->sec[st->file->n++];
    memset(sec, 0, sizeof(*sec));
    sec->header = xstrdup(s + 1);
    sec->line = st->lineno;
    st->cur = sec;
    st->last = NULL;
    st->have_prev_key = false;
}

/* inih's fgets-style reader: also tracks lines, and stops at an over-long line. */
static char *reader(char *str, int num, void *stream)
{
    struct parse_state *st = stream;
    size_t n;

    if (st->err[0])
        return NULL;
    /* the next piece of the current line, as fgets would give it: inih grows its buffer
     * and asks again when a line does not fit */
    if (st->tf_off >= st->tf.line.len) {
        int got = textfile_next(&st->tf);
        if (got < 0) {
            st->lineno = st->tf.lineno;
            state_error(st, "%s", st->tf.why);
            return NULL;
        }
        st->tf_off = 0;
        if (got == 0) {
            if (st->at_line_start)
                line_finish(st);
            st->at_line_start = false;
            return NULL;
        }
    }
    n = st->tf.line.len - st->tf_off;
    if (n > (size_t)num - 1)
        n = (size_t)num - 1;
    memcpy(str, st->tf.line.data + st->tf_off, n);
    str[n] = '\0';
    st->tf_off += n;
    if (st->at_line_start) {
        line_finish(st);
        if (st->err[0])
            return NULL;
        st->lineno++;
        buf_reset(&st->line);
    }
    buf_append(&st->line, str, n);
    st->at_line_start = n > 0 && str[n - 1] == '\n';
    if (st->line.len > CONFIG_MAX_LINE) {
        state_error(st, "line longer than %d bytes; shorten or remove it", CONFIG_MAX_LINE);
        return NULL;
    }
    return str;
}

static struct ini_kv *section_find(const struct ini_section *sec, const char *key)
{
    for (size_t i = 0; i < sec->n; i++)
        if (strcmp(sec->kv[i].key, key) == 0)
            return &sec->kv[i];
    return NULL;
}

static char *lower_dup(const char *s)
{
    char *d = xstrdup(s);

    for (char *p = d; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return d;
}

static int add_key(struct parse_state *st, const char *name, const char *value)
{
    struct ini_kv *kv;
    char *key = lower_dup(name);

    if (!*key) {
        free(key);
        state_error(st, "a line starts with '=' and has no key; write 'key = value'");
        return 0;
    }
    kv = section_find(st->cur, key);
    if (kv) {
        state_error(st, "key '%s' appears twice in [%s] (first on line %d); remove one",
                    key, st->cur->header, kv->line);
        free(key);
        return 0;
    }
    if (st->cur->n == st->cur->cap) {
        st->cur->cap = st->cur->cap ? st->cur->cap * 2 : 8;
        st->cur->kv = xrealloc(st->cur->kv, st->cur->cap * sizeof(*st->cur->kv));
    }
    kv = &st->cur->kv[st->cur->n++];
    kv->key = key;
    kv->value = xstrdup(value);
    kv->line = st->lineno;
    kv->indent = indent_of(st->line.data);
    st->last = kv;
    st->have_prev_key = true;
    return 1;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    struct parse_state *st = user;
    int indent = indent_of(st->line.data ? st->line.data : "");
    (void)section;

    if (!st->cur) {
        state_error(st, "'%s' is outside any [section]; put it under a header such as "
                    "[default]", name);
        return 0;
    }
    if (indent > 0 && st->have_prev_key && st->last) {
        /* inih delivered this line as a continuation of the previous key: `value` is the
         * whole stripped line. configparser continues only deeper-indented lines. */
        if (indent > st->last->indent) {
            char *joined;

            if (st->last->value[0] == '\0' || st->last->value[0] == '\n') {
                /* a nested block ("s3 =" then "  k = v"): botocore needs '=' on each line */
                if (!strchr(value, '=')) {
                    state_error(st, "'%s' under '%s =' is not 'key = value'; fix the line",
                                value, st->last->key);
                    return 0;
                }
            }
            joined = xasprintf("%s\n%s", st->last->value, value);
            xfree_secret(st->last->value);
            st->last->value = joined;
            return 1;
        } else {
            char *copy = xstrdup(value), *sep = strpbrk(copy, "=:");
            int ok;

            if (!sep) {
                state_error(st, "'%s' is not 'key = value'; fix the line", copy);
                free(copy);
                return 0;
            }
            *sep = '\0';
            ok = add_key(st, str_strip(copy), str_strip(sep + 1));
            xfree_secret(copy);
            return ok;
        }
    }
    return add_key(st, name, value);
}

/* Reads path into f. A missing file is empty, not an error (as botocore). */
static bool file_load(struct ini_file *f, const char *path, struct aws_error *err)
{
    struct parse_state st;
    struct stat sb;
    int rc;
    bool saved_multi = ini_allow_multiline, saved_inline = ini_allow_inline_comments,
         saved_stack = ini_use_stack, saved_realloc = ini_allow_realloc,
         saved_stop = ini_stop_on_first_error, saved_novalue = ini_allow_no_value;
    int saved_max = ini_max_line, saved_initial = ini_initial_alloc;

    memset(f, 0, sizeof(*f));
    f->path = xstrdup(path);
    if (stat(path, &sb) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return true;
        aws_error_set(err, AWS_ERR_CONFIG, "cannot read %s: %s; fix its permissions or point "
                      "the variable elsewhere", path, strerror(errno));
        return false;
    }
    if (S_ISDIR(sb.st_mode)) {
        aws_error_set(err, AWS_ERR_CONFIG, "%s is a directory, not a config file; remove it "
                      "or point the variable at a file", path);
        return false;
    }
    memset(&st, 0, sizeof(st));
    st.file = f;
    st.at_line_start = true;
    buf_init(&st.line);
    st.fp = fopen(path, "r");
    textfile_init(&st.tf, st.fp, CONFIG_MAX_LINE, CONFIG_MAX_FILE);
    if (!st.fp) {
        aws_error_set(err, AWS_ERR_CONFIG, "cannot read %s: %s; fix its permissions or point "
                      "the variable elsewhere", path, strerror(errno));
        buf_done(&st.line);
        return false;
    }
    /* Debian's inih exposes its compile-time options as globals: configparser semantics
     * (no inline comments), lines of any reasonable length, stop at the first error. */
    ini_allow_multiline = true;
    ini_allow_inline_comments = false;
    ini_use_stack = false;
    ini_allow_realloc = true;
    ini_max_line = CONFIG_MAX_LINE + 3;
    ini_initial_alloc = 256;
    ini_stop_on_first_error = true;
    ini_allow_no_value = false;
    rc = ini_parse_stream(reader, &st, handler, &st);
    ini_allow_multiline = saved_multi;
    ini_allow_inline_comments = saved_inline;
    ini_use_stack = saved_stack;
    ini_allow_realloc = saved_realloc;
    ini_max_line = saved_max;
    ini_initial_alloc = saved_initial;
    ini_stop_on_first_error = saved_stop;
    ini_allow_no_value = saved_novalue;

    if (!st.err[0] && ferror(st.fp))
        snprintf(st.err, sizeof(st.err), "cannot read %s: %s; fix the file or point the "
                 "variable elsewhere", path, strerror(errno));
    fclose(st.fp);
    textfile_done(&st.tf);
    if (st.line.data)
        explicit_bzero(st.line.data, st.line.cap);
    buf_done(&st.line);
    if (st.err[0]) {
        aws_error_set(err, AWS_ERR_CONFIG, "%s", st.err);
        return false;
    }
    if (rc > 0) {
        aws_error_set(err, AWS_ERR_CONFIG, "%s:%d: expected 'key = value', '[section]' or a "
                      "comment; fix the line", path, rc);
        return false;
    }
    if (rc < 0) {
        aws_error_set(err, AWS_ERR_CONFIG, "cannot read %s (inih error %d)", path, rc);
        return false;
    }
    return true;
}

/* ---- section names ------------------------------------------------------------------- */

/* botocore splits "[profile x]" with shlex and needs exactly two words; quotes allow
 * spaces ("[profile 'my dev']"). Returns the second word, or NULL. */
static char *section_second_word(const char *header)
{
    char *words[3] = {NULL, NULL, NULL};
    int nwords = 0;
    const char *p = header;
    char *res = NULL;

    while (*p) {
        struct buf w;
        bool any = false;

        while (isspace((unsigned char)*p))
            p++;
        if (!*p)
            break;
        buf_init(&w);
        while (*p && !isspace((unsigned char)*p)) {
            if (*p == '"' || *p == '\'') {
                char q = *p++;
                const char *e = strchr(p, q);

                if (!e) {  /* unbalanced quote: shlex raises, botocore ignores the section */
                    buf_done(&w);
                    goto out;
                }
                buf_append(&w, p, (size_t)(e - p));
                p = e + 1;
            } else {
                buf_putc(&w, *p++);
            }
            any = true;
        }
        if (any) {
            if (nwords == 3) {
                buf_done(&w);
                goto out;
            }
            words[nwords++] = buf_steal(&w);
        }
        buf_done(&w);
    }
    if (nwords == 2)
        res = xstrdup(words[1]);
out:
    for (int i = 0; i < 3; i++)
        free(words[i]);
    return res;
}

/* Does a config-file header name the section (kind, name)? Kinds: "profile" (with
 * [default]), "sso-session", "services". Prefix matching as botocore's startswith(). */
static bool header_matches(const char *header, const char *kind, const char *name)
{
    char *second;
    bool match;

    if (strcmp(kind, "profile") == 0 && strcmp(header, "default") == 0)
        return strcmp(name, "default") == 0;
    if (strncmp(header, kind, strlen(kind)) != 0)
        return false;
    /* botocore tests "profile" before "sso-session" and "services": no overlap. */
    second = section_second_word(header);
    match = second && strcmp(second, name) == 0;
    free(second);
    return match;
}

/* The last matching section wins, as in botocore's dict.update(). */
static const struct ini_section *config_section(const struct ini_file *f, const char *kind,
                                                const char *name)
{
    const struct ini_section *found = NULL;

    for (size_t i = 0; i < f->n; i++)
        if (header_matches(f->sec[i].header, kind, name))
            found = &f->sec[i];
    return found;
}

static const struct ini_section *creds_section(const struct ini_file *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->sec[i].header, name) == 0)
            return &f->sec[i];
    return NULL;
}

static const char *section_get(const struct ini_section *sec, const char *key)
{
    const struct ini_kv *kv;
    char *k;

    if (!sec || !key)
        return NULL;
    k = lower_dup(key);
    kv = section_find(sec, k);
    free(k);
    return kv ? kv->value : NULL;
}

/* ---- public lookups ------------------------------------------------------------------ */

const char *aws_config_get(const struct aws_config *cfg, const char *profile, const char *key)
{
    if (!cfg || !profile)
        return NULL;
    return section_get(config_section(&cfg->data->config, "profile", profile), key);
}

const char *aws_config_get_credentials(const struct aws_config *cfg, const char *profile,
                                       const char *key)
{
    if (!cfg || !profile)
        return NULL;
    return section_get(creds_section(&cfg->data->creds, profile), key);
}

const char *aws_config_get_section(const struct aws_config *cfg, const char *kind,
                                   const char *name, const char *key)
{
    if (!cfg || !kind || !name)
        return NULL;
    return section_get(config_section(&cfg->data->config, kind, name), key);
}

const char *aws_config_profile_value(const struct aws_config *cfg, const char *key)
{
    const char *v;

    if (!cfg)
        return NULL;
    v = aws_config_get_credentials(cfg, cfg->profile, key);
    return v ? v : aws_config_get(cfg, cfg->profile, key);
}

bool aws_config_profile_exists(const struct aws_config *cfg, const char *profile)
{
    return cfg && profile && (config_section(&cfg->data->config, "profile", profile) ||
                              creds_section(&cfg->data->creds, profile));
}

static int profile_name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void name_push(char ***v, size_t *n, size_t *cap, char *name)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        *v = xrealloc(*v, *cap * sizeof(**v));
    }
    (*v)[(*n)++] = name;
}

/* The sections botocore takes for profiles: [default] and "profile NAME" headers of the
 * config file (by the same prefix rule as header_matches), every header of the credentials
 * file. */
size_t aws_config_profile_names(const struct aws_config *cfg, char ***out)
{
    char **v = NULL;
    size_t n = 0, cap = 0, k = 0;

    *out = NULL;
    if (!cfg)
        return 0;
    for (size_t i = 0; i < cfg->data->config.n; i++) {
        const char *h = cfg->data->config.sec[i].header;
        char *name = NULL;

        if (strcmp(h, "default") == 0)
            name = xstrdup(h);
        else if (strncmp(h, "profile", 7) == 0)
            name = section_second_word(h);
        if (name)
            name_push(&v, &n, &cap, name);
    }
    for (size_t i = 0; i < cfg->data->creds.n; i++)
        name_push(&v, &n, &cap, xstrdup(cfg->data->creds.sec[i].header));
    if (n == 0)
        return 0;
    qsort(v, n, sizeof(*v), profile_name_cmp);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(v[i], v[k]) == 0)
            free(v[i]);
        else
            v[++k] = v[i];
    }
    *out = v;
    return k + 1;
}

char *aws_config_nested_get(const char *block, const char *subkey)
{
    const char *p = block;

    if (!block || block[0] != '\n' || !subkey)
        return NULL;
    while (*p) {
        const char *eol = strchr(p, '\n'), *eq;
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char *line = xstrndup(p, len), *k;

        eq = strchr(line, '=');
        if (eq) {
            line[eq - line] = '\0';
            k = str_strip(line);
            if (strcmp(k, subkey) == 0) {
                char *v = xstrdup(str_strip(line + (eq - line) + 1));

                free(line);
                return v;
            }
        }
        free(line);
        p += len;
        if (*p == '\n')
            p++;
    }
    return NULL;
}

/* ---- resolution ---------------------------------------------------------------------- */

static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);

    return v && *v ? v : NULL;
}

/* "~" or "~/..." at the start expands to $HOME, as os.path.expanduser does. botocore also
 * expands $VARS (os.path.expandvars); we do not. */
static char *expand_path(const char *p, const char *home)
{
    if (p[0] == '~' && (p[1] == '\0' || p[1] == '/'))
        return xasprintf("%s%s", home, p + 1);
    return xstrdup(p);
}

/* botocore's validate_region_name: the region becomes part of a host name. */
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

void aws_config_free(struct aws_config *cfg)
{
    if (!cfg)
        return;
    free(cfg->profile);
    free(cfg->profile_source);
    free(cfg->region);
    free(cfg->region_source);
    free(cfg->config_file);
    free(cfg->credentials_file);
    if (cfg->data) {
        file_done(&cfg->data->config);
        file_done(&cfg->data->creds);
        free(cfg->data->endpoint_url);
        free(cfg->data);
    }
    free(cfg);
}

struct aws_config *aws_config_new(const struct aws_config_opts *opts, struct aws_error *err)
{
    static const struct aws_config_opts no_opts;
    struct aws_config *cfg = xcalloc(1, sizeof(*cfg));
    const char *home = getenv("HOME"), *v;

    if (!opts)
        opts = &no_opts;
    if (!home)
        home = "";
    cfg->data = xcalloc(1, sizeof(*cfg->data));
    v = env_nonempty("AWS_CONFIG_FILE");
    cfg->config_file = v ? expand_path(v, home) : xasprintf("%s/.aws/config", home);
    v = env_nonempty("AWS_SHARED_CREDENTIALS_FILE");
    cfg->credentials_file = v ? expand_path(v, home) : xasprintf("%s/.aws/credentials", home);

    if (!file_load(&cfg->data->config, cfg->config_file, err) ||
        !file_load(&cfg->data->creds, cfg->credentials_file, err))
        goto fail;

    /* botocore reads AWS_DEFAULT_PROFILE before AWS_PROFILE (its env list order). */
    if (opts->profile && *opts->profile) {
        cfg->profile = xstrdup(opts->profile);
        cfg->profile_source = xstrdup(opts->profile_origin ? opts->profile_origin
                                                           : "--profile");
        cfg->profile_explicit = true;
    } else if ((v = env_nonempty("AWS_DEFAULT_PROFILE"))) {
        cfg->profile = xstrdup(v);
        cfg->profile_source = xstrdup("AWS_DEFAULT_PROFILE");
    } else if ((v = env_nonempty("AWS_PROFILE"))) {
        cfg->profile = xstrdup(v);
        cfg->profile_source = xstrdup("AWS_PROFILE");
    } else {
        cfg->profile = xstrdup("default");
        cfg->profile_source = xstrdup("default");
    }
    /* Any named profile must exist (botocore raises ProfileNotFound even for AWS_PROFILE);
     * only the implicit "default" may be absent. */
    if (strcmp(cfg->profile_source, "default") != 0 &&
        !aws_config_profile_exists(cfg, cfg->profile)) {
        bool bare = strcmp(cfg->profile, "default") != 0 &&
                    creds_section(&cfg->data->config, cfg->profile);

        aws_error_set(err, AWS_ERR_CONFIG, "profile '%s' (from %s) is in neither %s "
                      "([profile %s]) nor %s ([%s])%s; add it or choose another profile "
                      "with %s", cfg->profile, cfg->profile_source,
                      cfg->config_file, cfg->profile, cfg->credentials_file, cfg->profile,
                      bare ? "; the config file has it as a bare section, which only the "
                             "credentials file accepts" : "",
                      opts->profile_origin ? opts->profile_origin : "--profile or AWS_PROFILE");
        goto fail;
    }

    if (opts->region && *opts->region) {
        cfg->region = xstrdup(opts->region);
        cfg->region_source = xstrdup("--region");
    } else if ((v = env_nonempty("AWS_REGION"))) {
        cfg->region = xstrdup(v);
        cfg->region_source = xstrdup("AWS_REGION");
    } else if ((v = env_nonempty("AWS_DEFAULT_REGION"))) {
        cfg->region = xstrdup(v);
        cfg->region_source = xstrdup("AWS_DEFAULT_REGION");
    } else if ((v = aws_config_profile_value(cfg, "region")) && *v) {
        cfg->region = xstrdup(v);
        cfg->region_source = xasprintf("profile %s", cfg->profile);
    }
    if (cfg->region && !region_valid(cfg->region)) {
        aws_error_set(err, AWS_ERR_CONFIG, "region '%s' (from %s) is not a valid region name; "
                      "use a name such as eu-west-1", cfg->region, cfg->region_source);
        goto fail;
    }
    if (opts->endpoint_url && !aws_config_endpoint_valid(opts->endpoint_url)) {
        aws_error_set(err, AWS_ERR_CONFIG, "--endpoint-url '%s' is not a valid URL; use "
                      "http://host[:port] or https://host[:port]", opts->endpoint_url);
        goto fail;
    }
    if (opts->endpoint_url)
        cfg->data->endpoint_url = xstrdup(opts->endpoint_url);
    return cfg;
fail:
    aws_config_free(cfg);
    return NULL;
}

/* ---- endpoints ----------------------------------------------------------------------- */

struct service_info {
    const char *prefix;     /* endpoint prefix: the host's first label, our service key */
    const char *client;     /* botocore's client name, accepted as an alias */
    const char *env;        /* AWS_ENDPOINT_URL_<SERVICE ID> */
    const char *snake;      /* key inside a [services x] section */
};

static const struct service_info services[] = {
    {"sqs", "sqs", "AWS_ENDPOINT_URL_SQS", "sqs"},
    {"sns", "sns", "AWS_ENDPOINT_URL_SNS", "sns"},
    {"s3", "s3", "AWS_ENDPOINT_URL_S3", "s3"},
    {"sts", "sts", "AWS_ENDPOINT_URL_STS", "sts"},
    {"monitoring", "cloudwatch", "AWS_ENDPOINT_URL_CLOUDWATCH", "cloudwatch"},
    {"iam", "iam", "AWS_ENDPOINT_URL_IAM", "iam"},
    {"secretsmanager", "secretsmanager", "AWS_ENDPOINT_URL_SECRETS_MANAGER", "secrets_manager"},
    {"ssm", "ssm", "AWS_ENDPOINT_URL_SSM", "ssm"},
    {"events", "eventbridge", "AWS_ENDPOINT_URL_EVENTBRIDGE", "eventbridge"},
    {"lambda", "lambda", "AWS_ENDPOINT_URL_LAMBDA", "lambda"},
    {"logs", "logs", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "cloudwatch_logs"},
    {"ec2", "ec2", "AWS_ENDPOINT_URL_EC2", "ec2"},
    {"portal.sso", "sso", "AWS_ENDPOINT_URL_SSO", "sso"},
    {"oidc", "sso-oidc", "AWS_ENDPOINT_URL_SSO_OIDC", "sso_oidc"},
};

static const struct service_info *service_lookup(const char *name)
{
    for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++)
        if (strcmp(services[i].prefix, name) == 0 || strcmp(services[i].client, name) == 0)
            return &services[i];
    return NULL;
}

/* Partitions from botocore's partitions.json: the DNS suffix, and where IAM is global
 * (one host for the partition, signed for one region whatever the profile's region). */
struct partition {
    const char *region_prefix;
    const char *dns_suffix;
    const char *iam_host;    /* NULL: IAM is regional in this partition */
    const char *iam_region;  /* the global IAM endpoint's signing region */
};

static const struct partition partitions[] = {
    {"cn-", "amazonaws.com.cn", "iam.cn-north-1.amazonaws.com.cn", "cn-north-1"},
    {"us-gov-", "amazonaws.com", "iam.us-gov.amazonaws.com", "us-gov-west-1"},
    {"us-isob-", "sc2s.sgov.gov", NULL, NULL},
    {"us-isof-", "csp.hci.ic.gov", NULL, NULL},
    {"us-iso-", "c2s.ic.gov", NULL, NULL},
    {"eu-isoe-", "cloud.adc-e.uk", NULL, NULL},
    {"eusc-", "amazonaws.eu", NULL, NULL},
    {"", "amazonaws.com", "iam.amazonaws.com", "us-east-1"},  /* aws: everything else */
};

static const struct partition *partition_of(const char *region)
{
    size_t i;

    for (i = 0; i + 1 < sizeof(partitions) / sizeof(partitions[0]); i++)
        if (strncmp(region, partitions[i].region_prefix,
                    strlen(partitions[i].region_prefix)) == 0)
            break;
    return &partitions[i];
}

bool aws_config_endpoint_valid(const char *url)
{
    const char *p, *host;
    size_t hostlen;

    if (!url)
        return false;
    for (p = url; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return false;  /* whitespace or control characters: never a usable URL */
    if (strncasecmp(url, "http://", 7) == 0)
        host = url + 7;
    else if (strncasecmp(url, "https://", 8) == 0)
        host = url + 8;
    else
        return false;
    if (*host == '[') {  /* IPv6 literal */
        const char *e = strchr(host, ']');

        if (!e || e == host + 1)
            return false;
        for (p = host + 1; p < e; p++)
            if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
                return false;
        p = e + 1;
    } else {
        hostlen = strcspn(host, ":/?#");
        if (hostlen == 0)
            return false;
        for (p = host; p < host + hostlen; p++)
            if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' && *p != '_')
                return false;
    }
    if (*p == ':') {
        long port = 0;
        const char *d = ++p;

        while (isdigit((unsigned char)*p) && port <= 65535)
            port = port * 10 + (*p++ - '0');
        if (p == d || port < 1 || port > 65535 || isdigit((unsigned char)*p))
            return false;
    }
    return *p == '\0' || *p == '/' || *p == '?' || *p == '#';
}

/* "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", when set (even empty), decides; else the profile's
 * ignore_configured_endpoint_urls. Only "true" (any case) is true: utils.ensure_boolean. */
static bool ignore_configured(const struct aws_config *cfg)
{
    const char *v = getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");

    if (!v)
        v = aws_config_profile_value(cfg, "ignore_configured_endpoint_urls");
    return v && strcasecmp(v, "true") == 0;
}

static char *checked(const char *url, const char *what, struct aws_error *err)
{
    if (!aws_config_endpoint_valid(url)) {
        aws_error_set(err, AWS_ERR_CONFIG, "endpoint URL '%s' from %s is not valid; set it to "
                      "http://host[:port] or https://host[:port]", url, what);
        return NULL;
    }
    return xstrdup(url);
}

/* region: the region of the public endpoint; cli_override: whether --endpoint-url applies. */
static char *endpoint_resolve(const struct aws_config *cfg, const char *service,
                              const char *region, bool cli_override, const char **source,
                              struct aws_error *err)
{
    const struct service_info *si = service ? service_lookup(service) : NULL;
    const struct partition *part;
    const char *v, *src = NULL;
    char *url = NULL;

    if (source)
        *source = NULL;
    if (!cfg || !si) {
        aws_error_set(err, AWS_ERR_CONFIG, "unknown service '%s'", service ? service : "");
        return NULL;
    }
    if (cli_override && cfg->data->endpoint_url) {
        src = "--endpoint-url";
        url = checked(cfg->data->endpoint_url, "--endpoint-url", err);
        goto done;
    }
    if (!ignore_configured(cfg)) {
        if ((v = env_nonempty(si->env))) {
            src = si->env;
            url = checked(v, si->env, err);
            goto done;
        }
        if ((v = env_nonempty("AWS_ENDPOINT_URL"))) {
            src = "AWS_ENDPOINT_URL";
            url = checked(v, "AWS_ENDPOINT_URL", err);
            goto done;
        }
        if ((v = aws_config_profile_value(cfg, "services"))) {
            const struct ini_section *sec = config_section(&cfg->data->config, "services", v);
            const char *block;
            char *nested;

            if (!sec) {
                aws_error_set(err, AWS_ERR_CONFIG, "profile %s says 'services = %s' but %s has "
                              "no [services %s] section; add it or remove the services line",
                              cfg->profile, v, cfg->config_file, v);
                return NULL;
            }
            block = section_get(sec, si->snake);
            nested = aws_config_nested_get(block, "endpoint_url");
            if (nested && *nested) {
                char *what = xasprintf("[services %s] %s in %s", v, si->snake, cfg->config_file);

                src = "services section";
                url = checked(nested, what, err);
                free(what);
                free(nested);
                goto done;
            }
            free(nested);
        }
        if ((v = aws_config_profile_value(cfg, "endpoint_url")) && *v) {
            char *what = xasprintf("endpoint_url of profile %s", cfg->profile);

            src = "profile endpoint_url";
            url = checked(v, what, err);
            free(what);
            goto done;
        }
    }
    if (!region) {
        /* botocore, with no region, uses the aws partition's global hosts for these three */
        if (strcmp(si->prefix, "iam") == 0 || strcmp(si->prefix, "s3") == 0 ||
            strcmp(si->prefix, "sts") == 0) {
            url = xasprintf("https://%s.amazonaws.com", si->prefix);
            src = "default";
            goto done;
        }
        aws_error_set(err, AWS_ERR_CONFIG, "no region for %s in profile %s; pass --region, set "
                      "AWS_REGION, or add 'region = ...' to [%s%s] in %s", si->prefix,
                      cfg->profile, strcmp(cfg->profile, "default") ? "profile " : "",
                      cfg->profile, cfg->config_file);
        return NULL;
    }
    part = partition_of(region);
    src = "default";
    if (strcmp(si->prefix, "iam") == 0 && part->iam_host)
        url = xasprintf("https://%s", part->iam_host);
    else if (strcmp(si->prefix, "s3") == 0 && strcmp(region, "us-east-1") == 0)
        url = xstrdup("https://s3.amazonaws.com");  /* botocore keeps S3's legacy global host */
    else
        url = xasprintf("https://%s.%s.%s", si->prefix, region, part->dns_suffix);
done:
    if (url && source)
        *source = src;
    return url;
}

char *aws_config_endpoint(const struct aws_config *cfg, const char *service,
                          const char **source, struct aws_error *err)
{
    return endpoint_resolve(cfg, service, cfg ? cfg->region : NULL, true, source, err);
}

const char *aws_config_signing_region(const struct aws_config *cfg, const char *service,
                                      const char *source)
{
    const char *region = cfg && cfg->region ? cfg->region : NULL;
    const struct partition *part = partition_of(region ? region : "");

    /* a configured endpoint (emulator, proxy) is signed for the profile's region, as
     * botocore does; only the public global IAM host has a fixed one */
    if (service && strcmp(service, "iam") == 0 && source && strcmp(source, "default") == 0 &&
        part->iam_region)
        return part->iam_region;
    return region ? region : "us-east-1";
}

/* --endpoint-url is the command's own service (as in the CLI, where it never redirects the
 * SSO calls a credential provider makes), so it does not apply here. */
char *aws_config_endpoint_region(const struct aws_config *cfg, const char *service,
                                 const char *region, const char **source,
                                 struct aws_error *err)
{
    return endpoint_resolve(cfg, service, region, false, source, err);
}
