/* aws_test_util.h - helpers for the service-client unit tests: load a recorded response from
 * tests/data/responses (found through TOP_SRCDIR, set by the test harness), or build one
 * from a string. */
#ifndef OPSDECK_AWS_TEST_UTIL_H
#define OPSDECK_AWS_TEST_UTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/awserr.h"
#include "util/buf.h"
#include "core/request.h"

/* The whole file as a NUL-terminated string; fails the test if it cannot be read. */
static inline char *test_read_capture(const char *rel)
{
    const char *top = getenv("TOP_SRCDIR");
    char path[4096];
    FILE *f;
    char *data;
    long n;

    snprintf(path, sizeof(path), "%s/tests/data/responses/%s", top ? top : ".", rel);
    f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s (is TOP_SRCDIR set?)", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc((size_t)n + 1);
    ck_assert_msg(fread(data, 1, (size_t)n, f) == (size_t)n, "short read on %s", path);
    data[n] = '\0';
    fclose(f);
    return data;
}

/* A 200 response with exactly len bytes of body (the buffer is NOT padded with a NUL past
 * len when len is shorter than the string, so truncation is real). */
static inline void test_resp_set(struct aws_response *r, const char *body, size_t len)
{
    aws_response_init(r);
    r->status = 200;
    if (len) {
        /* exact-size copy so ASan catches any read past the body */
        r->body.data = malloc(len);
        memcpy(r->body.data, body, len);
        r->body.len = len;
        r->body.cap = len;
    }
}

static inline void test_resp_str(struct aws_response *r, const char *body)
{
    test_resp_set(r, body, strlen(body));
}

static inline void test_resp_file(struct aws_response *r, const char *rel)
{
    char *d = test_read_capture(rel);
    test_resp_str(r, d);
    free(d);
}

/* A response whose answer is in its headers: rel.headers.txt holds "HTTP <status>" then
 * "Name: value" lines (as capture_responses.py writes them); rel.bin, when it exists, is the
 * body. */
static inline void test_resp_headers_file(struct aws_response *r, const char *rel)
{
    char name[512];
    char *text, *line, *save = NULL;
    const char *top = getenv("TOP_SRCDIR");
    FILE *f;

    snprintf(name, sizeof(name), "%s.headers.txt", rel);
    text = test_read_capture(name);
    aws_response_init(r);
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *colon;
        if (strncmp(line, "HTTP ", 5) == 0) {
            r->status = strtol(line + 5, NULL, 10);
            continue;
        }
        colon = strchr(line, ':');
        ck_assert_msg(colon != NULL, "%s: bad header line '%s'", name, line);
        *colon = '\0';
        aws_response_add_header(r, line, colon[1] == ' ' ? colon + 2 : colon + 1);
    }
    free(text);
    snprintf(name, sizeof(name), "%s/tests/data/responses/%s.bin", top ? top : ".", rel);
    if ((f = fopen(name, "rb")) != NULL) {
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
            buf_append(&r->body, chunk, n);
        fclose(f);
    }
}

/* Replaces the first occurrence of from by to; the caller frees. Fails if from is absent,
 * so a mutation test cannot silently test the unmodified capture. */
static inline char *test_replace(const char *s, const char *from, const char *to)
{
    const char *p = strstr(s, from);
    char *out;

    ck_assert_msg(p != NULL, "mutation target '%s' not in the capture", from);
    out = malloc(strlen(s) - strlen(from) + strlen(to) + 1);
    memcpy(out, s, (size_t)(p - s));
    strcpy(out + (p - s), to);
    strcat(out, p + strlen(from));
    return out;
}

#define ck_assert_parse_error(err, needle)                                                   \
    do {                                                                                     \
        ck_assert_int_eq((err)->kind, AWS_ERR_PARSE);                                        \
        ck_assert_msg(strstr((err)->message, (needle)) != NULL,                              \
                      "error message '%s' does not mention '%s'", (err)->message, (needle)); \
    } while (0)

/* Parses r into outputs the function owns and frees; returns the parser's result. When the
 * parser fails it also checks that the outputs were left empty. */
typedef int (*test_parse_fn)(const struct aws_response *r, struct aws_error *e);

/* Every cut of a capture (trailing blanks trimmed) is a parse error, never a crash or a
 * partial result. */
static inline void test_each_truncation(const char *rel, test_parse_fn parse)
{
    char *orig = test_read_capture(rel);
    size_t len = strlen(orig);

    while (len && (orig[len - 1] == '\n' || orig[len - 1] == ' '))
        len--;
    for (size_t cut = 0; cut < len; cut++) {
        struct aws_response resp;
        struct aws_error e;

        test_resp_set(&resp, orig, cut);
        aws_error_clear(&e);
        ck_assert_msg(parse(&resp, &e) == -1, "%s cut at %zu accepted", rel, cut);
        ck_assert_int_eq(e.kind, AWS_ERR_PARSE);
        aws_response_done(&resp);
    }
    free(orig);
}

/* One edit of a capture and what the error must say about it. */
struct test_mutation {
    const char *from, *to, *needle;
};

/* Each mutation of the capture is rejected with a parse error that starts with prefix
 * ("S3 ListBuckets: ") and mentions the mutation's needle. */
static inline void test_each_mutation(const char *rel, const struct test_mutation *m, size_t n,
                                      const char *prefix, test_parse_fn parse)
{
    char *orig = test_read_capture(rel);

    for (size_t i = 0; i < n; i++) {
        struct aws_response resp;
        struct aws_error e;
        char *body = test_replace(orig, m[i].from, m[i].to);

        test_resp_str(&resp, body);
        aws_error_clear(&e);
        ck_assert_msg(parse(&resp, &e) == -1, "%s: mutation %zu accepted", rel, i);
        ck_assert_parse_error(&e, prefix);
        ck_assert_parse_error(&e, m[i].needle);
        aws_response_done(&resp);
        free(body);
    }
    free(orig);
}

#define TEST_COUNT(a) (sizeof(a) / sizeof((a)[0]))

#endif
