/* sso.c - the SSO portal and SSO-OIDC over REST-JSON (shapes from botocore's
 * sso/2019-06-10 and sso-oidc/2019-06-10 service models). */
#include "config.h"
#include "aws/sso.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/proto.h"
#include "util/xalloc.h"

/* Largest epoch in milliseconds we accept: 9999-12-31T23:59:59.999Z. */
#define MAX_EPOCH_MS INT64_C(253402300799999)

/* cJSON frees strings without wiping them; these bodies carry tokens and keys. */
static void json_wipe(cJSON *j)
{
    for (; j; j = j->next) {
        if (j->valuestring)
            explicit_bzero(j->valuestring, strlen(j->valuestring));
        json_wipe(j->child);
    }
}

static void json_delete_secret(cJSON *j)
{
    json_wipe(j);
    cJSON_Delete(j);
}

static void json_body(struct aws_request *r, cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);

    if (!s)
        fatal("out of memory");
    aws_request_set_header(r, "Content-Type", "application/json");
    buf_append(&r->body, s, strlen(s));
    xfree_secret(s);
    json_delete_secret(o);
}

static void add_string(cJSON *o, const char *key, const char *v)
{
    if (!cJSON_AddStringToObject(o, key, v))
        fatal("out of memory");
}

/* A required, non-empty string; *out is a copy. */
static int req_string(const cJSON *o, const char *key, char **out, struct aws_error *err)
{
    const char *v = NULL;
    int rc = proto_json_string(o, key, &v, err);

    if (rc < 0)
        return -1;
    if (rc == 0 || !*v) {
        aws_error_set(err, AWS_ERR_PARSE, "'%s' is missing", key);
        return -1;
    }
    *out = xstrdup(v);
    return 0;
}

static int opt_string(const cJSON *o, const char *key, char **out, struct aws_error *err)
{
    const char *v = NULL;
    int rc = proto_json_string(o, key, &v, err);

    if (rc < 0)
        return -1;
    *out = rc == 1 && *v ? xstrdup(v) : NULL;
    return 0;
}

static int req_int(const cJSON *o, const char *key, int64_t min, int64_t max, int64_t *out,
                   struct aws_error *err)
{
    int rc = proto_json_int64(o, key, min, max, out, err);

    if (rc == 0)
        aws_error_set(err, AWS_ERR_PARSE, "'%s' is missing", key);
    return rc == 1 ? 0 : -1;
}

static cJSON *parse_root(const struct aws_response *resp, const char *context,
                         struct aws_error *err)
{
    cJSON *root = proto_json_parse(resp->body.data ? resp->body.data : "", resp->body.len, err);

    if (!root)
        proto_error_response(err, resp, context);
    return root;
}

/* ---- portal: GetRoleCredentials ------------------------------------------------------- */

void sso_get_role_credentials_request(struct aws_request *r, const char *role_name,
                                      const char *account_id, const char *access_token)
{
    aws_request_init(r, "portal.sso", "GetRoleCredentials", "GET");
    proto_rest_request(r, "GET", "/federation/credentials");
    aws_request_add_query(r, "role_name", role_name);
    aws_request_add_query(r, "account_id", account_id);
    aws_request_set_header(r, "x-amz-sso_bearer_token", access_token);
    r->anonymous = true;
}

int sso_get_role_credentials_parse(const struct aws_response *resp,
                                   struct sso_role_credentials *out, struct aws_error *err)
{
    static const char ctx[] = "SSO GetRoleCredentials";
    struct sso_role_credentials c = {0};
    const cJSON *rc = NULL;
    int64_t ms = 0;
    cJSON *root;
    int got;

    memset(out, 0, sizeof(*out));
    if (!(root = parse_root(resp, ctx, err)))
        return -1;
    got = proto_json_object(root, "roleCredentials", &rc, err);
    if (got == 0)
        aws_error_set(err, AWS_ERR_PARSE, "'roleCredentials' is missing");
    if (got != 1 || req_string(rc, "accessKeyId", &c.access_key_id, err) < 0 ||
        req_string(rc, "secretAccessKey", &c.secret_access_key, err) < 0 ||
        req_string(rc, "sessionToken", &c.session_token, err) < 0 ||
        req_int(rc, "expiration", 1, MAX_EPOCH_MS, &ms, err) < 0) {
        sso_role_credentials_free(&c);
        json_delete_secret(root);
        proto_error_response(err, resp, ctx);
        return -1;
    }
    c.expiration = ms / 1000;
    json_delete_secret(root);
    *out = c;
    return 0;
}

void sso_role_credentials_free(struct sso_role_credentials *c)
{
    xfree_secret(c->access_key_id);
    xfree_secret(c->secret_access_key);
    xfree_secret(c->session_token);
    memset(c, 0, sizeof(*c));
}

/* ---- OIDC: RegisterClient ------------------------------------------------------------- */

void oidc_register_client_request(struct aws_request *r, const char *client_name,
                                  const char *scopes)
{
    cJSON *o = cJSON_CreateObject();

    aws_request_init(r, "oidc", "RegisterClient", "POST");
    proto_rest_request(r, "POST", "/client/register");
    if (!o)
        fatal("out of memory");
    add_string(o, "clientName", client_name);
    add_string(o, "clientType", "public");
    if (scopes && *scopes) {
        cJSON *a = cJSON_AddArrayToObject(o, "scopes");
        const char *p = scopes;

        if (!a)
            fatal("out of memory");
        /* sso_registration_scopes is a comma-separated list; blanks around items dropped */
        while (*p) {
            size_t n = strcspn(p, ",");
            const char *s = p, *e = p + n;

            while (s < e && (*s == ' ' || *s == '\t'))
                s++;
            while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
                e--;
            if (e > s) {
                char *item = xstrndup(s, (size_t)(e - s));
                cJSON *it = cJSON_CreateString(item);

                free(item);
                if (!it)
                    fatal("out of memory");
                cJSON_AddItemToArray(a, it);
            }
            p += n;
            if (*p == ',')
                p++;
        }
    }
    json_body(r, o);
    r->anonymous = true;
}

int oidc_register_client_parse(const struct aws_response *resp, struct oidc_client *out,
                               struct aws_error *err)
{
    static const char ctx[] = "SSO-OIDC RegisterClient";
    struct oidc_client c = {0};
    cJSON *root;

    memset(out, 0, sizeof(*out));
    if (!(root = parse_root(resp, ctx, err)))
        return -1;
    if (req_string(root, "clientId", &c.client_id, err) < 0 ||
        req_string(root, "clientSecret", &c.client_secret, err) < 0 ||
        req_int(root, "clientSecretExpiresAt", 1, MAX_EPOCH_MS / 1000, &c.secret_expires_at,
                err) < 0) {
        oidc_client_free(&c);
        json_delete_secret(root);
        proto_error_response(err, resp, ctx);
        return -1;
    }
    json_delete_secret(root);
    *out = c;
    return 0;
}

void oidc_client_free(struct oidc_client *c)
{
    free(c->client_id);
    xfree_secret(c->client_secret);
    memset(c, 0, sizeof(*c));
}

/* ---- OIDC: StartDeviceAuthorization --------------------------------------------------- */

void oidc_start_device_authorization_request(struct aws_request *r, const char *client_id,
                                             const char *client_secret, const char *start_url)
{
    cJSON *o = cJSON_CreateObject();

    aws_request_init(r, "oidc", "StartDeviceAuthorization", "POST");
    proto_rest_request(r, "POST", "/device_authorization");
    if (!o)
        fatal("out of memory");
    add_string(o, "clientId", client_id);
    add_string(o, "clientSecret", client_secret);
    add_string(o, "startUrl", start_url);
    json_body(r, o);
    r->anonymous = true;
}

int oidc_start_device_authorization_parse(const struct aws_response *resp,
                                          struct oidc_device_auth *out, struct aws_error *err)
{
    static const char ctx[] = "SSO-OIDC StartDeviceAuthorization";
    struct oidc_device_auth d = {0};
    cJSON *root;

    memset(out, 0, sizeof(*out));
    if (!(root = parse_root(resp, ctx, err)))
        return -1;
    d.interval = 5;
    if (req_string(root, "deviceCode", &d.device_code, err) < 0 ||
        req_string(root, "userCode", &d.user_code, err) < 0 ||
        req_string(root, "verificationUri", &d.verification_uri, err) < 0 ||
        opt_string(root, "verificationUriComplete", &d.verification_uri_complete, err) < 0 ||
        req_int(root, "expiresIn", 1, 86400, &d.expires_in, err) < 0 ||
        proto_json_int64(root, "interval", 1, 3600, &d.interval, err) < 0) {
        oidc_device_auth_free(&d);
        json_delete_secret(root);
        proto_error_response(err, resp, ctx);
        return -1;
    }
    json_delete_secret(root);
    *out = d;
    return 0;
}

void oidc_device_auth_free(struct oidc_device_auth *d)
{
    xfree_secret(d->device_code);
    free(d->user_code);
    free(d->verification_uri);
    free(d->verification_uri_complete);
    memset(d, 0, sizeof(*d));
}

/* ---- OIDC: CreateToken ---------------------------------------------------------------- */

void oidc_create_token_request(struct aws_request *r, const char *client_id,
                               const char *client_secret, const char *grant_type,
                               const char *code)
{
    cJSON *o = cJSON_CreateObject();

    aws_request_init(r, "oidc", "CreateToken", "POST");
    proto_rest_request(r, "POST", "/token");
    if (!o)
        fatal("out of memory");
    add_string(o, "clientId", client_id);
    add_string(o, "clientSecret", client_secret);
    add_string(o, "grantType", grant_type);
    add_string(o, strcmp(grant_type, OIDC_GRANT_REFRESH_TOKEN) == 0 ? "refreshToken"
                                                                    : "deviceCode", code);
    json_body(r, o);
    r->anonymous = true;
}

int oidc_create_token_parse(const struct aws_response *resp, struct oidc_token *out,
                            struct aws_error *err)
{
    static const char ctx[] = "SSO-OIDC CreateToken";
    struct oidc_token t = {0};
    cJSON *root;

    memset(out, 0, sizeof(*out));
    if (!(root = parse_root(resp, ctx, err)))
        return -1;
    if (req_string(root, "accessToken", &t.access_token, err) < 0 ||
        req_int(root, "expiresIn", 1, 31536000, &t.expires_in, err) < 0 ||
        opt_string(root, "refreshToken", &t.refresh_token, err) < 0) {
        oidc_token_free(&t);
        json_delete_secret(root);
        proto_error_response(err, resp, ctx);
        return -1;
    }
    json_delete_secret(root);
    *out = t;
    return 0;
}

void oidc_token_free(struct oidc_token *t)
{
    xfree_secret(t->access_token);
    xfree_secret(t->refresh_token);
    memset(t, 0, sizeof(*t));
}
