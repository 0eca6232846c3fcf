/* cmd_login.c - `opsdeck login --sso [PROFILE]`: IAM Identity Center's device authorization
 * flow (RFC 8628), for jump hosts with no display: print the URL and the code, never start a
 * browser, poll until the person approves it elsewhere, then write the token cache that
 * botocore and the AWS CLI v2 read too. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/client.h"
#include "cmd/commands.h"
#include "creds/creds_sso.h"
#include "creds/sso_signin.h"
#include "util/sanitize.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

/* AWS text on the terminal: escaped, never raw. */
static void print_untrusted(FILE *out, const char *label, const char *s)
{
    char *safe = sanitize_text(s, strlen(s));

    fprintf(out, "%s%s\n", label, safe);
    free(safe);
}

/* The sign-in's answers only mark it; the wait below looks. */
static void login_changed(void *ud)
{
    *(bool *)ud = true;
}

/* The URL and the code, once they are known. */
static void print_code(FILE *out, const struct sso_signin_info *in)
{
    /* both come from the config file: local text is untrusted text too */
    char *sp = sanitize_text(in->profile, strlen(in->profile));
    char *su = sanitize_text(in->start_url, strlen(in->start_url));

    fprintf(out, "Sign in to IAM Identity Center for profile %s (%s).\n", sp, su);
    free(sp);
    free(su);
    fputs("On any device with a browser, open\n", out);
    print_untrusted(out, "    ", in->verification_uri);
    fputs("and enter the code\n", out);
    print_untrusted(out, "    ", in->user_code);
    if (in->verification_uri_complete) {
        fputs("or open this URL, which carries the code:\n", out);
        print_untrusted(out, "    ", in->verification_uri_complete);
    }
    fprintf(out, "Waiting for approval (the code expires in %lld minutes)...\n",
            (long long)((in->expires_ms - timeutil_mono_ms() + 59999) / 60000));
    fflush(out);
}

int sso_login(const struct aws_config *cfg, const char *profile, FILE *out,
              struct aws_error *err)
{
    /* unsigned calls only: no credential source */
    struct aws_client *c = aws_client_new(cfg, NULL, NULL);
    struct sso_signin_info in;
    struct sso_signin *s;
    bool changed = false, shown = false;
    char when[21], *again = xasprintf("run `opsdeck login --sso %s` again", profile);
    int rc = -1;

    /* the console's sign-in, waited for here: login has nothing else to do */
    s = sso_signin_start(cfg, profile, c, again, login_changed, &changed, err);
    free(again);
    if (!s) {
        aws_client_free(c);
        return -1;
    }
    for (;;) {
        sso_signin_info(s, &in);
        if (!shown && in.user_code) {
            print_code(out, &in);
            shown = true;
        }
        if (in.state == SSO_SIGNIN_DONE || in.state == SSO_SIGNIN_FAILED)
            break;
        changed = false;
        while (!changed)
            aws_client_run(c, NULL, 0, 1000);
    }
    if (in.state == SSO_SIGNIN_DONE) {
        char *su = sanitize_text(in.start_url, strlen(in.start_url));
        char *sp = sanitize_text(in.cache_path, strlen(in.cache_path));

        timeutil_format_iso8601((int64_t)in.token_expires_at, when);
        fprintf(out, "Logged in: the SSO token for %s is cached in %s until %s.\n", su, sp,
                when);
        free(su);
        free(sp);
        rc = 0;
    } else {
        /* the line names the profile, the cause and the fix already */
        aws_error_set(err, AWS_ERR_CREDENTIALS, "login to %s failed: %s", in.start_url,
                      in.error);
    }
    sso_signin_free(s);
    aws_client_free(c);
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
