/* sts.h - AWS STS over the query protocol (Version 2011-06-15), XML responses. Pure.
 * Conventions (request init, parse errors, _free): see sqs.h.
 *
 * Exported API (summary):
 *   void sts_get_caller_identity_request(r);
 *   int  sts_get_caller_identity_parse(resp, &sts_identity, err);
 *   void sts_identity_free(&id); */
#ifndef OPSDECK_AWS_STS_H
#define OPSDECK_AWS_STS_H

#include "awserr.h"
#include "request.h"

struct sts_identity {
    char *account;            /* required: a parse error if missing */
    char *arn;                /* required */
    char *user_id;            /* UserId, NULL if absent */
};

void sts_get_caller_identity_request(struct aws_request *r);
int sts_get_caller_identity_parse(const struct aws_response *resp, struct sts_identity *out,
                                  struct aws_error *err);
void sts_identity_free(struct sts_identity *id);

#endif
