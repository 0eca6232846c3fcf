/* sso.h - IAM Identity Center: the SSO portal (GetRoleCredentials) and SSO-OIDC
 * (RegisterClient, StartDeviceAuthorization, CreateToken), both REST-JSON and unsigned: the
 * portal takes the bearer token in x-amz-sso_bearer_token, OIDC the client secret in the
 * body. Pure: builds requests and parses responses. Conventions: see sqs.h.
 *
 * Exported API (summary):
 *   void sso_get_role_credentials_request(r, role_name, account_id, access_token);
 *   int  sso_get_role_credentials_parse(resp, &sso_role_credentials, err);
 *   void oidc_register_client_request(r, client_name, scopes);     scopes: "a,b" or NULL
 *   int  oidc_register_client_parse(resp, &oidc_client, err);
 *   void oidc_start_device_authorization_request(r, client_id, client_secret, start_url);
 *   int  oidc_start_device_authorization_parse(resp, &oidc_device_auth, err);
 *   void oidc_create_token_request(r, client_id, client_secret, grant_type, code_or_refresh);
 *   int  oidc_create_token_parse(resp, &oidc_token, err);
 *   void sso_role_credentials_free(&c); oidc_client_free(&c); oidc_device_auth_free(&d);
 *   void oidc_token_free(&t);                                       secrets are wiped
 *
 * Every secret (access token, refresh token, client secret, secret key, session token) is
 * wiped when freed and never appears in an error message. */
#ifndef OPSDECK_AWS_SSO_H
#define OPSDECK_AWS_SSO_H

#include <stdint.h>

#include "core/awserr.h"
#include "core/request.h"

#define OIDC_GRANT_DEVICE_CODE "urn:ietf:params:oauth:grant-type:device_code"
#define OIDC_GRANT_REFRESH_TOKEN "refresh_token"

struct sso_role_credentials {
    char *access_key_id;       /* all four required */
    char *secret_access_key;
    char *session_token;
    int64_t expiration;        /* epoch seconds (the wire has milliseconds) */
};

struct oidc_client {
    char *client_id;           /* required */
    char *client_secret;       /* required */
    int64_t secret_expires_at; /* clientSecretExpiresAt, epoch seconds; required */
};

struct oidc_device_auth {
    char *device_code;         /* required */
    char *user_code;           /* required */
    char *verification_uri;    /* required */
    char *verification_uri_complete;  /* NULL when absent */
    int64_t expires_in;        /* seconds, required, 1..86400 */
    int64_t interval;          /* seconds, 5 when absent (RFC 8628) */
};

struct oidc_token {
    char *access_token;        /* required */
    int64_t expires_in;        /* seconds, required, 1..31536000 */
    char *refresh_token;       /* NULL when absent */
};

void sso_get_role_credentials_request(struct aws_request *r, const char *role_name,
                                      const char *account_id, const char *access_token);
int sso_get_role_credentials_parse(const struct aws_response *resp,
                                   struct sso_role_credentials *out, struct aws_error *err);

/* scopes: comma-separated (sso_registration_scopes), NULL or "" for none. */
void oidc_register_client_request(struct aws_request *r, const char *client_name,
                                  const char *scopes);
int oidc_register_client_parse(const struct aws_response *resp, struct oidc_client *out,
                               struct aws_error *err);

void oidc_start_device_authorization_request(struct aws_request *r, const char *client_id,
                                             const char *client_secret, const char *start_url);
int oidc_start_device_authorization_parse(const struct aws_response *resp,
                                          struct oidc_device_auth *out, struct aws_error *err);

/* grant_type OIDC_GRANT_DEVICE_CODE: code is the device code; OIDC_GRANT_REFRESH_TOKEN: the
 * refresh token. */
void oidc_create_token_request(struct aws_request *r, const char *client_id,
                               const char *client_secret, const char *grant_type,
                               const char *code);
int oidc_create_token_parse(const struct aws_response *resp, struct oidc_token *out,
                            struct aws_error *err);

void sso_role_credentials_free(struct sso_role_credentials *c);
void oidc_client_free(struct oidc_client *c);
void oidc_device_auth_free(struct oidc_device_auth *d);
void oidc_token_free(struct oidc_token *t);

#endif
