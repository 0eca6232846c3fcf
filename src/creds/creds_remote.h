/* creds_remote.h - container and EC2 instance metadata providers (creds_remote.c): what
 * they export besides their struct creds_provider (declared in creds_provider.h).
 *
 * The parser is exported so unit tests can feed it malformed input. */
#ifndef OPSDECK_CREDS_REMOTE_H
#define OPSDECK_CREDS_REMOTE_H

#include <stddef.h>

#include "core/awserr.h"
#include "creds/creds.h"

/* Parses a container or IMDS credentials document ({AccessKeyId, SecretAccessKey, Token,
 * Expiration}; every field required, as botocore). NULL with err set otherwise. */
struct aws_credentials *creds_remote_parse(const char *json, size_t len, const char *what,
                                           struct aws_error *err);

/* After the IMDS provider skipped because the metadata service did not answer (or answered
 * without credentials): one sentence saying so, for the "no credentials" error. NULL when
 * the last IMDS attempt had nothing to report (disabled, or it succeeded). */
const char *creds_remote_note(void);

#endif
