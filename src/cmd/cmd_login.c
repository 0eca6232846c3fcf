/* cmd_login.c - `opsdeck login --sso [PROFILE]`: IAM Identity Center's device authorization
 * flow (RFC 8628), for jump hosts with no display: print the URL and the code, never start a
 * browser, poll until the person approves it elsewhere, then write the token cache that
 * botocore and the AWS CLI v2 read too. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/sso.h"
#include "cmd/cmdwait.h"
#include "core/client.h"
#include "cmd/commands.h"
#include "creds/creds_provider.h"
#include "creds/creds_sso.h"
#include "util/sanitize.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

/* One SSO-OIDC call, unsigned, one attempt, waited for: login has nothing else to do. */
static int oidc_call(struct aws_client *c, const char *url, const char *region,
                     struct aws_request *req, struct aws_response *resp, struct aws_error *err)
{
    struct aws_call_opts o = {.connect_timeout_ms = CREDS_CALL_CONNECT_MS,
                              .timeout_ms = CREDS_CALL_TIMEOUT_MS, .max_attempts = 1,
                              .secret = true};
    int rc;

    req->endpoint = xstrdup(url);
    req->region = xstrdup(region);
    rc = cmdwait_call(c, req, &o, resp, err);
    aws_request_done(req);
    return rc;
}

static void resp_wipe_done(struct aws_response *resp)
{
    if (resp->body.data)
        explicit_bzero(resp->body.data, resp->body.len);
    aws_response_done(resp);
}

/* AWS text on the terminal: escaped, never raw. */
static void print_untrusted(FILE *out, const char *label, const char *s)
{
    char *safe = sanitize_text(s, strlen(s));

    fprintf(out, "%s%s\n", label, safe);
    free(safe);
}

/* Polls CreateToken until approved (0, *tok filled), denied or expired (-1). */
static int poll_token(struct aws_client *c, const char *url, const char *region,
                      const struct oidc_client *cl, const struct oidc_device_auth *da,
                      struct oidc_token *tok, struct aws_error *err)
{
    int64_t deadline = timeutil_mono_ms() + (int64_t)da->expires_in * 1000;
    int64_t interval = da->interval;

    for (;;) {
        struct aws_request req;
        struct aws_response resp;
        int rc;

        cmdwait_sleep(c, (long)interval * 1000);
        if (timeutil_mono_ms() > deadline)
            break;
        aws_error_clear(err);
        oidc_create_token_request(&req, cl->client_id, cl->client_secret,
                                  OIDC_GRANT_DEVICE_CODE, da->device_code);
        if (oidc_call(c, url, region, &req, &resp, err) == 0) {
            rc = oidc_create_token_parse(&resp, tok, err);
            resp_wipe_done(&resp);
            return rc;
        }
        if (strcmp(err->code, "AuthorizationPendingException") == 0)
            continue;
        if (strcmp(err->code, "SlowDownException") == 0) {
            interval += 5;  /* RFC 8628 3.5 */
            continue;
        }
        if (strcmp(err->code, "ExpiredTokenException") == 0)
            break;
        return -1;
    }
    aws_error_set(err, AWS_ERR_CREDENTIALS, "the code was not approved within %lld seconds; "
                  "run the login again", (long long)da->expires_in);
    return -1;
}

int sso_login(const struct aws_config *cfg, const char *profile, FILE *out,
              struct aws_error *err)
{
    struct aws_client *c;
    struct sso_profile p;
    struct oidc_client cl = {0};
    struct oidc_device_auth da = {0};
    struct oidc_token tok = {0};
    time_t expires_at = 0;
    struct aws_request req;
    struct aws_response resp;
    char *url = NULL, *path = NULL;
    char when[21];
    int rc = -1;

    if (sso_profile_load(cfg, profile, false, &p, err) < 0)
        return -1;
    c = aws_client_new(cfg, NULL, NULL);   /* unsigned calls only: no credential source */
    if (!(url = aws_config_endpoint_region(cfg, "oidc", p.region, NULL, err)))
        goto out;
    /* a client registration per login: it is cheap, and reusing one would need its own
     * cache (the CLI keeps it inside the token file, which we rewrite below anyway) */
    oidc_register_client_request(&req, "opsdeck", p.session ? p.scopes : NULL);
    if (oidc_call(c, url, p.region, &req, &resp, err) < 0)
        goto fail;
    rc = oidc_register_client_parse(&resp, &cl, err);
    resp_wipe_done(&resp);
    if (rc < 0)
        goto fail;
    oidc_start_device_authorization_request(&req, cl.client_id, cl.client_secret, p.start_url);
    if (oidc_call(c, url, p.region, &req, &resp, err) < 0 ||
        (rc = oidc_start_device_authorization_parse(&resp, &da, err),
         resp_wipe_done(&resp), rc < 0)) {
        rc = -1;
        goto fail;
    }
    {
        /* both come from the config file: local text is untrusted text too */
        char *sp = sanitize_text(p.profile, strlen(p.profile));
        char *su = sanitize_text(p.start_url, strlen(p.start_url));
        fprintf(out, "Sign in to IAM Identity Center for profile %s (%s).\n", sp, su);
        free(sp);
        free(su);
    }
    fputs("On any device with a browser, open\n", out);
    print_untrusted(out, "    ", da.verification_uri);
    fputs("and enter the code\n", out);
    print_untrusted(out, "    ", da.user_code);
    if (da.verification_uri_complete) {
        fputs("or open this URL, which carries the code:\n", out);
        print_untrusted(out, "    ", da.verification_uri_complete);
    }
    fprintf(out, "Waiting for approval (the code expires in %lld minutes)...\n",
            (long long)((da.expires_in + 59) / 60));
    fflush(out);
    rc = poll_token(c, url, p.region, &cl, &da, &tok, err);
    if (rc < 0)
        goto fail;
    if ((rc = sso_login_save(&p, &cl, &tok, time(NULL), &path, &expires_at, err)) < 0)
        goto fail;
    timeutil_format_iso8601((int64_t)expires_at, when);
    {
        char *su = sanitize_text(p.start_url, strlen(p.start_url));
        char *sp = sanitize_text(path, strlen(path));
        fprintf(out, "Logged in: the SSO token for %s is cached in %s until %s.\n", su, sp,
                when);
        free(su);
        free(sp);
    }
    goto out;
fail:
    {
        char msg[sizeof(err->message)];

        /* network and HTTP failures: the client's line names the endpoint and the fix */
        if (err->kind == AWS_ERR_NETWORK || err->kind == AWS_ERR_TIMEOUT ||
            err->kind == AWS_ERR_HTTP)
            aws_error_describe(err, p.profile, msg, sizeof(msg));
        else
            snprintf(msg, sizeof(msg), "%s", err->message);
        aws_error_set(err, AWS_ERR_CREDENTIALS, "login to %s for profile %s failed: %s",
                      p.start_url, p.profile, msg);
    }
out:
    aws_client_free(c);
    free(url);
    free(path);
    oidc_token_free(&tok);
    oidc_device_auth_free(&da);
    oidc_client_free(&cl);
    sso_profile_done(&p);
    return rc;
}

int cmd_login(const struct global_opts *g, int argc, char **argv)
{
    struct aws_config_opts o = {0};
    struct aws_config *cfg;
    struct aws_error err;
    int rc;

    if (!g->sso || argc > 2) {
        fputs("usage: opsdeck login --sso [PROFILE]\n", stderr);
        return 2;
    }
    /* the word after login names the profile, as --profile would */
    o.profile = argc == 2 ? argv[1] : g->profile;
    o.region = g->region;
    aws_error_clear(&err);
    if (!(cfg = aws_config_new(&o, &err))) {
        fprintf(stderr, "opsdeck: %s\n", err.message);
        return 1;
    }
    rc = sso_login(cfg, cfg->profile, stdout, &err);
    if (rc < 0) {
        char *safe = sanitize_text(err.message, strlen(err.message));

        fprintf(stderr, "opsdeck: %s\n", safe);
        free(safe);
    }
    aws_config_free(cfg);
    return rc < 0 ? 1 : 0;
}
