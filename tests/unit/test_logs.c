/* test_logs.c - CloudWatch Logs FilterLogEvents and DescribeLogGroups, and the SNS
 * delivery-status records found in them: requests, answers recorded from moto (paged),
 * malformed answers. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/logs.h"
#include "aws/sns.h"
#include "aws_test_util.h"
#include "check_tap.h"

static int parse_events(const struct aws_response *r, struct aws_error *e)
{
    struct logs_event_list l;
    int rc;

    memset(&l, 0x5a, sizeof(l));
    rc = logs_filter_log_events_parse(r, &l, e);
    if (rc == -1) {
        ck_assert_ptr_null(l.events);
        ck_assert_ptr_null(l.next_token);
    }
    logs_event_list_free(&l);
    return rc;
}

static int parse_groups(const struct aws_response *r, struct aws_error *e)
{
    struct logs_group_list l;
    int rc;

    memset(&l, 0x5a, sizeof(l));
    rc = logs_describe_log_groups_parse(r, &l, e);
    if (rc == -1)
        ck_assert_ptr_null(l.groups);
    logs_group_list_free(&l);
    return rc;
}

START_TEST(requests_exact)
{
    struct aws_request r;
    struct logs_filter_params fp = { .log_group = "sns/us-east-1/1/alerts/Failure",
                                     .start_ms = 1796288421465LL, .end_ms = 1796292021465LL,
                                     .limit = 20000, .next_token = "tok/1" };
    struct logs_describe_params dp = { .prefix = "sns/", .limit = 99, .next_token = "t" };

    logs_filter_log_events_request(&r, &fp);
    ck_assert_str_eq(r.service, "logs");
    ck_assert(!r.mutating);
    ck_assert_str_eq(aws_request_header(&r, "X-Amz-Target"), "Logs_20140328.FilterLogEvents");
    ck_assert_str_eq(aws_request_header(&r, "Content-Type"), "application/x-amz-json-1.1");
    ck_assert_str_eq(buf_str(&r.body),
                     "{\"logGroupName\":\"sns/us-east-1/1/alerts/Failure\","
                     "\"startTime\":1796288421465,\"endTime\":1796292021465,\"limit\":10000,"
                     "\"nextToken\":\"tok/1\"}");
    aws_request_done(&r);
    fp = (struct logs_filter_params){ .log_group = "g", .filter_pattern = "{ $.status = \"FAILURE\" }",
                                      .start_ms = -1, .end_ms = -1 };
    logs_filter_log_events_request(&r, &fp);
    ck_assert_str_eq(buf_str(&r.body), "{\"logGroupName\":\"g\","
                                       "\"filterPattern\":\"{ $.status = \\\"FAILURE\\\" }\"}");
    aws_request_done(&r);
    logs_describe_log_groups_request(&r, &dp);
    ck_assert_str_eq(aws_request_header(&r, "X-Amz-Target"), "Logs_20140328.DescribeLogGroups");
    ck_assert_str_eq(buf_str(&r.body),
                     "{\"logGroupNamePrefix\":\"sns/\",\"limit\":50,\"nextToken\":\"t\"}");
    aws_request_done(&r);
    logs_describe_log_groups_request(&r, NULL);
    ck_assert_str_eq(buf_str(&r.body), "{}");
    aws_request_done(&r);
}
END_TEST

START_TEST(filter_events_paged_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct logs_event_list l;

    test_resp_file(&resp, "logs/filter_log_events_page1.json");
    ck_assert_int_eq(logs_filter_log_events_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_str_eq(l.events[0].event_id, "0");
    ck_assert_str_eq(l.events[0].stream, "d1");
    ck_assert(l.events[0].timestamp_ms < l.events[1].timestamp_ms);
    ck_assert(l.events[0].ingestion_ms >= l.events[0].timestamp_ms);
    ck_assert(strncmp(l.events[0].message, "{\"notification\": {\"messageId\": \"m-0\"", 36) == 0);
    ck_assert_str_eq(l.next_token, "sns/us-east-1/123456789012/alerts/Failure@d1@1");
    logs_event_list_free(&l);
    aws_response_done(&resp);

    test_resp_file(&resp, "logs/filter_log_events_page2.json");
    ck_assert_int_eq(logs_filter_log_events_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_str_eq(l.events[0].event_id, "2");
    /* "nextToken": null is the last page */
    ck_assert_ptr_null(l.next_token);
    logs_event_list_free(&l);
    aws_response_done(&resp);

    /* invalid UTF-8 and escapes in a log message are kept byte for byte, for the sanitiser */
    test_resp_str(&resp, "{\"events\": [{\"message\": \"bad \xff\xfe \\u001b[2J\"}]}");
    ck_assert_int_eq(logs_filter_log_events_parse(&resp, &l, &e), 0);
    ck_assert_str_eq(l.events[0].message, "bad \xff\xfe \x1b[2J");
    ck_assert_int_eq(l.events[0].timestamp_ms, -1);
    logs_event_list_free(&l);
    aws_response_done(&resp);

    /* still searching: no events, a token */
    test_resp_str(&resp, "{\"events\": [], \"nextToken\": \"more\"}");
    ck_assert_int_eq(logs_filter_log_events_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 0);
    ck_assert_str_eq(l.next_token, "more");
    logs_event_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

START_TEST(filter_events_malformed)
{
    static const struct test_mutation m[] = {
        { "\"message\": \"{", "\"msg\": \"{", "event 1: no message" },
        { "\"message\": \"{", "\"message\": 7, \"m\": \"{", "event 1: 'message' is a number" },
        { "\"timestamp\": 1796", "\"timestamp\": -1796", "event 1: 'timestamp' is -1.79" },
        { "\"timestamp\": 1796", "\"timestamp\": \"1796\", \"t\": 1796", "'timestamp' is a string" },
        { "{\"events\": [{", "{\"events\": [3, {", "event 1: not an object" },
        { "\"nextToken\": \"", "\"nextToken\": 1, \"n\": \"", "'nextToken' is a number" },
        { "{\"events\": [", "{\"events\": {}, \"e\": [", "'events' is an object" },
    };

    test_each_mutation("logs/filter_log_events_page1.json", m, TEST_COUNT(m),
                       "CloudWatch Logs FilterLogEvents: ", parse_events);
    test_each_truncation("logs/filter_log_events_page1.json", parse_events);
}
END_TEST

START_TEST(describe_groups_real_and_malformed)
{
    static const struct test_mutation m[] = {
        { "\"logGroupName\": \"/aws", "\"name\": \"/aws", "log group 1: no logGroupName" },
        { "\"storedBytes\": 0", "\"storedBytes\": 1.5", "log group 1: 'storedBytes' is 1.5" },
        { "\"retentionInDays\": 30", "\"retentionInDays\": 0", "log group 2: 'retentionInDays'" },
    };
    struct aws_response resp;
    struct aws_error e;
    struct logs_group_list l;

    test_resp_file(&resp, "logs/describe_log_groups.json");
    ck_assert_int_eq(logs_describe_log_groups_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_str_eq(l.groups[0].name, "/aws/lambda/consumer");
    ck_assert_str_eq(l.groups[1].name, "sns/us-east-1/123456789012/alerts/Failure");
    ck_assert_str_eq(l.groups[1].arn, "arn:aws:logs:us-east-1:123456789012:log-group:"
                                      "sns/us-east-1/123456789012/alerts/Failure");
    ck_assert(l.groups[1].stored_bytes > 0);
    ck_assert_int_eq(l.groups[1].retention_days, -1);
    ck_assert_int_eq(l.groups[0].metric_filters, 0);
    ck_assert_ptr_null(l.next_token);
    logs_group_list_free(&l);
    aws_response_done(&resp);

    test_resp_file(&resp, "logs/describe_log_groups_handwritten_nexttoken.json");
    ck_assert_int_eq(logs_describe_log_groups_parse(&resp, &l, &e), 0);
    ck_assert_int_eq(l.groups[1].retention_days, 30);
    ck_assert_str_eq(l.next_token, "eyJncm91cCI6Ii9hd3MvbGFtYmRhL2NvbnN1bWVyIn0=");
    logs_group_list_free(&l);
    aws_response_done(&resp);

    test_each_mutation("logs/describe_log_groups_handwritten_nexttoken.json", m, TEST_COUNT(m),
                       "CloudWatch Logs DescribeLogGroups: ", parse_groups);
    test_each_truncation("logs/describe_log_groups.json", parse_groups);
}
END_TEST

/* The records in the captured log group, as SNS shapes them. */
START_TEST(sns_delivery_records)
{
    struct aws_response resp;
    struct aws_error e;
    struct logs_event_list l;
    struct sns_delivery_record r;

    test_resp_file(&resp, "logs/filter_log_events_page1.json");
    ck_assert_int_eq(logs_filter_log_events_parse(&resp, &l, &e), 0);
    ck_assert_int_eq(sns_delivery_record_parse(l.events[0].message, &r, &e), 0);
    ck_assert_str_eq(r.status, "FAILURE");
    ck_assert_str_eq(r.message_id, "m-0");
    ck_assert_str_eq(r.topic_arn, "arn:aws:sns:us-east-1:123456789012:alerts");
    ck_assert_str_eq(r.destination, "arn:aws:sqs:us-east-1:123456789012:gone");
    ck_assert_str_eq(r.provider_response, "HTTP 403");
    ck_assert(r.has_status_code);
    ck_assert_int_eq(r.status_code, 403);
    ck_assert_int_eq(r.dwell_ms, 1000);
    ck_assert_int_eq(r.attempts, 3);
    ck_assert_str_eq(r.timestamp, "2026-01-01 00:00:00.000");
    sns_delivery_record_free(&r);
    /* a connect timeout: SNS's own code, and a response with an escape sequence kept */
    ck_assert_int_eq(sns_delivery_record_parse(l.events[1].message, &r, &e), 0);
    ck_assert_int_eq(r.status_code, -1);
    ck_assert_str_eq(r.provider_response, "\x1b[2Jconnect timeout");
    ck_assert_int_eq(r.dwell_ms, 2000);
    sns_delivery_record_free(&r);
    logs_event_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

START_TEST(sns_delivery_records_malformed)
{
    static const struct {
        const char *msg, *needle;
    } bad[] = {
        { "", "empty" },
        { "not json", "not valid JSON" },
        { "[1]", "not an object" },
        { "{\"status\": \"FAILURE\"}", "no delivery object" },
        { "{\"delivery\": []}", "'delivery' is an array" },
        { "{\"delivery\": {\"statusCode\": \"403\"}}", "'statusCode' is a string" },
        { "{\"delivery\": {\"statusCode\": 99999999999}}", "'statusCode' is 1e+11" },
        { "{\"delivery\": {\"dwellTimeMs\": -5}}", "'dwellTimeMs' is -5" },
        { "{\"delivery\": {}, \"notification\": {\"messageId\": 5}}", "'messageId' is a number" },
        { "{\"delivery\": {\"destination\": [\"x\"]}}", "'destination' is an array" },
    };
    struct sns_delivery_record r;
    struct aws_error e;

    for (size_t i = 0; i < TEST_COUNT(bad); i++) {
        aws_error_clear(&e);
        memset(&r, 0x5a, sizeof(r));
        ck_assert_int_eq(sns_delivery_record_parse(bad[i].msg, &r, &e), -1);
        ck_assert_parse_error(&e, "SNS delivery record: ");
        ck_assert_parse_error(&e, bad[i].needle);
        ck_assert_ptr_null(r.destination);
        ck_assert_ptr_null(r.status);
    }
    ck_assert_int_eq(sns_delivery_record_parse(NULL, &r, &e), -1);
    /* the smallest record: nothing but a delivery */
    ck_assert_int_eq(sns_delivery_record_parse("{\"delivery\": {}}", &r, &e), 0);
    ck_assert(!r.has_status_code);
    ck_assert_int_eq(r.attempts, -1);
    sns_delivery_record_free(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("logs");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, requests_exact);
    tcase_add_test(tc, filter_events_paged_real);
    tcase_add_test(tc, filter_events_malformed);
    tcase_add_test(tc, describe_groups_real_and_malformed);
    tcase_add_test(tc, sns_delivery_records);
    tcase_add_test(tc, sns_delivery_records_malformed);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
