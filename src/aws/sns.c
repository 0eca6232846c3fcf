/* sns.c - Amazon SNS requests (query protocol) and XML responses. */
#include "config.h"
#include "aws/sns.h"
#include "core/proto.h"
#include "util/xalloc.h"
#include "core/xmlutil.h"

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
    for (size_t i = 0; i < a->nattrs; i++)
        if (strcmp(a->attrs[i].name, name) == 0)
            return a->attrs[i].value;
    return NULL;
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
    xmlDoc *doc;
    xmlNode *res;

    memset(out, 0, sizeof(*out));
    doc = xml_parse(resp->body.data, resp->body.len, err);
    if (!doc || !(res = xml_query_result(doc, "ListTopics", err)))
        goto fail;
    XML_FOREACH(m, xml_child(res, "Topics"), "member") {
        char *arn = NULL;
        int got = xml_child_text(m, "TopicArn", &arn, err);
        if (got == 1 && !*arn)
            got = 0;
        if (got == 1 && proto_check_len("TopicArn", strlen(arn), PROTO_MAX_ARN, err) < 0)
            got = -1;
        if (got != 1) {
            free(arn);
            if (got == 0)
                aws_error_set(err, AWS_ERR_PARSE, "topic %zu has no TopicArn", l.n + 1);
            goto fail;
        }
        l.arns = proto_grow(l.arns, l.n, sizeof(char *));
        l.arns[l.n++] = arn;
    }
    next_token(res, &l.next_token);
    xml_free(doc);
    *out = l;
    return 0;
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

static unsigned feedback_bits(const struct sns_topic_attrs *a, const char *kind)
{
    static const struct {
        const char *proto;
        unsigned bit;
    } protos[] = {
        { "SQS", SNS_FEEDBACK_SQS },
        { "Lambda", SNS_FEEDBACK_LAMBDA },
        { "HTTP", SNS_FEEDBACK_HTTP },
        { "Application", SNS_FEEDBACK_APPLICATION },
        { "Firehose", SNS_FEEDBACK_FIREHOSE },
    };
    unsigned bits = 0;
    char name[64];

    for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
        const char *v;
        snprintf(name, sizeof(name), "%s%sFeedbackRoleArn", protos[i].proto, kind);
        v = sns_topic_attr(a, name);
        if (v && *v)
            bits |= protos[i].bit;
    }
    return bits;
}

int sns_get_topic_attributes_parse(const struct aws_response *resp, struct sns_topic_attrs *out,
                                   struct aws_error *err)
{
    struct sns_topic_attrs a;
    xmlDoc *doc;
    xmlNode *res, *attrs;
    size_t cap = 0;
    const char *v;

    memset(out, 0, sizeof(*out));
    memset(&a, 0, sizeof(a));
    doc = xml_parse(resp->body.data, resp->body.len, err);
    if (!doc || !(res = xml_query_result(doc, "GetTopicAttributes", err)))
        goto fail;
    attrs = xml_child(res, "Attributes");
    if (!attrs) {
        aws_error_set(err, AWS_ERR_PARSE, "no <Attributes> in the response");
        goto fail;
    }
    XML_FOREACH(e, attrs, "entry") {
        char *k = NULL, *val = NULL;
        if (xml_child_text(e, "key", &k, err) != 1 || !*k) {
            free(k);
            aws_error_set(err, AWS_ERR_PARSE, "attribute entry %zu has no <key>", a.nattrs + 1);
            goto fail;
        }
        if (xml_child_text(e, "value", &val, err) != 1)
            val = xstrdup("");
        if (proto_check_len(k, strlen(k), PROTO_MAX_NAME, err) < 0 ||
            proto_check_len(k, strlen(val), PROTO_MAX_ATTRIBUTE, err) < 0) {
            free(k);
            free(val);
            goto fail;
        }
        if (a.nattrs == cap) {
            cap = cap ? cap * 2 : 16;
            a.attrs = xrealloc(a.attrs, cap * sizeof(struct kv));
        }
        a.attrs[a.nattrs].name = k;
        a.attrs[a.nattrs].value = val;
        a.nattrs++;
    }
    if (attr_count(&a, "SubscriptionsConfirmed", &a.subs_confirmed, err) < 0 ||
        attr_count(&a, "SubscriptionsPending", &a.subs_pending, err) < 0 ||
        attr_count(&a, "SubscriptionsDeleted", &a.subs_deleted, err) < 0)
        goto fail;
    if ((v = sns_topic_attr(&a, "FifoTopic")) && proto_parse_bool(v, &a.fifo) < 0) {
        aws_error_set(err, AWS_ERR_PARSE, "attribute FifoTopic is not true or false: '%.20s'", v);
        goto fail;
    }
    a.arn = attr_dup(&a, "TopicArn");
    a.name = a.arn ? sns_topic_name_from_arn(a.arn) : NULL;
    a.display_name = attr_dup(&a, "DisplayName");
    a.delivery_policy = attr_dup(&a, "DeliveryPolicy");
    a.effective_delivery_policy = attr_dup(&a, "EffectiveDeliveryPolicy");
    a.failure_feedback = feedback_bits(&a, "Failure");
    a.success_feedback = feedback_bits(&a, "Success");
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
    xmlDoc *doc;
    xmlNode *res;

    memset(out, 0, sizeof(*out));
    doc = xml_parse(resp->body.data, resp->body.len, err);
    if (!doc || !(res = xml_query_result(doc, "ListSubscriptionsByTopic", err)))
        goto fail;
    XML_FOREACH(m, xml_child(res, "Subscriptions"), "member") {
        struct sns_subscription *s;
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
        if (proto_check_len("SubscriptionArn", strlen(s->arn), PROTO_MAX_ARN, err) < 0 ||
            proto_check_len("Endpoint", s->endpoint ? strlen(s->endpoint) : 0, PROTO_MAX_URL,
                            err) < 0 ||
            proto_check_len("TopicArn", s->topic_arn ? strlen(s->topic_arn) : 0, PROTO_MAX_ARN,
                            err) < 0)
            goto fail;
        /* AWS says "PendingConfirmation"; older docs and some emulators "pending
         * confirmation". An ARN never looks like either. */
        s->pending = strcasecmp(s->arn, "PendingConfirmation") == 0 ||
                     strcasecmp(s->arn, "pending confirmation") == 0;
    }
    next_token(res, &l.next_token);
    xml_free(doc);
    *out = l;
    return 0;
fail:
    xml_free(doc);
    sns_subscription_list_free(&l);
    proto_error_response(err, resp, "SNS ListSubscriptionsByTopic");
    return -1;
}
