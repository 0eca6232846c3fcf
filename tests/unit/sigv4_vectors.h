/* sigv4_vectors.h - reading the published AWS signing suites (tests/data/sigv4/v4, sigv4a)
 * for test_sigv4 and test_sigv4a: case folders, files, request.txt into a struct
 * aws_request and back. One test program includes it once, after defining _GNU_SOURCE
 * (strptime, timegm). */
#ifndef OPSDECK_SIGV4_VECTORS_H
#define OPSDECK_SIGV4_VECTORS_H

#include <check.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/request.h"
#include "util/buf.h"
#include "util/xalloc.h"

static char *case_names[64];
static char *tcase_names[128]; /* Check borrows test case names until the runner is freed */
static size_t ncases;
static char vector_dir[4096];

/* ---- file and request helpers ----------------------------------------------------- */

/* Whole file, '\r' removed (the suite's own runner strips Windows line endings too). */
static inline char *read_file(const char *dir, const char *name, size_t *lenp)
{
    char path[8192];
    FILE *f;
    struct buf b;
    char chunk[4096];
    size_t n;

    snprintf(path, sizeof(path), "%s/%s/%s", vector_dir, dir, name);
    f = fopen(path, "rb");
    if (!f)
        return NULL;
    buf_init(&b);
    buf_puts(&b, "");
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        for (size_t i = 0; i < n; i++)
            if (chunk[i] != '\r')
                buf_putc(&b, chunk[i]);
    fclose(f);
    if (lenp)
        *lenp = b.len;
    return buf_steal(&b);
}

/* A raw HTTP/1.1 request as the suite writes it. Returns 0 or -1 (malformed). */
static inline int parse_request(const char *text, size_t len, struct aws_request *r)
{
    const char *end = text + len;
    const char *eol = memchr(text, '\n', len);
    const char *sp1, *sp2, *q, *p;
    char *method, *target;

    if (!eol)
        eol = end;
    sp1 = memchr(text, ' ', (size_t)(eol - text));
    if (!sp1)
        return -1;
    for (sp2 = eol; sp2 > sp1 && *sp2 != ' '; sp2--)
        ;
    if (sp2 == sp1)
        return -1;
    method = xstrndup(text, (size_t)(sp1 - text));
    aws_request_init(r, "vector", "suite", method);
    free(method);
    target = xstrndup(sp1 + 1, (size_t)(sp2 - sp1 - 1));
    q = strchr(target, '?');
    if (q) {
        free(r->query);
        r->query = xstrdup(q + 1);
        target[q - target] = '\0';
    }
    aws_request_set_path(r, target);
    free(target);

    for (p = eol < end ? eol + 1 : end; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *next = nl ? nl + 1 : end;

        if (l == 0) { /* blank line: the body follows */
            buf_append(&r->body, next, (size_t)(end - next));
            break;
        }
        if (*p == ' ' || *p == '\t') {
            /* obsolete line folding: continues the previous header's value */
            struct kv *last;
            char *v;
            if (r->nheaders == 0)
                return -1;
            last = &r->headers[r->nheaders - 1];
            v = xasprintf("%s\n%.*s", last->value, (int)l, p);
            free(last->value);
            last->value = v;
        } else {
            const char *colon = memchr(p, ':', l);
            char *name, *value;
            if (!colon)
                return -1;
            name = xstrndup(p, (size_t)(colon - p));
            value = xstrndup(colon + 1, l - (size_t)(colon - p) - 1);
            aws_request_add_header(r, name, value);
            free(name);
            free(value);
        }
        p = next;
    }
    return 0;
}

/* The request as the suite's *-signed-request.txt files print it. */
static inline char *serialize_request(const struct aws_request *r)
{
    struct buf b;

    buf_init(&b);
    buf_printf(&b, "%s %s%s%s HTTP/1.1\n", r->method, r->path, r->query[0] ? "?" : "",
               r->query);
    for (size_t i = 0; i < r->nheaders; i++)
        buf_printf(&b, "%s:%s\n", r->headers[i].name, r->headers[i].value);
    buf_putc(&b, '\n');
    buf_append(&b, r->body.data ? r->body.data : "", r->body.len);
    return buf_steal(&b);
}

static inline int line_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The signed request with its header lines and query parameters sorted: for the one case
 * (omit_session_token) where the suite adds the token after signing at a place of its own. */
static inline char *sorted_form(const char *s)
{
    char *copy = xstrdup(s), *save = NULL, *line;
    char *items[256];
    size_t n = 0;
    struct buf b;

    for (line = strtok_r(copy, "\n", &save); line && n < 200; line = strtok_r(NULL, "\n", &save)) {
        if (n == 0) { /* request line: split the query into parameters */
            char *qm = strchr(line, '?'), *sp = strrchr(line, ' ');
            if (qm && sp && sp > qm) {
                char *qs = xstrndup(qm + 1, (size_t)(sp - qm - 1)), *s2 = NULL;
                items[n++] = xstrndup(line, (size_t)(qm - line));
                for (char *t = strtok_r(qs, "&", &s2); t && n < 200; t = strtok_r(NULL, "&", &s2))
                    items[n++] = xasprintf("?%s", t);
                free(qs);
                continue;
            }
        }
        items[n++] = xstrdup(line);
    }
    qsort(items + 1, n > 0 ? n - 1 : 0, sizeof(char *), line_cmp);
    buf_init(&b);
    buf_puts(&b, "");
    for (size_t i = 0; i < n; i++) {
        buf_printf(&b, "%s\n", items[i]);
        free(items[i]);
    }
    free(copy);
    return buf_steal(&b);
}

static inline time_t parse_iso8601(const char *s)
{
    struct tm tm;

    memset(&tm, 0, sizeof(tm));
    if (!s || !strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm))
        return (time_t)-1;
    return timegm(&tm);
}

static inline const char *json_str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static inline int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static inline void find_cases(const char *sub)
{
    const char *top = getenv("TOP_SRCDIR");
    DIR *d;
    struct dirent *e;

    snprintf(vector_dir, sizeof(vector_dir), "%s/tests/data/%s", top ? top : ".", sub);
    d = opendir(vector_dir);
    if (!d)
        return;
    while ((e = readdir(d)) != NULL && ncases < sizeof(case_names) / sizeof(case_names[0])) {
        char path[8192];
        struct stat st;
        /* a case is a folder; the licence and README beside them are not */
        snprintf(path, sizeof(path), "%s/%s", vector_dir, e->d_name);
        if (e->d_name[0] == '.' || stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        case_names[ncases++] = xstrdup(e->d_name);
    }
    closedir(d);
    qsort(case_names, ncases, sizeof(char *), name_cmp);
}

/* The suite's tests: each case in header and query form through run(name, query_form),
 * and test_suite_complete, which fails when the suite directory lost cases (it must not pass
 * with zero). */
#define SIGV4_SUITE_TESTS(run, expected)                                                    \
    START_TEST(test_suite_header)                                                           \
    {                                                                                       \
        ck_assert_uint_lt((size_t)_i, ncases);                                              \
        run(case_names[_i], false);                                                         \
    }                                                                                       \
    END_TEST                                                                                \
    START_TEST(test_suite_query)                                                            \
    {                                                                                       \
        ck_assert_uint_lt((size_t)_i, ncases);                                              \
        run(case_names[_i], true);                                                          \
    }                                                                                       \
    END_TEST                                                                                \
    START_TEST(test_suite_complete)                                                         \
    {                                                                                       \
        ck_assert_uint_eq(ncases, (expected));                                              \
    }                                                                                       \
    END_TEST

/* One Check test case per vector and form ("header:NAME", "query:NAME"), so each is a TAP
 * line; the tests get the case's index as _i. */
static inline void add_case_tests(Suite *s, const TTest *header, const TTest *query)
{
    for (size_t i = 0; i < ncases; i++) {
        TCase *tc;
        tcase_names[2 * i] = xasprintf("header:%s", case_names[i]);
        tcase_names[2 * i + 1] = xasprintf("query:%s", case_names[i]);
        tc = tcase_create(tcase_names[2 * i]);
        tcase_add_loop_test(tc, header, (int)i, (int)i + 1);
        suite_add_tcase(s, tc);
        tc = tcase_create(tcase_names[2 * i + 1]);
        tcase_add_loop_test(tc, query, (int)i, (int)i + 1);
        suite_add_tcase(s, tc);
    }
}

/* After the runner is freed: Check borrows the case names until then. */
static inline void free_cases(void)
{
    for (size_t i = 0; i < ncases; i++) {
        free(case_names[i]);
        free(tcase_names[2 * i]);
        free(tcase_names[2 * i + 1]);
    }
}

#endif
