/* proto.c - AWS wire-protocol helpers: JSON 1.0/1.1, query, REST paths, strict scalars. */
#include "config.h"
#include "core/proto.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- JSON ---- */

void proto_json_request(struct aws_request *r, const char *target_prefix, const char *action,
                        const char *json_version, cJSON *body)
{
    char *ct = xasprintf("application/x-amz-json-%s", json_version);
    char *target = xasprintf("%s.%s", target_prefix, action);
    char *text = body ? cJSON_PrintUnformatted(body) : NULL;

    free(r->method);
    r->method = xstrdup("POST");
    aws_request_set_path(r, "/");
    aws_request_set_header(r, "Content-Type", ct);
    aws_request_set_header(r, "X-Amz-Target", target);
    buf_reset(&r->body);
    buf_puts(&r->body, text ? text : "{}");
    if (body && !text)
        fatal("out of memory printing a JSON request");
    free(text);
    cJSON_Delete(body);
    free(ct);
    free(target);
}

void proto_json_wipe(cJSON *n)
{
    for (; n; n = n->next) {
        if (n->valuestring)
            explicit_bzero(n->valuestring, strlen(n->valuestring));
        if (n->string)
            explicit_bzero(n->string, strlen(n->string));
        proto_json_wipe(n->child);
    }
}

void proto_json_request_secret(struct aws_request *r, const char *target_prefix,
                               const char *action, const char *json_version, cJSON *body)
{
    char *text = body ? cJSON_PrintUnformatted(body) : NULL;

    if (body && !text)
        fatal("out of memory printing a JSON request");
    /* the same request, from the printed text, so the tree can be wiped here */
    proto_json_request(r, target_prefix, action, json_version, NULL);
    buf_reset(&r->body);
    buf_puts(&r->body, text ? text : "{}");
    if (text)
        xfree_secret(text);
    proto_json_wipe(body);
    cJSON_Delete(body);
}

cJSON *proto_json_parse(const char *data, size_t len, struct aws_error *err)
{
    const char *end = NULL;
    cJSON *root;

    if (!data || len == 0) {
        aws_error_set(err, AWS_ERR_PARSE, "empty response body (expected a JSON object)");
        return NULL;
    }
    /* cJSON_ParseWithLengthOpts never reads past len, so a body without a NUL is safe. */
    root = cJSON_ParseWithLengthOpts(data, len, &end, false);
    if (!root) {
        size_t off = end && end >= data ? (size_t)(end - data) : 0;
        aws_error_set(err, AWS_ERR_PARSE, "response is not valid JSON (error near byte %zu of %zu)",
                      off, len);
        return NULL;
    }
    /* cJSON stops after the first value; a body with more after it is not one document. */
    for (size_t off = (size_t)(end - data); off < len; off++) {
        if (!isspace((unsigned char)data[off]) && data[off] != '\0') {
            cJSON_Delete(root);
            aws_error_set(err, AWS_ERR_PARSE, "response has data after the JSON value (byte %zu)",
                          off);
            return NULL;
        }
    }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        aws_error_set(err, AWS_ERR_PARSE, "response is JSON but not an object");
        return NULL;
    }
    return root;
}

/* Looks the member up case-sensitively: AWS member names are exact, and "QueueUrls" vs
 * "queueUrls" being confused would hide a real protocol mismatch. */
static const cJSON *json_member(const cJSON *obj, const char *key)
{
    const cJSON *v;

    if (!obj || !cJSON_IsObject(obj))
        return NULL;
    v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v || cJSON_IsNull(v))
        return NULL;
    return v;
}

static const char *json_type_name(const cJSON *v)
{
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsNumber(v)) return "a number";
    if (cJSON_IsBool(v)) return "a boolean";
    if (cJSON_IsArray(v)) return "an array";
    if (cJSON_IsObject(v)) return "an object";
    return "of an unknown type";
}

static int json_wrong(const cJSON *v, const char *key, const char *want, struct aws_error *err)
{
    aws_error_set(err, AWS_ERR_PARSE, "'%s' is %s, expected %s", key, json_type_name(v), want);
    return -1;
}

int proto_check_len(const char *what, size_t len, size_t max, struct aws_error *err)
{
    if (len <= max)
        return 0;
    if (err)
        aws_error_set(err, AWS_ERR_PARSE, "%.64s is %zu bytes, past the %zu AWS allows; the "
                      "value was refused", what, len, max);
    return -1;
}

void proto_skips_add(struct proto_skips *s, const struct aws_error *why)
{
    if (s->n++ == 0)
        snprintf(s->first, sizeof(s->first), "%.300s", why ? why->message : "");
}

int proto_skips_finish(const struct proto_skips *s, const char *item, const char *items,
                       const struct aws_response *resp, const char *context,
                       struct aws_error *err)
{
    if (s->n == 0)
        return 0;
    aws_error_set(err, AWS_ERR_PARSE, "%zu %s skipped (%s); the other items were kept", s->n,
                  s->n == 1 ? item : items, s->first);
    snprintf(err->code, sizeof(err->code), "%s", PROTO_ITEM_SKIPPED);
    proto_error_response(err, resp, context);
    return 1;
}

size_t proto_utf8_chars(const char *s, size_t len)
{
    size_t n = 0;

    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xc0) != 0x80;
    return n;
}

int proto_json_string(const cJSON *obj, const char *key, const char **out, struct aws_error *err)
{
    const cJSON *v = json_member(obj, key);

    if (!v)
        return 0;
    if (!cJSON_IsString(v) || !v->valuestring)
        return json_wrong(v, key, "a string", err);
    if (proto_check_len(key, strlen(v->valuestring), PROTO_MAX_TEXT, err) < 0)
        return -1;
    *out = v->valuestring;
    return 1;
}

int proto_json_int64(const cJSON *obj, const char *key, int64_t min, int64_t max, int64_t *out,
                     struct aws_error *err)
{
    const cJSON *v = json_member(obj, key);
    double d;

    if (!v)
        return 0;
    if (!cJSON_IsNumber(v))
        return json_wrong(v, key, "an integer", err);
    d = v->valuedouble;
    /* Compare as doubles before casting: casting an out-of-range double to int64_t is UB.
     * 9.2e18 is the largest double safely below 2^63. */
    if (!isfinite(d) || d != floor(d) || d < -9.2e18 || d > 9.2e18 || d < (double)min ||
        d > (double)max) {
        aws_error_set(err, AWS_ERR_PARSE, "'%s' is %g, expected an integer in [%lld, %lld]", key,
                      d, (long long)min, (long long)max);
        return -1;
    }
    *out = (int64_t)d;
    if (*out < min || *out > max) {
        aws_error_set(err, AWS_ERR_PARSE, "'%s' is out of range", key);
        return -1;
    }
    return 1;
}

int proto_json_double(const cJSON *obj, const char *key, double *out, struct aws_error *err)
{
    const cJSON *v = json_member(obj, key);

    if (!v)
        return 0;
    if (!cJSON_IsNumber(v))
        return json_wrong(v, key, "a number", err);
    if (!isfinite(v->valuedouble)) {
        aws_error_set(err, AWS_ERR_PARSE, "'%s' is not a finite number", key);
        return -1;
    }
    *out = v->valuedouble;
    return 1;
}

int proto_json_bool(const cJSON *obj, const char *key, bool *out, struct aws_error *err)
{
    const cJSON *v = json_member(obj, key);

    if (!v)
        return 0;
    if (!cJSON_IsBool(v))
        return json_wrong(v, key, "a boolean", err);
    *out = cJSON_IsTrue(v);
    return 1;
}

int proto_json_array(const cJSON *obj, const char *key, const cJSON **out, struct aws_error *err)
{
    const cJSON *v = json_member(obj, key);

    if (!v)
        return 0;
    if (!cJSON_IsArray(v))
        return json_wrong(v, key, "an array", err);
    *out = v;
    return 1;
}

int proto_json_object(const cJSON *obj, const char *key, const cJSON **out,
                      struct aws_error *err)
{
    const cJSON *v = json_member(obj, key);

    if (!v)
        return 0;
    if (!cJSON_IsObject(v))
        return json_wrong(v, key, "an object", err);
    *out = v;
    return 1;
}

/* ---- Query protocol ---- */

static void query_append(struct buf *b, const char *name, const char *value)
{
    char *n = uri_encode(name, strlen(name), true);
    char *v = uri_encode(value ? value : "", value ? strlen(value) : 0, true);

    if (b->len)
        buf_putc(b, '&');
    buf_puts(b, n);
    buf_putc(b, '=');
    buf_puts(b, v);
    free(n);
    free(v);
}

void proto_query_request(struct aws_request *r, const char *action, const char *api_version, ...)
{
    va_list ap;
    const char *name;

    free(r->method);
    r->method = xstrdup("POST");
    aws_request_set_path(r, "/");
    aws_request_set_header(r, "Content-Type",
                           "application/x-www-form-urlencoded; charset=utf-8");
    buf_reset(&r->body);
    query_append(&r->body, "Action", action);
    query_append(&r->body, "Version", api_version);
    va_start(ap, api_version);
    while ((name = va_arg(ap, const char *)) != NULL) {
        const char *value = va_arg(ap, const char *);
        query_append(&r->body, name, value);
    }
    va_end(ap);
}

void proto_query_add(struct aws_request *r, const char *name, const char *value)
{
    query_append(&r->body, name, value);
}

void proto_query_addf(struct aws_request *r, const char *value, const char *name_fmt, ...)
{
    va_list ap;
    char name[256];
    int n;

    /* member names are short ("MetricDataQueries.member.500.MetricStat.Metric.Dimensions.
     * member.30.Value" is 70 bytes); a longer one is a programming error */
    va_start(ap, name_fmt);
    n = vsnprintf(name, sizeof(name), name_fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(name))
        fatal("query parameter name too long: %s", name_fmt);
    query_append(&r->body, name, value);
}

/* ---- REST ---- */

void proto_rest_request(struct aws_request *r, const char *method, const char *encoded_path)
{
    free(r->method);
    r->method = xstrdup(method);
    aws_request_set_path(r, encoded_path);
}

char *proto_uri_segment(const char *s)
{
    return uri_encode(s, strlen(s), true);
}

char *proto_uri_key(const char *s)
{
    return uri_encode(s, strlen(s), false);
}

/* ---- Scalars ---- */

int proto_parse_count_attr(const char *name, const char *v, int64_t *out, struct aws_error *err)
{
    *out = -1;
    if (!v)
        return 0;
    if (proto_parse_int64(v, 0, INT64_MAX, out) < 0) {
        *out = -1;
        aws_error_set(err, AWS_ERR_PARSE, "attribute %s is not a non-negative integer: '%.40s'",
                      name, v);
        return -1;
    }
    return 0;
}

int proto_parse_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
    const char *p = s;
    bool neg = false;
    uint64_t acc = 0;
    /* magnitude limit: 2^63 for negatives, 2^63-1 for positives */
    uint64_t limit;

    if (!s || !*s)
        return -1;
    if (*p == '-') {
        neg = true;
        p++;
    }
    if (!*p)
        return -1;
    limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; *p; p++) {
        unsigned d;
        if (*p < '0' || *p > '9')
            return -1;
        d = (unsigned)(*p - '0');
        if (acc > (limit - d) / 10)
            return -1;
        acc = acc * 10 + d;
    }
    {
        int64_t v;
        if (neg)
            v = acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)acc;
        else
            v = (int64_t)acc;
        if (v < min || v > max)
            return -1;
        *out = v;
    }
    return 0;
}

int proto_parse_double(const char *s, double *out)
{
    char *end;
    double d;

    if (!s || !*s || isspace((unsigned char)*s))
        return -1;
    errno = 0;
    d = strtod(s, &end);
    /* strtod accepts "inf", "nan" and hex floats; AWS sends none of these */
    if (*end || errno == ERANGE || !isfinite(d) || strpbrk(s, "xXnN"))
        return -1;
    *out = d;
    return 0;
}

int proto_parse_bool(const char *s, bool *out)
{
    if (!s)
        return -1;
    if (strcmp(s, "true") == 0)
        *out = true;
    else if (strcmp(s, "false") == 0)
        *out = false;
    else
        return -1;
    return 0;
}

void proto_error_prefix(struct aws_error *err, const char *context)
{
    size_t cap = sizeof(err->message);
    size_t clen = strlen(context), mlen = strnlen(err->message, cap - 1);

    /* "<context>: <message>", truncated at the end if it does not fit */
    if (clen + 2 >= cap)
        clen = cap - 3;
    if (clen + 2 + mlen >= cap)
        mlen = cap - 1 - clen - 2;
    memmove(err->message + clen + 2, err->message, mlen);
    memcpy(err->message, context, clen);
    err->message[clen] = ':';
    err->message[clen + 1] = ' ';
    err->message[clen + 2 + mlen] = '\0';
    err->kind = AWS_ERR_PARSE;
}

void proto_error_response(struct aws_error *err, const struct aws_response *resp,
                          const char *context)
{
    proto_error_prefix(err, context);
    aws_error_from_response(err, resp);
}

/* ---- JSON conveniences ---- */

int proto_json_strdup(const cJSON *obj, const char *key, char **out, struct aws_error *err)
{
    const char *v = NULL;
    int rc = proto_json_string(obj, key, &v, err);

    *out = rc == 1 ? xstrdup(v) : NULL;
    return rc;
}

int proto_json_required(const cJSON *obj, const char *key, char **out, struct aws_error *err)
{
    int rc = proto_json_strdup(obj, key, out, err);

    if (rc < 0)
        return -1;
    if (rc == 0 || !**out) {
        free(*out);
        *out = NULL;
        aws_error_set(err, AWS_ERR_PARSE, "no %s", key);
        return -1;
    }
    return 0;
}

int proto_json_string_list(const cJSON *obj, const char *key, char ***out, size_t *n,
                           struct aws_error *err)
{
    const cJSON *arr = NULL, *it;
    size_t i = 0;
    int rc = proto_json_array(obj, key, &arr, err);

    *out = NULL;
    *n = 0;
    if (rc != 1)
        return rc;
    *out = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof(char *));
    cJSON_ArrayForEach(it, arr) {
        if (!cJSON_IsString(it) || !it->valuestring) {
            aws_error_set(err, AWS_ERR_PARSE, "'%s' item %zu is not a string", key, i);
            proto_strings_free(*out, *n);
            *out = NULL;
            *n = 0;
            return -1;
        }
        (*out)[(*n)++] = xstrdup(it->valuestring);
        i++;
    }
    return 1;
}

int proto_json_string_map(const cJSON *obj, const char *key, struct kv **out, size_t *n,
                          struct aws_error *err)
{
    const cJSON *map = NULL, *it;
    int rc = proto_json_object(obj, key, &map, err);

    *out = NULL;
    *n = 0;
    if (rc != 1)
        return rc;
    *out = xcalloc((size_t)cJSON_GetArraySize(map) + 1, sizeof(struct kv));
    cJSON_ArrayForEach(it, map) {
        if (!cJSON_IsString(it) || !it->valuestring || !it->string) {
            aws_error_set(err, AWS_ERR_PARSE, "'%s' member %.64s is not a string", key,
                          it->string ? it->string : "?");
            kv_free_array(*out, *n);
            *out = NULL;
            *n = 0;
            return -1;
        }
        (*out)[*n].name = xstrdup(it->string);
        (*out)[*n].value = xstrdup(it->valuestring);
        (*n)++;
    }
    return 1;
}

int proto_json_items(const cJSON *obj, const char *key, size_t size, proto_json_item_fn fn,
                     const char *what, void *itemsp, size_t *n, struct aws_error *err)
{
    const cJSON *arr = NULL, *it;
    char *items, ctx[64];

    if (proto_json_array(obj, key, &arr, err) < 0)
        return -1;
    if (!arr)
        return 0;
    items = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, size);
    /* copied, not assigned through a void **: the caller's pointer has its own type */
    memcpy(itemsp, &items, sizeof(items));
    *n = 0;
    cJSON_ArrayForEach(it, arr) {
        void *out = items + *n * size;
        (*n)++;
        if (!cJSON_IsObject(it)) {
            aws_error_set(err, AWS_ERR_PARSE, "not an object");
        } else if (fn(it, out, err) == 0) {
            continue;
        }
        snprintf(ctx, sizeof(ctx), "%s %zu", what, *n);
        proto_error_prefix(err, ctx);
        return -1;
    }
    return 0;
}

int proto_json_epoch(const cJSON *obj, const char *key, int64_t *out, struct aws_error *err)
{
    double d = 0;
    int rc = proto_json_double(obj, key, &d, err);

    *out = -1;
    if (rc != 1)
        return rc;
    /* 253402300799 is 9999-12-31T23:59:59Z: further is no date AWS sends */
    if (d < 0 || d > 253402300799.0) {
        aws_error_set(err, AWS_ERR_PARSE, "'%s' is %g, not a timestamp", key, d);
        return -1;
    }
    *out = (int64_t)d;
    return 1;
}

int proto_json_bool_or_string(const cJSON *obj, const char *key, bool *out,
                              struct aws_error *err)
{
    const cJSON *v = json_member(obj, key);

    if (v && cJSON_IsString(v)) {
        if (proto_parse_bool(v->valuestring, out) < 0) {
            aws_error_set(err, AWS_ERR_PARSE, "'%s' is \"%.20s\", expected true or false", key,
                          v->valuestring);
            return -1;
        }
        return 1;
    }
    return proto_json_bool(obj, key, out, err);
}

int proto_json_next_token(const cJSON *obj, const char *key, char **out,
                          struct aws_error *err)
{
    int rc = proto_json_strdup(obj, key, out, err);

    if (rc == 1 && !**out) {
        free(*out);
        *out = NULL;
        return 0;
    }
    return rc;
}

/* ---- Base64 ---- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *proto_base64_encode(const void *data, size_t len)
{
    const unsigned char *p = data;
    char *out = xmalloc((len + 2) / 3 * 4 + 1);
    size_t o = 0, i;

    for (i = 0; i + 2 < len; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
        out[o++] = b64[v >> 18];
        out[o++] = b64[(v >> 12) & 63];
        out[o++] = b64[(v >> 6) & 63];
        out[o++] = b64[v & 63];
    }
    if (i < len) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < len ? (unsigned)p[i + 1] << 8 : 0);
        out[o++] = b64[v >> 18];
        out[o++] = b64[(v >> 12) & 63];
        out[o++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
        out[o++] = '=';
    }
    out[o] = '\0';
    return out;
}

static int b64_value(char c)
{
    const char *p = c ? strchr(b64, c) : NULL;

    return p ? (int)(p - b64) : -1;
}

int proto_base64_decode(const char *text, unsigned char **out, size_t *len)
{
    size_t n = strlen(text), o = 0, q = 0;
    unsigned char *buf = xmalloc(n / 4 * 3 + 4);
    int quad[4];
    bool ended = false;

    *out = NULL;
    *len = 0;
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        if (c == '\n' || c == '\r')
            continue;
        if (ended)
            goto bad;        /* data after the padding */
        if (c == '=') {
            /* padding only in the last two places of a quad */
            if (q < 2)
                goto bad;
            quad[q++] = -2;
            if (q == 3) {
                /* "x x = =": the fourth must be '=' too */
                while (++i < n && (text[i] == '\n' || text[i] == '\r'))
                    ;
                if (i >= n || text[i] != '=')
                    goto bad;
                quad[q++] = -2;
            }
        } else if ((quad[q++] = b64_value(c)) < 0) {
            goto bad;
        }
        if (q == 4) {
            unsigned v = (unsigned)quad[0] << 18 | (unsigned)quad[1] << 12 |
                         (unsigned)(quad[2] < 0 ? 0 : quad[2]) << 6 |
                         (unsigned)(quad[3] < 0 ? 0 : quad[3]);
            buf[o++] = (unsigned char)(v >> 16);
            if (quad[2] >= 0)
                buf[o++] = (unsigned char)(v >> 8);
            if (quad[3] >= 0)
                buf[o++] = (unsigned char)v;
            ended = quad[3] < 0;
            q = 0;
        }
    }
    if (q != 0)
        goto bad;
    buf[o] = '\0';
    *out = buf;
    *len = o;
    return 0;
bad:
    free(buf);
    return -1;
}

/* ---- Lists ---- */

void proto_strings_free(char **a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(a[i]);
    free(a);
}

void *proto_grow(void *p, size_t n, size_t size)
{
    if ((n & (n - 1)) == 0)
        return xrealloc(p, (n ? n * 2 : 1) * size);
    return p;
}
