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
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(sns_suite());
}
