/* lambda.h - AWS Lambda over REST-JSON (API 2015-03-31): the event-source mappings that
 * connect a queue to its consumer, and pausing one. Pure. Conventions (request init,
 * parse errors, _free, numbers, paging): see sqs.h.
 *
 * Exported API (summary):
 *   void lambda_list_event_source_mappings_request(r, &lambda_esm_list_params);  paged: Marker
 *   int  lambda_list_event_source_mappings_parse(resp, &lambda_esm_list, err);
 *   void lambda_get_event_source_mapping_request(r, uuid);
 *   int  lambda_event_source_mapping_parse(resp, &lambda_esm, err);   Get and Update answers
 *   void lambda_update_event_source_mapping_request(r, uuid, enabled);         mutating
 *   void lambda_esm_free(&m); void lambda_esm_list_free(&l);
 *
 * An update answers 202 with the mapping in a transitional state (Disabling, Enabling):
 * the state shown is what Lambda said, and the caller reads again until it settles. */
#ifndef OPSDECK_AWS_LAMBDA_H
#define OPSDECK_AWS_LAMBDA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/awserr.h"
#include "core/request.h"

struct lambda_esm_list_params {
    const char *function_name;    /* FunctionName (name, ARN or partial ARN), NULL: any */
    const char *event_source_arn; /* EventSourceArn (the queue), NULL: any */
    int max_items;                /* 1..10000 (clamped); 0: omitted */
    const char *marker;           /* NextMarker of the previous page, NULL: first */
};

struct lambda_esm {
    char *uuid;
    char *arn;                    /* EventSourceMappingArn, NULL if absent */
    char *function_arn;
    char *event_source_arn;
    char *state;                  /* Creating, Enabling, Enabled, Disabling, Disabled,
                                   * Updating, Deleting */
    char *state_reason;           /* StateTransitionReason */
    char *last_processing_result; /* "OK", "No records processed", or an error text */
    int64_t batch_size;           /* -1 if absent */
    int64_t batching_window_s;    /* MaximumBatchingWindowInSeconds, -1 if absent */
    int64_t max_concurrency;      /* ScalingConfig.MaximumConcurrency, -1 if not set */
    int64_t last_modified;        /* epoch seconds, -1 if absent */
};

struct lambda_esm_list {
    struct lambda_esm *mappings;
    size_t n;
    char *next_marker;            /* NULL on the last page */
};

void lambda_list_event_source_mappings_request(struct aws_request *r,
                                               const struct lambda_esm_list_params *p);
/* A mapping without UUID or State, or a number of the wrong type, fails the parse. */
int lambda_list_event_source_mappings_parse(const struct aws_response *resp,
                                            struct lambda_esm_list *out, struct aws_error *err);
void lambda_get_event_source_mapping_request(struct aws_request *r, const char *uuid);
void lambda_update_event_source_mapping_request(struct aws_request *r, const char *uuid,
                                                bool enabled);
int lambda_event_source_mapping_parse(const struct aws_response *resp, struct lambda_esm *out,
                                      struct aws_error *err);
void lambda_esm_free(struct lambda_esm *m);
void lambda_esm_list_free(struct lambda_esm_list *l);

#endif
