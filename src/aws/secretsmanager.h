/* secretsmanager.h - AWS Secrets Manager over AWS JSON 1.1 (X-Amz-Target:
 * secretsmanager.<Action>): which secrets rotate, and when. Never a secret's value: these
 * calls return none. Pure. Conventions (request init, parse errors, _free, numbers,
 * paging): see sqs.h.
 *
 * Exported API (summary):
 *   void secretsmanager_list_secrets_request(r, &secretsmanager_list_params);  paged
 *   int  secretsmanager_list_secrets_parse(resp, &secretsmanager_secret_list, err);
 *   void secretsmanager_describe_secret_request(r, secret_id);
 *   int  secretsmanager_describe_secret_parse(resp, &secretsmanager_secret, err);
 *   void secretsmanager_secret_free(&s); void secretsmanager_secret_list_free(&l);
 *
 * A NextRotationDate in the past means the rotation did not happen (failed or stuck):
 * the caller compares it with the clock; the parser reports what AWS says. */
#ifndef OPSDECK_AWS_SECRETSMANAGER_H
#define OPSDECK_AWS_SECRETSMANAGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/awserr.h"
#include "core/request.h"

struct secretsmanager_list_params {
    const char *name_prefix;  /* filter on the name ("app/"), NULL: every secret */
    int max_results;          /* 1..100 (clamped); 0: omitted */
    const char *next_token;
};

struct secretsmanager_secret {
    char *arn;
    char *name;               /* untrusted text */
    char *description;        /* untrusted text, NULL if none */
    char *kms_key_id;         /* NULL: the account's aws/secretsmanager key */
    bool rotation_enabled;
    char *rotation_lambda_arn;
    int64_t rotation_days;        /* RotationRules.AutomaticallyAfterDays, -1 if not set */
    char *rotation_schedule;      /* RotationRules.ScheduleExpression, NULL if not set */
    /* epoch seconds, -1 when absent */
    int64_t created;
    int64_t last_changed;
    int64_t last_accessed;        /* a date only: AWS rounds it to the day */
    int64_t last_rotated;
    int64_t next_rotation;
    int64_t deleted;              /* DeletedDate: scheduled for deletion */
};

struct secretsmanager_secret_list {
    struct secretsmanager_secret *secrets;
    size_t n;
    char *next_token;
};

void secretsmanager_list_secrets_request(struct aws_request *r,
                                         const struct secretsmanager_list_params *p);
/* A secret without ARN or Name, a date that is not a number, or RotationEnabled that is not
 * a boolean fails the parse. */
int secretsmanager_list_secrets_parse(const struct aws_response *resp,
                                      struct secretsmanager_secret_list *out,
                                      struct aws_error *err);
void secretsmanager_describe_secret_request(struct aws_request *r, const char *secret_id);
int secretsmanager_describe_secret_parse(const struct aws_response *resp,
                                         struct secretsmanager_secret *out,
                                         struct aws_error *err);
void secretsmanager_secret_free(struct secretsmanager_secret *s);
void secretsmanager_secret_list_free(struct secretsmanager_secret_list *l);

#endif
