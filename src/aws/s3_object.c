/* s3_object.c - S3 objects: HeadObject (read from the headers), ranged GetObject and
 * presigned GET URLs. */
#include "config.h"
#include "aws/s3.h"
#include "core/proto.h"
#include "core/sigv4.h"
#include "core/sigv4a.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define S3_MAX_PRESIGN 604800L /* seven days: S3 refuses longer presigned URLs */

static void s3_object_read(struct aws_request *r, const char *action, const char *method,
                           const struct s3_location *loc, const char *key,
                           const char *version_id)
{
    aws_request_init(r, "s3", action, method);
    s3_request_at(r, loc, key);
    if (version_id && *version_id)
        aws_request_add_query(r, "versionId", version_id);
}

/* ---- HeadObject ---- */

void s3_head_object_request(struct aws_request *r, const struct s3_location *loc,
                            const char *key, const char *version_id)
{
    s3_object_read(r, "HeadObject", "HEAD", loc, key, version_id);
}

void s3_object_head_free(struct s3_object_head *h)
{
    free(h->content_type);
    free(h->etag);
    free(h->storage_class);
    free(h->sse);
    free(h->kms_key_id);
    free(h->version_id);
    kv_free_array(h->metadata, h->nmetadata);
    memset(h, 0, sizeof(*h));
}

static char *header_dup(const struct aws_response *resp, const char *name)
{
    const char *v = aws_response_header(resp, name);

    return v ? xstrdup(v) : NULL;
}

static int header_count(const struct aws_response *resp, const char *name, int64_t *out,
                        struct aws_error *err)
{
    const char *v = aws_response_header(resp, name);

    *out = -1;
    if (v && proto_parse_int64(v, 0, INT64_MAX, out) < 0) {
        *out = -1;
        aws_error_set(err, AWS_ERR_PARSE, "header %s is not a count: '%.40s'", name, v);
        return -1;
    }
    return 0;
}

/* x-amz-restore: ongoing-request="true" while restoring; ongoing-request="false",
 * expiry-date="Sat, 05 Dec 2026 09:59:51 GMT" once the copy is ready. */
static int parse_restore(const char *v, struct s3_object_head *h, struct aws_error *err)
{
    const char *ongoing = strstr(v, "ongoing-request=\"");
    const char *expiry = strstr(v, "expiry-date=\"");

    h->restore_requested = true;
    if (!ongoing) {
        aws_error_set(err, AWS_ERR_PARSE, "header x-amz-restore has no ongoing-request: "
                      "'%.80s'", v);
        return -1;
    }
    ongoing += strlen("ongoing-request=\"");
    if (strncmp(ongoing, "true\"", 5) == 0) {
        h->restore_ongoing = true;
    } else if (strncmp(ongoing, "false\"", 6) != 0) {
        aws_error_set(err, AWS_ERR_PARSE, "header x-amz-restore: ongoing-request is not true "
                      "or false: '%.80s'", v);
        return -1;
    }
    if (expiry) {
        char date[32];
        const char *end;
        expiry += strlen("expiry-date=\"");
        end = strchr(expiry, '"');
        if (!end || (size_t)(end - expiry) >= sizeof(date) ||
            (memcpy(date, expiry, (size_t)(end - expiry)), date[end - expiry] = '\0',
             timeutil_parse_http_date(date, &h->restore_expiry) < 0)) {
            h->restore_expiry = -1;
            aws_error_set(err, AWS_ERR_PARSE, "header x-amz-restore: expiry-date is not a "
                          "date: '%.80s'", v);
            return -1;
        }
    }
    return 0;
}

int s3_head_object_parse(const struct aws_response *resp, struct s3_object_head *out,
                         struct aws_error *err)
{
    struct s3_object_head h;
    const char *v;

    memset(out, 0, sizeof(*out));
    memset(&h, 0, sizeof(h));
    h.mtime = h.restore_expiry = -1;
    if (header_count(resp, "Content-Length", &h.size, err) < 0 ||
        header_count(resp, "x-amz-tagging-count", &h.tag_count, err) < 0)
        goto fail;
    if ((v = aws_response_header(resp, "Last-Modified")) &&
        timeutil_parse_http_date(v, &h.mtime) < 0) {
        aws_error_set(err, AWS_ERR_PARSE, "header Last-Modified is not a date: '%.40s'", v);
        goto fail;
    }
    if ((v = aws_response_header(resp, "x-amz-delete-marker")) &&
        proto_parse_bool(v, &h.delete_marker) < 0) {
        aws_error_set(err, AWS_ERR_PARSE, "header x-amz-delete-marker is not true or false: "
                      "'%.20s'", v);
        goto fail;
    }
    if ((v = aws_response_header(resp, "x-amz-restore")) && parse_restore(v, &h, err) < 0)
        goto fail;
    h.content_type = header_dup(resp, "Content-Type");
    h.etag = header_dup(resp, "ETag");
    h.storage_class = header_dup(resp, "x-amz-storage-class");
    h.sse = header_dup(resp, "x-amz-server-side-encryption");
    h.kms_key_id = header_dup(resp, "x-amz-server-side-encryption-aws-kms-key-id");
    h.version_id = header_dup(resp, "x-amz-version-id");
    for (size_t i = 0; i < resp->nheaders; i++) {
        const char *n = resp->headers[i].name;
        if (strncasecmp(n, "x-amz-meta-", 11) != 0 || !n[11])
            continue;
        h.metadata = proto_grow(h.metadata, h.nmetadata, sizeof(struct kv));
        h.metadata[h.nmetadata].name = xstrdup(n + 11);
        for (char *c = h.metadata[h.nmetadata].name; *c; c++)
            if (*c >= 'A' && *c <= 'Z')
                *c = (char)(*c - 'A' + 'a');
        h.metadata[h.nmetadata].value = xstrdup(resp->headers[i].value);
        h.nmetadata++;
    }
    *out = h;
    return 0;
fail:
    s3_object_head_free(&h);
    proto_error_response(err, resp, "S3 HeadObject");
    return -1;
}

/* ---- ranged GetObject ---- */

void s3_get_object_request(struct aws_request *r, const struct s3_location *loc,
                           const char *key, const char *version_id, int64_t first,
                           int64_t last)
{
    char range[64];

    s3_object_read(r, "GetObject", "GET", loc, key, version_id);
    if (first < 0)
        first = 0;
    if (last >= first)
        snprintf(range, sizeof(range), "bytes=%lld-%lld", (long long)first, (long long)last);
    else
        snprintf(range, sizeof(range), "bytes=%lld-", (long long)first);
    aws_request_set_header(r, "Range", range);
}

/* "bytes FIRST-LAST/TOTAL", or "bytes FIRST-LAST/" followed by "*" for an unknown total. */
static int parse_content_range(const char *v, struct s3_range *out)
{
    char buf[96];
    char *dash, *slash;

    if (strncmp(v, "bytes ", 6) != 0 || strlen(v + 6) >= sizeof(buf))
        return -1;
    strcpy(buf, v + 6);
    dash = strchr(buf, '-');
    slash = strchr(buf, '/');
    if (!dash || !slash || slash < dash)
        return -1;
    *dash = *slash = '\0';
    if (proto_parse_int64(buf, 0, INT64_MAX, &out->first) < 0 ||
        proto_parse_int64(dash + 1, 0, INT64_MAX, &out->last) < 0 || out->last < out->first)
        return -1;
    if (strcmp(slash + 1, "*") == 0)
        out->total = -1;
    else if (proto_parse_int64(slash + 1, 1, INT64_MAX, &out->total) < 0 ||
             out->total <= out->last)
        return -1;
    return 0;
}

int s3_get_object_range_parse(const struct aws_response *resp, struct s3_range *out,
                              struct aws_error *err)
{
    const char *cr = aws_response_header(resp, "Content-Range");

    out->first = out->last = out->total = -1;
    if (resp->status == 200) {
        /* the whole object: the server ignored (or did not need) the Range */
        out->first = 0;
        out->last = (int64_t)resp->body.len - 1;
        out->total = (int64_t)resp->body.len;
        return 0;
    }
    if (resp->status != 206)
        aws_error_set(err, AWS_ERR_PARSE, "HTTP %ld is not a partial answer", resp->status);
    else if (!cr)
        aws_error_set(err, AWS_ERR_PARSE, "206 without Content-Range");
    else if (parse_content_range(cr, out) < 0)
        aws_error_set(err, AWS_ERR_PARSE, "Content-Range is not bytes FIRST-LAST/TOTAL: "
                      "'%.60s'", cr);
    else if ((uint64_t)(out->last - out->first + 1) != resp->body.len)
        aws_error_set(err, AWS_ERR_PARSE, "Content-Range says %lld bytes, the body has %zu",
                      (long long)(out->last - out->first + 1), resp->body.len);
    else
        return 0;
    out->first = out->last = out->total = -1;
    proto_error_response(err, resp, "S3 GetObject");
    return -1;
}

/* ---- presigned GET ---- */

int s3_presign_get(const struct s3_location *loc, const char *key, const char *version_id,
                   const struct sigv4_credentials *c, time_t now, long expires,
                   long max_expires, char **url, struct aws_error *err)
{
    struct aws_request r;
    struct sigv4_params p = {
        .region = loc->region ? loc->region : "us-east-1",
        .service = "s3",
        .when = now,
        .s3_rules = true,
        .payload_hash = "UNSIGNED-PAYLOAD",
    };
    const char *sep, *host;
    char errbuf[256] = "";
    long secs = expires;
    int rc;

    *url = NULL;
    if (max_expires < 0)
        secs = 0;
    else if (max_expires > 0 && secs > max_expires)
        secs = max_expires;
    if (secs > S3_MAX_PRESIGN)
        secs = S3_MAX_PRESIGN;
    if (secs < 1) {
        aws_error_set(err, AWS_ERR_CONFIG, "a presigned URL needs at least one second of "
                      "validity (the credentials expire %s)",
                      max_expires <= 0 ? "now" : "sooner");
        return -1;
    }
    if (!key || !*key || !loc->base || !(sep = strstr(loc->base, "://"))) {
        aws_error_set(err, AWS_ERR_CONFIG, "nothing to presign: no key or no endpoint");
        return -1;
    }
    s3_object_read(&r, "GetObject", "GET", loc, key, version_id);
    /* the Host header is the base's authority; the URL is the base plus the path */
    host = sep + 3;
    {
        char *h = xstrndup(host, strcspn(host, "/?#"));
        aws_request_set_header(&r, "Host", h);
        free(h);
    }
    {
        /* the base's own path ("http://host/prefix") goes before the object's */
        const char *bpath = host + strcspn(host, "/?#");
        char *full = xasprintf("%.*s%s", (int)strcspn(bpath, "?#"), bpath, r.path);
        aws_request_set_path(&r, full);
        free(full);
    }
    rc = loc->region_set ? sigv4a_presign(&r, c, &p, loc->region_set, secs, NULL, errbuf,
                                          sizeof(errbuf))
                         : sigv4_presign(&r, c, &p, secs, NULL, errbuf, sizeof(errbuf));
    if (rc < 0) {
        aws_error_set(err, AWS_ERR_CONFIG, "cannot presign: %s", errbuf);
        aws_request_done(&r);
        return -1;
    }
    *url = xasprintf("%.*s%s?%s", (int)(host - loc->base) + (int)strcspn(host, "/?#"),
                     loc->base, r.path, r.query);
    aws_request_done(&r);
    return 0;
}
