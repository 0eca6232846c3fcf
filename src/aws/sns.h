/* sns.h - Amazon SNS over the query protocol (Version 2010-03-31), XML responses. Pure.
 * Conventions (request init, parse errors, _free, numbers): see sqs.h.
 *
 * Exported API (summary):
 *   void sns_list_topics_request(r, next_token /+ NULL +/);
 *   int  sns_list_topics_parse(resp, &sns_topic_list, err);
 *   void sns_get_topic_attributes_request(r, topic_arn);
 *   int  sns_get_topic_attributes_parse(resp, &sns_topic_attrs, err);
 *   void sns_list_subscriptions_by_topic_request(r, topic_arn, next_token /+ NULL +/);
 *   int  sns_list_subscriptions_by_topic_parse(resp, &sns_subscription_list, err);
 *   void sns_topic_list_free(&l); sns_topic_attrs_free(&a); sns_subscription_list_free(&l);
 *   char *sns_topic_name_from_arn(arn);
 *   const char *sns_topic_attr(&a, "Policy");                 raw value or NULL */
#ifndef OPSDECK_AWS_SNS_H
#define OPSDECK_AWS_SNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/awserr.h"
#include "core/request.h"

struct sns_topic_list {
    char **arns;              /* TopicArn of each topic */
    size_t n;
    char *next_token;         /* NULL on the last page */
};

/* Delivery-status logging, per protocol: bit set when <Proto>FailureFeedbackRoleArn (resp.
 * SuccessFeedbackRoleArn) is present and non-empty. */
enum sns_feedback_proto {
    SNS_FEEDBACK_SQS = 1 << 0,
    SNS_FEEDBACK_LAMBDA = 1 << 1,
    SNS_FEEDBACK_HTTP = 1 << 2,
    SNS_FEEDBACK_APPLICATION = 1 << 3,
    SNS_FEEDBACK_FIREHOSE = 1 << 4,
};

struct sns_topic_attrs {
    char *arn;                /* TopicArn attribute, NULL if absent */
    char *name;               /* from the ARN (last ':' field), NULL if no ARN */
    struct kv *attrs;         /* every Attributes entry (key, value), in response order */
    size_t nattrs;
    int64_t subs_confirmed;   /* SubscriptionsConfirmed, -1 absent */
    int64_t subs_pending;     /* SubscriptionsPending */
    int64_t subs_deleted;     /* SubscriptionsDeleted */
    char *display_name;       /* DisplayName, NULL if absent */
    char *delivery_policy;    /* DeliveryPolicy (JSON text, unparsed), NULL if absent */
    char *effective_delivery_policy;
    bool fifo;                /* FifoTopic == "true" */
    unsigned failure_feedback;    /* enum sns_feedback_proto bits */
    unsigned success_feedback;
};

struct sns_subscription {
    char *arn;                /* SubscriptionArn; "PendingConfirmation" while pending */
    bool pending;             /* arn is "PendingConfirmation" (or "pending confirmation") */
    char *owner;
    char *protocol;           /* "sqs", "lambda", "https", "email", ... */
    char *endpoint;
    char *topic_arn;
};

struct sns_subscription_list {
    struct sns_subscription *subs;
    size_t n;
    char *next_token;
};

void sns_list_topics_request(struct aws_request *r, const char *next_token);
int sns_list_topics_parse(const struct aws_response *resp, struct sns_topic_list *out,
                          struct aws_error *err);

void sns_get_topic_attributes_request(struct aws_request *r, const char *topic_arn);
int sns_get_topic_attributes_parse(const struct aws_response *resp, struct sns_topic_attrs *out,
                                   struct aws_error *err);

void sns_list_subscriptions_by_topic_request(struct aws_request *r, const char *topic_arn,
                                             const char *next_token);
int sns_list_subscriptions_by_topic_parse(const struct aws_response *resp,
                                          struct sns_subscription_list *out,
                                          struct aws_error *err);

void sns_topic_list_free(struct sns_topic_list *l);
void sns_topic_attrs_free(struct sns_topic_attrs *a);
void sns_subscription_list_free(struct sns_subscription_list *l);

/* "arn:aws:sns:us-east-1:123:alerts" → "alerts" (malloc'd; the whole string if no ':'). */
char *sns_topic_name_from_arn(const char *arn);
const char *sns_topic_attr(const struct sns_topic_attrs *a, const char *name);

#endif
