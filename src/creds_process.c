/* creds_process.c - credential_process: a command that prints credentials as JSON. */
#include "config.h"
#include "creds_provider.h"

static enum provider_result provider_process(struct creds_ctx *ctx,
                                             struct aws_credentials **out,
                                             struct aws_error *err)
{
    (void)out;
    if (!creds_profile_value(ctx, "credential_process"))
        return PROVIDER_SKIP;
    aws_error_set(err, AWS_ERR_CREDENTIALS, "profile %s uses credential_process, which opsdeck "
                  "does not support yet; use a profile with static keys or set "
                  "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", ctx->profile);
    return PROVIDER_ERROR;
}

const struct creds_provider creds_provider_process = {"custom-process", provider_process};
