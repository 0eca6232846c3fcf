/* sqs.h - Amazon SQS over AWS JSON 1.0 (X-Amz-Target: AmazonSQS.<Action>). Pure: builds
 * requests and parses responses; sending is client.c's job.
 *
 * Exported API (summary):
 *   void sqs_list_queues_request(r, &sqs_list_queues_params);
 *   int  sqs_list_queues_parse(resp, &sqs_url_list, err);
 *   void sqs_get_queue_attributes_request(r, queue_url);        AttributeNames ["All"]
 *   int  sqs_get_queue_attributes_parse(resp, queue_url, &sqs_queue_attrs, err);
 *   void sqs_list_dead_letter_source_queues_request(r, &sqs_list_dlq_sources_params);
 *   int  sqs_list_dead_letter_source_queues_parse(resp, &sqs_url_list, err);
 *   void sqs_list_queue_tags_request(r, queue_url);
 *   int  sqs_list_queue_tags_parse(resp, &sqs_tag_list, err);   tags in response order
 *   void sqs_url_list_free(&l);  void sqs_queue_attrs_free(&a);  void sqs_tag_list_free(&t);
 *   void sqs_send_message_request(r, &sqs_send_params);         mutating
 *   int  sqs_send_message_parse(resp, &sqs_sent, err);   void sqs_sent_free(&s);
 *   char *sqs_queue_name_from_url(url);
 *   const char *sqs_queue_attr(&a, "Policy");                  raw value or NULL
 *
 * Conventions for every service client (sqs, sns, s3, sts, cloudwatch):
 *   - *_request(r, ...) initialises r itself (do not aws_request_init it first); the caller
 *     owns r afterwards (aws_client_send takes its contents, else aws_request_done).
 *   - *_parse(resp, ..., out, err) reads resp->body only; returns 0, or -1 with err set
 *     (kind AWS_ERR_PARSE, message "SQS ListQueues: <what was wrong>") and *out left empty
 *     (zeroed; calling *_free on it is harmless).
 *   - *_free(&x) frees everything x holds and zeroes it; x itself is the caller's storage.
 *   - Numbers: an absent number is -1 ("unknown"); a number that is present but not a
 *     non-negative integer in range (JSON number where a string is expected, "abc",
 *     "99999999999999999999999", "-1") makes the whole parse fail with a message naming the
 *     field, because a wrong depth on an ops console is worse than an error. */
#ifndef OPSDECK_AWS_SQS_H
#define OPSDECK_AWS_SQS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/awserr.h"
#include "core/request.h"

#define SQS_MAX_RESULTS 1000

struct sqs_list_queues_params {
    const char *prefix;       /* QueueNamePrefix, NULL: none */
    int max_results;          /* MaxResults 1..1000; 0: omitted (then AWS returns <= 1000, no
                               * NextToken) */
    const char *next_token;   /* NextToken from the previous page, NULL: first page */
};

struct sqs_list_dlq_sources_params {
    const char *queue_url;    /* the dead-letter queue (required) */
    int max_results;          /* 1..1000; 0: omitted */
    const char *next_token;
};

/* Result of ListQueues and ListDeadLetterSourceQueues. */
struct sqs_url_list {
    char **urls;
    size_t n;
    char *next_token;         /* NULL on the last page */
};

struct sqs_queue_attrs {
    char *url;                /* the queue_url given to the parser */
    char *name;               /* last path segment of the URL */
    char *arn;                /* QueueArn, NULL if absent */
    struct kv *attrs;         /* every attribute as returned (name, value), in response order */
    size_t nattrs;
    /* Typed fields; -1 when the attribute is absent. */
    int64_t visible;          /* ApproximateNumberOfMessages */
    int64_t not_visible;      /* ApproximateNumberOfMessagesNotVisible (in flight) */
    int64_t delayed;          /* ApproximateNumberOfMessagesDelayed */
    int64_t visibility_timeout;   /* VisibilityTimeout, seconds */
    int64_t retention_period;     /* MessageRetentionPeriod, seconds */
    int64_t delay_seconds;        /* DelaySeconds */
    int64_t max_message_size;     /* MaximumMessageSize, bytes */
    int64_t created;              /* CreatedTimestamp, epoch seconds */
    int64_t last_modified;        /* LastModifiedTimestamp, epoch seconds */
    bool fifo;                    /* FifoQueue == "true" (absent: false) */
    bool content_based_dedup;     /* ContentBasedDeduplication == "true" */
    /* RedrivePolicy (a JSON document inside the JSON string). Malformed → parse error. */
    bool has_redrive;
    char *dlq_arn;                /* deadLetterTargetArn */
    int64_t max_receive_count;    /* maxReceiveCount (a number or a numeric string), -1 if none */
    /* RedriveAllowPolicy (who may use this queue as a DLQ). Malformed → parse error. */
    bool has_redrive_allow;
    char *redrive_permission;     /* "allowAll" | "denyAll" | "byQueue" */
    char **source_queue_arns;     /* sourceQueueArns, for byQueue */
    size_t nsource_queue_arns;
};

void sqs_list_queues_request(struct aws_request *r, const struct sqs_list_queues_params *p);
int sqs_list_queues_parse(const struct aws_response *resp, struct sqs_url_list *out,
                          struct aws_error *err);

void sqs_get_queue_attributes_request(struct aws_request *r, const char *queue_url);
/* queue_url is the one the request was made for (the response does not repeat it). */
int sqs_get_queue_attributes_parse(const struct aws_response *resp, const char *queue_url,
                                   struct sqs_queue_attrs *out, struct aws_error *err);

void sqs_list_dead_letter_source_queues_request(struct aws_request *r,
                                                const struct sqs_list_dlq_sources_params *p);
int sqs_list_dead_letter_source_queues_parse(const struct aws_response *resp,
                                             struct sqs_url_list *out, struct aws_error *err);

/* ListQueueTags: {"Tags": {"key": "value", ...}}; no "Tags" means no tags. Keys and values
 * are untrusted text kept exactly as sent (sanitise on display). A value that is not a
 * string makes the whole parse fail. */
struct sqs_tag_list {
    struct kv *tags;          /* (key, value) in response order */
    size_t n;
};

void sqs_list_queue_tags_request(struct aws_request *r, const char *queue_url);
int sqs_list_queue_tags_parse(const struct aws_response *resp, struct sqs_tag_list *out,
                              struct aws_error *err);
void sqs_tag_list_free(struct sqs_tag_list *t);

void sqs_url_list_free(struct sqs_url_list *l);
void sqs_queue_attrs_free(struct sqs_queue_attrs *a);

/* SendMessage. A message attribute to send: data_type "String", "Number", "Binary" or a
 * custom "Number.int"; String and Number carry string_value, Binary carries
 * binary/binary_len (sent base64-encoded). */
struct sqs_msg_attr_in {
    const char *name;
    const char *data_type;
    const char *string_value;
    const unsigned char *binary;
    size_t binary_len;
};

struct sqs_send_params {
    const char *queue_url;
    const char *id;              /* a batch entry's id; not used by SendMessage */
    const char *body;            /* MessageBody, UTF-8 (sqs_check.h: what SQS accepts) */
    int delay_seconds;           /* DelaySeconds 0..900; -1: omitted (the queue's delay) */
    const struct sqs_msg_attr_in *attrs;
    size_t nattrs;               /* at most 10 */
    const char *group_id;        /* MessageGroupId (FIFO), NULL: none */
    const char *dedup_id;        /* MessageDeduplicationId (FIFO), NULL: none */
};

/* What SendMessage answered. */
struct sqs_sent {
    char *id;                    /* a batch entry's id; NULL for SendMessage */
    char *message_id;
    char *md5_of_body;           /* MD5OfMessageBody, NULL if absent */
    char *md5_of_attrs;          /* MD5OfMessageAttributes, NULL when no attributes */
    char *sequence_number;       /* FIFO only */
};

void sqs_send_message_request(struct aws_request *r, const struct sqs_send_params *p);
int sqs_send_message_parse(const struct aws_response *resp, struct sqs_sent *out,
                           struct aws_error *err);
void sqs_sent_free(struct sqs_sent *s);

/* "https://sqs.eu-west-1.amazonaws.com/123/orders.fifo" → "orders.fifo" (malloc'd; the whole
 * string if it has no '/'). */
char *sqs_queue_name_from_url(const char *url);
/* The raw value of one attribute, or NULL. */
const char *sqs_queue_attr(const struct sqs_queue_attrs *a, const char *name);

#endif
