/* test_sqs.c - SQS request builders and parsers, on responses recorded from moto. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sqs.h"
#include "core/proto.h"
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

/* One bad queue URL among good ones costs that queue, not the list: the good ones are
 * kept in order, and the error names the call, how many were skipped and why. */
START_TEST(list_queues_bad_item_skipped)
{
    char *huge = malloc(2100), *body;
    struct aws_response resp;
    struct aws_error e;
    struct sqs_url_list l;

    /* a URL of 2049 bytes whose name is short: only the URL cap refuses it */
    strcpy(huge, "http://x/");
    while (strlen(huge) < 2047)
        strcat(huge, "p/");
    huge[2047] = 'q';
    huge[2048] = 'r';
    huge[2049] = '\0';
    ck_assert_uint_eq(strlen(huge), 2049);
    body = malloc(2400);
    snprintf(body, 2400, "{\"QueueUrls\": [\"http://x/1/orders\", \"%s\", 7, "
             "\"http://x/1/billing\"], \"NextToken\": \"t2\"}", huge);
    test_resp_str(&resp, body);
    aws_error_clear(&e);
    ck_assert_int_eq(sqs_list_queues_parse(&resp, &l, &e), 1);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_str_eq(l.urls[0], "http://x/1/orders");
    ck_assert_str_eq(l.urls[1], "http://x/1/billing");
    ck_assert_str_eq(l.next_token, "t2");
    ck_assert_parse_error(&e, "SQS ListQueues: 2 queue URLs skipped (a queue URL is 2049 "
                              "bytes, past the 2048 AWS allows");
    ck_assert_parse_error(&e, "the other items were kept");
    ck_assert_str_eq(e.code, PROTO_ITEM_SKIPPED);
    sqs_url_list_free(&l);
    aws_response_done(&resp);

    /* at the cap: 2048 bytes is a URL like any other */
    huge[2048] = '\0';
    snprintf(body, 2400, "{\"QueueUrls\": [\"%s\"]}", huge);
    test_resp_str(&resp, body);
    aws_error_clear(&e);
    ck_assert_int_eq(sqs_list_queues_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_str_eq(l.urls[0], huge);
    ck_assert_int_eq(e.kind, AWS_ERR_NONE);
    sqs_url_list_free(&l);
    aws_response_done(&resp);
    free(body);
    free(huge);
}
END_TEST

/* A queue name (the URL's last segment) has 80 characters at most; 81 is that item's error,
 * in ListDeadLetterSourceQueues as in ListQueues. */
START_TEST(queue_name_cap_is_80_characters)
{
    char n80[81], n81[82], body[512];
    struct aws_response resp;
    struct aws_error e;
    struct sqs_url_list l;

    memset(n80, 'a', 80);
    n80[80] = '\0';
    memset(n81, 'b', 81);
    n81[81] = '\0';
    snprintf(body, sizeof(body), "{\"queueUrls\": [\"http://x/1/%s\", \"http://x/1/%s\"]}",
             n81, n80);
    test_resp_str(&resp, body);
    aws_error_clear(&e);
    ck_assert_int_eq(sqs_list_dead_letter_source_queues_parse(&resp, &l, &e), 1);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_ptr_nonnull(strstr(l.urls[0], n80));
    ck_assert_parse_error(&e, "SQS ListDeadLetterSourceQueues: 1 queue URL skipped (a queue "
                              "name is 81 characters, past the 80 AWS allows)");
    sqs_url_list_free(&l);
    aws_response_done(&resp);

    /* characters, not bytes: 80 two-byte letters are a valid length */
    {
        char wide[200] = "{\"QueueUrls\": [\"http://x/1/";

        for (int i = 0; i < 80; i++)
            strcat(wide, "\xc3\xa9");
        strcat(wide, "\"]}");
        test_resp_str(&resp, wide);
        aws_error_clear(&e);
        ck_assert_int_eq(sqs_list_queues_parse(&resp, &l, &e), 0);
        ck_assert_uint_eq(l.n, 1);
        sqs_url_list_free(&l);
        aws_response_done(&resp);
    }
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
    tcase_add_test(tc, list_queues_bad_item_skipped);
    tcase_add_test(tc, queue_name_cap_is_80_characters);
    tcase_add_test(tc, get_queue_attributes_orders_real);
    tcase_add_test(tc, get_queue_attributes_fifo_and_dlq_real);
    tcase_add_test(tc, get_queue_attributes_absent_numbers_are_unknown);
    tcase_add_test(tc, get_queue_attributes_malformed);
    tcase_add_test(tc, truncated_bodies_never_crash);
    tcase_add_test(tc, list_dlq_sources_real);
    tcase_add_test(tc, queue_name_from_url);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(sqs_suite());
}
