/* test_sqs.c - SQS request builders and parsers, on responses recorded from moto. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sqs.h"
#include "aws_test_util.h"
#include "check_tap.h"

static void assert_zeroed_attrs(const struct sqs_queue_attrs *a)
{
    ck_assert_ptr_null(a->url);
    ck_assert_ptr_null(a->name);
    ck_assert_ptr_null(a->attrs);
    ck_assert_int_eq(a->nattrs, 0);
    ck_assert_ptr_null(a->dlq_arn);
}

/* test_parse_fn adapters: parse, check a failure left nothing behind, free. */
static int parse_attrs(const struct aws_response *r, struct aws_error *e)
{
    struct sqs_queue_attrs a;
    int rc;

    memset(&a, 0x5a, sizeof(a));   /* a failure must clear what it was given */
    rc = sqs_get_queue_attributes_parse(r, "http://h/1/orders", &a, e);
    if (rc == -1)
        assert_zeroed_attrs(&a);
    sqs_queue_attrs_free(&a);
    return rc;
}

static int parse_url_list(int (*parse)(const struct aws_response *, struct sqs_url_list *,
                                       struct aws_error *),
                          const struct aws_response *r, struct aws_error *e)
{
    struct sqs_url_list l;
    int rc = parse(r, &l, e);

    if (rc == -1) {
        ck_assert_ptr_null(l.urls);
        ck_assert_int_eq(l.n, 0);
    }
    sqs_url_list_free(&l);
    return rc;
}

static int parse_list_queues(const struct aws_response *r, struct aws_error *e)
{
    return parse_url_list(sqs_list_queues_parse, r, e);
}

static int parse_dlq_sources(const struct aws_response *r, struct aws_error *e)
{
    return parse_url_list(sqs_list_dead_letter_source_queues_parse, r, e);
}

/* ---- builders ---- */

START_TEST(list_queues_request_exact)
{
    struct aws_request r;
    struct sqs_list_queues_params p = { .prefix = "orders", .max_results = 5000,
                                        .next_token = "tok+/=" };

    sqs_list_queues_request(&r, &p);
    ck_assert_str_eq(r.service, "sqs");
    ck_assert_str_eq(r.action, "ListQueues");
    ck_assert_str_eq(r.method, "POST");
    ck_assert_str_eq(r.path, "/");
    ck_assert_str_eq(aws_request_header(&r, "X-Amz-Target"), "AmazonSQS.ListQueues");
    ck_assert_str_eq(aws_request_header(&r, "Content-Type"), "application/x-amz-json-1.0");
    /* MaxResults is clamped to SQS's limit of 1000 */
    ck_assert_str_eq(buf_str(&r.body),
                     "{\"QueueNamePrefix\":\"orders\",\"MaxResults\":1000,\"NextToken\":\"tok+/=\"}");
    aws_request_done(&r);

    sqs_list_queues_request(&r, NULL);
    ck_assert_str_eq(buf_str(&r.body), "{}");
    aws_request_done(&r);
}
END_TEST

START_TEST(get_queue_attributes_request_exact)
{
    struct aws_request r;

    sqs_get_queue_attributes_request(&r, "http://127.0.0.1:4566/123456789012/orders");
    ck_assert_str_eq(aws_request_header(&r, "X-Amz-Target"), "AmazonSQS.GetQueueAttributes");
    ck_assert_str_eq(buf_str(&r.body),
                     "{\"AttributeNames\":[\"All\"],"
                     "\"QueueUrl\":\"http://127.0.0.1:4566/123456789012/orders\"}");
    aws_request_done(&r);
}
END_TEST

START_TEST(list_dlq_sources_request_exact)
{
    struct aws_request r;
    struct sqs_list_dlq_sources_params p = { .queue_url = "http://h/1/orders-dlq",
                                             .max_results = 10, .next_token = "abc" };

    sqs_list_dead_letter_source_queues_request(&r, &p);
    ck_assert_str_eq(aws_request_header(&r, "X-Amz-Target"),
                     "AmazonSQS.ListDeadLetterSourceQueues");
    ck_assert_str_eq(buf_str(&r.body),
                     "{\"QueueUrl\":\"http://h/1/orders-dlq\",\"MaxResults\":10,\"NextToken\":\"abc\"}");
    aws_request_done(&r);
}
END_TEST

/* ---- ListQueues ---- */

START_TEST(list_queues_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct sqs_url_list l;
    char *name;

    test_resp_file(&resp, "sqs/list_queues.json");
    ck_assert_int_eq(sqs_list_queues_parse(&resp, &l, &e), 0);
    ck_assert_int_eq(l.n, 4);
    ck_assert_ptr_null(l.next_token);
    name = sqs_queue_name_from_url(l.urls[0]);
    ck_assert_str_eq(name, "orders-dlq");
    free(name);
    name = sqs_queue_name_from_url(l.urls[3]);
    ck_assert_str_eq(name, "events.fifo");
    free(name);
    ck_assert(strstr(l.urls[1], "/123456789012/orders") != NULL);
    sqs_url_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

START_TEST(list_queues_next_token_handwritten)
{
    struct aws_response resp;
    struct aws_error e;
    struct sqs_url_list l;

    test_resp_file(&resp, "sqs/list_queues_handwritten_nexttoken.json");
    ck_assert_int_eq(sqs_list_queues_parse(&resp, &l, &e), 0);
    ck_assert_int_eq(l.n, 4);
    ck_assert_str_eq(l.next_token, "AQEBexampleNextTokenOpaque+/==");
    sqs_url_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

START_TEST(list_queues_empty_and_malformed)
{
    static const struct {
        const char *body, *needle;
    } bad[] = {
        { "", "empty" },
        { "{\"QueueUrls\": [\"http://x/1/a\"", "not valid JSON" },
        { "[]", "not an object" },
        { "{\"QueueUrls\": \"http://x/1/a\"}", "'QueueUrls' is a string, expected an array" },
        { "{\"QueueUrls\": [\"http://x/1/a\", 7]}", "item 1 is not a string" },
        { "{\"QueueUrls\": [], \"NextToken\": 5}", "'NextToken' is a number" },
    };
    struct aws_response resp;
    struct aws_error e;
    struct sqs_url_list l;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        test_resp_str(&resp, bad[i].body);
        aws_error_clear(&e);
        ck_assert_int_eq(sqs_list_queues_parse(&resp, &l, &e), -1);
        ck_assert_parse_error(&e, "SQS ListQueues: ");
        ck_assert_parse_error(&e, bad[i].needle);
        ck_assert_ptr_null(l.urls);
        ck_assert_int_eq(l.n, 0);
        aws_response_done(&resp);
    }
    /* no queues at all: AWS omits QueueUrls */
    test_resp_str(&resp, "{}");
    ck_assert_int_eq(sqs_list_queues_parse(&resp, &l, &e), 0);
    ck_assert_int_eq(l.n, 0);
    sqs_url_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

/* ---- GetQueueAttributes ---- */

START_TEST(get_queue_attributes_orders_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct sqs_queue_attrs a;

    test_resp_file(&resp, "sqs/get_queue_attributes_orders.json");
    ck_assert_int_eq(sqs_get_queue_attributes_parse(&resp, "http://127.0.0.1:1/123456789012/orders",
                                                    &a, &e), 0);
    ck_assert_str_eq(a.name, "orders");
    ck_assert_str_eq(a.arn, "arn:aws:sqs:us-east-1:123456789012:orders");
    /* seeded: 3 sent + 1 delayed, 1 received (in flight) */
    ck_assert_int_eq(a.visible, 2);
    ck_assert_int_eq(a.not_visible, 1);
    ck_assert_int_eq(a.delayed, 1);
    ck_assert_int_eq(a.visibility_timeout, 45);
    ck_assert_int_eq(a.retention_period, 86400);
    ck_assert_int_eq(a.delay_seconds, 0);
    ck_assert_int_eq(a.max_message_size, 1048576);
    ck_assert(a.created > 1700000000);
    ck_assert(a.last_modified >= a.created);
    ck_assert(!a.fifo);
    ck_assert(a.has_redrive);
    ck_assert_str_eq(a.dlq_arn, "arn:aws:sqs:us-east-1:123456789012:orders-dlq");
    ck_assert_int_eq(a.max_receive_count, 5);
    ck_assert(!a.has_redrive_allow);
    ck_assert_str_eq(sqs_queue_attr(&a, "SqsManagedSseEnabled"), "true");
    ck_assert_ptr_null(sqs_queue_attr(&a, "NoSuchAttribute"));
    ck_assert_int_ge(a.nattrs, 12);
    sqs_queue_attrs_free(&a);
    assert_zeroed_attrs(&a);
    aws_response_done(&resp);
}
END_TEST

START_TEST(get_queue_attributes_fifo_and_dlq_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct sqs_queue_attrs a;

    test_resp_file(&resp, "sqs/get_queue_attributes_fifo.json");
    ck_assert_int_eq(sqs_get_queue_attributes_parse(&resp, "http://h/1/events.fifo", &a, &e), 0);
    ck_assert_str_eq(a.name, "events.fifo");
    ck_assert(a.fifo);
    ck_assert(a.content_based_dedup);
    ck_assert_int_eq(a.visible, 1);
    ck_assert(!a.has_redrive);
    ck_assert_int_eq(a.max_receive_count, -1);
    sqs_queue_attrs_free(&a);
    aws_response_done(&resp);

    test_resp_file(&resp, "sqs/get_queue_attributes_dlq_handwritten_redrive_allow.json");
    ck_assert_int_eq(sqs_get_queue_attributes_parse(&resp, "http://h/1/orders-dlq", &a, &e), 0);
    ck_assert_int_eq(a.visible, 2);
    ck_assert(a.has_redrive_allow);
    ck_assert_str_eq(a.redrive_permission, "byQueue");
    ck_assert_int_eq(a.nsource_queue_arns, 2);
    ck_assert_str_eq(a.source_queue_arns[1], "arn:aws:sqs:us-east-1:123456789012:billing");
    sqs_queue_attrs_free(&a);
    aws_response_done(&resp);
}
END_TEST

START_TEST(get_queue_attributes_absent_numbers_are_unknown)
{
    struct aws_response resp;
    struct aws_error e;
    struct sqs_queue_attrs a;

    test_resp_str(&resp, "{\"Attributes\":{\"QueueArn\":\"arn:aws:sqs:r:1:q\"}}");
    ck_assert_int_eq(sqs_get_queue_attributes_parse(&resp, "http://h/1/q", &a, &e), 0);
    ck_assert_int_eq(a.visible, -1);
    ck_assert_int_eq(a.not_visible, -1);
    ck_assert_int_eq(a.created, -1);
    ck_assert_int_eq(a.max_receive_count, -1);
    sqs_queue_attrs_free(&a);
    aws_response_done(&resp);
}
END_TEST

/* Each mutation of the real capture must fail with a message naming what was wrong. */
START_TEST(get_queue_attributes_malformed)
{
    static const struct test_mutation m[] = {
        { "\"ApproximateNumberOfMessages\": \"2\"", "\"ApproximateNumberOfMessages\": 2",
          "attribute ApproximateNumberOfMessages is not a string" },
        { "\"ApproximateNumberOfMessages\": \"2\"", "\"ApproximateNumberOfMessages\": \"abc\"",
          "ApproximateNumberOfMessages is not a non-negative integer: 'abc'" },
        { "\"ApproximateNumberOfMessages\": \"2\"",
          "\"ApproximateNumberOfMessages\": \"99999999999999999999999\"",
          "ApproximateNumberOfMessages is not a non-negative integer" },
        { "\"ApproximateNumberOfMessagesNotVisible\": \"1\"",
          "\"ApproximateNumberOfMessagesNotVisible\": \"-1\"",
          "ApproximateNumberOfMessagesNotVisible" },
        { "\"VisibilityTimeout\": \"45\"", "\"VisibilityTimeout\": null",
          "VisibilityTimeout is not a string" },
        { "\"CreatedTimestamp\": \"", "\"CreatedTimestamp\": \"x", "CreatedTimestamp" },
        { "{\\\"deadLetterTargetArn\\\"", "not json{\\\"deadLetterTargetArn\\\"",
          "attribute RedrivePolicy: response is not valid JSON" },
        { "\\\"deadLetterTargetArn\\\"", "\\\"deadLetterTarget\\\"",
          "RedrivePolicy: has no deadLetterTargetArn" },
        { "\\\"maxReceiveCount\\\": 5", "\\\"maxReceiveCount\\\": \\\"five\\\"",
          "maxReceiveCount is not a count" },
        { "\\\"maxReceiveCount\\\": 5", "\\\"maxReceiveCount\\\": 5e40", "'maxReceiveCount'" },
        { "\"Attributes\": {", "\"Attributes\": [{", "not valid JSON" },
        { "\"Attributes\": {", "\"Attrs\": {", "no Attributes object" },
    };
    test_each_mutation("sqs/get_queue_attributes_orders.json", m, TEST_COUNT(m),
                       "SQS GetQueueAttributes: ", parse_attrs);
}
END_TEST

/* Every truncation of a real body is an error, never a crash or a partial result. */
START_TEST(truncated_bodies_never_crash)
{
    test_each_truncation("sqs/get_queue_attributes_orders.json", parse_attrs);
    test_each_truncation("sqs/list_queues.json", parse_list_queues);
    test_each_truncation("sqs/list_dead_letter_source_queues.json", parse_dlq_sources);
}
END_TEST

/* ---- ListDeadLetterSourceQueues ---- */

START_TEST(list_dlq_sources_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct sqs_url_list l;
    char *a, *b;

    test_resp_file(&resp, "sqs/list_dead_letter_source_queues.json");
    ck_assert_int_eq(sqs_list_dead_letter_source_queues_parse(&resp, &l, &e), 0);
    ck_assert_int_eq(l.n, 2);
    a = sqs_queue_name_from_url(l.urls[0]);
    b = sqs_queue_name_from_url(l.urls[1]);
    ck_assert_str_eq(a, "orders");
    ck_assert_str_eq(b, "billing");
    ck_assert_ptr_null(l.next_token);
    free(a);
    free(b);
    sqs_url_list_free(&l);
    aws_response_done(&resp);

    /* the member is "queueUrls" (lower-case q), as AWS's model says; "QueueUrls" is not it */
    test_resp_str(&resp, "{\"queueUrls\":[\"http://h/1/a\"],\"NextToken\":\"n2\"}");
    ck_assert_int_eq(sqs_list_dead_letter_source_queues_parse(&resp, &l, &e), 0);
    ck_assert_int_eq(l.n, 1);
    ck_assert_str_eq(l.next_token, "n2");
    sqs_url_list_free(&l);
    aws_response_done(&resp);

    test_resp_str(&resp, "{\"queueUrls\":{}}");
    ck_assert_int_eq(sqs_list_dead_letter_source_queues_parse(&resp, &l, &e), -1);
    ck_assert_parse_error(&e, "SQS ListDeadLetterSourceQueues: 'queueUrls' is an object");
    aws_response_done(&resp);
}
END_TEST

START_TEST(queue_name_from_url)
{
    char *n = sqs_queue_name_from_url("https://sqs.eu-west-1.amazonaws.com/123/orders.fifo");

    ck_assert_str_eq(n, "orders.fifo");
    free(n);
    n = sqs_queue_name_from_url("http://h/1/q/");
    ck_assert_str_eq(n, "q");
    free(n);
    n = sqs_queue_name_from_url("plain");
    ck_assert_str_eq(n, "plain");
    free(n);
}
END_TEST

/* ---- SendMessage ---- */

START_TEST(send_message_request_exact)
{
    struct aws_request r;
    struct sqs_msg_attr attrs[] = {
        {"eventType", "String", "OrderCreated", 12},
        {"retries", "Number.int", "3", 1},
        {"blob", "Binary", "\x00\xff\x10", 3},
    };
    struct sqs_send_message_params p = {
        .queue_url = "http://h/123/orders", .body = "{\"id\": \"é\"}", .delay_seconds = -1,
        .attrs = attrs, .nattrs = 3,
    };

    sqs_send_message_request(&r, &p);
    ck_assert(r.mutating);
    ck_assert_str_eq(r.service, "sqs");
    ck_assert_str_eq(r.action, "SendMessage");
    ck_assert_str_eq(aws_request_header(&r, "X-Amz-Target"), "AmazonSQS.SendMessage");
    ck_assert_str_eq(buf_str(&r.body),
                     "{\"QueueUrl\":\"http://h/123/orders\",\"MessageBody\":\"{\\\"id\\\": "
                     "\\\"é\\\"}\",\"MessageAttributes\":{\"eventType\":{\"DataType\":\"String\","
                     "\"StringValue\":\"OrderCreated\"},\"retries\":{\"DataType\":\"Number.int\","
                     "\"StringValue\":\"3\"},\"blob\":{\"DataType\":\"Binary\",\"BinaryValue\":"
                     "\"AP8Q\"}}}");
    aws_request_done(&r);

    /* FIFO: group and deduplication ids; a delay when given */
    p = (struct sqs_send_message_params){.queue_url = "q", .body = "b", .delay_seconds = 0,
                                         .group_id = "g", .dedup_id = "d"};
    sqs_send_message_request(&r, &p);
    ck_assert_str_eq(buf_str(&r.body), "{\"QueueUrl\":\"q\",\"MessageBody\":\"b\","
                                       "\"DelaySeconds\":0,\"MessageGroupId\":\"g\","
                                       "\"MessageDeduplicationId\":\"d\"}");
    aws_request_done(&r);
}
END_TEST

static int parse_send(const struct aws_response *r, struct aws_error *e)
{
    struct sqs_send_result res;
    int rc;

    memset(&res, 0x5a, sizeof(res));
    rc = sqs_send_message_parse(r, "opsdeck test message", &res, e);
    if (rc == -1) {
        ck_assert_ptr_null(res.message_id);
        ck_assert_ptr_null(res.md5_body);
    }
    sqs_send_result_free(&res);
    return rc;
}

START_TEST(send_message_real)
{
    struct aws_response resp;
    struct sqs_send_result res;
    struct aws_error e;

    test_resp_file(&resp, "sqs/send_message.json");
    ck_assert_int_eq(sqs_send_message_parse(&resp, "opsdeck test message", &res, &e), 0);
    ck_assert_str_eq(res.message_id, "d8cda1f2-33fd-4976-aeb6-5c7422de49b9");
    ck_assert_str_eq(res.md5_body, "a1d8f57a2f4d4c11263f8bffa8ffce3b");
    ck_assert_ptr_null(res.sequence_number);
    sqs_send_result_free(&res);
    /* the body answered for is not the one sent: refused, as the SDKs refuse it */
    ck_assert_int_eq(sqs_send_message_parse(&resp, "another body", &res, &e), -1);
    ck_assert_parse_error(&e, "SQS SendMessage: MD5OfMessageBody");
    ck_assert_ptr_null(res.message_id);
    aws_response_done(&resp);

    test_resp_file(&resp, "sqs/send_message_fifo.json");
    ck_assert_int_eq(sqs_send_message_parse(&resp, "e2", &res, &e), 0);
    ck_assert_str_eq(res.sequence_number, "37330413736322229938");
    sqs_send_result_free(&res);
    aws_response_done(&resp);
}
END_TEST

START_TEST(send_message_malformed)
{
    static const struct test_mutation m[] = {
        {"\"MessageId\": \"d8cda1f2-33fd-4976-aeb6-5c7422de49b9\"", "\"MessageId\": 7",
         "'MessageId' is a number, expected a string"},
        {"\"MessageId\": \"d8cda1f2-33fd-4976-aeb6-5c7422de49b9\"", "\"MessageId\": \"\"",
         "no MessageId"},
        {"\"MessageId\"", "\"Id\"", "no MessageId"},
        {"\"MD5OfMessageBody\": \"a1d8f57a2f4d4c11263f8bffa8ffce3b\"",
         "\"MD5OfMessageBody\": \"\\u001b[2J\"", "MD5OfMessageBody"},
        {"\"MD5OfMessageBody\": \"a1d8f57a2f4d4c11263f8bffa8ffce3b\"",
         "\"MD5OfMessageBody\": []", "'MD5OfMessageBody' is an array, expected a string"},
    };

    test_each_mutation("sqs/send_message.json", m, TEST_COUNT(m), "SQS SendMessage: ",
                       parse_send);
    test_each_truncation("sqs/send_message.json", parse_send);
}
END_TEST

START_TEST(message_size_counts_what_sqs_counts)
{
    struct sqs_msg_attr attrs[] = {
        {"k", "String", "vv", 2},           /* 1 + 6 + 2 */
        {"bin", "Binary", "\0\0\0\0", 4},   /* 3 + 6 + 4 */
    };

    ck_assert_uint_eq(sqs_message_size("héllo", NULL, 0), 6);   /* bytes, not characters */
    ck_assert_uint_eq(sqs_message_size("héllo", attrs, 2), 6 + 9 + 13);
    ck_assert_uint_eq(sqs_message_size(NULL, NULL, 0), 0);
}
END_TEST

START_TEST(text_sqs_refuses)
{
    ck_assert_int_eq(sqs_text_invalid("plain\ttext\r\n", 12), -1);
    ck_assert_int_eq(sqs_text_invalid("日本語 😀", strlen("日本語 😀")), -1);
    ck_assert_int_eq(sqs_text_invalid("a\x1b[2J", 5), 1);          /* ESC */
    ck_assert_int_eq(sqs_text_invalid("ab\0c", 4), 2);             /* NUL */
    ck_assert_int_eq(sqs_text_invalid("a\xc3", 2), 1);             /* cut in a character */
    ck_assert_int_eq(sqs_text_invalid("\xc0\xaf", 2), 0);          /* overlong '/' */
    ck_assert_int_eq(sqs_text_invalid("x\xed\xa0\x80", 4), 1);     /* a surrogate */
    ck_assert_int_eq(sqs_text_invalid("\xef\xbf\xbe", 3), 0);      /* U+FFFE */
    ck_assert_int_eq(sqs_text_invalid("\xf4\x90\x80\x80", 4), 0);  /* past U+10FFFF */
    ck_assert_int_eq(sqs_text_invalid("\xff", 1), 0);
    ck_assert_int_eq(sqs_text_invalid("", 0), -1);
}
END_TEST

static Suite *sqs_suite(void)
{
    Suite *s = suite_create("sqs");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, list_queues_request_exact);
    tcase_add_test(tc, get_queue_attributes_request_exact);
    tcase_add_test(tc, list_dlq_sources_request_exact);
    tcase_add_test(tc, list_queues_real);
    tcase_add_test(tc, list_queues_next_token_handwritten);
    tcase_add_test(tc, list_queues_empty_and_malformed);
    tcase_add_test(tc, get_queue_attributes_orders_real);
    tcase_add_test(tc, get_queue_attributes_fifo_and_dlq_real);
    tcase_add_test(tc, get_queue_attributes_absent_numbers_are_unknown);
    tcase_add_test(tc, get_queue_attributes_malformed);
    tcase_add_test(tc, truncated_bodies_never_crash);
    tcase_add_test(tc, list_dlq_sources_real);
    tcase_add_test(tc, queue_name_from_url);
    tcase_add_test(tc, send_message_request_exact);
    tcase_add_test(tc, send_message_real);
    tcase_add_test(tc, send_message_malformed);
    tcase_add_test(tc, message_size_counts_what_sqs_counts);
    tcase_add_test(tc, text_sqs_refuses);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(sqs_suite());
}
