/* lambda.c - Lambda event-source mappings over REST-JSON. */
#include "config.h"
#include "aws/lambda.h"
#include "core/proto.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ESM_PATH "/2015-03-31/event-source-mappings/"

void lambda_list_event_source_mappings_request(struct aws_request *r,
                                               const struct lambda_esm_list_params *p)
{
    aws_request_init(r, "lambda", "ListEventSourceMappings", "GET");
    proto_rest_request(r, "GET", ESM_PATH);
    if (!p)
        return;
    if (p->event_source_arn && *p->event_source_arn)
        aws_request_add_query(r, "EventSourceArn", p->event_source_arn);
    if (p->function_name && *p->function_name)
        aws_request_add_query(r, "FunctionName", p->function_name);
    if (p->marker && *p->marker)
        aws_request_add_query(r, "Marker", p->marker);
    if (p->max_items > 0) {
        char n[16];
        snprintf(n, sizeof(n), "%d", p->max_items > 10000 ? 10000 : p->max_items);
        aws_request_add_query(r, "MaxItems", n);
    }
}

static char *esm_path(const char *uuid)
{
    char *seg = proto_uri_segment(uuid ? uuid : "");
    char *path = xasprintf(ESM_PATH "%s", seg);

    free(seg);
    return path;
}

void lambda_get_event_source_mapping_request(struct aws_request *r, const char *uuid)
{
    char *path = esm_path(uuid);

    aws_request_init(r, "lambda", "GetEventSourceMapping", "GET");
    proto_rest_request(r, "GET", path);
    free(path);
}

void lambda_update_event_source_mapping_request(struct aws_request *r, const char *uuid,
                                                bool enabled)
{
    char *path = esm_path(uuid);

    aws_request_init_mutating(r, "lambda", "UpdateEventSourceMapping", "PUT");
    proto_rest_request(r, "PUT", path);
    aws_request_set_header(r, "Content-Type", "application/json");
    buf_puts(&r->body, enabled ? "{\"Enabled\":true}" : "{\"Enabled\":false}");
    free(path);
}

void lambda_esm_free(struct lambda_esm *m)
{
    free(m->uuid);
    free(m->arn);
    free(m->function_arn);
    free(m->event_source_arn);
    free(m->state);
    free(m->state_reason);
    free(m->last_processing_result);
    memset(m, 0, sizeof(*m));
}

void lambda_esm_list_free(struct lambda_esm_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        lambda_esm_free(&l->mappings[i]);
    free(l->mappings);
    free(l->next_marker);
    memset(l, 0, sizeof(*l));
}

static int parse_esm(const cJSON *o, void *out, struct aws_error *err)
{
    struct lambda_esm *m = out;
    const cJSON *scaling = NULL;

    m->batch_size = m->batching_window_s = m->max_concurrency = m->last_modified = -1;
    if (proto_json_required(o, "UUID", &m->uuid, err) < 0 ||
        proto_json_required(o, "State", &m->state, err) < 0 ||
        proto_json_strdup(o, "EventSourceMappingArn", &m->arn, err) < 0 ||
        proto_json_strdup(o, "FunctionArn", &m->function_arn, err) < 0 ||
        proto_json_strdup(o, "EventSourceArn", &m->event_source_arn, err) < 0 ||
        proto_json_strdup(o, "StateTransitionReason", &m->state_reason, err) < 0 ||
        proto_json_strdup(o, "LastProcessingResult", &m->last_processing_result, err) < 0 ||
        proto_json_int64(o, "BatchSize", 1, 10000, &m->batch_size, err) < 0 ||
        proto_json_int64(o, "MaximumBatchingWindowInSeconds", 0, 300, &m->batching_window_s,
                         err) < 0 ||
        proto_json_object(o, "ScalingConfig", &scaling, err) < 0 ||
        proto_json_int64(scaling, "MaximumConcurrency", 2, 1000, &m->max_concurrency, err) < 0 ||
        proto_json_epoch(o, "LastModified", &m->last_modified, err) < 0)
        return -1;
    return 0;
}

int lambda_list_event_source_mappings_parse(const struct aws_response *resp,
                                            struct lambda_esm_list *out, struct aws_error *err)
{
    cJSON *root;

    memset(out, 0, sizeof(*out));
    root = proto_json_parse(resp->body.data, resp->body.len, err);
    if (!root || proto_json_next_token(root, "NextMarker", &out->next_marker, err) < 0 ||
        proto_json_items(root, "EventSourceMappings", sizeof(*out->mappings), parse_esm,
                         "mapping", &out->mappings, &out->n, err) < 0) {
        cJSON_Delete(root);
        lambda_esm_list_free(out);
        proto_error_response(err, resp, "Lambda ListEventSourceMappings");
        return -1;
    }
    cJSON_Delete(root);
    return 0;
}

int lambda_event_source_mapping_parse(const struct aws_response *resp, struct lambda_esm *out,
                                      struct aws_error *err)
{
    cJSON *root;

    memset(out, 0, sizeof(*out));
    root = proto_json_parse(resp->body.data, resp->body.len, err);
    if (!root || parse_esm(root, out, err) < 0) {
        cJSON_Delete(root);
        lambda_esm_free(out);
        proto_error_response(err, resp, "Lambda event-source mapping");
        return -1;
    }
    cJSON_Delete(root);
    return 0;
}
