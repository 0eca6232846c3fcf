/* events.h - Amazon EventBridge over AWS JSON 1.1 (X-Amz-Target: AWSEvents.<Action>): the
 * rules a toggle turns on and off. Pure. Conventions (request init, parse errors, _free,
 * numbers, paging): see sqs.h.
 *
 * Exported API (summary):
 *   void events_list_event_buses_request(r, &events_list_params);        paged: NextToken
 *   int  events_list_event_buses_parse(resp, &events_bus_list, err);
 *   void events_list_rules_request(r, bus /+ NULL: default +/, &events_list_params);  paged
 *   int  events_list_rules_parse(resp, &events_rule_list, err);
 *   void events_describe_rule_request(r, name, bus);
 *   int  events_describe_rule_parse(resp, &events_rule, err);
 *   void events_list_targets_by_rule_request(r, rule, bus, &events_list_params);     paged
 *   int  events_list_targets_by_rule_parse(resp, &events_target_list, err);
 *   void events_enable_rule_request(r, name, bus);                       mutating
 *   void events_disable_rule_request(r, name, bus);                      mutating
 *   ..._free for each result. (EnableRule and DisableRule answer nothing.) */
#ifndef OPSDECK_AWS_EVENTS_H
#define OPSDECK_AWS_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/awserr.h"
#include "core/request.h"

struct events_list_params {
    const char *name_prefix;  /* NamePrefix (buses, rules), NULL: all */
    int limit;                /* 1..100 (clamped); 0: omitted */
    const char *next_token;
};

struct events_bus {
    char *name;
    char *arn;
    char *description;        /* NULL if none */
};

struct events_bus_list {
    struct events_bus *buses;
    size_t n;
    char *next_token;
};

struct events_rule {
    char *name;
    char *arn;
    char *bus;                /* EventBusName */
    char *state;              /* "ENABLED", "DISABLED",
                               * "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" */
    char *schedule;           /* ScheduleExpression, NULL for a pattern rule */
    char *pattern;            /* EventPattern (JSON text, untrusted), NULL for a schedule */
    char *description;
    char *role_arn;
    char *managed_by;         /* set for rules another service owns (do not flip) */
    char *created_by;         /* DescribeRule only */
};

struct events_rule_list {
    struct events_rule *rules;
    size_t n;
    char *next_token;
};

struct events_target {
    char *id;
    char *arn;
    char *role_arn;
    char *dlq_arn;            /* DeadLetterConfig.Arn: where failed deliveries go, NULL none */
    bool input_transformer;   /* InputTransformer: the event is rewritten before delivery */
    bool input;               /* Input: a constant JSON text replaces the event */
    bool input_path;          /* InputPath: a part of the event is sent */
};

struct events_target_list {
    struct events_target *targets;
    size_t n;
    char *next_token;
};

void events_list_event_buses_request(struct aws_request *r, const struct events_list_params *p);
int events_list_event_buses_parse(const struct aws_response *resp, struct events_bus_list *out,
                                  struct aws_error *err);
void events_bus_list_free(struct events_bus_list *l);

void events_list_rules_request(struct aws_request *r, const char *bus,
                               const struct events_list_params *p);
/* A rule without Name or State fails the parse. */
int events_list_rules_parse(const struct aws_response *resp, struct events_rule_list *out,
                            struct aws_error *err);
void events_rule_list_free(struct events_rule_list *l);

void events_describe_rule_request(struct aws_request *r, const char *name, const char *bus);
int events_describe_rule_parse(const struct aws_response *resp, struct events_rule *out,
                               struct aws_error *err);
void events_rule_free(struct events_rule *rule);

void events_list_targets_by_rule_request(struct aws_request *r, const char *rule,
                                         const char *bus, const struct events_list_params *p);
int events_list_targets_by_rule_parse(const struct aws_response *resp,
                                      struct events_target_list *out, struct aws_error *err);
void events_target_list_free(struct events_target_list *l);

void events_enable_rule_request(struct aws_request *r, const char *name, const char *bus);
void events_disable_rule_request(struct aws_request *r, const char *name, const char *bus);

#endif
