/* test_sns.c - SNS request builders and parsers, on responses recorded from moto. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sns.h"
#include "aws_test_util.h"
#include "check_tap.h"

#define ALERTS "arn:aws:sns:us-east-1:123456789012:alerts"

/* test_parse_fn adapters: parse, check a failure left nothing behind, free. */
static int parse_topics(const struct aws_response *r, struct aws_error *e)
{
    struct sns_topic_list l;
    int rc = sns_list_topics_parse(r, &l, e);

    if (rc == -1) {
        ck_assert_ptr_null(l.arns);
        ck_assert_int_eq(l.n, 0);
    }
    sns_topic_list_free(&l);
    return rc;
}

static int parse_topic_attrs(const struct aws_response *r, struct aws_error *e)
{
    struct sns_topic_attrs a;
    int rc = sns_get_topic_attributes_parse(r, &a, e);

    if (rc == -1) {
        ck_assert_ptr_null(a.attrs);
        ck_assert_ptr_null(a.arn);
    }
    sns_topic_attrs_free(&a);
    return rc;
}

static int parse_subscriptions(const struct aws_response *r, struct aws_error *e)
{
    struct sns_subscription_list l;
    int rc = sns_list_subscriptions_by_topic_parse(r, &l, e);

    if (rc == -1) {
        ck_assert_ptr_null(l.subs);
        ck_assert_int_eq(l.n, 0);
    }
    sns_subscription_list_free(&l);
    return rc;
}

START_TEST(requests_exact)
{
    struct aws_request r;

    sns_list_topics_request(&r, NULL);
    ck_assert_str_eq(r.service, "sns");
    ck_assert_str_eq(r.method, "POST");
    ck_assert_str_eq(buf_str(&r.body), "Action=ListTopics&Version=2010-03-31");
    aws_request_done(&r);

    sns_list_topics_request(&r, "tok/+=");
    ck_assert_str_eq(buf_str(&r.body), "Action=ListTopics&Version=2010-03-31&NextToken=tok%2F%2B%3D");
    aws_request_done(&r);

    sns_get_topic_attributes_request(&r, ALERTS);
    ck_assert_str_eq(aws_request_header(&r, "Content-Type"),
                     "application/x-www-form-urlencoded; charset=utf-8");
    ck_assert_str_eq(buf_str(&r.body), "Action=GetTopicAttributes&Version=2010-03-31"
                                       "&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Aalerts");
    aws_request_done(&r);

    sns_list_subscriptions_by_topic_request(&r, ALERTS, "n2");
    ck_assert_str_eq(r.action, "ListSubscriptionsByTopic");
    ck_assert_str_eq(buf_str(&r.body), "Action=ListSubscriptionsByTopic&Version=2010-03-31"
                                       "&TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A123456789012%3Aalerts"
                                       "&NextToken=n2");
    aws_request_done(&r);
}
END_TEST

START_TEST(list_topics_real_and_paged)
{
    struct aws_response resp;
    struct aws_error e;
    struct sns_topic_list l;
    char *name;

    test_resp_file(&resp, "sns/list_topics.xml");
    ck_assert_int_eq(sns_list_topics_parse(&resp, &l, &e), 0);
    ck_assert_int_eq(l.n, 3);
    ck_assert_str_eq(l.arns[0], ALERTS);
    name = sns_topic_name_from_arn(l.arns[2]);
    ck_assert_str_eq(name, "orders.fifo");
    free(name);
    ck_assert_ptr_null(l.next_token);
    sns_topic_list_free(&l);
    aws_response_done(&resp);

    test_resp_file(&resp, "sns/list_topics_handwritten_nexttoken.xml");
    ck_assert_int_eq(sns_list_topics_parse(&resp, &l, &e), 0);
    ck_assert_int_eq(l.n, 3);
    ck_assert_str_eq(l.next_token, "topics-page-2-token");
    sns_topic_list_free(&l);
    aws_response_done(&resp);

    /* an account without topics */
    test_resp_str(&resp, "<ListTopicsResponse><ListTopicsResult><Topics/></ListTopicsResult>"
                         "</ListTopicsResponse>");
    ck_assert_int_eq(sns_list_topics_parse(&resp, &l, &e), 0);
    ck_assert_int_eq(l.n, 0);
    sns_topic_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

START_TEST(topic_attributes_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct sns_topic_attrs a;

    test_resp_file(&resp, "sns/get_topic_attributes_alerts.xml");
    ck_assert_int_eq(sns_get_topic_attributes_parse(&resp, &a, &e), 0);
    ck_assert_str_eq(a.arn, ALERTS);
    ck_assert_str_eq(a.name, "alerts");
    ck_assert_str_eq(a.display_name, "Ops alerts");
    ck_assert_int_eq(a.subs_confirmed, 0);
    ck_assert_int_eq(a.subs_pending, 0);
    ck_assert_int_eq(a.subs_deleted, 0);
    /* moto sends <value/> for an unset DeliveryPolicy: NULL, not "" */
    ck_assert_ptr_null(a.delivery_policy);
    ck_assert(strstr(a.effective_delivery_policy, "defaultHealthyRetryPolicy") != NULL);
    ck_assert(strstr(sns_topic_attr(&a, "Policy"), "SNS:Publish") != NULL);
    ck_assert_str_eq(sns_topic_attr(&a, "Owner"), "123456789012");
    ck_assert_uint_eq(a.failure_feedback, 0);
    ck_assert(!a.fifo);
    sns_topic_attrs_free(&a);
    ck_assert_ptr_null(a.attrs);
    aws_response_done(&resp);
}
END_TEST

START_TEST(topic_attributes_feedback_handwritten)
{
    struct aws_response resp;
    struct aws_error e;
    struct sns_topic_attrs a;

    test_resp_file(&resp, "sns/get_topic_attributes_handwritten_feedback.xml");
    ck_assert_int_eq(sns_get_topic_attributes_parse(&resp, &a, &e), 0);
    ck_assert_int_eq(a.subs_pending, 1);
    ck_assert_int_eq(a.subs_confirmed, 2);
    /* SQS failure logging on; HTTP's role ARN is empty, so it is off */
    ck_assert_uint_eq(a.failure_feedback, SNS_FEEDBACK_SQS);
    ck_assert_uint_eq(a.success_feedback, SNS_FEEDBACK_LAMBDA);
    sns_topic_attrs_free(&a);
    aws_response_done(&resp);
}
END_TEST

START_TEST(topic_attributes_malformed)
{
    static const struct test_mutation m[] = {
        { "<key>SubscriptionsPending</key><value>0</value>",
          "<key>SubscriptionsPending</key><value>abc</value>",
          "attribute SubscriptionsPending is not a non-negative integer: 'abc'" },
        { "<key>SubscriptionsConfirmed</key><value>0</value>",
          "<key>SubscriptionsConfirmed</key><value>99999999999999999999999</value>",
          "SubscriptionsConfirmed" },
        { "<key>SubscriptionsDeleted</key><value>0</value>",
          "<key>SubscriptionsDeleted</key><value>-3</value>", "SubscriptionsDeleted" },
        { "<key>Owner</key>", "<key></key>", "entry 1 has no <key>" },
        { "<Attributes>", "<Attrs>", "not well-formed" },
        { "<GetTopicAttributesResult><Attributes>", "<GetTopicAttributesResult><X>",
          "not well-formed" },
        { "GetTopicAttributesResponse xmlns", "ErrorResponse xmlns", "not well-formed" },
        { "<GetTopicAttributesResponse", "<!DOCTYPE x [<!ENTITY a \"b\">]><GetTopicAttributesResponse",
          "DTD" },
    };
    test_each_mutation("sns/get_topic_attributes_alerts.xml", m, TEST_COUNT(m),
                       "SNS GetTopicAttributes: ", parse_topic_attrs);
}
END_TEST

START_TEST(topic_attributes_structure_errors)
{
    struct aws_response resp;
    struct aws_error e;
    struct sns_topic_attrs a;

    test_resp_str(&resp, "<GetTopicAttributesResponse><GetTopicAttributesResult/>"
                         "</GetTopicAttributesResponse>");
    ck_assert_int_eq(sns_get_topic_attributes_parse(&resp, &a, &e), -1);
    ck_assert_parse_error(&e, "no <Attributes>");
    aws_response_done(&resp);
    test_resp_str(&resp, "<ErrorResponse><Error><Code>NotFound</Code></Error></ErrorResponse>");
    ck_assert_int_eq(sns_get_topic_attributes_parse(&resp, &a, &e), -1);
    ck_assert_parse_error(&e, "expected <GetTopicAttributesResponse>, got <ErrorResponse>");
    aws_response_done(&resp);
    test_resp_str(&resp, "");
    ck_assert_int_eq(sns_get_topic_attributes_parse(&resp, &a, &e), -1);
    ck_assert_parse_error(&e, "empty");
    aws_response_done(&resp);
}
END_TEST

START_TEST(subscriptions_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct sns_subscription_list l;

    test_resp_file(&resp, "sns/list_subscriptions_by_topic_alerts.xml");
    ck_assert_int_eq(sns_list_subscriptions_by_topic_parse(&resp, &l, &e), 0);
    ck_assert_int_eq(l.n, 3);
    ck_assert_str_eq(l.subs[0].protocol, "sqs");
    ck_assert_str_eq(l.subs[0].endpoint, "arn:aws:sqs:us-east-1:123456789012:orders");
    ck_assert_str_eq(l.subs[1].endpoint, "arn:aws:sqs:us-east-1:123456789012:orders-dlq");
    ck_assert_str_eq(l.subs[0].owner, "123456789012");
    ck_assert_str_eq(l.subs[0].topic_arn, ALERTS);
    ck_assert(strncmp(l.subs[0].arn, ALERTS ":", strlen(ALERTS) + 1) == 0);
    ck_assert(!l.subs[0].pending);
    ck_assert_str_eq(l.subs[2].protocol, "https");
    ck_assert_ptr_null(l.next_token);
    sns_subscription_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

START_TEST(subscriptions_pending_handwritten)
{
    struct aws_response resp;
    struct aws_error e;
    struct sns_subscription_list l;

    test_resp_file(&resp, "sns/list_subscriptions_by_topic_handwritten_pending.xml");
    ck_assert_int_eq(sns_list_subscriptions_by_topic_parse(&resp, &l, &e), 0);
    ck_assert_int_eq(l.n, 3);
    ck_assert(!l.subs[0].pending);
    ck_assert(!l.subs[1].pending);
    ck_assert(l.subs[2].pending);
    ck_assert_str_eq(l.subs[2].arn, "PendingConfirmation");
    ck_assert_str_eq(l.subs[2].endpoint, "https://hooks.example.com/sns");
    ck_assert_str_eq(l.next_token, "sub-page-2-token");
    sns_subscription_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

START_TEST(subscriptions_malformed)
{
    char *orig = test_read_capture("sns/list_subscriptions_by_topic_alerts.xml");
    char *body = test_replace(orig, "<SubscriptionArn>arn", "<SubscriptionArnX>arn");
    struct aws_response resp;
    struct aws_error e;
    struct sns_subscription_list l;

    /* a mismatched tag: not well-formed */
    test_resp_str(&resp, body);
    ck_assert_int_eq(sns_list_subscriptions_by_topic_parse(&resp, &l, &e), -1);
    ck_assert_parse_error(&e, "SNS ListSubscriptionsByTopic: response is not well-formed XML");
    aws_response_done(&resp);
    free(body);

    body = test_replace(orig, "<SubscriptionArn>", "<Ignored>");
    free(orig);
    orig = test_replace(body, "</SubscriptionArn>", "</Ignored>");
    test_resp_str(&resp, orig);
    ck_assert_int_eq(sns_list_subscriptions_by_topic_parse(&resp, &l, &e), -1);
    ck_assert_parse_error(&e, "subscription 1 has no SubscriptionArn");
    ck_assert_ptr_null(l.subs);
    ck_assert_int_eq(l.n, 0);
    aws_response_done(&resp);
    free(body);
    free(orig);
}
END_TEST

START_TEST(truncated_bodies_never_crash)
{
    test_each_truncation("sns/list_topics.xml", parse_topics);
    test_each_truncation("sns/get_topic_attributes_alerts.xml", parse_topic_attrs);
    test_each_truncation("sns/list_subscriptions_by_topic_alerts.xml", parse_subscriptions);
}
END_TEST

/* ---- second round: logging, encryption, subscriptions' attributes, publish ---- */

static int parse_sub_attrs(const struct aws_response *r, struct aws_error *e)
{
    struct sns_subscription_attrs a;
    int rc;

    memset(&a, 0x5a, sizeof(a));
    rc = sns_get_subscription_attributes_parse(r, &a, e);
    if (rc == -1) {
        ck_assert_ptr_null(a.attrs);
        ck_assert_ptr_null(a.filter_policy);
        ck_assert(!a.has_redrive);
    }
    sns_subscription_attrs_free(&a);
    return rc;
}

static int parse_publish(const struct aws_response *r, struct aws_error *e)
{
    struct sns_published p;
    int rc;

    memset(&p, 0x5a, sizeof(p));
    rc = sns_publish_parse(r, &p, e);
    if (rc == -1)
        ck_assert_ptr_null(p.message_id);
    sns_published_free(&p);
    return rc;
}

START_TEST(topic_logging_handwritten)
{
    struct aws_response resp;
    struct aws_error e;
    struct sns_topic_attrs a;

    test_resp_file(&resp, "sns/get_topic_attributes_handwritten_logging.xml");
    ck_assert_int_eq(sns_get_topic_attributes_parse(&resp, &a, &e), 0);
    ck_assert_str_eq(a.kms_master_key_id, "alias/aws/sns");
    ck_assert_str_eq(a.display_name, "caf\xc3\xa9 \xe2\x80\xae" "evil");
    ck_assert(!a.fifo);
    ck_assert_str_eq(a.feedback[SNS_PROTO_SQS].success_role,
                     "arn:aws:iam::123456789012:role/sns-success");
    ck_assert_str_eq(a.feedback[SNS_PROTO_SQS].failure_role,
                     "arn:aws:iam::123456789012:role/sns-failure");
    ck_assert_int_eq(a.feedback[SNS_PROTO_SQS].sample_rate, 50);
    ck_assert_str_eq(a.feedback[SNS_PROTO_HTTP].failure_role,
                     "arn:aws:iam::123456789012:role/sns-failure");
    ck_assert_ptr_null(a.feedback[SNS_PROTO_HTTP].success_role);
    /* an empty sample rate is "not set", not 0 % */
    ck_assert_int_eq(a.feedback[SNS_PROTO_LAMBDA].sample_rate, -1);
    ck_assert_ptr_null(a.feedback[SNS_PROTO_LAMBDA].failure_role);
    ck_assert_uint_eq(a.failure_feedback, SNS_FEEDBACK_SQS | SNS_FEEDBACK_HTTP);
    ck_assert_uint_eq(a.success_feedback, SNS_FEEDBACK_SQS);
    sns_topic_attrs_free(&a);
    aws_response_done(&resp);

    /* the real capture: moto keeps KmsMasterKeyId but no logging at all */
    test_resp_file(&resp, "sns/get_topic_attributes_deliveries.xml");
    ck_assert_int_eq(sns_get_topic_attributes_parse(&resp, &a, &e), 0);
    ck_assert_str_eq(a.kms_master_key_id, "alias/aws/sns");
    for (int p = 0; p < SNS_PROTO_COUNT; p++) {
        ck_assert_ptr_null(a.feedback[p].failure_role);
        ck_assert_int_eq(a.feedback[p].sample_rate, -1);
    }
    sns_topic_attrs_free(&a);
    aws_response_done(&resp);
}
END_TEST

START_TEST(topic_logging_malformed)
{
    static const struct test_mutation m[] = {
        { "<value>50</value>", "<value>150</value>", "SQSSuccessFeedbackSampleRate is not a percentage" },
        { "<value>50</value>", "<value>5x</value>", "'5x'" },
        { "<key>FifoTopic</key><value>false</value>", "<key>FifoTopic</key><value>no</value>",
          "FifoTopic is not true or false" },
    };

    test_each_mutation("sns/get_topic_attributes_handwritten_logging.xml", m, TEST_COUNT(m),
                       "SNS GetTopicAttributes: ", parse_topic_attrs);
}
END_TEST

START_TEST(protocols)
{
    ck_assert_int_eq(sns_protocol_of("https"), SNS_PROTO_HTTP);
    ck_assert_int_eq(sns_protocol_of("http"), SNS_PROTO_HTTP);
    ck_assert_int_eq(sns_protocol_of("sqs"), SNS_PROTO_SQS);
    ck_assert_int_eq(sns_protocol_of("firehose"), SNS_PROTO_FIREHOSE);
    ck_assert_int_eq(sns_protocol_of("email"), -1);
    ck_assert_int_eq(sns_protocol_of(NULL), -1);
    ck_assert_str_eq(sns_protocol_prefix(SNS_PROTO_APPLICATION), "Application");
    ck_assert_str_eq(sns_protocol_prefix(SNS_PROTO_LAMBDA), "Lambda");
}
END_TEST

START_TEST(subscription_attributes_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct sns_subscription_attrs a;
    struct aws_request r;

    sns_get_subscription_attributes_request(&r, "arn:aws:sns:us-east-1:1:t:abc");
    ck_assert(!r.mutating);
    ck_assert_str_eq(buf_str(&r.body), "Action=GetSubscriptionAttributes&Version=2010-03-31&"
                                       "SubscriptionArn=arn%3Aaws%3Asns%3Aus-east-1%3A1%3At%3Aabc");
    aws_request_done(&r);

    test_resp_file(&resp, "sns/get_subscription_attributes.xml");
    ck_assert_int_eq(sns_get_subscription_attributes_parse(&resp, &a, &e), 0);
    ck_assert(!a.pending);
    ck_assert(a.confirmation_authenticated);
    ck_assert(a.raw_delivery);
    ck_assert_str_eq(a.protocol, "sqs");
    ck_assert_str_eq(a.endpoint, "arn:aws:sqs:us-east-1:123456789012:fanout");
    ck_assert_str_eq(a.topic_arn, "arn:aws:sns:us-east-1:123456789012:deliveries");
    ck_assert(strncmp(a.arn, "arn:aws:sns:us-east-1:123456789012:deliveries:", 46) == 0);
    ck_assert_str_eq(a.owner, "123456789012");
    ck_assert_str_eq(a.filter_policy_scope, "MessageAttributes");
    /* the policy as sent: its \u001b stays an escape in the JSON text */
    ck_assert_str_eq(a.filter_policy, "{\"kind\": [\"order\"], \"note\": [\"caf\\u00e9 "
                                      "\\u001b[31mred\\u001b[0m \\u202eevil\"]}");
    ck_assert(a.has_redrive);
    ck_assert_str_eq(a.redrive_dlq_arn, "arn:aws:sqs:us-east-1:123456789012:fanout-dlq");
    sns_subscription_attrs_free(&a);
    aws_response_done(&resp);

    /* a subscription with nothing set: no filter, no DLQ */
    test_resp_str(&resp, "<GetSubscriptionAttributesResponse><GetSubscriptionAttributesResult>"
                         "<Attributes><entry><key>PendingConfirmation</key><value>true</value>"
                         "</entry><entry><key>Protocol</key><value>email</value></entry>"
                         "</Attributes></GetSubscriptionAttributesResult>"
                         "</GetSubscriptionAttributesResponse>");
    ck_assert_int_eq(sns_get_subscription_attributes_parse(&resp, &a, &e), 0);
    ck_assert(a.pending);
    ck_assert(!a.has_redrive);
    ck_assert(!a.raw_delivery);
    ck_assert_ptr_null(a.filter_policy);
    ck_assert_ptr_null(a.redrive_dlq_arn);
    sns_subscription_attrs_free(&a);
    aws_response_done(&resp);
}
END_TEST

START_TEST(subscription_attributes_malformed)
{
    static const struct test_mutation m[] = {
        { "<value>true</value></entry><entry><key>FilterPolicyScope",
          "<value>yes</value></entry><entry><key>FilterPolicyScope",
          "RawMessageDelivery is not true or false" },
        { "<key>PendingConfirmation</key><value>false", "<key>PendingConfirmation</key><value>0",
          "PendingConfirmation is not true or false" },
        { "<key>FilterPolicy</key><value>",
          "<key>FilterPolicy</key><value>[1]</value></entry><entry><key>Other</key><value>",
          "FilterPolicy: response is JSON but not an object" },
        { "<value>{\"kind\"", "<value>{kind", "FilterPolicy: response is not valid JSON" },
        { "{\"deadLetterTargetArn\": ", "{\"dlq\": ", "RedrivePolicy: has no deadLetterTargetArn" },
        { "{\"deadLetterTargetArn\": \"arn:aws:sqs:us-east-1:123456789012:fanout-dlq\"}",
          "{\"deadLetterTargetArn\": 5}", "RedrivePolicy: 'deadLetterTargetArn' is a number" },
        { "<key>Owner</key>", "<nokey>Owner</nokey>", "attribute entry 7 has no <key>" },
        { "<GetSubscriptionAttributesResult>", "<GetSubscriptionAttributesResultX>",
          "not well-formed" },
    };

    test_each_mutation("sns/get_subscription_attributes.xml", m, TEST_COUNT(m),
                       "SNS GetSubscriptionAttributes: ", parse_sub_attrs);
    test_each_truncation("sns/get_subscription_attributes.xml", parse_sub_attrs);
}
END_TEST

START_TEST(publish_request_and_parse)
{
    static const unsigned char bin[] = { 0, 1, 0xff };
    const struct sns_msg_attr_in attrs[] = {
        { .name = "kind", .data_type = "String", .string_value = "order" },
        { .name = "n", .data_type = "Number", .string_value = "3" },
        { .name = "raw", .data_type = "Binary", .binary = bin, .binary_len = 3 },
    };
    struct sns_publish_params p = { .topic_arn = "arn:aws:sns:us-east-1:1:t.fifo",
                                    .message = "hi & bye", .subject = "opsdeck test",
                                    .attrs = attrs, .nattrs = 3, .group_id = "g1",
                                    .dedup_id = "d1" };
    struct aws_request r;
    struct aws_response resp;
    struct aws_error e;
    struct sns_published out;

    sns_publish_request(&r, &p);
    ck_assert(r.mutating);
    ck_assert_str_eq(r.action, "Publish");
    ck_assert_str_eq(buf_str(&r.body),
                     "Action=Publish&Version=2010-03-31&"
                     "TopicArn=arn%3Aaws%3Asns%3Aus-east-1%3A1%3At.fifo&Message=hi%20%26%20bye&"
                     "Subject=opsdeck%20test&"
                     "MessageAttributes.entry.1.Name=kind&"
                     "MessageAttributes.entry.1.Value.DataType=String&"
                     "MessageAttributes.entry.1.Value.StringValue=order&"
                     "MessageAttributes.entry.2.Name=n&"
                     "MessageAttributes.entry.2.Value.DataType=Number&"
                     "MessageAttributes.entry.2.Value.StringValue=3&"
                     "MessageAttributes.entry.3.Name=raw&"
                     "MessageAttributes.entry.3.Value.DataType=Binary&"
                     "MessageAttributes.entry.3.Value.BinaryValue=AAH%2F&"
                     "MessageGroupId=g1&MessageDeduplicationId=d1");
    aws_request_done(&r);

    test_resp_file(&resp, "sns/publish.xml");
    ck_assert_int_eq(sns_publish_parse(&resp, &out, &e), 0);
    ck_assert_uint_eq(strlen(out.message_id), 36);
    ck_assert_ptr_null(out.sequence_number);
    sns_published_free(&out);
    aws_response_done(&resp);
    test_resp_file(&resp, "sns/publish_fifo_handwritten_sequence.xml");
    ck_assert_int_eq(sns_publish_parse(&resp, &out, &e), 0);
    ck_assert_str_eq(out.sequence_number, "10000000000000003000");
    sns_published_free(&out);
    aws_response_done(&resp);
}
END_TEST

START_TEST(publish_malformed)
{
    static const struct test_mutation m[] = {
        { "<MessageId>", "<Id>", "not well-formed" },
        { "<PublishResult>", "<PublishResultX>", "not well-formed" },
    };
    struct aws_response resp;
    struct aws_error e;
    struct sns_published out;

    test_each_mutation("sns/publish.xml", m, TEST_COUNT(m), "SNS Publish: ", parse_publish);
    test_each_truncation("sns/publish.xml", parse_publish);
    test_resp_str(&resp, "<PublishResponse><PublishResult><MessageId/></PublishResult>"
                         "</PublishResponse>");
    ck_assert_int_eq(sns_publish_parse(&resp, &out, &e), -1);
    ck_assert_parse_error(&e, "SNS Publish: no <MessageId>");
    aws_response_done(&resp);
    test_resp_str(&resp, "<ErrorResponse><Error><Code>X</Code></Error></ErrorResponse>");
    ck_assert_int_eq(sns_publish_parse(&resp, &out, &e), -1);
    ck_assert_parse_error(&e, "SNS Publish: ");
    aws_response_done(&resp);
}
END_TEST

static Suite *sns_suite(void)
{
    Suite *s = suite_create("sns");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, requests_exact);
    tcase_add_test(tc, list_topics_real_and_paged);
    tcase_add_test(tc, topic_attributes_real);
    tcase_add_test(tc, topic_attributes_feedback_handwritten);
    tcase_add_test(tc, topic_attributes_malformed);
    tcase_add_test(tc, topic_attributes_structure_errors);
    tcase_add_test(tc, subscriptions_real);
    tcase_add_test(tc, subscriptions_pending_handwritten);
    tcase_add_test(tc, subscriptions_malformed);
    tcase_add_test(tc, truncated_bodies_never_crash);
    tcase_add_test(tc, topic_logging_handwritten);
    tcase_add_test(tc, topic_logging_malformed);
    tcase_add_test(tc, protocols);
    tcase_add_test(tc, subscription_attributes_real);
    tcase_add_test(tc, subscription_attributes_malformed);
    tcase_add_test(tc, publish_request_and_parse);
    tcase_add_test(tc, publish_malformed);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(sns_suite());
}
