/* sso_signin.c - the device authorization sign-in on the loop (sso_signin.h). */
#include "config.h"
#include "creds/sso_signin.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sso.h"
#include "core/client.h"
#include "creds/creds_provider.h"
#include "creds/creds_sso.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

/* RFC 8628 3.5: each slow_down adds five seconds to the interval. */
#define SLOW_DOWN_STEP 5

struct sso_signin {
    struct aws_client *client;
    struct sso_profile p;
    char *url;                    /* the SSO-OIDC endpoint */
    sso_signin_fn changed;
    void *ud;

    enum sso_signin_state state;
    struct oidc_client cl;
    struct oidc_device_auth da;
    int64_t expires_ms;
    int64_t interval;
    unsigned pending;
    unsigned long call;           /* the call on the way, 0 none */
    unsigned long timer;          /* the next poll, 0 none */
    char again[160];              /* what the person does to try again, for error lines */
    char error[700];
    time_t token_expires_at;
    char *cache_path;
};

static void signin_answer(const struct aws_response *resp, const struct aws_error *err,
                          void *ud);

static void send_call(struct sso_signin *s, struct aws_request *req)
{
    /* one attempt each: a poll that fails on the network is simply the next poll's, and
     * the person sees the cause meanwhile */
    struct aws_call_opts o = {.connect_timeout_ms = CREDS_CALL_CONNECT_MS,
                              .timeout_ms = CREDS_CALL_TIMEOUT_MS, .max_attempts = 1,
                              .secret = true};

    req->endpoint = xstrdup(s->url);
    req->region = xstrdup(s->p.region);
    s->call = aws_client_call(s->client, req, &o, signin_answer, s);
}

static void fail(struct sso_signin *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void fail(struct sso_signin *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(s->error, sizeof(s->error), fmt, ap);
    va_end(ap);
    s->state = SSO_SIGNIN_FAILED;
}

/* A call that failed in a way the flow does not expect: the client's line names the
 * endpoint and the fix for network and HTTP trouble, AWS's message the rest. */
static void fail_call(struct sso_signin *s, const char *step, const struct aws_error *err)
{
    char msg[sizeof(err->message) + sizeof(err->code) + 2];

    if (err->kind == AWS_ERR_NETWORK || err->kind == AWS_ERR_TIMEOUT || !err->code[0])
        aws_error_describe(err, s->p.profile, msg, sizeof(msg));
    else
        snprintf(msg, sizeof(msg), "%s: %s", err->code, err->message);
    fail(s, "profile %s: SSO sign-in (%s) failed: %.450s; %s", s->p.profile, step, msg,
         s->again);
}

static void poll_due(void *ud)
{
    struct sso_signin *s = ud;
    struct aws_request req;

    s->timer = 0;
    if (timeutil_mono_ms() >= s->expires_ms) {
        fail(s, "profile %s: the code was not approved before it expired (it was valid for "
             "%lld minutes); %s", s->p.profile,
             (long long)((s->da.expires_in + 59) / 60), s->again);
        s->changed(s->ud);
        return;
    }
    oidc_create_token_request(&req, s->cl.client_id, s->cl.client_secret,
                              OIDC_GRANT_DEVICE_CODE, s->da.device_code);
    send_call(s, &req);
    s->changed(s->ud);
}

static void poll_later(struct sso_signin *s)
{
    s->timer = aws_client_timer(s->client, (long)(s->interval * 1000), poll_due, s);
}

static bool code_is(const struct aws_error *err, const char *exception, const char *oauth)
{
    return strcmp(err->code, exception) == 0 || strcmp(err->code, oauth) == 0;
}

static void token_answer(struct sso_signin *s, const struct aws_response *resp,
                         const struct aws_error *err)
{
    struct oidc_token tok = {0};
    struct aws_error e;

    aws_error_clear(&e);
    if (!resp) {
        if (code_is(err, "AuthorizationPendingException", "authorization_pending")) {
            s->pending++;
            poll_later(s);
        } else if (code_is(err, "SlowDownException", "slow_down")) {
            s->interval += SLOW_DOWN_STEP;
            poll_later(s);
        } else if (code_is(err, "ExpiredTokenException", "expired_token")) {
            fail(s, "profile %s: the code was not approved before it expired; %s",
                 s->p.profile, s->again);
        } else if (code_is(err, "AccessDeniedException", "access_denied")) {
            fail(s, "profile %s: the sign-in to %s was denied (AccessDeniedException); "
                 "approve it as a user allowed into the account, or ask your Identity Center "
                 "administrator, then %s", s->p.profile, s->p.start_url, s->again);
        } else {
            fail_call(s, "CreateToken", err);
        }
        return;
    }
    if (oidc_create_token_parse(resp, &tok, &e) < 0) {
        fail_call(s, "CreateToken", &e);
        return;
    }
    if (sso_login_save(&s->p, &s->cl, &tok, time(NULL), &s->cache_path, &s->token_expires_at,
                       &e) < 0)
        fail(s, "profile %s: signed in, but the token could not be cached: %.450s; check the "
             "directory's owner and free space, then %s", s->p.profile, e.message, s->again);
    else
        s->state = SSO_SIGNIN_DONE;
    oidc_token_free(&tok);
}

static void signin_answer(const struct aws_response *resp, const struct aws_error *err,
                          void *ud)
{
    struct sso_signin *s = ud;
    struct aws_request req;
    struct aws_error e;

    s->call = 0;
    aws_error_clear(&e);
    switch (s->state) {
    case SSO_SIGNIN_REGISTERING:
        if (!resp) {
            fail_call(s, "RegisterClient", err);
        } else if (oidc_register_client_parse(resp, &s->cl, &e) < 0) {
            fail_call(s, "RegisterClient", &e);
        } else {
            s->state = SSO_SIGNIN_STARTING;
            oidc_start_device_authorization_request(&req, s->cl.client_id,
                                                    s->cl.client_secret, s->p.start_url);
            send_call(s, &req);
        }
        break;
    case SSO_SIGNIN_STARTING:
        if (!resp) {
            fail_call(s, "StartDeviceAuthorization", err);
        } else if (oidc_start_device_authorization_parse(resp, &s->da, &e) < 0) {
            fail_call(s, "StartDeviceAuthorization", &e);
        } else {
            s->state = SSO_SIGNIN_WAITING;
            s->expires_ms = timeutil_mono_ms() + s->da.expires_in * 1000;
            s->interval = s->da.interval > 0 ? s->da.interval : 5;
            poll_later(s);
        }
        break;
    case SSO_SIGNIN_WAITING:
        token_answer(s, resp, err);
        break;
    case SSO_SIGNIN_DONE:
    case SSO_SIGNIN_FAILED:
        break;
    }
    s->changed(s->ud);
}

struct sso_signin *sso_signin_start(const struct aws_config *cfg, const char *profile,
                                    struct aws_client *c, const char *again,
                                    sso_signin_fn changed, void *ud, struct aws_error *err)
{
    struct sso_signin *s = xcalloc(1, sizeof(*s));
    struct aws_request req;

    if (sso_profile_load(cfg, profile, false, &s->p, err) < 0) {
        free(s);
        return NULL;
    }
    if (!(s->url = aws_config_endpoint_region(cfg, "oidc", s->p.region, NULL, err))) {
        sso_profile_done(&s->p);
        free(s);
        return NULL;
    }
    s->client = c;
    snprintf(s->again, sizeof(s->again), "%s", again);
    s->changed = changed;
    s->ud = ud;
    s->state = SSO_SIGNIN_REGISTERING;
    /* a registration per sign-in, as `opsdeck login --sso`: for an sso_session profile it
     * is kept in the token file, which allows the later refreshes */
    oidc_register_client_request(&req, "opsdeck", s->p.session ? s->p.scopes : NULL);
    send_call(s, &req);
    return s;
}

void sso_signin_info(const struct sso_signin *s, struct sso_signin_info *out)
{
    bool shown = s->state >= SSO_SIGNIN_WAITING && s->da.user_code;

    memset(out, 0, sizeof(*out));
    out->state = s->state;
    out->profile = s->p.profile;
    out->start_url = s->p.start_url;
    out->verification_uri = shown ? s->da.verification_uri : NULL;
    out->verification_uri_complete = shown ? s->da.verification_uri_complete : NULL;
    out->user_code = shown ? s->da.user_code : NULL;
    out->expires_ms = shown ? s->expires_ms : 0;
    out->interval = s->interval;
    out->pending = s->pending;
    out->in_flight = s->call != 0;
    out->error = s->state == SSO_SIGNIN_FAILED ? s->error : NULL;
    out->token_expires_at = s->token_expires_at;
    out->cache_path = s->cache_path;
}

void sso_signin_free(struct sso_signin *s)
{
    if (!s)
        return;
    if (s->call)
        aws_client_cancel(s->client, s->call);
    if (s->timer)
        aws_client_unwatch(s->client, s->timer);
    oidc_device_auth_free(&s->da);
    oidc_client_free(&s->cl);
    sso_profile_done(&s->p);
    free(s->url);
    free(s->cache_path);
    free(s);
}

enum sso_token_need sso_signin_needed(const struct aws_config *cfg, const char *profile,
                                      time_t now)
{
    struct sso_profile p;
    struct sso_token t;
    struct aws_error err;
    enum sso_token_need need;
    char *path;

    aws_error_clear(&err);
    if (sso_profile_load(cfg, profile, false, &p, &err) < 0)
        return SSO_TOKEN_NOT_SSO;
    path = sso_token_cache_path(&p);
    if (sso_token_load(path, &t, &err) < 0)
        need = SSO_TOKEN_MISSING;
    else
        need = t.expires_at <= now ? SSO_TOKEN_EXPIRED : SSO_TOKEN_OK;
    sso_token_done(&t);
    free(path);
    sso_profile_done(&p);
    return need;
}
