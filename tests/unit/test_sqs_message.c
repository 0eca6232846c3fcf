/* test_sqs_message.c - SQS messages, purge, move tasks and GetQueueUrl: request builders
 * (exact bodies, the mutating flag) and parsers on responses recorded from moto, on
 * handwritten ones for what moto lacks, and on malformed input. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sqs.h"
#include "aws_test_util.h"
#include "check_tap.h"

#define HOSTILE "caf\xc3\xa9 \x1b[31mred\x1b[0m \xe2\x80\xae" "evil"

/* ---- adapters for the truncation and mutation loops ---- */

static int parse_receive(const struct aws_response *r, struct aws_error *e)
{
    struct sqs_message_list l;
    int rc;

    memset(&l, 0x5a, sizeof(l));
    rc = sqs_receive_message_parse(r, &l, e);
    if (rc == -1) {
        ck_assert_ptr_null(l.msgs);
        ck_assert_uint_eq(l.n, 0);
    }
    sqs_message_list_free(&l);
    return rc;
}

static int parse_delete_batch(const struct aws_response *r, struct aws_error *e)
{
    struct sqs_batch_result b;
    int rc;

    memset(&b, 0x5a, sizeof(b));
    rc = sqs_batch_parse(r, "DeleteMessageBatch", &b, e);
    if (rc == -1) {
        ck_assert_ptr_null(b.ok_ids);
        ck_assert_ptr_null(b.failed);
    }
    sqs_batch_result_free(&b);
    return rc;
}

static int parse_send_batch(const struct aws_response *r, struct aws_error *e)
{
    struct sqs_send_batch_result b;
    int rc;

    memset(&b, 0x5a, sizeof(b));
    rc = sqs_send_message_batch_parse(r, &b, e);
    if (rc == -1) {
        ck_assert_ptr_null(b.ok);
        ck_assert_ptr_null(b.failed);
    }
    sqs_send_batch_result_free(&b);
    return rc;
}

static int parse_send(const struct aws_response *r, struct aws_error *e)
{
    struct sqs_sent s;
    int rc;

    memset(&s, 0x5a, sizeof(s));
    rc = sqs_send_message_parse(r, &s, e);
    if (rc == -1)
        ck_assert_ptr_null(s.message_id);
    sqs_sent_free(&s);
    return rc;
}

static int parse_move_tasks(const struct aws_response *r, struct aws_error *e)
{
    struct sqs_move_task_list l;
    int rc;

    memset(&l, 0x5a, sizeof(l));
    rc = sqs_list_message_move_tasks_parse(r, &l, e);
    if (rc == -1)
        ck_assert_ptr_null(l.tasks);
    sqs_move_task_list_free(&l);
    return rc;
}

static void assert_request(const struct aws_request *r, const char *action, bool mutating,
                           const char *body)
{
    char target[96];

    snprintf(target, sizeof(target), "AmazonSQS.%s", action);
    ck_assert_str_eq(r->service, "sqs");
    ck_assert_str_eq(r->action, action);
    ck_assert_str_eq(r->method, "POST");
    ck_assert_str_eq(r->path, "/");
    ck_assert_str_eq(aws_request_header(r, "X-Amz-Target"), target);
    ck_assert_str_eq(aws_request_header(r, "Content-Type"), "application/x-amz-json-1.0");
    ck_assert_msg(r->mutating == mutating, "%s: mutating is %d", action, r->mutating);
    ck_assert_str_eq(buf_str(&r->body), body);
}

/* ---- builders ---- */

START_TEST(receive_request_exact)
{
    struct aws_request r;
    struct sqs_receive_params p = { .queue_url = "http://h/1/q", .max_messages = 50,
                                    .visibility_timeout = 5, .wait_seconds = 99 };

    sqs_receive_message_request(&r, &p);
    /* a receive is a write: it hides the messages and counts the receive */
    assert_request(&r, "ReceiveMessage", true,
                   "{\"QueueUrl\":\"http://h/1/q\",\"AttributeNames\":[\"All\"],"
                   "\"MessageAttributeNames\":[\"All\"],\"MaxNumberOfMessages\":10,"
                   "\"VisibilityTimeout\":5,\"WaitTimeSeconds\":20}");
    aws_request_done(&r);

    p = (struct sqs_receive_params){ .queue_url = "http://h/1/q", .max_messages = 0,
                                     .visibility_timeout = -1, .wait_seconds = -1 };
    sqs_receive_message_request(&r, &p);
    assert_request(&r, "ReceiveMessage", true,
                   "{\"QueueUrl\":\"http://h/1/q\",\"AttributeNames\":[\"All\"],"
                   "\"MessageAttributeNames\":[\"All\"]}");
    aws_request_done(&r);
}
END_TEST

START_TEST(visibility_and_delete_requests_exact)
{
    struct aws_request r;
    struct sqs_batch_entry e[] = { { "a", "rh-1", 0 }, { "b", "rh+/=2", 99999 } };

    sqs_change_message_visibility_request(&r, "http://h/1/q", "rh-1", 0);
    assert_request(&r, "ChangeMessageVisibility", true,
                   "{\"QueueUrl\":\"http://h/1/q\",\"ReceiptHandle\":\"rh-1\","
                   "\"VisibilityTimeout\":0}");
    aws_request_done(&r);
    sqs_change_message_visibility_batch_request(&r, "http://h/1/q", e, 2);
    assert_request(&r, "ChangeMessageVisibilityBatch", true,
                   "{\"QueueUrl\":\"http://h/1/q\",\"Entries\":["
                   "{\"Id\":\"a\",\"ReceiptHandle\":\"rh-1\",\"VisibilityTimeout\":0},"
                   "{\"Id\":\"b\",\"ReceiptHandle\":\"rh+/=2\",\"VisibilityTimeout\":43200}]}");
    aws_request_done(&r);
    sqs_delete_message_request(&r, "http://h/1/q", "rh-1");
    assert_request(&r, "DeleteMessage", true,
                   "{\"QueueUrl\":\"http://h/1/q\",\"ReceiptHandle\":\"rh-1\"}");
    aws_request_done(&r);
    sqs_delete_message_batch_request(&r, "http://h/1/q", e, 2);
    assert_request(&r, "DeleteMessageBatch", true,
                   "{\"QueueUrl\":\"http://h/1/q\",\"Entries\":["
                   "{\"Id\":\"a\",\"ReceiptHandle\":\"rh-1\"},"
                   "{\"Id\":\"b\",\"ReceiptHandle\":\"rh+/=2\"}]}");
    aws_request_done(&r);
}
END_TEST

START_TEST(send_requests_exact)
{
    static const unsigned char bin[] = { 0x00, 0x01, 0xff };
    const struct sqs_msg_attr_in attrs[] = {
        { .name = "trace", .data_type = "String", .string_value = "t-1" },
        { .name = "count", .data_type = "Number.int", .string_value = "42" },
        { .name = "blob", .data_type = "Binary", .binary = bin, .binary_len = 3 },
    };
    struct sqs_send_params p = { .queue_url = "http://h/1/q.fifo", .body = "hi \"there\"\n",
                                 .delay_seconds = 5000, .attrs = attrs, .nattrs = 3,
                                 .group_id = "g1", .dedup_id = "d1" };
    struct sqs_send_params batch[] = {
        { .id = "a", .body = "one", .delay_seconds = -1 },
        { .id = "b", .body = "two", .delay_seconds = 0, .group_id = "g" },
    };
    struct aws_request r;

    sqs_send_message_request(&r, &p);
    assert_request(&r, "SendMessage", true,
                   "{\"QueueUrl\":\"http://h/1/q.fifo\",\"MessageBody\":\"hi \\\"there\\\"\\n\","
                   "\"DelaySeconds\":5000,\"MessageAttributes\":{"
                   "\"trace\":{\"DataType\":\"String\",\"StringValue\":\"t-1\"},"
                   "\"count\":{\"DataType\":\"Number.int\",\"StringValue\":\"42\"},"
                   "\"blob\":{\"DataType\":\"Binary\",\"BinaryValue\":\"AAH/\"}},"
                   "\"MessageGroupId\":\"g1\",\"MessageDeduplicationId\":\"d1\"}");
    aws_request_done(&r);
    sqs_send_message_batch_request(&r, "http://h/1/q", batch, 2);
    assert_request(&r, "SendMessageBatch", true,
                   "{\"QueueUrl\":\"http://h/1/q\",\"Entries\":["
                   "{\"Id\":\"a\",\"MessageBody\":\"one\"},"
                   "{\"Id\":\"b\",\"MessageBody\":\"two\",\"DelaySeconds\":0,"
                   "\"MessageGroupId\":\"g\"}]}");
    aws_request_done(&r);
}
END_TEST

START_TEST(queue_and_move_requests_exact)
{
    struct aws_request r;
    struct sqs_move_params mp = { .source_arn = "arn:aws:sqs:us-east-1:1:dlq",
                                  .destination_arn = NULL, .max_per_second = 9999 };

    sqs_purge_queue_request(&r, "http://h/1/q");
    assert_request(&r, "PurgeQueue", true, "{\"QueueUrl\":\"http://h/1/q\"}");
    aws_request_done(&r);
    sqs_start_message_move_task_request(&r, &mp);
    assert_request(&r, "StartMessageMoveTask", true,
                   "{\"SourceArn\":\"arn:aws:sqs:us-east-1:1:dlq\","
                   "\"MaxNumberOfMessagesPerSecond\":500}");
    aws_request_done(&r);
    mp.destination_arn = "arn:aws:sqs:us-east-1:1:q";
    mp.max_per_second = 0;
    sqs_start_message_move_task_request(&r, &mp);
    assert_request(&r, "StartMessageMoveTask", true,
                   "{\"SourceArn\":\"arn:aws:sqs:us-east-1:1:dlq\","
                   "\"DestinationArn\":\"arn:aws:sqs:us-east-1:1:q\"}");
    aws_request_done(&r);
    /* reading the tasks changes nothing */
    sqs_list_message_move_tasks_request(&r, "arn:aws:sqs:us-east-1:1:dlq", 50);
    assert_request(&r, "ListMessageMoveTasks", false,
                   "{\"SourceArn\":\"arn:aws:sqs:us-east-1:1:dlq\",\"MaxResults\":10}");
    aws_request_done(&r);
    sqs_cancel_message_move_task_request(&r, "th");
    assert_request(&r, "CancelMessageMoveTask", true, "{\"TaskHandle\":\"th\"}");
    aws_request_done(&r);
    sqs_get_queue_url_request(&r, "orders", NULL);
    assert_request(&r, "GetQueueUrl", false, "{\"QueueName\":\"orders\"}");
    aws_request_done(&r);
    sqs_get_queue_url_request(&r, "orders", "210987654321");
    assert_request(&r, "GetQueueUrl", false,
                   "{\"QueueName\":\"orders\",\"QueueOwnerAWSAccountId\":\"210987654321\"}");
    aws_request_done(&r);
}
END_TEST

/* ---- ReceiveMessage ---- */

START_TEST(receive_real)
{
    static const unsigned char bin[] = { 0x00, 0x01, 0xff };
    struct aws_response resp;
    struct aws_error e;
    struct sqs_message_list l;
    const struct sqs_message *m;
    const struct sqs_msg_attr *a;

    test_resp_file(&resp, "sqs/receive_message.json");
    ck_assert_int_eq(sqs_receive_message_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 2);
    m = &l.msgs[0];
    ck_assert_uint_eq(strlen(m->message_id), 36);
    ck_assert(strlen(m->receipt_handle) > 100);
    /* the escape sequence and the bidi override arrive byte for byte, for the sanitiser */
    ck_assert_str_eq(m->body, "order 7 " HOSTILE);
    ck_assert_str_eq(m->md5_of_body, "6db550ab95a746a3f73c9ede376b7dae");
    ck_assert_int_eq(m->receive_count, 1);
    ck_assert(m->sent_ms > 1700000000000LL && m->first_receive_ms >= m->sent_ms);
    ck_assert_str_eq(m->sender_id, "AIDAIT2UOQQY3AUEKVGXU");
    ck_assert_ptr_null(m->group_id);
    ck_assert_ptr_null(m->dlq_source_arn);
    ck_assert_uint_eq(m->nattrs, 4);
    ck_assert_uint_eq(m->nmattrs, 3);
    a = sqs_message_attr(m, "trace");
    ck_assert_int_eq(a->type, SQS_ATTR_STRING);
    ck_assert_str_eq(a->string_value, HOSTILE);
    a = sqs_message_attr(m, "count");
    ck_assert_int_eq(a->type, SQS_ATTR_NUMBER);
    ck_assert_str_eq(a->data_type, "Number");
    ck_assert_str_eq(a->string_value, "42");
    a = sqs_message_attr(m, "blob");
    ck_assert_int_eq(a->type, SQS_ATTR_BINARY);
    ck_assert_ptr_null(a->string_value);
    ck_assert_uint_eq(a->binary_len, 3);
    ck_assert_mem_eq(a->binary, bin, 3);
    ck_assert_ptr_null(sqs_message_attr(m, "nope"));
    m = &l.msgs[1];
    ck_assert_str_eq(m->body, "batch one");
    ck_assert_uint_eq(m->nmattrs, 0);
    sqs_message_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

START_TEST(receive_fifo_dlq_empty)
{
    struct aws_response resp;
    struct aws_error e;
    struct sqs_message_list l;

    test_resp_file(&resp, "sqs/receive_message_fifo.json");
    ck_assert_int_eq(sqs_receive_message_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_str_eq(l.msgs[0].group_id, "g1");
    ck_assert_str_eq(l.msgs[0].dedup_id, "d1");
    ck_assert_uint_eq(strlen(l.msgs[0].sequence_number), 20);
    sqs_message_list_free(&l);
    aws_response_done(&resp);

    test_resp_file(&resp, "sqs/receive_message_dlq_handwritten_source_arn.json");
    ck_assert_int_eq(sqs_receive_message_parse(&resp, &l, &e), 0);
    ck_assert_str_eq(l.msgs[0].body, "poison");
    /* received twice in msgs (maxReceiveCount 1), then moved: the count travels along */
    ck_assert_int_eq(l.msgs[0].receive_count, 2);
    ck_assert_str_eq(l.msgs[0].dlq_source_arn, "arn:aws:sqs:us-east-1:123456789012:msgs");
    sqs_message_list_free(&l);
    aws_response_done(&resp);

    test_resp_file(&resp, "sqs/receive_message_empty.json");
    ck_assert_int_eq(sqs_receive_message_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 0);
    ck_assert_ptr_null(l.msgs);
    sqs_message_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

/* Invalid UTF-8 in a body is kept as it is: the viewer escapes it, an export keeps it. */
START_TEST(receive_keeps_invalid_utf8)
{
    struct aws_response resp;
    struct aws_error e;
    struct sqs_message_list l;

    test_resp_str(&resp, "{\"Messages\":[{\"MessageId\":\"m\",\"ReceiptHandle\":\"r\","
                         "\"Body\":\"bad \xff\xfe byte\"}]}");
    ck_assert_int_eq(sqs_receive_message_parse(&resp, &l, &e), 0);
    ck_assert_str_eq(l.msgs[0].body, "bad \xff\xfe byte");
    ck_assert_int_eq(l.msgs[0].receive_count, -1);
    ck_assert_int_eq(l.msgs[0].sent_ms, -1);
    sqs_message_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

START_TEST(receive_malformed)
{
    static const struct test_mutation m[] = {
        { "{\"Messages\": [", "{\"Messages\": 7, \"x\": [", "'Messages' is a number" },
        { "\"MessageId\": \"", "\"MessageIdX\": \"", "message 1: no MessageId" },
        { "\"ReceiptHandle\": \"", "\"ReceiptHandle\": 5, \"y\": \"", "'ReceiptHandle' is a number" },
        { "\"Body\": \"order", "\"Bodyx\": \"order", "message 1: no Body" },
        { "\"ApproximateReceiveCount\": \"1\"", "\"ApproximateReceiveCount\": \"abc\"",
          "ApproximateReceiveCount is not a non-negative integer" },
        { "\"ApproximateReceiveCount\": \"1\"", "\"ApproximateReceiveCount\": \"-1\"",
          "ApproximateReceiveCount" },
        { "\"ApproximateReceiveCount\": \"1\"",
          "\"ApproximateReceiveCount\": \"99999999999999999999999\"", "ApproximateReceiveCount" },
        { "\"SentTimestamp\": \"", "\"SentTimestamp\": 1, \"z\": \"",
          "'Attributes' member SentTimestamp is not a string" },
        { "\"BinaryValue\": \"AAH/\"", "\"BinaryValue\": \"AAH\"",
          "message attribute blob: BinaryValue is not base64" },
        { "\"BinaryValue\": \"AAH/\"", "\"BinaryValue\": \"A\\u001bH/\"", "not base64" },
        { "\"StringValue\": \"42\"", "\"StringValue\": 42", "message attribute count: 'StringValue'" },
        { "\"StringValue\": \"42\", \"DataType\": \"Number\"", "\"DataType\": \"Number\"",
          "message attribute count: no StringValue" },
        { "\"DataType\": \"Number\"", "\"DataType\": \"Blob\"", "DataType 'Blob'" },
        { "\"DataType\": \"Number\"", "\"Type\": \"Number\"", "message attribute count: no DataType" },
        { "\"MessageAttributes\": {", "\"MessageAttributes\": [], \"ma\": {",
          "'MessageAttributes' is an array" },
    };

    test_each_mutation("sqs/receive_message.json", m, TEST_COUNT(m), "SQS ReceiveMessage: ",
                       parse_receive);
    test_each_truncation("sqs/receive_message.json", parse_receive);
}
END_TEST

/* ---- batches and sends ---- */

START_TEST(batches_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct sqs_batch_result b;
    struct sqs_send_batch_result sb;
    const char *files[] = { "sqs/change_message_visibility_batch.json",
                            "sqs/delete_message_batch.json" };

    for (size_t i = 0; i < 2; i++) {
        test_resp_file(&resp, files[i]);
        ck_assert_int_eq(sqs_batch_parse(&resp, "DeleteMessageBatch", &b, &e), 0);
        ck_assert_uint_eq(b.nok, 1);
        ck_assert_str_eq(b.ok_ids[0], "ok");
        ck_assert_uint_eq(b.nfailed, 1);
        ck_assert_str_eq(b.failed[0].id, "bad");
        ck_assert_str_eq(b.failed[0].code, "ReceiptHandleIsInvalid");
        ck_assert(b.failed[0].sender_fault);
        ck_assert_ptr_nonnull(strstr(b.failed[0].message, "receipt handle"));
        sqs_batch_result_free(&b);
        aws_response_done(&resp);
    }
    /* moto sends SenderFault as the string "true" here */
    test_resp_file(&resp, "sqs/send_message_batch.json");
    ck_assert_int_eq(sqs_send_message_batch_parse(&resp, &sb, &e), 0);
    ck_assert_uint_eq(sb.nok, 1);
    ck_assert_str_eq(sb.ok[0].id, "a");
    ck_assert_uint_eq(strlen(sb.ok[0].message_id), 36);
    ck_assert_str_eq(sb.ok[0].md5_of_body, "4ee144aa303ff0cf370b1d6652a2ada0");
    ck_assert_ptr_null(sb.ok[0].sequence_number);
    ck_assert_uint_eq(sb.nfailed, 1);
    ck_assert_str_eq(sb.failed[0].id, "b");
    ck_assert_str_eq(sb.failed[0].code, "InvalidParameterValue");
    ck_assert(sb.failed[0].sender_fault);
    sqs_send_batch_result_free(&sb);
    aws_response_done(&resp);
}
END_TEST

START_TEST(send_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct sqs_sent s;

    test_resp_file(&resp, "sqs/send_message.json");
    ck_assert_int_eq(sqs_send_message_parse(&resp, &s, &e), 0);
    ck_assert_ptr_null(s.id);
    ck_assert_uint_eq(strlen(s.message_id), 36);
    ck_assert_str_eq(s.md5_of_body, "6db550ab95a746a3f73c9ede376b7dae");
    ck_assert_str_eq(s.md5_of_attrs, "a3e3fe1ec7164f45b8954f0037f029c1");
    ck_assert_ptr_null(s.sequence_number);
    sqs_sent_free(&s);
    aws_response_done(&resp);
    test_resp_file(&resp, "sqs/send_message_fifo.json");
    ck_assert_int_eq(sqs_send_message_parse(&resp, &s, &e), 0);
    ck_assert_uint_eq(strlen(s.sequence_number), 20);
    ck_assert_ptr_null(s.md5_of_attrs);
    sqs_sent_free(&s);
    aws_response_done(&resp);
}
END_TEST

START_TEST(batches_and_sends_malformed)
{
    static const struct test_mutation del[] = {
        { "\"Successful\": [{\"Id\": \"ok\"}]", "\"Successful\": [\"ok\"]",
          "Successful entry 1: not an object" },
        { "\"Successful\": [{\"Id\": \"ok\"}]", "\"Successful\": [{\"Id\": \"\"}]",
          "Successful entry 1: no Id" },
        { "\"Code\": \"ReceiptHandleIsInvalid\"", "\"Cause\": \"x\"", "Failed entry 1: no Code" },
        { "\"SenderFault\": true", "\"SenderFault\": \"maybe\"", "'SenderFault' is \"maybe\"" },
        { "\"SenderFault\": true", "\"SenderFault\": 1", "'SenderFault' is a number" },
        { "\"Failed\": [", "\"Failed\": {}, \"f\": [", "'Failed' is an object" },
    };
    static const struct test_mutation send[] = {
        { "\"MessageId\": \"", "\"MessageIdX\": \"", "SQS SendMessage: no MessageId" },
        { "\"MD5OfMessageBody\": \"", "\"MD5OfMessageBody\": 5, \"x\": \"", "'MD5OfMessageBody'" },
    };
    static const struct test_mutation sendb[] = {
        { "\"Id\": \"a\"", "\"Id\": 1", "Successful entry 1: 'Id' is a number" },
        { "\"MessageId\": \"", "\"Message\": \"", "Successful entry 1: no MessageId" },
    };

    test_each_mutation("sqs/delete_message_batch.json", del, TEST_COUNT(del),
                       "SQS DeleteMessageBatch: ", parse_delete_batch);
    test_each_truncation("sqs/delete_message_batch.json", parse_delete_batch);
    test_each_mutation("sqs/send_message.json", send, TEST_COUNT(send), "SQS SendMessage: ",
                       parse_send);
    test_each_truncation("sqs/send_message.json", parse_send);
    test_each_mutation("sqs/send_message_batch.json", sendb, TEST_COUNT(sendb),
                       "SQS SendMessageBatch: ", parse_send_batch);
    test_each_truncation("sqs/send_message_batch.json", parse_send_batch);
}
END_TEST

/* ---- move tasks, GetQueueUrl ---- */

START_TEST(move_tasks_handwritten)
{
    struct aws_response resp;
    struct aws_error e;
    struct sqs_move_task_list l;
    char *handle = NULL;
    int64_t moved = 0;

    test_resp_file(&resp, "sqs/start_message_move_task_handwritten.json");
    ck_assert_int_eq(sqs_start_message_move_task_parse(&resp, &handle, &e), 0);
    ck_assert(strncmp(handle, "eyJ0YXNrSWQiOi", 14) == 0);
    free(handle);
    aws_response_done(&resp);

    test_resp_file(&resp, "sqs/list_message_move_tasks_handwritten.json");
    ck_assert_int_eq(sqs_list_message_move_tasks_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 3);
    ck_assert_str_eq(l.tasks[0].status, "RUNNING");
    ck_assert_ptr_nonnull(l.tasks[0].task_handle);
    ck_assert_int_eq(l.tasks[0].moved, 120);
    ck_assert_int_eq(l.tasks[0].to_move, 500);
    ck_assert_int_eq(l.tasks[0].max_per_second, 50);
    ck_assert_int_eq(l.tasks[0].started_ms, 1796291991000LL);
    ck_assert_ptr_null(l.tasks[0].destination_arn);
    ck_assert_str_eq(l.tasks[1].status, "FAILED");
    ck_assert_str_eq(l.tasks[1].failure_reason, "AWS.SimpleQueueService.NonExistentQueue");
    ck_assert_str_eq(l.tasks[1].destination_arn, "arn:aws:sqs:us-east-1:123456789012:gone");
    ck_assert_ptr_null(l.tasks[1].task_handle);
    /* a count not known yet is -1, not 0 */
    ck_assert_int_eq(l.tasks[2].to_move, -1);
    ck_assert_int_eq(l.tasks[2].max_per_second, -1);
    sqs_move_task_list_free(&l);
    aws_response_done(&resp);

    test_resp_file(&resp, "sqs/cancel_message_move_task_handwritten.json");
    ck_assert_int_eq(sqs_cancel_message_move_task_parse(&resp, &moved, &e), 0);
    ck_assert_int_eq(moved, 120);
    aws_response_done(&resp);
    test_resp_str(&resp, "{}");
    ck_assert_int_eq(sqs_cancel_message_move_task_parse(&resp, &moved, &e), 0);
    ck_assert_int_eq(moved, -1);
    aws_response_done(&resp);
    test_resp_str(&resp, "{\"ApproximateNumberOfMessagesMoved\": -3}");
    ck_assert_int_eq(sqs_cancel_message_move_task_parse(&resp, &moved, &e), -1);
    ck_assert_parse_error(&e, "SQS CancelMessageMoveTask: ");
    aws_response_done(&resp);
}
END_TEST

START_TEST(move_tasks_malformed)
{
    static const struct test_mutation m[] = {
        { "\"Status\": \"RUNNING\"", "\"State\": \"RUNNING\"", "task 1: no Status" },
        { "\"ApproximateNumberOfMessagesMoved\": 120", "\"ApproximateNumberOfMessagesMoved\": -1",
          "task 1: 'ApproximateNumberOfMessagesMoved' is -1" },
        { "\"ApproximateNumberOfMessagesToMove\": 500",
          "\"ApproximateNumberOfMessagesToMove\": \"500\"", "is a string, expected an integer" },
        { "\"StartedTimestamp\": 1796291991000", "\"StartedTimestamp\": 1e300", "StartedTimestamp" },
        { "{\"Results\": [{", "{\"Results\": [7, {", "task 1: not an object" },
    };
    struct aws_response resp;
    struct aws_error e;
    char *handle = (char *)"x";

    test_each_mutation("sqs/list_message_move_tasks_handwritten.json", m, TEST_COUNT(m),
                       "SQS ListMessageMoveTasks: ", parse_move_tasks);
    test_each_truncation("sqs/list_message_move_tasks_handwritten.json", parse_move_tasks);
    test_resp_str(&resp, "{\"TaskHandle\": \"\"}");
    ck_assert_int_eq(sqs_start_message_move_task_parse(&resp, &handle, &e), -1);
    ck_assert_ptr_null(handle);
    ck_assert_parse_error(&e, "SQS StartMessageMoveTask: no TaskHandle");
    aws_response_done(&resp);
}
END_TEST

START_TEST(get_queue_url_real_and_malformed)
{
    static const struct {
        const char *body, *needle;
    } bad[] = {
        { "{}", "no QueueUrl" },
        { "{\"QueueUrl\": 5}", "'QueueUrl' is a number" },
        { "{\"QueueUrl\": \"http://h/1/q\"", "not valid JSON" },
        { "", "empty" },
    };
    struct aws_response resp;
    struct aws_error e;
    char *url = NULL;

    /* whatever out held before, a failure leaves NULL and frees nothing it did not make */
    test_resp_str(&resp, "");
    url = (char *)"not ours";
    ck_assert_int_eq(sqs_get_queue_url_parse(&resp, &url, &e), -1);
    ck_assert_ptr_null(url);
    aws_response_done(&resp);

    test_resp_file(&resp, "sqs/get_queue_url.json");
    ck_assert_int_eq(sqs_get_queue_url_parse(&resp, &url, &e), 0);
    ck_assert(strstr(url, "/123456789012/msgs.fifo") != NULL);
    free(url);
    aws_response_done(&resp);
    for (size_t i = 0; i < TEST_COUNT(bad); i++) {
        test_resp_str(&resp, bad[i].body);
        ck_assert_int_eq(sqs_get_queue_url_parse(&resp, &url, &e), -1);
        ck_assert_ptr_null(url);
        ck_assert_parse_error(&e, "SQS GetQueueUrl: ");
        ck_assert_parse_error(&e, bad[i].needle);
        aws_response_done(&resp);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sqs_message");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, receive_request_exact);
    tcase_add_test(tc, visibility_and_delete_requests_exact);
    tcase_add_test(tc, send_requests_exact);
    tcase_add_test(tc, queue_and_move_requests_exact);
    tcase_add_test(tc, receive_real);
    tcase_add_test(tc, receive_fifo_dlq_empty);
    tcase_add_test(tc, receive_keeps_invalid_utf8);
    tcase_add_test(tc, receive_malformed);
    tcase_add_test(tc, batches_real);
    tcase_add_test(tc, send_real);
    tcase_add_test(tc, batches_and_sends_malformed);
    tcase_add_test(tc, move_tasks_handwritten);
    tcase_add_test(tc, move_tasks_malformed);
    tcase_add_test(tc, get_queue_url_real_and_malformed);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
