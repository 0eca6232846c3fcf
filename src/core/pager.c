/* pager.c - the paging guard: tokens seen in one listing, a page cap. */
#include "config.h"
#include "core/pager.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

void aws_pager_init(struct aws_pager *pg, unsigned max_pages)
{
    memset(pg, 0, sizeof(*pg));
    pg->max_pages = max_pages;
}

void aws_pager_done(struct aws_pager *pg)
{
    unsigned max = pg->max_pages;

    free(pg->seen);
    aws_pager_init(pg, max);
}

/* FNV-1a: a collision can only stop a listing early with an error that says so; it can
 * never make one loop. */
static uint64_t token_hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ULL;

    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static int fail(struct aws_error *err, const struct aws_response *resp, const char *code,
                unsigned page, const char *why)
{
    aws_error_clear(err);
    err->kind = AWS_ERR_PARSE;
    snprintf(err->code, sizeof(err->code), "%s", code);
    snprintf(err->message, sizeof(err->message), "page %u %s; the listing was stopped", page,
             why);
    aws_error_from_response(err, resp);
    return -1;
}

int aws_pager_next(struct aws_pager *pg, const char *token, const struct aws_response *resp,
                   struct aws_error *err)
{
    unsigned max = pg->max_pages ? pg->max_pages : AWS_PAGER_MAX_PAGES;
    size_t len;
    uint64_t h;

    pg->pages++;
    if (!token || !*token)
        return 0;
    len = strnlen(token, AWS_PAGER_MAX_TOKEN + 1);
    if (len > AWS_PAGER_MAX_TOKEN)
        return fail(err, resp, "PaginationLoop", pg->pages,
                    "ends with a next token longer than 64 KiB");
    if (pg->pages >= max)
        return fail(err, resp, "PaginationLimit", pg->pages,
                    "still hands out a next token: past the cap on pages of one listing "
                    "(tokens that never end?)");
    h = token_hash(token, len);
    for (size_t i = 0; i < pg->nseen; i++)
        if (pg->seen[i] == h)
            return fail(err, resp, "PaginationLoop", pg->pages,
                        "hands back a next token already seen in this listing");
    if (pg->nseen == pg->cap) {
        pg->cap = pg->cap ? pg->cap * 2 : 8;
        pg->seen = xrealloc(pg->seen, pg->cap * sizeof(*pg->seen));
    }
    pg->seen[pg->nseen++] = h;
    return 1;
}

char *aws_pager_save(const struct aws_pager *pg)
{
    char *text = xmalloc(pg->nseen * 17 + 1), *p = text;

    *p = '\0';
    for (size_t i = 0; i < pg->nseen; i++)
        p += sprintf(p, "%s%016llx", i ? " " : "", (unsigned long long)pg->seen[i]);
    return text;
}

void aws_pager_restore(struct aws_pager *pg, const char *text, unsigned pages)
{
    size_t len = text ? strlen(text) : 0, n = (len + 1) / 17;
    unsigned max = pg->max_pages ? pg->max_pages : AWS_PAGER_MAX_PAGES;

    aws_pager_done(pg);
    pg->pages = pages;
    if (len == 0 || len != n * 17 - 1 || n > max)
        return;
    pg->seen = xcalloc(n, sizeof(*pg->seen));
    pg->cap = n;
    for (size_t i = 0; i < n; i++) {
        const char *h = text + i * 17;
        uint64_t v = 0;

        for (size_t j = 0; j < 16; j++) {
            int c = h[j];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

            if (d < 0) {
                aws_pager_done(pg);
                pg->pages = pages;
                return;
            }
            v = v << 4 | (uint64_t)d;
        }
        if (i + 1 < n && h[16] != ' ') {
            aws_pager_done(pg);
            pg->pages = pages;
            return;
        }
        pg->seen[pg->nseen++] = v;
    }
}
