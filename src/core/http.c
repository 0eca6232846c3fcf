/* http.c - the HTTP engine on curl's multi interface. */
#include "config.h"
#include "core/http.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum xfer_state { XFER_QUEUED, XFER_ACTIVE, XFER_DONE };

struct http_xfer {
    struct http_xfer *prev, *next;
    enum xfer_state state;
    CURL *easy;
    char *url;
    struct aws_request *req;
    http_prepare_fn prepare;
    http_done_fn done;
    void *ud;
    struct curl_slist *hdrs;
    size_t max_body;
    struct http_xfer_opts opts;
    struct http_result res;
    bool stream_began;           /* a 2xx answer's body goes to req->stream */
};

struct xfer_list {
    struct http_xfer *head, *tail;
    size_t n;
};

struct http_engine {
    CURLM *multi;
    long connect_timeout_ms;
    long timeout_ms;
    int max_in_flight;
    size_t max_body;
    char *ca_bundle;
    struct xfer_list queued;     /* FIFO, waiting for a slot */
    struct xfer_list active;     /* added to the multi handle */
    struct xfer_list finished;   /* refused by prepare, reported at the next wait */
    CURL **pool;                 /* idle easy handles, reused: they keep their buffers */
    int npool;
    unsigned long connections;
};

static void list_push(struct xfer_list *l, struct http_xfer *x)
{
    x->next = NULL;
    x->prev = l->tail;
    if (l->tail)
        l->tail->next = x;
    else
        l->head = x;
    l->tail = x;
    l->n++;
}

static void list_unlink(struct xfer_list *l, struct http_xfer *x)
{
    if (x->prev)
        x->prev->next = x->next;
    else
        l->head = x->next;
    if (x->next)
        x->next->prev = x->prev;
    else
        l->tail = x->prev;
    x->prev = x->next = NULL;
    l->n--;
}

struct http_engine *http_engine_new(const struct http_engine_opts *opts)
{
    struct http_engine *e = xcalloc(1, sizeof(*e));
    const char *ca = opts ? opts->ca_bundle : NULL;

    /* refcounted by libcurl; we are single-threaded */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    e->multi = curl_multi_init();
    if (!e->multi)
        fatal("curl_multi_init failed");
    e->connect_timeout_ms = opts && opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms : 3000;
    e->timeout_ms = opts && opts->timeout_ms > 0 ? opts->timeout_ms : 20000;
    e->max_in_flight = opts && opts->max_in_flight > 0 ? opts->max_in_flight : 32;
    e->max_body = opts && opts->max_body > 0 ? opts->max_body : HTTP_DEFAULT_MAX_BODY;
    if (!ca || !*ca)
        ca = getenv("AWS_CA_BUNDLE");
    e->ca_bundle = ca && *ca ? xstrdup(ca) : NULL;
    e->pool = xcalloc((size_t)e->max_in_flight, sizeof(*e->pool));
    /* Connections are cached by the multi handle and shared by every easy handle in it. */
    curl_multi_setopt(e->multi, CURLMOPT_MAXCONNECTS, (long)e->max_in_flight);
    return e;
}

static void slist_free_secret(struct curl_slist *l)
{
    /* the list holds Authorization and X-Amz-Security-Token */
    for (struct curl_slist *p = l; p; p = p->next)
        if (p->data)
            explicit_bzero(p->data, strlen(p->data));
    curl_slist_free_all(l);
}

static void easy_release(struct http_engine *e, CURL *h)
{
    if (!h)
        return;
    if (e->npool < e->max_in_flight) {
        e->pool[e->npool++] = h;
        return;
    }
    curl_easy_cleanup(h);
}

static CURL *easy_acquire(struct http_engine *e)
{
    CURL *h;

    if (e->npool > 0) {
        h = e->pool[--e->npool];
        curl_easy_reset(h);
        return h;
    }
    h = curl_easy_init();
    if (!h)
        fatal("curl_easy_init failed");
    return h;
}

static void xfer_free(struct http_xfer *x)
{
    slist_free_secret(x->hdrs);
    free(x->url);
    if (x->opts.secret && x->res.resp.body.data)
        explicit_bzero(x->res.resp.body.data, x->res.resp.body.cap);
    aws_response_done(&x->res.resp);
    free(x);
}

static void xfer_detach(struct http_engine *e, struct http_xfer *x)
{
    if (x->state == XFER_ACTIVE) {
        curl_multi_remove_handle(e->multi, x->easy);
        list_unlink(&e->active, x);
    } else if (x->state == XFER_QUEUED) {
        list_unlink(&e->queued, x);
    } else {
        list_unlink(&e->finished, x);
    }
    easy_release(e, x->easy);
    x->easy = NULL;
}

void http_engine_free(struct http_engine *e)
{
    if (!e)
        return;
    struct xfer_list *lists[] = { &e->active, &e->queued, &e->finished };
    for (size_t i = 0; i < 3; i++)
        while (lists[i]->head) {
            struct http_xfer *x = lists[i]->head;
            xfer_detach(e, x);
            xfer_free(x);
        }
    for (int i = 0; i < e->npool; i++)
        curl_easy_cleanup(e->pool[i]);
    free(e->pool);
    curl_multi_cleanup(e->multi);
    free(e->ca_bundle);
    free(e);
    curl_global_cleanup();
}

struct http_xfer *http_engine_submit(struct http_engine *e, const char *url,
                                     struct aws_request *req, http_prepare_fn prepare,
                                     http_done_fn done, void *ud)
{
    struct http_xfer *x = xcalloc(1, sizeof(*x));

    x->url = xstrdup(url);
    x->req = req;
    x->prepare = prepare;
    x->done = done;
    x->ud = ud;
    x->max_body = e->max_body;
    x->state = XFER_QUEUED;
    aws_response_init(&x->res.resp);
    list_push(&e->queued, x);
    return x;
}

void http_xfer_set_opts(struct http_xfer *x, const struct http_xfer_opts *o)
{
    x->opts = *o;
    if (o->secret) {
        /* the whole room at once: appending never moves the secret */
        x->max_body = HTTP_SECRET_MAX_BODY;
        x->res.resp.body.data = xmalloc(HTTP_SECRET_MAX_BODY + 1);
        x->res.resp.body.data[0] = '\0';
        x->res.resp.body.cap = HTTP_SECRET_MAX_BODY + 1;
    }
}

void http_xfer_cancel(struct http_engine *e, struct http_xfer *x)
{
    if (!x)
        return;
    xfer_detach(e, x);
    xfer_free(x);
}

static size_t on_header(char *data, size_t size, size_t n, void *ud)
{
    struct http_xfer *x = ud;
    size_t len = size * n;
    char *line, *colon, *v, *end;

    /* a new status line (after 100 Continue, or a proxy's CONNECT answer): start over */
    if (len >= 5 && memcmp(data, "HTTP/", 5) == 0) {
        kv_free_array(x->res.resp.headers, x->res.resp.nheaders);
        x->res.resp.headers = NULL;
        x->res.resp.nheaders = 0;
        return len;
    }
    /* the blank line that ends a 2xx answer's headers: its body streams from here */
    if (x->req->stream && !x->stream_began && (len == 2 || len == 1) &&
        (data[0] == '\r' || data[0] == '\n')) {
        const struct aws_stream *st = x->req->stream;
        long status = 0;

        curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
        if (status >= 200 && status < 300) {
            x->stream_began = true;
            if (st->begin && st->begin(st->ud, &x->res.resp) != 0) {
                x->res.stream_stopped = true;
                return 0;   /* curl stops with CURLE_WRITE_ERROR */
            }
        }
        return len;
    }
    if (len > 64 * 1024 || x->res.resp.nheaders >= 1000)   /* a hostile server */
        return len;
    line = xstrndup(data, len);
    end = line + strlen(line);
    while (end > line && (end[-1] == '\r' || end[-1] == '\n'))
        *--end = '\0';
    colon = strchr(line, ':');
    if (colon && colon != line && line[0] != ' ' && line[0] != '\t') {
        *colon = '\0';
        v = colon + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
            *--end = '\0';
        aws_response_add_header(&x->res.resp, line, v);
    }
    free(line);
    return len;
}

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
    struct http_xfer *x = ud;
    size_t len = size * n;

    if (x->stream_began) {
        const struct aws_stream *st = x->req->stream;

        if (st->write(st->ud, data, len) != 0) {
            x->res.stream_stopped = true;
            return 0;
        }
        x->res.streamed += len;
        return len;
    }
    if (len > x->max_body || x->res.resp.body.len > x->max_body - len) {
        x->res.body_too_large = true;
        return 0;   /* curl stops with CURLE_WRITE_ERROR */
    }
    buf_append(&x->res.resp.body, data, len);
    return len;
}

/* A streamed transfer asks its sink whether to go on, also while no byte arrives. */
static int on_xferinfo(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    struct http_xfer *x = ud;
    const struct aws_stream *st = x->req->stream;

    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    if (st->stopped && st->stopped(st->ud)) {
        x->res.stream_stopped = true;
        return 1;   /* CURLE_ABORTED_BY_CALLBACK */
    }
    return 0;
}

static struct curl_slist *build_headers(const struct aws_request *req)
{
    struct curl_slist *l = NULL;
    bool has_ct = false, has_expect = false;

    for (size_t i = 0; i < req->nheaders; i++) {
        const char *n = req->headers[i].name, *v = req->headers[i].value;
        char *line = *v ? xasprintf("%s: %s", n, v) : xasprintf("%s;", n);
        l = curl_slist_append(l, line);
        explicit_bzero(line, strlen(line));
        free(line);
        if (!l)
            fatal("out of memory");
        has_ct |= strcasecmp(n, "Content-Type") == 0;
        has_expect |= strcasecmp(n, "Expect") == 0;
    }
    /* No "Expect: 100-continue" round trip on bodies over 1 KiB: AWS answers at once. */
    if (!has_expect)
        l = curl_slist_append(l, "Expect:");
    /* curl would add a form Content-Type to POST bodies that nobody signed or asked for */
    if (!has_ct)
        l = curl_slist_append(l, "Content-Type:");
    if (!l)
        fatal("out of memory");
    return l;
}

static void setup_easy(struct http_engine *e, struct http_xfer *x)
{
    CURL *h = x->easy;
    struct aws_request *r = x->req;

    curl_easy_setopt(h, CURLOPT_URL, x->url);
    /* the path was signed as it is: an S3 key may hold "/../" or "/./", which curl would
     * otherwise squash into another key (and a signature that no longer matches) */
    curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L);
    curl_easy_setopt(h, CURLOPT_PRIVATE, x);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, x->opts.connect_timeout_ms > 0 ?
                     x->opts.connect_timeout_ms : e->connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, x->opts.timeout_ms > 0 ? x->opts.timeout_ms :
                     e->timeout_ms);
    if (r->stream) {
        long stall_ms = x->opts.timeout_ms > 0 ? x->opts.timeout_ms : e->timeout_ms;

        /* a download of gigabytes has no overall limit; a stalled one still ends */
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 0L);
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, stall_ms >= 1000 ? stall_ms / 1000 : 1L);
        curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_xferinfo);
        curl_easy_setopt(h, CURLOPT_XFERINFODATA, x);
        /* a proxy's CONNECT answer must not pass for the object's headers */
        curl_easy_setopt(h, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    }
    if (x->opts.no_proxy)
        curl_easy_setopt(h, CURLOPT_NOPROXY, "*");  /* a proxy cannot reach link-local hosts */
    /* TLS verification is never turned off; AWS_CA_BUNDLE only changes the trust store. */
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (e->ca_bundle)
        curl_easy_setopt(h, CURLOPT_CAINFO, e->ca_bundle);
#if LIBCURL_VERSION_NUM >= 0x075500   /* 7.85 */
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "opsdeck/" PACKAGE_VERSION);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->res.errtext);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
    /* CURLOPT_PROXY is deliberately left unset: libcurl then honours http_proxy,
     * https_proxy and no_proxy from the environment. */

    x->hdrs = build_headers(r);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, x->hdrs);

    if (strcmp(r->method, "HEAD") == 0) {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (strcmp(r->method, "GET") == 0 && r->body.len == 0) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else if (strcmp(r->method, "DELETE") == 0 && r->body.len == 0) {
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELETE");
    } else {
        /* POSTFIELDS does not copy: the body lives in req until the transfer ends */
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body.len);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, r->body.data ? r->body.data : "");
        if (strcmp(r->method, "POST") != 0)
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, r->method);
    }
}

static void start_queued(struct http_engine *e)
{
    while (e->queued.head && e->active.n < (size_t)e->max_in_flight) {
        struct http_xfer *x = e->queued.head;
        list_unlink(&e->queued, x);
        if (x->prepare && x->prepare(x->req, x->ud) != 0) {
            x->state = XFER_DONE;
            x->res.prepare_failed = true;
            list_push(&e->finished, x);
            continue;
        }
        x->easy = easy_acquire(e);
        setup_easy(e, x);
        if (curl_multi_add_handle(e->multi, x->easy) != CURLM_OK) {
            x->res.code = CURLE_FAILED_INIT;
            snprintf(x->res.errtext, sizeof(x->res.errtext), "curl_multi_add_handle failed");
            easy_release(e, x->easy);
            x->easy = NULL;
            x->state = XFER_DONE;
            list_push(&e->finished, x);
            continue;
        }
        x->state = XFER_ACTIVE;
        list_push(&e->active, x);
    }
}

/* curl 7.88 says "Couldn't connect to server"; the system's "Connection refused" or
 * "Network is unreachable" is what tells a person what is wrong. */
static void add_os_reason(struct http_xfer *x)
{
    long os_errno = 0;
    char *t = x->res.errtext;

    curl_easy_getinfo(x->easy, CURLINFO_OS_ERRNO, &os_errno);
    if (!t[0])
        snprintf(t, sizeof(x->res.errtext), "%s", curl_easy_strerror(x->res.code));
    if (os_errno > 0) {
        const char *reason = strerror((int)os_errno);
        size_t len = strlen(t);
        if (!strstr(t, reason) && len < sizeof(x->res.errtext))
            snprintf(t + len, sizeof(x->res.errtext) - len, " (%s)", reason);
    }
}

/* Reports transfers that ended. Returns how many callbacks ran. */
static int finish_done(struct http_engine *e)
{
    CURLMsg *m;
    int left, ran = 0;

    while ((m = curl_multi_info_read(e->multi, &left))) {
        struct http_xfer *x = NULL;
        if (m->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
        if (!x)
            continue;
        CURLcode code = m->data.result;
        long status = 0, conns = 0, reqsize = 0;
        curl_off_t ctime = 0;
        curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(x->easy, CURLINFO_NUM_CONNECTS, &conns);
        curl_easy_getinfo(x->easy, CURLINFO_REQUEST_SIZE, &reqsize);
        curl_easy_getinfo(x->easy, CURLINFO_CONNECT_TIME_T, &ctime);
        e->connections += (unsigned long)(conns > 0 ? conns : 0);
        x->res.code = code;
        x->res.resp.status = code == CURLE_OK ? status : 0;
        x->res.connected = reqsize > 0 || ctime > 0;
        if (code != CURLE_OK)
            add_os_reason(x);
        /* the easy handle goes back to the pool now: the callback may submit more */
        xfer_detach(e, x);
        x->state = XFER_DONE;
        if (x->done)
            x->done(&x->res, x->ud);
        xfer_free(x);
        ran++;
    }
    while (e->finished.head) {
        struct http_xfer *x = e->finished.head;
        list_unlink(&e->finished, x);
        x->state = XFER_DONE;
        if (x->done)
            x->done(&x->res, x->ud);
        xfer_free(x);
        ran++;
    }
    return ran;
}

int http_engine_wait(struct http_engine *e, struct curl_waitfd *extra, unsigned nextra,
                     int timeout_ms)
{
    int running = 0, ran;

    start_queued(e);
    curl_multi_perform(e->multi, &running);
    ran = finish_done(e);
    /* something finished already: only refresh the extra fds' revents, do not sleep */
    curl_multi_poll(e->multi, extra, nextra, ran > 0 || timeout_ms < 0 ? 0 : timeout_ms, NULL);
    curl_multi_perform(e->multi, &running);
    finish_done(e);
    /* slots freed above: get the next queued transfers on the wire right away */
    if (e->queued.head) {
        start_queued(e);
        curl_multi_perform(e->multi, &running);
        finish_done(e);
    }
    return (int)http_engine_pending(e);
}

size_t http_engine_pending(const struct http_engine *e)
{
    return e->queued.n + e->active.n + e->finished.n;
}

unsigned long http_engine_connections(const struct http_engine *e)
{
    return e->connections;
}
