/* proto.h - AWS wire-protocol helpers shared by the service clients in src/aws/.
 *
 * Exported API (summary):
 *   JSON 1.0/1.1 (SQS, Secrets Manager, SSM, EventBridge):
 *     void  proto_json_request(r, target_prefix, action, json_version, body);
 *     void  proto_json_request_secret(...);   same, wiping the body's text (SecureString)
 *     void  proto_json_wipe(root);            wipes a parsed answer's strings
 *     cJSON *proto_json_parse(resp_body, len, err);         root object or NULL + error
 *     int   proto_json_string(obj, key, &const char*, err); 1 found, 0 absent/null, -1 wrong type
 *     int   proto_json_int64(obj, key, min, max, &int64_t, err);
 *     int   proto_json_double(obj, key, &double, err);
 *     int   proto_json_bool(obj, key, &bool, err);
 *     int   proto_json_array(obj, key, &const cJSON*, err);
 *     int   proto_json_object(obj, key, &const cJSON*, err);
 *     int   proto_json_strdup(obj, key, &char*, err);         copies; NULL when absent
 *     int   proto_json_required(obj, key, &char*, err);       copies; 0, or -1 "no Key"
 *     int   proto_json_string_list(obj, key, &char**, &n, err);
 *     int   proto_json_string_map(obj, key, &struct kv*, &n, err);
 *     int   proto_json_epoch(obj, key, &int64_t, err);         JSON 1.1 timestamp, -1 absent
 *     int   proto_json_bool_or_string(obj, key, &bool, err);   true or "true"
 *     int   proto_json_next_token(obj, key, &char*, err);      NULL when absent/null/""
 *     int   proto_json_items(obj, key, size, fn, what, &items, &n, err);  list of objects
 *   Query protocol (SNS, STS, IAM, CloudWatch):
 *     void  proto_query_request(r, action, api_version, name, value, ..., NULL);
 *     void  proto_query_add(r, name, value);
 *     void  proto_query_addf(r, value, name_fmt, ...);       "Attribute.Name.%zu"
 *   REST (S3, Lambda):
 *     void  proto_rest_request(r, method, encoded_path);
 *     char *proto_uri_segment(s);                             encodes '/' too (bucket, id)
 *     char *proto_uri_key(s);                                 keeps '/' (S3 key)
 *   Scalars from AWS text (strict, range-checked):
 *     int   proto_parse_int64(s, min, max, &int64_t);         0 ok, -1 not a number / out of range
 *     int   proto_parse_double(s, &double);
 *     int   proto_parse_bool(s, &bool);                       "true"/"false" only
 *   (ISO-8601 and HTTP dates: util/timeutil.h)
 *   Base64 (binary message attributes, the IAM credential report):
 *     char *proto_base64_encode(data, len);
 *     int   proto_base64_decode(text, &unsigned char*, &len);  strict; -1 malformed
 *   Lists:
 *     void *proto_grow(p, n, size);                            room for item n (doubling)
 *     void  proto_strings_free(a, n);
 *   Errors:
 *     void  proto_error_prefix(err, "SQS ListQueues");        prepends context, kind PARSE
 *
 * Requests: r must have been aws_request_init()ed (service, action); these set method, path,
 * headers and body. Getters never abort: a type mismatch is an error, not a crash, because
 * everything in a response is untrusted. */
#ifndef OPSDECK_PROTO_H
#define OPSDECK_PROTO_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/awserr.h"
#include "core/request.h"

/* ---- field limits ---- */

/* The largest values AWS itself allows, with room to spare: a value past its cap is not a
 * real one (a broken or hostile endpoint), and is refused as an error for that item rather
 * than carried through the store, the views and the JSON output. */
#define PROTO_MAX_NAME 256               /* queue, topic, bucket names (AWS: 80 / 256 / 63) */
#define PROTO_MAX_QUEUE_NAME 80          /* an SQS queue name, in characters (AWS: 80) */
#define PROTO_MAX_ARN 2048               /* ARNs (AWS: 2048) */
#define PROTO_MAX_URL 2048               /* queue URLs, subscription endpoints */
#define PROTO_MAX_S3_KEY 1024            /* S3 object keys (AWS: 1024 bytes of UTF-8) */
#define PROTO_MAX_TAG_KEY 128            /* tag keys (AWS: 128) */
#define PROTO_MAX_TAG_VALUE 256          /* tag values (AWS: 256) */
#define PROTO_MAX_ATTRIBUTE (256 * 1024) /* one attribute value: policies, message bodies */
#define PROTO_MAX_TEXT (1024 * 1024)     /* any other string (every getter checks this) */

/* 0 when len <= max; else -1 with err: "<what> is N bytes, past the M AWS allows". */
int proto_check_len(const char *what, size_t len, size_t max, struct aws_error *err);

/* ---- items refused one by one ---- */

/* A list answer with one bad item (past a cap, of the wrong type) loses that item, not the
 * whole list: a 5 MB queue URL must not hide the account's other queues. The parser notes
 * each refused item with proto_skips_add and keeps the rest; at the end proto_skips_finish
 * turns the notes into one error for the call, and the parser returns 1 instead of 0:
 *
 *     SQS ListQueues: 1 queue URL skipped (a queue URL is 5242903 bytes, past the 2048
 *     AWS allows); the other items were kept
 *
 * (kind AWS_ERR_PARSE, code PROTO_ITEM_SKIPPED, service, action and endpoint from resp).
 * A source reports it with source_error and writes the list it got. */
#define PROTO_ITEM_SKIPPED "ItemSkipped"
struct proto_skips {
    size_t n;                  /* items refused */
    char first[320];           /* why the first one was */
};
/* why: the error that refused the item (its message is kept for the first one). */
void proto_skips_add(struct proto_skips *s, const struct aws_error *why);
/* 0 when nothing was skipped (err untouched); else 1 with err set as above. item and items
 * name one and several ("queue URL", "queue URLs"). */
int proto_skips_finish(const struct proto_skips *s, const char *item, const char *items,
                       const struct aws_response *resp, const char *context,
                       struct aws_error *err);
/* Characters (UTF-8 code points, a stray byte counting as one) in s[0..len). */
size_t proto_utf8_chars(const char *s, size_t len);

/* ---- AWS JSON 1.0 / 1.1 ---- */

/* POST /, Content-Type application/x-amz-json-<json_version>, X-Amz-Target
 * <target_prefix>.<action>, body = body printed unformatted ("{}" when NULL). body is consumed
 * (deleted) in every case. */
void proto_json_request(struct aws_request *r, const char *target_prefix, const char *action,
                        const char *json_version, cJSON *body);

/* proto_json_request for a body that holds a secret (a SecureString value): the printed
 * text and every string of body are wiped before they are freed. */
void proto_json_request_secret(struct aws_request *r, const char *target_prefix,
                               const char *action, const char *json_version, cJSON *body);
/* Wipes every string (values and member names) in the tree, for a parsed answer that held
 * secrets, before cJSON_Delete frees it. */
void proto_json_wipe(cJSON *root);

/* Parses a response body that must be a JSON object. Returns the root (free with
 * cJSON_Delete) or NULL with err (AWS_ERR_PARSE) set: empty body, not JSON, not an object. */
cJSON *proto_json_parse(const char *data, size_t len, struct aws_error *err);

/* Typed getters on a member of obj. They return 1 when the member exists with the right type
 * (and range), 0 when it is absent or JSON null (out untouched), and -1 with err set
 * ("'Key' is not a string") when it has the wrong type or is out of range. Returned pointers
 * borrow from obj. */
/* proto_json_string refuses strings longer than PROTO_MAX_TEXT (-1). */
int proto_json_string(const cJSON *obj, const char *key, const char **out, struct aws_error *err);
/* Integral JSON numbers in [min, max] only: 1.5, 1e300, NaN, -1 with min 0 are errors. */
int proto_json_int64(const cJSON *obj, const char *key, int64_t min, int64_t max, int64_t *out,
                     struct aws_error *err);
int proto_json_double(const cJSON *obj, const char *key, double *out, struct aws_error *err);
int proto_json_bool(const cJSON *obj, const char *key, bool *out, struct aws_error *err);
int proto_json_array(const cJSON *obj, const char *key, const cJSON **out, struct aws_error *err);
int proto_json_object(const cJSON *obj, const char *key, const cJSON **out,
                      struct aws_error *err);
/* A string member copied (malloc'd): 1, 0 (absent or null: *out = NULL), -1 wrong type
 * (*out = NULL). */
int proto_json_strdup(const cJSON *obj, const char *key, char **out, struct aws_error *err);
/* A string member that must be there and not be empty, copied: 0, or -1 with err ("no
 * Key", or the type error) and *out NULL. */
int proto_json_required(const cJSON *obj, const char *key, char **out, struct aws_error *err);
/* An array of strings, copied: 1, 0 (absent: *out NULL, *n 0), -1 when it is not an array
 * or an item is not a string (nothing left allocated). */
int proto_json_string_list(const cJSON *obj, const char *key, char ***out, size_t *n,
                           struct aws_error *err);
/* An object whose every value is a string (map<string,string>), copied in response order:
 * 1, 0 (absent), -1 when a value is not a string (nothing left allocated). */
int proto_json_string_map(const cJSON *obj, const char *key, struct kv **out, size_t *n,
                          struct aws_error *err);
/* Parses each item of the array member key of obj with fn into a new array of zeroed items
 * of size bytes; itemsp is the address of the caller's array pointer (a struct x **), and
 * *n counts the items (both untouched when the member is absent). An item that is not an
 * object, or that fn refuses, fails the whole list with err prefixed "<what> N" (1-based);
 * the failing item is counted in *n, so the caller's free releases what fn left in it.
 * 0 or -1. */
typedef int (*proto_json_item_fn)(const cJSON *item, void *out, struct aws_error *err);
int proto_json_items(const cJSON *obj, const char *key, size_t size, proto_json_item_fn fn,
                     const char *what, void *itemsp, size_t *n, struct aws_error *err);
/* A JSON 1.1 / REST-JSON timestamp: epoch seconds as a number, possibly fractional
 * (1796291994.513); the fraction is dropped. *out = -1 when absent; negative, NaN or past
 * year 9999 is an error. */
int proto_json_epoch(const cJSON *obj, const char *key, int64_t *out, struct aws_error *err);
/* A boolean that AWS sends as true/false, and moto sometimes as "true"/"false". */
int proto_json_bool_or_string(const cJSON *obj, const char *key, bool *out,
                              struct aws_error *err);
/* A paging token: copied when it is a non-empty string; absent, null and "" (the last
 * page) all give NULL. A token of another type is an error. */
int proto_json_next_token(const cJSON *obj, const char *key, char **out,
                          struct aws_error *err);

/* ---- Query protocol (form-encoded POST, XML response) ---- */

/* POST /, Content-Type application/x-www-form-urlencoded; charset=utf-8, body
 * Action=<action>&Version=<api_version> followed by the (name, value) pairs given, the list
 * ended by NULL. Every name and value is RFC 3986 encoded (space is %20, not '+'). */
void proto_query_request(struct aws_request *r, const char *action, const char *api_version, ...)
    __attribute__((sentinel));
/* Appends &name=value to the body. value NULL is sent as "". */
void proto_query_add(struct aws_request *r, const char *name, const char *value);
/* Same with a printf-formatted name, for list members: ("x", "Attribute.Name.%zu", i). */
void proto_query_addf(struct aws_request *r, const char *value, const char *name_fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- REST-XML / REST-JSON ---- */

/* Sets method and path (already encoded, from proto_uri_*). Query parameters are added with
 * aws_request_add_query() (request.h). */
void proto_rest_request(struct aws_request *r, const char *method, const char *encoded_path);
/* One path segment: everything but A-Z a-z 0-9 - . _ ~ is percent-encoded, '/' included. */
char *proto_uri_segment(const char *s);
/* An S3 object key: like proto_uri_segment but '/' is kept, so "a b/é+%" becomes
 * "a%20b/%C3%A9%2B%25". The caller frees. */
char *proto_uri_key(const char *s);

/* ---- Scalars in AWS text ---- */

/* Whole string must be an optionally signed decimal integer within [min, max]; no spaces,
 * no "+", no hex, no trailing junk. 0 on success, -1 otherwise (out untouched). */
int proto_parse_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/* A counter attribute (SQS, SNS: "ApproximateNumberOfMessages", "SubscriptionsPending"):
 * value v of attribute name, a non-negative integer string. NULL (absent) leaves *out = -1
 * (unknown) and is not an error; anything else unparsable sets a PARSE error naming the
 * attribute and returns -1 with *out = -1. */
int proto_parse_count_attr(const char *name, const char *v, int64_t *out, struct aws_error *err);
/* A finite decimal number ("1", "-2.5", "1e3"); NaN/inf and junk are errors. */
int proto_parse_double(const char *s, double *out);
int proto_parse_bool(const char *s, bool *out);

/* ---- Base64 (RFC 4648, standard alphabet, padded) ---- */

/* The caller frees. */
char *proto_base64_encode(const void *data, size_t len);
/* Decodes text (line breaks are skipped; anything else outside the alphabet, bad padding or
 * a length that is not a multiple of 4 is an error). 0 with *out malloc'd (NUL-terminated
 * for convenience, *len not counting it), or -1 with *out NULL. */
int proto_base64_decode(const char *text, unsigned char **out, size_t *len);

/* ---- Lists ---- */

/* Frees n strings and the array that holds them. */
void proto_strings_free(char **a, size_t n);
/* Makes room for item n of an array of items of this size that holds n items, doubling
 * (so thousands of members stay linear). Returns the (maybe moved) array. */
void *proto_grow(void *p, size_t n, size_t size);

/* Turns err into AWS_ERR_PARSE and prepends "<context>: " to its message, so parse errors
 * read "SQS GetQueueAttributes: attribute ApproximateNumberOfMessages is not a number". */
void proto_error_prefix(struct aws_error *err, const char *context);
/* proto_error_prefix, then the call's service, action and endpoint from resp: what every
 * response parser does when it fails, so the line says which call had the bad answer. */
void proto_error_response(struct aws_error *err, const struct aws_response *resp,
                          const char *context);

#endif
