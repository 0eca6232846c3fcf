/* creds_role.c - assume role (role_arn with source_profile or credential_source, optional
 * MFA) and MFA session tokens (GetSessionToken for static keys with mfa_serial).
 *
 * Assume role follows botocore's AssumeRoleProvider: the source credentials come from
 * source_profile (resolved through the whole chain, so a source profile can itself assume a
 * role or use SSO; cycles are caught by creds_resolve_profile) or from credential_source;
 * naming both is an error, as in botocore. The role's session credentials are cached by the
 * manager, the intermediate ones are not (they are only needed to call AssumeRole).
 *
 * The MFA session provider is NOT something the AWS CLI does (botocore ignores mfa_serial
 * on a profile without role_arn); aws-vault and similar tools do, and on-call engineers whose
 * IAM policies demand aws:MultiFactorAuthPresent need it. It runs only for the active profile
 * (depth 0), so source_profile chains resolve exactly as botocore resolves them.
 *
 * Both run in steps on the loop (struct sts_job): the source credentials (a source_profile
 * may itself be refreshing: the job waits in its queue), the MFA code (the console's prompt
 * line answers later), then the STS call. Each step goes on at once when it can, so a
 * profile whose every step is at hand still answers on the first ask but for the call. */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/sts.h"
#include "creds/creds_provider.h"
#include "core/proto.h"
#include "util/xalloc.h"

#define MFA_CODE_MAX 64

/* An integer setting of the profile within [min, max]; 0 when absent. */
static int profile_int(struct creds_ctx *ctx, const char *key, int64_t min, int64_t max,
                       int64_t *out, struct aws_error *err)
{
    const char *v = creds_profile_value(ctx, key);

    *out = 0;
    if (!v)
        return 0;
    if (proto_parse_int64(v, min, max, out) < 0) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: %s must be a number of seconds "
                      "from %lld to %lld; fix it in %s", ctx->profile, key, (long long)min,
                      (long long)max, ctx->cfg->config_file);
        return -1;
    }
    return 0;
}

/* The error for an MFA code that could not be had. */
static void mfa_none(const struct creds_ctx *ctx, const char *serial, struct aws_error *err)
{
    aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s needs an MFA code for %s "
                  "(mfa_serial) and got none: pass --mfa-code CODE (6 digits), or run "
                  "opsdeck on a terminal to be asked", ctx->profile, serial);
}

/* An MFA code is the 6 digits the device shows; anything else is refused before it is
 * sent (and wiped). */
static int mfa_code_check(const struct creds_ctx *ctx, const char *serial, char *code,
                          size_t len, struct aws_error *err)
{
    size_t n;

    for (n = 0; isdigit((unsigned char)code[n]); n++)
        ;
    if (n != 6 || code[n] != '\0') {
        explicit_bzero(code, len);
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: the MFA code for %s must be the "
                      "6 digits the device shows", ctx->profile, serial);
        return -1;
    }
    return 0;
}

/* RoleSessionName: 2-64 of [A-Za-z0-9_=,.@-] (AWS's pattern [\w+=,.@-]*). */
static bool session_name_valid(const char *s)
{
    size_t n = strlen(s);

    if (n < 2 || n > 64)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("_+=,.@-", *s))
            return false;
    return true;
}

/* The fix that goes with an STS failure, for a person. */
static const char *sts_fix(const struct aws_error *e, bool assume, bool mfa)
{
    if (strcmp(e->code, "AccessDenied") == 0 || e->http_status == 403) {
        if (!assume)
            return "check the MFA device (mfa_serial) belongs to this IAM user and the code "
                   "is current";
        return mfa ? "the role's trust policy must allow the source identity to call "
                     "sts:AssumeRole (with this ExternalId and MFA device), and its IAM "
                     "policy must allow sts:AssumeRole on the role; check the MFA code is "
                     "current"
                   : "the role's trust policy must allow the source identity to call "
                     "sts:AssumeRole (with this ExternalId), and its IAM policy must allow "
                     "sts:AssumeRole on the role; if the role requires MFA, set mfa_serial";
    }
    if (strcmp(e->code, "ExpiredToken") == 0 || strcmp(e->code, "ExpiredTokenException") == 0)
        return "the source credentials expired; refresh them";
    if (strcmp(e->code, "InvalidClientTokenId") == 0 ||
        strcmp(e->code, "SignatureDoesNotMatch") == 0)
        return "the source credentials were rejected; check the source profile's keys";
    if (strcmp(e->code, "ValidationError") == 0)
        return "fix the profile's settings named above";
    if (e->kind == AWS_ERR_NETWORK || e->kind == AWS_ERR_TIMEOUT)
        return "check AWS_ENDPOINT_URL_STS/AWS_ENDPOINT_URL, proxy settings and the network";
    return "try again; if it persists, check the STS endpoint";
}

/* Turns the failed STS call's error into one line naming the profile and what was asked;
 * the HTTP fields (status, code, endpoint, request id) stay for the caller. AWS's text is
 * kept raw here: aws_error_describe escapes it once, where it is shown. */
static void sts_error(struct aws_error *err, const char *profile, const char *what,
                      bool assume, bool mfa)
{
    struct aws_error e = *err;
    const char *cause = e.kind == AWS_ERR_HTTP ? e.code
                        : e.kind == AWS_ERR_PARSE ? "unexpected answer"
                                                  : aws_error_kind_name(e.kind);

    aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: %s failed at %s: %s%s%s — %s",
                  profile, what, e.endpoint[0] ? e.endpoint : "the STS endpoint",
                  cause[0] ? cause : "error", e.message[0] ? ": " : "", e.message,
                  sts_fix(&e, assume, mfa));
    err->http_status = e.http_status;
    memcpy(err->code, e.code, sizeof(err->code));
    memcpy(err->request_id, e.request_id, sizeof(err->request_id));
    memcpy(err->service, e.service, sizeof(err->service));
    memcpy(err->action, e.action, sizeof(err->action));
    memcpy(err->endpoint, e.endpoint, sizeof(err->endpoint));
}

static void source_found_none(const struct creds_ctx *ctx, const char *source,
                              struct aws_error *err)
{
    aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: credential_source = %s found no "
                  "credentials%s", ctx->profile, source, strcmp(source, "Ec2InstanceMetadata")
                  == 0 ? " (is AWS_EC2_METADATA_DISABLED set, or is this not an EC2 "
                  "instance?)" : " (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are "
                  "not set)");
}

/* Source credentials from credential_source (Environment, Ec2InstanceMetadata,
 * EcsContainer). */
static enum provider_result credential_source_get(struct creds_ctx *ctx, const char *source,
                                                  struct aws_credentials **out,
                                                  struct aws_error *err)
{
    const struct creds_provider *p = NULL;
    enum provider_result r;

    if (strcmp(source, "Environment") == 0) {
        const char *akid = getenv("AWS_ACCESS_KEY_ID"), *secret = getenv("AWS_SECRET_ACCESS_KEY");
        const char *token = getenv("AWS_SESSION_TOKEN");

        if (!akid || !*akid || !secret || !*secret) {
            aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: credential_source = "
                          "Environment but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are "
                          "not both set; set them or use source_profile", ctx->profile);
            return PROVIDER_ERROR;
        }
        *out = creds_new(akid, secret, token, 0, "environment");
        return PROVIDER_OK;
    }
    if (strcmp(source, "Ec2InstanceMetadata") == 0)
        p = &creds_provider_imds;
    else if (strcmp(source, "EcsContainer") == 0)
        p = &creds_provider_container;
    if (!p) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: credential_source = %s is not "
                      "one of Environment, Ec2InstanceMetadata, EcsContainer; fix it in %s",
                      ctx->profile, source, ctx->cfg->config_file);
        return PROVIDER_ERROR;
    }
    if (!p->resolve) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: credential_source = %s, but "
                      "this opsdeck was built without that provider; use source_profile",
                      ctx->profile, source);
        return PROVIDER_ERROR;
    }
    r = p->resolve(ctx, out, err);   /* PENDING: ctx->task is that provider's work */
    if (r == PROVIDER_SKIP) {
        source_found_none(ctx, source, err);
        return PROVIDER_ERROR;
    }
    return r;
}

/* botocore: a profile that names itself as source_profile and has static keys uses those
 * keys as the source (a common way to put both in one [section]). */
static struct aws_credentials *self_static_keys(struct creds_ctx *ctx)
{
    const char *akid = creds_profile_value(ctx, "aws_access_key_id");
    const char *secret = creds_profile_value(ctx, "aws_secret_access_key");

    if (!akid || !*akid || !secret || !*secret)
        return NULL;
    return creds_new(akid, secret, creds_profile_value(ctx, "aws_session_token"), 0,
                     "static keys");
}


/* ---- one STS refresh, in steps ------------------------------------------------------- */

struct sts_job {
    struct creds_task task;
    struct creds_ctx ctx;           /* the profile's; its strings are the config's */
    bool assume;                    /* AssumeRole; false: GetSessionToken */
    /* where the source credentials come from, for the source step */
    const char *src_profile;        /* a source_profile (the cache's queue, src_wait) */
    const char *src_kind;           /* a credential_source provider (src_task) */
    struct cred_waiter src_wait;
    struct creds_task *src_task;
    struct aws_credentials *src;
    /* the call */
    const char *role, *serial;
    struct sts_assume_role_params arp;
    struct sts_session_token_params stp;
    char session_name[40];
    char *via;                      /* "profile base", "credential_source Environment" */
    unsigned long mfa_id;
    unsigned long call;
};

static void job_free(struct sts_job *j)
{
    if (j->src_wait.queue)
        creds_unwait(j->ctx.cm, &j->src_wait);
    if (j->src_task)
        j->src_task->cancel(j->src_task);
    if (j->mfa_id)
        creds_mfa_withdraw(j->ctx.cm, j->mfa_id);
    if (j->call)
        aws_client_cancel(j->ctx.client, j->call);
    aws_credentials_free(j->src);
    free(j->via);
    free(j);
}

static void job_cancel(struct creds_task *t)
{
    job_free((struct sts_job *)(void *)t);
}

/* An asynchronous step ended the job. */
static void job_end(struct sts_job *j, enum provider_result r, struct aws_credentials *c,
                    const struct aws_error *err)
{
    j->task.done(&j->task, r, c, err);
    job_free(j);
}

static enum provider_result job_source(struct sts_job *j, struct aws_credentials **out,
                                       struct aws_error *err);
static enum provider_result job_mfa(struct sts_job *j, struct aws_credentials **out,
                                    struct aws_error *err);
static enum provider_result job_call(struct sts_job *j, char *code,
                                     struct aws_credentials **out, struct aws_error *err);

/* The answer of AssumeRole or GetSessionToken. The body holds secrets: wiped. */
static void job_answer(const struct aws_response *resp, const struct aws_error *err,
                       void *ud)
{
    struct sts_job *j = ud;
    struct sts_credentials sc;
    struct aws_error e;
    struct aws_credentials *c;
    char *what;
    int rc;

    j->call = 0;
    aws_error_clear(&e);
    if (!resp) {
        e = *err;
        rc = -1;
    } else {
        rc = j->assume ? sts_assume_role_parse(resp, &sc, &e)
                       : sts_get_session_token_parse(resp, &sc, &e);
        if (resp->body.data)
            explicit_bzero(resp->body.data, resp->body.len);
    }
    if (rc < 0) {
        what = j->assume ? xasprintf("AssumeRole %s via %s", j->role, j->via)
                         : xasprintf("GetSessionToken with MFA device %s", j->serial);
        sts_error(&e, j->ctx.profile, what, j->assume, j->serial != NULL);
        free(what);
        job_end(j, PROVIDER_ERROR, NULL, &e);
        return;
    }
    what = j->assume ? xasprintf("profile %s: role %s via %s%s", j->ctx.profile, j->role,
                                 j->via, j->serial ? " (MFA)" : "")
                     : xasprintf("profile %s: MFA session (GetSessionToken, %s) for static "
                                 "keys", j->ctx.profile, j->serial);
    c = creds_new(sc.access_key_id, sc.secret_access_key, sc.session_token,
                  (time_t)sc.expiration, what);
    sts_credentials_free(&sc);
    free(what);
    job_end(j, PROVIDER_OK, c, NULL);
}

/* The call step: sends the request signed with the source credentials. */
static enum provider_result job_call(struct sts_job *j, char *code,
                                     struct aws_credentials **out, struct aws_error *err)
{
    struct aws_request req;

    (void)out;
    if (j->serial && mfa_code_check(&j->ctx, j->serial, code, MFA_CODE_MAX, err) < 0)
        return PROVIDER_ERROR;
    if (j->assume) {
        j->arp.serial_number = j->serial;
        j->arp.token_code = j->serial ? code : NULL;
        sts_assume_role_request(&req, &j->arp);
    } else {
        j->stp.serial_number = j->serial;
        j->stp.token_code = code;
        sts_get_session_token_request(&req, &j->stp);
    }
    if (j->serial)
        explicit_bzero(code, MFA_CODE_MAX);
    j->call = creds_call(&j->ctx, j->src, &req, job_answer, j, err);
    aws_request_done(&req);
    return j->call ? PROVIDER_PENDING : PROVIDER_ERROR;
}

static void job_mfa_answer(void *ud, const char *answer)
{
    struct sts_job *j = ud;
    struct aws_credentials *c = NULL;
    struct aws_error err;
    enum provider_result r;
    char code[MFA_CODE_MAX];

    j->mfa_id = 0;
    aws_error_clear(&err);
    code[0] = '\0';
    if (!answer) {
        aws_error_set(&err, AWS_ERR_CREDENTIALS, "profile %s: no MFA code was given for %s "
                      "(the prompt was closed); the next refresh asks again", j->ctx.profile,
                      j->serial);
        r = PROVIDER_ERROR;
    } else if (snprintf(code, sizeof(code), "%s", answer) >= (int)sizeof(code)) {
        mfa_none(&j->ctx, j->serial, &err);
        r = PROVIDER_ERROR;
    } else {
        r = job_call(j, code, &c, &err);
    }
    explicit_bzero(code, sizeof(code));
    if (r != PROVIDER_PENDING)
        job_end(j, r, c, &err);
}

/* The MFA step: a code at once (--mfa-code, the /dev/tty prompt) goes straight on to the
 * call; the console's prompt line answers later (job_mfa_answer). */
static enum provider_result job_mfa(struct sts_job *j, struct aws_credentials **out,
                                    struct aws_error *err)
{
    char code[MFA_CODE_MAX] = "";
    enum provider_result r;
    int got;

    if (!j->serial)
        return job_call(j, code, out, err);
    got = creds_mfa_request(&j->ctx, j->serial, code, sizeof(code), job_mfa_answer, j,
                            &j->mfa_id);
    if (got == 0)
        return PROVIDER_PENDING;
    if (got < 0) {
        mfa_none(&j->ctx, j->serial, err);
        return PROVIDER_ERROR;
    }
    r = job_call(j, code, out, err);
    explicit_bzero(code, sizeof(code));
    return r;
}

static void job_source_woken(struct cred_waiter *w, const struct aws_error *err)
{
    struct sts_job *j = (struct sts_job *)(void *)((char *)w - offsetof(struct sts_job,
                                                                        src_wait));
    struct aws_credentials *c = NULL;
    struct aws_error e;
    enum provider_result r;

    aws_error_clear(&e);
    if (err) {
        job_end(j, PROVIDER_ERROR, NULL, err);   /* the source's own line says it all */
        return;
    }
    r = job_source(j, &c, &e);   /* ask again: it is in the cache now */
    if (r != PROVIDER_PENDING)
        job_end(j, r, c, &e);
}

static void job_source_done(struct creds_task *t, enum provider_result r,
                            struct aws_credentials *c, const struct aws_error *err)
{
    struct sts_job *j = t->owner;
    struct aws_credentials *out = NULL;
    struct aws_error e;

    j->src_task = NULL;
    aws_error_clear(&e);
    if (r == PROVIDER_SKIP) {
        source_found_none(&j->ctx, j->src_kind, &e);
        r = PROVIDER_ERROR;
    } else if (r == PROVIDER_ERROR) {
        e = *err;
    }
    if (r == PROVIDER_OK) {
        j->src = c;
        r = job_mfa(j, &out, &e);
    }
    if (r != PROVIDER_PENDING)
        job_end(j, r, out, &e);
}

/* The source step: the credentials AssumeRole is signed with. */
static enum provider_result job_source(struct sts_job *j, struct aws_credentials **out,
                                       struct aws_error *err)
{
    enum provider_result r;

    if (j->src)
        return job_mfa(j, out, err);
    if (j->src_profile) {
        r = creds_resolve_profile(&j->ctx, j->src_profile, &j->src, err, &j->src_wait);
    } else {
        j->ctx.task = NULL;
        r = credential_source_get(&j->ctx, j->src_kind, &j->src, err);
        if (r == PROVIDER_PENDING) {
            j->src_task = j->ctx.task;
            j->ctx.task = NULL;
            j->src_task->done = job_source_done;
            j->src_task->owner = j;
        }
    }
    if (r != PROVIDER_OK)
        return r;
    return job_mfa(j, out, err);
}

/* Runs the job's first steps now; PENDING hands the job to the caller as ctx->task. */
static enum provider_result job_start(struct sts_job *j, struct creds_ctx *ctx,
                                      struct aws_credentials **out, struct aws_error *err)
{
    enum provider_result r;

    j->task.cancel = job_cancel;
    j->src_wait.wake = job_source_woken;
    r = job_source(j, out, err);
    if (r == PROVIDER_PENDING) {
        ctx->task = &j->task;
        return r;
    }
    job_free(j);
    return r;
}

/* ---- assume role --------------------------------------------------------------------- */

static enum provider_result provider_assume_role(struct creds_ctx *ctx,
                                                 struct aws_credentials **out,
                                                 struct aws_error *err)
{
    const char *role = creds_profile_value(ctx, "role_arn");
    const char *src_profile = creds_profile_value(ctx, "source_profile");
    const char *src_kind = creds_profile_value(ctx, "credential_source");
    const char *name = creds_profile_value(ctx, "role_session_name");
    struct sts_job *j;
    int64_t duration;

    /* botocore leaves role_arn + web_identity_token_file to the web identity provider. */
    if (!role || creds_profile_value(ctx, "web_identity_token_file"))
        return PROVIDER_SKIP;
    if (src_profile && src_kind) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s has both source_profile and "
                      "credential_source; keep one of them (in %s)", ctx->profile,
                      ctx->cfg->config_file);
        return PROVIDER_ERROR;
    }
    if (!src_profile && !src_kind) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s has role_arn but neither "
                      "source_profile nor credential_source; add one of them (in %s)",
                      ctx->profile, ctx->cfg->config_file);
        return PROVIDER_ERROR;
    }
    if (profile_int(ctx, "duration_seconds", 900, 43200, &duration, err) < 0)
        return PROVIDER_ERROR;
    if (name && !session_name_valid(name)) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: role_session_name must be 2 to "
                      "64 letters, digits or _+=,.@-; fix it in %s", ctx->profile,
                      ctx->cfg->config_file);
        return PROVIDER_ERROR;
    }
    j = xcalloc(1, sizeof(*j));
    j->ctx = *ctx;
    j->assume = true;
    j->role = role;
    j->serial = creds_profile_value(ctx, "mfa_serial");
    if (!name) {
        /* botocore uses "botocore-session-<time>"; ours says which tool it was in CloudTrail */
        snprintf(j->session_name, sizeof(j->session_name), "opsdeck-%lld",
                 (long long)time(NULL));
        name = j->session_name;
    }
    j->arp.role_arn = role;
    j->arp.session_name = name;
    j->arp.duration_seconds = (int)duration;
    j->arp.external_id = creds_profile_value(ctx, "external_id");
    if (src_profile && strcmp(src_profile, ctx->profile) == 0 &&
        (j->src = self_static_keys(ctx)) != NULL) {
        j->via = xasprintf("its own static keys");
    } else if (src_profile) {
        j->src_profile = src_profile;
        j->via = xasprintf("profile %s", src_profile);
    } else {
        j->src_kind = src_kind;
        j->via = xasprintf("credential_source %s", src_kind);
    }
    return job_start(j, ctx, out, err);
}

const struct creds_provider creds_provider_assume_role = {"assume-role", provider_assume_role};

/* ---- GetSessionToken: MFA session credentials for static keys ----------------------- */

static enum provider_result provider_mfa_session(struct creds_ctx *ctx,
                                                 struct aws_credentials **out,
                                                 struct aws_error *err)
{
    const char *serial = creds_profile_value(ctx, "mfa_serial");
    const char *akid = creds_profile_value(ctx, "aws_access_key_id");
    const char *secret = creds_profile_value(ctx, "aws_secret_access_key");
    struct sts_job *j;
    int64_t duration;

    /* Only the active profile, only long-term keys: a session token means the keys are
     * temporary already (GetSessionToken refuses them), and partial keys are the static
     * providers' error to report. */
    if (ctx->depth > 0 || !serial || creds_profile_value(ctx, "role_arn") || !akid ||
        !*akid || !secret || !*secret || creds_profile_value(ctx, "aws_session_token") ||
        creds_profile_value(ctx, "aws_security_token"))
        return PROVIDER_SKIP;
    /* IAM users may ask for up to 36 hours */
    if (profile_int(ctx, "duration_seconds", 900, 129600, &duration, err) < 0)
        return PROVIDER_ERROR;
    j = xcalloc(1, sizeof(*j));
    j->ctx = *ctx;
    j->serial = serial;
    j->stp.duration_seconds = (int)duration;
    j->src = creds_new(akid, secret, NULL, 0, "static keys");
    return job_start(j, ctx, out, err);
}

const struct creds_provider creds_provider_mfa_session = {"mfa-session", provider_mfa_session};
