/* exportpayload.h - an export's inlined S3 payloads: the object an extended-client pointer
 * names, fetched whole into memory (streamed: the 16 MiB answer cap does not apply, but a
 * payload is cut off at EXPORT_PAYLOAD_MAX) and written into the message's JSONL line.
 *
 *   struct export_payload *f = export_payload_fetch(run, bucket, key, tag);
 *   ... the run's answer for tag ...
 *   export_payload_result(f, run, err, &data, &len, why, sizeof(why));  0: the bytes, -1: why
 *   export_payload_free(f);
 *
 * export_payload_write_fields writes the fields a line gets ("PayloadSource", then
 * "Payload" when the bytes are text, "PayloadBase64" otherwise) without building the
 * payload as a second string in memory. */
#ifndef OPSDECK_EXPORTPAYLOAD_H
#define OPSDECK_EXPORTPAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/awserr.h"

#define EXPORT_PAYLOAD_MAX (64 * 1024 * 1024)

struct act_run;
struct export_payload;

/* Sends a streamed GetObject of s3://bucket/key with tag through the run. Never NULL: a
 * request that could not be made leaves its cause for export_payload_result (and no
 * answer comes: *sent false). */
struct export_payload *export_payload_fetch(struct act_run *run, const char *bucket,
                                            const char *key, int tag, bool *sent);
/* After the answer (err: the run's error, NULL on success): 0 with the payload's bytes
 * (borrowed until export_payload_free), or -1 with a one-line cause in why. */
int export_payload_result(struct export_payload *f, const struct act_run *run,
                          const struct aws_error *err, const char **data, size_t *len, char *why, size_t whylen);
/* Stops a transfer under way (a cancel): its answer comes as a failure. */
void export_payload_stop(struct export_payload *f);
void export_payload_free(struct export_payload *f);

/* Writes `"Payload":"<JSON-escaped text>"` when data is text (utf8_is_text), else
 * `"PayloadBase64":"<base64>"`, to fp. -1 on a write error (errno set). */
int export_payload_write_fields(FILE *fp, const char *data, size_t len);

#endif
