/* creds_role.h - providers of creds_role.c beyond creds_provider.h's assume role. */
#ifndef OPSDECK_CREDS_ROLE_H
#define OPSDECK_CREDS_ROLE_H

#include "creds/creds_provider.h"

/* MFA session credentials: for the active profile with long-term static keys and
 * mfa_serial but no role_arn, GetSessionToken with the MFA code (DurationSeconds from
 * duration_seconds, 900..129600). botocore does NOT do this (it returns the static keys);
 * aws-vault does. Method name "mfa-session". Placed in creds.c's table before the static
 * key providers, so it claims such a profile first. */
extern const struct creds_provider creds_provider_mfa_session;

#endif
