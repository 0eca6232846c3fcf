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
 *   char *sqs_queue_name_from_url(url);
 *   const char *sqs_queue_attr(&a, "Policy");                  raw value or NULL
 *   void sqs_get_queue_url_request(r, name, owner_account /+ NULL +/);
 *   int  sqs_get_queue_url_parse(resp, &char *url, err);
 *
 *   Messages (sqs_message.c). Every one of these changes something, a receive included (it
 *   hides the messages and counts the receive), so all are built with
 *   aws_request_init_mutating and must pass the write gate:
 *   void sqs_receive_message_request(r, &sqs_receive_params);
 *   int  sqs_receive_message_parse(resp, &sqs_message_list, err);
 *   void sqs_change_message_visibility_request(r, queue_url, receipt_handle, seconds);
 *   void sqs_change_message_visibility_batch_request(r, queue_url, entries, n);
 *   void sqs_delete_message_request(r, queue_url, receipt_handle);
 *   void sqs_delete_message_batch_request(r, queue_url, entries, n);
 *   int  sqs_batch_parse(resp, "DeleteMessageBatch", &sqs_batch_result, err);
 *   void sqs_send_message_request(r, &sqs_send_params);
 *   int  sqs_send_message_parse(resp, &sqs_sent, err);
 *   void sqs_send_message_batch_request(r, queue_url, entries, n);
 *   int  sqs_send_message_batch_parse(resp, &sqs_send_batch_result, err);
 *   void sqs_message_list_free(&l); sqs_batch_result_free(&b); sqs_sent_free(&s);
 *   void sqs_send_batch_result_free(&b);
 *   const struct sqs_msg_attr *sqs_message_attr(&m, "ExtendedPayloadSize");
 *
 *   Queue-wide writes and the server-side redrive (sqs.c):
 *   void sqs_purge_queue_request(r, queue_url);                            mutating
 *   void sqs_start_message_move_task_request(r, &sqs_move_params);         mutating
 *   int  sqs_start_message_move_task_parse(resp, &char *task_handle, err);
 *   void sqs_list_message_move_tasks_request(r, source_arn, max_results);
 *   int  sqs_list_message_move_tasks_parse(resp, &sqs_move_task_list, err);
 *   void sqs_cancel_message_move_task_request(r, task_handle);              mutating
 *   int  sqs_cancel_message_move_task_parse(resp, &int64_t moved, err);
 *   void sqs_move_task_list_free(&l);
 *   (PurgeQueue, ChangeMessageVisibility and DeleteMessage answer nothing: success is the
 *   2xx the client reports.)
 *
 * Conventions for every service client (sqs, sns, s3, sts, cloudwatch, logs, ec2, iam,
 * secretsmanager, ssm, events, lambda):
 *   - *_request(r, ...) initialises r itself (do not aws_request_init it first); the caller
 *     owns r afterwards (aws_client_send takes its contents, else aws_request_done).
 *   - *_parse(resp, ..., out, err) reads resp->body only; returns 0, or -1 with err set
 *     (kind AWS_ERR_PARSE, message "SQS ListQueues: <what was wrong>") and *out left empty
 *     (zeroed; calling *_free on it is harmless).
 *   - Lists (ListQueues, ListTopics, ListBuckets, ListObjectsV2 ...): an item past its cap
 *     (proto.h PROTO_MAX_*) is that item's error, not the list's: it is left out, *out holds
 *     the others and the parse returns 1 with err saying how many were skipped and why
 *     (code PROTO_ITEM_SKIPPED), so callers test "< 0" for failure.
 *   - *_free(&x) frees everything x holds and zeroes it; x itself is the caller's storage.
 *   - Numbers: an absent number is -1 ("unknown"); a number that is present but not a
 *     non-negative integer in range (JSON number where a string is expected, "abc",
 *     "99999999999999999999999", "-1") makes the whole parse fail with a message naming the
 *     field, because a wrong depth on an ops console is worse than an error.
 *   - Text from AWS (bodies, names, attribute values, log messages) is kept byte for byte,
 *     escape sequences and invalid UTF-8 included: the sanitiser makes it safe where it is
 *     shown, and an export or a redrive must carry the original.
 *   - Paged calls take the previous answer's token in their params and expose the next one
 *     as next_token (NULL on the last page); the caller decides whether to follow it.
 *   - An action that changes something in AWS is built with aws_request_init_mutating; the
 *     others with aws_request_init. */
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
/* 0; 1 when items were skipped (not a string, a URL over PROTO_MAX_URL bytes, a queue name
 * over PROTO_MAX_QUEUE_NAME characters): the others are in out, err says which; -1. */
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

/* ---- GetQueueUrl ---- */

/* owner_account: QueueOwnerAWSAccountId for another account's queue, NULL for ours. */
void sqs_get_queue_url_request(struct aws_request *r, const char *queue_name,
                               const char *owner_account);
int sqs_get_queue_url_parse(const struct aws_response *resp, char **url, struct aws_error *err);

/* ---- messages (sqs_message.c) ---- */

#define SQS_MAX_BATCH 10          /* entries per batch request, SQS's limit */

enum sqs_attr_type { SQS_ATTR_STRING, SQS_ATTR_NUMBER, SQS_ATTR_BINARY };

/* A message attribute as received. */
struct sqs_msg_attr {
    char *name;
    char *data_type;          /* as sent: "String", "Number", "Binary" or a custom type
                               * "Number.float", "String.json" */
    enum sqs_attr_type type;  /* data_type's base */
    char *string_value;       /* String and Number: the text; NULL for Binary */
    unsigned char *binary;    /* Binary: the decoded bytes (NUL after them); NULL otherwise */
    size_t binary_len;
};

struct sqs_message {
    char *message_id;
    char *receipt_handle;
    char *md5_of_body;
    char *body;               /* as sent (SQS bodies cannot hold NUL) */
    struct kv *attrs;         /* system attributes as sent, in response order */
    size_t nattrs;
    /* Typed system attributes; -1 or NULL when absent. */
    int64_t receive_count;    /* ApproximateReceiveCount */
    int64_t first_receive_ms; /* ApproximateFirstReceiveTimestamp, epoch milliseconds */
    int64_t sent_ms;          /* SentTimestamp, epoch milliseconds */
    char *sender_id;          /* SenderId */
    char *group_id;           /* MessageGroupId (FIFO) */
    char *dedup_id;           /* MessageDeduplicationId (FIFO) */
    char *sequence_number;    /* SequenceNumber (FIFO; a 128-bit number, kept as text) */
    char *dlq_source_arn;     /* DeadLetterQueueSourceArn: the queue a DLQ message came from */
    struct sqs_msg_attr *mattrs;  /* message attributes, in response order */
    size_t nmattrs;
};

struct sqs_message_list {
    struct sqs_message *msgs;
    size_t n;                 /* 0 when the queue had nothing to give (not an error) */
};

struct sqs_receive_params {
    const char *queue_url;
    int max_messages;         /* MaxNumberOfMessages 1..10 (clamped); 0: omitted (SQS: 1) */
    int visibility_timeout;   /* seconds 0..43200 (clamped); -1: omitted (the queue's) */
    int wait_seconds;         /* WaitTimeSeconds 0..20 (clamped); -1: omitted (the queue's) */
};

/* ReceiveMessage with AttributeNames and MessageAttributeNames ["All"]. Mutating. */
void sqs_receive_message_request(struct aws_request *r, const struct sqs_receive_params *p);
/* A message without MessageId or ReceiptHandle, an attribute that is not a string, a
 * message attribute without DataType or whose value does not match it (Binary that is not
 * base64), or a receive count that is not a count fails the whole parse. */
int sqs_receive_message_parse(const struct aws_response *resp, struct sqs_message_list *out,
                              struct aws_error *err);
void sqs_message_list_free(struct sqs_message_list *l);
/* A message attribute by name, or NULL. */
const struct sqs_msg_attr *sqs_message_attr(const struct sqs_message *m, const char *name);

/* One entry of ChangeMessageVisibilityBatch or DeleteMessageBatch (visibility_timeout is
 * not sent for a delete). id: unique within the batch, [A-Za-z0-9_-]{1,80}. */
struct sqs_batch_entry {
    const char *id;
    const char *receipt_handle;
    int visibility_timeout;
};

/* All mutating; a visibility timeout of 0 makes the message visible again at once. */
void sqs_change_message_visibility_request(struct aws_request *r, const char *queue_url,
                                           const char *receipt_handle, int visibility_timeout);
void sqs_change_message_visibility_batch_request(struct aws_request *r, const char *queue_url,
                                                 const struct sqs_batch_entry *e, size_t n);
void sqs_delete_message_request(struct aws_request *r, const char *queue_url,
                                const char *receipt_handle);
void sqs_delete_message_batch_request(struct aws_request *r, const char *queue_url,
                                      const struct sqs_batch_entry *e, size_t n);

/* A batch entry that failed: the others may have succeeded. */
struct sqs_batch_failure {
    char *id;
    bool sender_fault;        /* true: our request was wrong (retrying will not help) */
    char *code;               /* "ReceiptHandleIsInvalid", ... */
    char *message;            /* AWS's text (untrusted), NULL if absent */
};

struct sqs_batch_result {
    char **ok_ids;            /* Successful[].Id */
    size_t nok;
    struct sqs_batch_failure *failed;
    size_t nfailed;
};

/* For ChangeMessageVisibilityBatch and DeleteMessageBatch (action names them in errors). */
int sqs_batch_parse(const struct aws_response *resp, const char *action,
                    struct sqs_batch_result *out, struct aws_error *err);
void sqs_batch_result_free(struct sqs_batch_result *b);

/* A message attribute to send. data_type "String", "Number", "Binary" or a custom
 * "Number.int"; String and Number carry string_value, Binary carries binary/binary_len
 * (sent base64-encoded). */
struct sqs_msg_attr_in {
    const char *name;
    const char *data_type;
    const char *string_value;
    const unsigned char *binary;
    size_t binary_len;
};

struct sqs_send_params {
    const char *queue_url;    /* SendMessage; not used in a batch entry */
    const char *id;           /* a batch entry's id; not used by SendMessage */
    const char *body;         /* MessageBody, UTF-8 (sqs_check.h: what SQS accepts) */
    int delay_seconds;        /* DelaySeconds 0..900, sent as given (SQS refuses more); -1:
                               * omitted (the queue's delay) */
    const struct sqs_msg_attr_in *attrs;
    size_t nattrs;            /* at most 10 */
    const char *group_id;     /* MessageGroupId (FIFO), NULL: none */
    const char *dedup_id;     /* MessageDeduplicationId (FIFO), NULL: none */
};

/* What SendMessage (or one successful batch entry) answered. */
struct sqs_sent {
    char *id;                 /* the batch entry id; NULL for SendMessage */
    char *message_id;
    char *md5_of_body;
    char *md5_of_attrs;       /* NULL when no attributes were sent */
    char *sequence_number;    /* FIFO only */
};

struct sqs_send_batch_result {
    struct sqs_sent *ok;
    size_t nok;
    struct sqs_batch_failure *failed;
    size_t nfailed;
};

void sqs_send_message_request(struct aws_request *r, const struct sqs_send_params *p);
int sqs_send_message_parse(const struct aws_response *resp, struct sqs_sent *out,
                           struct aws_error *err);
void sqs_send_message_batch_request(struct aws_request *r, const char *queue_url,
                                    const struct sqs_send_params *entries, size_t n);
int sqs_send_message_batch_parse(const struct aws_response *resp,
                                 struct sqs_send_batch_result *out, struct aws_error *err);
void sqs_sent_free(struct sqs_sent *s);
void sqs_send_batch_result_free(struct sqs_send_batch_result *b);

/* ---- queue-wide writes and the server-side redrive ---- */

/* PurgeQueue: every message goes, in flight ones too. Mutating. */
void sqs_purge_queue_request(struct aws_request *r, const char *queue_url);

struct sqs_move_params {
    const char *source_arn;       /* the DLQ */
    const char *destination_arn;  /* NULL: each message back to the queue it came from */
    int max_per_second;           /* MaxNumberOfMessagesPerSecond 1..500 (clamped); 0: omitted */
};

void sqs_start_message_move_task_request(struct aws_request *r,
                                         const struct sqs_move_params *p);
int sqs_start_message_move_task_parse(const struct aws_response *resp, char **task_handle,
                                      struct aws_error *err);

struct sqs_move_task {
    char *task_handle;            /* only while RUNNING */
    char *status;                 /* RUNNING, COMPLETED, CANCELLING, CANCELLED, FAILED */
    char *source_arn;
    char *destination_arn;        /* NULL: back to the original sources */
    int64_t max_per_second;       /* -1: not set (SQS's own rate) */
    int64_t moved;                /* ApproximateNumberOfMessagesMoved, -1 absent */
    int64_t to_move;              /* ApproximateNumberOfMessagesToMove, -1 not yet known */
    char *failure_reason;         /* FAILED only */
    int64_t started_ms;           /* StartedTimestamp, epoch milliseconds, -1 absent */
};

struct sqs_move_task_list {
    struct sqs_move_task *tasks;  /* newest first, as SQS lists them; at most 10 */
    size_t n;
};

/* max_results: 1..10 (clamped); 0: omitted (SQS: 1, the latest task). Not paged. */
void sqs_list_message_move_tasks_request(struct aws_request *r, const char *source_arn,
                                         int max_results);
int sqs_list_message_move_tasks_parse(const struct aws_response *resp,
                                      struct sqs_move_task_list *out, struct aws_error *err);
void sqs_move_task_list_free(struct sqs_move_task_list *l);

void sqs_cancel_message_move_task_request(struct aws_request *r, const char *task_handle);
/* *moved: ApproximateNumberOfMessagesMoved at the cancel, -1 when absent. */
int sqs_cancel_message_move_task_parse(const struct aws_response *resp, int64_t *moved,
                                       struct aws_error *err);

/* "https://sqs.eu-west-1.amazonaws.com/123/orders.fifo" → "orders.fifo" (malloc'd; the whole
 * string if it has no '/'). */
char *sqs_queue_name_from_url(const char *url);
/* The raw value of one attribute, or NULL. */
const char *sqs_queue_attr(const struct sqs_queue_attrs *a, const char *name);

#endif
