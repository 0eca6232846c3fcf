/* error_rows.h - the "error" kind: one row per AWS call, the latest failure of that call,
 * written by the poller at the end of every cycle (schema in sources/sources.h). */
#ifndef OPSDECK_ERROR_ROWS_H
#define OPSDECK_ERROR_ROWS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/awserr.h"
#include "poll/store.h"

/* The key of the row of service's action: "SQS ListQueues". */
void error_rows_key(const char *service, const char *action, char *key, size_t n);

/* The row of service's action ("sqs", "ListQueues" -> key "SQS ListQueues") after a cycle
 * in which that call failed with err (its latest failure: the count goes up by one, the
 * message is aws_error_describe's line naming profile), or, with err NULL and ok, worked
 * (a live row is cleared to count 0 and an empty message; nothing is written when there
 * was none). */
void error_rows_write(struct store *s, const char *service, const char *action, bool ok,
                      const struct aws_error *err, const char *profile);

#endif
