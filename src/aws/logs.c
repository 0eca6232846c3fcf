/* logs.c - CloudWatch Logs: FilterLogEvents and DescribeLogGroups (AWS JSON 1.1). */
#include "config.h"
#include "aws/logs.h"
#include "core/proto.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGS_PREFIX "Logs_20140328"
#define LOGS_JSON "1.1"

static void logs_read(struct aws_request *r, const char *action, cJSON *body)
{
    aws_request_init(r, "logs", action, "POST");
    proto_json_request(r, LOGS_PREFIX, action, LOGS_JSON, body);
}

void logs_filter_log_events_request(struct aws_request *r, const struct logs_filter_params *p)
{
    cJSON *body = cJSON_CreateObject();

    cJSON_AddStringToObject(body, "logGroupName", p->log_group ? p->log_group : "");
    if (p->filter_pattern)
        cJSON_AddStringToObject(body, "filterPattern", p->filter_pattern);
    /* milliseconds up to 2^53 are exact in a JSON number */
    if (p->start_ms >= 0)
        cJSON_AddNumberToObject(body, "startTime", (double)p->start_ms);
    if (p->end_ms >= 0)
        cJSON_AddNumberToObject(body, "endTime", (double)p->end_ms);
    if (p->limit > 0)
        cJSON_AddNumberToObject(body, "limit", p->limit > 10000 ? 10000 : p->limit);
    if (p->next_token && *p->next_token)
        cJSON_AddStringToObject(body, "nextToken", p->next_token);
    logs_read(r, "FilterLogEvents", body);
}

void logs_event_list_free(struct logs_event_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->events[i].event_id);
        free(l->events[i].stream);
        free(l->events[i].message);
    }
    free(l->events);
    free(l->next_token);
    memset(l, 0, sizeof(*l));
}

static int parse_event(const cJSON *o, void *out, struct aws_error *err)
{
    struct logs_event *ev = out;

    ev->timestamp_ms = ev->ingestion_ms = -1;
    if (proto_json_strdup(o, "eventId", &ev->event_id, err) < 0 ||
        proto_json_strdup(o, "logStreamName", &ev->stream, err) < 0 ||
        proto_json_int64(o, "timestamp", 0, INT64_MAX, &ev->timestamp_ms, err) < 0 ||
        proto_json_int64(o, "ingestionTime", 0, INT64_MAX, &ev->ingestion_ms, err) < 0)
        return -1;
    /* an empty message is a message; a missing one is not an event */
    if (proto_json_strdup(o, "message", &ev->message, err) < 0)
        return -1;
    if (!ev->message) {
        aws_error_set(err, AWS_ERR_PARSE, "no message");
        return -1;
    }
    return 0;
}

int logs_filter_log_events_parse(const struct aws_response *resp, struct logs_event_list *out,
                                 struct aws_error *err)
{
    struct logs_event_list l = { 0 };
    cJSON *root;

    memset(out, 0, sizeof(*out));
    root = proto_json_parse(resp->body.data, resp->body.len, err);
    if (!root || proto_json_next_token(root, "nextToken", &l.next_token, err) < 0 ||
        proto_json_items(root, "events", sizeof(*l.events), parse_event, "event", &l.events,
                         &l.n, err) < 0)
        goto fail;
    cJSON_Delete(root);
    *out = l;
    return 0;
fail:
    cJSON_Delete(root);
    logs_event_list_free(&l);
    proto_error_response(err, resp, "CloudWatch Logs FilterLogEvents");
    return -1;
}

void logs_describe_log_groups_request(struct aws_request *r,
                                      const struct logs_describe_params *p)
{
    cJSON *body = cJSON_CreateObject();

    if (p && p->prefix && *p->prefix)
        cJSON_AddStringToObject(body, "logGroupNamePrefix", p->prefix);
    if (p && p->limit > 0)
        cJSON_AddNumberToObject(body, "limit", p->limit > 50 ? 50 : p->limit);
    if (p && p->next_token && *p->next_token)
        cJSON_AddStringToObject(body, "nextToken", p->next_token);
    logs_read(r, "DescribeLogGroups", body);
}

void logs_group_list_free(struct logs_group_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->groups[i].name);
        free(l->groups[i].arn);
    }
    free(l->groups);
    free(l->next_token);
    memset(l, 0, sizeof(*l));
}

static int parse_group(const cJSON *o, void *out, struct aws_error *err)
{
    struct logs_group *g = out;

    g->created_ms = g->retention_days = g->stored_bytes = g->metric_filters = -1;
    if (proto_json_required(o, "logGroupName", &g->name, err) < 0 ||
        proto_json_strdup(o, "logGroupArn", &g->arn, err) < 0 ||
        proto_json_int64(o, "creationTime", 0, INT64_MAX, &g->created_ms, err) < 0 ||
        proto_json_int64(o, "retentionInDays", 1, 100000, &g->retention_days, err) < 0 ||
        proto_json_int64(o, "storedBytes", 0, INT64_MAX, &g->stored_bytes, err) < 0 ||
        proto_json_int64(o, "metricFilterCount", 0, INT32_MAX, &g->metric_filters, err) < 0)
        return -1;
    /* older answers only have "arn", which ends in ":*" */
    if (!g->arn && proto_json_strdup(o, "arn", &g->arn, err) < 0)
        return -1;
    return 0;
}

int logs_describe_log_groups_parse(const struct aws_response *resp, struct logs_group_list *out,
                                   struct aws_error *err)
{
    struct logs_group_list l = { 0 };
    cJSON *root;

    memset(out, 0, sizeof(*out));
    root = proto_json_parse(resp->body.data, resp->body.len, err);
    if (!root || proto_json_next_token(root, "nextToken", &l.next_token, err) < 0 ||
        proto_json_items(root, "logGroups", sizeof(*l.groups), parse_group, "log group",
                         &l.groups, &l.n, err) < 0)
        goto fail;
    cJSON_Delete(root);
    *out = l;
    return 0;
fail:
    cJSON_Delete(root);
    logs_group_list_free(&l);
    proto_error_response(err, resp, "CloudWatch Logs DescribeLogGroups");
    return -1;
}
