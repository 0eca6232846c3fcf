/* sso_signin.h - IAM Identity Center's device authorization (RFC 8628) on the console's
 * loop: what `opsdeck login --sso` does, without blocking. RegisterClient, then
 * StartDeviceAuthorization, then CreateToken every `interval` seconds (a timer of the
 * client, never a sleep) until the person approves the code elsewhere, denies it, or it
 * expires; on approval the token cache the AWS CLI reads is written (sso_login_save).
 * Every call is unsigned, on the session's client, so the one wait point carries it.
 *
 * Exported API (summary):
 *   struct sso_signin *sso_signin_start(cfg, profile, client, again, changed, ud, err);
 *   void sso_signin_info(s, &sso_signin_info);   what the dialog shows
 *   void sso_signin_free(s);                      cancels what is on the way
 *   enum sso_token_need sso_signin_needed(cfg, profile, now);
 */
#ifndef OPSDECK_SSO_SIGNIN_H
#define OPSDECK_SSO_SIGNIN_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "conf/awsconfig.h"
#include "core/awserr.h"

struct aws_client;
struct sso_signin;

enum sso_signin_state {
    SSO_SIGNIN_REGISTERING,   /* RegisterClient on the way */
    SSO_SIGNIN_STARTING,      /* StartDeviceAuthorization on the way */
    SSO_SIGNIN_WAITING,       /* the code is shown; CreateToken is polled */
    SSO_SIGNIN_DONE,          /* approved: the token cache is written */
    SSO_SIGNIN_FAILED,        /* denied, expired, or a call failed: error says which */
};

/* What a dialog shows. The strings are the sign-in's (valid until its next change) and
 * untrusted: the start URL comes from a local file, the rest from AWS. */
struct sso_signin_info {
    enum sso_signin_state state;
    const char *profile;
    const char *start_url;
    const char *verification_uri;           /* NULL before WAITING */
    const char *verification_uri_complete;  /* NULL when AWS gave none */
    const char *user_code;                  /* NULL before WAITING */
    int64_t expires_ms;       /* timeutil_mono_ms() the code expires at; 0 before WAITING */
    int64_t interval;         /* seconds between two CreateToken calls now */
    unsigned pending;         /* CreateToken answers "authorization pending" so far */
    bool in_flight;           /* a call is on the way now */
    const char *error;        /* FAILED: one line, the cause and the fix */
    time_t token_expires_at;  /* DONE: the new token's expiry (epoch s) */
    const char *cache_path;   /* DONE: the file written */
};

/* Something changed (an answer came, the state moved): the owner redraws. Runs from the
 * loop (aws_client_run), never from inside sso_signin_start or sso_signin_free. */
typedef void (*sso_signin_fn)(void *ud);

/* Starts the sign-in for profile's SSO settings (sso_session or legacy sso_start_url) on
 * client c (which must outlive it). again: what the person does to try again, the end of
 * every error line ("press Enter to try again", "run `opsdeck login --sso dev` again").
 * NULL with err (naming the profile and what its config lacks) when the profile has no SSO
 * settings or no SSO-OIDC endpoint. */
struct sso_signin *sso_signin_start(const struct aws_config *cfg, const char *profile,
                                    struct aws_client *c, const char *again,
                                    sso_signin_fn changed, void *ud, struct aws_error *err);
void sso_signin_info(const struct sso_signin *s, struct sso_signin_info *out);
/* Cancels the call on the way and the next poll, wipes the secrets. NULL is fine. */
void sso_signin_free(struct sso_signin *s);

/* Whether profile's SSO token asks for a sign-in at now (epoch s). */
enum sso_token_need {
    SSO_TOKEN_NOT_SSO,        /* the profile does not use SSO (or its settings are broken) */
    SSO_TOKEN_OK,             /* a token that has not expired */
    SSO_TOKEN_MISSING,        /* no cache file, or one that cannot be used */
    SSO_TOKEN_EXPIRED,        /* expired */
};
enum sso_token_need sso_signin_needed(const struct aws_config *cfg, const char *profile,
                                      time_t now);

#endif
