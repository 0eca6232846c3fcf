/* creds.h - the credential manager: the only place that knows where credentials come from.
 *
 * Every request asks it for the current credentials. Providers today: environment and static
 * keys in the credentials/config files; the full chain (assume role, SSO, process,
 * container, IMDS) plugs in behind the same calls. */
#ifndef OPSDECK_CREDS_H
#define OPSDECK_CREDS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/awserr.h"
#include "conf/awsconfig.h"

struct aws_credentials {
    char *access_key_id;
    char *secret_access_key;   /* wiped when freed */
    char *session_token;       /* NULL when none; wiped when freed */
    time_t expiration;         /* 0: does not expire */
    char *source;              /* where they came from, no secret: "environment",
                                  "profile prod: static keys in /root/.aws/credentials" */
};

struct creds_manager;

/* cfg must outlive the manager. */
struct creds_manager *creds_manager_new(const struct aws_config *cfg);
void creds_manager_free(struct creds_manager *cm);

enum creds_status { CREDS_OK = 0, CREDS_ERROR = -1, CREDS_PENDING = 1 };

/* The current credentials of the active profile. CREDS_OK: *out stays valid until the next
 * call to creds_manager_get or creds_manager_invalidate (do not free it). CREDS_ERROR: err
 * names the profile, what was tried and the fix. CREDS_PENDING (providers that need the
 * network, later): a refresh is under way; ask again after it completes. */
enum creds_status creds_manager_get(struct creds_manager *cm, const struct aws_credentials **out,
                                    struct aws_error *err);
/* Forget cached credentials (after ExpiredToken, or a profile switch). */
void creds_manager_invalidate(struct creds_manager *cm);

void aws_credentials_free(struct aws_credentials *c);

/* Asks the person for the current code of an MFA device (mfa_serial). Writes a NUL-terminated
 * code into code and returns 0, or -1 when none can be had (no terminal, cancelled). */
typedef int (*creds_mfa_fn)(void *ud, const char *profile, const char *serial, char *code,
                            size_t codelen);
/* Who answers MFA prompts: the console's dialog, or the headless /dev/tty prompt
 * (creds_mfa_tty_prompt). A fixed code (--mfa-code) is used once, before any prompt. */
void creds_manager_set_mfa(struct creds_manager *cm, creds_mfa_fn fn, void *ud,
                           const char *fixed_code);
/* For providers: the MFA code for serial, from the fixed code or the prompt. */
int creds_manager_mfa_code(struct creds_manager *cm, const char *profile, const char *serial,
                           char *code, size_t codelen);

/* botocore's name for the provider of the current credentials ("env",
 * "shared-credentials-file", "config-file"), or NULL before a successful get. */
const char *creds_manager_method(const struct creds_manager *cm);
/* Credentials within this many seconds of expiry are refreshed on the next get. */
#define CREDS_REFRESH_AHEAD 300
/* After a refresh that failed (or gave credentials that expire as soon), the next attempt
 * waits this long, so a dead STS is not asked on every request; the old credentials are used
 * meanwhile while they are valid. */
#define CREDS_REFRESH_HOLDOFF 30

/* Caching: the manager keeps one credential per profile it resolved (the active one, and the
 * source_profiles of role chains) and answers from that cache. A credential within
 * CREDS_REFRESH_AHEAD of its expiry is refreshed on the next creds_manager_get; if that fails
 * and it has not expired yet it is still returned (CREDS_OK) and the failure is shown in
 * creds_manager_report. Sessions from "assume-role", "mfa-session", "session-token" and "sso"
 * are also kept in the OS keyring (kind "session", see keyring.h) and looked up before the
 * provider runs, so a restart does not ask for MFA again; creds_manager_invalidate removes
 * the active profile's keyring session too (the service just refused it). */

/* For :profile / :region in the console: wipes and drops every cached credential and uses
 * cfg from now on (it must outlive the manager; the old one may be freed after this). */
void creds_manager_switch(struct creds_manager *cm, const struct aws_config *cfg);

/* One credential held, for the expiry view and the header. No secret. */
struct creds_report {
    char profile[128];
    char method[48];          /* the provider's name: "env", "keyring", "assume-role", ... */
    char source[512];         /* creds.source: "profile prod: long-term keys (...ABCD) in ..." */
    time_t expiration;        /* 0: does not expire */
    char refresh_error[1024]; /* why the last refresh failed (old ones still in use), or "" */
    bool active;              /* the active profile's own credential (not a source_profile) */
};
/* Fills out[0..max) and returns how many credentials are held (may be more than max). */
size_t creds_manager_report(const struct creds_manager *cm, struct creds_report *out,
                            size_t max);
/* Seconds between failed refresh attempts (CREDS_REFRESH_HOLDOFF); 0 in tests. */
void creds_manager_set_refresh_holdoff(struct creds_manager *cm, int seconds);

/* Stores c in the keyring as the session of profile made by provider method, for the
 * profile's current settings in cfg (what the manager itself does after a role or SSO call;
 * used by tests and tools). 0, or -1 with err set (no keyring, or a profile without role,
 * MFA or SSO settings). */
int creds_session_store(const struct aws_config *cfg, const char *profile, const char *method,
                        const struct aws_credentials *c, struct aws_error *err);

#endif
