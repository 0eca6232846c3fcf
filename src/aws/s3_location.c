/* s3_location.c - where an S3 bucket's requests go: path-style or virtual-hosted on the
 * endpoint, access point and multi-region access point ARNs (rules in s3.h). */
#include "config.h"
#include "aws/s3.h"
#include "core/proto.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t s3_location_split(const char *s, const char **rest)
{
    const char *slash;

    if (strncmp(s, "arn:", 4) == 0) {
        /* the key starts after the slash that follows the access point's NAME */
        const char *ap = strstr(s, ":accesspoint/");

        slash = ap ? strchr(ap + strlen(":accesspoint/"), '/') : strchr(s, '/');
    } else {
        slash = strchr(s, '/');
    }
    *rest = slash ? slash + 1 : NULL;
    return slash ? (size_t)(slash - s) : strlen(s);
}

void s3_location_done(struct s3_location *loc)
{
    free(loc->bucket);
    free(loc->base);
    free(loc->path_prefix);
    free(loc->region);
    free(loc->region_set);
    memset(loc, 0, sizeof(*loc));
}

/* An endpoint URL in parts: "http://127.0.0.1:5000/prefix/" gives scheme "http",
 * authority "127.0.0.1:5000", host "127.0.0.1" and path "/prefix" (no trailing '/'). */
struct url_parts {
    char *scheme, *authority, *host, *path;
};

static void url_parts_done(struct url_parts *u)
{
    free(u->scheme);
    free(u->authority);
    free(u->host);
    free(u->path);
}

static int url_split(const char *url, struct url_parts *u)
{
    const char *sep = url ? strstr(url, "://") : NULL, *auth, *slash;
    size_t alen, plen;

    memset(u, 0, sizeof(*u));
    if (!sep || sep == url)
        return -1;
    auth = sep + 3;
    alen = strcspn(auth, "/?#");
    if (alen == 0 || memchr(auth, '@', alen))
        return -1;
    slash = auth + alen;
    plen = strcspn(slash, "?#");
    while (plen > 0 && slash[plen - 1] == '/')
        plen--;
    u->scheme = xstrndup(url, (size_t)(sep - url));
    u->authority = xstrndup(auth, alen);
    if (auth[0] == '[') {
        const char *close = memchr(auth, ']', alen);
        u->host = xstrndup(auth, close ? (size_t)(close - auth + 1) : alen);
    } else {
        u->host = xstrndup(auth, strcspn(u->authority, ":"));
    }
    u->path = xstrndup(slash, plen);
    return 0;
}

static bool host_is_ip(const char *host)
{
    if (host[0] == '[')
        return true;
    return strspn(host, "0123456789.") == strlen(host);
}

/* S3's rules for a name that can be a DNS label sequence: 3-63 characters of a-z 0-9 . -,
 * starting and ending with a letter or digit, no "..", not an IPv4 address. */
static bool dns_compatible(const char *b)
{
    size_t n = strlen(b);

    if (n < 3 || n > 63 || strspn(b, "abcdefghijklmnopqrstuvwxyz0123456789.-") != n)
        return false;
    if (b[0] == '.' || b[0] == '-' || b[n - 1] == '.' || b[n - 1] == '-' || strstr(b, ".."))
        return false;
    return !host_is_ip(b);
}

static void config_error(struct aws_error *err, const char *what, const char *msg)
{
    aws_error_set(err, AWS_ERR_CONFIG, "S3 bucket '%.200s': %s", what, msg);
}

static int location_bucket(struct s3_location *loc, const char *bucket,
                           const struct s3_endpoint *ep, const struct url_parts *u,
                           struct aws_error *err)
{
    bool virt;

    if (!*bucket || strchr(bucket, '/')) {
        config_error(err, bucket, "a bucket name is not empty and has no '/'");
        return -1;
    }
    switch (ep->style) {
    case S3_ADDRESSING_PATH:
        virt = false;
        break;
    case S3_ADDRESSING_VIRTUAL:
        if (!dns_compatible(bucket)) {
            config_error(err, bucket, "the name cannot be a host name, so it cannot be "
                                      "virtual-hosted; set addressing_style = path");
            return -1;
        }
        virt = true;
        break;
    default:
        virt = dns_compatible(bucket) && !strchr(bucket, '.') && !host_is_ip(u->host);
        break;
    }
    loc->bucket = xstrdup(bucket);
    if (virt) {
        loc->base = xasprintf("%s://%s.%s%s", u->scheme, bucket, u->authority, u->path);
        loc->path_prefix = xstrdup("");
    } else {
        char *seg = proto_uri_segment(bucket);
        loc->base = xasprintf("%s://%s%s", u->scheme, u->authority, u->path);
        loc->path_prefix = xasprintf("/%s", seg);
        free(seg);
    }
    loc->region = ep->region ? xstrdup(ep->region) : NULL;
    return 0;
}

static const char *partition_suffix(const char *partition)
{
    if (strcmp(partition, "aws") == 0 || strcmp(partition, "aws-us-gov") == 0)
        return "amazonaws.com";
    if (strcmp(partition, "aws-cn") == 0)
        return "amazonaws.com.cn";
    return NULL;
}

static bool all_of(const char *s, size_t n, const char *set)
{
    return n > 0 && strspn(s, set) >= n;
}

/* arn:PARTITION:SERVICE:REGION:ACCOUNT:accesspoint/NAME (or accesspoint:NAME). */
static int location_arn(struct s3_location *loc, const char *arn, const struct s3_endpoint *ep,
                        const struct url_parts *u, struct aws_error *err)
{
    char *f[6] = { 0 };
    const char *p = arn, *res, *name;
    const char *suffix;
    size_t nlen;
    int rc = -1;

    /* the first five fields end in ':'; the resource may hold ':' itself */
    for (int i = 0; i < 5; i++) {
        const char *c = strchr(p, ':');
        if (!c) {
            config_error(err, arn, "not an ARN (arn:PARTITION:s3:REGION:ACCOUNT:RESOURCE)");
            goto out;
        }
        f[i] = xstrndup(p, (size_t)(c - p));
        p = c + 1;
    }
    res = p;
    if (strcmp(f[2], "s3-outposts") == 0 || strcmp(f[2], "s3-object-lambda") == 0) {
        config_error(err, arn, "Outposts and Object Lambda access points are not supported");
        goto out;
    }
    if (strcmp(f[2], "s3") != 0 || !(suffix = partition_suffix(f[1]))) {
        config_error(err, arn, "not an S3 ARN of the aws, aws-cn or aws-us-gov partition");
        goto out;
    }
    if (strncmp(res, "accesspoint/", 12) != 0 && strncmp(res, "accesspoint:", 12) != 0) {
        config_error(err, arn, "only access point ARNs (accesspoint/NAME) stand for a bucket");
        goto out;
    }
    if (strlen(f[4]) != 12 || !all_of(f[4], 12, "0123456789")) {
        config_error(err, arn, "the account is not 12 digits");
        goto out;
    }
    name = res + 12;
    nlen = strlen(name);
    if (ep->configured && host_is_ip(u->host)) {
        /* an access point is a host name under the endpoint: an IP address has none */
        config_error(err, arn, "an access point needs an endpoint with a host name, not an "
                               "IP address");
        goto out;
    }
    if (f[3][0] == '\0') {
        /* multi-region: the alias is lowercase letters and digits, then ".mrap" */
        if (nlen < 6 || strcmp(name + nlen - 5, ".mrap") != 0 ||
            !all_of(name, nlen - 5, "abcdefghijklmnopqrstuvwxyz0123456789")) {
            config_error(err, arn, "a multi-region access point ARN has no region and ends in "
                                   "ALIAS.mrap");
            goto out;
        }
        loc->base = ep->configured
                        ? xasprintf("%s://%s.%s%s", u->scheme, name, u->authority, u->path)
                        : xasprintf("https://%s.accesspoint.s3-global.%s", name, suffix);
        loc->region_set = xstrdup("*");
    } else {
        if (nlen < 3 || nlen > 50 || !all_of(name, nlen, "abcdefghijklmnopqrstuvwxyz0123456789-")) {
            config_error(err, arn, "the access point name is not 3-50 of a-z 0-9 -");
            goto out;
        }
        if (!all_of(f[3], strlen(f[3]), "abcdefghijklmnopqrstuvwxyz0123456789-")) {
            config_error(err, arn, "the region is not a region name");
            goto out;
        }
        loc->base = ep->configured
                        ? xasprintf("%s://%s-%s.%s%s", u->scheme, name, f[4], u->authority,
                                    u->path)
                        : xasprintf("https://%s-%s.s3-accesspoint.%s.%s", name, f[4], f[3],
                                    suffix);
        loc->region = xstrdup(f[3]);
    }
    loc->bucket = xstrdup(name);
    loc->path_prefix = xstrdup("");
    loc->access_point = true;
    rc = 0;
out:
    for (int i = 0; i < 6; i++)
        free(f[i]);
    return rc;
}

int s3_location_init(struct s3_location *loc, const char *bucket_or_arn,
                     const struct s3_endpoint *ep, struct aws_error *err)
{
    struct url_parts u;
    int rc;

    memset(loc, 0, sizeof(*loc));
    if (!bucket_or_arn) {
        config_error(err, "", "no bucket");
        return -1;
    }
    if (!ep || url_split(ep->url, &u) < 0) {
        aws_error_set(err, AWS_ERR_CONFIG, "S3 endpoint '%.200s' is not a URL",
                      ep && ep->url ? ep->url : "");
        return -1;
    }
    if (strncmp(bucket_or_arn, "arn:", 4) == 0)
        rc = location_arn(loc, bucket_or_arn, ep, &u, err);
    else
        rc = location_bucket(loc, bucket_or_arn, ep, &u, err);
    url_parts_done(&u);
    if (rc < 0)
        s3_location_done(loc);
    return rc;
}
