/* events.c - EventBridge buses, rules and targets, and turning a rule on or off. */
#include "config.h"
#include "aws/events.h"
#include "core/proto.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define EVENTS_PREFIX "AWSEvents"
#define EVENTS_JSON "1.1"

static void events_read(struct aws_request *r, const char *action, cJSON *body)
{
    aws_request_init(r, "events", action, "POST");
    proto_json_request(r, EVENTS_PREFIX, action, EVENTS_JSON, body);
}

static void events_write(struct aws_request *r, const char *action, cJSON *body)
{
    aws_request_init_mutating(r, "events", action, "POST");
    proto_json_request(r, EVENTS_PREFIX, action, EVENTS_JSON, body);
}

static void add_list_params(cJSON *body, const struct events_list_params *p, bool prefix)
{
    if (!p)
        return;
    if (prefix && p->name_prefix && *p->name_prefix)
        cJSON_AddStringToObject(body, "NamePrefix", p->name_prefix);
    if (p->limit > 0)
        cJSON_AddNumberToObject(body, "Limit", p->limit > 100 ? 100 : p->limit);
    if (p->next_token && *p->next_token)
        cJSON_AddStringToObject(body, "NextToken", p->next_token);
}

/* EventBusName is sent only for a bus other than the default one. */
static void add_bus(cJSON *body, const char *bus)
{
    if (bus && *bus && strcmp(bus, "default") != 0)
        cJSON_AddStringToObject(body, "EventBusName", bus);
}

void events_list_event_buses_request(struct aws_request *r, const struct events_list_params *p)
{
    cJSON *body = cJSON_CreateObject();

    add_list_params(body, p, true);
    events_read(r, "ListEventBuses", body);
}

void events_list_rules_request(struct aws_request *r, const char *bus,
                               const struct events_list_params *p)
{
    cJSON *body = cJSON_CreateObject();

    add_bus(body, bus);
    add_list_params(body, p, true);
    events_read(r, "ListRules", body);
}

static cJSON *rule_body(const char *name, const char *bus)
{
    cJSON *body = cJSON_CreateObject();

    cJSON_AddStringToObject(body, "Name", name ? name : "");
    add_bus(body, bus);
    return body;
}

void events_describe_rule_request(struct aws_request *r, const char *name, const char *bus)
{
    events_read(r, "DescribeRule", rule_body(name, bus));
}

void events_enable_rule_request(struct aws_request *r, const char *name, const char *bus)
{
    events_write(r, "EnableRule", rule_body(name, bus));
}

void events_disable_rule_request(struct aws_request *r, const char *name, const char *bus)
{
    events_write(r, "DisableRule", rule_body(name, bus));
}

void events_list_targets_by_rule_request(struct aws_request *r, const char *rule,
                                         const char *bus, const struct events_list_params *p)
{
    cJSON *body = cJSON_CreateObject();

    cJSON_AddStringToObject(body, "Rule", rule ? rule : "");
    add_bus(body, bus);
    add_list_params(body, p, false);
    events_read(r, "ListTargetsByRule", body);
}

/* ---- answers ---- */

void events_bus_list_free(struct events_bus_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->buses[i].name);
        free(l->buses[i].arn);
        free(l->buses[i].description);
    }
    free(l->buses);
    free(l->next_token);
    memset(l, 0, sizeof(*l));
}

void events_rule_free(struct events_rule *rule)
{
    free(rule->name);
    free(rule->arn);
    free(rule->bus);
    free(rule->state);
    free(rule->schedule);
    free(rule->pattern);
    free(rule->description);
    free(rule->role_arn);
    free(rule->managed_by);
    free(rule->created_by);
    memset(rule, 0, sizeof(*rule));
}

void events_rule_list_free(struct events_rule_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        events_rule_free(&l->rules[i]);
    free(l->rules);
    free(l->next_token);
    memset(l, 0, sizeof(*l));
}

void events_target_list_free(struct events_target_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->targets[i].id);
        free(l->targets[i].arn);
        free(l->targets[i].role_arn);
        free(l->targets[i].dlq_arn);
    }
    free(l->targets);
    free(l->next_token);
    memset(l, 0, sizeof(*l));
}

static int parse_bus(const cJSON *o, void *out, struct aws_error *err)
{
    struct events_bus *b = out;

    if (proto_json_required(o, "Name", &b->name, err) < 0 ||
        proto_json_strdup(o, "Arn", &b->arn, err) < 0 ||
        proto_json_strdup(o, "Description", &b->description, err) < 0)
        return -1;
    return 0;
}

static int parse_rule(const cJSON *o, void *out, struct aws_error *err)
{
    struct events_rule *rule = out;

    if (proto_json_required(o, "Name", &rule->name, err) < 0 ||
        proto_json_required(o, "State", &rule->state, err) < 0 ||
        proto_json_strdup(o, "Arn", &rule->arn, err) < 0 ||
        proto_json_strdup(o, "EventBusName", &rule->bus, err) < 0 ||
        proto_json_strdup(o, "ScheduleExpression", &rule->schedule, err) < 0 ||
        proto_json_strdup(o, "EventPattern", &rule->pattern, err) < 0 ||
        proto_json_strdup(o, "Description", &rule->description, err) < 0 ||
        proto_json_strdup(o, "RoleArn", &rule->role_arn, err) < 0 ||
        proto_json_strdup(o, "ManagedBy", &rule->managed_by, err) < 0 ||
        proto_json_strdup(o, "CreatedBy", &rule->created_by, err) < 0)
        return -1;
    return 0;
}

/* A member that is there and not null: what Input, InputPath and InputTransformer mean is
 * in their presence (their text is the team's template, not shown). */
static bool present(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    return v && !cJSON_IsNull(v);
}

static int parse_target(const cJSON *o, void *out, struct aws_error *err)
{
    struct events_target *t = out;
    const cJSON *dlq = NULL;

    if (proto_json_required(o, "Id", &t->id, err) < 0 ||
        proto_json_required(o, "Arn", &t->arn, err) < 0 ||
        proto_json_strdup(o, "RoleArn", &t->role_arn, err) < 0 ||
        proto_json_object(o, "DeadLetterConfig", &dlq, err) < 0 ||
        (dlq && proto_json_strdup(dlq, "Arn", &t->dlq_arn, err) < 0))
        return -1;
    t->input_transformer = present(o, "InputTransformer");
    t->input = present(o, "Input");
    t->input_path = present(o, "InputPath");
    return 0;
}

/* A paged list answer: items under key, and NextToken. */
static int parse_paged(const struct aws_response *resp, const char *ctx, const char *key,
                       size_t size, proto_json_item_fn fn, const char *what, void *itemsp,
                       size_t *n, char **next_token, struct aws_error *err)
{
    cJSON *root = proto_json_parse(resp->body.data, resp->body.len, err);
    int rc = -1;

    if (root && proto_json_next_token(root, "NextToken", next_token, err) >= 0 &&
        proto_json_items(root, key, size, fn, what, itemsp, n, err) == 0)
        rc = 0;
    cJSON_Delete(root);
    if (rc < 0)
        proto_error_response(err, resp, ctx);
    return rc;
}

int events_list_event_buses_parse(const struct aws_response *resp, struct events_bus_list *out,
                                  struct aws_error *err)
{
    memset(out, 0, sizeof(*out));
    if (parse_paged(resp, "EventBridge ListEventBuses", "EventBuses", sizeof(*out->buses),
                    parse_bus, "bus", &out->buses, &out->n, &out->next_token, err) < 0) {
        events_bus_list_free(out);
        return -1;
    }
    return 0;
}

int events_list_rules_parse(const struct aws_response *resp, struct events_rule_list *out,
                            struct aws_error *err)
{
    memset(out, 0, sizeof(*out));
    if (parse_paged(resp, "EventBridge ListRules", "Rules", sizeof(*out->rules), parse_rule,
                    "rule", &out->rules, &out->n, &out->next_token, err) < 0) {
        events_rule_list_free(out);
        return -1;
    }
    return 0;
}

int events_list_targets_by_rule_parse(const struct aws_response *resp,
                                      struct events_target_list *out, struct aws_error *err)
{
    memset(out, 0, sizeof(*out));
    if (parse_paged(resp, "EventBridge ListTargetsByRule", "Targets", sizeof(*out->targets),
                    parse_target, "target", &out->targets, &out->n, &out->next_token,
                    err) < 0) {
        events_target_list_free(out);
        return -1;
    }
    return 0;
}

int events_describe_rule_parse(const struct aws_response *resp, struct events_rule *out,
                               struct aws_error *err)
{
    cJSON *root;

    memset(out, 0, sizeof(*out));
    root = proto_json_parse(resp->body.data, resp->body.len, err);
    if (!root || parse_rule(root, out, err) < 0) {
        cJSON_Delete(root);
        events_rule_free(out);
        proto_error_response(err, resp, "EventBridge DescribeRule");
        return -1;
    }
    cJSON_Delete(root);
    return 0;
}
