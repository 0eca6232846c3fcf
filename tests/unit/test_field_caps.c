/* test_field_caps.c - every field cap of core/proto.h (PROTO_MAX_*) through the real parser
 * that enforces it: a value exactly at the cap is read as it was sent, one byte more is
 * refused. In a list the refused value is that item's error (the parse returns 1, the other
 * items are kept); in a single resource's answer it is the answer's error (-1). */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/s3.h"
#include "aws/sns.h"
#include "aws/sqs.h"
#include "aws_test_util.h"
#include "check_tap.h"
#include "core/proto.h"
#include "util/xalloc.h"

/* n copies of c (caller frees). */
static char *rep(char c, size_t n)
{
    char *s = xmalloc(n + 1);

    memset(s, c, n);
    s[n] = '\0';
    return s;
}

static void __attribute__((format(printf, 2, 3)))
resp_fmt(struct aws_response *r, const char *fmt, ...)
{
    va_list ap;
    char *body;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    ck_assert_int_ge(n, 0);
    body = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(body, (size_t)n + 1, fmt, ap);
    va_end(ap);
    test_resp_str(r, body);
    free(body);
}

static void assert_skipped(const struct aws_error *e, const char *context, const char *why)
{
    ck_assert_str_eq(e->code, PROTO_ITEM_SKIPPED);
    ck_assert_parse_error(e, context);
    ck_assert_parse_error(e, why);
}

/* ---- S3 keys: 1024 bytes (ListObjectsV2) ---- */

static int list_objects(const char *key, struct s3_object_list *l, struct aws_error *e)
{
    struct aws_response resp;
    int rc;

    resp_fmt(&resp, "<ListBucketResult><Name>b</Name><IsTruncated>false</IsTruncated>"
             "<Contents><Key>first</Key><Size>1</Size></Contents>"
             "<Contents><Key>%s</Key><Size>2</Size></Contents>"
             "<Contents><Key>last</Key><Size>3</Size></Contents></ListBucketResult>", key);
    aws_error_clear(e);
    rc = s3_list_objects_v2_parse(&resp, l, e);
    aws_response_done(&resp);
    return rc;
}

START_TEST(s3_key_1024_bytes)
{
    char *at = rep('k', PROTO_MAX_S3_KEY), *over = rep('k', PROTO_MAX_S3_KEY + 1);
    struct s3_object_list l;
    struct aws_error e;

    ck_assert_int_eq(list_objects(at, &l, &e), 0);
    ck_assert_uint_eq(l.nobjects, 3);
    ck_assert_str_eq(l.objects[1].key, at);
    s3_object_list_free(&l);

    ck_assert_int_eq(list_objects(over, &l, &e), 1);
    ck_assert_uint_eq(l.nobjects, 2);
    ck_assert_str_eq(l.objects[0].key, "first");
    ck_assert_str_eq(l.objects[1].key, "last");
    ck_assert_int_eq(l.objects[1].size, 3);
    assert_skipped(&e, "S3 ListObjectsV2: 1 key skipped",
                   "an object key is 1025 bytes, past the 1024 AWS allows");
    s3_object_list_free(&l);
    free(at);
    free(over);
}
END_TEST

/* ---- tags: keys 128, values 256 (ListQueueTags) ---- */

static int list_tags(const char *k, const char *v, struct sqs_tag_list *t, struct aws_error *e)
{
    struct aws_response resp;
    int rc;

    resp_fmt(&resp, "{\"Tags\": {\"team\": \"ops\", \"%s\": \"%s\", \"env\": \"prod\"}}", k, v);
    aws_error_clear(e);
    rc = sqs_list_queue_tags_parse(&resp, t, e);
    aws_response_done(&resp);
    return rc;
}

START_TEST(tag_value_256_key_128)
{
    char *v_at = rep('v', PROTO_MAX_TAG_VALUE), *v_over = rep('v', PROTO_MAX_TAG_VALUE + 1);
    char *k_at = rep('k', PROTO_MAX_TAG_KEY), *k_over = rep('k', PROTO_MAX_TAG_KEY + 1);
    struct sqs_tag_list t;
    struct aws_error e;

    ck_assert_int_eq(list_tags(k_at, v_at, &t, &e), 0);
    ck_assert_uint_eq(t.n, 3);
    ck_assert_str_eq(t.tags[1].name, k_at);
    ck_assert_str_eq(t.tags[1].value, v_at);
    sqs_tag_list_free(&t);

    ck_assert_int_eq(list_tags("big", v_over, &t, &e), 1);
    ck_assert_uint_eq(t.n, 2);
    ck_assert_str_eq(t.tags[1].name, "env");
    assert_skipped(&e, "SQS ListQueueTags: 1 tag skipped",
                   "a tag value is 257 bytes, past the 256 AWS allows");
    sqs_tag_list_free(&t);

    ck_assert_int_eq(list_tags(k_over, "v", &t, &e), 1);
    ck_assert_uint_eq(t.n, 2);
    assert_skipped(&e, "SQS ListQueueTags: 1 tag skipped",
                   "a tag key is 129 bytes, past the 128 AWS allows");
    sqs_tag_list_free(&t);
    free(v_at);
    free(v_over);
    free(k_at);
    free(k_over);
}
END_TEST

/* ---- ARNs: 2048 (ListTopics, ListSubscriptionsByTopic) ---- */

/* An ARN of exactly len bytes. */
static char *arn_of_len(size_t len)
{
    const char *head = "arn:aws:sns:us-east-1:123456789012:";
    char *s = rep('t', len);

    memcpy(s, head, strlen(head));
    return s;
}

static int list_topics(const char *arn, struct sns_topic_list *l, struct aws_error *e)
{
    struct aws_response resp;
    int rc;

    resp_fmt(&resp, "<ListTopicsResponse><ListTopicsResult><Topics>"
             "<member><TopicArn>arn:aws:sns:us-east-1:123456789012:a</TopicArn></member>"
             "<member><TopicArn>%s</TopicArn></member>"
             "<member><TopicArn>arn:aws:sns:us-east-1:123456789012:z</TopicArn></member>"
             "</Topics></ListTopicsResult></ListTopicsResponse>", arn);
    aws_error_clear(e);
    rc = sns_list_topics_parse(&resp, l, e);
    aws_response_done(&resp);
    return rc;
}

START_TEST(arn_2048_bytes)
{
    char *at = arn_of_len(PROTO_MAX_ARN), *over = arn_of_len(PROTO_MAX_ARN + 1);
    struct sns_topic_list l;
    struct sns_subscription_list sl;
    struct aws_response resp;
    struct aws_error e;

    ck_assert_int_eq(list_topics(at, &l, &e), 0);
    ck_assert_uint_eq(l.n, 3);
    ck_assert_str_eq(l.arns[1], at);
    sns_topic_list_free(&l);

    ck_assert_int_eq(list_topics(over, &l, &e), 1);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_str_eq(l.arns[1], "arn:aws:sns:us-east-1:123456789012:z");
    assert_skipped(&e, "SNS ListTopics: 1 topic skipped",
                   "a TopicArn is 2049 bytes, past the 2048 AWS allows");
    sns_topic_list_free(&l);

    /* a subscription's TopicArn, and its Endpoint (a URL: 2048 too) */
    resp_fmt(&resp, "<ListSubscriptionsByTopicResponse><ListSubscriptionsByTopicResult>"
             "<Subscriptions>"
             "<member><SubscriptionArn>arn:s:1</SubscriptionArn><TopicArn>%s</TopicArn>"
             "<Endpoint>%s</Endpoint></member>"
             "<member><SubscriptionArn>arn:s:2</SubscriptionArn><TopicArn>%s</TopicArn></member>"
             "<member><SubscriptionArn>arn:s:3</SubscriptionArn><Endpoint>%s</Endpoint></member>"
             "</Subscriptions></ListSubscriptionsByTopicResult>"
             "</ListSubscriptionsByTopicResponse>", at, at, over, over);
    aws_error_clear(&e);
    ck_assert_int_eq(sns_list_subscriptions_by_topic_parse(&resp, &sl, &e), 1);
    ck_assert_uint_eq(sl.n, 1);
    ck_assert_str_eq(sl.subs[0].arn, "arn:s:1");
    ck_assert_str_eq(sl.subs[0].topic_arn, at);
    assert_skipped(&e, "SNS ListSubscriptionsByTopic: 2 subscriptions skipped",
                   "a TopicArn is 2049 bytes, past the 2048 AWS allows");
    sns_subscription_list_free(&sl);
    aws_response_done(&resp);
    free(at);
    free(over);
}
END_TEST

/* ---- names: 256 (ListBuckets) ---- */

START_TEST(bucket_name_256)
{
    char *at = rep('b', PROTO_MAX_NAME), *over = rep('b', PROTO_MAX_NAME + 1);
    const char *names[] = {at, over};
    struct s3_bucket_list l;
    struct aws_response resp;
    struct aws_error e;

    for (int i = 0; i < 2; i++) {
        resp_fmt(&resp, "<ListAllMyBucketsResult><Buckets>"
                 "<Bucket><Name>%s</Name></Bucket><Bucket><Name>logs</Name></Bucket>"
                 "</Buckets></ListAllMyBucketsResult>", names[i]);
        aws_error_clear(&e);
        ck_assert_int_eq(s3_list_buckets_parse(&resp, &l, &e), i);
        ck_assert_uint_eq(l.n, 2 - (size_t)i);
        ck_assert_str_eq(l.buckets[l.n - 1].name, "logs");
        if (i)
            assert_skipped(&e, "S3 ListBuckets: 1 bucket skipped",
                           "a bucket name is 257 bytes, past the 256 AWS allows");
        else
            ck_assert_str_eq(l.buckets[0].name, at);
        s3_bucket_list_free(&l);
        aws_response_done(&resp);
    }
    free(at);
    free(over);
}
END_TEST

/* ---- one attribute: 256 KiB (GetQueueAttributes, GetTopicAttributes) ---- */

START_TEST(attribute_256_kib)
{
    char *at = rep('p', PROTO_MAX_ATTRIBUTE), *over = rep('p', PROTO_MAX_ATTRIBUTE + 1);
    struct sqs_queue_attrs a;
    struct sns_topic_attrs ta;
    struct aws_response resp;
    struct aws_error e;

    resp_fmt(&resp, "{\"Attributes\": {\"Policy\": \"%s\"}}", at);
    aws_error_clear(&e);
    ck_assert_int_eq(sqs_get_queue_attributes_parse(&resp, "http://x/1/q", &a, &e), 0);
    ck_assert_str_eq(sqs_queue_attr(&a, "Policy"), at);
    sqs_queue_attrs_free(&a);
    aws_response_done(&resp);

    resp_fmt(&resp, "{\"Attributes\": {\"Policy\": \"%s\"}}", over);
    aws_error_clear(&e);
    ck_assert_int_eq(sqs_get_queue_attributes_parse(&resp, "http://x/1/q", &a, &e), -1);
    ck_assert_parse_error(&e, "SQS GetQueueAttributes: ");
    ck_assert_parse_error(&e, "Policy is 262145 bytes, past the 262144 AWS allows");
    aws_response_done(&resp);

    resp_fmt(&resp, "<GetTopicAttributesResponse><GetTopicAttributesResult><Attributes>"
             "<entry><key>Policy</key><value>%s</value></entry>"
             "</Attributes></GetTopicAttributesResult></GetTopicAttributesResponse>", at);
    aws_error_clear(&e);
    ck_assert_int_eq(sns_get_topic_attributes_parse(&resp, &ta, &e), 0);
    ck_assert_uint_eq(ta.nattrs, 1);
    ck_assert_str_eq(ta.attrs[0].value, at);
    sns_topic_attrs_free(&ta);
    aws_response_done(&resp);

    resp_fmt(&resp, "<GetTopicAttributesResponse><GetTopicAttributesResult><Attributes>"
             "<entry><key>Policy</key><value>%s</value></entry>"
             "</Attributes></GetTopicAttributesResult></GetTopicAttributesResponse>", over);
    aws_error_clear(&e);
    ck_assert_int_eq(sns_get_topic_attributes_parse(&resp, &ta, &e), -1);
    ck_assert_parse_error(&e, "Policy is 262145 bytes, past the 262144 AWS allows");
    aws_response_done(&resp);
    free(at);
    free(over);
}
END_TEST

/* ---- any other string: 1 MiB (a message body in JSON; any XML text) ---- */

START_TEST(generic_text_1_mib)
{
    char *at = rep('m', PROTO_MAX_TEXT), *over = rep('m', PROTO_MAX_TEXT + 1);
    struct sqs_message_list ml;
    struct sns_topic_attrs ta;
    struct aws_response resp;
    struct aws_error e;

    resp_fmt(&resp, "{\"Messages\": [{\"MessageId\": \"m1\", \"ReceiptHandle\": \"r1\", "
             "\"Body\": \"%s\"}]}", at);
    aws_error_clear(&e);
    ck_assert_int_eq(sqs_receive_message_parse(&resp, &ml, &e), 0);
    ck_assert_uint_eq(ml.n, 1);
    ck_assert_str_eq(ml.msgs[0].body, at);
    sqs_message_list_free(&ml);
    aws_response_done(&resp);

    resp_fmt(&resp, "{\"Messages\": [{\"MessageId\": \"m1\", \"ReceiptHandle\": \"r1\", "
             "\"Body\": \"%s\"}]}", over);
    aws_error_clear(&e);
    ck_assert_int_eq(sqs_receive_message_parse(&resp, &ml, &e), -1);
    ck_assert_parse_error(&e, "Body is 1048577 bytes, past the 1048576 AWS allows");
    aws_response_done(&resp);

    /* XML: an attribute's value over the text cap is an error, never an empty value */
    resp_fmt(&resp, "<GetTopicAttributesResponse><GetTopicAttributesResult><Attributes>"
             "<entry><key>DisplayName</key><value>%s</value></entry>"
             "</Attributes></GetTopicAttributesResult></GetTopicAttributesResponse>", over);
    aws_error_clear(&e);
    ck_assert_int_eq(sns_get_topic_attributes_parse(&resp, &ta, &e), -1);
    ck_assert_parse_error(&e, "value is 1048577 bytes, past the 1048576 AWS allows");
    aws_response_done(&resp);
    free(at);
    free(over);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("field_caps");
    TCase *tc = tcase_create("core");

    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, s3_key_1024_bytes);
    tcase_add_test(tc, tag_value_256_key_128);
    tcase_add_test(tc, arn_2048_bytes);
    tcase_add_test(tc, bucket_name_256);
    tcase_add_test(tc, attribute_256_kib);
    tcase_add_test(tc, generic_text_1_mib);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
