/* client.c - one AWS request from queue to callback: endpoint, Host, credentials, SigV4
 * before every attempt, the HTTP engine, error parsing, the standard retry mode, clock-skew
 * correction and the ExpiredToken refresh; and the fds and timers the credential providers
 * watch on the same wait.
 *
 * A request whose credentials are being refreshed waits in OP_CREDS, its cred_waiter queued
 * in the source; the source wakes it when the refresh ends (ask again, or fail with the
 * refresh's error). It holds no transfer slot while it waits. */
#include "config.h"
#include "core/client.h"
#include "core/errparse.h"
#include "core/http.h"
#include "core/retry.h"
#include "util/sanitize.h"
#include "core/sigv4.h"
#include "core/sigv4a.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

enum op_state { OP_READY, OP_WIRE, OP_CREDS, OP_FINISHED };

struct op {
    struct op *prev, *next;
    struct aws_client *c;
    enum op_state state;
    char *service;             /* copies: req.service/action point here */
    char *action;
    struct aws_request req;
    char *base;                /* the endpoint as configured, for errors */
    const char *base_source;   /* which rule chose it ("default": the public endpoint) */
    char *url;
    aws_done_fn cb;
    void *ud;
    int attempts;
    int max_attempts;
    int last_cost;             /* quota taken by the latest retry, refunded on success */
    bool token_refreshed;
    bool skew_retried;
    long signed_skew;          /* the clock offset the latest attempt was signed with */
    bool creds_pending;        /* prepare found the credentials being refreshed */
    int creds_woken;           /* the waiter's answer: 1 ask again, -1 failed (in err) */
    struct cred_waiter waiter;
    unsigned long cred_gen;    /* the generation the latest attempt was signed with */
    unsigned long id;          /* aws_client_call's handle */
    struct aws_credentials *signer;  /* aws_client_call: these, not the source's */
    struct http_xfer_opts xopts;
    long long not_before_ms;   /* monotonic; when the next attempt may start */
    struct http_xfer *x;
    struct aws_error err;
    struct aws_response resp;
    bool ok;
};

struct watch {
    struct watch *next;
    unsigned long id;
    int fd;                    /* -1: a timer */
    long slot;                 /* where fd is in the current wait's array, -1: not in it */
    long long due_ms;          /* a timer's deadline (monotonic) */
    aws_watch_fn cb;           /* NULL: removed, freed after the dispatch that runs */
    void *ud;
};

struct aws_client {
    const struct aws_config *cfg;
    struct cred_source *src;
    struct http_engine *http;
    int max_attempts;
    long connect_timeout_ms;
    long timeout_ms;
    struct retry_quota quota;
    long skew;                 /* seconds to add to local time when signing */
    unsigned short rng[3];
    struct op *head, *tail;
    size_t nops;
    struct aws_client_stats stats;
    aws_gate_check_fn gate_check;  /* NULL: every mutating request is refused */
    void *gate_ud;
    unsigned long next_id;
    struct watch *watches;
    bool dispatching;          /* watch callbacks are running: removals are deferred */
    bool delivering;           /* request callbacks are running: cancels are deferred */
};

struct aws_client *aws_client_new(const struct aws_config *cfg, struct cred_source *src,
                                  const struct aws_client_opts *opts)
{
    struct aws_client *c = xcalloc(1, sizeof(*c));
    struct http_engine_opts ho = { 0 };
    struct timespec ts;

    c->cfg = cfg;
    c->src = src;
    c->max_attempts = opts && opts->max_attempts > 0 ? opts->max_attempts : RETRY_MAX_ATTEMPTS;
    c->connect_timeout_ms = opts && opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms : 3000;
    c->timeout_ms = opts && opts->timeout_ms > 0 ? opts->timeout_ms : 20000;
    ho.connect_timeout_ms = c->connect_timeout_ms;
    ho.timeout_ms = c->timeout_ms;
    ho.max_in_flight = opts ? opts->max_in_flight : 0;
    ho.ca_bundle = opts ? opts->ca_bundle : NULL;
    c->http = http_engine_new(&ho);
    retry_quota_init(&c->quota);
    /* jitter only needs to differ between processes, not to be unpredictable */
    clock_gettime(CLOCK_REALTIME, &ts);
    c->rng[0] = (unsigned short)ts.tv_nsec;
    c->rng[1] = (unsigned short)(ts.tv_nsec >> 16) ^ (unsigned short)getpid();
    c->rng[2] = (unsigned short)ts.tv_sec;
    return c;
}

static void op_unlink(struct aws_client *c, struct op *o)
{
    if (o->prev)
        o->prev->next = o->next;
    else
        c->head = o->next;
    if (o->next)
        o->next->prev = o->prev;
    else
        c->tail = o->prev;
    c->nops--;
}

static void op_free(struct op *o)
{
    aws_request_done(&o->req);
    if (o->xopts.secret && o->resp.body.data)
        explicit_bzero(o->resp.body.data, o->resp.body.len);
    aws_response_done(&o->resp);
    aws_credentials_free(o->signer);
    free(o->service);
    free(o->action);
    free(o->base);
    free(o->url);
    free(o);
}

void aws_client_free(struct aws_client *c)
{
    if (!c)
        return;
    /* the source first, while everything here still works: its refreshes cancel their own
     * calls and watches on this client */
    for (struct op *o = c->head; o; o = o->next)
        if (o->waiter.queue)
            c->src->cancel(c->src, &o->waiter);
    if (c->src)
        c->src->client_gone(c->src, c);
    while (c->watches) {
        struct watch *w = c->watches;
        c->watches = w->next;
        free(w);
    }
    while (c->head) {
        struct op *o = c->head;
        op_unlink(c, o);
        if (o->x)
            http_xfer_cancel(c->http, o->x);
        op_free(o);
    }
    http_engine_free(c->http);
    free(c);
}

static void op_finish(struct op *o)
{
    struct aws_client *c = o->c;

    o->state = OP_FINISHED;
    if (!o->ok) {
        c->stats.failures++;
        snprintf(o->err.service, sizeof(o->err.service), "%s", o->service);
        snprintf(o->err.action, sizeof(o->err.action), "%s", o->action ? o->action : "");
        /* kept as configured; aws_error_describe escapes it when shown */
        if (o->base)
            snprintf(o->err.endpoint, sizeof(o->err.endpoint), "%s", o->base);
    }
}

/* Splits the endpoint into what curl and the signer need: the Host header (port only when
 * not the scheme's default), and the URL with the endpoint's own path joined to req's. */
static int op_resolve(struct op *o, struct aws_error *err)
{
    const char *source = o->req.endpoint ? "the request" : NULL;
    char *base = o->req.endpoint ? xstrdup(o->req.endpoint)
                                 : aws_config_endpoint(o->c->cfg, o->service, &source, err);
    CURLU *u;
    char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL;
    int rc = -1;

    if (!base)
        return -1;
    o->base = base;
    o->base_source = source;
    u = curl_url();
    if (!u)
        fatal("out of memory");
    if (curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
        (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
        aws_error_set(err, AWS_ERR_CONFIG, "invalid endpoint URL for %s (from %s): %s",
                      o->service, source ? source : "config", base);
        goto out;
    }
    if (curl_url_get(u, CURLUPART_PORT, &port, CURLU_NO_DEFAULT_PORT) != CURLUE_OK)
        port = NULL;
    if (curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK)
        path = NULL;

    char *hostport = port ? xasprintf("%s:%s", host, port) : xstrdup(host);
    size_t plen = path ? strlen(path) : 0;
    while (plen > 0 && path[plen - 1] == '/')
        plen--;
    const char *rp = o->req.path && o->req.path[0] ? o->req.path : "/";
    char *joined = xasprintf("%.*s%s%s", (int)plen, path ? path : "", rp[0] == '/' ? "" : "/", rp);
    aws_request_set_path(&o->req, joined);
    aws_request_set_header(&o->req, "Host", hostport);
    o->url = xasprintf("%s://%s%s%s%s", scheme, hostport, joined, o->req.query[0] ? "?" : "",
                       o->req.query);
    free(joined);
    free(hostport);
    rc = 0;
out:
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_url_cleanup(u);
    return rc;
}

void aws_client_set_gate(struct aws_client *c, aws_gate_check_fn check, void *ud)
{
    c->gate_check = check;
    c->gate_ud = ud;
}

static void op_creds_wake(struct cred_waiter *w, const struct aws_error *err);

/* Every request, sent or called, passes the gate's check here. */
static struct op *op_queue(struct aws_client *c, struct aws_request *req, aws_done_fn cb,
                           void *ud)
{
    struct op *o = xcalloc(1, sizeof(*o));
    struct aws_error err;
    /* Fail closed: asked before the request is taken, with the caller's own pointer, so
     * the gate can tell the request it is passing from any other. */
    bool refused = req->mutating && !(c->gate_check && c->gate_check(c->gate_ud, req));

    o->c = c;
    o->id = ++c->next_id;
    o->max_attempts = c->max_attempts;
    o->waiter.wake = op_creds_wake;
    o->cb = cb;
    o->ud = ud;
    o->service = xstrdup(req->service ? req->service : "");
    o->action = xstrdup(req->action ? req->action : "");
    o->req = *req;
    o->req.service = o->service;
    o->req.action = o->action;
    memset(req, 0, sizeof(*req));
    buf_init(&req->body);
    aws_response_init(&o->resp);
    aws_error_clear(&o->err);
    aws_error_clear(&err);

    o->prev = c->tail;
    if (c->tail)
        c->tail->next = o;
    else
        c->head = o;
    c->tail = o;
    c->nops++;

    o->state = OP_READY;
    o->not_before_ms = timeutil_mono_ms();
    if (refused) {
        /* reported from aws_client_run like any failure; nothing was resolved or signed */
        aws_error_set(&o->err, AWS_ERR_REFUSED,
                      "refused: %s %s changes AWS and did not come through the write gate "
                      "(src/act/gate.h); nothing was sent",
                      o->service, o->action);
        op_finish(o);
    } else if (op_resolve(o, &err) != 0) {
        /* reported from aws_client_run: never call back from inside send */
        o->err = err;
        if (o->err.kind == AWS_ERR_NONE)
            o->err.kind = AWS_ERR_CONFIG;
        op_finish(o);
    }
    return o;
}

void aws_client_send(struct aws_client *c, struct aws_request *req, aws_done_fn cb, void *ud)
{
    op_queue(c, req, cb, ud);
}

unsigned long aws_client_call(struct aws_client *c, struct aws_request *req,
                              const struct aws_call_opts *opts, aws_done_fn cb, void *ud)
{
    struct op *o;

    if (!opts->signer)
        req->anonymous = true;
    o = op_queue(c, req, cb, ud);
    if (opts->signer)
        o->signer = aws_credentials_copy(opts->signer);
    if (opts->max_attempts > 0)
        o->max_attempts = opts->max_attempts;
    o->xopts.connect_timeout_ms = opts->connect_timeout_ms;
    o->xopts.timeout_ms = opts->timeout_ms;
    o->xopts.no_proxy = opts->no_proxy;
    o->xopts.secret = opts->secret;
    return o->id;
}

void aws_client_cancel(struct aws_client *c, unsigned long id)
{
    for (struct op *o = c->head; o; o = o->next) {
        if (o->id != id)
            continue;
        if (o->x)
            http_xfer_cancel(c->http, o->x);
        o->x = NULL;
        if (o->waiter.queue)
            c->src->cancel(c->src, &o->waiter);
        if (c->delivering) {
            /* deliver_finished holds a pointer to the next op: it frees this one */
            o->cb = NULL;
            o->state = OP_FINISHED;
            return;
        }
        op_unlink(c, o);
        op_free(o);
        return;
    }
}

/* The source's answer for a request that waited: ask again, or fail with its error. */
static void op_creds_settle(struct op *o)
{
    if (o->state != OP_CREDS || !o->creds_woken)
        return;
    if (o->creds_woken > 0) {
        o->state = OP_READY;
        o->not_before_ms = timeutil_mono_ms();
    } else {
        op_finish(o);
    }
    o->creds_woken = 0;
}

static void op_creds_wake(struct cred_waiter *w, const struct aws_error *err)
{
    struct op *o = (struct op *)(void *)((char *)w - offsetof(struct op, waiter));

    if (err) {
        o->err = *err;
        o->err.kind = AWS_ERR_CREDENTIALS;
        o->creds_woken = -1;
    } else {
        o->creds_woken = 1;
    }
    /* woken between prepare and the engine's report of it: settled there */
    op_creds_settle(o);
}

/* One more attempt on the wire, for aws_client_get_stats (the console's `:stats`). */
static void count_request(struct aws_client *c, const char *service)
{
    struct aws_client_stats *s = &c->stats;
    size_t i;

    s->requests++;
    for (i = 0; i < s->nservices; i++)
        if (strcmp(s->by_service[i].service, service) == 0)
            break;
    if (i == AWS_STATS_SERVICES) {
        i--;   /* the last slot becomes "other": every service beyond the table */
        snprintf(s->by_service[i].service, sizeof(s->by_service[i].service), "other");
    } else if (i == s->nservices) {
        s->nservices++;
        snprintf(s->by_service[i].service, sizeof(s->by_service[i].service), "%s", service);
    }
    s->by_service[i].requests++;
}

/* Signs right before the request goes on the wire: each attempt has fresh credentials and
 * a fresh (skew-corrected) date. */
static int op_prepare(struct aws_request *req, void *ud)
{
    struct op *o = ud;
    struct aws_client *c = o->c;
    const struct aws_credentials *cr = NULL;
    struct aws_error err;
    char errbuf[256] = "";

    aws_error_clear(&err);
    if (req->anonymous) {
        o->attempts++;
        count_request(c, o->service);
        return 0;
    }
    enum cred_status st = CRED_OK;
    if (o->signer)
        cr = o->signer;
    else if (!c->src)
        st = CRED_ERROR;
    else
        st = c->src->get(c->src, c, &o->waiter, &cr, &err);
    if (st == CRED_PENDING) {
        o->creds_pending = true;
        return -1;
    }
    if (st != CRED_OK || !cr) {
        o->err = err;
        o->err.kind = AWS_ERR_CREDENTIALS;
        if (!o->err.message[0])
            snprintf(o->err.message, sizeof(o->err.message), "no credentials");
        return -1;
    }
    struct sigv4_credentials sc = {
        .access_key_id = cr->access_key_id,
        .secret_access_key = cr->secret_access_key,
        .session_token = cr->session_token,
    };
    bool s3 = strcmp(o->service, "s3") == 0;
    struct sigv4_params p = {
        /* IAM's public endpoint is global; an emulator endpoint may come without a region */
        .region = req->region ? req->region
                              : aws_config_signing_region(c->cfg, o->service, o->base_source),
        .service = o->service,
        .when = aws_client_now(c),
        .s3_rules = s3 || req->s3_rules,
        .payload_hash = NULL,
        .content_sha256_header = s3,
    };
    if ((req->region_set ? sigv4a_sign(req, &sc, &p, req->region_set, NULL, errbuf,
                                       sizeof(errbuf))
                         : sigv4_sign(req, &sc, &p, NULL, errbuf, sizeof(errbuf))) != 0) {
        aws_error_set(&o->err, AWS_ERR_CONFIG, "cannot sign the request: %s", errbuf);
        return -1;
    }
    o->signed_skew = c->skew;
    o->cred_gen = cr->generation;
    o->attempts++;
    count_request(c, o->service);
    return 0;
}

static double rand01(struct aws_client *c)
{
    return erand48(c->rng);
}

static void op_retry_at(struct op *o, long delay_ms)
{
    o->state = OP_READY;
    o->not_before_ms = timeutil_mono_ms() + delay_ms;
    o->c->stats.retries++;
}

static void timeout_message(const struct op *o, struct aws_error *e, bool connected)
{
    const struct aws_client *c = o->c;
    long timeout_ms = o->xopts.timeout_ms > 0 ? o->xopts.timeout_ms : c->timeout_ms;
    long connect_ms = o->xopts.connect_timeout_ms > 0 ? o->xopts.connect_timeout_ms
                                                      : c->connect_timeout_ms;
    char curl_text[sizeof(e->message)];

    memcpy(curl_text, e->message, sizeof(curl_text));
    if (connected)
        snprintf(e->message, sizeof(e->message),
                 "no complete response within the %ld ms request timeout (%.600s)", timeout_ms,
                 curl_text);
    else
        snprintf(e->message, sizeof(e->message),
                 "could not connect within the %ld ms connect timeout (%.600s)",
                 connect_ms, curl_text);
}

static void op_http_done(struct http_result *res, void *ud)
{
    struct op *o = ud;
    struct aws_client *c = o->c;
    struct aws_error err;
    int cost = 0;

    o->x = NULL;
    aws_error_clear(&err);
    if (res->prepare_failed) {
        if (o->creds_pending) {
            /* not an attempt: queued in the source until the refresh ends */
            o->creds_pending = false;
            o->state = OP_CREDS;
            op_creds_settle(o);
            return;
        }
        op_finish(o);       /* o->err was set by op_prepare */
        return;
    }
    c->stats.bytes_received += res->resp.body.len + res->streamed;
    if (res->stream_stopped) {
        /* the sink's owner stopped it and knows why: never sent again */
        aws_error_set(&err, AWS_ERR_NETWORK, "the transfer was stopped by its reader");
        o->err = err;
        op_finish(o);
        return;
    }
    if (res->code != CURLE_OK) {
        if (res->body_too_large) {
            if (o->xopts.secret)
                aws_error_set(&err, AWS_ERR_PARSE, "the response is larger than %zu KiB",
                              HTTP_SECRET_MAX_BODY >> 10);
            else
                aws_error_set(&err, AWS_ERR_PARSE, "the response is larger than %zu MiB",
                              HTTP_DEFAULT_MAX_BODY >> 20);
            err.http_status = res->resp.status;
            o->err = err;
            op_finish(o);
            return;
        }
        errparse_curl(res->code, res->errtext, o->base, &err);
        if (err.kind == AWS_ERR_TIMEOUT)
            timeout_message(o, &err, res->connected);
    } else if (res->resp.status >= 200 && res->resp.status < 300) {
        retry_quota_success(&c->quota, o->last_cost);
        aws_response_done(&o->resp);
        o->resp = res->resp;            /* take it: the engine's copy is emptied */
        aws_response_init(&res->resp);
        o->ok = true;
        op_finish(o);
        return;
    } else {
        errparse_response(&res->resp, strcmp(o->req.method, "HEAD") == 0, &err);
        const char *date = aws_response_header(&res->resp, "Date");
        /* A corrected clock is kept for every later request of this client. Requests that
         * were signed with the old offset and come back rejected after another request
         * corrected it are signed again with the new one, once each. */
        bool corrected = retry_clock_skew(&err, date, time(NULL), &c->skew);
        bool outdated = err.kind == AWS_ERR_HTTP && retry_is_skew_code(err.code) &&
                        o->signed_skew != c->skew;
        if ((corrected || outdated) && !o->skew_retried) {
            o->skew_retried = true;
            op_retry_at(o, 0);
            return;
        }
        if (retry_is_expired_token_code(err.code) && !o->token_refreshed && !o->signer &&
            !o->req.anonymous && c->src && o->attempts < o->max_attempts) {
            o->token_refreshed = true;
            c->src->invalidate(c->src, o->cred_gen);
            op_retry_at(o, 0);
            return;
        }
    }
    enum retry_class cls = retry_classify(&err);
    if (cls != RETRY_NONE && o->attempts < o->max_attempts &&
        retry_quota_acquire(&c->quota, cls, &cost)) {
        o->last_cost = cost;
        op_retry_at(o, retry_delay_ms(o->attempts, rand01(c)));
        return;
    }
    o->err = err;
    op_finish(o);
}

static void start_due(struct aws_client *c)
{
    long long now = timeutil_mono_ms();

    for (struct op *o = c->head; o; o = o->next)
        if (o->state == OP_READY && o->not_before_ms <= now) {
            o->state = OP_WIRE;
            o->x = http_engine_submit(c->http, o->url, &o->req, op_prepare, op_http_done, o);
            http_xfer_set_opts(o->x, &o->xopts);
        }
}

static void deliver_finished(struct aws_client *c)
{
    struct op *o = c->head;

    c->delivering = true;
    while (o) {
        struct op *next = o->next;
        if (o->state == OP_FINISHED) {
            op_unlink(c, o);
            if (o->cb) {
                o->resp.service = o->service;
                o->resp.action = o->action;
                o->resp.endpoint = o->base;
                if (o->ok)
                    o->cb(&o->resp, NULL, o->ud);
                else
                    o->cb(NULL, &o->err, o->ud);
            }
            op_free(o);
        }
        o = next;
    }
    c->delivering = false;
}

/* ---- watched fds and timers ---------------------------------------------------------- */

static unsigned long watch_add(struct aws_client *c, int fd, long long due_ms, aws_watch_fn cb,
                               void *ud)
{
    struct watch *w = xcalloc(1, sizeof(*w)), **pp = &c->watches;

    w->id = ++c->next_id;
    w->fd = fd;
    w->slot = -1;
    w->due_ms = due_ms;
    w->cb = cb;
    w->ud = ud;
    while (*pp)   /* at the end: a watch added by a callback runs after the next wait */
        pp = &(*pp)->next;
    *pp = w;
    return w->id;
}

unsigned long aws_client_watch_fd(struct aws_client *c, int fd, aws_watch_fn cb, void *ud)
{
    return watch_add(c, fd, 0, cb, ud);
}

unsigned long aws_client_timer(struct aws_client *c, long ms, aws_watch_fn cb, void *ud)
{
    return watch_add(c, -1, timeutil_mono_ms() + (ms > 0 ? ms : 0), cb, ud);
}

static void watch_sweep(struct aws_client *c)
{
    for (struct watch **pp = &c->watches; *pp;) {
        struct watch *w = *pp;

        if (w->cb) {
            pp = &w->next;
            continue;
        }
        *pp = w->next;
        free(w);
    }
}

void aws_client_unwatch(struct aws_client *c, unsigned long id)
{
    for (struct watch *w = c->watches; w; w = w->next)
        if (w->id == id)
            w->cb = NULL;   /* freed by the sweep, never while a dispatch walks the list */
    if (!c->dispatching)
        watch_sweep(c);
}

/* Runs the watches whose fd was ready in the wait (wfd, where each was given its slot) and
 * the timers that are due. A watch added meanwhile has no slot: it waits for the next. */
static void watch_dispatch(struct aws_client *c, const struct curl_waitfd *wfd, size_t n)
{
    long long now = timeutil_mono_ms();
    struct watch *last = NULL;

    for (struct watch *w = c->watches; w; w = w->next)
        last = w;   /* what a callback adds now waits for the next round */
    c->dispatching = true;
    for (struct watch *w = c->watches; w; w = w->next) {
        bool run = false;

        if (w->fd >= 0) {
            if (w->slot >= 0 && (size_t)w->slot < n && wfd[w->slot].fd == w->fd)
                run = wfd[w->slot].revents != 0;
            w->slot = -1;
        } else if (w->cb && w->due_ms <= now) {
            run = true;
        }
        if (run && w->cb) {
            aws_watch_fn cb = w->cb;

            if (w->fd < 0)
                w->cb = NULL;   /* a timer runs once */
            cb(w->ud);
        }
        if (w == last)
            break;
    }
    c->dispatching = false;
    watch_sweep(c);
}

int aws_client_run(struct aws_client *c, struct curl_waitfd *extra, unsigned nextra,
                   int timeout_ms)
{
    long long now, wait = timeout_ms < 0 ? 0 : timeout_ms;
    struct curl_waitfd *wfd = extra;
    size_t nw = 0, nall = nextra;

    start_due(c);
    now = timeutil_mono_ms();
    for (struct op *o = c->head; o; o = o->next) {
        if (o->state == OP_FINISHED)
            wait = 0;
        else if (o->state == OP_READY && o->not_before_ms - now < wait)
            wait = o->not_before_ms > now ? o->not_before_ms - now : 0;
    }
    for (struct watch *w = c->watches; w; w = w->next) {
        if (w->fd >= 0)
            nw++;
        else if (w->due_ms - now < wait)
            wait = w->due_ms > now ? w->due_ms - now : 0;
    }
    if (nw) {
        /* the caller's fds first, so their revents land where the caller looks */
        nall = nextra + nw;
        wfd = xcalloc(nall, sizeof(*wfd));
        for (unsigned i = 0; i < nextra; i++)
            wfd[i] = extra[i];
        nw = 0;
        for (struct watch *w = c->watches; w; w = w->next) {
            if (w->fd < 0)
                continue;
            w->slot = (long)nw;
            wfd[nextra + nw++] = (struct curl_waitfd){.fd = w->fd, .events = CURL_WAIT_POLLIN};
        }
    }
    http_engine_wait(c->http, wfd, (unsigned)nall, (int)wait);
    if (wfd != extra) {
        for (unsigned i = 0; i < nextra; i++)
            extra[i].revents = wfd[i].revents;
    }
    start_due(c);
    deliver_finished(c);
    if (c->watches)
        watch_dispatch(c, wfd + nextra, nall - nextra);
    if (wfd != extra)
        free(wfd);
    start_due(c);
    return (int)c->nops;
}

size_t aws_client_pending(const struct aws_client *c)
{
    return c->nops;
}

long aws_client_timeout_ms(const struct aws_client *c)
{
    return c->timeout_ms;
}

time_t aws_client_now(const struct aws_client *c)
{
    return time(NULL) + c->skew;
}

char *aws_client_endpoint(const struct aws_client *c, const char *service)
{
    struct aws_error err;

    aws_error_clear(&err);
    return aws_config_endpoint(c->cfg, service, NULL, &err);
}

const struct aws_config *aws_client_config(const struct aws_client *c)
{
    return c->cfg;
}

enum cred_status aws_client_credentials(struct aws_client *c, const struct aws_credentials **out,
                                        struct aws_error *err)
{
    *out = NULL;
    if (!c->src) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "no credentials");
        return CRED_ERROR;
    }
    return c->src->get(c->src, c, NULL, out, err);
}

void aws_client_get_stats(const struct aws_client *c, struct aws_client_stats *out)
{
    *out = c->stats;
}

/* --- aws_error_describe ------------------------------------------------------------ */

static bool code_in(const char *code, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(code, list[i]) == 0)
            return true;
    return false;
}

static const char *const denied_codes[] = {
    "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError",
    "Forbidden", "UnauthorizedAccess", "AllAccessDisabled", NULL,
};
static const char *const rejected_codes[] = {
    "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch",
    "InvalidSignatureException", "IncompleteSignature", "IncompleteSignatureException",
    "AuthFailure", "InvalidAccessKeyId", "MissingAuthenticationToken", "InvalidToken", NULL,
};
static const char *const expired_codes[] = {
    "ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired", NULL,
};
static const char *const notfound_codes[] = {
    "NotFound", "NoSuchKey", "NoSuchBucket", "AWS.SimpleQueueService.NonExistentQueue",
    "QueueDoesNotExist", "ResourceNotFoundException", "NoSuchEntity", "ParameterNotFound",
    NULL,
};

/* The IAM action a request needs: "sqs:ListQueues". S3 and CloudWatch name theirs
 * differently from the API. */
static void iam_permission(const struct aws_error *e, char *out, size_t outlen)
{
    static const struct { const char *api, *iam; } s3_actions[] = {
        { "ListBuckets", "ListAllMyBuckets" }, { "ListObjectsV2", "ListBucket" },
        { "ListObjects", "ListBucket" }, { "HeadBucket", "ListBucket" },
        { "HeadObject", "GetObject" }, { "GetBucketLocation", "GetBucketLocation" },
    };
    const char *svc = e->service, *act = e->action;

    if (strcmp(svc, "monitoring") == 0)
        svc = "cloudwatch";
    else if (strcmp(svc, "portal.sso") == 0)
        svc = "sso";
    if (strcmp(svc, "s3") == 0)
        for (size_t i = 0; i < sizeof(s3_actions) / sizeof(s3_actions[0]); i++)
            if (strcmp(act, s3_actions[i].api) == 0)
                act = s3_actions[i].iam;
    snprintf(out, outlen, "%s:%s", svc[0] ? svc : "?", act[0] ? act : "?");
}

static char *sanitize_str(const char *s)
{
    return sanitize_text(s, strlen(s));
}

/* Copies line into out, cut to outlen on a UTF-8 boundary (our em dashes included). */
static void copy_bounded(char *out, size_t outlen, const char *line)
{
    size_t n = strlen(line);

    if (n >= outlen) {
        n = outlen - 1;
        while (n > 0 && ((unsigned char)line[n] & 0xc0) == 0x80)
            n--;
    }
    memcpy(out, line, n);
    out[n] = '\0';
}

/* The sentence for a failed HTTP call; code is the raw code (for matching), scode the same
 * code escaped for display. */
static char *describe_http(const struct aws_error *e, const char *code, const char *scode,
                           const char *what, const char *msg, const char *perm)
{
    if (code_in(code, denied_codes) || (e->http_status == 403 && !code_in(code, rejected_codes) &&
                                        !code_in(code, expired_codes)))
        return xasprintf("access denied: %s: %s: %s — grant %s to this identity", what, scode,
                         msg, perm);
    if (code_in(code, expired_codes))
        return xasprintf("credentials expired: %s: %s: %s — refresh the credentials "
                         "(aws sso login, or a new session)", what, scode, msg);
    if (code_in(code, rejected_codes))
        return xasprintf("credentials rejected: %s: %s: %s — check the access key, the "
                         "secret and the clock of this machine", what, scode, msg);
    if (retry_is_throttle_code(code))
        return xasprintf("throttled: %s: %s: %s — poll less often or ask for a higher "
                         "limit", what, scode, msg);
    if (code_in(code, notfound_codes) || e->http_status == 404)
        return xasprintf("not found: %s: %s: %s — check the name, the region and the "
                         "account", what, scode, msg);
    if (e->http_status >= 500)
        return xasprintf("service error: %s: %s: %s — AWS had a problem; try again later",
                         what, scode, msg);
    /* any other refusal (ValidationError, InvalidParameterValue, a redirect): what the
     * request carried, or where it went, is what to check */
    return xasprintf("request failed: %s: %s: %s — check the names and values sent, the "
                     "region and the endpoint", what, scode, msg);
}

void aws_error_describe(const struct aws_error *e, const char *profile, char *out, size_t outlen)
{
    char perm[sizeof(e->service) + sizeof(e->action) + 2];
    char *code, *msg, *endpoint, *prof, *what, *line = NULL;
    bool known = e->service[0] && e->action[0];

    if (!out || outlen == 0)
        return;
    /* everything that may come from AWS or a config file is untrusted text: escaped here,
     * where it is shown, so an ESC or a bidi override is visible (\x1B, \u{202E}) */
    code = sanitize_str(e->code);
    msg = sanitize_str(e->message);
    endpoint = sanitize_str(e->endpoint[0] ? e->endpoint : "an unknown endpoint");
    iam_permission(e, perm, sizeof(perm));
    if (profile && *profile) {
        char *p = sanitize_str(profile);
        prof = xasprintf(" (profile %s)", p);
        free(p);
    } else {
        prof = xstrdup("");
    }
    /* "sqs:ListQueues at URL (profile p)"; a call we cannot name is not shown as "?:?" */
    what = known ? xasprintf("%s at %s%s", perm, endpoint, prof)
                 : xasprintf("%s%s", endpoint, prof);

    switch (e->kind) {
    case AWS_ERR_NONE:
        line = xstrdup("no error");
        break;
    case AWS_ERR_CREDENTIALS:
    case AWS_ERR_CONFIG:
    case AWS_ERR_READ_ONLY:
    case AWS_ERR_REFUSED:
        /* these messages are ours and already say what to do */
        line = xstrdup(msg);
        break;
    case AWS_ERR_NETWORK:
        line = xasprintf("cannot reach %s%s%s%s: %s — check AWS_ENDPOINT_URL/endpoint_url, "
                         "proxy settings and the network", endpoint, known ? " for " : "",
                         known ? perm : "", prof, msg);
        break;
    case AWS_ERR_TIMEOUT:
        line = xasprintf("timed out: %s: %s — the endpoint or a proxy is slow or "
                         "unreachable; check the network", what, msg);
        break;
    case AWS_ERR_PARSE:
        line = xasprintf("unexpected answer: %s: %s — the endpoint does not answer as AWS "
                         "does; check AWS_ENDPOINT_URL/endpoint_url and any proxy in between",
                         what, msg);
        break;
    case AWS_ERR_HTTP:
        line = describe_http(e, e->code, code, what, msg, perm);
        break;
    }
    copy_bounded(out, outlen, line ? line : "");
    free(line);
    free(what);
    free(prof);
    free(endpoint);
    free(msg);
    free(code);
}
