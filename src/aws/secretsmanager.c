/* secretsmanager.c - Secrets Manager ListSecrets and DescribeSecret (AWS JSON 1.1). */
#include "config.h"
#include "aws/secretsmanager.h"
#include "core/proto.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#define SM_PREFIX "secretsmanager"
#define SM_JSON "1.1"

static void sm_read(struct aws_request *r, const char *action, cJSON *body)
{
    aws_request_init(r, "secretsmanager", action, "POST");
    proto_json_request(r, SM_PREFIX, action, SM_JSON, body);
}

void secretsmanager_list_secrets_request(struct aws_request *r,
                                         const struct secretsmanager_list_params *p)
{
    cJSON *body = cJSON_CreateObject();

    if (p && p->max_results > 0)
        cJSON_AddNumberToObject(body, "MaxResults", p->max_results > 100 ? 100 : p->max_results);
    if (p && p->next_token && *p->next_token)
        cJSON_AddStringToObject(body, "NextToken", p->next_token);
    if (p && p->name_prefix && *p->name_prefix) {
        cJSON *f = cJSON_CreateObject();
        cJSON_AddStringToObject(f, "Key", "name");
        cJSON_AddItemToArray(cJSON_AddArrayToObject(f, "Values"),
                             cJSON_CreateString(p->name_prefix));
        cJSON_AddItemToArray(cJSON_AddArrayToObject(body, "Filters"), f);
    }
    sm_read(r, "ListSecrets", body);
}

void secretsmanager_describe_secret_request(struct aws_request *r, const char *secret_id)
{
    cJSON *body = cJSON_CreateObject();

    cJSON_AddStringToObject(body, "SecretId", secret_id ? secret_id : "");
    sm_read(r, "DescribeSecret", body);
}

void secretsmanager_secret_free(struct secretsmanager_secret *s)
{
    free(s->arn);
    free(s->name);
    free(s->description);
    free(s->kms_key_id);
    free(s->rotation_lambda_arn);
    free(s->rotation_schedule);
    memset(s, 0, sizeof(*s));
}

void secretsmanager_secret_list_free(struct secretsmanager_secret_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        secretsmanager_secret_free(&l->secrets[i]);
    free(l->secrets);
    free(l->next_token);
    memset(l, 0, sizeof(*l));
}

static int parse_secret(const cJSON *o, void *out, struct aws_error *err)
{
    struct secretsmanager_secret *s = out;
    const cJSON *rules = NULL;

    s->rotation_days = -1;
    s->created = s->last_changed = s->last_accessed = s->last_rotated = -1;
    s->next_rotation = s->deleted = -1;
    if (proto_json_required(o, "ARN", &s->arn, err) < 0 ||
        proto_json_required(o, "Name", &s->name, err) < 0 ||
        proto_json_strdup(o, "Description", &s->description, err) < 0 ||
        proto_json_strdup(o, "KmsKeyId", &s->kms_key_id, err) < 0 ||
        proto_json_bool(o, "RotationEnabled", &s->rotation_enabled, err) < 0 ||
        proto_json_strdup(o, "RotationLambdaARN", &s->rotation_lambda_arn, err) < 0 ||
        proto_json_object(o, "RotationRules", &rules, err) < 0 ||
        proto_json_int64(rules, "AutomaticallyAfterDays", 1, 1000, &s->rotation_days, err) < 0 ||
        proto_json_strdup(rules, "ScheduleExpression", &s->rotation_schedule, err) < 0 ||
        proto_json_epoch(o, "CreatedDate", &s->created, err) < 0 ||
        proto_json_epoch(o, "LastChangedDate", &s->last_changed, err) < 0 ||
        proto_json_epoch(o, "LastAccessedDate", &s->last_accessed, err) < 0 ||
        proto_json_epoch(o, "LastRotatedDate", &s->last_rotated, err) < 0 ||
        proto_json_epoch(o, "NextRotationDate", &s->next_rotation, err) < 0 ||
        proto_json_epoch(o, "DeletedDate", &s->deleted, err) < 0)
        return -1;
    return 0;
}

int secretsmanager_list_secrets_parse(const struct aws_response *resp,
                                      struct secretsmanager_secret_list *out,
                                      struct aws_error *err)
{
    struct secretsmanager_secret_list l = { 0 };
    cJSON *root;

    memset(out, 0, sizeof(*out));
    root = proto_json_parse(resp->body.data, resp->body.len, err);
    if (!root || proto_json_next_token(root, "NextToken", &l.next_token, err) < 0 ||
        proto_json_items(root, "SecretList", sizeof(*l.secrets), parse_secret, "secret",
                         &l.secrets, &l.n, err) < 0) {
        cJSON_Delete(root);
        secretsmanager_secret_list_free(&l);
        proto_error_response(err, resp, "Secrets Manager ListSecrets");
        return -1;
    }
    cJSON_Delete(root);
    *out = l;
    return 0;
}

int secretsmanager_describe_secret_parse(const struct aws_response *resp,
                                         struct secretsmanager_secret *out,
                                         struct aws_error *err)
{
    struct secretsmanager_secret s = { 0 };
    cJSON *root;

    memset(out, 0, sizeof(*out));
    root = proto_json_parse(resp->body.data, resp->body.len, err);
    if (!root || parse_secret(root, &s, err) < 0) {
        cJSON_Delete(root);
        secretsmanager_secret_free(&s);
        proto_error_response(err, resp, "Secrets Manager DescribeSecret");
        return -1;
    }
    cJSON_Delete(root);
    *out = s;
    return 0;
}
