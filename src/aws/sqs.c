/* sqs.c - Amazon SQS requests and responses over AWS JSON 1.0. */
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

static void sqs_request(struct aws_request *r, const char *action, cJSON *body)
{
    aws_request_init(r, "sqs", action, "POST");
    proto_json_request(r, SQS_PREFIX, action, SQS_JSON, body);
}

static void add_paging(cJSON *body, int max_results, const char *next_token)
{
    if (max_results > 0)
        cJSON_AddNumberToObject(body, "MaxResults",
                                max_results > SQS_MAX_RESULTS ? SQS_MAX_RESULTS : max_results);
    if (next_token && *next_token)
        cJSON_AddStringToObject(body, "NextToken", next_token);
}

void sqs_list_queues_request(struct aws_request *r, const struct sqs_list_queues_params *p)
{
    cJSON *body = cJSON_CreateObject();

    if (p && p->prefix && *p->prefix)
        cJSON_AddStringToObject(body, "QueueNamePrefix", p->prefix);
    if (p)
        add_paging(body, p->max_results, p->next_token);
    sqs_request(r, "ListQueues", body);
}

void sqs_list_dead_letter_source_queues_request(struct aws_request *r,
                                                const struct sqs_list_dlq_sources_params *p)
{
    cJSON *body = cJSON_CreateObject();

    cJSON_AddStringToObject(body, "QueueUrl", p->queue_url ? p->queue_url : "");
    add_paging(body, p->max_results, p->next_token);
    sqs_request(r, "ListDeadLetterSourceQueues", body);
}

void sqs_get_queue_attributes_request(struct aws_request *r, const char *queue_url)
{
    cJSON *body = cJSON_CreateObject();
    cJSON *names = cJSON_AddArrayToObject(body, "AttributeNames");

    cJSON_AddStringToObject(body, "QueueUrl", queue_url);
    cJSON_AddItemToArray(names, cJSON_CreateString("All"));
    sqs_request(r, "GetQueueAttributes", body);
}

void sqs_url_list_free(struct sqs_url_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->urls[i]);
    free(l->urls);
    free(l->next_token);
    memset(l, 0, sizeof(*l));
}

/* A queue URL whose item is refused, or NULL with why set: not a string, longer than a URL
 * may be, or a last path segment (the queue's name) longer than SQS's 80 characters. */
static const char *queue_url_item(const cJSON *it, struct aws_error *why)
{
    const char *url, *name;
    size_t len;

    if (!cJSON_IsString(it) || !it->valuestring) {
        aws_error_set(why, AWS_ERR_PARSE, "an item is not a string");
        return NULL;
    }
    url = it->valuestring;
    len = strlen(url);
    if (proto_check_len("a queue URL", len, PROTO_MAX_URL, why) < 0)
        return NULL;
    name = strrchr(url, '/');
    name = name ? name + 1 : url;
    if (proto_utf8_chars(name, strlen(name)) > PROTO_MAX_QUEUE_NAME) {
        aws_error_set(why, AWS_ERR_PARSE, "a queue name is %zu characters, past the %d AWS "
                      "allows", proto_utf8_chars(name, strlen(name)), PROTO_MAX_QUEUE_NAME);
        return NULL;
    }
    return url;
}

/* The URLs of an array; an item that is not a queue URL is skipped and noted. */
static void string_array(const cJSON *arr, char ***out, size_t *n, struct proto_skips *skips)
{
    size_t count = (size_t)cJSON_GetArraySize(arr);
    const cJSON *it;

    *out = xcalloc(count ? count : 1, sizeof(char *));
    *n = 0;
    cJSON_ArrayForEach(it, arr) {
        struct aws_error why;
        const char *url;

        aws_error_clear(&why);
        if ((url = queue_url_item(it, &why)))
            (*out)[(*n)++] = xstrdup(url);
        else
            proto_skips_add(skips, &why);
    }
}

/* ListQueues answers "QueueUrls"; ListDeadLetterSourceQueues answers "queueUrls" (lower
 * case q, as in AWS's own model). Both may be absent when there is nothing. */
static int parse_url_list(const struct aws_response *resp, const char *action,
                          const char *member, struct sqs_url_list *out, struct aws_error *err)
{
    cJSON *root;
    const cJSON *arr = NULL;
    const char *tok = NULL;
    struct sqs_url_list l = { 0 };
    struct proto_skips skips = { 0 };
    char ctx[96];

    memset(out, 0, sizeof(*out));
    snprintf(ctx, sizeof(ctx), "SQS %s", action);
    root = proto_json_parse(resp->body.data, resp->body.len, err);
    if (!root)
        goto fail;
    if (proto_json_array(root, member, &arr, err) < 0 ||
        proto_json_string(root, "NextToken", &tok, err) < 0)
        goto fail;
    if (arr)
        string_array(arr, &l.urls, &l.n, &skips);
    if (tok && *tok)
        l.next_token = xstrdup(tok);
    cJSON_Delete(root);
    *out = l;
    return proto_skips_finish(&skips, "queue URL", "queue URLs", resp, ctx, err);
fail:
    cJSON_Delete(root);
    sqs_url_list_free(&l);
    proto_error_response(err, resp, ctx);
    return -1;
}

int sqs_list_queues_parse(const struct aws_response *resp, struct sqs_url_list *out,
                          struct aws_error *err)
{
    return parse_url_list(resp, "ListQueues", "QueueUrls", out, err);
}

int sqs_list_dead_letter_source_queues_parse(const struct aws_response *resp,
                                             struct sqs_url_list *out, struct aws_error *err)
{
    return parse_url_list(resp, "ListDeadLetterSourceQueues", "queueUrls", out, err);
}

char *sqs_queue_name_from_url(const char *url)
{
    const char *end = url + strlen(url);
    const char *slash;

    /* tolerate a trailing '/' */
    while (end > url && end[-1] == '/')
        end--;
    slash = end;
    while (slash > url && slash[-1] != '/')
        slash--;
    return xstrndup(slash, (size_t)(end - slash));
}

const char *sqs_queue_attr(const struct sqs_queue_attrs *a, const char *name)
{
    for (size_t i = 0; i < a->nattrs; i++)
        if (strcmp(a->attrs[i].name, name) == 0)
            return a->attrs[i].value;
    return NULL;
}

void sqs_queue_attrs_free(struct sqs_queue_attrs *a)
{
    free(a->url);
    free(a->name);
    free(a->arn);
    for (size_t i = 0; i < a->nattrs; i++) {
        free(a->attrs[i].name);
        free(a->attrs[i].value);
    }
    free(a->attrs);
    free(a->dlq_arn);
    free(a->redrive_permission);
    for (size_t i = 0; i < a->nsource_queue_arns; i++)
        free(a->source_queue_arns[i]);
    free(a->source_queue_arns);
    memset(a, 0, sizeof(*a));
}

/* Counters and durations: a non-negative integer string. */
static int attr_count(const struct sqs_queue_attrs *a, const char *name, int64_t *out,
                      struct aws_error *err)
{
    return proto_parse_count_attr(name, sqs_queue_attr(a, name), out, err);
}

/* Timestamps are epoch seconds; AWS sends integers, moto sends "1795603004.238532". The
 * fraction is dropped (after checking it is digits). */
static int attr_epoch(const struct sqs_queue_attrs *a, const char *name, int64_t *out,
                      struct aws_error *err)
{
    const char *v = sqs_queue_attr(a, name);
    const char *dot;
    char *whole;
    int rc = 0;

    *out = -1;
    if (!v)
        return 0;
    dot = strchr(v, '.');
    whole = dot ? xstrndup(v, (size_t)(dot - v)) : xstrdup(v);
    if (proto_parse_int64(whole, 0, INT64_MAX, out) < 0 ||
        (dot && (!dot[1] || strspn(dot + 1, "0123456789") != strlen(dot + 1)))) {
        *out = -1;
        aws_error_set(err, AWS_ERR_PARSE, "attribute %s is not a timestamp: '%.40s'", name, v);
        rc = -1;
    }
    free(whole);
    return rc;
}

static int attr_bool(const struct sqs_queue_attrs *a, const char *name, bool *out,
                     struct aws_error *err)
{
    const char *v = sqs_queue_attr(a, name);

    *out = false;
    if (!v)
        return 0;
    if (proto_parse_bool(v, out) < 0) {
        aws_error_set(err, AWS_ERR_PARSE, "attribute %s is not true or false: '%.40s'", name, v);
        return -1;
    }
    return 0;
}

/* RedrivePolicy: {"deadLetterTargetArn": "...", "maxReceiveCount": 5 or "5"}. */
static int parse_redrive(struct sqs_queue_attrs *a, const char *text, struct aws_error *err)
{
    cJSON *doc = proto_json_parse(text, strlen(text), err);
    const char *arn = NULL, *mrc_str = NULL;
    const cJSON *mrc;
    int rc = -1;

    if (!doc)
        goto done;
    if (proto_json_string(doc, "deadLetterTargetArn", &arn, err) < 0)
        goto done;
    if (!arn || !*arn) {
        aws_error_set(err, AWS_ERR_PARSE, "has no deadLetterTargetArn");
        goto done;
    }
    a->max_receive_count = -1;
    mrc = cJSON_GetObjectItemCaseSensitive(doc, "maxReceiveCount");
    if (cJSON_IsString(mrc)) {
        if (proto_json_string(doc, "maxReceiveCount", &mrc_str, err) < 0 ||
            proto_parse_int64(mrc_str, 0, INT32_MAX, &a->max_receive_count) < 0) {
            aws_error_set(err, AWS_ERR_PARSE, "maxReceiveCount is not a count: '%.20s'",
                          mrc_str ? mrc_str : "");
            goto done;
        }
    } else if (proto_json_int64(doc, "maxReceiveCount", 0, INT32_MAX, &a->max_receive_count,
                                err) < 0) {
        goto done;
    }
    a->has_redrive = true;
    a->dlq_arn = xstrdup(arn);
    rc = 0;
done:
    cJSON_Delete(doc);
    return rc;
}

/* sourceQueueArns: strings of at most an ARN's length; -1 with err for any other (one queue's
 * attributes, so the error is that queue's, not the list's). */
static int arn_array(const cJSON *arr, char ***out, size_t *n, struct aws_error *err)
{
    size_t count = (size_t)cJSON_GetArraySize(arr), i = 0;
    const cJSON *it;

    *out = xcalloc(count ? count : 1, sizeof(char *));
    *n = 0;
    cJSON_ArrayForEach(it, arr) {
        if (!cJSON_IsString(it) || !it->valuestring) {
            aws_error_set(err, AWS_ERR_PARSE, "'sourceQueueArns' item %zu is not a string", i);
            return -1;
        }
        if (proto_check_len("a source queue ARN", strlen(it->valuestring), PROTO_MAX_ARN,
                            err) < 0)
            return -1;
        (*out)[(*n)++] = xstrdup(it->valuestring);
        i++;
    }
    return 0;
}

/* RedriveAllowPolicy: {"redrivePermission": "byQueue", "sourceQueueArns": [...]}. */
static int parse_redrive_allow(struct sqs_queue_attrs *a, const char *text, struct aws_error *err)
{
    cJSON *doc = proto_json_parse(text, strlen(text), err);
    const char *perm = NULL;
    const cJSON *arns = NULL;
    int rc = -1;

    if (!doc)
        goto done;
    if (proto_json_string(doc, "redrivePermission", &perm, err) < 0 ||
        proto_json_array(doc, "sourceQueueArns", &arns, err) < 0)
        goto done;
    if (arns && arn_array(arns, &a->source_queue_arns, &a->nsource_queue_arns, err) < 0)
        goto done;
    a->has_redrive_allow = true;
    a->redrive_permission = perm ? xstrdup(perm) : NULL;
    rc = 0;
done:
    cJSON_Delete(doc);
    return rc;
}

int sqs_get_queue_attributes_parse(const struct aws_response *resp, const char *queue_url,
                                   struct sqs_queue_attrs *out, struct aws_error *err)
{
    struct sqs_queue_attrs a;
    cJSON *root;
    const cJSON *attrs = NULL, *it;
    const char *v;

    memset(out, 0, sizeof(*out));
    memset(&a, 0, sizeof(a));
    root = proto_json_parse(resp->body.data, resp->body.len, err);
    if (!root)
        goto fail;
    if (proto_json_object(root, "Attributes", &attrs, err) < 0)
        goto fail;
    if (!attrs) {
        aws_error_set(err, AWS_ERR_PARSE, "no Attributes object in the response");
        goto fail;
    }
    a.attrs = xcalloc((size_t)cJSON_GetArraySize(attrs) + 1, sizeof(struct kv));
    cJSON_ArrayForEach(it, attrs) {
        /* SQS attributes are a map<string,string>: a number here means a changed protocol
         * or a broken server, not something to guess about. */
        if (!cJSON_IsString(it) || !it->valuestring) {
            aws_error_set(err, AWS_ERR_PARSE, "attribute %.64s is not a string",
                          it->string ? it->string : "?");
            goto fail;
        }
        if (proto_check_len("an attribute name", strlen(it->string ? it->string : ""),
                            PROTO_MAX_NAME, err) < 0 ||
            proto_check_len(it->string, strlen(it->valuestring), PROTO_MAX_ATTRIBUTE, err) < 0)
            goto fail;
        a.attrs[a.nattrs].name = xstrdup(it->string ? it->string : "");
        a.attrs[a.nattrs].value = xstrdup(it->valuestring);
        a.nattrs++;
    }
    if (attr_count(&a, "ApproximateNumberOfMessages", &a.visible, err) < 0 ||
        attr_count(&a, "ApproximateNumberOfMessagesNotVisible", &a.not_visible, err) < 0 ||
        attr_count(&a, "ApproximateNumberOfMessagesDelayed", &a.delayed, err) < 0 ||
        attr_count(&a, "VisibilityTimeout", &a.visibility_timeout, err) < 0 ||
        attr_count(&a, "MessageRetentionPeriod", &a.retention_period, err) < 0 ||
        attr_count(&a, "DelaySeconds", &a.delay_seconds, err) < 0 ||
        attr_count(&a, "MaximumMessageSize", &a.max_message_size, err) < 0 ||
        attr_epoch(&a, "CreatedTimestamp", &a.created, err) < 0 ||
        attr_epoch(&a, "LastModifiedTimestamp", &a.last_modified, err) < 0 ||
        attr_bool(&a, "FifoQueue", &a.fifo, err) < 0 ||
        attr_bool(&a, "ContentBasedDeduplication", &a.content_based_dedup, err) < 0)
        goto fail;
    a.max_receive_count = -1;
    if ((v = sqs_queue_attr(&a, "RedrivePolicy")) && *v && parse_redrive(&a, v, err) < 0) {
        proto_error_prefix(err, "attribute RedrivePolicy");
        goto fail;
    }
    if ((v = sqs_queue_attr(&a, "RedriveAllowPolicy")) && *v &&
        parse_redrive_allow(&a, v, err) < 0) {
        proto_error_prefix(err, "attribute RedriveAllowPolicy");
        goto fail;
    }
    if ((v = sqs_queue_attr(&a, "QueueArn"))) {
        if (proto_check_len("QueueArn", strlen(v), PROTO_MAX_ARN, err) < 0)
            goto fail;
        a.arn = xstrdup(v);
    }
    a.url = xstrdup(queue_url ? queue_url : "");
    a.name = sqs_queue_name_from_url(a.url);
    cJSON_Delete(root);
    *out = a;
    return 0;
fail:
    cJSON_Delete(root);
    sqs_queue_attrs_free(&a);
    proto_error_response(err, resp, "SQS GetQueueAttributes");
    return -1;
}

void sqs_list_queue_tags_request(struct aws_request *r, const char *queue_url)
{
    cJSON *body = cJSON_CreateObject();

    cJSON_AddStringToObject(body, "QueueUrl", queue_url ? queue_url : "");
    sqs_request(r, "ListQueueTags", body);
}

void sqs_tag_list_free(struct sqs_tag_list *t)
{
    kv_free_array(t->tags, t->n);
    memset(t, 0, sizeof(*t));
}

int sqs_list_queue_tags_parse(const struct aws_response *resp, struct sqs_tag_list *out,
                              struct aws_error *err)
{
    struct sqs_tag_list l = { 0 };
    struct proto_skips skips = { 0 };
    const cJSON *tags = NULL, *it;
    cJSON *root;

    memset(out, 0, sizeof(*out));
    root = proto_json_parse(resp->body.data, resp->body.len, err);
    if (!root || proto_json_object(root, "Tags", &tags, err) < 0)
        goto fail;
    if (tags) {
        l.tags = xcalloc((size_t)cJSON_GetArraySize(tags) + 1, sizeof(struct kv));
        cJSON_ArrayForEach(it, tags) {
            /* tags are map<string,string>: anything else is a broken answer, not a guess */
            if (!cJSON_IsString(it) || !it->valuestring || !it->string) {
                aws_error_set(err, AWS_ERR_PARSE, "tag %.64s is not a string",
                              it->string ? it->string : "?");
                goto fail;
            }
            struct aws_error why;

            aws_error_clear(&why);
            if (proto_check_len("a tag key", strlen(it->string), PROTO_MAX_TAG_KEY, &why) < 0 ||
                proto_check_len("a tag value", strlen(it->valuestring), PROTO_MAX_TAG_VALUE,
                                &why) < 0) {
                proto_skips_add(&skips, &why);  /* that tag's error, not the others' */
                continue;
            }
            l.tags[l.n].name = xstrdup(it->string);
            l.tags[l.n].value = xstrdup(it->valuestring);
            l.n++;
        }
    }
    cJSON_Delete(root);
    *out = l;
    return proto_skips_finish(&skips, "tag", "tags", resp, "SQS ListQueueTags", err);
fail:
    cJSON_Delete(root);
    sqs_tag_list_free(&l);
    proto_error_response(err, resp, "SQS ListQueueTags");
    return -1;
}

/* ---- GetQueueUrl ---- */

void sqs_get_queue_url_request(struct aws_request *r, const char *queue_name,
                               const char *owner_account)
{
    cJSON *body = cJSON_CreateObject();

    cJSON_AddStringToObject(body, "QueueName", queue_name ? queue_name : "");
    if (owner_account && *owner_account)
        cJSON_AddStringToObject(body, "QueueOwnerAWSAccountId", owner_account);
    sqs_request(r, "GetQueueUrl", body);
}

/* One required, non-empty string member of a small answer; ctx names the action. */
static int parse_one_string(const struct aws_response *resp, const char *ctx,
                            const char *key, char **out, struct aws_error *err)
{
    cJSON *root;
    int rc;

    *out = NULL;
    root = proto_json_parse(resp->body.data, resp->body.len, err);
    rc = root ? proto_json_strdup(root, key, out, err) : -1;

    cJSON_Delete(root);
    if (rc == 0 || (rc == 1 && !**out)) {
        aws_error_set(err, AWS_ERR_PARSE, "no %s in the response", key);
        rc = -1;
    }
    if (rc < 0) {
        free(*out);
        *out = NULL;
        proto_error_response(err, resp, ctx);
        return -1;
    }
    return 0;
}

int sqs_get_queue_url_parse(const struct aws_response *resp, char **url, struct aws_error *err)
{
    return parse_one_string(resp, "SQS GetQueueUrl", "QueueUrl", url, err);
}

/* ---- PurgeQueue and the message move tasks ---- */

static void sqs_write(struct aws_request *r, const char *action, cJSON *body)
{
    aws_request_init_mutating(r, "sqs", action, "POST");
    proto_json_request(r, SQS_PREFIX, action, SQS_JSON, body);
}

void sqs_purge_queue_request(struct aws_request *r, const char *queue_url)
{
    cJSON *body = cJSON_CreateObject();

    cJSON_AddStringToObject(body, "QueueUrl", queue_url ? queue_url : "");
    sqs_write(r, "PurgeQueue", body);
}

void sqs_start_message_move_task_request(struct aws_request *r,
                                         const struct sqs_move_params *p)
{
    cJSON *body = cJSON_CreateObject();

    cJSON_AddStringToObject(body, "SourceArn", p->source_arn ? p->source_arn : "");
    if (p->destination_arn && *p->destination_arn)
        cJSON_AddStringToObject(body, "DestinationArn", p->destination_arn);
    if (p->max_per_second > 0)
        cJSON_AddNumberToObject(body, "MaxNumberOfMessagesPerSecond",
                                p->max_per_second > 500 ? 500 : p->max_per_second);
    sqs_write(r, "StartMessageMoveTask", body);
}

int sqs_start_message_move_task_parse(const struct aws_response *resp, char **task_handle,
                                      struct aws_error *err)
{
    return parse_one_string(resp, "SQS StartMessageMoveTask", "TaskHandle", task_handle, err);
}

void sqs_list_message_move_tasks_request(struct aws_request *r, const char *source_arn,
                                         int max_results)
{
    cJSON *body = cJSON_CreateObject();

    cJSON_AddStringToObject(body, "SourceArn", source_arn ? source_arn : "");
    if (max_results > 0)
        cJSON_AddNumberToObject(body, "MaxResults", max_results > 10 ? 10 : max_results);
    sqs_request(r, "ListMessageMoveTasks", body);
}

void sqs_move_task_list_free(struct sqs_move_task_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct sqs_move_task *t = &l->tasks[i];
        free(t->task_handle);
        free(t->status);
        free(t->source_arn);
        free(t->destination_arn);
        free(t->failure_reason);
    }
    free(l->tasks);
    memset(l, 0, sizeof(*l));
}

static int parse_move_task(const cJSON *o, void *out, struct aws_error *err)
{
    struct sqs_move_task *t = out;

    t->max_per_second = t->moved = t->to_move = t->started_ms = -1;
    if (proto_json_required(o, "Status", &t->status, err) < 0 ||
        proto_json_strdup(o, "TaskHandle", &t->task_handle, err) < 0 ||
        proto_json_strdup(o, "SourceArn", &t->source_arn, err) < 0 ||
        proto_json_strdup(o, "DestinationArn", &t->destination_arn, err) < 0 ||
        proto_json_strdup(o, "FailureReason", &t->failure_reason, err) < 0 ||
        proto_json_int64(o, "MaxNumberOfMessagesPerSecond", 0, INT32_MAX, &t->max_per_second,
                         err) < 0 ||
        proto_json_int64(o, "ApproximateNumberOfMessagesMoved", 0, INT64_MAX, &t->moved,
                         err) < 0 ||
        proto_json_int64(o, "ApproximateNumberOfMessagesToMove", 0, INT64_MAX, &t->to_move,
                         err) < 0 ||
        proto_json_int64(o, "StartedTimestamp", 0, INT64_MAX, &t->started_ms, err) < 0)
        return -1;
    return 0;
}

int sqs_list_message_move_tasks_parse(const struct aws_response *resp,
                                      struct sqs_move_task_list *out, struct aws_error *err)
{
    cJSON *root;

    memset(out, 0, sizeof(*out));
    root = proto_json_parse(resp->body.data, resp->body.len, err);
    if (!root || proto_json_items(root, "Results", sizeof(*out->tasks), parse_move_task, "task",
                                  &out->tasks, &out->n, err) < 0) {
        cJSON_Delete(root);
        sqs_move_task_list_free(out);
        proto_error_response(err, resp, "SQS ListMessageMoveTasks");
        return -1;
    }
    cJSON_Delete(root);
    return 0;
}

void sqs_cancel_message_move_task_request(struct aws_request *r, const char *task_handle)
{
    cJSON *body = cJSON_CreateObject();

    cJSON_AddStringToObject(body, "TaskHandle", task_handle ? task_handle : "");
    sqs_write(r, "CancelMessageMoveTask", body);
}

int sqs_cancel_message_move_task_parse(const struct aws_response *resp, int64_t *moved,
                                       struct aws_error *err)
{
    cJSON *root = proto_json_parse(resp->body.data, resp->body.len, err);
    int rc = root ? proto_json_int64(root, "ApproximateNumberOfMessagesMoved", 0, INT64_MAX,
                                     moved, err)
                  : -1;

    if (rc != 1)
        *moved = -1;
    cJSON_Delete(root);
    if (rc < 0) {
        proto_error_response(err, resp, "SQS CancelMessageMoveTask");
        return -1;
    }
    return 0;
}
