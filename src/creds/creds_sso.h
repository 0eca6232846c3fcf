/* creds_sso.h - IAM Identity Center (SSO): the profile's SSO settings, the token cache that
 * botocore and the AWS CLI v2 share (~/.aws/sso/cache/<sha1>.json), and the device
 * authorization login. The provider itself is creds_provider_sso (creds_provider.h).
 *
 * Exported API (summary):
 *   int   sso_profile_load(cfg, profile, need_role, &sso_profile, err);
 *   void  sso_profile_done(&p);
 *   char *sso_token_cache_path(&p);                      caller frees
 *   int   sso_token_load(path, &sso_token, err);  int sso_token_save(path, &t, err);
 *   void  sso_token_done(&t);                            secrets wiped
 *   int   sso_login_save(&p, &oidc_client, &oidc_token, now, &path, &expires_at, err);
 *   int   sso_login(cfg, profile, out, err);             `opsdeck login --sso` */
#ifndef OPSDECK_CREDS_SSO_H
#define OPSDECK_CREDS_SSO_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "conf/awsconfig.h"
#include "core/awserr.h"

/* Refresh an sso_session token this long before it expires (botocore's _REFRESH_WINDOW). */
#define SSO_REFRESH_WINDOW (15 * 60)

struct sso_profile {
    char *profile;
    char *session;       /* sso_session name; NULL for a legacy sso_start_url profile */
    char *start_url;
    char *region;        /* sso_region */
    char *scopes;        /* sso_registration_scopes, NULL when unset */
    char *account_id;    /* NULL when unset (login does not need them) */
    char *role_name;
};

/* Resolves the SSO settings of profile as botocore does: sso_session points at an
 * [sso-session NAME] section whose keys must agree with the profile's. need_role: also
 * require sso_account_id and sso_role_name. -1 with err (naming the profile, the missing
 * keys and the config file) when incomplete. */
int sso_profile_load(const struct aws_config *cfg, const char *profile, bool need_role,
                     struct sso_profile *out, struct aws_error *err);
void sso_profile_done(struct sso_profile *p);

struct sso_token {
    char *access_token;            /* required */
    time_t expires_at;             /* required */
    char *refresh_token;           /* the rest: NULL/0 when absent */
    char *client_id;
    char *client_secret;
    time_t registration_expires_at;
    char *region;
    char *start_url;
};

/* $HOME/.aws/sso/cache/<sha1 hex of the session name, or of the start URL>.json. */
char *sso_token_cache_path(const struct sso_profile *p);
/* Reads a cache file. -1 with err (AWS_ERR_CREDENTIALS, naming the file and what is wrong,
 * never its contents) when missing, unreadable, not JSON, or without a valid accessToken and
 * expiresAt; *out is then empty. */
int sso_token_load(const char *path, struct sso_token *out, struct aws_error *err);
/* Writes t atomically (a 0600 temp file in the same directory, fsync, rename), creating the
 * directory 0700 if needed, in the JSON botocore reads. */
int sso_token_save(const char *path, const struct sso_token *t, struct aws_error *err);
void sso_token_done(struct sso_token *t);

struct oidc_client;
struct oidc_token;

/* The end of a device authorization for p (`opsdeck login --sso` and the console's sign-in
 * dialog): writes tok into p's cache file in the fields the AWS CLI v2 writes (for an
 * sso_session profile also the refresh token and cl's registration, so the token can be
 * refreshed), the token taken out of tok. 0 with *path (caller frees) and *expires_at, or
 * -1 with err. */
int sso_login_save(const struct sso_profile *p, const struct oidc_client *cl,
                   struct oidc_token *tok, time_t now, char **path, time_t *expires_at,
                   struct aws_error *err);

/* The device authorization flow for profile: registers a client, prints the verification
 * URL and code to out (never opens a browser), polls until approved, denied or expired, and
 * writes the token cache. 0, or -1 with err. Never prints a token or the client secret. */
int sso_login(const struct aws_config *cfg, const char *profile, FILE *out,
              struct aws_error *err);

#endif
