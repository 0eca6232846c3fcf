/* cloudwatch.c - CloudWatch GetMetricData (query protocol, XML), batched CW_QUERIES_PER_CALL (100) per call. */
#include "config.h"
#include "aws/cloudwatch.h"
#include "core/proto.h"
#include "util/xalloc.h"
#include "core/xmlutil.h"
#include "util/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CW_VERSION "2010-08-01"

struct cw_query {
    char id[24];
    char *ns;
    char *metric;
    struct kv *dims;      /* name, value */
    size_t ndims;
    int period;
    char *stat;
};

struct cw_query_set {
    struct cw_query *q;
    size_t n, cap;
};

struct cw_query_set *cw_query_set_new(void)
{
    return xcalloc(1, sizeof(struct cw_query_set));
}

void cw_query_set_free(struct cw_query_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->q[i].ns);
        free(s->q[i].metric);
        free(s->q[i].stat);
        for (size_t k = 0; k < s->q[i].ndims; k++) {
            free(s->q[i].dims[k].name);
            free(s->q[i].dims[k].value);
        }
        free(s->q[i].dims);
    }
    free(s->q);
    free(s);
}

size_t cw_query_set_add(struct cw_query_set *s, const char *ns, const char *metric,
                        const struct cw_dimension *dims, size_t ndims, int period,
                        const char *stat)
{
    struct cw_query *q;

    if (ndims > CW_MAX_DIMENSIONS)
        fatal("cw_query_set_add: %zu dimensions (at most %d)", ndims, CW_MAX_DIMENSIONS);
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->q = xrealloc(s->q, s->cap * sizeof(*s->q));
    }
    q = &s->q[s->n];
    memset(q, 0, sizeof(*q));
    /* Ids must match ^[a-z][a-zA-Z0-9_]*$; the index makes them unique across batches, so a
     * result maps back to its query without a lookup table. */
    snprintf(q->id, sizeof(q->id), "m%zu", s->n);
    q->ns = xstrdup(ns);
    q->metric = xstrdup(metric);
    q->stat = xstrdup(stat);
    q->period = period;
    q->dims = xcalloc(ndims ? ndims : 1, sizeof(struct kv));
    for (size_t k = 0; k < ndims; k++) {
        q->dims[k].name = xstrdup(dims[k].name);
        q->dims[k].value = xstrdup(dims[k].value);
    }
    q->ndims = ndims;
    return s->n++;
}

size_t cw_query_set_add_sqs_age(struct cw_query_set *s, const char *queue_name, int period)
{
    struct cw_dimension d = { "QueueName", queue_name };

    return cw_query_set_add(s, "AWS/SQS", "ApproximateAgeOfOldestMessage", &d, 1, period,
                            "Maximum");
}

size_t cw_query_set_add_sns_failed(struct cw_query_set *s, const char *topic_name, int period)
{
    struct cw_dimension d = { "TopicName", topic_name };

    return cw_query_set_add(s, "AWS/SNS", "NumberOfNotificationsFailed", &d, 1, period, "Sum");
}

size_t cw_query_set_count(const struct cw_query_set *s)
{
    return s->n;
}

const char *cw_query_set_id(const struct cw_query_set *s, size_t index)
{
    return index < s->n ? s->q[index].id : NULL;
}

int cw_query_index(const char *id, size_t *index)
{
    int64_t v;

    if (!id || id[0] != 'm' || !id[1] || (id[1] == '0' && id[2]))
        return -1;
    if (id[1] == '-' || proto_parse_int64(id + 1, 0, INT32_MAX, &v) < 0)
        return -1;
    *index = (size_t)v;
    return 0;
}

size_t cw_get_metric_data_batches(const struct cw_query_set *s)
{
    return (s->n + CW_QUERIES_PER_CALL - 1) / CW_QUERIES_PER_CALL;
}

void cw_get_metric_data_request(struct aws_request *r, const struct cw_query_set *s,
                                size_t batch, int64_t start, int64_t end,
                                const char *next_token)
{
    char ts_start[21], ts_end[21], num[24];
    size_t first = batch * CW_QUERIES_PER_CALL;
    size_t last = first + CW_QUERIES_PER_CALL;

    if (last > s->n)
        last = s->n;
    timeutil_format_iso8601(start, ts_start);
    timeutil_format_iso8601(end, ts_end);
    aws_request_init(r, "monitoring", "GetMetricData", "POST");
    proto_query_request(r, "GetMetricData", CW_VERSION, "StartTime", ts_start, "EndTime", ts_end,
                        "ScanBy", "TimestampDescending", NULL);
    for (size_t i = first; i < last; i++) {
        const struct cw_query *q = &s->q[i];
        size_t m = i - first + 1;   /* query lists are 1-based */

        proto_query_addf(r, q->id, "MetricDataQueries.member.%zu.Id", m);
        proto_query_addf(r, q->ns, "MetricDataQueries.member.%zu.MetricStat.Metric.Namespace", m);
        proto_query_addf(r, q->metric, "MetricDataQueries.member.%zu.MetricStat.Metric.MetricName",
                         m);
        for (size_t k = 0; k < q->ndims; k++) {
            proto_query_addf(r, q->dims[k].name,
                             "MetricDataQueries.member.%zu.MetricStat.Metric.Dimensions.member."
                             "%zu.Name", m, k + 1);
            proto_query_addf(r, q->dims[k].value,
                             "MetricDataQueries.member.%zu.MetricStat.Metric.Dimensions.member."
                             "%zu.Value", m, k + 1);
        }
        snprintf(num, sizeof(num), "%d", q->period);
        proto_query_addf(r, num, "MetricDataQueries.member.%zu.MetricStat.Period", m);
        proto_query_addf(r, q->stat, "MetricDataQueries.member.%zu.MetricStat.Stat", m);
        proto_query_addf(r, "true", "MetricDataQueries.member.%zu.ReturnData", m);
    }
    if (next_token && *next_token)
        proto_query_add(r, "NextToken", next_token);
}

static void result_free(struct cw_metric_result *res)
{
    free(res->id);
    free(res->label);
    free(res->status_code);
    free(res->timestamps);
    free(res->values);
}

void cw_metric_data_free(struct cw_metric_data *d)
{
    for (size_t i = 0; i < d->n; i++)
        result_free(&d->results[i]);
    free(d->results);
    free(d->next_token);
    memset(d, 0, sizeof(*d));
}

static size_t count_members(const xmlNode *parent)
{
    size_t n = 0;

    XML_FOREACH(m, parent, "member")
        n++;
    return n;
}

static int parse_result(const xmlNode *m, size_t index, struct cw_metric_result *res,
                        struct aws_error *err)
{
    const xmlNode *ts = xml_child(m, "Timestamps");
    const xmlNode *vals = xml_child(m, "Values");
    size_t nts = count_members(ts), nvals = count_members(vals), i;

    if (xml_child_text(m, "Id", &res->id, err) != 1 || !*res->id) {
        aws_error_set(err, AWS_ERR_PARSE, "result %zu has no <Id>", index + 1);
        return -1;
    }
    xml_child_text(m, "Label", &res->label, err);
    xml_child_text(m, "StatusCode", &res->status_code, err);
    if (nts != nvals) {
        aws_error_set(err, AWS_ERR_PARSE, "result %.32s has %zu timestamps but %zu values",
                      res->id, nts, nvals);
        return -1;
    }
    res->timestamps = xcalloc(nts ? nts : 1, sizeof(int64_t));
    res->values = xcalloc(nts ? nts : 1, sizeof(double));
    i = 0;
    XML_FOREACH(t, ts, "member") {
        char *txt = xml_text(t);
        int bad = timeutil_parse_iso8601(txt, &res->timestamps[i]);
        if (bad)
            aws_error_set(err, AWS_ERR_PARSE, "result %.32s timestamp %zu is not ISO 8601: "
                          "'%.40s'", res->id, i + 1, txt);
        free(txt);
        if (bad)
            return -1;
        i++;
    }
    i = 0;
    XML_FOREACH(v, vals, "member") {
        char *txt = xml_text(v);
        int bad = proto_parse_double(txt, &res->values[i]);
        if (bad)
            aws_error_set(err, AWS_ERR_PARSE, "result %.32s value %zu is not a number: '%.40s'",
                          res->id, i + 1, txt);
        free(txt);
        if (bad)
            return -1;
        i++;
    }
    res->n = nts;
    return 0;
}

int cw_get_metric_data_parse(const struct aws_response *resp, struct cw_metric_data *out,
                             struct aws_error *err)
{
    struct cw_metric_data d = { 0 };
    xmlDoc *doc;
    xmlNode *res, *list;
    size_t cap;

    memset(out, 0, sizeof(*out));
    doc = xml_parse(resp->body.data, resp->body.len, err);
    if (!doc || !(res = xml_query_result(doc, "GetMetricData", err)))
        goto fail;
    list = xml_child(res, "MetricDataResults");
    cap = count_members(list);
    d.results = xcalloc(cap ? cap : 1, sizeof(*d.results));
    XML_FOREACH(m, list, "member") {
        /* count d.n before parsing so a half-filled result is freed on failure */
        struct cw_metric_result *r = &d.results[d.n++];
        if (parse_result(m, d.n - 1, r, err) < 0)
            goto fail;
    }
    if (xml_child_text(res, "NextToken", &d.next_token, err) == 1 && !*d.next_token) {
        free(d.next_token);
        d.next_token = NULL;
    }
    xml_free(doc);
    *out = d;
    return 0;
fail:
    xml_free(doc);
    cw_metric_data_free(&d);
    proto_error_response(err, resp, "CloudWatch GetMetricData");
    return -1;
}

const struct cw_metric_result *cw_metric_data_find(const struct cw_metric_data *d,
                                                   const char *id)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->results[i].id && strcmp(d->results[i].id, id) == 0)
            return &d->results[i];
    return NULL;
}

bool cw_metric_result_latest(const struct cw_metric_result *res, double *value,
                             int64_t *timestamp)
{
    size_t best = 0;

    if (!res || res->n == 0)
        return false;
    for (size_t i = 1; i < res->n; i++)
        if (res->timestamps[i] > res->timestamps[best])
            best = i;
    if (value)
        *value = res->values[best];
    if (timestamp)
        *timestamp = res->timestamps[best];
    return true;
}
