/* logs.h - Amazon CloudWatch Logs over AWS JSON 1.1 (X-Amz-Target: Logs_20140328.<Action>).
 * Pure. Conventions (request init, parse errors, _free, numbers, paging): see sqs.h.
 *
 * Exported API (summary):
 *   void logs_filter_log_events_request(r, &logs_filter_params);      paged: nextToken
 *   int  logs_filter_log_events_parse(resp, &logs_event_list, err);
 *   void logs_describe_log_groups_request(r, &logs_describe_params);  paged: nextToken
 *   int  logs_describe_log_groups_parse(resp, &logs_group_list, err);
 *   void logs_event_list_free(&l); void logs_group_list_free(&l);
 *
 * Log messages are untrusted text kept byte for byte (an SNS delivery-status record names
 * whatever endpoint and provider response it was given). FilterLogEvents may answer a page
 * with no events and a nextToken while it is still searching: that is not the end. */
#ifndef OPSDECK_AWS_LOGS_H
#define OPSDECK_AWS_LOGS_H

#include <stddef.h>
#include <stdint.h>

#include "core/awserr.h"
#include "core/request.h"

struct logs_filter_params {
    const char *log_group;        /* logGroupName, required */
    const char *filter_pattern;   /* NULL: every event */
    int64_t start_ms;             /* startTime, epoch milliseconds; -1: not sent */
    int64_t end_ms;               /* endTime; -1: not sent */
    int limit;                    /* 1..10000 (clamped); 0: omitted (AWS: as many as fit) */
    const char *next_token;       /* NULL: first page */
};

struct logs_event {
    char *event_id;
    char *stream;                 /* logStreamName */
    int64_t timestamp_ms;         /* when it happened, -1 if absent */
    int64_t ingestion_ms;         /* when CloudWatch got it, -1 if absent */
    char *message;                /* as logged */
};

struct logs_event_list {
    struct logs_event *events;    /* oldest first, as AWS returns them */
    size_t n;
    char *next_token;             /* NULL: no more */
};

void logs_filter_log_events_request(struct aws_request *r, const struct logs_filter_params *p);
/* An event without a message or with a timestamp that is not a non-negative integer fails
 * the parse. */
int logs_filter_log_events_parse(const struct aws_response *resp, struct logs_event_list *out,
                                 struct aws_error *err);
void logs_event_list_free(struct logs_event_list *l);

struct logs_describe_params {
    const char *prefix;           /* logGroupNamePrefix, NULL: every group */
    int limit;                    /* 1..50 (clamped); 0: omitted (AWS: 50) */
    const char *next_token;
};

struct logs_group {
    char *name;
    char *arn;                    /* logGroupArn (no ":*"), else arn, NULL if neither */
    int64_t created_ms;           /* creationTime, -1 if absent */
    int64_t retention_days;       /* retentionInDays; -1: never expire (absent) */
    int64_t stored_bytes;         /* -1 if absent */
    int64_t metric_filters;       /* metricFilterCount, -1 if absent */
};

struct logs_group_list {
    struct logs_group *groups;
    size_t n;
    char *next_token;
};

void logs_describe_log_groups_request(struct aws_request *r,
                                      const struct logs_describe_params *p);
int logs_describe_log_groups_parse(const struct aws_response *resp, struct logs_group_list *out,
                                   struct aws_error *err);
void logs_group_list_free(struct logs_group_list *l);

#endif
