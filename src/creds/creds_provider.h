/* creds_provider.h - between the credential manager (creds.c) and its providers
 * (creds_*.c). Private to the credential modules.
 *
 * A provider resolves the credentials of ONE profile (ctx->profile), which is the active
 * profile or, inside an assume-role chain, a source_profile. It answers "not mine" (SKIP),
 * "here they are" (OK), "error" (with a one-line cause and fix naming the profile), or
 * PENDING (reserved for asynchronous refreshes). Providers may block, but never longer than
 * one request's timeout: a refresh must not freeze the console for long. */
#ifndef OPSDECK_CREDS_PROVIDER_H
#define OPSDECK_CREDS_PROVIDER_H

#include <stdbool.h>
#include <stddef.h>

#include "creds/creds.h"
#include "core/request.h"

#define CREDS_MAX_CHAIN 16

enum provider_result { PROVIDER_SKIP, PROVIDER_OK, PROVIDER_ERROR, PROVIDER_PENDING };

struct creds_ctx {
    struct creds_manager *cm;
    const struct aws_config *cfg;
    const char *profile;                 /* the profile being resolved */
    int depth;                           /* 0: the active profile; >0: a source_profile */
    const char *chain[CREDS_MAX_CHAIN];  /* profiles above this one, for cycle detection */
};

struct creds_provider {
    const char *name;    /* botocore's method name: "env", "assume-role", "sso", ... */
    enum provider_result (*resolve)(struct creds_ctx *ctx, struct aws_credentials **out,
                                    struct aws_error *err);
};

/* A key of ctx->profile, credentials file over config file (as botocore merges them). */
const char *creds_profile_value(const struct creds_ctx *ctx, const char *key);

/* The credentials of another profile, for source_profile: the providers in order but the
 * environment (botocore does not use it for source profiles), with cycle detection. */
enum provider_result creds_resolve_profile(struct creds_ctx *parent, const char *profile,
                                           struct aws_credentials **out, struct aws_error *err);

/* Sends one request and waits for it (bounded by the client's timeouts and retries): for
 * providers that call AWS (STS AssumeRole, SSO). signer NULL sends it unsigned
 * (req->anonymous). On success *resp holds the 2xx response (aws_response_done it). */
int creds_call(struct creds_ctx *ctx, const struct aws_credentials *signer,
               struct aws_request *req, struct aws_response *resp, struct aws_error *err);

/* A new credential with copies of the strings given (token may be NULL). */
struct aws_credentials *creds_new(const char *akid, const char *secret, const char *token,
                                  time_t expiration, const char *source);

/* Providers outside creds.c (NULL resolve: not built). */
extern const struct creds_provider creds_provider_assume_role;   /* creds_role.c */
extern const struct creds_provider creds_provider_sso;           /* creds_sso.c */
extern const struct creds_provider creds_provider_process;       /* creds_process.c */
extern const struct creds_provider creds_provider_container;     /* creds_remote.c */
extern const struct creds_provider creds_provider_imds;          /* creds_remote.c */

#endif
