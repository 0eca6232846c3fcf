/* s3.h - Amazon S3 over REST-XML. Pure: builds requests (and presigned URLs) and parses
 * responses. Conventions (request init, parse errors, _free, numbers): see sqs.h.
 *
 * Exported API (summary):
 *   Where a bucket's requests go (s3_location.c):
 *   int  s3_location_init(&loc, bucket_or_arn, &s3_endpoint, err);   bucket, access point
 *   void s3_location_done(&loc);                                      or MRAP ARN
 *   void s3_request_at(r, &loc, key /+ NULL: the bucket +/);
 *   Buckets and listings (s3.c):
 *   void s3_list_buckets_request(r);
 *   int  s3_list_buckets_parse(resp, &s3_bucket_list, err);
 *   void s3_list_objects_v2_request(r, &s3_list_objects_params);      paged: continuation
 *   int  s3_list_objects_v2_parse(resp, &s3_object_list, err);
 *   void s3_head_bucket_request(r, &loc);
 *   int  s3_bucket_region(resp, err, region_out);                      x-amz-bucket-region
 *   void s3_get_bucket_location_request(r, &loc);
 *   int  s3_get_bucket_location_parse(resp, &char *region, err);
 *   void s3_list_object_versions_request(r, &s3_list_versions_params); paged: key/version
 *   int  s3_list_object_versions_parse(resp, &s3_version_list, err);
 *   void s3_get_object_tagging_request(r, &loc, key, version_id);
 *   int  s3_get_object_tagging_parse(resp, &s3_tag_list, err);
 *   Objects (s3_object.c):
 *   void s3_head_object_request(r, &loc, key, version_id);
 *   int  s3_head_object_parse(resp, &s3_object_head, err);
 *   void s3_get_object_request(r, &loc, key, version_id, first, last);   Range
 *   int  s3_get_object_range_parse(resp, &s3_range, err);
 *   int  s3_presign_get(&loc, key, version_id, &creds, now, expires, max_expires, &url, err);
 *   ..._free for each result.
 *
 * Listings are sent with encoding-type=url, and the parsers decode Key, Prefix, Delimiter,
 * StartAfter, markers and CommonPrefixes/Prefix when the answer says it encoded them, so
 * keys with control characters, spaces, UTF-8, '+', '%' and '&' arrive exactly as stored.
 * Keys are untrusted text: sanitise before drawing, and never use one as a file name as it
 * is. Keys in paths are percent-encoded byte for byte ('/' kept), and the HTTP engine sends
 * the path as it is (no "/../" squashing), so every key reaches its object. */
#ifndef OPSDECK_AWS_S3_H
#define OPSDECK_AWS_S3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/awserr.h"
#include "core/request.h"

struct s3_bucket {
    char *name;
    char *creation_date;      /* as sent (ISO 8601), NULL if absent */
    int64_t created;          /* epoch seconds, -1 if absent */
};

struct s3_bucket_list {
    struct s3_bucket *buckets;
    size_t n;
    char *owner_id;           /* Owner/ID, NULL if absent */
    char *owner_name;         /* Owner/DisplayName, NULL if absent */
};

/* ---- where a bucket's requests go ---- */

/* The profile's `s3 = addressing_style = auto|path|virtual`. */
enum s3_addressing { S3_ADDRESSING_AUTO, S3_ADDRESSING_PATH, S3_ADDRESSING_VIRTUAL };

/* The S3 endpoint a location is built on. */
struct s3_endpoint {
    const char *url;          /* aws_config_endpoint(cfg, "s3", ...) (or _region for a bucket
                               * in another region): "https://s3.eu-west-1.amazonaws.com",
                               * "http://127.0.0.1:5000", a VPC endpoint... */
    bool configured;          /* the URL came from the config or environment (an emulator,
                               * proxy or VPC endpoint), not AWS's public endpoint */
    const char *region;       /* the region to sign for (NULL: the config's) */
    enum s3_addressing style;
};

/* Where the requests for one bucket go, and how they are signed. Rules, as botocore's:
 * - a bucket name: virtual-hosted (https://BUCKET.<endpoint host>) when the name is
 *   DNS-compatible without dots and the endpoint's host is not an IP address, else
 *   path-style (https://<endpoint host>/BUCKET); S3_ADDRESSING_PATH/VIRTUAL force it (a name
 *   that cannot be a host name is refused with VIRTUAL). Dots force path style because
 *   TLS wildcard certificates cover one label only.
 * - an access point ARN (arn:aws:s3:REGION:ACCOUNT:accesspoint/NAME): NAME-ACCOUNT.
 *   s3-accesspoint.REGION.<partition suffix>, signed for REGION; on a configured endpoint,
 *   NAME-ACCOUNT.<endpoint host>.
 * - a multi-region access point ARN (arn:aws:s3::ACCOUNT:accesspoint/ALIAS.mrap, no region):
 *   ALIAS.accesspoint.s3-global.amazonaws.com, signed with SigV4A for region set "*".
 * Outposts and Object Lambda ARNs are refused (not supported). No emulator serves
 * multi-region access points: their requests are tested against the SigV4A suite and the
 * canonical request the rules give (test_s3_object.c), not end to end. */
struct s3_location {
    char *bucket;             /* the bucket, or the access point's name or alias */
    char *base;               /* the URL requests go to: scheme://host[:port][/path] */
    char *path_prefix;        /* "/BUCKET" (percent-encoded) for path-style, else "" */
    char *region;             /* signing region, NULL: the config's */
    char *region_set;         /* SigV4A region set ("*") for an MRAP, else NULL */
    bool access_point;        /* an access point or multi-region access point ARN */
};

/* 0, or -1 with err (AWS_ERR_CONFIG, naming what is wrong with the bucket or ARN). */
int s3_location_init(struct s3_location *loc, const char *bucket_or_arn,
                     const struct s3_endpoint *ep, struct aws_error *err);
void s3_location_done(struct s3_location *loc);
/* Where the bucket ends in "BUCKET/KEY" or "ARN/KEY" (an access point or multi-region access
 * point ARN, whose own resource "accesspoint/NAME" holds a slash): the length of the bucket
 * or ARN, with *rest after the slash that ends it, or NULL when none does. */
size_t s3_location_split(const char *s, const char **rest);
/* Points r at loc: the endpoint, the path (the bucket's prefix, then key percent-encoded
 * byte for byte with '/' kept; key NULL: the bucket itself), and the signing region or
 * SigV4A region set. The request builders below call it; a caller building its own S3
 * request (a download job) calls it too. */
void s3_request_at(struct aws_request *r, const struct s3_location *loc, const char *key);

/* ---- listings ---- */

struct s3_list_objects_params {
    const struct s3_location *loc;    /* where the bucket is; NULL: path-style on the
                                       * configured endpoint, by bucket */
    const char *bucket;               /* when loc is NULL */
    const char *prefix;               /* NULL: none */
    const char *delimiter;            /* NULL: none ("/" to list one level) */
    const char *continuation_token;   /* NULL: first page */
    const char *start_after;          /* NULL: none */
    int max_keys;                     /* 1..1000; 0: omitted (AWS default 1000) */
};

struct s3_object {
    char *key;                /* decoded */
    int64_t size;             /* bytes, -1 if absent */
    char *last_modified;      /* as sent, NULL if absent */
    int64_t mtime;            /* epoch seconds, -1 if absent */
    char *etag;               /* as sent, quotes included, NULL if absent */
    char *storage_class;      /* NULL if absent */
};

struct s3_object_list {
    char *bucket;             /* Name */
    char *prefix;             /* decoded, NULL if absent */
    char *delimiter;          /* decoded, NULL if absent */
    struct s3_object *objects;
    size_t nobjects;
    char **prefixes;          /* CommonPrefixes/Prefix, decoded */
    size_t nprefixes;
    bool is_truncated;
    char *next_token;         /* NextContinuationToken, NULL when not truncated */
    int64_t key_count;        /* KeyCount, -1 if absent */
    int64_t max_keys;         /* MaxKeys, -1 if absent */
};

void s3_list_buckets_request(struct aws_request *r);
int s3_list_buckets_parse(const struct aws_response *resp, struct s3_bucket_list *out,
                          struct aws_error *err);

/* GET /<bucket>?list-type=2&encoding-type=url[&prefix=..][&delimiter=..]
 * [&continuation-token=..][&start-after=..][&max-keys=..]. */
void s3_list_objects_v2_request(struct aws_request *r, const struct s3_list_objects_params *p);
int s3_list_objects_v2_parse(const struct aws_response *resp, struct s3_object_list *out,
                             struct aws_error *err);

void s3_bucket_list_free(struct s3_bucket_list *l);
void s3_object_list_free(struct s3_object_list *l);

/* ---- a bucket's region ---- */

/* HEAD on the bucket. The answer's x-amz-bucket-region names the bucket's region - also
 * on the 301 (wrong region) and 403 answers, which the client reports as errors. */
void s3_head_bucket_request(struct aws_request *r, const struct s3_location *loc);
/* The bucket's region from a HeadBucket answer (resp, on success) or its error (err, on
 * failure; either may be NULL). 0 with region set (a [32] buffer), -1 when neither says. */
int s3_bucket_region(const struct aws_response *resp, const struct aws_error *err,
                     char region[32]);

/* GetBucketLocation: <LocationConstraint> is empty for us-east-1 and "EU" for eu-west-1 in
 * old buckets; both are turned into the region's name. */
void s3_get_bucket_location_request(struct aws_request *r, const struct s3_location *loc);
int s3_get_bucket_location_parse(const struct aws_response *resp, char **region,
                                 struct aws_error *err);

/* ---- versions ---- */

struct s3_list_versions_params {
    const struct s3_location *loc;    /* required */
    const char *prefix;               /* NULL: none (a key's versions: prefix = the key) */
    const char *delimiter;
    const char *key_marker;           /* from the previous page, NULL: first page */
    const char *version_id_marker;
    int max_keys;                     /* 1..1000; 0: omitted */
};

struct s3_version {
    char *key;                /* decoded */
    char *version_id;         /* "null" for objects written before versioning */
    bool is_latest;
    bool delete_marker;       /* a <DeleteMarker>: no size, ETag or storage class */
    int64_t size;             /* -1 for a delete marker */
    char *last_modified;
    int64_t mtime;            /* epoch seconds, -1 if absent */
    char *etag;
    char *storage_class;
};

struct s3_version_list {
    struct s3_version *versions;  /* versions and delete markers, in the answer's order */
    size_t n;
    char **prefixes;              /* CommonPrefixes, decoded */
    size_t nprefixes;
    bool is_truncated;
    char *next_key_marker;        /* the next page's markers, NULL when not truncated */
    char *next_version_id_marker;
};

void s3_list_object_versions_request(struct aws_request *r,
                                     const struct s3_list_versions_params *p);
/* Truncated without NextKeyMarker is an error (following it would loop forever). */
int s3_list_object_versions_parse(const struct aws_response *resp, struct s3_version_list *out,
                                  struct aws_error *err);
void s3_version_list_free(struct s3_version_list *l);

/* ---- tags ---- */

struct s3_tag_list {
    struct kv *tags;          /* (Key, Value) in the answer's order; untrusted text */
    size_t n;
};

/* version_id: NULL for the current version. */
void s3_get_object_tagging_request(struct aws_request *r, const struct s3_location *loc,
                                   const char *key, const char *version_id);
int s3_get_object_tagging_parse(const struct aws_response *resp, struct s3_tag_list *out,
                                struct aws_error *err);
void s3_tag_list_free(struct s3_tag_list *t);

/* ---- objects (s3_object.c) ---- */

/* HeadObject's answer, read from the headers. */
struct s3_object_head {
    int64_t size;             /* Content-Length, -1 if absent */
    char *content_type;
    char *etag;               /* quotes included, as sent */
    int64_t mtime;            /* Last-Modified, epoch seconds, -1 if absent */
    char *storage_class;      /* x-amz-storage-class; NULL means STANDARD (S3 omits it) */
    char *sse;                /* x-amz-server-side-encryption: "AES256", "aws:kms", ... */
    char *kms_key_id;         /* x-amz-server-side-encryption-aws-kms-key-id */
    char *version_id;         /* x-amz-version-id, NULL when unversioned */
    bool delete_marker;       /* x-amz-delete-marker: true */
    struct kv *metadata;      /* x-amz-meta-NAME: (NAME lowercase, value), untrusted */
    size_t nmetadata;
    int64_t tag_count;        /* x-amz-tagging-count, -1 if absent */
    /* x-amz-restore, for archived classes: absent, a restore in progress, or a restored
     * copy until restore_expiry. */
    bool restore_requested;
    bool restore_ongoing;
    int64_t restore_expiry;   /* epoch seconds, -1 while ongoing or when absent */
};

void s3_head_object_request(struct aws_request *r, const struct s3_location *loc,
                            const char *key, const char *version_id);
/* A number, date or restore header that does not read is an error naming it. */
int s3_head_object_parse(const struct aws_response *resp, struct s3_object_head *out,
                         struct aws_error *err);
void s3_object_head_free(struct s3_object_head *h);

/* GetObject of bytes first..last (inclusive; last -1: to the end). The body is the data:
 * S3 caps nothing, so ask for what the caller can hold (the HTTP engine refuses bodies over
 * its limit). */
void s3_get_object_request(struct aws_request *r, const struct s3_location *loc,
                           const char *key, const char *version_id, int64_t first,
                           int64_t last);

/* What a ranged GET returned: 206 with Content-Range "bytes FIRST-LAST/TOTAL" ("*" for an
 * unknown total), or 200 with the whole object (a server that ignores Range). */
struct s3_range {
    int64_t first, last;      /* bytes of the object in resp->body */
    int64_t total;            /* the object's size, -1 when the server did not say */
};

int s3_get_object_range_parse(const struct aws_response *resp, struct s3_range *out,
                              struct aws_error *err);

/* A presigned GET URL for key (SigV4 query signing, SigV4A for a multi-region access
 * point; UNSIGNED-PAYLOAD), valid from now for expires seconds, cut to max_expires (the
 * credentials' remaining lifetime: a URL outlives its session credentials by nothing; 0 for
 * credentials that do not expire, negative for expired ones, which sign nothing) and
 * to S3's 7 days, signed for loc's region (us-east-1 when it has none). *url is malloc'd;
 * 0, or -1 with err (nothing left to sign for, or the signer refused). The URL carries the
 * session token when there is one: it is a secret. */
struct sigv4_credentials;
int s3_presign_get(const struct s3_location *loc, const char *key, const char *version_id,
                   const struct sigv4_credentials *c, time_t now, long expires,
                   long max_expires, char **url, struct aws_error *err);

#endif
