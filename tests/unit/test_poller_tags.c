/* test_poller_tags.c - SQS ListQueueTags (the detail pane's tags): request and parser,
 * with hostile text kept exactly and malformed answers refused. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sqs.h"
#include "aws_test_util.h"
#include "check_tap.h"

static int parse_tags(const struct aws_response *r, struct aws_error *e)
{
    struct sqs_tag_list t;
    int rc;

    memset(&t, 0x5a, sizeof(t));   /* a failure must clear what it was given */
    rc = sqs_list_queue_tags_parse(r, &t, e);
    if (rc == -1) {
        ck_assert_ptr_null(t.tags);
        ck_assert_int_eq(t.n, 0);
    }
    sqs_tag_list_free(&t);
    return rc;
}

static int parse_str(const char *body, struct sqs_tag_list *t, struct aws_error *e)
{
    struct aws_response resp;
    int rc;

    test_resp_str(&resp, body);
    aws_error_clear(e);
    rc = sqs_list_queue_tags_parse(&resp, t, e);
    aws_response_done(&resp);
    return rc;
}

START_TEST(request_exact)
{
    struct aws_request r;

    sqs_list_queue_tags_request(&r, "http://127.0.0.1:5000/123456789012/orders");
    ck_assert_str_eq(r.service, "sqs");
    ck_assert_str_eq(r.action, "ListQueueTags");
    ck_assert_str_eq(r.method, "POST");
    ck_assert_str_eq(aws_request_header(&r, "X-Amz-Target"), "AmazonSQS.ListQueueTags");
    ck_assert_str_eq(buf_str(&r.body),
                     "{\"QueueUrl\":\"http://127.0.0.1:5000/123456789012/orders\"}");
    aws_request_done(&r);
}
END_TEST

START_TEST(tags_in_order_and_raw)
{
    struct sqs_tag_list t;
    struct aws_error e;
    /* ESC[2J, an OSC 52 clipboard write and U+202E: stored exactly, the view sanitises */
    const char *body = "{\"Tags\":{\"team\":\"checkout\",\"evil\":\"\\u001b[2J\\u001b]52;c;aGk=\\u0007"
                       "\xe2\x80\xae" "txt\",\"empty\":\"\"}}";

    ck_assert_int_eq(parse_str(body, &t, &e), 0);
    ck_assert_int_eq(t.n, 3);
    ck_assert_str_eq(t.tags[0].name, "team");
    ck_assert_str_eq(t.tags[0].value, "checkout");
    ck_assert_str_eq(t.tags[1].name, "evil");
    ck_assert_str_eq(t.tags[1].value, "\x1b[2J\x1b]52;c;aGk=\x07\xe2\x80\xaetxt");
    ck_assert_str_eq(t.tags[2].name, "empty");
    ck_assert_str_eq(t.tags[2].value, "");
    sqs_tag_list_free(&t);
    ck_assert_ptr_null(t.tags);
    ck_assert_int_eq(t.n, 0);
}
END_TEST

START_TEST(no_tags)
{
    struct sqs_tag_list t;
    struct aws_error e;

    /* moto and AWS leave "Tags" out when a queue has none */
    ck_assert_int_eq(parse_str("{}", &t, &e), 0);
    ck_assert_int_eq(t.n, 0);
    sqs_tag_list_free(&t);
    ck_assert_int_eq(parse_str("{\"Tags\":{}}", &t, &e), 0);
    ck_assert_int_eq(t.n, 0);
    sqs_tag_list_free(&t);
    ck_assert_int_eq(parse_str("{\"Tags\":null}", &t, &e), 0);
    ck_assert_int_eq(t.n, 0);
    sqs_tag_list_free(&t);
}
END_TEST

START_TEST(malformed)
{
    static const struct { const char *body, *needle; } cases[] = {
        {"", "SQS ListQueueTags"},
        {"not json", "SQS ListQueueTags"},
        {"[1,2]", "SQS ListQueueTags"},
        {"{\"Tags\":[\"a\",\"b\"]}", "Tags"},
        {"{\"Tags\":\"team=x\"}", "Tags"},
        {"{\"Tags\":{\"team\":5}}", "tag team is not a string"},
        {"{\"Tags\":{\"a\":\"b\",\"team\":null}}", "tag team is not a string"},
        {"{\"Tags\":{\"team\":{\"x\":\"y\"}}}", "tag team"},
        {"{\"Tags\":{\"team\":true}}", "tag team"},
    };

    for (size_t i = 0; i < TEST_COUNT(cases); i++) {
        struct aws_response resp;
        struct aws_error e;

        test_resp_str(&resp, cases[i].body);
        aws_error_clear(&e);
        ck_assert_msg(parse_tags(&resp, &e) == -1, "case %zu accepted", i);
        ck_assert_parse_error(&e, "SQS ListQueueTags: ");
        ck_assert_parse_error(&e, cases[i].needle);
        aws_response_done(&resp);
    }
}
END_TEST

START_TEST(every_truncation)
{
    const char *body = "{\"Tags\":{\"team\":\"checkout\",\"env\":\"staging\"}}";
    size_t len = strlen(body);

    for (size_t cut = 0; cut < len; cut++) {
        struct aws_response resp;
        struct aws_error e;

        test_resp_set(&resp, body, cut);
        aws_error_clear(&e);
        ck_assert_msg(parse_tags(&resp, &e) == -1, "cut at %zu accepted", cut);
        ck_assert_int_eq(e.kind, AWS_ERR_PARSE);
        aws_response_done(&resp);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sqs_list_queue_tags");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, request_exact);
    tcase_add_test(tc, tags_in_order_and_raw);
    tcase_add_test(tc, no_tags);
    tcase_add_test(tc, malformed);
    tcase_add_test(tc, every_truncation);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
