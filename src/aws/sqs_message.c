/* sqs_message.c - SQS messages over AWS JSON 1.0: receive, change visibility, delete, send,
 * one at a time and in batches. Every action here changes something (see sqs.h). */
#include "config.h"
#include "aws/sqs.h"
#include "core/proto.h"
#include "util/xalloc.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQS_PREFIX "AmazonSQS"
#define SQS_JSON "1.0"

static void sqs_write(struct aws_request *r, const char *action, cJSON *body)
{
    aws_request_init_mutating(r, "sqs", action, "POST");
    proto_json_request(r, SQS_PREFIX, action, SQS_JSON, body);
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* ---- ReceiveMessage ---- */

void sqs_receive_message_request(struct aws_request *r, const struct sqs_receive_params *p)
{
    cJSON *body = cJSON_CreateObject();

    cJSON_AddStringToObject(body, "QueueUrl", p->queue_url ? p->queue_url : "");
    /* "All" system attributes: the receive count and first-receive time are what tell an
     * engineer how close a message is to its DLQ */
    cJSON_AddItemToArray(cJSON_AddArrayToObject(body, "AttributeNames"),
                         cJSON_CreateString("All"));
    cJSON_AddItemToArray(cJSON_AddArrayToObject(body, "MessageAttributeNames"),
                         cJSON_CreateString("All"));
    if (p->max_messages > 0)
        cJSON_AddNumberToObject(body, "MaxNumberOfMessages", clamp(p->max_messages, 1, 10));
    if (p->visibility_timeout >= 0)
        cJSON_AddNumberToObject(body, "VisibilityTimeout",
                                clamp(p->visibility_timeout, 0, 43200));
    if (p->wait_seconds >= 0)
        cJSON_AddNumberToObject(body, "WaitTimeSeconds", clamp(p->wait_seconds, 0, 20));
    sqs_write(r, "ReceiveMessage", body);
}

static void msg_attr_free(struct sqs_msg_attr *a)
{
    free(a->name);
    free(a->data_type);
    free(a->string_value);
    free(a->binary);
}

static void message_free(struct sqs_message *m)
{
    free(m->message_id);
    free(m->receipt_handle);
    free(m->md5_of_body);
    free(m->body);
    kv_free_array(m->attrs, m->nattrs);
    free(m->sender_id);
    free(m->group_id);
    free(m->dedup_id);
    free(m->sequence_number);
    free(m->dlq_source_arn);
    for (size_t i = 0; i < m->nmattrs; i++)
        msg_attr_free(&m->mattrs[i]);
    free(m->mattrs);
    memset(m, 0, sizeof(*m));
}

void sqs_message_list_free(struct sqs_message_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        message_free(&l->msgs[i]);
    free(l->msgs);
    memset(l, 0, sizeof(*l));
}

const struct sqs_msg_attr *sqs_message_attr(const struct sqs_message *m, const char *name)
{
    for (size_t i = 0; i < m->nmattrs; i++)
        if (strcmp(m->mattrs[i].name, name) == 0)
            return &m->mattrs[i];
    return NULL;
}

/* A string member that must be there (it may be empty). */
static int present(const cJSON *obj, const char *key, char **out, struct aws_error *err)
{
    int rc = proto_json_strdup(obj, key, out, err);

    if (rc == 0)
        aws_error_set(err, AWS_ERR_PARSE, "no %s", key);
    return rc == 1 ? 0 : -1;
}

/* {"DataType": "Number", "StringValue": "42"} or {"DataType": "Binary", "BinaryValue":
 * "<base64>"}; the DataType's part before a '.' says which value it must carry. */
static int parse_msg_attr(const char *name, const cJSON *v, struct sqs_msg_attr *a,
                          struct aws_error *err)
{
    size_t base;

    char what[96];

    memset(a, 0, sizeof(*a));
    a->name = xstrdup(name);
    snprintf(what, sizeof(what), "message attribute %.64s", name);
    if (!cJSON_IsObject(v)) {
        aws_error_set(err, AWS_ERR_PARSE, "not an object");
        goto fail;
    }
    if (proto_json_required(v, "DataType", &a->data_type, err) < 0)
        goto fail;
    base = strcspn(a->data_type, ".");
    if (base == 6 && strncmp(a->data_type, "String", 6) == 0)
        a->type = SQS_ATTR_STRING;
    else if (base == 6 && strncmp(a->data_type, "Number", 6) == 0)
        a->type = SQS_ATTR_NUMBER;
    else if (base == 6 && strncmp(a->data_type, "Binary", 6) == 0)
        a->type = SQS_ATTR_BINARY;
    else {
        aws_error_set(err, AWS_ERR_PARSE, "DataType '%.40s' is not String, Number or Binary",
                      a->data_type);
        goto fail;
    }
    if (a->type != SQS_ATTR_BINARY) {
        if (present(v, "StringValue", &a->string_value, err) < 0)
            goto fail;
        return 0;
    }
    {
        char *b64 = NULL;
        int bad = present(v, "BinaryValue", &b64, err) < 0;
        if (!bad && proto_base64_decode(b64, &a->binary, &a->binary_len) < 0) {
            aws_error_set(err, AWS_ERR_PARSE, "BinaryValue is not base64");
            bad = 1;
        }
        free(b64);
        if (bad)
            goto fail;
    }
    return 0;
fail:
    proto_error_prefix(err, what);
    return -1;
}

static int attr_count(const struct sqs_message *m, const char *name, int64_t *out,
                      struct aws_error *err)
{
    return proto_parse_count_attr(name, kv_get(m->attrs, m->nattrs, name), out, err);
}

static char *attr_dup(const struct sqs_message *m, const char *name)
{
    const char *v = kv_get(m->attrs, m->nattrs, name);

    return v ? xstrdup(v) : NULL;
}

static int parse_message(const cJSON *it, void *out, struct aws_error *err)
{
    struct sqs_message *m = out;
    const cJSON *mattrs = NULL, *a;

    m->receive_count = m->first_receive_ms = m->sent_ms = -1;
    if (proto_json_required(it, "MessageId", &m->message_id, err) < 0 ||
        proto_json_required(it, "ReceiptHandle", &m->receipt_handle, err) < 0 ||
        proto_json_strdup(it, "MD5OfBody", &m->md5_of_body, err) < 0 ||
        proto_json_strdup(it, "Body", &m->body, err) < 0 ||
        proto_json_string_map(it, "Attributes", &m->attrs, &m->nattrs, err) < 0 ||
        proto_json_object(it, "MessageAttributes", &mattrs, err) < 0)
        return -1;
    if (!m->body) {
        aws_error_set(err, AWS_ERR_PARSE, "no Body");
        return -1;
    }
    if (attr_count(m, "ApproximateReceiveCount", &m->receive_count, err) < 0 ||
        attr_count(m, "ApproximateFirstReceiveTimestamp", &m->first_receive_ms, err) < 0 ||
        attr_count(m, "SentTimestamp", &m->sent_ms, err) < 0)
        return -1;
    m->sender_id = attr_dup(m, "SenderId");
    m->group_id = attr_dup(m, "MessageGroupId");
    m->dedup_id = attr_dup(m, "MessageDeduplicationId");
    m->sequence_number = attr_dup(m, "SequenceNumber");
    m->dlq_source_arn = attr_dup(m, "DeadLetterQueueSourceArn");
    if (mattrs) {
        m->mattrs = xcalloc((size_t)cJSON_GetArraySize(mattrs) + 1, sizeof(*m->mattrs));
        cJSON_ArrayForEach(a, mattrs) {
            /* counted before parsing, so a half-parsed attribute is freed with the rest */
            if (parse_msg_attr(a->string ? a->string : "", a, &m->mattrs[m->nmattrs++],
                               err) < 0)
                return -1;
        }
    }
    return 0;
}

int sqs_receive_message_parse(const struct aws_response *resp, struct sqs_message_list *out,
                              struct aws_error *err)
{
    struct sqs_message_list l = { 0 };
    cJSON *root;

    memset(out, 0, sizeof(*out));
    root = proto_json_parse(resp->body.data, resp->body.len, err);
    if (!root || proto_json_items(root, "Messages", sizeof(*l.msgs), parse_message, "message",
                                  &l.msgs, &l.n, err) < 0)
        goto fail;
    cJSON_Delete(root);
    *out = l;
    return 0;
fail:
    cJSON_Delete(root);
    sqs_message_list_free(&l);
    proto_error_response(err, resp, "SQS ReceiveMessage");
    return -1;
}

/* ---- visibility and delete ---- */

void sqs_change_message_visibility_request(struct aws_request *r, const char *queue_url,
                                           const char *receipt_handle, int visibility_timeout)
{
    cJSON *body = cJSON_CreateObject();

    cJSON_AddStringToObject(body, "QueueUrl", queue_url ? queue_url : "");
    cJSON_AddStringToObject(body, "ReceiptHandle", receipt_handle ? receipt_handle : "");
    cJSON_AddNumberToObject(body, "VisibilityTimeout", clamp(visibility_timeout, 0, 43200));
    sqs_write(r, "ChangeMessageVisibility", body);
}

void sqs_delete_message_request(struct aws_request *r, const char *queue_url,
                                const char *receipt_handle)
{
    cJSON *body = cJSON_CreateObject();

    cJSON_AddStringToObject(body, "QueueUrl", queue_url ? queue_url : "");
    cJSON_AddStringToObject(body, "ReceiptHandle", receipt_handle ? receipt_handle : "");
    sqs_write(r, "DeleteMessage", body);
}

static void handle_batch(struct aws_request *r, const char *action, const char *queue_url,
                         const struct sqs_batch_entry *e, size_t n, bool visibility)
{
    cJSON *body = cJSON_CreateObject();
    cJSON *entries;

    cJSON_AddStringToObject(body, "QueueUrl", queue_url ? queue_url : "");
    entries = cJSON_AddArrayToObject(body, "Entries");
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "Id", e[i].id ? e[i].id : "");
        cJSON_AddStringToObject(o, "ReceiptHandle", e[i].receipt_handle ? e[i].receipt_handle
                                                                        : "");
        if (visibility)
            cJSON_AddNumberToObject(o, "VisibilityTimeout",
                                    clamp(e[i].visibility_timeout, 0, 43200));
        cJSON_AddItemToArray(entries, o);
    }
    sqs_write(r, action, body);
}

void sqs_change_message_visibility_batch_request(struct aws_request *r, const char *queue_url,
                                                 const struct sqs_batch_entry *e, size_t n)
{
    handle_batch(r, "ChangeMessageVisibilityBatch", queue_url, e, n, true);
}

void sqs_delete_message_batch_request(struct aws_request *r, const char *queue_url,
                                      const struct sqs_batch_entry *e, size_t n)
{
    handle_batch(r, "DeleteMessageBatch", queue_url, e, n, false);
}

static void failures_free(struct sqs_batch_failure *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(f[i].id);
        free(f[i].code);
        free(f[i].message);
    }
    free(f);
}

void sqs_batch_result_free(struct sqs_batch_result *b)
{
    for (size_t i = 0; i < b->nok; i++)
        free(b->ok_ids[i]);
    free(b->ok_ids);
    failures_free(b->failed, b->nfailed);
    memset(b, 0, sizeof(*b));
}

/* One of "Failed": {"Id", "SenderFault", "Code", "Message"}; Id and Code are required. */
static int parse_failure(const cJSON *o, void *out, struct aws_error *err)
{
    struct sqs_batch_failure *f = out;

    if (proto_json_required(o, "Id", &f->id, err) < 0 ||
        proto_json_required(o, "Code", &f->code, err) < 0 ||
        proto_json_strdup(o, "Message", &f->message, err) < 0 ||
        proto_json_bool_or_string(o, "SenderFault", &f->sender_fault, err) < 0)
        return -1;
    return 0;
}

static int parse_failures(const cJSON *root, struct sqs_batch_failure **out, size_t *n,
                          struct aws_error *err)
{
    return proto_json_items(root, "Failed", sizeof(**out), parse_failure, "Failed entry", out,
                            n, err);
}

/* One of "Successful" in a visibility or delete batch: its Id, into a char * slot. */
static int parse_ok_id(const cJSON *o, void *out, struct aws_error *err)
{
    return proto_json_required(o, "Id", out, err);
}

int sqs_batch_parse(const struct aws_response *resp, const char *action,
                    struct sqs_batch_result *out, struct aws_error *err)
{
    struct sqs_batch_result b = { 0 };
    cJSON *root;
    char ctx[80];

    memset(out, 0, sizeof(*out));
    root = proto_json_parse(resp->body.data, resp->body.len, err);
    if (!root ||
        proto_json_items(root, "Successful", sizeof(char *), parse_ok_id, "Successful entry",
                         &b.ok_ids, &b.nok, err) < 0 ||
        parse_failures(root, &b.failed, &b.nfailed, err) < 0)
        goto fail;
    cJSON_Delete(root);
    *out = b;
    return 0;
fail:
    cJSON_Delete(root);
    sqs_batch_result_free(&b);
    snprintf(ctx, sizeof(ctx), "SQS %s", action ? action : "batch");
    proto_error_response(err, resp, ctx);
    return -1;
}

/* ---- SendMessage ---- */

/* {"name": {"DataType": ..., "StringValue" | "BinaryValue": ...}, ...} */
static void add_msg_attrs(cJSON *o, const struct sqs_msg_attr_in *a, size_t n)
{
    cJSON *map;

    if (!n)
        return;
    map = cJSON_AddObjectToObject(o, "MessageAttributes");
    for (size_t i = 0; i < n; i++) {
        cJSON *v = cJSON_CreateObject();
        const char *type = a[i].data_type ? a[i].data_type : "String";
        cJSON_AddStringToObject(v, "DataType", type);
        if (strncmp(type, "Binary", 6) == 0) {
            char *b = proto_base64_encode(a[i].binary, a[i].binary ? a[i].binary_len : 0);
            cJSON_AddStringToObject(v, "BinaryValue", b);
            free(b);
        } else {
            cJSON_AddStringToObject(v, "StringValue", a[i].string_value ? a[i].string_value
                                                                        : "");
        }
        cJSON_AddItemToObject(map, a[i].name ? a[i].name : "", v);
    }
}

static cJSON *send_entry(const struct sqs_send_params *p, bool batch)
{
    cJSON *o = cJSON_CreateObject();

    if (batch)
        cJSON_AddStringToObject(o, "Id", p->id ? p->id : "");
    else
        cJSON_AddStringToObject(o, "QueueUrl", p->queue_url ? p->queue_url : "");
    cJSON_AddStringToObject(o, "MessageBody", p->body ? p->body : "");
    /* not clamped: a delay SQS refuses is the caller's to hear about (per entry in a batch) */
    if (p->delay_seconds >= 0)
        cJSON_AddNumberToObject(o, "DelaySeconds", p->delay_seconds);
    add_msg_attrs(o, p->attrs, p->nattrs);
    if (p->group_id)
        cJSON_AddStringToObject(o, "MessageGroupId", p->group_id);
    if (p->dedup_id)
        cJSON_AddStringToObject(o, "MessageDeduplicationId", p->dedup_id);
    return o;
}

void sqs_send_message_request(struct aws_request *r, const struct sqs_send_params *p)
{
    sqs_write(r, "SendMessage", send_entry(p, false));
}

void sqs_send_message_batch_request(struct aws_request *r, const char *queue_url,
                                    const struct sqs_send_params *entries, size_t n)
{
    cJSON *body = cJSON_CreateObject();
    cJSON *arr;

    cJSON_AddStringToObject(body, "QueueUrl", queue_url ? queue_url : "");
    arr = cJSON_AddArrayToObject(body, "Entries");
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, send_entry(&entries[i], true));
    sqs_write(r, "SendMessageBatch", body);
}

void sqs_sent_free(struct sqs_sent *s)
{
    free(s->id);
    free(s->message_id);
    free(s->md5_of_body);
    free(s->md5_of_attrs);
    free(s->sequence_number);
    memset(s, 0, sizeof(*s));
}

void sqs_send_batch_result_free(struct sqs_send_batch_result *b)
{
    for (size_t i = 0; i < b->nok; i++)
        sqs_sent_free(&b->ok[i]);
    free(b->ok);
    failures_free(b->failed, b->nfailed);
    memset(b, 0, sizeof(*b));
}

static int parse_sent(const cJSON *o, bool batch, struct sqs_sent *s, struct aws_error *err)
{
    if ((batch && proto_json_required(o, "Id", &s->id, err) < 0) ||
        proto_json_required(o, "MessageId", &s->message_id, err) < 0 ||
        proto_json_strdup(o, "MD5OfMessageBody", &s->md5_of_body, err) < 0 ||
        proto_json_strdup(o, "MD5OfMessageAttributes", &s->md5_of_attrs, err) < 0 ||
        proto_json_strdup(o, "SequenceNumber", &s->sequence_number, err) < 0)
        return -1;
    return 0;
}

int sqs_send_message_parse(const struct aws_response *resp, struct sqs_sent *out,
                           struct aws_error *err)
{
    cJSON *root;

    memset(out, 0, sizeof(*out));
    root = proto_json_parse(resp->body.data, resp->body.len, err);
    if (!root || parse_sent(root, false, out, err) < 0) {
        cJSON_Delete(root);
        sqs_sent_free(out);
        proto_error_response(err, resp, "SQS SendMessage");
        return -1;
    }
    cJSON_Delete(root);
    return 0;
}

static int parse_sent_entry(const cJSON *o, void *out, struct aws_error *err)
{
    return parse_sent(o, true, out, err);
}

int sqs_send_message_batch_parse(const struct aws_response *resp,
                                 struct sqs_send_batch_result *out, struct aws_error *err)
{
    struct sqs_send_batch_result b = { 0 };
    cJSON *root;

    memset(out, 0, sizeof(*out));
    root = proto_json_parse(resp->body.data, resp->body.len, err);
    if (!root ||
        proto_json_items(root, "Successful", sizeof(*b.ok), parse_sent_entry, "Successful entry",
                         &b.ok, &b.nok, err) < 0 ||
        parse_failures(root, &b.failed, &b.nfailed, err) < 0)
        goto fail;
    cJSON_Delete(root);
    *out = b;
    return 0;
fail:
    cJSON_Delete(root);
    sqs_send_batch_result_free(&b);
    proto_error_response(err, resp, "SQS SendMessageBatch");
    return -1;
}
