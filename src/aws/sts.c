/* sts.c - AWS STS GetCallerIdentity, AssumeRole, GetSessionToken (query protocol, XML). */
#include "config.h"
#include "aws/sts.h"
#include "core/proto.h"
#include "util/xalloc.h"
#include "core/xmlutil.h"
#include "util/timeutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sts_get_caller_identity_request(struct aws_request *r)
{
    aws_request_init(r, "sts", "GetCallerIdentity", "POST");
    proto_query_request(r, "GetCallerIdentity", "2011-06-15", NULL);
}

void sts_identity_free(struct sts_identity *id)
{
    free(id->account);
    free(id->arn);
    free(id->user_id);
    memset(id, 0, sizeof(*id));
}

int sts_get_caller_identity_parse(const struct aws_response *resp, struct sts_identity *out,
                                  struct aws_error *err)
{
    struct sts_identity id = { 0 };
    xmlDoc *doc;
    xmlNode *res;

    memset(out, 0, sizeof(*out));
    doc = xml_parse(resp->body.data, resp->body.len, err);
    if (!doc || !(res = xml_query_result(doc, "GetCallerIdentity", err)))
        goto fail;
    if (xml_child_text(res, "Account", &id.account, err) != 1 || !*id.account) {
        aws_error_set(err, AWS_ERR_PARSE, "no <Account> in the response");
        goto fail;
    }
    if (xml_child_text(res, "Arn", &id.arn, err) != 1 || !*id.arn) {
        aws_error_set(err, AWS_ERR_PARSE, "no <Arn> in the response");
        goto fail;
    }
    xml_child_text(res, "UserId", &id.user_id, err);
    xml_free(doc);
    *out = id;
    return 0;
fail:
    xml_free(doc);
    sts_identity_free(&id);
    proto_error_response(err, resp, "STS GetCallerIdentity");
    return -1;
}

/* ---- AssumeRole / GetSessionToken ---------------------------------------------------- */

static void add_duration(struct aws_request *r, int seconds)
{
    char n[16];

    if (seconds <= 0)
        return;
    snprintf(n, sizeof(n), "%d", seconds);
    proto_query_add(r, "DurationSeconds", n);
}

static void add_opt(struct aws_request *r, const char *name, const char *value)
{
    if (value)
        proto_query_add(r, name, value);
}

void sts_assume_role_request(struct aws_request *r, const struct sts_assume_role_params *p)
{
    aws_request_init(r, "sts", "AssumeRole", "POST");
    proto_query_request(r, "AssumeRole", "2011-06-15", NULL);
    add_opt(r, "RoleArn", p->role_arn);
    add_opt(r, "RoleSessionName", p->session_name);
    add_duration(r, p->duration_seconds);
    add_opt(r, "ExternalId", p->external_id);
    add_opt(r, "SerialNumber", p->serial_number);
    add_opt(r, "TokenCode", p->token_code);
}

void sts_get_session_token_request(struct aws_request *r,
                                   const struct sts_session_token_params *p)
{
    aws_request_init(r, "sts", "GetSessionToken", "POST");
    proto_query_request(r, "GetSessionToken", "2011-06-15", NULL);
    add_duration(r, p->duration_seconds);
    add_opt(r, "SerialNumber", p->serial_number);
    add_opt(r, "TokenCode", p->token_code);
}

void sts_credentials_free(struct sts_credentials *c)
{
    xfree_secret(c->access_key_id);
    xfree_secret(c->secret_access_key);
    xfree_secret(c->session_token);
    free(c->assumed_role_arn);
    free(c->assumed_role_id);
    memset(c, 0, sizeof(*c));
}

/* A required, non-empty text child of parent; the error names it. */
static int required_text(const xmlNode *parent, const char *name, char **out,
                         struct aws_error *err)
{
    if (xml_child_text(parent, name, out, err) != 1 || !**out) {
        aws_error_set(err, AWS_ERR_PARSE, "no <%s> in the response", name);
        return -1;
    }
    return 0;
}

/* <{action}Result><Credentials>...</Credentials>[<AssumedRoleUser>] shared by both. */
static int parse_credentials(const struct aws_response *resp, const char *action,
                             bool assumed, struct sts_credentials *out, struct aws_error *err)
{
    struct sts_credentials c = { 0 };
    xmlDoc *doc;
    xmlNode *res, *cr, *user;
    char *exp = NULL;

    memset(out, 0, sizeof(*out));
    doc = xml_parse(resp->body.data, resp->body.len, err);
    if (!doc || !(res = xml_query_result(doc, action, err)))
        goto fail;
    if (!(cr = xml_child(res, "Credentials"))) {
        aws_error_set(err, AWS_ERR_PARSE, "no <Credentials> in the response");
        goto fail;
    }
    if (required_text(cr, "AccessKeyId", &c.access_key_id, err) < 0 ||
        required_text(cr, "SecretAccessKey", &c.secret_access_key, err) < 0 ||
        required_text(cr, "SessionToken", &c.session_token, err) < 0 ||
        required_text(cr, "Expiration", &exp, err) < 0)
        goto fail;
    if (timeutil_parse_iso8601(exp, &c.expiration) < 0) {
        /* the value is not secret, but it is untrusted: the message does not quote it */
        aws_error_set(err, AWS_ERR_PARSE, "<Expiration> is not an ISO 8601 time");
        goto fail;
    }
    if (assumed) {
        if (!(user = xml_child(res, "AssumedRoleUser"))) {
            aws_error_set(err, AWS_ERR_PARSE, "no <AssumedRoleUser> in the response");
            goto fail;
        }
        if (required_text(user, "Arn", &c.assumed_role_arn, err) < 0)
            goto fail;
        xml_child_text(user, "AssumedRoleId", &c.assumed_role_id, err);
    }
    free(exp);
    xml_free(doc);
    *out = c;
    return 0;
fail:
    free(exp);
    xml_free(doc);
    sts_credentials_free(&c);
    proto_error_response(err, resp, assumed ? "STS AssumeRole" : "STS GetSessionToken");
    return -1;
}

int sts_assume_role_parse(const struct aws_response *resp, struct sts_credentials *out,
                          struct aws_error *err)
{
    return parse_credentials(resp, "AssumeRole", true, out, err);
}

int sts_get_session_token_parse(const struct aws_response *resp, struct sts_credentials *out,
                                struct aws_error *err)
{
    return parse_credentials(resp, "GetSessionToken", false, out, err);
}
