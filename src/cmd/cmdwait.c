/* cmdwait.c - the headless commands' wait (cmdwait.h). */
#include "config.h"
#include "cmd/cmdwait.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util/buf.h"
#include "util/timeutil.h"

struct creds_wait {
    struct cred_waiter w;   /* first: the wake callback gets it back */
    bool woken, failed;
    struct aws_error err;
};

static void creds_woken(struct cred_waiter *w, const struct aws_error *err)
{
    struct creds_wait *cw = (struct creds_wait *)(void *)w;

    cw->woken = true;
    if (err) {
        /* the refresh's own error: asking again would start another refresh */
        cw->failed = true;
        cw->err = *err;
    }
}

enum creds_status cmdwait_credentials(struct creds_manager *cm, struct aws_client *c,
                                      const struct aws_credentials **out,
                                      struct aws_error *err)
{
    struct creds_wait cw;
    enum creds_status st;

    memset(&cw, 0, sizeof(cw));
    cw.w.wake = creds_woken;
    for (;;) {
        cw.woken = false;
        st = creds_manager_get(cm, c, &cw.w, out, err);
        if (st != CREDS_PENDING)
            return st;
        while (!cw.woken)
            aws_client_run(c, NULL, 0, 1000);
        if (cw.failed) {
            *err = cw.err;
            *out = NULL;
            return CREDS_ERROR;
        }
    }
}

struct call_wait {
    int state;   /* 0 waiting, 1 answered, -1 failed */
    struct aws_response *resp;
    struct aws_error *err;
};

static void call_done(const struct aws_response *resp, const struct aws_error *err, void *ud)
{
    struct call_wait *cw = ud;

    if (err) {
        *cw->err = *err;
        cw->state = -1;
        return;
    }
    /* the client frees its own copy after the callback */
    cw->resp->status = resp->status;
    for (size_t i = 0; i < resp->nheaders; i++)
        aws_response_add_header(cw->resp, resp->headers[i].name, resp->headers[i].value);
    buf_append(&cw->resp->body, resp->body.data ? resp->body.data : "", resp->body.len);
    cw->state = 1;
}

int cmdwait_call(struct aws_client *c, struct aws_request *req, const struct aws_call_opts *o,
                 struct aws_response *resp, struct aws_error *err)
{
    struct call_wait cw = {0, resp, err};

    aws_response_init(resp);
    aws_client_call(c, req, o, call_done, &cw);
    while (cw.state == 0)
        aws_client_run(c, NULL, 0, 1000);
    if (cw.state < 0) {
        aws_response_done(resp);
        return -1;
    }
    return 0;
}

void cmdwait_sleep(struct aws_client *c, long ms)
{
    int64_t end = timeutil_mono_ms() + ms, left;

    while ((left = end - timeutil_mono_ms()) > 0)
        aws_client_run(c, NULL, 0, (int)(left > 1000 ? 1000 : left));
}
