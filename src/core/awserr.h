/* awserr.h - the one error type every failure becomes: network, HTTP, AWS, config, parse.
 *
 * Fixed-size fields so an error can be copied, stored in the store and printed without
 * ownership questions. Messages are plain text from us or from AWS; AWS text is untrusted
 * and must go through the sanitiser before it reaches a terminal. */
#ifndef OPSDECK_AWSERR_H
#define OPSDECK_AWSERR_H

#include <stdbool.h>
#include <stddef.h>

#include "core/request.h"

enum aws_err_kind {
    AWS_ERR_NONE = 0,
    AWS_ERR_NETWORK,      /* could not connect, DNS, TLS, connection reset */
    AWS_ERR_TIMEOUT,      /* connect or total timeout */
    AWS_ERR_HTTP,         /* the service answered with an error (status >= 300) */
    AWS_ERR_CREDENTIALS,  /* no credentials, or they could not be loaded/refreshed */
    AWS_ERR_CONFIG,       /* bad profile, region, endpoint, config file */
    AWS_ERR_PARSE,        /* a response we could not understand */
    AWS_ERR_READ_ONLY,    /* a mutating action refused by read-only mode */
    AWS_ERR_REFUSED,      /* a mutating request refused before signing: not passed by the
                           * write gate, or its audit line could not be written */
};

struct aws_error {
    enum aws_err_kind kind;
    long http_status;      /* 0 when no HTTP response */
    char code[128];        /* AWS error code ("AccessDenied", "AWS.SimpleQueueService.NonExistentQueue") */
    char message[1024];    /* human text: AWS's message or ours */
    char request_id[128];  /* x-amzn-RequestId / x-amz-request-id / RequestId element */
    char service[32];      /* "sqs" ... when known */
    char action[64];       /* "ListQueues" ... when known */
    char endpoint[256];    /* the URL base that was called, when known */
    char bucket_region[32];    /* S3: the answer's x-amz-bucket-region (a HeadBucket sent to
                                * the wrong region is answered 301 with it), "" if none */
};

void aws_error_clear(struct aws_error *e);
void aws_error_set(struct aws_error *e, enum aws_err_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *aws_error_kind_name(enum aws_err_kind kind);
/* Fills the service, action and endpoint that are still empty (NULL arguments are skipped):
 * an error made outside the client still names what was called. */
void aws_error_context(struct aws_error *e, const char *service, const char *action,
                       const char *endpoint);
/* The same from a response's context (resp->service, action, endpoint); resp may be NULL. */
void aws_error_from_response(struct aws_error *e, const struct aws_response *resp);

#endif
