/* creds_sso.c - IAM Identity Center (SSO): sso_session or legacy sso_start_url profiles. */
#include "config.h"
#include "creds_provider.h"

static enum provider_result provider_sso(struct creds_ctx *ctx, struct aws_credentials **out,
                                         struct aws_error *err)
{
    const char *key = creds_profile_value(ctx, "sso_session") ? "sso_session"
                      : creds_profile_value(ctx, "sso_start_url") ? "sso_start_url" : NULL;

    (void)out;
    if (!key)
        return PROVIDER_SKIP;
    aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s uses SSO (%s), which opsdeck does not "
                  "support yet; use a profile with static keys or set AWS_ACCESS_KEY_ID and "
                  "AWS_SECRET_ACCESS_KEY", ctx->profile, key);
    return PROVIDER_ERROR;
}

const struct creds_provider creds_provider_sso = {"sso", provider_sso};
