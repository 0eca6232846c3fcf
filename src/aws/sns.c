/* sns.c - Amazon SNS requests (query protocol) and XML responses. */
#include "config.h"
#include "aws/sns.h"
#include "core/proto.h"
#include "util/xalloc.h"
#include "core/xmlutil.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SNS_VERSION "2010-03-31"

void sns_list_topics_request(struct aws_request *r, const char *next_token)
{
    aws_request_init(r, "sns", "ListTopics", "POST");
    proto_query_request(r, "ListTopics", SNS_VERSION, NULL);
    if (next_token && *next_token)
        proto_query_add(r, "NextToken", next_token);
}

void sns_get_topic_attributes_request(struct aws_request *r, const char *topic_arn)
{
    aws_request_init(r, "sns", "GetTopicAttributes", "POST");
    proto_query_request(r, "GetTopicAttributes", SNS_VERSION, "TopicArn", topic_arn, NULL);
}

void sns_list_subscriptions_by_topic_request(struct aws_request *r, const char *topic_arn,
                                             const char *next_token)
{
    aws_request_init(r, "sns", "ListSubscriptionsByTopic", "POST");
    proto_query_request(r, "ListSubscriptionsByTopic", SNS_VERSION, "TopicArn", topic_arn, NULL);
    if (next_token && *next_token)
        proto_query_add(r, "NextToken", next_token);
}

void sns_topic_list_free(struct sns_topic_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->arns[i]);
    free(l->arns);
    free(l->next_token);
    memset(l, 0, sizeof(*l));
}

void sns_topic_attrs_free(struct sns_topic_attrs *a)
{
    free(a->arn);
    free(a->name);
    kv_free_array(a->attrs, a->nattrs);
    free(a->display_name);
    free(a->delivery_policy);
    free(a->effective_delivery_policy);
    free(a->kms_master_key_id);
    memset(a, 0, sizeof(*a));
}

void sns_subscription_list_free(struct sns_subscription_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct sns_subscription *s = &l->subs[i];
        free(s->arn);
        free(s->owner);
        free(s->protocol);
        free(s->endpoint);
        free(s->topic_arn);
    }
    free(l->subs);
    free(l->next_token);
    memset(l, 0, sizeof(*l));
}

char *sns_topic_name_from_arn(const char *arn)
{
    const char *colon = strrchr(arn, ':');

    return xstrdup(colon ? colon + 1 : arn);
}

const char *sns_topic_attr(const struct sns_topic_attrs *a, const char *name)
{
    return kv_get(a->attrs, a->nattrs, name);
}

static const char *const proto_prefixes[SNS_PROTO_COUNT] = {
    [SNS_PROTO_SQS] = "SQS",
    [SNS_PROTO_LAMBDA] = "Lambda",
    [SNS_PROTO_HTTP] = "HTTP",
    [SNS_PROTO_APPLICATION] = "Application",
    [SNS_PROTO_FIREHOSE] = "Firehose",
};

const char *sns_protocol_prefix(enum sns_protocol p)
{
    return p < SNS_PROTO_COUNT ? proto_prefixes[p] : "";
}

int sns_protocol_of(const char *protocol)
{
    if (!protocol)
        return -1;
    if (strcmp(protocol, "sqs") == 0)
        return SNS_PROTO_SQS;
    if (strcmp(protocol, "lambda") == 0)
        return SNS_PROTO_LAMBDA;
    if (strcmp(protocol, "http") == 0 || strcmp(protocol, "https") == 0)
        return SNS_PROTO_HTTP;
    if (strcmp(protocol, "application") == 0)
        return SNS_PROTO_APPLICATION;
    if (strcmp(protocol, "firehose") == 0)
        return SNS_PROTO_FIREHOSE;
    return -1;
}

/* NextToken: absent or empty both mean "last page". */
static void next_token(const xmlNode *result, char **out)
{
    char *t = NULL;

    if (xml_child_text(result, "NextToken", &t, NULL) == 1 && !*t) {
        free(t);
        t = NULL;
    }
    *out = t;
}


int sns_list_topics_parse(const struct aws_response *resp, struct sns_topic_list *out,
                          struct aws_error *err)
{
    struct sns_topic_list l = { 0 };
    struct proto_skips skips = { 0 };
    xmlDoc *doc;
    xmlNode *res;
    size_t i = 0;

    memset(out, 0, sizeof(*out));
    doc = xml_parse(resp->body.data, resp->body.len, err);
    if (!doc || !(res = xml_query_result(doc, "ListTopics", err)))
        goto fail;
    XML_FOREACH(m, xml_child(res, "Topics"), "member") {
        struct aws_error why;
        char *arn = NULL;
        int got = xml_child_text(m, "TopicArn", &arn, err);

        i++;
        if (got == 1 && !*arn)
            got = 0;
        if (got != 1) {
            free(arn);
            if (got == 0)
                aws_error_set(err, AWS_ERR_PARSE, "topic %zu has no TopicArn", i);
            goto fail;
        }
        aws_error_clear(&why);
        if (proto_check_len("a TopicArn", strlen(arn), PROTO_MAX_ARN, &why) < 0) {
            free(arn);      /* this topic's error, not the list's */
            proto_skips_add(&skips, &why);
            continue;
        }
        l.arns = proto_grow(l.arns, l.n, sizeof(char *));
        l.arns[l.n++] = arn;
    }
    next_token(res, &l.next_token);
    xml_free(doc);
    *out = l;
    return proto_skips_finish(&skips, "topic", "topics", resp, "SNS ListTopics", err);
fail:
    xml_free(doc);
    sns_topic_list_free(&l);
    proto_error_response(err, resp, "SNS ListTopics");
    return -1;
}

static int attr_count(const struct sns_topic_attrs *a, const char *name, int64_t *out,
                      struct aws_error *err)
{
    return proto_parse_count_attr(name, sns_topic_attr(a, name), out, err);
}

/* A string attribute, NULL when absent or empty (moto sends <value/> for an unset
 * DeliveryPolicy). */
static char *attr_dup(const struct sns_topic_attrs *a, const char *name)
{
    const char *v = sns_topic_attr(a, name);

    return v && *v ? xstrdup(v) : NULL;
}

/* <Attributes><entry><key>K</key><value>V</value></entry>...</Attributes> of a query
 * result, into (key, value) pairs; a missing <value> is "". */
static int read_entries(const xmlNode *res, struct kv **out, size_t *n, struct aws_error *err)
{
    xmlNode *attrs = xml_child(res, "Attributes");

    if (!attrs) {
        aws_error_set(err, AWS_ERR_PARSE, "no <Attributes> in the response");
        return -1;
    }
    XML_FOREACH(e, attrs, "entry") {
        char *k = NULL, *val = NULL;
        if (xml_child_text(e, "key", &k, err) != 1 || !*k) {
            free(k);
            aws_error_set(err, AWS_ERR_PARSE, "attribute entry %zu has no <key>", *n + 1);
            return -1;
        }
        switch (xml_child_text(e, "value", &val, err)) {
        case -1:        /* past the text cap: an error, never an empty value */
            free(k);
            return -1;
        case 0:
            val = xstrdup("");
            break;
        }
        if (proto_check_len(k, strlen(k), PROTO_MAX_NAME, err) < 0 ||
            proto_check_len(k, strlen(val), PROTO_MAX_ATTRIBUTE, err) < 0) {
            free(k);
            free(val);
            return -1;
        }
        *out = proto_grow(*out, *n, sizeof(struct kv));
        (*out)[*n].name = k;
        (*out)[*n].value = val;
        (*n)++;
    }
    return 0;
}

/* A "true"/"false" attribute; absent is false. */
static int bool_attr(const struct kv *attrs, size_t n, const char *name, bool *out,
                     struct aws_error *err)
{
    const char *v = kv_get(attrs, n, name);

    *out = false;
    if (v && proto_parse_bool(v, out) < 0) {
        aws_error_set(err, AWS_ERR_PARSE, "attribute %s is not true or false: '%.20s'", name, v);
        return -1;
    }
    return 0;
}

static const char *nonempty(const char *v)
{
    return v && *v ? v : NULL;
}

/* <P>SuccessFeedbackRoleArn, <P>FailureFeedbackRoleArn, <P>SuccessFeedbackSampleRate. */
static int feedback_of(struct sns_topic_attrs *a, enum sns_protocol p, struct aws_error *err)
{
    struct sns_feedback *f = &a->feedback[p];
    const char *pre = proto_prefixes[p], *rate;
    char name[64];

    snprintf(name, sizeof(name), "%sSuccessFeedbackRoleArn", pre);
    f->success_role = nonempty(sns_topic_attr(a, name));
    snprintf(name, sizeof(name), "%sFailureFeedbackRoleArn", pre);
    f->failure_role = nonempty(sns_topic_attr(a, name));
    snprintf(name, sizeof(name), "%sSuccessFeedbackSampleRate", pre);
    f->sample_rate = -1;
    rate = nonempty(sns_topic_attr(a, name));
    if (rate && proto_parse_int64(rate, 0, 100, &f->sample_rate) < 0) {
        f->sample_rate = -1;
        aws_error_set(err, AWS_ERR_PARSE, "attribute %s is not a percentage: '%.20s'", name,
                      rate);
        return -1;
    }
    return 0;
}

int sns_get_topic_attributes_parse(const struct aws_response *resp, struct sns_topic_attrs *out,
                                   struct aws_error *err)
{
    struct sns_topic_attrs a;
    xmlDoc *doc;
    xmlNode *res;

    memset(out, 0, sizeof(*out));
    memset(&a, 0, sizeof(a));
    doc = xml_parse(resp->body.data, resp->body.len, err);
    if (!doc || !(res = xml_query_result(doc, "GetTopicAttributes", err)) ||
        read_entries(res, &a.attrs, &a.nattrs, err) < 0)
        goto fail;
    if (attr_count(&a, "SubscriptionsConfirmed", &a.subs_confirmed, err) < 0 ||
        attr_count(&a, "SubscriptionsPending", &a.subs_pending, err) < 0 ||
        attr_count(&a, "SubscriptionsDeleted", &a.subs_deleted, err) < 0 ||
        bool_attr(a.attrs, a.nattrs, "FifoTopic", &a.fifo, err) < 0 ||
        bool_attr(a.attrs, a.nattrs, "ContentBasedDeduplication", &a.content_based_dedup,
                  err) < 0)
        goto fail;
    for (int p = 0; p < SNS_PROTO_COUNT; p++)
        if (feedback_of(&a, (enum sns_protocol)p, err) < 0)
            goto fail;
    a.arn = attr_dup(&a, "TopicArn");
    a.name = a.arn ? sns_topic_name_from_arn(a.arn) : NULL;
    a.display_name = attr_dup(&a, "DisplayName");
    a.delivery_policy = attr_dup(&a, "DeliveryPolicy");
    a.effective_delivery_policy = attr_dup(&a, "EffectiveDeliveryPolicy");
    a.kms_master_key_id = attr_dup(&a, "KmsMasterKeyId");
    /* enum sns_feedback_proto's bits are in enum sns_protocol's order */
    for (int p = 0; p < SNS_PROTO_COUNT; p++) {
        if (a.feedback[p].failure_role)
            a.failure_feedback |= 1u << p;
        if (a.feedback[p].success_role)
            a.success_feedback |= 1u << p;
    }
    xml_free(doc);
    *out = a;
    return 0;
fail:
    xml_free(doc);
    sns_topic_attrs_free(&a);
    proto_error_response(err, resp, "SNS GetTopicAttributes");
    return -1;
}

int sns_list_subscriptions_by_topic_parse(const struct aws_response *resp,
                                          struct sns_subscription_list *out,
                                          struct aws_error *err)
{
    struct sns_subscription_list l = { 0 };
    struct proto_skips skips = { 0 };
    xmlDoc *doc;
    xmlNode *res;

    memset(out, 0, sizeof(*out));
    doc = xml_parse(resp->body.data, resp->body.len, err);
    if (!doc || !(res = xml_query_result(doc, "ListSubscriptionsByTopic", err)))
        goto fail;
    XML_FOREACH(m, xml_child(res, "Subscriptions"), "member") {
        struct sns_subscription *s;
        struct aws_error why;

        l.subs = proto_grow(l.subs, l.n, sizeof(*l.subs));
        s = &l.subs[l.n++];
        memset(s, 0, sizeof(*s));
        if (xml_child_text(m, "SubscriptionArn", &s->arn, err) != 1 || !*s->arn) {
            aws_error_set(err, AWS_ERR_PARSE, "subscription %zu has no SubscriptionArn", l.n);
            goto fail;
        }
        xml_child_text(m, "Owner", &s->owner, err);
        xml_child_text(m, "Protocol", &s->protocol, err);
        xml_child_text(m, "Endpoint", &s->endpoint, err);
        xml_child_text(m, "TopicArn", &s->topic_arn, err);
        aws_error_clear(&why);
        if (proto_check_len("a SubscriptionArn", strlen(s->arn), PROTO_MAX_ARN, &why) < 0 ||
            proto_check_len("an Endpoint", s->endpoint ? strlen(s->endpoint) : 0,
                            PROTO_MAX_URL, &why) < 0 ||
            proto_check_len("a TopicArn", s->topic_arn ? strlen(s->topic_arn) : 0,
                            PROTO_MAX_ARN, &why) < 0) {
            /* this subscription's error, not the list's: it is dropped */
            free(s->arn);
            free(s->owner);
            free(s->protocol);
            free(s->endpoint);
            free(s->topic_arn);
            l.n--;
            proto_skips_add(&skips, &why);
            continue;
        }
        /* AWS says "PendingConfirmation"; older docs and some emulators "pending
         * confirmation". An ARN never looks like either. */
        s->pending = strcasecmp(s->arn, "PendingConfirmation") == 0 ||
                     strcasecmp(s->arn, "pending confirmation") == 0;
    }
    next_token(res, &l.next_token);
    xml_free(doc);
    *out = l;
    return proto_skips_finish(&skips, "subscription", "subscriptions", resp,
                              "SNS ListSubscriptionsByTopic", err);
fail:
    xml_free(doc);
    sns_subscription_list_free(&l);
    proto_error_response(err, resp, "SNS ListSubscriptionsByTopic");
    return -1;
}

/* ---- GetSubscriptionAttributes ---- */

void sns_get_subscription_attributes_request(struct aws_request *r, const char *subscription_arn)
{
    aws_request_init(r, "sns", "GetSubscriptionAttributes", "POST");
    proto_query_request(r, "GetSubscriptionAttributes", SNS_VERSION, "SubscriptionArn",
                        subscription_arn, NULL);
}

void sns_subscription_attrs_free(struct sns_subscription_attrs *a)
{
    kv_free_array(a->attrs, a->nattrs);
    free(a->arn);
    free(a->topic_arn);
    free(a->protocol);
    free(a->endpoint);
    free(a->owner);
    free(a->filter_policy);
    free(a->filter_policy_scope);
    free(a->redrive_dlq_arn);
    memset(a, 0, sizeof(*a));
}

static char *sub_dup(const struct sns_subscription_attrs *a, const char *name)
{
    const char *v = nonempty(kv_get(a->attrs, a->nattrs, name));

    return v ? xstrdup(v) : NULL;
}

/* The attribute must be a JSON object when set; *doc is then the parsed document. */
static int json_attr(const struct sns_subscription_attrs *a, const char *name, cJSON **doc,
                     struct aws_error *err)
{
    const char *v = nonempty(kv_get(a->attrs, a->nattrs, name));

    *doc = NULL;
    if (!v)
        return 0;
    *doc = proto_json_parse(v, strlen(v), err);
    if (!*doc) {
        proto_error_prefix(err, name);
        return -1;
    }
    return 1;
}

int sns_get_subscription_attributes_parse(const struct aws_response *resp,
                                          struct sns_subscription_attrs *out,
                                          struct aws_error *err)
{
    struct sns_subscription_attrs a;
    xmlDoc *doc;
    xmlNode *res;
    cJSON *policy = NULL, *redrive = NULL;
    int has;

    memset(out, 0, sizeof(*out));
    memset(&a, 0, sizeof(a));
    doc = xml_parse(resp->body.data, resp->body.len, err);
    if (!doc || !(res = xml_query_result(doc, "GetSubscriptionAttributes", err)) ||
        read_entries(res, &a.attrs, &a.nattrs, err) < 0)
        goto fail;
    if (bool_attr(a.attrs, a.nattrs, "PendingConfirmation", &a.pending, err) < 0 ||
        bool_attr(a.attrs, a.nattrs, "ConfirmationWasAuthenticated",
                  &a.confirmation_authenticated, err) < 0 ||
        bool_attr(a.attrs, a.nattrs, "RawMessageDelivery", &a.raw_delivery, err) < 0)
        goto fail;
    /* kept as text for display, but checked: a policy we cannot read is not "no filter" */
    if (json_attr(&a, "FilterPolicy", &policy, err) < 0 ||
        (has = json_attr(&a, "RedrivePolicy", &redrive, err)) < 0)
        goto fail;
    if (has) {
        int rc = proto_json_strdup(redrive, "deadLetterTargetArn", &a.redrive_dlq_arn, err);
        if (rc == 0 || (rc == 1 && !*a.redrive_dlq_arn))
            aws_error_set(err, AWS_ERR_PARSE, "has no deadLetterTargetArn");
        if (rc != 1 || !*a.redrive_dlq_arn) {
            proto_error_prefix(err, "RedrivePolicy");
            goto fail;
        }
        a.has_redrive = true;
    }
    a.filter_policy = sub_dup(&a, "FilterPolicy");
    a.filter_policy_scope = sub_dup(&a, "FilterPolicyScope");
    a.arn = sub_dup(&a, "SubscriptionArn");
    a.topic_arn = sub_dup(&a, "TopicArn");
    a.protocol = sub_dup(&a, "Protocol");
    a.endpoint = sub_dup(&a, "Endpoint");
    a.owner = sub_dup(&a, "Owner");
    cJSON_Delete(policy);
    cJSON_Delete(redrive);
    xml_free(doc);
    *out = a;
    return 0;
fail:
    cJSON_Delete(policy);
    cJSON_Delete(redrive);
    xml_free(doc);
    sns_subscription_attrs_free(&a);
    proto_error_response(err, resp, "SNS GetSubscriptionAttributes");
    return -1;
}

/* ---- Publish ---- */

void sns_publish_request(struct aws_request *r, const struct sns_publish_params *p)
{
    aws_request_init_mutating(r, "sns", "Publish", "POST");
    proto_query_request(r, "Publish", SNS_VERSION, "TopicArn", p->topic_arn, "Message",
                        p->message, NULL);
    if (p->subject)
        proto_query_add(r, "Subject", p->subject);
    for (size_t i = 0; i < p->nattrs; i++) {
        const struct sns_msg_attr_in *a = &p->attrs[i];
        const char *type = a->data_type ? a->data_type : "String";
        size_t n = i + 1;

        proto_query_addf(r, a->name, "MessageAttributes.entry.%zu.Name", n);
        proto_query_addf(r, type, "MessageAttributes.entry.%zu.Value.DataType", n);
        if (strcmp(type, "Binary") == 0) {
            char *b = proto_base64_encode(a->binary, a->binary ? a->binary_len : 0);
            proto_query_addf(r, b, "MessageAttributes.entry.%zu.Value.BinaryValue", n);
            free(b);
        } else {
            proto_query_addf(r, a->string_value, "MessageAttributes.entry.%zu.Value.StringValue",
                             n);
        }
    }
    if (p->group_id)
        proto_query_add(r, "MessageGroupId", p->group_id);
    if (p->dedup_id)
        proto_query_add(r, "MessageDeduplicationId", p->dedup_id);
}

void sns_published_free(struct sns_published *p)
{
    free(p->message_id);
    free(p->sequence_number);
    memset(p, 0, sizeof(*p));
}

int sns_publish_parse(const struct aws_response *resp, struct sns_published *out,
                      struct aws_error *err)
{
    struct sns_published p = { 0 };
    xmlDoc *doc;
    xmlNode *res;

    memset(out, 0, sizeof(*out));
    doc = xml_parse(resp->body.data, resp->body.len, err);
    if (!doc || !(res = xml_query_result(doc, "Publish", err)))
        goto fail;
    if (xml_child_text(res, "MessageId", &p.message_id, err) != 1 || !*p.message_id) {
        aws_error_set(err, AWS_ERR_PARSE, "no <MessageId> in the response");
        goto fail;
    }
    xml_child_text(res, "SequenceNumber", &p.sequence_number, err);
    xml_free(doc);
    *out = p;
    return 0;
fail:
    xml_free(doc);
    sns_published_free(&p);
    proto_error_response(err, resp, "SNS Publish");
    return -1;
}

/* ---- delivery-status log records ---- */

void sns_delivery_record_free(struct sns_delivery_record *r)
{
    free(r->status);
    free(r->message_id);
    free(r->topic_arn);
    free(r->timestamp);
    free(r->destination);
    free(r->provider_response);
    memset(r, 0, sizeof(*r));
}

int sns_delivery_record_parse(const char *message, struct sns_delivery_record *out,
                              struct aws_error *err)
{
    struct sns_delivery_record r = { 0 };
    const cJSON *note = NULL, *delivery = NULL;
    cJSON *doc;
    int rc;

    memset(out, 0, sizeof(*out));
    r.dwell_ms = r.attempts = -1;
    doc = proto_json_parse(message, message ? strlen(message) : 0, err);
    if (!doc || proto_json_object(doc, "notification", &note, err) < 0 ||
        proto_json_object(doc, "delivery", &delivery, err) < 0)
        goto fail;
    if (!delivery) {
        aws_error_set(err, AWS_ERR_PARSE, "no delivery object");
        goto fail;
    }
    if (proto_json_strdup(doc, "status", &r.status, err) < 0 ||
        proto_json_strdup(note, "messageId", &r.message_id, err) < 0 ||
        proto_json_strdup(note, "topicArn", &r.topic_arn, err) < 0 ||
        proto_json_strdup(note, "timestamp", &r.timestamp, err) < 0 ||
        proto_json_strdup(delivery, "destination", &r.destination, err) < 0 ||
        proto_json_strdup(delivery, "providerResponse", &r.provider_response, err) < 0 ||
        proto_json_int64(delivery, "dwellTimeMs", 0, INT64_MAX, &r.dwell_ms, err) < 0 ||
        proto_json_int64(delivery, "attempts", 0, INT32_MAX, &r.attempts, err) < 0)
        goto fail;
    rc = proto_json_int64(delivery, "statusCode", INT32_MIN, INT32_MAX, &r.status_code, err);
    if (rc < 0)
        goto fail;
    r.has_status_code = rc == 1;
    cJSON_Delete(doc);
    *out = r;
    return 0;
fail:
    cJSON_Delete(doc);
    sns_delivery_record_free(&r);
    proto_error_prefix(err, "SNS delivery record");
    return -1;
}
