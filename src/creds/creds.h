/* creds.h - the credential manager: the only place that knows where credentials come from.
 *
 * Every request asks it, through the small interface the client knows (core/credsrc.h,
 * creds_manager_source), for the current credentials of the active profile. The manager
 * tries the providers in the SDKs' order (creds_provider.h) and caches what they give.
 *
 * Nothing here blocks. Providers that need the network (STS, the SSO portal and SSO-OIDC,
 * container and instance metadata) send ordinary requests on the asking client, and
 * credential_process runs as a child whose pipe that client's wait watches. While such a
 * refresh is under way the requests that need it wait in one queue per profile, and the
 * refresh's end wakes them all: with credentials, or with the refresh's error (naming the
 * profile, the source and the fix). */
#ifndef OPSDECK_CREDS_H
#define OPSDECK_CREDS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/awserr.h"
#include "core/credsrc.h"
#include "conf/awsconfig.h"

struct aws_client;
struct creds_manager;

/* cfg must outlive the manager. */
struct creds_manager *creds_manager_new(const struct aws_config *cfg);
/* Stops every refresh (a credential_process child is killed and reaped) and withdraws open
 * MFA questions. The clients that use the manager must be freed first (they are its
 * borrowers). */
void creds_manager_free(struct creds_manager *cm);

/* What to give aws_client_new: the manager as a credential source. */
struct cred_source *creds_manager_source(struct creds_manager *cm);

enum creds_status { CREDS_OK = 0, CREDS_ERROR = -1, CREDS_PENDING = 1 };

/* The current credentials of the active profile, as the client asks for them (see struct
 * cred_source's get). CREDS_OK: *out stays valid until the next call to creds_manager_get
 * or an invalidate (do not free it). CREDS_ERROR: err names the profile, what was tried and
 * the fix. CREDS_PENDING: a refresh runs on client c (c NULL: only providers that answer at
 * once can be used; the others fail saying so); w, when not NULL, is woken when it ends.
 * Credentials within CREDS_REFRESH_AHEAD of expiry are returned while a refresh runs in the
 * background; expired ones (or none) make the caller wait. */
enum creds_status creds_manager_get(struct creds_manager *cm, struct aws_client *c,
                                    struct cred_waiter *w, const struct aws_credentials **out,
                                    struct aws_error *err);
/* Forget the active profile's cached credentials (a profile switch, or a test). */
void creds_manager_invalidate(struct creds_manager *cm);

/* Asks the person for the current code of an MFA device (mfa_serial), as question id.
 * Returns 1 with a NUL-terminated code in code (answered at once: the /dev/tty prompt), 0
 * when the answer comes later through creds_manager_mfa_answer (the console's prompt line;
 * the refresh waits meanwhile), or -1 when no code can be had (no terminal, cancelled). */
typedef int (*creds_mfa_fn)(void *ud, unsigned long id, const char *profile,
                            const char *serial, char *code, size_t codelen);
/* Question id is void (its refresh was stopped): close whatever asks it. */
typedef void (*creds_mfa_withdraw_fn)(void *ud, unsigned long id);
/* Who answers MFA prompts: the console's prompt line, or the headless /dev/tty prompt
 * (creds_mfa_tty_ask). A fixed code (--mfa-code) is used once, before any prompt. withdraw
 * may be NULL for a prompt that always answers at once. */
void creds_manager_set_mfa(struct creds_manager *cm, creds_mfa_fn fn,
                           creds_mfa_withdraw_fn withdraw, void *ud, const char *fixed_code);
/* The later answer to question id: the code, or NULL when the person declined. The refresh
 * goes on from here (never from inside this call's caller's loop iteration: it only sends
 * the next request). Unknown or withdrawn ids are ignored. */
void creds_manager_mfa_answer(struct creds_manager *cm, unsigned long id, const char *code);

/* botocore's name for the provider of the current credentials ("env",
 * "shared-credentials-file", "config-file"), or NULL before a successful get. */
const char *creds_manager_method(const struct creds_manager *cm);
/* Credentials within this many seconds of expiry are refreshed in the background on the
 * next get, while they are still used. */
#define CREDS_REFRESH_AHEAD 300
/* After a refresh that failed (or gave credentials that expire as soon), the next attempt
 * waits this long, so a dead STS is not asked on every request; the old credentials are used
 * meanwhile while they are valid. */
#define CREDS_REFRESH_HOLDOFF 30

/* Caching: the manager keeps one credential per profile it resolved (the active one, and the
 * source_profiles of role chains) and answers from that cache. A credential within
 * CREDS_REFRESH_AHEAD of its expiry is refreshed when next asked for; until the refresh ends
 * (and after it, if it failed) the old one is still returned while it has not expired, and
 * a failure is shown in creds_manager_report. Sessions from "assume-role", "mfa-session",
 * "session-token" and "sso" are also kept in the OS keyring (kind "session", see keyring.h)
 * and looked up before the provider runs, so a restart does not ask for MFA again; an
 * invalidate removes the active profile's keyring session too (the service just refused
 * it). */

/* For :profile / :region in the console: stops every refresh (their waiters are woken with
 * an error), wipes and drops every cached credential and uses cfg from now on (it must
 * outlive the manager; the old one may be freed after this). */
void creds_manager_switch(struct creds_manager *cm, const struct aws_config *cfg);

/* One credential held or being fetched, for the header, the expiry view and the store's
 * "credential" rows. No secret. */
struct creds_report {
    char profile[128];
    char method[48];          /* the provider's name: "env", "keyring", "assume-role", ...;
                                 while the first refresh runs, the provider working on it */
    char source[512];         /* creds.source: "profile prod: long-term keys (...ABCD) in ...";
                                 "" while none are held */
    time_t expiration;        /* 0: does not expire (or none held) */
    char refresh_error[1024]; /* why the last refresh failed (old ones still in use), or "" */
    bool active;              /* the active profile's own credential (not a source_profile) */
    bool refreshing;          /* a refresh is under way ("refreshing credentials") */
    bool usable;              /* credentials are held that can sign now; false while the
                                 first refresh (or one after they expired or were refused)
                                 runs: requests wait for it */
};
/* Fills out[0..max) and returns how many credentials are held or being fetched (may be
 * more than max). */
size_t creds_manager_report(const struct creds_manager *cm, struct creds_report *out,
                            size_t max);
/* The header's question, without copying a report: whether any refresh is under way, and
 * (*waiting) whether the active profile's requests wait for it, holding nothing usable. */
bool creds_manager_refreshing(const struct creds_manager *cm, bool *waiting);
/* `r` in the console: the hold-off after a failed refresh is lifted, so the next request
 * tries again at once (and asks again for an MFA code that was declined). */
void creds_manager_retry_now(struct creds_manager *cm);
/* "Refresh now" (the expiry view): renews the credentials of profile (NULL: the active
 * one; else the active profile's or a source_profile's, as creds_report names them) before
 * they come due, on client c. The credentials held stay in use meanwhile; a session kept
 * in the keyring is not taken in place of new ones. CREDS_PENDING: a refresh runs (or was
 * already running): creds_report.refreshing is true until it ends, then expiration and
 * refresh_error say how it went (the store's "credential" rows carry the same, each second:
 * refreshing, expiry, refresh_error). CREDS_OK: it ended at once (a provider that reads
 * files). CREDS_ERROR: err says why (nothing held for that profile, or the provider failed
 * at once; credentials still valid are kept, with refresh_error set). An MFA code it needs
 * is asked like any refresh's. */
enum creds_status creds_manager_refresh_now(struct creds_manager *cm, struct aws_client *c,
                                            const char *profile, struct aws_error *err);
/* Seconds between failed refresh attempts (CREDS_REFRESH_HOLDOFF); 0 in tests. */
void creds_manager_set_refresh_holdoff(struct creds_manager *cm, int seconds);

/* Stores c in the keyring as the session of profile made by provider method, for the
 * profile's current settings in cfg (what the manager itself does after a role or SSO call;
 * used by tests and tools). 0, or -1 with err set (no keyring, or a profile without role,
 * MFA or SSO settings). */
int creds_session_store(const struct aws_config *cfg, const char *profile, const char *method,
                        const struct aws_credentials *c, struct aws_error *err);

#endif
