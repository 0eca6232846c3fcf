/* test_events.c - EventBridge buses, rules (paged, per bus), DescribeRule, targets, and
 * turning a rule on and off: requests (the mutating flag), answers recorded from moto,
 * malformed answers. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/events.h"
#include "aws_test_util.h"
#include "check_tap.h"

static int parse_rules(const struct aws_response *r, struct aws_error *e)
{
    struct events_rule_list l;
    int rc;

    memset(&l, 0x5a, sizeof(l));
    rc = events_list_rules_parse(r, &l, e);
    if (rc == -1) {
        ck_assert_ptr_null(l.rules);
        ck_assert_ptr_null(l.next_token);
    }
    events_rule_list_free(&l);
    return rc;
}

static int parse_targets(const struct aws_response *r, struct aws_error *e)
{
    struct events_target_list l;
    int rc;

    memset(&l, 0x5a, sizeof(l));
    rc = events_list_targets_by_rule_parse(r, &l, e);
    if (rc == -1)
        ck_assert_ptr_null(l.targets);
    events_target_list_free(&l);
    return rc;
}

START_TEST(requests_exact)
{
    struct aws_request r;
    struct events_list_params p = { .name_prefix = "ord", .limit = 1000, .next_token = "t" };

    events_list_event_buses_request(&r, NULL);
    ck_assert_str_eq(r.service, "events");
    ck_assert(!r.mutating);
    ck_assert_str_eq(aws_request_header(&r, "X-Amz-Target"), "AWSEvents.ListEventBuses");
    ck_assert_str_eq(buf_str(&r.body), "{}");
    aws_request_done(&r);
    events_list_rules_request(&r, "ops", &p);
    ck_assert_str_eq(buf_str(&r.body), "{\"EventBusName\":\"ops\",\"NamePrefix\":\"ord\","
                                       "\"Limit\":100,\"NextToken\":\"t\"}");
    aws_request_done(&r);
    /* the default bus is not named */
    events_list_rules_request(&r, "default", NULL);
    ck_assert_str_eq(buf_str(&r.body), "{}");
    aws_request_done(&r);
    events_describe_rule_request(&r, "orders", "ops");
    ck_assert(!r.mutating);
    ck_assert_str_eq(buf_str(&r.body), "{\"Name\":\"orders\",\"EventBusName\":\"ops\"}");
    aws_request_done(&r);
    events_list_targets_by_rule_request(&r, "orders", "ops", &p);
    ck_assert_str_eq(buf_str(&r.body), "{\"Rule\":\"orders\",\"EventBusName\":\"ops\","
                                       "\"Limit\":100,\"NextToken\":\"t\"}");
    aws_request_done(&r);
    events_enable_rule_request(&r, "orders", "ops");
    ck_assert(r.mutating);
    ck_assert_str_eq(aws_request_header(&r, "X-Amz-Target"), "AWSEvents.EnableRule");
    ck_assert_str_eq(buf_str(&r.body), "{\"Name\":\"orders\",\"EventBusName\":\"ops\"}");
    aws_request_done(&r);
    events_disable_rule_request(&r, "nightly", NULL);
    ck_assert(r.mutating);
    ck_assert_str_eq(r.action, "DisableRule");
    ck_assert_str_eq(buf_str(&r.body), "{\"Name\":\"nightly\"}");
    aws_request_done(&r);
}
END_TEST

START_TEST(buses_rules_targets_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct events_bus_list b;
    struct events_rule_list l;
    struct events_rule rule;
    struct events_target_list t;

    test_resp_file(&resp, "events/list_event_buses.json");
    ck_assert_int_eq(events_list_event_buses_parse(&resp, &b, &e), 0);
    ck_assert_uint_eq(b.n, 2);
    ck_assert_str_eq(b.buses[0].name, "default");
    ck_assert_str_eq(b.buses[1].arn, "arn:aws:events:us-east-1:123456789012:event-bus/ops");
    events_bus_list_free(&b);
    aws_response_done(&resp);

    test_resp_file(&resp, "events/list_rules_page1.json");
    ck_assert_int_eq(events_list_rules_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_str_eq(l.rules[0].name, "orders");
    ck_assert_str_eq(l.rules[0].bus, "ops");
    ck_assert_str_eq(l.rules[0].state, "ENABLED");
    ck_assert_ptr_null(l.rules[0].schedule);
    /* the pattern as sent: its escapes stay JSON escapes */
    ck_assert_ptr_nonnull(strstr(l.rules[0].pattern, "\\u001b[31mred"));
    ck_assert_ptr_nonnull(l.next_token);
    events_rule_list_free(&l);
    aws_response_done(&resp);
    test_resp_file(&resp, "events/list_rules_page2.json");
    ck_assert_int_eq(events_list_rules_parse(&resp, &l, &e), 0);
    ck_assert_str_eq(l.rules[0].name, "orders-archive");
    ck_assert_str_eq(l.rules[0].state, "DISABLED");
    ck_assert_ptr_null(l.next_token);
    events_rule_list_free(&l);
    aws_response_done(&resp);
    test_resp_file(&resp, "events/list_rules_default.json");
    ck_assert_int_eq(events_list_rules_parse(&resp, &l, &e), 0);
    ck_assert_str_eq(l.rules[0].schedule, "rate(1 day)");
    ck_assert_str_eq(l.rules[0].description, "nightly job");
    ck_assert_ptr_null(l.rules[0].pattern);
    events_rule_list_free(&l);
    aws_response_done(&resp);

    test_resp_file(&resp, "events/describe_rule.json");
    ck_assert_int_eq(events_describe_rule_parse(&resp, &rule, &e), 0);
    ck_assert_str_eq(rule.name, "orders");
    ck_assert_str_eq(rule.created_by, "123456789012");
    events_rule_free(&rule);
    aws_response_done(&resp);

    test_resp_file(&resp, "events/list_targets_by_rule.json");
    ck_assert_int_eq(events_list_targets_by_rule_parse(&resp, &t, &e), 0);
    ck_assert_uint_eq(t.n, 1);
    ck_assert_str_eq(t.targets[0].id, "q");
    ck_assert_str_eq(t.targets[0].arn, "arn:aws:sqs:us-east-1:123456789012:rule-target");
    ck_assert_ptr_null(t.next_token);
    ck_assert_ptr_null(t.targets[0].dlq_arn);
    ck_assert(!t.targets[0].input_transformer && !t.targets[0].input && !t.targets[0].input_path);
    events_target_list_free(&t);
    aws_response_done(&resp);

    /* what the toggles pane shows of each target: its DLQ, and how its input is made */
    test_resp_file(&resp, "events/list_targets_by_rule_detail.json");
    ck_assert_int_eq(events_list_targets_by_rule_parse(&resp, &t, &e), 0);
    ck_assert_uint_eq(t.n, 4);
    ck_assert_str_eq(t.targets[0].id, "with-dlq");
    ck_assert_str_eq(t.targets[0].dlq_arn, "arn:aws:sqs:us-east-1:123456789012:rule-target-dlq");
    ck_assert(!t.targets[0].input_transformer && !t.targets[0].input && !t.targets[0].input_path);
    ck_assert_str_eq(t.targets[1].id, "rewritten");
    ck_assert(t.targets[1].input_transformer && !t.targets[1].input);
    ck_assert_ptr_null(t.targets[1].dlq_arn);
    ck_assert(t.targets[2].input && !t.targets[2].input_transformer);
    ck_assert(t.targets[3].input_path && !t.targets[3].input);
    events_target_list_free(&t);
    aws_response_done(&resp);
}
END_TEST

START_TEST(malformed)
{
    static const struct test_mutation rules[] = {
        { "\"State\": \"ENABLED\"", "\"Status\": \"ENABLED\"", "rule 1: no State" },
        { "\"Name\": \"orders\"", "\"Name\": \"\"", "rule 1: no Name" },
        { "\"EventPattern\": \"", "\"EventPattern\": {}, \"p\": \"", "'EventPattern' is an object" },
        { "{\"Rules\": [", "{\"Rules\": \"x\", \"r\": [", "'Rules' is a string" },
    };
    static const struct test_mutation targets[] = {
        { "\"Arn\": \"", "\"ARN\": \"", "target 1: no Arn" },
        { "\"Id\": \"q\"", "\"Id\": 1", "target 1: 'Id' is a number" },
    };
    static const struct test_mutation detail[] = {
        { "\"DeadLetterConfig\": {", "\"DeadLetterConfig\": \"x\", \"d\": {",
          "'DeadLetterConfig' is a string" },
        { "\"DeadLetterConfig\": {\"Arn\": \"", "\"DeadLetterConfig\": {\"Arn\": 3, \"a\": \"",
          "'Arn' is a number" },
    };
    struct aws_response resp;
    struct aws_error e;
    struct events_rule rule;

    test_each_mutation("events/list_rules_page1.json", rules, TEST_COUNT(rules),
                       "EventBridge ListRules: ", parse_rules);
    test_each_truncation("events/list_rules_page1.json", parse_rules);
    test_each_mutation("events/list_targets_by_rule.json", targets, TEST_COUNT(targets),
                       "EventBridge ListTargetsByRule: ", parse_targets);
    test_each_truncation("events/list_targets_by_rule.json", parse_targets);
    test_each_mutation("events/list_targets_by_rule_detail.json", detail, TEST_COUNT(detail),
                       "EventBridge ListTargetsByRule: ", parse_targets);
    test_each_truncation("events/list_targets_by_rule_detail.json", parse_targets);
    test_resp_str(&resp, "{\"Name\": \"x\"}");
    ck_assert_int_eq(events_describe_rule_parse(&resp, &rule, &e), -1);
    ck_assert_parse_error(&e, "EventBridge DescribeRule: no State");
    ck_assert_ptr_null(rule.name);
    aws_response_done(&resp);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("events");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, requests_exact);
    tcase_add_test(tc, buses_rules_targets_real);
    tcase_add_test(tc, malformed);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
