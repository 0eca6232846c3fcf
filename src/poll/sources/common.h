/* common.h - what several poll sources share: which errors mean "deleted meanwhile",
 * counts AWS may not report, SQS attribute maps as JSON text, error copies. */
#ifndef OPSDECK_SOURCES_COMMON_H
#define OPSDECK_SOURCES_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aws/sqs.h"
#include "core/awserr.h"
#include "poll/store.h"

/* CloudWatch windows: the points of the last 15 minutes. */
#define SOURCES_CW_WINDOW_SECONDS (15 * 60)

/* The resource asked about was deleted since it was listed: SQS QueueDoesNotExist (both
 * protocols' codes) and SNS NotFound. Each code is only ever returned by its own service
 * for a missing resource, so one list serves every source. */
bool sources_gone(const struct aws_error *err);

/* v when AWS reported it (>= 0), else unknown. */
void sources_set_count(struct store_res *r, const char *field, int64_t v);

/* Names and values (a queue's attributes, its tags) as a JSON object's text, in their order
 * (caller frees). */
char *sources_kv_json(const struct kv *kv, size_t n);
/* The fields of a "queue" row that come from its attributes but not its depth: name, arn,
 * attributes, redrive_policy, dlq_arn. */
void sources_write_queue_attrs(struct store_res *r, const struct sqs_queue_attrs *a);

/* *slot becomes a copy of err (allocated on first use: most answers never fail). */
void sources_error_keep(struct aws_error **slot, const struct aws_error *err);
void sources_strv_free(char **v, size_t n);

/* Why a call could not be read, in the words the expiry view shows once instead of an
 * error per poll: "iam:GetAccountPasswordPolicy denied" for a refusal, else
 * "iam:GetCredentialReport failed: Throttling". */
void sources_cannot_read(const struct aws_error *err, char *buf, size_t n);

#endif
