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
 * (depth 0), so source_profile chains resolve exactly as botocore resolves them. */
#include "config.h"

#include <ctype.h>
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

/* The MFA code for serial, 6 digits: from --mfa-code or the prompt. */
static int mfa_code_get(struct creds_ctx *ctx, const char *serial, char *code, size_t len,
                        struct aws_error *err)
{
    size_t n;

    if (!ctx->cm || creds_manager_mfa_code(ctx->cm, ctx->profile, serial, code, len) != 0) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s needs an MFA code for %s "
                      "(mfa_serial) and got none: pass --mfa-code CODE (6 digits), or run "
                      "opsdeck on a terminal to be asked", ctx->profile, serial);
        return -1;
    }
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

/* Sends req signed with signer and parses the temporary credentials from the answer. The
 * response body holds secrets: wiped before it is freed. */
static int sts_fetch(struct creds_ctx *ctx, const struct aws_credentials *signer,
                     struct aws_request *req, bool assume, struct sts_credentials *out,
                     struct aws_error *err)
{
    struct aws_response resp;
    int rc;

    if (creds_call(ctx, signer, req, &resp, err) < 0) {
        aws_request_done(req);
        return -1;
    }
    aws_request_done(req);
    rc = assume ? sts_assume_role_parse(&resp, out, err)
                : sts_get_session_token_parse(&resp, out, err);
    if (resp.body.data)
        explicit_bzero(resp.body.data, resp.body.len);
    aws_response_done(&resp);
    return rc;
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
    r = p->resolve(ctx, out, err);
    if (r == PROVIDER_SKIP) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s: credential_source = %s found "
                      "no credentials%s", ctx->profile, source,
                      p == &creds_provider_imds ? " (is AWS_EC2_METADATA_DISABLED set, or is "
                      "this not an EC2 instance?)" : " (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI "
                      "and _FULL_URI are not set)");
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

static enum provider_result provider_assume_role(struct creds_ctx *ctx,
                                                 struct aws_credentials **out,
                                                 struct aws_error *err)
{
    const char *role = creds_profile_value(ctx, "role_arn");
    const char *src_profile = creds_profile_value(ctx, "source_profile");
    const char *src_kind = creds_profile_value(ctx, "credential_source");
    const char *serial = creds_profile_value(ctx, "mfa_serial");
    const char *name = creds_profile_value(ctx, "role_session_name");
    struct sts_assume_role_params p = {0};
    struct aws_credentials *src = NULL;
    struct sts_credentials sc;
    struct aws_request req;
    enum provider_result r;
    char code[MFA_CODE_MAX], gen_name[40], *what, *via;
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
    if (!name) {
        /* botocore uses "botocore-session-<time>"; ours says which tool it was in CloudTrail */
        snprintf(gen_name, sizeof(gen_name), "opsdeck-%lld", (long long)time(NULL));
        name = gen_name;
    }

    if (src_profile && strcmp(src_profile, ctx->profile) == 0 &&
        (src = self_static_keys(ctx)) != NULL) {
        via = xasprintf("its own static keys");
    } else if (src_profile) {
        r = creds_resolve_profile(ctx, src_profile, &src, err);
        if (r != PROVIDER_OK)
            return r;
        via = xasprintf("profile %s", src_profile);
    } else {
        r = credential_source_get(ctx, src_kind, &src, err);
        if (r != PROVIDER_OK)
            return r;
        via = xasprintf("credential_source %s", src_kind);
    }

    if (serial && mfa_code_get(ctx, serial, code, sizeof(code), err) < 0) {
        aws_credentials_free(src);
        free(via);
        return PROVIDER_ERROR;
    }
    p.role_arn = role;
    p.session_name = name;
    p.duration_seconds = (int)duration;
    p.external_id = creds_profile_value(ctx, "external_id");
    p.serial_number = serial;
    p.token_code = serial ? code : NULL;
    sts_assume_role_request(&req, &p);
    if (serial)
        explicit_bzero(code, sizeof(code));
    what = xasprintf("AssumeRole %s via %s", role, via);
    if (sts_fetch(ctx, src, &req, true, &sc, err) < 0) {
        sts_error(err, ctx->profile, what, true, serial != NULL);
        aws_credentials_free(src);
        free(what);
        free(via);
        return PROVIDER_ERROR;
    }
    aws_credentials_free(src);
    free(what);
    what = xasprintf("profile %s: role %s via %s%s", ctx->profile, role, via,
                     serial ? " (MFA)" : "");
    *out = creds_new(sc.access_key_id, sc.secret_access_key, sc.session_token,
                     (time_t)sc.expiration, what);
    sts_credentials_free(&sc);
    free(what);
    free(via);
    return PROVIDER_OK;
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
    struct sts_session_token_params p = {0};
    struct aws_credentials *src;
    struct sts_credentials sc;
    struct aws_request req;
    char code[MFA_CODE_MAX], *what;
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
    if (mfa_code_get(ctx, serial, code, sizeof(code), err) < 0)
        return PROVIDER_ERROR;
    p.duration_seconds = (int)duration;
    p.serial_number = serial;
    p.token_code = code;
    sts_get_session_token_request(&req, &p);
    explicit_bzero(code, sizeof(code));
    src = creds_new(akid, secret, NULL, 0, "static keys");
    what = xasprintf("GetSessionToken with MFA device %s", serial);
    if (sts_fetch(ctx, src, &req, false, &sc, err) < 0) {
        sts_error(err, ctx->profile, what, false, true);
        aws_credentials_free(src);
        free(what);
        return PROVIDER_ERROR;
    }
    aws_credentials_free(src);
    free(what);
    what = xasprintf("profile %s: MFA session (GetSessionToken, %s) for static keys",
                     ctx->profile, serial);
    *out = creds_new(sc.access_key_id, sc.secret_access_key, sc.session_token,
                     (time_t)sc.expiration, what);
    sts_credentials_free(&sc);
    free(what);
    return PROVIDER_OK;
}

const struct creds_provider creds_provider_mfa_session = {"mfa-session", provider_mfa_session};
