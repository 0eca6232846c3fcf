/* request.h - one AWS HTTP request and its response, as plain data.
 *
 * Service clients (src/aws/) fill a request relative to the service's endpoint; the client
 * layer (client.c) resolves the endpoint, adds Host, signs (sigv4.c) and hands it to the
 * HTTP engine (http.c). Nothing here touches the network. */
#ifndef OPSDECK_REQUEST_H
#define OPSDECK_REQUEST_H

#include <stdbool.h>
#include <stddef.h>

#include "util/buf.h"

struct kv {
    char *name;
    char *value;
};

struct aws_response;

/* Where a streamed answer's body goes instead of memory (a download): the 16 MiB answer cap
 * does not apply to it. Only a successful (2xx) answer streams; an error answer is read
 * into memory and parsed as any other. Every hook runs from inside aws_client_run. */
struct aws_stream {
    /* The status and headers of a 2xx answer arrived, once per attempt (a retry calls it
     * again: the sink goes back to where the request started). 0 to take the body, -1 to
     * stop the transfer. May be NULL. */
    int (*begin)(void *ud, const struct aws_response *head);
    /* A piece of the body, in order: 0, or -1 to stop the transfer (a write error). */
    int (*write)(void *ud, const char *data, size_t len);
    /* Asked while the transfer runs, also when no byte arrives: true stops it (a cancel).
     * May be NULL. */
    bool (*stopped)(void *ud);
    /* The request is done with the sink (its last attempt ended, or it was dropped): the
     * owner may free ud now. May be NULL. */
    void (*release)(void *ud);
    void *ud;
};

struct aws_request {
    const char *service;  /* endpoint id / signing name: "sqs", "sns", "s3", "sts", "monitoring" */
    const char *action;   /* what it does, for errors and audit: "ListQueues" */
    char *method;         /* "GET", "POST", ... */
    char *path;           /* as sent on the wire: percent-encoded, starts with '/' */
    char *query;          /* as sent on the wire, without '?'; "" when none */
    struct kv *headers;   /* in insertion order; names may repeat */
    size_t nheaders;
    struct buf body;
    bool s3_rules;        /* S3 signing: path signed as sent, x-amz-content-sha256 */
    bool anonymous;       /* sent unsigned: the SSO portal and SSO-OIDC take bearer tokens */
    char *endpoint;       /* NULL: the config's endpoint for service; else this base URL */
    char *region;         /* NULL: the config's region; else sign for this one */
    char *region_set;     /* set: sign with SigV4A for this region set ("*": an S3
                           * multi-region access point), not SigV4 for region */
    /* Changes something in AWS (a ReceiveMessage counts: it moves visibility and receive
     * counts). Set only by the request's constructor in src/aws/, never by a caller, so
     * whether an action writes is decided in one place per action. The client refuses to
     * send a mutating request that the write gate (src/act/) did not pass. */
    bool mutating;
    /* Set: the answer's body streams to this sink (borrowed until its release hook runs,
     * which aws_request_done calls); the transfer then has no overall time limit, only a
     * stall limit (no byte for the client's timeout). NULL: read into body. */
    const struct aws_stream *stream;
};

struct aws_response {
    long status;          /* HTTP status; 0 when no response was received */
    struct kv *headers;   /* names as received */
    size_t nheaders;
    struct buf body;
    /* What was called, set by the client for the callback (borrowed, NULL elsewhere), so
     * an error found while reading the answer names the call and the endpoint like any
     * other error (proto_error_response, aws_error_context). */
    const char *service;
    const char *action;
    const char *endpoint;
};

void aws_request_init(struct aws_request *r, const char *service, const char *action,
                      const char *method);
void aws_request_done(struct aws_request *r);
/* aws_request_init for an action that changes something in AWS: sets r->mutating. Every
 * constructor of a mutating action uses this one, so a test can list them. */
void aws_request_init_mutating(struct aws_request *r, const char *service, const char *action,
                               const char *method);
/* Appends a header (duplicates allowed, as HTTP allows). */
void aws_request_add_header(struct aws_request *r, const char *name, const char *value);
/* Replaces every header of that name (case-insensitive) by one with this value. */
void aws_request_set_header(struct aws_request *r, const char *name, const char *value);
void aws_request_del_header(struct aws_request *r, const char *name);
/* The first header of that name (case-insensitive), or NULL. */
const char *aws_request_header(const struct aws_request *r, const char *name);
void aws_request_set_path(struct aws_request *r, const char *encoded_path);
/* Appends name=value to the query, each URI-encoded as SigV4 wants (RFC 3986 unreserved kept). */
void aws_request_add_query(struct aws_request *r, const char *name, const char *value);

void aws_response_init(struct aws_response *r);
void aws_response_done(struct aws_response *r);
void aws_response_add_header(struct aws_response *r, const char *name, const char *value);
const char *aws_response_header(const struct aws_response *r, const char *name);

/* Percent-encodes everything but A-Z a-z 0-9 - . _ ~ (and '/' unless encode_slash).
 * Uppercase hex, as SigV4 requires. The caller frees. */
char *uri_encode(const char *s, size_t len, bool encode_slash);
/* Decodes %XX (and nothing else; '+' stays '+'). Invalid escapes are kept as they are. */
char *uri_decode(const char *s, size_t len);

void kv_free_array(struct kv *a, size_t n);
/* The value of the first pair named name (case-sensitive), or NULL. */
const char *kv_get(const struct kv *a, size_t n, const char *name);

#endif
