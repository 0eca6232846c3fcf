/* s3.h - Amazon S3 over REST-XML, path-style (/bucket/key), which every endpoint and
 * emulator accepts. Pure. Conventions (request init, parse errors, _free, numbers): see sqs.h.
 *
 * Exported API (summary):
 *   void s3_list_buckets_request(r);
 *   int  s3_list_buckets_parse(resp, &s3_bucket_list, err);
 *   void s3_list_objects_v2_request(r, &s3_list_objects_params);
 *   int  s3_list_objects_v2_parse(resp, &s3_object_list, err);
 *   void s3_bucket_list_free(&l); void s3_object_list_free(&l);
 *
 * ListObjectsV2 is always sent with encoding-type=url, and the parser decodes Key, Prefix,
 * Delimiter, StartAfter and CommonPrefixes/Prefix, so keys with control characters, spaces,
 * UTF-8, '+', '%' and '&' arrive exactly as stored. Keys are untrusted text: sanitise before
 * drawing. */
#ifndef OPSDECK_AWS_S3_H
#define OPSDECK_AWS_S3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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

struct s3_list_objects_params {
    const char *bucket;               /* required */
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

#endif
