/* sts.h - AWS STS over the query protocol (Version 2011-06-15), XML responses. Pure.
 * Conventions (request init, parse errors, _free): see sqs.h.
 *
 * Exported API (summary):
 *   void sts_get_caller_identity_request(r);
 *   int  sts_get_caller_identity_parse(resp, &sts_identity, err);
 *   void sts_identity_free(&id);
 *   void sts_assume_role_request(r, &sts_assume_role_params);
 *   int  sts_assume_role_parse(resp, &sts_credentials, err);
 *   void sts_get_session_token_request(r, &sts_session_token_params);
 *   int  sts_get_session_token_parse(resp, &sts_credentials, err);
 *   void sts_credentials_free(&c);                            wipes the secrets */
#ifndef OPSDECK_AWS_STS_H
#define OPSDECK_AWS_STS_H

#include <stdint.h>

#include "core/awserr.h"
#include "core/request.h"

struct sts_identity {
    char *account;            /* required: a parse error if missing */
    char *arn;                /* required */
    char *user_id;            /* UserId, NULL if absent */
};

void sts_get_caller_identity_request(struct aws_request *r);
int sts_get_caller_identity_parse(const struct aws_response *resp, struct sts_identity *out,
                                  struct aws_error *err);
void sts_identity_free(struct sts_identity *id);

/* AssumeRole. NULL strings and 0 durations are omitted from the request. */
struct sts_assume_role_params {
    const char *role_arn;         /* required */
    const char *session_name;     /* RoleSessionName, required by AWS */
    int duration_seconds;         /* DurationSeconds, 0: AWS's default (3600) */
    const char *external_id;      /* ExternalId */
    const char *serial_number;    /* SerialNumber (mfa_serial), with token_code */
    const char *token_code;       /* TokenCode: the 6-digit MFA code */
};

/* GetSessionToken (MFA session credentials for an IAM user's long-term keys). */
struct sts_session_token_params {
    int duration_seconds;         /* 0: AWS's default (43200) */
    const char *serial_number;
    const char *token_code;
};

/* The temporary credentials of AssumeRole and GetSessionToken. Every field but the
 * assumed-role ones is required: a response without them is a parse error. */
struct sts_credentials {
    char *access_key_id;
    char *secret_access_key;      /* wiped by sts_credentials_free */
    char *session_token;          /* wiped by sts_credentials_free */
    int64_t expiration;           /* epoch seconds */
    char *assumed_role_arn;       /* AssumedRoleUser/Arn (AssumeRole only; else NULL) */
    char *assumed_role_id;        /* AssumedRoleUser/AssumedRoleId, NULL if absent */
};

void sts_assume_role_request(struct aws_request *r, const struct sts_assume_role_params *p);
int sts_assume_role_parse(const struct aws_response *resp, struct sts_credentials *out,
                          struct aws_error *err);
void sts_get_session_token_request(struct aws_request *r,
                                   const struct sts_session_token_params *p);
int sts_get_session_token_parse(const struct aws_response *resp, struct sts_credentials *out,
                                struct aws_error *err);
void sts_credentials_free(struct sts_credentials *c);

#endif
