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
 *   const char *sns_topic_attr(&a, "Policy");                 raw value or NULL
 *   int  sns_protocol_of(subscription_protocol);              "https" -> SNS_PROTO_HTTP, -1
 *   const char *sns_protocol_prefix(SNS_PROTO_SQS);           "SQS" (attribute name prefix)
 *   void sns_get_subscription_attributes_request(r, subscription_arn);
 *   int  sns_get_subscription_attributes_parse(resp, &sns_subscription_attrs, err);
 *   void sns_subscription_attrs_free(&a);
 *   void sns_publish_request(r, &sns_publish_params);          mutating
 *   int  sns_publish_parse(resp, &sns_published, err);
 *   void sns_published_free(&p);
 *   int  sns_delivery_record_parse(log_message, &sns_delivery_record, err);
 *   void sns_delivery_record_free(&r); */
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

/* The protocols SNS can log delivery status for, in the order of the bits above; the
 * attributes are named <prefix>SuccessFeedbackRoleArn, <prefix>FailureFeedbackRoleArn and
 * <prefix>SuccessFeedbackSampleRate with prefix "SQS", "Lambda", "HTTP", "Application",
 * "Firehose" (HTTP covers http and https subscriptions). */
enum sns_protocol {
    SNS_PROTO_SQS,
    SNS_PROTO_LAMBDA,
    SNS_PROTO_HTTP,
    SNS_PROTO_APPLICATION,
    SNS_PROTO_FIREHOSE,
    SNS_PROTO_COUNT
};

/* Delivery-status logging of a topic for one protocol. Strings point into the topic's
 * attrs (NULL when the attribute is absent or empty). Logging of failures is on when
 * failure_role is set; successes are logged at sample_rate percent. */
struct sns_feedback {
    const char *success_role;
    const char *failure_role;
    int64_t sample_rate;      /* 0..100, -1 when not set */
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
    bool content_based_dedup; /* ContentBasedDeduplication == "true" (FIFO) */
    char *kms_master_key_id;  /* KmsMasterKeyId: encryption at rest; NULL when off */
    unsigned failure_feedback;    /* enum sns_feedback_proto bits */
    unsigned success_feedback;
    struct sns_feedback feedback[SNS_PROTO_COUNT];  /* per enum sns_protocol */
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

/* The enum sns_protocol of a subscription's protocol ("sqs", "lambda", "http", "https",
 * "application", "firehose"), or -1 for those SNS logs nothing for (email, sms). */
int sns_protocol_of(const char *subscription_protocol);
/* "SQS", "Lambda", "HTTP", "Application", "Firehose". */
const char *sns_protocol_prefix(enum sns_protocol p);

/* ---- GetSubscriptionAttributes ---- */

struct sns_subscription_attrs {
    struct kv *attrs;         /* every Attributes entry, in response order */
    size_t nattrs;
    char *arn;                /* SubscriptionArn */
    char *topic_arn;
    char *protocol;
    char *endpoint;           /* untrusted text */
    char *owner;
    bool pending;             /* PendingConfirmation == "true" */
    bool confirmation_authenticated;
    bool raw_delivery;        /* RawMessageDelivery == "true" */
    char *filter_policy;      /* FilterPolicy (JSON text as sent, untrusted), NULL if none */
    char *filter_policy_scope;    /* "MessageAttributes" or "MessageBody"; NULL if not set
                                   * (SNS then applies the policy to the attributes) */
    bool has_redrive;         /* RedrivePolicy set: the subscription has a DLQ */
    char *redrive_dlq_arn;    /* its deadLetterTargetArn */
};

void sns_get_subscription_attributes_request(struct aws_request *r, const char *subscription_arn);
/* A boolean attribute that is not "true"/"false", a FilterPolicy or RedrivePolicy that is
 * not a JSON object, or a RedrivePolicy without deadLetterTargetArn fails the parse. */
int sns_get_subscription_attributes_parse(const struct aws_response *resp,
                                          struct sns_subscription_attrs *out,
                                          struct aws_error *err);
void sns_subscription_attrs_free(struct sns_subscription_attrs *a);

/* ---- Publish ---- */

/* A message attribute: data_type "String", "String.Array", "Number" or "Binary"; Binary
 * carries binary/binary_len (sent base64), the others string_value. */
struct sns_msg_attr_in {
    const char *name;
    const char *data_type;
    const char *string_value;
    const unsigned char *binary;
    size_t binary_len;
};

struct sns_publish_params {
    const char *topic_arn;
    const char *message;
    const char *subject;      /* NULL: none (email subscribers see the default) */
    const struct sns_msg_attr_in *attrs;
    size_t nattrs;
    const char *group_id;     /* MessageGroupId (FIFO topics), NULL: none */
    const char *dedup_id;     /* MessageDeduplicationId, NULL: none */
};

struct sns_published {
    char *message_id;
    char *sequence_number;    /* FIFO topics only */
};

void sns_publish_request(struct aws_request *r, const struct sns_publish_params *p);
int sns_publish_parse(const struct aws_response *resp, struct sns_published *out,
                      struct aws_error *err);
void sns_published_free(struct sns_published *p);

/* ---- delivery-status log records ---- */

/* One record SNS writes to CloudWatch Logs when delivery-status logging is on (the
 * sns/REGION/ACCOUNT/TOPIC[/Failure] log group; read with logs.h's FilterLogEvents): the
 * event's message is a JSON document. Every text is untrusted (the endpoint and the
 * provider's response are whatever the subscriber's side said). */
struct sns_delivery_record {
    char *status;             /* "SUCCESS" or "FAILURE" */
    char *message_id;         /* notification.messageId */
    char *topic_arn;          /* notification.topicArn */
    char *timestamp;          /* notification.timestamp, as written */
    char *destination;        /* delivery.destination: the endpoint */
    char *provider_response;  /* delivery.providerResponse */
    bool has_status_code;
    int64_t status_code;      /* delivery.statusCode (HTTP status, or SNS's own code) */
    int64_t dwell_ms;         /* delivery.dwellTimeMs, -1 if absent */
    int64_t attempts;         /* delivery.attempts (1 + retries), -1 if absent */
};

/* message: a log event's text. Not JSON, no "delivery" object, or a field of the wrong
 * type fails with a parse error ("SNS delivery record: ..."). */
int sns_delivery_record_parse(const char *message, struct sns_delivery_record *out,
                              struct aws_error *err);
void sns_delivery_record_free(struct sns_delivery_record *r);

/* "arn:aws:sns:us-east-1:123:alerts" → "alerts" (malloc'd; the whole string if no ':'). */
char *sns_topic_name_from_arn(const char *arn);
const char *sns_topic_attr(const struct sns_topic_attrs *a, const char *name);

#endif
