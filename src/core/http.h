/* http.h - the HTTP engine: curl's multi interface for one single-threaded event loop.
 *
 * One CURLM for the process (so connections to the same host are reused across requests),
 * easy handles pooled and reused, a cap on transfers in flight with the rest queued FIFO,
 * TLS verification always on, proxies from the environment (libcurl reads http_proxy,
 * https_proxy and no_proxy itself; nothing here overrides that). The engine knows nothing
 * of AWS: client.c signs and interprets. */
#ifndef OPSDECK_HTTP_H
#define OPSDECK_HTTP_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/request.h"

/* The largest answer taken: the biggest real ones (1000 S3 keys, 500 CloudWatch series, ten
 * 256 KiB messages) are a few MiB; past this an endpoint is sending something else. A
 * streamed answer (request.h aws_stream: a download) goes to its sink and has no cap. */
#define HTTP_DEFAULT_MAX_BODY ((size_t)16 * 1024 * 1024)
/* The largest answer of a transfer marked secret (credentials are a few KiB). */
#define HTTP_SECRET_MAX_BODY ((size_t)64 * 1024)

struct http_engine_opts {
    long connect_timeout_ms;   /* 0: 3000 */
    long timeout_ms;           /* whole transfer, 0: 20000 */
    int max_in_flight;         /* 0: 32 */
    const char *ca_bundle;     /* NULL: the AWS_CA_BUNDLE variable, else the system's */
    size_t max_body;           /* 0: HTTP_DEFAULT_MAX_BODY */
};

/* What a finished transfer produced. */
struct http_result {
    CURLcode code;             /* CURLE_OK when a complete response was received */
    char errtext[CURL_ERROR_SIZE + 64];  /* curl's error text when code != CURLE_OK, with
                                            the system's reason ("Connection refused") */
    bool body_too_large;       /* the body passed max_body; code is CURLE_WRITE_ERROR */
    bool connected;            /* a connection was made (tells connect from read timeouts) */
    bool prepare_failed;       /* the prepare hook refused: nothing was sent */
    bool stream_stopped;       /* the request's stream sink stopped it (request.h) */
    unsigned long long streamed;  /* body bytes handed to the stream sink */
    struct aws_response resp;  /* status, headers, body; the callback may take its contents */
};

struct http_engine;
struct http_xfer;

/* Runs right before a queued transfer goes on the wire (so a signature is as fresh as
 * possible): may modify *req (sign it). Returns 0, or -1 to fail it with prepare_failed. */
typedef int (*http_prepare_fn)(struct aws_request *req, void *ud);
/* Runs once per transfer, from inside http_engine_wait, unless cancelled. */
typedef void (*http_done_fn)(struct http_result *res, void *ud);

struct http_engine *http_engine_new(const struct http_engine_opts *opts);
/* Cancels every transfer without callbacks. */
void http_engine_free(struct http_engine *e);

/* Queues a request to url (scheme://host[:port]/path?query, as it goes on the wire). req
 * is borrowed: it must stay alive and unchanged (other than by prepare) until done or
 * cancel. Headers are sent exactly as in req (a Host header overrides curl's). */
struct http_xfer *http_engine_submit(struct http_engine *e, const char *url,
                                     struct aws_request *req, http_prepare_fn prepare,
                                     http_done_fn done, void *ud);
/* What one transfer does differently from the engine's defaults. */
struct http_xfer_opts {
    long connect_timeout_ms;   /* 0: the engine's */
    long timeout_ms;           /* 0: the engine's */
    bool no_proxy;             /* never through a proxy (link-local metadata services) */
    bool secret;               /* the answer carries secrets: at most HTTP_SECRET_MAX_BODY,
                                  kept in one buffer that is never reallocated (no copies
                                  left in freed memory) and wiped when the engine frees it */
};
/* Set right after http_engine_submit, before the next wait starts the transfer. */
void http_xfer_set_opts(struct http_xfer *x, const struct http_xfer_opts *o);

/* Stops a transfer (queued or in flight) without calling its callbacks. */
void http_xfer_cancel(struct http_engine *e, struct http_xfer *x);

/* Starts queued transfers, waits up to timeout_ms (0: do not wait) for network activity or
 * the extra fds (their revents are set), then finishes what completed and runs callbacks.
 * Returns the number of transfers still queued or in flight. */
int http_engine_wait(struct http_engine *e, struct curl_waitfd *extra, unsigned nextra,
                     int timeout_ms);
size_t http_engine_pending(const struct http_engine *e);
/* Connections opened so far (for tests and stats: reuse keeps this low). */
unsigned long http_engine_connections(const struct http_engine *e);

#endif
