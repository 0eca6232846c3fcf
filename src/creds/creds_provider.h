/* creds_provider.h - between the credential manager (creds.c) and its providers
 * (creds_*.c). Private to the credential modules.
 *
 * A provider resolves the credentials of ONE profile (ctx->profile), which is the active
 * profile or, inside an assume-role chain, a source_profile. It decides at once whether the
 * profile is its own: "not mine" (SKIP), "here they are" (OK), "error" (with a one-line
 * cause and fix naming the profile). A provider that needs the network or a child process
 * starts that work on ctx->client and returns PENDING with ctx->task set; the work ends
 * later, from the loop, with one call of task->done. Providers never block and never wait
 * in a loop of their own. */
#ifndef OPSDECK_CREDS_PROVIDER_H
#define OPSDECK_CREDS_PROVIDER_H

#include <stdbool.h>
#include <stddef.h>

#include "core/client.h"
#include "core/request.h"
#include "creds/creds.h"

#define CREDS_MAX_CHAIN 16

enum provider_result { PROVIDER_SKIP, PROVIDER_OK, PROVIDER_ERROR, PROVIDER_PENDING };

/* Work a provider started and has not finished. The provider embeds it in its own state. */
struct creds_task {
    /* Set by the provider: stops the work (cancels its requests, kills and reaps its child,
     * withdraws its MFA question, leaves the queues it waits in) and frees it. done is then
     * never called. */
    void (*cancel)(struct creds_task *t);
    /* Set by whoever started the provider (the manager; a role whose credential_source is
     * another provider) before the loop runs again. Called exactly once when the work ends,
     * from the loop, never from inside resolve: OK hands c over; ERROR with err; SKIP when
     * the profile was not the provider's after all (the instance metadata service did not
     * answer). The provider frees its state after done returns; done must not cancel t. */
    void (*done)(struct creds_task *t, enum provider_result r, struct aws_credentials *c,
                 const struct aws_error *err);
    void *owner;   /* the starter's */
};

struct creds_ctx {
    struct creds_manager *cm;
    struct aws_client *client;           /* where requests, children and timers go; NULL:
                                            nothing can be started (PENDING is an error) */
    const struct aws_config *cfg;
    const char *profile;                 /* the profile being resolved (cfg's memory) */
    int depth;                           /* 0: the active profile; >0: a source_profile */
    const char *chain[CREDS_MAX_CHAIN];  /* profiles above this one, for cycle detection */
    struct creds_task *task;             /* out: set by a provider that returns PENDING */
    bool renew;                          /* a refresh asked for now: a session kept in the
                                            keyring is not taken again in its place */
};

struct creds_provider {
    const char *name;    /* botocore's method name: "env", "assume-role", "sso", ... */
    enum provider_result (*resolve)(struct creds_ctx *ctx, struct aws_credentials **out,
                                    struct aws_error *err);
};

/* A key of ctx->profile, credentials file over config file (as botocore merges them). */
const char *creds_profile_value(const struct creds_ctx *ctx, const char *key);

/* The credentials of another profile, for source_profile: the providers in order but the
 * environment (botocore does not use it for source profiles), through the cache, with cycle
 * detection. OK: *out is the caller's copy. PENDING: that profile's refresh is under way; w
 * (when not NULL) is queued and woken when it ends: ask again then. */
enum provider_result creds_resolve_profile(struct creds_ctx *parent, const char *profile,
                                           struct aws_credentials **out, struct aws_error *err,
                                           struct cred_waiter *w);
/* Takes w out of the queue creds_resolve_profile put it in (nothing when it is in none). */
void creds_unwait(struct creds_manager *cm, struct cred_waiter *w);

/* A call for a provider that calls AWS (STS, SSO, SSO-OIDC): sends req on ctx->client,
 * signed with signer (copied; NULL: unsigned), one attempt within CREDS_CALL_TIMEOUT_MS, the
 * answer treated as secret. cb runs from the loop. Returns the id for aws_client_cancel, or
 * 0 with err set (and req emptied) when ctx has no client. The limit is the client's usual
 * one: only the requests that need these credentials wait for the call, so a slow STS is
 * waited for rather than given up on early. */
#define CREDS_CALL_CONNECT_MS 3000
#define CREDS_CALL_TIMEOUT_MS 20000
unsigned long creds_call(const struct creds_ctx *ctx, const struct aws_credentials *signer,
                         struct aws_request *req, aws_done_fn cb, void *ud,
                         struct aws_error *err);

/* The MFA code for serial, for ctx->profile: 1 with the code in code (--mfa-code, or a
 * prompt that answered at once); 0 when the question is out: cb(ud, code or NULL) runs from
 * the loop later, and *id withdraws it (creds_mfa_withdraw); -1 when nobody can be asked. */
int creds_mfa_request(const struct creds_ctx *ctx, const char *serial, char *code,
                      size_t codelen, void (*cb)(void *ud, const char *code), void *ud,
                      unsigned long *id);
void creds_mfa_withdraw(struct creds_manager *cm, unsigned long id);

/* A new credential with copies of the strings given (token may be NULL). */
struct aws_credentials *creds_new(const char *akid, const char *secret, const char *token,
                                  time_t expiration, const char *source);

/* The providers, in creds.c's table (NULL resolve: not built). */
extern const struct creds_provider creds_provider_env;              /* creds_static.c */
extern const struct creds_provider creds_provider_web_identity;     /* creds_static.c */
extern const struct creds_provider creds_provider_credentials_file; /* creds_static.c */
extern const struct creds_provider creds_provider_config_file;      /* creds_static.c */
extern const struct creds_provider creds_provider_assume_role;   /* creds_role.c */
extern const struct creds_provider creds_provider_sso;           /* creds_sso.c */
extern const struct creds_provider creds_provider_process;       /* creds_process.c */
extern const struct creds_provider creds_provider_container;     /* creds_remote.c */
extern const struct creds_provider creds_provider_imds;          /* creds_remote.c */

#endif
