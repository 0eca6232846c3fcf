/* creds_static.c - the providers that need nothing but what is at hand: the environment,
 * static keys in the credentials and config files, and web identity's explicit refusal; and
 * the helpers every provider uses. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "creds/creds_provider.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

/* The last four characters only: enough to tell two keys apart in a status line. */
static char *key_mask(const char *akid)
{
    size_t n = strlen(akid);

    return xasprintf("...%s", n > 4 ? akid + n - 4 : "");
}

/* ---- providers ----------------------------------------------------------------------- */

static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);

    return v && *v ? v : NULL;
}

static enum provider_result provider_env(struct creds_ctx *ctx, struct aws_credentials **out,
                                         struct aws_error *err)
{
    const char *akid = env_nonempty("AWS_ACCESS_KEY_ID");
    const char *secret = env_nonempty("AWS_SECRET_ACCESS_KEY");
    const char *token, *exp;
    struct aws_credentials *c;
    int64_t expiration = 0;
    char *mask;

    /* The CLI ignores the environment when --profile names a profile, and a source_profile
     * is never the environment. */
    if (ctx->cfg->profile_explicit || ctx->depth > 0)
        return PROVIDER_SKIP;
    if (!akid && !secret)
        return PROVIDER_SKIP;
    if (!akid || !secret) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "%s is set but %s is not; set both, or unset "
                      "%s to use profile %s", akid ? "AWS_ACCESS_KEY_ID" :
                      "AWS_SECRET_ACCESS_KEY", akid ? "AWS_SECRET_ACCESS_KEY" :
                      "AWS_ACCESS_KEY_ID", akid ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                      ctx->profile);
        return PROVIDER_ERROR;
    }
    /* botocore reads AWS_SECURITY_TOKEN (the boto2 name) before AWS_SESSION_TOKEN. */
    token = env_nonempty("AWS_SECURITY_TOKEN");
    if (!token)
        token = env_nonempty("AWS_SESSION_TOKEN");
    exp = env_nonempty("AWS_CREDENTIAL_EXPIRATION");
    if (exp && timeutil_parse_iso8601(exp, &expiration) < 0) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 "
                      "time with a zone; set it like 2030-01-31T12:00:00Z or unset it");
        return PROVIDER_ERROR;
    }
    c = xcalloc(1, sizeof(*c));
    c->access_key_id = xstrdup(akid);
    c->secret_access_key = xstrdup(secret);
    c->session_token = token ? xstrdup(token) : NULL;
    c->expiration = expiration;
    mask = key_mask(akid);
    c->source = xasprintf("environment: AWS_ACCESS_KEY_ID %s%s", mask,
                          token ? " with a session token" : "");
    free(mask);
    *out = c;
    return PROVIDER_OK;
}

/* Static keys from one file's view of the profile; get is the lookup for that file. */
static enum provider_result static_keys(struct creds_ctx *ctx, struct aws_credentials **out,
                                        struct aws_error *err, const char *path,
                                        const char *(*get)(const struct aws_config *,
                                                           const char *, const char *))
{
    const struct aws_config *cfg = ctx->cfg;
    const char *profile = ctx->profile;
    const char *akid = get(cfg, profile, "aws_access_key_id");
    const char *secret = get(cfg, profile, "aws_secret_access_key");
    const char *token;
    struct aws_credentials *c;
    char *mask;

    /* As botocore: the access key decides whether this file provides the profile. */
    if (!akid)
        return PROVIDER_SKIP;
    if (!secret || !*secret || !*akid) {
        aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s in %s has %s but no %s; add it or "
                      "remove the other key", profile, path,
                      *akid ? "aws_access_key_id" : "an empty aws_access_key_id",
                      *akid ? "aws_secret_access_key" : "access key id");
        return PROVIDER_ERROR;
    }
    token = get(cfg, profile, "aws_security_token");
    if (!token)
        token = get(cfg, profile, "aws_session_token");
    c = xcalloc(1, sizeof(*c));
    c->access_key_id = xstrdup(akid);
    c->secret_access_key = xstrdup(secret);
    c->session_token = token && *token ? xstrdup(token) : NULL;
    mask = key_mask(akid);
    c->source = xasprintf("profile %s: static keys (%s) in %s", profile, mask, path);
    free(mask);
    *out = c;
    return PROVIDER_OK;
}

static enum provider_result provider_credentials_file(struct creds_ctx *ctx,
                                                      struct aws_credentials **out,
                                                      struct aws_error *err)
{
    return static_keys(ctx, out, err, ctx->cfg->credentials_file, aws_config_get_credentials);
}

/* botocore's ConfigProvider reads the config file alone (not the merged profile), so an
 * access key there with the secret in the credentials file is partial: an error in both. */
static enum provider_result provider_config_file(struct creds_ctx *ctx,
                                                 struct aws_credentials **out,
                                                 struct aws_error *err)
{
    return static_keys(ctx, out, err, ctx->cfg->config_file, aws_config_get);
}

/* Web identity (role_arn + web_identity_token_file) is not built: claim the profile when it
 * uses it, and say so, rather than fall through to another provider. */
static enum provider_result provider_web_identity(struct creds_ctx *ctx,
                                                  struct aws_credentials **out,
                                                  struct aws_error *err)
{
    (void)out;
    if (!creds_profile_value(ctx, "web_identity_token_file"))
        return PROVIDER_SKIP;
    aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s uses web identity "
                  "(web_identity_token_file), which opsdeck does not support; use a profile "
                  "with another credential source", ctx->profile);
    return PROVIDER_ERROR;
}

const struct creds_provider creds_provider_env = {"env", provider_env};
const struct creds_provider creds_provider_web_identity = {"assume-role-with-web-identity",
                                                           provider_web_identity};
const struct creds_provider creds_provider_credentials_file = {"shared-credentials-file",
                                                               provider_credentials_file};
const struct creds_provider creds_provider_config_file = {"config-file",
                                                          provider_config_file};

const char *creds_profile_value(const struct creds_ctx *ctx, const char *key)
{
    const char *v = aws_config_get_credentials(ctx->cfg, ctx->profile, key);

    return v ? v : aws_config_get(ctx->cfg, ctx->profile, key);
}

struct aws_credentials *creds_new(const char *akid, const char *secret, const char *token,
                                  time_t expiration, const char *source)
{
    struct aws_credentials *c = xcalloc(1, sizeof(*c));

    c->access_key_id = xstrdup(akid);
    c->secret_access_key = xstrdup(secret);
    c->session_token = token && *token ? xstrdup(token) : NULL;
    c->expiration = expiration;
    c->source = xstrdup(source ? source : "");
    return c;
}
