/* s3.c - Amazon S3 requests at a location, and the bucket-level calls: ListBuckets,
 * ListObjectsV2, HeadBucket, GetBucketLocation, ListObjectVersions, GetObjectTagging. */
#include "config.h"
#include "aws/s3.h"
#include "core/proto.h"
#include "util/xalloc.h"
#include "core/xmlutil.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void s3_list_buckets_request(struct aws_request *r)
{
    aws_request_init(r, "s3", "ListBuckets", "GET");
    proto_rest_request(r, "GET", "/");
    r->s3_rules = true;
}

void s3_request_at(struct aws_request *r, const struct s3_location *loc, const char *key)
{
    char *enc = key ? proto_uri_key(key) : NULL;
    char *path = xasprintf("%s/%s", loc->path_prefix ? loc->path_prefix : "", enc ? enc : "");

    /* path-style bucket-level requests are "/bucket", not "/bucket/" */
    if (!key && loc->path_prefix && *loc->path_prefix)
        path[strlen(path) - 1] = '\0';
    aws_request_set_path(r, path);
    free(r->endpoint);
    r->endpoint = loc->base ? xstrdup(loc->base) : NULL;
    free(r->region);
    r->region = loc->region ? xstrdup(loc->region) : NULL;
    free(r->region_set);
    r->region_set = loc->region_set ? xstrdup(loc->region_set) : NULL;
    r->s3_rules = true;
    free(enc);
    free(path);
}

/* A read-only S3 request for loc (and key), GET unless said otherwise. */
static void s3_read(struct aws_request *r, const char *action, const char *method,
                    const struct s3_location *loc, const char *key)
{
    aws_request_init(r, "s3", action, method);
    s3_request_at(r, loc, key);
}

/* A query parameter sent only when it has a value. */
static void add_opt_query(struct aws_request *r, const char *name, const char *value)
{
    if (value && *value)
        aws_request_add_query(r, name, value);
}

static void add_max_keys(struct aws_request *r, int max_keys)
{
    char n[16];

    if (max_keys > 0) {
        snprintf(n, sizeof(n), "%d", max_keys > 1000 ? 1000 : max_keys);
        aws_request_add_query(r, "max-keys", n);
    }
}

void s3_list_objects_v2_request(struct aws_request *r, const struct s3_list_objects_params *p)
{
    if (p->loc) {
        s3_read(r, "ListObjectsV2", "GET", p->loc, NULL);
    } else {
        char *seg = proto_uri_segment(p->bucket ? p->bucket : "");
        char *path = xasprintf("/%s", seg);

        aws_request_init(r, "s3", "ListObjectsV2", "GET");
        proto_rest_request(r, "GET", path);
        r->s3_rules = true;
        free(seg);
        free(path);
    }
    aws_request_add_query(r, "list-type", "2");
    /* Always ask for URL-encoded keys: raw XML cannot carry every byte a key may hold
     * (control characters are not allowed in XML 1.0). */
    aws_request_add_query(r, "encoding-type", "url");
    add_opt_query(r, "prefix", p->prefix);
    add_opt_query(r, "delimiter", p->delimiter);
    add_opt_query(r, "continuation-token", p->continuation_token);
    add_opt_query(r, "start-after", p->start_after);
    add_max_keys(r, p->max_keys);
}

void s3_bucket_list_free(struct s3_bucket_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->buckets[i].name);
        free(l->buckets[i].creation_date);
    }
    free(l->buckets);
    free(l->owner_id);
    free(l->owner_name);
    memset(l, 0, sizeof(*l));
}

void s3_object_list_free(struct s3_object_list *l)
{
    for (size_t i = 0; i < l->nobjects; i++) {
        struct s3_object *o = &l->objects[i];
        free(o->key);
        free(o->last_modified);
        free(o->etag);
        free(o->storage_class);
    }
    free(l->objects);
    for (size_t i = 0; i < l->nprefixes; i++)
        free(l->prefixes[i]);
    free(l->prefixes);
    free(l->bucket);
    free(l->prefix);
    free(l->delimiter);
    free(l->next_token);
    memset(l, 0, sizeof(*l));
}


static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* S3's encoding-type=url is form encoding: real S3 sends a space as '+' and a '+' as %2B
 * (botocore decodes with unquote_plus for the same reason); moto sends %20. Both decode
 * here. %00 is kept as the three characters, since a C string cannot hold a NUL byte. */
static char *form_decode(const char *s)
{
    size_t n = strlen(s), o = 0;
    char *out = xmalloc(n + 1);

    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (s[i] == '+') {
            out[o++] = ' ';
        } else if (s[i] == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 &&
                   (lo = hexval(s[i + 2])) >= 0 && (hi | lo)) {
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return out;
}

/* Text of a child that S3 url-encodes, decoded when the response says it is encoded. */
static int encoded_text(const xmlNode *parent, const char *name, bool encoded, char **out)
{
    char *raw = NULL;

    if (xml_child_text(parent, name, &raw, NULL) != 1)
        return 0;
    if (encoded) {
        *out = form_decode(raw);
        free(raw);
    } else {
        *out = raw;
    }
    return 1;
}

/* A timestamp both as sent and as epoch seconds; a malformed one is a parse error. */
static int timestamp(const xmlNode *parent, const char *name, char **text, int64_t *epoch,
                     struct aws_error *err)
{
    *epoch = -1;
    if (xml_child_text(parent, name, text, err) != 1) {
        *text = NULL;
        return 0;
    }
    if (timeutil_parse_iso8601(*text, epoch) < 0) {
        aws_error_set(err, AWS_ERR_PARSE, "<%s> is not an ISO 8601 time: '%.40s'", name, *text);
        return -1;
    }
    return 0;
}

/* <CommonPrefixes><Prefix>..</Prefix></CommonPrefixes>... of a listing, decoded. */
static int common_prefixes(const xmlNode *root, bool encoded, char ***out, size_t *n,
                           struct proto_skips *skips, struct aws_error *err)
{
    XML_FOREACH(cp, root, "CommonPrefixes") {
        struct aws_error why;
        char *p = NULL;
        if (!encoded_text(cp, "Prefix", encoded, &p)) {
            aws_error_set(err, AWS_ERR_PARSE, "<CommonPrefixes> %zu has no <Prefix>", *n + 1);
            return -1;
        }
        aws_error_clear(&why);
        if (proto_check_len("a prefix", strlen(p), PROTO_MAX_S3_KEY, &why) < 0) {
            free(p);        /* that prefix's error, not the listing's */
            proto_skips_add(skips, &why);
            continue;
        }
        *out = proto_grow(*out, *n, sizeof(char *));
        (*out)[(*n)++] = p;
    }
    return 0;
}

int s3_list_buckets_parse(const struct aws_response *resp, struct s3_bucket_list *out,
                          struct aws_error *err)
{
    struct s3_bucket_list l = { 0 };
    struct proto_skips skips = { 0 };
    xmlDoc *doc;
    xmlNode *root, *owner;

    memset(out, 0, sizeof(*out));
    doc = xml_parse(resp->body.data, resp->body.len, err);
    if (!doc)
        goto fail;
    root = xml_root(doc);
    if (!xml_name_is(root, "ListAllMyBucketsResult")) {
        aws_error_set(err, AWS_ERR_PARSE, "expected <ListAllMyBucketsResult>, got <%.40s>",
                      (const char *)root->name);
        goto fail;
    }
    XML_FOREACH(b, xml_child(root, "Buckets"), "Bucket") {
        struct s3_bucket *bk;
        struct aws_error why;

        l.buckets = proto_grow(l.buckets, l.n, sizeof(*l.buckets));
        bk = &l.buckets[l.n++];
        memset(bk, 0, sizeof(*bk));
        if (xml_child_text(b, "Name", &bk->name, err) != 1 || !*bk->name) {
            aws_error_set(err, AWS_ERR_PARSE, "bucket %zu has no <Name>", l.n);
            goto fail;
        }
        aws_error_clear(&why);
        if (proto_check_len("a bucket name", strlen(bk->name), PROTO_MAX_NAME, &why) < 0) {
            free(bk->name);     /* that bucket's error, not the list's */
            l.n--;
            proto_skips_add(&skips, &why);
            continue;
        }
        if (timestamp(b, "CreationDate", &bk->creation_date, &bk->created, err) < 0)
            goto fail;
    }
    owner = xml_child(root, "Owner");
    xml_child_text(owner, "ID", &l.owner_id, err);
    xml_child_text(owner, "DisplayName", &l.owner_name, err);
    xml_free(doc);
    *out = l;
    return proto_skips_finish(&skips, "bucket", "buckets", resp, "S3 ListBuckets", err);
fail:
    xml_free(doc);
    s3_bucket_list_free(&l);
    proto_error_response(err, resp, "S3 ListBuckets");
    return -1;
}

int s3_list_objects_v2_parse(const struct aws_response *resp, struct s3_object_list *out,
                             struct aws_error *err)
{
    struct s3_object_list l = { 0 };
    struct proto_skips skips = { 0 };
    xmlDoc *doc;
    xmlNode *root;
    char *enc = NULL;
    bool encoded = false;

    memset(out, 0, sizeof(*out));
    l.key_count = -1;
    l.max_keys = -1;
    doc = xml_parse(resp->body.data, resp->body.len, err);
    if (!doc)
        goto fail;
    root = xml_root(doc);
    if (!xml_name_is(root, "ListBucketResult")) {
        aws_error_set(err, AWS_ERR_PARSE, "expected <ListBucketResult>, got <%.40s>",
                      (const char *)root->name);
        goto fail;
    }
    /* Decode only what the server says it encoded: decoding a raw key with a '%' in it
     * would silently change the key. */
    if (xml_child_text(root, "EncodingType", &enc, err) == 1)
        encoded = strcmp(enc, "url") == 0;
    free(enc);
    xml_child_text(root, "Name", &l.bucket, err);
    encoded_text(root, "Prefix", encoded, &l.prefix);
    encoded_text(root, "Delimiter", encoded, &l.delimiter);
    if (xml_child_bool(root, "IsTruncated", &l.is_truncated, err) < 0 ||
        xml_child_int64(root, "KeyCount", 0, INT64_MAX, &l.key_count, err) < 0 ||
        xml_child_int64(root, "MaxKeys", 0, INT64_MAX, &l.max_keys, err) < 0)
        goto fail;
    if (xml_child_text(root, "NextContinuationToken", &l.next_token, err) == 1 &&
        !*l.next_token) {
        free(l.next_token);
        l.next_token = NULL;
    }
    if (l.is_truncated && !l.next_token) {
        /* following it would restart from the first page forever */
        aws_error_set(err, AWS_ERR_PARSE, "truncated listing without <NextContinuationToken>");
        goto fail;
    }
    XML_FOREACH(c, root, "Contents") {
        struct s3_object *o;
        struct aws_error why;

        l.objects = proto_grow(l.objects, l.nobjects, sizeof(*l.objects));
        o = &l.objects[l.nobjects++];
        memset(o, 0, sizeof(*o));
        o->size = -1;
        o->mtime = -1;
        if (!encoded_text(c, "Key", encoded, &o->key) || !*o->key) {
            aws_error_set(err, AWS_ERR_PARSE, "object %zu has no <Key>", l.nobjects);
            goto fail;
        }
        aws_error_clear(&why);
        if (proto_check_len("an object key", strlen(o->key), PROTO_MAX_S3_KEY, &why) < 0) {
            free(o->key);       /* that object's error, not the listing's */
            l.nobjects--;
            proto_skips_add(&skips, &why);
            continue;
        }
        if (xml_child_int64(c, "Size", 0, INT64_MAX, &o->size, err) < 0 ||
            timestamp(c, "LastModified", &o->last_modified, &o->mtime, err) < 0)
            goto fail;
        xml_child_text(c, "ETag", &o->etag, err);
        xml_child_text(c, "StorageClass", &o->storage_class, err);
    }
    if (common_prefixes(root, encoded, &l.prefixes, &l.nprefixes, &skips, err) < 0)
        goto fail;
    xml_free(doc);
    *out = l;
    return proto_skips_finish(&skips, "key", "keys", resp, "S3 ListObjectsV2", err);
fail:
    xml_free(doc);
    s3_object_list_free(&l);
    proto_error_response(err, resp, "S3 ListObjectsV2");
    return -1;
}

/* ---- a bucket's region ---- */

void s3_head_bucket_request(struct aws_request *r, const struct s3_location *loc)
{
    s3_read(r, "HeadBucket", "HEAD", loc, NULL);
}

/* Region names are short lowercase words; anything else in the header is not one. */
static bool region_ok(const char *v)
{
    size_t n = v ? strlen(v) : 0;

    return n > 0 && n < 32 && strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

int s3_bucket_region(const struct aws_response *resp, const struct aws_error *err,
                     char region[32])
{
    const char *v = resp ? aws_response_header(resp, "x-amz-bucket-region") : NULL;

    if (!v && err && err->bucket_region[0])
        v = err->bucket_region;
    if (!region_ok(v)) {
        region[0] = '\0';
        return -1;
    }
    snprintf(region, 32, "%s", v);
    return 0;
}

void s3_get_bucket_location_request(struct aws_request *r, const struct s3_location *loc)
{
    s3_read(r, "GetBucketLocation", "GET", loc, NULL);
    aws_request_add_query(r, "location", "");
}

int s3_get_bucket_location_parse(const struct aws_response *resp, char **region,
                                 struct aws_error *err)
{
    xmlDoc *doc;
    xmlNode *root;
    char *v = NULL;

    *region = NULL;
    doc = xml_parse(resp->body.data, resp->body.len, err);
    if (!doc)
        goto fail;
    root = xml_root(doc);
    if (!xml_name_is(root, "LocationConstraint")) {
        aws_error_set(err, AWS_ERR_PARSE, "expected <LocationConstraint>, got <%.40s>",
                      (const char *)root->name);
        goto fail;
    }
    v = xml_text(root);
    /* us-east-1 is the empty constraint; "EU" is what eu-west-1 buckets made long ago say */
    if (!*v || strcmp(v, "EU") == 0) {
        char *name = xstrdup(*v ? "eu-west-1" : "us-east-1");
        free(v);
        v = name;
    }
    if (!region_ok(v)) {
        aws_error_set(err, AWS_ERR_PARSE, "<LocationConstraint> is not a region: '%.40s'", v);
        goto fail;
    }
    xml_free(doc);
    *region = v;
    return 0;
fail:
    free(v);
    xml_free(doc);
    proto_error_response(err, resp, "S3 GetBucketLocation");
    return -1;
}

/* ---- ListObjectVersions ---- */

void s3_list_object_versions_request(struct aws_request *r,
                                     const struct s3_list_versions_params *p)
{
    s3_read(r, "ListObjectVersions", "GET", p->loc, NULL);
    aws_request_add_query(r, "versions", "");
    aws_request_add_query(r, "encoding-type", "url");
    add_opt_query(r, "prefix", p->prefix);
    add_opt_query(r, "delimiter", p->delimiter);
    add_opt_query(r, "key-marker", p->key_marker);
    add_opt_query(r, "version-id-marker", p->version_id_marker);
    add_max_keys(r, p->max_keys);
}

void s3_version_list_free(struct s3_version_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct s3_version *v = &l->versions[i];
        free(v->key);
        free(v->version_id);
        free(v->last_modified);
        free(v->etag);
        free(v->storage_class);
    }
    free(l->versions);
    proto_strings_free(l->prefixes, l->nprefixes);
    free(l->next_key_marker);
    free(l->next_version_id_marker);
    memset(l, 0, sizeof(*l));
}

static int parse_version(const xmlNode *n, bool encoded, struct s3_version *v,
                         struct aws_error *err)
{
    v->size = -1;
    v->mtime = -1;
    v->delete_marker = xml_name_is(n, "DeleteMarker");
    if (!encoded_text(n, "Key", encoded, &v->key) || !*v->key) {
        aws_error_set(err, AWS_ERR_PARSE, "no <Key>");
        return -1;
    }
    if (proto_check_len("a version's key", strlen(v->key), PROTO_MAX_S3_KEY, err) < 0)
        return 1;       /* that version's error, not the listing's: only v->key is set */
    if (xml_child_text(n, "VersionId", &v->version_id, err) != 1 || !*v->version_id) {
        aws_error_set(err, AWS_ERR_PARSE, "no <VersionId>");
        return -1;
    }
    if (xml_child_bool(n, "IsLatest", &v->is_latest, err) < 0 ||
        timestamp(n, "LastModified", &v->last_modified, &v->mtime, err) < 0)
        return -1;
    if (v->delete_marker)
        return 0;
    if (xml_child_int64(n, "Size", 0, INT64_MAX, &v->size, err) < 0)
        return -1;
    xml_child_text(n, "ETag", &v->etag, err);
    xml_child_text(n, "StorageClass", &v->storage_class, err);
    return 0;
}

/* A marker, decoded when encoded; an empty one is none. */
static void marker(const xmlNode *root, const char *name, bool encoded, char **out)
{
    if (encoded_text(root, name, encoded, out) && !**out) {
        free(*out);
        *out = NULL;
    }
}

int s3_list_object_versions_parse(const struct aws_response *resp, struct s3_version_list *out,
                                  struct aws_error *err)
{
    struct s3_version_list l = { 0 };
    struct proto_skips skips = { 0 };
    xmlDoc *doc;
    xmlNode *root;
    char *enc = NULL;
    bool encoded = false;

    memset(out, 0, sizeof(*out));
    doc = xml_parse(resp->body.data, resp->body.len, err);
    if (!doc)
        goto fail;
    root = xml_root(doc);
    if (!xml_name_is(root, "ListVersionsResult")) {
        aws_error_set(err, AWS_ERR_PARSE, "expected <ListVersionsResult>, got <%.40s>",
                      (const char *)root->name);
        goto fail;
    }
    if (xml_child_text(root, "EncodingType", &enc, err) == 1)
        encoded = strcmp(enc, "url") == 0;
    free(enc);
    if (xml_child_bool(root, "IsTruncated", &l.is_truncated, err) < 0)
        goto fail;
    marker(root, "NextKeyMarker", encoded, &l.next_key_marker);
    marker(root, "NextVersionIdMarker", false, &l.next_version_id_marker);
    if (l.is_truncated && !l.next_key_marker) {
        aws_error_set(err, AWS_ERR_PARSE, "truncated listing without <NextKeyMarker>");
        goto fail;
    }
    for (xmlNode *n = root->children; n; n = n->next) {
        struct aws_error why;
        int rc;

        if (n->type != XML_ELEMENT_NODE ||
            !(xml_name_is(n, "Version") || xml_name_is(n, "DeleteMarker")))
            continue;
        l.versions = proto_grow(l.versions, l.n, sizeof(*l.versions));
        memset(&l.versions[l.n], 0, sizeof(l.versions[0]));
        aws_error_clear(&why);
        if ((rc = parse_version(n, encoded, &l.versions[l.n++], &why)) < 0) {
            char what[48];
            *err = why;
            snprintf(what, sizeof(what), "version %zu", l.n);
            proto_error_prefix(err, what);
            goto fail;
        }
        if (rc > 0) {
            free(l.versions[--l.n].key);
            proto_skips_add(&skips, &why);
        }
    }
    if (common_prefixes(root, encoded, &l.prefixes, &l.nprefixes, &skips, err) < 0)
        goto fail;
    xml_free(doc);
    *out = l;
    return proto_skips_finish(&skips, "version", "versions", resp, "S3 ListObjectVersions",
                              err);
fail:
    xml_free(doc);
    s3_version_list_free(&l);
    proto_error_response(err, resp, "S3 ListObjectVersions");
    return -1;
}

/* ---- GetObjectTagging ---- */

void s3_get_object_tagging_request(struct aws_request *r, const struct s3_location *loc,
                                   const char *key, const char *version_id)
{
    s3_read(r, "GetObjectTagging", "GET", loc, key);
    aws_request_add_query(r, "tagging", "");
    if (version_id && *version_id)
        aws_request_add_query(r, "versionId", version_id);
}

void s3_tag_list_free(struct s3_tag_list *t)
{
    kv_free_array(t->tags, t->n);
    memset(t, 0, sizeof(*t));
}

int s3_get_object_tagging_parse(const struct aws_response *resp, struct s3_tag_list *out,
                                struct aws_error *err)
{
    struct s3_tag_list t = { 0 };
    xmlDoc *doc;
    xmlNode *root;

    memset(out, 0, sizeof(*out));
    doc = xml_parse(resp->body.data, resp->body.len, err);
    if (!doc)
        goto fail;
    root = xml_root(doc);
    if (!xml_name_is(root, "Tagging")) {
        aws_error_set(err, AWS_ERR_PARSE, "expected <Tagging>, got <%.40s>",
                      (const char *)root->name);
        goto fail;
    }
    XML_FOREACH(tag, xml_child(root, "TagSet"), "Tag") {
        char *k = NULL, *v = NULL;
        if (xml_child_text(tag, "Key", &k, err) != 1 || !*k ||
            xml_child_text(tag, "Value", &v, err) != 1) {
            free(k);
            free(v);
            aws_error_set(err, AWS_ERR_PARSE, "tag %zu has no <Key> or <Value>", t.n + 1);
            goto fail;
        }
        t.tags = proto_grow(t.tags, t.n, sizeof(struct kv));
        t.tags[t.n].name = k;
        t.tags[t.n].value = v;
        t.n++;
    }
    xml_free(doc);
    *out = t;
    return 0;
fail:
    xml_free(doc);
    s3_tag_list_free(&t);
    proto_error_response(err, resp, "S3 GetObjectTagging");
    return -1;
}
