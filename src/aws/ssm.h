/* ssm.h - AWS Systems Manager Parameter Store over AWS JSON 1.1 (X-Amz-Target:
 * AmazonSSM.<Action>): the parameters the toggles view reads and flips. Pure. Conventions
 * (request init, parse errors, _free, numbers, paging): see sqs.h.
 *
 * Exported API (summary):
 *   void ssm_get_parameter_request(r, name, with_decryption);
 *   int  ssm_get_parameter_parse(resp, &ssm_parameter, err);
 *   void ssm_get_parameters_request(r, names, n, with_decryption);        at most 10 names
 *   int  ssm_get_parameters_parse(resp, &ssm_parameter_list, err);        + invalid names
 *   void ssm_get_parameters_by_path_request(r, &ssm_path_params);         paged: NextToken
 *   int  ssm_get_parameters_by_path_parse(resp, &ssm_parameter_list, err);
 *   void ssm_describe_parameters_request(r, names, n, next_token);        paged: NextToken
 *   int  ssm_describe_parameters_parse(resp, &ssm_param_meta_list, err);  who changed it
 *   void ssm_put_parameter_request(r, &ssm_put_params);                   mutating
 *   int  ssm_put_parameter_parse(resp, &int64_t version, err);
 *   void ssm_parameter_free(&p); void ssm_parameter_list_free(&l);
 *
 * SecureString values: decrypted only when the caller asks (with_decryption), never
 * logged or shown; every value of a SecureString (decrypted or the ciphertext) is kept in
 * memory freed with xfree_secret, the parsed answer's strings are wiped before they are
 * freed, and a PutParameter body is wiped with the request. */
#ifndef OPSDECK_AWS_SSM_H
#define OPSDECK_AWS_SSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/awserr.h"
#include "core/request.h"

#define SSM_MAX_GET_PARAMETERS 10   /* names per GetParameters */

struct ssm_parameter {
    char *name;
    char *type;               /* "String", "StringList", "SecureString" */
    bool secure;              /* type is SecureString: value is a secret */
    char *value;              /* untrusted text; a secret when secure (see above) */
    char *arn;
    char *data_type;          /* "text", "aws:ec2:image", NULL if absent */
    int64_t version;          /* -1 if absent */
    int64_t last_modified;    /* LastModifiedDate, epoch seconds, -1 if absent */
};

struct ssm_parameter_list {
    struct ssm_parameter *params;
    size_t n;
    char **invalid;           /* GetParameters: the names that do not exist */
    size_t ninvalid;
    char *next_token;         /* GetParametersByPath */
};

void ssm_get_parameter_request(struct aws_request *r, const char *name, bool with_decryption);
int ssm_get_parameter_parse(const struct aws_response *resp, struct ssm_parameter *out,
                            struct aws_error *err);
void ssm_get_parameters_request(struct aws_request *r, const char *const *names, size_t n,
                                bool with_decryption);
int ssm_get_parameters_parse(const struct aws_response *resp, struct ssm_parameter_list *out,
                             struct aws_error *err);

struct ssm_path_params {
    const char *path;         /* "/opsdeck/flags" */
    bool recursive;           /* the whole tree under path, not one level */
    bool with_decryption;
    int max_results;          /* 1..10 (clamped); 0: omitted */
    const char *next_token;
};

void ssm_get_parameters_by_path_request(struct aws_request *r, const struct ssm_path_params *p);
int ssm_get_parameters_by_path_parse(const struct aws_response *resp,
                                     struct ssm_parameter_list *out, struct aws_error *err);

/* DescribeParameters' metadata: who changed a parameter last and when (never its value). */
#define SSM_MAX_DESCRIBE_NAMES 50   /* values of one Name filter */

struct ssm_param_meta {
    char *name;
    char *type;
    char *last_modified_user; /* LastModifiedUser: the IAM ARN that wrote the version, NULL
                               * if absent (untrusted text) */
    char *description;        /* NULL if none */
    int64_t version;          /* -1 if absent */
    int64_t last_modified;    /* LastModifiedDate, epoch seconds, -1 if absent */
};

struct ssm_param_meta_list {
    struct ssm_param_meta *params;
    size_t n;
    char *next_token;
};

/* The parameters named exactly (a ParameterFilters Name Equals filter of at most
 * SSM_MAX_DESCRIBE_NAMES names). */
void ssm_describe_parameters_request(struct aws_request *r, const char *const *names, size_t n,
                                     const char *next_token);
/* A parameter without Name fails the parse. */
int ssm_describe_parameters_parse(const struct aws_response *resp,
                                  struct ssm_param_meta_list *out, struct aws_error *err);
void ssm_param_meta_free(struct ssm_param_meta *m);
void ssm_param_meta_list_free(struct ssm_param_meta_list *l);

struct ssm_put_params {
    const char *name;
    const char *value;        /* wiped with the request when it is sent or dropped */
    const char *type;         /* "String", "StringList", "SecureString"; NULL: omitted (an
                               * overwrite keeps the parameter's type) */
    bool overwrite;           /* replace an existing value (a flip); false: create only */
};

void ssm_put_parameter_request(struct aws_request *r, const struct ssm_put_params *p);
/* *version: the parameter's new Version. */
int ssm_put_parameter_parse(const struct aws_response *resp, int64_t *version,
                            struct aws_error *err);

void ssm_parameter_free(struct ssm_parameter *p);
void ssm_parameter_list_free(struct ssm_parameter_list *l);

#endif
