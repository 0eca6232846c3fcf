/* creds_role.c - assume role: role_arn with source_profile or credential_source. */
#include "config.h"
#include "creds_provider.h"

static enum provider_result provider_assume_role(struct creds_ctx *ctx,
                                                 struct aws_credentials **out,
                                                 struct aws_error *err)
{
    (void)out;
    /* botocore leaves role_arn + web_identity_token_file to the web identity provider. */
    if (!creds_profile_value(ctx, "role_arn") || creds_profile_value(ctx, "web_identity_token_file"))
        return PROVIDER_SKIP;
    aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s uses assume role (role_arn), which "
                  "opsdeck does not support yet; use a profile with static keys or set "
                  "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", ctx->profile);
    return PROVIDER_ERROR;
}

const struct creds_provider creds_provider_assume_role = {"assume-role", provider_assume_role};
