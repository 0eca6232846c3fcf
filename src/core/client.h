/* client.h - sends AWS requests: endpoint, credentials, signing, the HTTP engine, retries.
 *
 * Single-threaded and non-blocking, for one event loop with one wait point: aws_client_send
 * only queues; aws_client_run waits on curl's sockets (plus the caller's fds) and runs the
 * callbacks of the requests that finished. */
#ifndef OPSDECK_CLIENT_H
#define OPSDECK_CLIENT_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/awserr.h"
#include "conf/awsconfig.h"
#include "creds/creds.h"
#include "core/request.h"

struct aws_client_opts {
    long connect_timeout_ms;   /* 0: 3000 */
    long timeout_ms;           /* one attempt, 0: 20000 */
    int max_attempts;          /* 0: 3, as the SDKs' standard retry mode */
    int max_in_flight;         /* requests on the wire at once, 0: 32; the rest wait queued */
    const char *ca_bundle;     /* NULL: AWS_CA_BUNDLE, else the system's */
};

struct aws_client_stats {
    unsigned long requests;    /* HTTP attempts sent, retries included */
    unsigned long retries;
    unsigned long failures;    /* requests that ended in an error */
    unsigned long long bytes_received;
};

struct aws_client;

/* cfg and cm are borrowed and must outlive the client. */
struct aws_client *aws_client_new(const struct aws_config *cfg, struct creds_manager *cm,
                                  const struct aws_client_opts *opts);
void aws_client_free(struct aws_client *c);   /* cancels what is pending, without callbacks */

/* resp: the successful (2xx) response, NULL on failure. err: NULL on success; else the
 * final error after retries, with service, action and endpoint filled in. Both are owned by
 * the client and valid only during the callback. */
typedef void (*aws_done_fn)(const struct aws_response *resp, const struct aws_error *err,
                            void *ud);

/* The write gate (src/act/gate.c) registers itself: a request marked mutating (request.h)
 * is queued only when check(ud, req) says the gate is passing that very request (req is the
 * caller's pointer, as given to aws_client_send). Without a gate, or when the check says
 * no, the request is refused before anything is resolved or signed, and its callback gets
 * AWS_ERR_REFUSED: no code can send a write by forgetting the gate. */
typedef bool (*aws_gate_check_fn)(void *ud, const struct aws_request *req);
void aws_client_set_gate(struct aws_client *c, aws_gate_check_fn check, void *ud);

/* Queues req; the client takes its contents (req is left empty and may be reused). The
 * callback is never run from inside aws_client_send. A mutating request is refused unless
 * the gate passes it (above). */
void aws_client_send(struct aws_client *c, struct aws_request *req, aws_done_fn cb, void *ud);

/* The wait point: waits up to timeout_ms for network activity or one of the extra fds, then
 * finishes transfers (retries after their backoff, callbacks). Returns the number of
 * requests still pending. The timeout is shortened to the next retry deadline. */
int aws_client_run(struct aws_client *c, struct curl_waitfd *extra, unsigned nextra,
                   int timeout_ms);
size_t aws_client_pending(const struct aws_client *c);
/* The timeout of one attempt, ms (for deadlines built on it, such as staleness). */
long aws_client_timeout_ms(const struct aws_client *c);
/* The endpoint requests for service go to, as configured (for messages); NULL when it
 * cannot be resolved. The caller frees. */
char *aws_client_endpoint(const struct aws_client *c, const char *service);
void aws_client_get_stats(const struct aws_client *c, struct aws_client_stats *out);

/* One line for a person: the cause and the fix, naming the profile, the endpoint and the
 * permission ("sqs:ListQueues"). Never contains a secret. */
void aws_error_describe(const struct aws_error *e, const char *profile, char *out, size_t outlen);

#endif
