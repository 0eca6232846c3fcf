/* s3detail.c - the s3 view's detail keys, and a bucket's location from the config. */
#include "config.h"
#include "poll/sources/s3detail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/awsconfig.h"
#include "util/xalloc.h"

#define SEP '\x1f'
#define PREFIX "s3 "

char *s3_detail_key(const struct s3_detail *d)
{
    const char *b = d->bucket ? d->bucket : "", *p = d->path ? d->path : "";

    switch (d->what) {
    case S3_DETAIL_LIST: {
        const char *f = d->from ? d->from : "", *a = d->after ? d->after : "";

        if (!*f && !*a)
            return xasprintf(PREFIX "L%ld%c%s%c%s", d->want > 0 ? d->want : 1, SEP, b, SEP, p);
        return xasprintf(PREFIX "L%ld.%zu.%zu%c%s%c%s%s%s", d->want > 0 ? d->want : 1,
                         strlen(f), strlen(a), SEP, b, SEP, f, a, p);
    }
    case S3_DETAIL_OBJECT:
        return xasprintf(PREFIX "O%c%s%c%s%c%s", SEP, b, SEP, d->version ? d->version : "",
                         SEP, p);
    case S3_DETAIL_VERSIONS:
        return xasprintf(PREFIX "V%c%s%c%s", SEP, b, SEP, p);
    }
    return xstrdup("");
}

/* The next part up to SEP (copied), or NULL when there is no SEP. */
static char *part(const char **s)
{
    const char *e = strchr(*s, SEP);
    char *out;

    if (!e)
        return NULL;
    out = xstrndup(*s, (size_t)(e - *s));
    *s = e + 1;
    return out;
}

/* ".N": a byte length of at most 4096 (a key is at most 1024); *s moves past it. */
static bool length(char **s, unsigned long *n)
{
    char *e;

    if ((*s)[0] != '.' || (*s)[1] < '0' || (*s)[1] > '9')
        return false;
    *n = strtoul(*s + 1, &e, 10);
    if (*n > 4096)
        return false;
    *s = e;
    return true;
}

bool s3_detail_parse(const char *key, struct s3_detail *d)
{
    const char *s;
    char *end;

    memset(d, 0, sizeof(*d));
    if (!key || strncmp(key, PREFIX, strlen(PREFIX)) != 0)
        return false;
    s = key + strlen(PREFIX);
    d->what = (enum s3_detail_what)*s++;
    switch (d->what) {
    case S3_DETAIL_LIST: {
        unsigned long flen = 0, alen = 0;

        d->want = strtol(s, &end, 10);
        if (end == s || d->want < 1)
            break;
        if (*end == '.') {
            if (!length(&end, &flen) || *end != '.' || !length(&end, &alen) || flen + alen == 0)
                break;
        }
        if (*end != SEP)
            break;
        s = end + 1;
        if (!(d->bucket = part(&s)) || !*d->bucket || strlen(s) < flen + alen)
            break;
        d->from = xstrndup(s, flen);
        d->after = xstrndup(s + flen, alen);
        d->path = xstrdup(s + flen + alen);
        return true;
    }
    case S3_DETAIL_OBJECT:
        if (*s++ != SEP || !(d->bucket = part(&s)) || !*d->bucket || !(d->version = part(&s)))
            break;
        if (!*d->version) {
            free(d->version);
            d->version = NULL;
        }
        d->path = xstrdup(s);
        return *d->path != '\0';
    case S3_DETAIL_VERSIONS:
        if (*s++ != SEP || !(d->bucket = part(&s)) || !*d->bucket)
            break;
        d->path = xstrdup(s);
        return *d->path != '\0';
    }
    s3_detail_done(d);
    return false;
}

void s3_detail_done(struct s3_detail *d)
{
    free(d->bucket);
    free(d->version);
    free(d->path);
    free(d->after);
    free(d->from);
    memset(d, 0, sizeof(*d));
}

static enum s3_addressing addressing(const struct aws_config *cfg)
{
    const char *block = aws_config_get(cfg, cfg->profile, "s3");
    char *style = block ? aws_config_nested_get(block, "addressing_style") : NULL;
    enum s3_addressing a = S3_ADDRESSING_AUTO;

    if (style && strcmp(style, "path") == 0)
        a = S3_ADDRESSING_PATH;
    else if (style && strcmp(style, "virtual") == 0)
        a = S3_ADDRESSING_VIRTUAL;
    free(style);
    return a;
}

int s3_detail_locate(const struct aws_config *cfg, const char *bucket, const char *region,
                     struct s3_location *loc, struct aws_error *err)
{
    const char *src = NULL;
    char *url;
    struct s3_endpoint ep;
    int rc;

    memset(loc, 0, sizeof(*loc));
    if (!cfg) {
        aws_error_set(err, AWS_ERR_CONFIG, "no AWS configuration to find S3 in");
        return -1;
    }
    url = aws_config_endpoint(cfg, "s3", &src, err);
    /* a public endpoint is per region: a bucket elsewhere is asked at its own, so S3 does
     * not answer 301 to every request (an emulator or VPC endpoint serves what it serves) */
    if (url && src && strcmp(src, "default") == 0 && region && *region &&
        (!cfg->region || strcmp(region, cfg->region) != 0)) {
        free(url);
        url = aws_config_endpoint_region(cfg, "s3", region, &src, err);
    }
    if (!url)
        return -1;
    ep = (struct s3_endpoint){
        .url = url,
        .configured = src && strcmp(src, "default") != 0,
        .region = region && *region ? region : cfg->region,
        .style = addressing(cfg),
    };
    rc = s3_location_init(loc, bucket, &ep, err);
    free(url);
    return rc;
}
