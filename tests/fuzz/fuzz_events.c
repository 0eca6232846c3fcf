/* fuzz_events.c - the EventBridge buses, rules, DescribeRule and targets parsers. */
#include "config.h"
#include "fuzz_util.h"

#include "aws/events.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct aws_response r;
    struct aws_error err;
    struct events_bus_list b;
    struct events_rule_list l;
    struct events_rule rule;
    struct events_target_list t;

    fuzz_response(&r, data, size);
    aws_error_clear(&err);
    if (events_list_event_buses_parse(&r, &b, &err) == 0)
        events_bus_list_free(&b);
    if (events_list_rules_parse(&r, &l, &err) == 0)
        events_rule_list_free(&l);
    if (events_describe_rule_parse(&r, &rule, &err) == 0)
        events_rule_free(&rule);
    if (events_list_targets_by_rule_parse(&r, &t, &err) == 0)
        events_target_list_free(&t);
    aws_response_done(&r);
    return 0;
}
