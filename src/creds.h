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

#include "awserr.h"
#include "awsconfig.h"

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

/* Added by creds.c. */

/* botocore's name for the provider of the current credentials ("env",
 * "shared-credentials-file", "config-file"), or NULL before a successful get. */
const char *creds_manager_method(const struct creds_manager *cm);
/* ISO 8601 with a zone ("2030-01-31T12:00:00Z", "...T12:00:00.123+01:00"); fractions are
 * dropped. false (and *out untouched) for anything else. */
bool creds_parse_iso8601(const char *s, time_t *out);

#endif
