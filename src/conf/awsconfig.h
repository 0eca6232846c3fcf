/* awsconfig.h - resolving profile, region and endpoints as the AWS CLI does.
 *
 * Reads AWS_CONFIG_FILE (~/.aws/config) and AWS_SHARED_CREDENTIALS_FILE
 * (~/.aws/credentials) with inih. The credential chain itself is in creds.c; this module only
 * answers "what does the profile say". */
#ifndef OPSDECK_AWSCONFIG_H
#define OPSDECK_AWSCONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/awserr.h"

struct aws_config_opts {
    const char *profile;       /* --profile; NULL: AWS_PROFILE, else "default" */
    const char *region;        /* --region; NULL: AWS_REGION, AWS_DEFAULT_REGION, profile */
    const char *endpoint_url;  /* --endpoint-url: over every other endpoint rule; NULL */
    const char *profile_origin;/* what chose .profile, for messages: NULL is "--profile";
                                * the console's switch says ":profile" */
};

struct aws_config {
    char *profile;             /* the profile in use */
    bool profile_explicit;     /* chosen by --profile (the CLI then skips env credentials) */
    char *profile_source;      /* "--profile", "AWS_PROFILE", "default" */
    char *region;              /* NULL when nothing sets one */
    char *region_source;       /* "--region", "AWS_REGION", "AWS_DEFAULT_REGION", "profile NAME" */
    char *config_file;         /* paths actually used (they need not exist) */
    char *credentials_file;
    struct aws_config_data *data;  /* parsed sections, private to config.c */
};

/* Loads both files. A missing file is not an error; a file that cannot be parsed is, with
 * file:line. A --profile that exists in neither file is an error naming both files.
 * Returns NULL with err set. */
struct aws_config *aws_config_new(const struct aws_config_opts *opts, struct aws_error *err);
void aws_config_free(struct aws_config *cfg);

/* A key of a profile in the config file ("[profile x]", or "[default]"), or NULL. */
const char *aws_config_get(const struct aws_config *cfg, const char *profile, const char *key);
/* A key of a profile in the credentials file ("[x]"), or NULL. */
const char *aws_config_get_credentials(const struct aws_config *cfg, const char *profile,
                                       const char *key);
/* A key of another section kind: ("sso-session", "name", "sso_start_url"). */
const char *aws_config_get_section(const struct aws_config *cfg, const char *kind,
                                   const char *name, const char *key);

/* The base URL for a service ("sqs", "sns", "s3", "sts", "monitoring", "iam",
 * "secretsmanager", "ssm", "events", "lambda", "logs", "ec2", "portal.sso"): --endpoint-url,
 * then AWS_ENDPOINT_URL_<SERVICE ID>, AWS_ENDPOINT_URL, the profile's services section, its
 * endpoint_url, then the public endpoint for the region. *source (may be NULL) is set to
 * the rule that chose it, e.g. "AWS_ENDPOINT_URL_SQS". The caller frees. NULL with err set
 * when no region is known and the service needs one. */
char *aws_config_endpoint(const struct aws_config *cfg, const char *service,
                          const char **source, struct aws_error *err);
/* The region to sign a request to service for, given the source aws_config_endpoint
 * reported for its endpoint: IAM's public endpoint is global, signed for us-east-1
 * (us-gov-west-1, cn-north-1 in those partitions); everything else, and any configured
 * endpoint, for the profile's region; "us-east-1" when there is none, as the CLI does for
 * an emulator endpoint without a region. Never NULL. */
const char *aws_config_signing_region(const struct aws_config *cfg, const char *service,
                                      const char *source);

/* Added by config.c. */

/* A key of the active profile as botocore's scoped config sees it: the credentials file's
 * [profile] over the config file's [profile profile] ("region" may come from either). */
const char *aws_config_profile_value(const struct aws_config *cfg, const char *key);
/* Does the profile exist in either file? */
bool aws_config_profile_exists(const struct aws_config *cfg, const char *profile);
/* Every profile of both files, sorted, each once: [default] and [profile x] of the config
 * file, [x] of the credentials file. *out is NULL when there are none; the caller frees
 * each name and the array. The names come from files: show them through sanitize_text(). */
size_t aws_config_profile_names(const struct aws_config *cfg, char ***out);
/* A key inside a nested block: for "s3 =\n  addressing_style = path", the value returned by
 * aws_config_get and subkey "addressing_style" give "path". NULL when absent or block is not
 * nested. The caller frees. */
char *aws_config_nested_get(const char *block, const char *subkey);
/* http:// or https://, a host (name, IPv4 or [IPv6]), an optional port 1-65535, and an
 * optional path; no spaces or control characters. */
bool aws_config_endpoint_valid(const char *url);
/* Like aws_config_endpoint, for a region other than the profile's (the SSO portal and
 * SSO-OIDC live in sso_region), and without --endpoint-url (it names the command's service,
 * not a credential provider's): AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the services
 * section, endpoint_url, then https://<prefix>.<region>.<dns suffix>. */
char *aws_config_endpoint_region(const struct aws_config *cfg, const char *service,
                                 const char *region, const char **source,
                                 struct aws_error *err);

#endif
