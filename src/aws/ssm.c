/* ssm.c - SSM Parameter Store: GetParameter(s), GetParametersByPath, PutParameter. */
#include "config.h"
#include "aws/ssm.h"
#include "core/proto.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SSM_PREFIX "AmazonSSM"
#define SSM_JSON "1.1"

static void ssm_read(struct aws_request *r, const char *action, cJSON *body)
{
    aws_request_init(r, "ssm", action, "POST");
    proto_json_request(r, SSM_PREFIX, action, SSM_JSON, body);
}

/* Only sent when asked: a decrypted SecureString is a secret in our memory from then on. */
static void add_decryption(cJSON *body, bool with_decryption)
{
    if (with_decryption)
        cJSON_AddTrueToObject(body, "WithDecryption");
}

void ssm_get_parameter_request(struct aws_request *r, const char *name, bool with_decryption)
{
    cJSON *body = cJSON_CreateObject();

    cJSON_AddStringToObject(body, "Name", name ? name : "");
    add_decryption(body, with_decryption);
    ssm_read(r, "GetParameter", body);
}

void ssm_get_parameters_request(struct aws_request *r, const char *const *names, size_t n,
                                bool with_decryption)
{
    cJSON *body = cJSON_CreateObject();
    cJSON *arr = cJSON_AddArrayToObject(body, "Names");

    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(names[i] ? names[i] : ""));
    add_decryption(body, with_decryption);
    ssm_read(r, "GetParameters", body);
}

void ssm_get_parameters_by_path_request(struct aws_request *r, const struct ssm_path_params *p)
{
    cJSON *body = cJSON_CreateObject();

    cJSON_AddStringToObject(body, "Path", p->path ? p->path : "/");
    if (p->recursive)
        cJSON_AddTrueToObject(body, "Recursive");
    add_decryption(body, p->with_decryption);
    if (p->max_results > 0)
        cJSON_AddNumberToObject(body, "MaxResults", p->max_results > 10 ? 10 : p->max_results);
    if (p->next_token && *p->next_token)
        cJSON_AddStringToObject(body, "NextToken", p->next_token);
    ssm_read(r, "GetParametersByPath", body);
}

void ssm_describe_parameters_request(struct aws_request *r, const char *const *names, size_t n,
                                     const char *next_token)
{
    cJSON *body = cJSON_CreateObject();
    cJSON *filters = cJSON_AddArrayToObject(body, "ParameterFilters");
    cJSON *f = cJSON_CreateObject(), *values;

    cJSON_AddStringToObject(f, "Key", "Name");
    cJSON_AddStringToObject(f, "Option", "Equals");
    values = cJSON_AddArrayToObject(f, "Values");
    for (size_t i = 0; i < n && i < SSM_MAX_DESCRIBE_NAMES; i++)
        cJSON_AddItemToArray(values, cJSON_CreateString(names[i] ? names[i] : ""));
    cJSON_AddItemToArray(filters, f);
    cJSON_AddNumberToObject(body, "MaxResults", SSM_MAX_DESCRIBE_NAMES);
    if (next_token && *next_token)
        cJSON_AddStringToObject(body, "NextToken", next_token);
    ssm_read(r, "DescribeParameters", body);
}

void ssm_put_parameter_request(struct aws_request *r, const struct ssm_put_params *p)
{
    cJSON *body = cJSON_CreateObject();

    cJSON_AddStringToObject(body, "Name", p->name ? p->name : "");
    cJSON_AddStringToObject(body, "Value", p->value ? p->value : "");
    if (p->type)
        cJSON_AddStringToObject(body, "Type", p->type);
    if (p->overwrite)
        cJSON_AddTrueToObject(body, "Overwrite");
    aws_request_init_mutating(r, "ssm", "PutParameter", "POST");
    proto_json_request_secret(r, SSM_PREFIX, "PutParameter", SSM_JSON, body);
}

void ssm_parameter_free(struct ssm_parameter *p)
{
    free(p->name);
    free(p->type);
    if (p->value)
        xfree_secret(p->value);   /* every value: cheap, and a type can be wrong */
    free(p->arn);
    free(p->data_type);
    memset(p, 0, sizeof(*p));
}

void ssm_parameter_list_free(struct ssm_parameter_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        ssm_parameter_free(&l->params[i]);
    free(l->params);
    proto_strings_free(l->invalid, l->ninvalid);
    free(l->next_token);
    memset(l, 0, sizeof(*l));
}

void ssm_param_meta_free(struct ssm_param_meta *m)
{
    free(m->name);
    free(m->type);
    free(m->last_modified_user);
    free(m->description);
    memset(m, 0, sizeof(*m));
}

void ssm_param_meta_list_free(struct ssm_param_meta_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        ssm_param_meta_free(&l->params[i]);
    free(l->params);
    free(l->next_token);
    memset(l, 0, sizeof(*l));
}

static int parse_parameter(const cJSON *o, void *out, struct aws_error *err)
{
    struct ssm_parameter *p = out;

    p->version = p->last_modified = -1;
    if (proto_json_required(o, "Name", &p->name, err) < 0 ||
        proto_json_required(o, "Type", &p->type, err) < 0 ||
        proto_json_strdup(o, "Value", &p->value, err) < 0 ||
        proto_json_strdup(o, "ARN", &p->arn, err) < 0 ||
        proto_json_strdup(o, "DataType", &p->data_type, err) < 0 ||
        proto_json_int64(o, "Version", 1, INT64_MAX, &p->version, err) < 0 ||
        proto_json_epoch(o, "LastModifiedDate", &p->last_modified, err) < 0)
        return -1;
    if (strcmp(p->type, "String") != 0 && strcmp(p->type, "StringList") != 0 &&
        strcmp(p->type, "SecureString") != 0) {
        aws_error_set(err, AWS_ERR_PARSE, "Type '%.30s' is not String, StringList or "
                      "SecureString", p->type);
        return -1;
    }
    p->secure = strcmp(p->type, "SecureString") == 0;
    if (!p->value) {
        aws_error_set(err, AWS_ERR_PARSE, "no Value");
        return -1;
    }
    return 0;
}

/* Every answer here may hold decrypted values: its strings are wiped before being freed. */
static void root_free(cJSON *root)
{
    proto_json_wipe(root);
    cJSON_Delete(root);
}

int ssm_get_parameter_parse(const struct aws_response *resp, struct ssm_parameter *out,
                            struct aws_error *err)
{
    struct ssm_parameter p = { 0 };
    const cJSON *o = NULL;
    cJSON *root;

    memset(out, 0, sizeof(*out));
    root = proto_json_parse(resp->body.data, resp->body.len, err);
    if (!root || proto_json_object(root, "Parameter", &o, err) < 0)
        goto fail;
    if (!o) {
        aws_error_set(err, AWS_ERR_PARSE, "no Parameter");
        goto fail;
    }
    if (parse_parameter(o, &p, err) < 0)
        goto fail;
    root_free(root);
    *out = p;
    return 0;
fail:
    root_free(root);
    ssm_parameter_free(&p);
    proto_error_response(err, resp, "SSM GetParameter");
    return -1;
}

static int parse_list(const struct aws_response *resp, const char *ctx, bool paged,
                      struct ssm_parameter_list *out, struct aws_error *err)
{
    struct ssm_parameter_list l = { 0 };
    cJSON *root;

    memset(out, 0, sizeof(*out));
    root = proto_json_parse(resp->body.data, resp->body.len, err);
    if (!root ||
        proto_json_items(root, "Parameters", sizeof(*l.params), parse_parameter, "parameter",
                         &l.params, &l.n, err) < 0 ||
        proto_json_string_list(root, "InvalidParameters", &l.invalid, &l.ninvalid, err) < 0 ||
        (paged && proto_json_next_token(root, "NextToken", &l.next_token, err) < 0)) {
        root_free(root);
        ssm_parameter_list_free(&l);
        proto_error_response(err, resp, ctx);
        return -1;
    }
    root_free(root);
    *out = l;
    return 0;
}

int ssm_get_parameters_parse(const struct aws_response *resp, struct ssm_parameter_list *out,
                             struct aws_error *err)
{
    return parse_list(resp, "SSM GetParameters", false, out, err);
}

int ssm_get_parameters_by_path_parse(const struct aws_response *resp,
                                     struct ssm_parameter_list *out, struct aws_error *err)
{
    return parse_list(resp, "SSM GetParametersByPath", true, out, err);
}

int ssm_put_parameter_parse(const struct aws_response *resp, int64_t *version,
                            struct aws_error *err)
{
    cJSON *root = proto_json_parse(resp->body.data, resp->body.len, err);
    int rc = root ? proto_json_int64(root, "Version", 1, INT64_MAX, version, err) : -1;

    cJSON_Delete(root);
    if (rc == 0)
        aws_error_set(err, AWS_ERR_PARSE, "no Version");
    if (rc != 1) {
        *version = -1;
        proto_error_response(err, resp, "SSM PutParameter");
        return -1;
    }
    return 0;
}

static int parse_meta(const cJSON *o, void *out, struct aws_error *err)
{
    struct ssm_param_meta *m = out;

    m->version = m->last_modified = -1;
    if (proto_json_required(o, "Name", &m->name, err) < 0 ||
        proto_json_strdup(o, "Type", &m->type, err) < 0 ||
        proto_json_strdup(o, "LastModifiedUser", &m->last_modified_user, err) < 0 ||
        proto_json_strdup(o, "Description", &m->description, err) < 0 ||
        proto_json_int64(o, "Version", 1, INT64_MAX, &m->version, err) < 0 ||
        proto_json_epoch(o, "LastModifiedDate", &m->last_modified, err) < 0)
        return -1;
    return 0;
}

int ssm_describe_parameters_parse(const struct aws_response *resp,
                                  struct ssm_param_meta_list *out, struct aws_error *err)
{
    struct ssm_param_meta_list l = { 0 };
    cJSON *root;

    memset(out, 0, sizeof(*out));
    root = proto_json_parse(resp->body.data, resp->body.len, err);
    if (!root ||
        proto_json_items(root, "Parameters", sizeof(*l.params), parse_meta, "parameter",
                         &l.params, &l.n, err) < 0 ||
        proto_json_next_token(root, "NextToken", &l.next_token, err) < 0) {
        root_free(root);  /* moto adds the Value, which AWS leaves out */
        ssm_param_meta_list_free(&l);
        proto_error_response(err, resp, "SSM DescribeParameters");
        return -1;
    }
    root_free(root);
    *out = l;
    return 0;
}
