/* test_lambda.c - Lambda event-source mappings: list (by function or queue, paged), get,
 * update Enabled (mutating); requests, answers recorded from moto, a transitional state
 * and paging (handwritten: moto never pages), malformed answers. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/lambda.h"
#include "poll/sources/togglestate.h"
#include "aws_test_util.h"
#include "check_tap.h"

static int parse_list(const struct aws_response *r, struct aws_error *e)
{
    struct lambda_esm_list l;
    int rc;

    memset(&l, 0x5a, sizeof(l));
    rc = lambda_list_event_source_mappings_parse(r, &l, e);
    if (rc == -1) {
        ck_assert_ptr_null(l.mappings);
        ck_assert_ptr_null(l.next_marker);
    }
    lambda_esm_list_free(&l);
    return rc;
}

static int parse_one(const struct aws_response *r, struct aws_error *e)
{
    struct lambda_esm m;
    int rc;

    memset(&m, 0x5a, sizeof(m));
    rc = lambda_event_source_mapping_parse(r, &m, e);
    if (rc == -1)
        ck_assert_ptr_null(m.uuid);
    lambda_esm_free(&m);
    return rc;
}

START_TEST(requests_exact)
{
    struct aws_request r;
    struct lambda_esm_list_params p = { .function_name = "consumer",
                                        .event_source_arn = "arn:aws:sqs:us-east-1:1:work",
                                        .max_items = 50, .marker = "m+1" };

    lambda_list_event_source_mappings_request(&r, &p);
    ck_assert_str_eq(r.service, "lambda");
    ck_assert_str_eq(r.method, "GET");
    ck_assert(!r.mutating);
    ck_assert_str_eq(r.path, "/2015-03-31/event-source-mappings/");
    ck_assert_str_eq(r.query, "EventSourceArn=arn%3Aaws%3Asqs%3Aus-east-1%3A1%3Awork&"
                              "FunctionName=consumer&Marker=m%2B1&MaxItems=50");
    aws_request_done(&r);
    lambda_list_event_source_mappings_request(&r, NULL);
    ck_assert_str_eq(r.query, "");
    aws_request_done(&r);
    lambda_get_event_source_mapping_request(&r, "8a09eff1-856f-457c-b85a-5368da05e5ae");
    ck_assert_str_eq(r.path, "/2015-03-31/event-source-mappings/"
                             "8a09eff1-856f-457c-b85a-5368da05e5ae");
    ck_assert(!r.mutating);
    aws_request_done(&r);
    /* an id cannot reach another path */
    lambda_get_event_source_mapping_request(&r, "../functions/x");
    ck_assert_str_eq(r.path, "/2015-03-31/event-source-mappings/..%2Ffunctions%2Fx");
    aws_request_done(&r);
    lambda_update_event_source_mapping_request(&r, "u-1", false);
    ck_assert(r.mutating);
    ck_assert_str_eq(r.method, "PUT");
    ck_assert_str_eq(r.action, "UpdateEventSourceMapping");
    ck_assert_str_eq(r.path, "/2015-03-31/event-source-mappings/u-1");
    ck_assert_str_eq(aws_request_header(&r, "Content-Type"), "application/json");
    ck_assert_str_eq(buf_str(&r.body), "{\"Enabled\":false}");
    aws_request_done(&r);
    lambda_update_event_source_mapping_request(&r, "u-1", true);
    ck_assert_str_eq(buf_str(&r.body), "{\"Enabled\":true}");
    aws_request_done(&r);
}
END_TEST

START_TEST(mappings_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct lambda_esm_list l;
    struct lambda_esm m;

    test_resp_file(&resp, "lambda/list_event_source_mappings.json");
    ck_assert_int_eq(lambda_list_event_source_mappings_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_uint_eq(strlen(l.mappings[0].uuid), 36);
    ck_assert_str_eq(l.mappings[0].state, "Enabled");
    ck_assert_str_eq(l.mappings[0].event_source_arn, "arn:aws:sqs:us-east-1:123456789012:work");
    ck_assert_str_eq(l.mappings[0].function_arn,
                     "arn:aws:lambda:us-east-1:123456789012:function:consumer");
    ck_assert_int_eq(l.mappings[0].batch_size, 5);
    ck_assert_int_eq(l.mappings[0].max_concurrency, 2);
    ck_assert(l.mappings[0].last_modified > 1700000000);
    ck_assert_str_eq(l.mappings[1].state, "Disabled");
    ck_assert_int_eq(l.mappings[1].max_concurrency, -1);
    ck_assert_int_eq(l.mappings[1].batching_window_s, -1);
    ck_assert_ptr_null(l.next_marker);
    lambda_esm_list_free(&l);
    aws_response_done(&resp);

    test_resp_file(&resp, "lambda/list_event_source_mappings_by_queue.json");
    ck_assert_int_eq(lambda_list_event_source_mappings_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 1);
    lambda_esm_list_free(&l);
    aws_response_done(&resp);

    test_resp_file(&resp, "lambda/list_event_source_mappings_handwritten_nextmarker.json");
    ck_assert_int_eq(lambda_list_event_source_mappings_parse(&resp, &l, &e), 0);
    ck_assert_str_eq(l.next_marker, "eyJtYXJrZXIiOiIzIn0=");
    ck_assert_str_eq(l.mappings[0].last_processing_result, "PROBLEM: Function call failed");
    ck_assert_int_eq(l.mappings[0].batching_window_s, 5);
    ck_assert_str_eq(l.mappings[1].state, "Disabling");
    lambda_esm_list_free(&l);
    aws_response_done(&resp);

    test_resp_file(&resp, "lambda/get_event_source_mapping.json");
    ck_assert_int_eq(lambda_event_source_mapping_parse(&resp, &m, &e), 0);
    ck_assert_str_eq(m.state, "Enabled");
    ck_assert_str_eq(m.state_reason, "User initiated");
    lambda_esm_free(&m);
    aws_response_done(&resp);
    test_resp_file(&resp, "lambda/update_event_source_mapping.json");
    ck_assert_int_eq(lambda_event_source_mapping_parse(&resp, &m, &e), 0);
    ck_assert_str_eq(m.state, "Disabled");
    lambda_esm_free(&m);
    aws_response_done(&resp);
}
END_TEST

START_TEST(malformed)
{
    static const struct test_mutation list[] = {
        { "\"State\": \"Enabled\"", "\"Status\": \"Enabled\"", "mapping 1: no State" },
        { "\"BatchSize\": 5", "\"BatchSize\": \"5\"", "mapping 1: 'BatchSize' is a string" },
        { "\"BatchSize\": 5", "\"BatchSize\": 0", "'BatchSize' is 0" },
        { "\"MaximumConcurrency\": 2", "\"MaximumConcurrency\": 99999", "MaximumConcurrency" },
        { "\"LastModified\": 1", "\"LastModified\": -1", "'LastModified' is -1" },
        { "\"ScalingConfig\": {", "\"ScalingConfig\": 2, \"s\": {", "'ScalingConfig' is a number" },
        { "{\"EventSourceMappings\": [", "{\"EventSourceMappings\": [[], ",
          "mapping 1: not an object" },
    };
    static const struct test_mutation one[] = {
        { "\"UUID\": \"", "\"Id\": \"", "Lambda event-source mapping: no UUID" },
    };

    test_each_mutation("lambda/list_event_source_mappings.json", list, TEST_COUNT(list),
                       "Lambda ListEventSourceMappings: ", parse_list);
    test_each_truncation("lambda/list_event_source_mappings.json", parse_list);
    test_each_mutation("lambda/get_event_source_mapping.json", one, TEST_COUNT(one),
                       "Lambda event-source mapping: ", parse_one);
    test_each_truncation("lambda/get_event_source_mapping.json", parse_one);
}
END_TEST

/* What a mapping's State means to a person (togglestate.c): Enabled on, Disabled off, each
 * state AWS passes through on the way changing, anything else (a new state AWS may add, a
 * case or spacing AWS does not send, nothing) unknown; never on or off by a guess. */
START_TEST(mapping_states_to_on_off_changing_unknown)
{
    static const char *const changing[] = {"Enabling", "Disabling", "Updating", "Creating",
                                           "Deleting"};
    static const char *const unknown[] = {"", "enabled", "DISABLED", "Enabled ", "Disable",
                                          "Disabledx", "Paused", "Enabling\n", "Updat",
                                          "Deleted"};

    ck_assert_str_eq(togglestate_mapping("Enabled"), TOGGLE_ON);
    ck_assert_str_eq(togglestate_mapping("Disabled"), TOGGLE_OFF);
    for (size_t i = 0; i < sizeof(changing) / sizeof(changing[0]); i++)
        ck_assert_msg(strcmp(togglestate_mapping(changing[i]), TOGGLE_CHANGING) == 0,
                      "%s reads %s", changing[i], togglestate_mapping(changing[i]));
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
        ck_assert_msg(strcmp(togglestate_mapping(unknown[i]), TOGGLE_UNKNOWN) == 0,
                      "'%s' reads %s", unknown[i], togglestate_mapping(unknown[i]));
    ck_assert_str_eq(togglestate_mapping(NULL), TOGGLE_UNKNOWN);
    /* a rule: ENABLED and its CloudTrail variant on, DISABLED off, the rest unknown */
    ck_assert_str_eq(togglestate_rule("ENABLED"), TOGGLE_ON);
    ck_assert_str_eq(togglestate_rule("ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"),
                     TOGGLE_ON);
    ck_assert_str_eq(togglestate_rule("DISABLED"), TOGGLE_OFF);
    ck_assert_str_eq(togglestate_rule("ENABLEDX"), TOGGLE_UNKNOWN);
    ck_assert_str_eq(togglestate_rule("Enabled"), TOGGLE_UNKNOWN);
    ck_assert_str_eq(togglestate_rule(""), TOGGLE_UNKNOWN);
    ck_assert_str_eq(togglestate_rule(NULL), TOGGLE_UNKNOWN);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("lambda");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, requests_exact);
    tcase_add_test(tc, mappings_real);
    tcase_add_test(tc, malformed);
    tcase_add_test(tc, mapping_states_to_on_off_changing_unknown);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
