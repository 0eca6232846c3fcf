/* fuzz_sns.c - the SNS query-XML response parsers (ListTopics, GetTopicAttributes,
 * ListSubscriptionsByTopic). */
#include "config.h"
#include "fuzz_util.h"

#include <stdlib.h>
#include <string.h>

#include "aws/sns.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct aws_response r;
    struct aws_error err;
    struct sns_topic_list tl;
    struct sns_topic_attrs ta;
    struct sns_subscription_list sl;
    struct sns_subscription_attrs sa;
    struct sns_published p;
    struct sns_delivery_record d;
    char *text;

    fuzz_response(&r, data, size);
    aws_error_clear(&err);
    if (sns_list_topics_parse(&r, &tl, &err) >= 0)
        sns_topic_list_free(&tl);
    if (sns_get_topic_attributes_parse(&r, &ta, &err) == 0)
        sns_topic_attrs_free(&ta);
    if (sns_list_subscriptions_by_topic_parse(&r, &sl, &err) >= 0)
        sns_subscription_list_free(&sl);
    if (sns_get_subscription_attributes_parse(&r, &sa, &err) == 0)
        sns_subscription_attrs_free(&sa);
    if (sns_publish_parse(&r, &p, &err) == 0)
        sns_published_free(&p);
    /* a delivery-status record is a log message: the input as a C string */
    text = strndup((const char *)data, size);
    if (text && sns_delivery_record_parse(text, &d, &err) == 0)
        sns_delivery_record_free(&d);
    free(text);
    aws_response_done(&r);
    return 0;
}
