/* client.h - sends AWS requests: endpoint, credentials, signing, the HTTP engine, retries.
 *
 * Single-threaded and non-blocking, for one event loop with one wait point: aws_client_send
 * only queues; aws_client_run waits on curl's sockets (plus the caller's fds, and the fds
 * and timers watched with aws_client_watch_fd/aws_client_timer) and runs the callbacks of
 * the requests that finished. Credentials come from a struct cred_source (credsrc.h); a
 * request whose credentials are being refreshed waits, queued, without holding anything
 * else up. */
#ifndef OPSDECK_CLIENT_H
#define OPSDECK_CLIENT_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/awserr.h"
#include "conf/awsconfig.h"
#include "core/credsrc.h"
#include "core/request.h"

struct aws_client_opts {
    long connect_timeout_ms;   /* 0: 3000 */
    long timeout_ms;           /* one attempt, 0: 20000 */
    int max_attempts;          /* 0: 3, as the SDKs' standard retry mode */
    int max_in_flight;         /* requests on the wire at once, 0: 32; the rest wait queued */
    const char *ca_bundle;     /* NULL: AWS_CA_BUNDLE, else the system's */
};

/* Services counted one by one in aws_client_stats; any further one is counted as "other". */
#define AWS_STATS_SERVICES 12

struct aws_client_stats {
    unsigned long requests;    /* HTTP attempts sent, retries included */
    /* the same, by signing name ("sqs", "monitoring"), in the order first used */
    struct {
        char service[24];
        unsigned long requests;
    } by_service[AWS_STATS_SERVICES];
    size_t nservices;
    unsigned long retries;
    unsigned long failures;    /* requests that ended in an error */
    unsigned long long bytes_received;
};

struct aws_client;

/* cfg and src are borrowed and must outlive the client. */
struct aws_client *aws_client_new(const struct aws_config *cfg, struct cred_source *src,
                                  const struct aws_client_opts *opts);
/* Cancels what is pending, without callbacks; tells the source (client_gone) first. */
void aws_client_free(struct aws_client *c);

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

/* How one call made for a credential provider differs from aws_client_send's. */
struct aws_call_opts {
    const struct aws_credentials *signer;  /* copied; NULL: unsigned (req->anonymous) */
    long connect_timeout_ms;   /* 0: the client's */
    long timeout_ms;           /* 0: the client's */
    int max_attempts;          /* 0: the client's */
    bool no_proxy;             /* never through a proxy (link-local metadata services) */
    bool secret;               /* the answer carries secrets (http_xfer_opts.secret); it is
                                  also wiped after the callback */
};
/* Queues req like aws_client_send, signed with o->signer instead of the source's
 * credentials (so a refresh never waits on itself). Returns an id for aws_client_cancel
 * (never 0). Non-2xx answers are errors with http_status set, as for aws_client_send. */
unsigned long aws_client_call(struct aws_client *c, struct aws_request *req,
                              const struct aws_call_opts *o, aws_done_fn cb, void *ud);
/* Drops the call with that id without its callback; nothing when it already ended. */
void aws_client_cancel(struct aws_client *c, unsigned long id);

/* Watches for the owner of a child process or a timeout: cb(ud) runs from aws_client_run,
 * after its wait, never from inside these calls. */
typedef void (*aws_watch_fn)(void *ud);
/* cb runs after every wait in which fd is readable or hung up, until unwatched. */
unsigned long aws_client_watch_fd(struct aws_client *c, int fd, aws_watch_fn cb, void *ud);
/* cb runs once, after the first wait that ends ms milliseconds from now or later. */
unsigned long aws_client_timer(struct aws_client *c, long ms, aws_watch_fn cb, void *ud);
/* Removes a watch or a timer (nothing when it already ran or is unknown). */
void aws_client_unwatch(struct aws_client *c, unsigned long id);

/* The wait point: waits up to timeout_ms for network activity, one of the extra fds or a
 * watched fd, then finishes transfers (retries after their backoff, callbacks) and runs the
 * watches that are due. Returns the number of requests still pending (those waiting for
 * credentials count). The timeout is shortened to the next retry deadline or timer. */
int aws_client_run(struct aws_client *c, struct curl_waitfd *extra, unsigned nextra,
                   int timeout_ms);
size_t aws_client_pending(const struct aws_client *c);
/* The timeout of one attempt, ms (for deadlines built on it, such as staleness). */
long aws_client_timeout_ms(const struct aws_client *c);
/* The time requests are signed with: local time plus the offset learnt from an answer that
 * said the clock is skewed (a presigned URL is signed with it too, or AWS refuses it). */
time_t aws_client_now(const struct aws_client *c);
/* The endpoint requests for service go to, as configured (for messages); NULL when it
 * cannot be resolved. The caller frees. */
char *aws_client_endpoint(const struct aws_client *c, const char *service);
/* The configuration the client resolves endpoints from (borrowed): what a caller building
 * its own endpoint needs (an S3 bucket in another region). */
const struct aws_config *aws_client_config(const struct aws_client *c);
void aws_client_get_stats(const struct aws_client *c, struct aws_client_stats *out);
/* The credentials requests are signed with now, for signing without sending (a presigned
 * URL). CRED_PENDING: a refresh was started (or runs) on c; ask again once it ended.
 * CRED_OK: *out is borrowed until the next request or get. */
enum cred_status aws_client_credentials(struct aws_client *c, const struct aws_credentials **out,
                                        struct aws_error *err);

/* One line for a person: the cause and the fix, naming the profile, the endpoint and the
 * permission ("sqs:ListQueues"). Never contains a secret. */
void aws_error_describe(const struct aws_error *e, const char *profile, char *out, size_t outlen);

#endif
