/* presign.c - "presign": a presigned GET URL for an S3 object (presign.h). */
#include "config.h"
#include "act/presign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "act/action.h"
#include "aws/s3.h"
#include "conf/appconfig.h"
#include "core/client.h"
#include "core/sigv4.h"
#include "poll/sources/s3detail.h"
#include "util/fmt.h"
#include "util/xalloc.h"

struct presign {
    struct s3_detail d;
};

long presign_validity(long want, time_t now, time_t expiration, char *why, size_t whylen)
{
    long left = expiration ? (long)(expiration - now) : 0;
    char d[32];

    if (expiration && left < 1) {
        if (why)
            snprintf(why, whylen, "the credentials have expired");
        return 0;
    }
    if (expiration && left < want && left < PRESIGN_MAX) {
        if (why)
            snprintf(why, whylen, "cut to when the credentials expire, in %s",
                     fmt_duration(d, sizeof(d), left));
        return left;
    }
    if (want > PRESIGN_MAX) {
        if (why)
            snprintf(why, whylen, "cut to S3's 7-day limit");
        return PRESIGN_MAX;
    }
    if (why)
        snprintf(why, whylen, "as asked");
    return want;
}

/* The session's credentials, at once: CRED_PENDING when a refresh runs (it was started). */
static enum cred_status credentials(struct act_run *run, const struct aws_credentials **out,
                                    struct aws_error *err)
{
    struct aws_client *c = gate_client(act_run_env(run)->gate);

    aws_error_clear(err);
    *out = NULL;
    return c ? aws_client_credentials(c, out, err) : CRED_ERROR;
}

static void presign_form(void *priv, struct act_run *run, struct form *f)
{
    struct presign *p = priv;
    const struct aws_credentials *cr;
    struct aws_error err;
    struct form_field *fl;
    char hint[256], d[32];

    s3_detail_parse(act_run_target(run)->key, &p->d);
    fl = form_add(f, "expires", "Valid for", FORM_LINE);
    fl->required = true;
    form_set(f, "expires", PRESIGN_DEFAULT);
    /* the limit that applies, said before the person chooses */
    if (credentials(run, &cr, &err) == CRED_OK && cr && cr->expiration) {
        struct aws_client *c = gate_client(act_run_env(run)->gate);
        long left = (long)(cr->expiration - aws_client_now(c));

        snprintf(hint, sizeof(hint), "30m, 12h, 7d; at most %s: the credentials expire then "
                 "and the URL with them", fmt_duration(d, sizeof(d), left < 0 ? 0 : left));
    } else if (cr) {
        snprintf(hint, sizeof(hint), "30m, 12h, 7d; at most 7d (S3's limit: these "
                 "credentials do not expire)");
    } else {
        snprintf(hint, sizeof(hint), "30m, 12h, 7d; at most 7d, and never past the "
                 "credentials' expiry");
    }
    form_set_hint(form_field(f, "expires"), hint);
}

static int presign_check(void *priv, struct act_run *run, const struct form *f, char *why,
                         size_t whylen)
{
    long secs;

    (void)priv;
    (void)run;
    if (!appconfig_parse_duration(form_value(f, "expires"), &secs) || secs < 1) {
        snprintf(why, whylen, "Valid for: a duration such as 900, 30m, 12h or 7d");
        return -1;
    }
    if (secs > PRESIGN_MAX) {
        snprintf(why, whylen, "Valid for: at most 7d (S3 refuses longer presigned URLs)");
        return -1;
    }
    return 0;
}

static void presign_describe(void *priv, struct act_run *run, char *what, size_t whatlen)
{
    (void)priv;
    snprintf(what, whatlen, "Presigned URL for %s (valid %s)", act_run_target(run)->name,
             form_value(act_run_form(run), "expires"));
}

const char *presign_bucket_region(const struct store *s, const char *bucket)
{
    const struct store_res *b = s ? store_find(s, "bucket", bucket) : NULL;
    const struct store_res *l = s ? store_find(s, "s3list", "current") : NULL;
    const char *r = b ? store_res_str(b, "region") : NULL;
    const char *lb = l ? store_res_str(l, "bucket") : NULL;

    if (!r && lb && strcmp(lb, bucket) == 0)
        r = store_res_str(l, "region");
    return r;
}

static int presign_start(void *priv, struct act_run *run)
{
    struct presign *p = priv;
    const struct act_env *env = act_run_env(run);
    const struct aws_config *cfg = env->cfg;
    const struct aws_credentials *cr;
    struct sigv4_credentials sc;
    struct s3_location loc;
    struct aws_error err;
    enum cred_status st;
    char line[1200], why[128], d[32], until[64];
    time_t now = aws_client_now(gate_client(env->gate));
    long want = 0, secs;
    char *url = NULL;
    struct tm tm;

    if (!p->d.bucket)
        s3_detail_parse(act_run_target(run)->key, &p->d);
    if (!p->d.bucket || !p->d.path || p->d.what != S3_DETAIL_OBJECT) {
        act_run_finish(run, ACT_FAILED, "presign: no object here (open a bucket in :s3)");
        return -1;
    }
    appconfig_parse_duration(form_value(act_run_form(run), "expires"), &want);
    st = credentials(run, &cr, &err);
    if (st == CRED_PENDING) {
        act_run_finish(run, ACT_FAILED, "presign: the credentials are being refreshed; "
                       "press u again in a moment");
        return -1;
    }
    if (st != CRED_OK || !cr) {
        err.kind = AWS_ERR_CREDENTIALS;
        act_run_describe_error(run, &err, line, sizeof(line));
        act_run_finish(run, ACT_FAILED, "presign: %s", line);
        return -1;
    }
    secs = presign_validity(want, now, cr->expiration, why, sizeof(why));
    if (secs < 1) {
        act_run_finish(run, ACT_FAILED, "presign: %s; refresh them (opsdeck login, or "
                       ":profile) and try again", why);
        return -1;
    }
    if (!cfg)
        cfg = aws_client_config(gate_client(env->gate));
    aws_error_clear(&err);
    if (s3_detail_locate(cfg, p->d.bucket, presign_bucket_region(env->store, p->d.bucket), &loc,
                         &err) < 0) {
        act_run_describe_error(run, &err, line, sizeof(line));
        act_run_finish(run, ACT_FAILED, "presign: %s", line);
        return -1;
    }
    sc = (struct sigv4_credentials){
        .access_key_id = cr->access_key_id,
        .secret_access_key = cr->secret_access_key,
        .session_token = cr->session_token,
    };
    if (s3_presign_get(&loc, p->d.path, p->d.version, &sc, now, secs,
                       cr->expiration ? (long)(cr->expiration - now) : 0, &url, &err) < 0) {
        s3_location_done(&loc);
        act_run_describe_error(run, &err, line, sizeof(line));
        act_run_finish(run, ACT_FAILED, "presign: %s", line);
        return -1;
    }
    s3_location_done(&loc);
    act_run_set_output(run, url, "the presigned URL");
    xfree_secret(url);
    gmtime_r(&(time_t){now + secs}, &tm);
    strftime(until, sizeof(until), "%Y-%m-%d %H:%M UTC", &tm);
    act_run_finish(run, ACT_DONE, "presigned URL, valid %s until %s (%s)",
                   fmt_duration(d, sizeof(d), secs), until, why);
    return 0;
}

static void presign_done(void *priv)
{
    struct presign *p = priv;

    s3_detail_done(&p->d);
}

const struct action presign_action = {
    .name = "presign",
    .title = "Presigned GET URL",
    .ok_label = "Sign",
    .target_kind = "s3obj",
    .mutates = false,
    .confirm = ACT_CONFIRM_NONE,
    .private_size = sizeof(struct presign),
    .form = presign_form,
    .check = presign_check,
    .describe = presign_describe,
    .start = presign_start,
    .done = presign_done,
};
