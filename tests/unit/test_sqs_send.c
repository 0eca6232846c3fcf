/* test_sqs_send.c - SendMessage's request and answer, and what SQS accepts of a message
 * (sqs_check.h): the size it counts against MaximumMessageSize, the characters it refuses,
 * the MD5 of the body it answers. The answers below are moto 5.2.1's to the requests shown
 * (the body "opsdeck test message" with one String attribute; "e2" to a FIFO queue), then
 * mutated and cut to test malformed ones. */
#include "config.h"
#include "check_tap.h"

#include <stdlib.h>
#include <string.h>

#include "aws/sqs.h"
#include "aws/sqs_check.h"
#include "aws_test_util.h"

static const char moto_sent[] =
    "{\"MD5OfMessageBody\": \"a1d8f57a2f4d4c11263f8bffa8ffce3b\", \"MD5OfMessageAttributes\": "
    "\"00e6298f7e6a1f37c41fe70509083cfd\", \"MessageId\": "
    "\"d8cda1f2-33fd-4976-aeb6-5c7422de49b9\"}";
static const char moto_sent_fifo[] =
    "{\"MD5OfMessageBody\": \"68a9e49bbc88c02083a062a78ab3bf30\", \"MessageId\": "
    "\"5916120e-b522-4cde-8fc5-ea6274bc2651\", \"SequenceNumber\": \"37330413736322229938\"}";

START_TEST(request_exact)
{
    struct aws_request r;
    const unsigned char blob[] = {0x00, 0xff, 0x10};
    struct sqs_msg_attr_in attrs[] = {
        {.name = "eventType", .data_type = "String", .string_value = "OrderCreated"},
        {.name = "retries", .data_type = "Number.int", .string_value = "3"},
        {.name = "blob", .data_type = "Binary", .binary = blob, .binary_len = 3},
    };
    struct sqs_send_params p = {
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
    p = (struct sqs_send_params){.queue_url = "q", .body = "b", .delay_seconds = 0,
                                 .group_id = "g", .dedup_id = "d"};
    sqs_send_message_request(&r, &p);
    ck_assert_str_eq(buf_str(&r.body), "{\"QueueUrl\":\"q\",\"MessageBody\":\"b\","
                                       "\"DelaySeconds\":0,\"MessageGroupId\":\"g\","
                                       "\"MessageDeduplicationId\":\"d\"}");
    aws_request_done(&r);
}
END_TEST

START_TEST(answer_parsed)
{
    struct aws_response resp;
    struct sqs_sent res;
    struct aws_error e;

    test_resp_str(&resp, moto_sent);
    ck_assert_int_eq(sqs_send_message_parse(&resp, &res, &e), 0);
    ck_assert_str_eq(res.message_id, "d8cda1f2-33fd-4976-aeb6-5c7422de49b9");
    ck_assert_str_eq(res.md5_of_body, "a1d8f57a2f4d4c11263f8bffa8ffce3b");
    ck_assert_str_eq(res.md5_of_attrs, "00e6298f7e6a1f37c41fe70509083cfd");
    ck_assert_ptr_null(res.sequence_number);
    /* the MD5 is that of the body sent, and only of it */
    ck_assert(sqs_md5_matches("opsdeck test message", 20, res.md5_of_body));
    ck_assert(!sqs_md5_matches("opsdeck test messagE", 20, res.md5_of_body));
    ck_assert(!sqs_md5_matches("opsdeck test message", 20, NULL));
    ck_assert(sqs_md5_matches("opsdeck test message", 20, "A1D8F57A2F4D4C11263F8BFFA8FFCE3B"));
    sqs_sent_free(&res);
    aws_response_done(&resp);

    test_resp_str(&resp, moto_sent_fifo);
    ck_assert_int_eq(sqs_send_message_parse(&resp, &res, &e), 0);
    ck_assert_str_eq(res.sequence_number, "37330413736322229938");
    ck_assert_ptr_null(res.md5_of_attrs);
    ck_assert(sqs_md5_matches("e2", 2, res.md5_of_body));
    sqs_sent_free(&res);
    aws_response_done(&resp);
}
END_TEST

static int parse_sent(const struct aws_response *r, struct aws_error *e)
{
    struct sqs_sent res;
    int rc;

    memset(&res, 0x5a, sizeof(res));   /* a failure must leave nothing behind */
    rc = sqs_send_message_parse(r, &res, e);
    if (rc == -1) {
        ck_assert_ptr_null(res.message_id);
        ck_assert_ptr_null(res.md5_of_body);
        ck_assert_ptr_null(res.sequence_number);
    }
    sqs_sent_free(&res);
    return rc;
}

START_TEST(answer_malformed)
{
    static const struct {
        const char *from, *to, *needle;
    } m[] = {
        /* the error names the field at fault, however it words the fault */
        {"\"MessageId\": \"d8cda1f2-33fd-4976-aeb6-5c7422de49b9\"", "\"MessageId\": 7",
         "MessageId"},
        {"\"MessageId\"", "\"Id\"", "MessageId"},
        {"\"MD5OfMessageBody\": \"a1d8f57a2f4d4c11263f8bffa8ffce3b\"",
         "\"MD5OfMessageBody\": []", "MD5OfMessageBody"},
        {"{", "[", "SQS SendMessage"},
    };
    struct aws_response resp;
    struct aws_error e;
    size_t len = strlen(moto_sent);

    for (size_t i = 0; i < TEST_COUNT(m); i++) {
        char *body = test_replace(moto_sent, m[i].from, m[i].to);

        test_resp_str(&resp, body);
        aws_error_clear(&e);
        ck_assert_msg(parse_sent(&resp, &e) == -1, "mutation %zu accepted", i);
        ck_assert_parse_error(&e, "SQS SendMessage: ");
        ck_assert_parse_error(&e, m[i].needle);
        aws_response_done(&resp);
        free(body);
    }
    /* every cut of the answer is an error, never a crash or half an answer */
    for (size_t cut = 0; cut < len; cut++) {
        test_resp_set(&resp, moto_sent, cut);
        aws_error_clear(&e);
        ck_assert_msg(parse_sent(&resp, &e) == -1, "cut at %zu accepted", cut);
        aws_response_done(&resp);
    }
}
END_TEST

START_TEST(message_size_counts_what_sqs_counts)
{
    const unsigned char zeros[4] = {0};
    struct sqs_msg_attr_in attrs[] = {
        {.name = "k", .data_type = "String", .string_value = "vv"},            /* 1 + 6 + 2 */
        {.name = "bin", .data_type = "Binary", .binary = zeros, .binary_len = 4}, /* 3+6+4 */
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

static Suite *send_suite(void)
{
    Suite *s = suite_create("sqs_send");
    TCase *tc = tcase_create("sqs_send");

    tcase_add_test(tc, request_exact);
    tcase_add_test(tc, answer_parsed);
    tcase_add_test(tc, answer_malformed);
    tcase_add_test(tc, message_size_counts_what_sqs_counts);
    tcase_add_test(tc, text_sqs_refuses);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(send_suite());
}
