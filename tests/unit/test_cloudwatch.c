/* test_cloudwatch.c - GetMetricData batching, request encoding and parsing (moto capture). */
#include <check.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/cloudwatch.h"
#include "aws_test_util.h"
#include "check_tap.h"

static size_t count_substr(const char *s, const char *needle)
{
    size_t n = 0;

    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* test_parse_fn adapter: parse, check a failure left nothing behind, free. */
static int parse_metric_data(const struct aws_response *r, struct aws_error *e)
{
    struct cw_metric_data d;
    int rc = cw_get_metric_data_parse(r, &d, e);

    if (rc == -1) {
        ck_assert_ptr_null(d.results);
        ck_assert_int_eq(d.n, 0);
    }
    cw_metric_data_free(&d);
    return rc;
}

START_TEST(single_query_request_exact)
{
    struct cw_query_set *s = cw_query_set_new();
    struct aws_request r;
    size_t i;

    i = cw_query_set_add_sqs_age(s, "orders queue", 300);
    ck_assert_int_eq(i, 0);
    ck_assert_str_eq(cw_query_set_id(s, 0), "m0");
    ck_assert_ptr_null(cw_query_set_id(s, 1));
    ck_assert_int_eq(cw_get_metric_data_batches(s), 1);
    /* 2026-11-25T10:00:00Z .. 11:00:00Z */
    cw_get_metric_data_request(&r, s, 0, 1795600800, 1795604400, NULL);
    ck_assert_str_eq(r.service, "monitoring");
    ck_assert_str_eq(r.action, "GetMetricData");
    ck_assert_str_eq(r.method, "POST");
    ck_assert_str_eq(buf_str(&r.body),
                     "Action=GetMetricData&Version=2010-08-01"
                     "&StartTime=2026-11-25T10%3A00%3A00Z&EndTime=2026-11-25T11%3A00%3A00Z"
                     "&ScanBy=TimestampDescending"
                     "&MetricDataQueries.member.1.Id=m0"
                     "&MetricDataQueries.member.1.MetricStat.Metric.Namespace=AWS%2FSQS"
                     "&MetricDataQueries.member.1.MetricStat.Metric.MetricName="
                     "ApproximateAgeOfOldestMessage"
                     "&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name="
                     "QueueName"
                     "&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value="
                     "orders%20queue"
                     "&MetricDataQueries.member.1.MetricStat.Period=300"
                     "&MetricDataQueries.member.1.MetricStat.Stat=Maximum"
                     "&MetricDataQueries.member.1.ReturnData=true");
    aws_request_done(&r);

    cw_get_metric_data_request(&r, s, 0, 0, 60, "next/+tok");
    ck_assert(strstr(buf_str(&r.body), "&NextToken=next%2F%2Btok") != NULL);
    aws_request_done(&r);
    cw_query_set_free(s);
}
END_TEST

START_TEST(sns_failed_and_multi_dimension)
{
    struct cw_query_set *s = cw_query_set_new();
    struct cw_dimension d[2] = { { "A", "1" }, { "B", "2" } };
    struct aws_request r;
    const char *b;

    cw_query_set_add_sns_failed(s, "alerts", 60);
    cw_query_set_add(s, "Custom/NS", "M", d, 2, 3600, "p99");
    cw_get_metric_data_request(&r, s, 0, 0, 60, NULL);
    b = buf_str(&r.body);
    ck_assert(strstr(b, "member.1.MetricStat.Metric.Namespace=AWS%2FSNS&") != NULL);
    ck_assert(strstr(b, "member.1.MetricStat.Metric.MetricName=NumberOfNotificationsFailed&"));
    ck_assert(strstr(b, "member.1.MetricStat.Metric.Dimensions.member.1.Name=TopicName&"));
    ck_assert(strstr(b, "member.1.MetricStat.Stat=Sum&"));
    ck_assert(strstr(b, "member.2.Id=m1&"));
    ck_assert(strstr(b, "member.2.MetricStat.Metric.Dimensions.member.2.Name=B&"
                        "MetricDataQueries.member.2.MetricStat.Metric.Dimensions.member.2.Value=2&"));
    ck_assert(strstr(b, "member.2.MetricStat.Period=3600&"));
    aws_request_done(&r);
    cw_query_set_free(s);
}
END_TEST

START_TEST(batches_of_100)
{
    struct cw_query_set *s = cw_query_set_new();
    regex_t re;
    char name[32], needle[96];

    ck_assert_int_eq(cw_get_metric_data_batches(s), 0);
    ck_assert_int_eq(regcomp(&re, "^[a-z][a-zA-Z0-9_]*$", REG_EXTENDED | REG_NOSUB), 0);
    for (size_t i = 0; i < 250; i++) {
        snprintf(name, sizeof(name), "q%zu", i);
        ck_assert_int_eq(cw_query_set_add_sqs_age(s, name, 60), i);
        ck_assert_int_eq(regexec(&re, cw_query_set_id(s, i), 0, NULL, 0), 0);
    }
    regfree(&re);
    ck_assert_int_eq(cw_query_set_count(s), 250);
    ck_assert_int_eq(cw_get_metric_data_batches(s), 3);

    for (size_t batch = 0; batch < 3; batch++) {
        struct aws_request r;
        size_t expect = batch < 2 ? 100 : 50;
        const char *b;

        cw_get_metric_data_request(&r, s, batch, 0, 3600, NULL);
        b = buf_str(&r.body);
        ck_assert_int_eq(count_substr(b, ".Id=m"), expect);
        /* member numbers restart at 1 in every call and stop at the batch size */
        snprintf(needle, sizeof(needle), "MetricDataQueries.member.1.Id=m%zu&", batch * 100);
        ck_assert_msg(strstr(b, needle) != NULL, "batch %zu lacks %s", batch, needle);
        snprintf(needle, sizeof(needle), "MetricDataQueries.member.%zu.Id=m%zu&", expect,
                 batch * 100 + expect - 1);
        ck_assert_msg(strstr(b, needle) != NULL, "batch %zu lacks %s", batch, needle);
        snprintf(needle, sizeof(needle), "MetricDataQueries.member.%zu.", expect + 1);
        ck_assert(strstr(b, needle) == NULL);
        snprintf(needle, sizeof(needle), "Value=q%zu&", batch * 100 + expect - 1);
        ck_assert(strstr(b, needle) != NULL);
        aws_request_done(&r);
    }
    cw_query_set_free(s);
}
END_TEST

START_TEST(query_index_mapping)
{
    size_t i = 99;

    ck_assert_int_eq(cw_query_index("m0", &i), 0);
    ck_assert_int_eq(i, 0);
    ck_assert_int_eq(cw_query_index("m1199", &i), 0);
    ck_assert_int_eq(i, 1199);
    ck_assert_int_eq(cw_query_index("m", &i), -1);
    ck_assert_int_eq(cw_query_index("x1", &i), -1);
    ck_assert_int_eq(cw_query_index("m01", &i), -1);
    ck_assert_int_eq(cw_query_index("m-1", &i), -1);
    ck_assert_int_eq(cw_query_index("m1a", &i), -1);
    ck_assert_int_eq(cw_query_index("m99999999999999999999", &i), -1);
    ck_assert_int_eq(i, 1199);
}
END_TEST

START_TEST(parse_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct cw_metric_data d;
    const struct cw_metric_result *age, *billing, *failed;
    double v = 0;
    int64_t ts = 0;
    size_t idx;

    test_resp_file(&resp, "monitoring/get_metric_data.xml");
    ck_assert_int_eq(cw_get_metric_data_parse(&resp, &d, &e), 0);
    ck_assert_int_eq(d.n, 3);
    ck_assert_ptr_null(d.next_token);
    age = cw_metric_data_find(&d, "m0");
    billing = cw_metric_data_find(&d, "m1");
    failed = cw_metric_data_find(&d, "m2");
    ck_assert_ptr_nonnull(age);
    ck_assert_ptr_nonnull(billing);
    ck_assert_ptr_nonnull(failed);
    ck_assert_ptr_null(cw_metric_data_find(&d, "m3"));
    ck_assert_int_eq(cw_query_index(failed->id, &idx), 0);
    ck_assert_int_eq(idx, 2);

    /* seeded: 100 (now), 110 (-5 min), 120 (-10 min) */
    ck_assert_str_eq(age->label, "ApproximateAgeOfOldestMessage Maximum");
    ck_assert_str_eq(age->status_code, "Complete");
    ck_assert_int_eq(age->n, 3);
    ck_assert(age->values[0] == 100.0 && age->values[2] == 120.0);
    ck_assert_int_eq(age->timestamps[0] - age->timestamps[1], 300);
    ck_assert(cw_metric_result_latest(age, &v, &ts));
    ck_assert(v == 100.0);
    ck_assert_int_eq(ts, age->timestamps[0]);

    /* no datapoints: present, empty */
    ck_assert_int_eq(billing->n, 0);
    ck_assert(!cw_metric_result_latest(billing, &v, &ts));

    ck_assert_int_eq(failed->n, 1);
    ck_assert(failed->values[0] == 4.0);
    ck_assert_str_eq(failed->label, "NumberOfNotificationsFailed Sum");
    cw_metric_data_free(&d);
    ck_assert_ptr_null(d.results);
    aws_response_done(&resp);

    test_resp_file(&resp, "monitoring/get_metric_data_handwritten_nexttoken.xml");
    ck_assert_int_eq(cw_get_metric_data_parse(&resp, &d, &e), 0);
    ck_assert_str_eq(d.next_token, "cw-page-2-token");
    ck_assert_int_eq(d.n, 3);
    cw_metric_data_free(&d);
    aws_response_done(&resp);
}
END_TEST

START_TEST(parse_malformed)
{
    static const struct test_mutation m[] = {
        { "<member>100.0</member>", "<member>abc</member>", "result m0 value 1 is not a number: 'abc'" },
        { "<member>100.0</member>", "<member>1e999</member>", "value 1 is not a number" },
        { "<member>100.0</member>", "", "result m0 has 3 timestamps but 2 values" },
        { "<Timestamps><member>2026", "<Timestamps><member>x2026", "timestamp 1 is not ISO 8601" },
        { "<Id>m0</Id>", "", "result 1 has no <Id>" },
        { "<GetMetricDataResult>", "<GetMetricDataResultX>", "not well-formed" },
        { "<GetMetricDataResponse", "<!DOCTYPE x [<!ENTITY a \"aaaa\">]><GetMetricDataResponse",
          "DTD" },
    };
    test_each_mutation("monitoring/get_metric_data.xml", m, TEST_COUNT(m),
                       "CloudWatch GetMetricData: ", parse_metric_data);
}
END_TEST

START_TEST(truncated_never_crash)
{
    test_each_truncation("monitoring/get_metric_data.xml", parse_metric_data);
}
END_TEST

static Suite *cw_suite(void)
{
    Suite *s = suite_create("cloudwatch");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, single_query_request_exact);
    tcase_add_test(tc, sns_failed_and_multi_dimension);
    tcase_add_test(tc, batches_of_100);
    tcase_add_test(tc, query_index_mapping);
    tcase_add_test(tc, parse_real);
    tcase_add_test(tc, parse_malformed);
    tcase_add_test(tc, truncated_never_crash);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(cw_suite());
}
