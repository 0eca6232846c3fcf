/* request.c - building AWS requests and holding responses. */
#include "config.h"
#include "core/request.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void kv_free_array(struct kv *a, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(a[i].name);
        /* header values include Authorization and X-Amz-Security-Token */
        xfree_secret(a[i].value);
    }
    free(a);
}

const char *kv_get(const struct kv *a, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(a[i].name, name) == 0)
            return a[i].value;
    return NULL;
}

void aws_request_init(struct aws_request *r, const char *service, const char *action,
                      const char *method)
{
    memset(r, 0, sizeof(*r));
    r->service = service;
    r->action = action;
    r->method = xstrdup(method);
    r->path = xstrdup("/");
    r->query = xstrdup("");
    buf_init(&r->body);
}

void aws_request_init_mutating(struct aws_request *r, const char *service, const char *action,
                               const char *method)
{
    aws_request_init(r, service, action, method);
    r->mutating = true;
}

void aws_request_done(struct aws_request *r)
{
    const struct aws_stream *st = r->stream;

    free(r->method);
    free(r->path);
    free(r->query);
    free(r->endpoint);
    free(r->region);
    free(r->region_set);
    kv_free_array(r->headers, r->nheaders);
    if (r->body.data)
        explicit_bzero(r->body.data, r->body.len);
    buf_done(&r->body);
    memset(r, 0, sizeof(*r));
    if (st && st->release)
        st->release(st->ud);   /* last: it may free the sink */
}

static void kv_push(struct kv **a, size_t *n, const char *name, const char *value)
{
    *a = xrealloc(*a, (*n + 1) * sizeof(**a));
    (*a)[*n].name = xstrdup(name);
    (*a)[*n].value = xstrdup(value);
    (*n)++;
}

void aws_request_add_header(struct aws_request *r, const char *name, const char *value)
{
    kv_push(&r->headers, &r->nheaders, name, value);
}

void aws_request_del_header(struct aws_request *r, const char *name)
{
    size_t j = 0;

    for (size_t i = 0; i < r->nheaders; i++) {
        if (strcasecmp(r->headers[i].name, name) == 0) {
            free(r->headers[i].name);
            xfree_secret(r->headers[i].value);
            continue;
        }
        r->headers[j++] = r->headers[i];
    }
    r->nheaders = j;
}

void aws_request_set_header(struct aws_request *r, const char *name, const char *value)
{
    aws_request_del_header(r, name);
    aws_request_add_header(r, name, value);
}

const char *aws_request_header(const struct aws_request *r, const char *name)
{
    for (size_t i = 0; i < r->nheaders; i++)
        if (strcasecmp(r->headers[i].name, name) == 0)
            return r->headers[i].value;
    return NULL;
}

void aws_request_set_path(struct aws_request *r, const char *encoded_path)
{
    free(r->path);
    r->path = xstrdup(encoded_path);
}

void aws_request_add_query(struct aws_request *r, const char *name, const char *value)
{
    char *n = uri_encode(name, strlen(name), true);
    char *v = uri_encode(value ? value : "", value ? strlen(value) : 0, true);
    char *q = xasprintf("%s%s%s=%s", r->query, r->query[0] ? "&" : "", n, v);

    free(n);
    free(v);
    free(r->query);
    r->query = q;
}

void aws_response_init(struct aws_response *r)
{
    memset(r, 0, sizeof(*r));
    buf_init(&r->body);
}

void aws_response_done(struct aws_response *r)
{
    kv_free_array(r->headers, r->nheaders);
    /* an answer may hold a decrypted SecureString or a session token */
    if (r->body.data)
        explicit_bzero(r->body.data, r->body.len);
    buf_done(&r->body);
    memset(r, 0, sizeof(*r));
}

void aws_response_add_header(struct aws_response *r, const char *name, const char *value)
{
    kv_push(&r->headers, &r->nheaders, name, value);
}

const char *aws_response_header(const struct aws_response *r, const char *name)
{
    for (size_t i = 0; i < r->nheaders; i++)
        if (strcasecmp(r->headers[i].name, name) == 0)
            return r->headers[i].value;
    return NULL;
}

char *uri_encode(const char *s, size_t len, bool encode_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = xmalloc(len * 3 + 1);
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || (c == '/' && !encode_slash)) {
            out[o++] = (char)c;
        } else {
            out[o++] = '%';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    out[o] = '\0';
    return out;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *uri_decode(const char *s, size_t len)
{
    char *out = xmalloc(len + 1);
    size_t o = 0;

    for (size_t i = 0; i < len; i++) {
        int h, l;
        if (s[i] == '%' && i + 2 < len && (h = hexval(s[i + 1])) >= 0 && (l = hexval(s[i + 2])) >= 0) {
            out[o++] = (char)(h * 16 + l);
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return out;
}
