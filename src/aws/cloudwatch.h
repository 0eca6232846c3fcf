/* cloudwatch.h - CloudWatch GetMetricData over the query protocol (Version 2010-08-01,
 * signing name "monitoring"), XML responses. Pure. Conventions: see sqs.h.
 *
 * Exported API (summary):
 *   struct cw_query_set *cw_query_set_new(void);  void cw_query_set_free(s);
 *   size_t cw_query_set_add(s, ns, metric, dims, ndims, period, stat);   → query index
 *   size_t cw_query_set_add_sqs_age(s, queue_name, period);     AWS/SQS ApproximateAgeOfOldestMessage, Maximum
 *   size_t cw_query_set_add_sns_failed(s, topic_name, period);  AWS/SNS NumberOfNotificationsFailed, Sum
 *   size_t cw_query_set_count(s);
 *   const char *cw_query_set_id(s, index);                      "m<index>"
 *   int    cw_query_index(id, &index);                          "m12" → 12; -1 if not ours
 *   size_t cw_get_metric_data_batches(s);                       ceil(count / 100)
 *   void   cw_get_metric_data_request(r, s, batch, start, end, next_token);
 *   int    cw_get_metric_data_parse(resp, &cw_metric_data, err);
 *   const struct cw_metric_result *cw_metric_data_find(&d, id);
 *   bool   cw_metric_result_latest(res, &value, &timestamp);    newest datapoint
 *   void   cw_metric_data_free(&d);
 *
 * Typical use (snapshot): add one query per queue/topic and remember the returned index;
 * for batch in 0..batches-1: request, send, parse, follow NextToken (same batch, same times,
 * the token) until NULL; look each index up with cw_metric_data_find(d, cw_query_set_id(s, i)).
 * Results for one id may be split over NextToken pages: the caller appends them. */
#ifndef OPSDECK_AWS_CLOUDWATCH_H
#define OPSDECK_AWS_CLOUDWATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/awserr.h"
#include "core/request.h"

#define CW_MAX_QUERIES_PER_CALL 500   /* GetMetricData's limit on MetricDataQueries */
/* What we put in one call. Several smaller calls are answered in parallel, and GetMetricData
 * is billed per metric, not per call; a server whose cost grows faster than the number of
 * queries (moto parses the form in O(n^2): 500 queries cost it 4.1 s, 100 cost 0.24 s) then
 * no longer holds every other request back while it works through one huge call. */
#define CW_QUERIES_PER_CALL 100
#define CW_MAX_DIMENSIONS 30

struct cw_dimension {
    const char *name;
    const char *value;
};

struct cw_query_set;   /* opaque: owns copies of every string given to it */

struct cw_metric_result {
    char *id;
    char *label;              /* NULL if absent */
    char *status_code;        /* "Complete", "PartialData", "InternalError", ...; NULL if absent */
    int64_t *timestamps;      /* epoch seconds, in response order (newest first: we send
                               * ScanBy=TimestampDescending) */
    double *values;
    size_t n;                 /* number of timestamps == number of values (else parse error) */
};

struct cw_metric_data {
    struct cw_metric_result *results;
    size_t n;
    char *next_token;         /* NULL on the last page */
};

struct cw_query_set *cw_query_set_new(void);
void cw_query_set_free(struct cw_query_set *s);
/* Adds a MetricStat query; copies every string. ndims <= CW_MAX_DIMENSIONS (more is a
 * programming error: fatal). period in seconds (60, 300, ...). Returns the query's index;
 * its Id is "m<index>", which matches ^[a-z][a-zA-Z0-9_]*$ as GetMetricData requires. */
size_t cw_query_set_add(struct cw_query_set *s, const char *ns, const char *metric,
                        const struct cw_dimension *dims, size_t ndims, int period,
                        const char *stat);
size_t cw_query_set_add_sqs_age(struct cw_query_set *s, const char *queue_name, int period);
size_t cw_query_set_add_sns_failed(struct cw_query_set *s, const char *topic_name, int period);
size_t cw_query_set_count(const struct cw_query_set *s);
/* Borrowed, valid while s lives; NULL if index is out of range. */
const char *cw_query_set_id(const struct cw_query_set *s, size_t index);
/* Maps an Id from a result back to its index: 0 ok, -1 if id is not of the form m<digits>. */
int cw_query_index(const char *id, size_t *index);

/* Number of GetMetricData calls needed for the set: ceil(count / CW_QUERIES_PER_CALL). */
size_t cw_get_metric_data_batches(const struct cw_query_set *s);
/* Builds the call for queries [batch*100, min(count, (batch+1)*100)): MetricDataQueries.member.N
 * .Id / .MetricStat.Metric.Namespace / .MetricName / .Dimensions.member.K.Name|Value /
 * .MetricStat.Period / .MetricStat.Stat / .ReturnData=true, StartTime and EndTime (ISO 8601
 * UTC from epoch seconds), ScanBy=TimestampDescending, NextToken if not NULL. */
void cw_get_metric_data_request(struct aws_request *r, const struct cw_query_set *s,
                                size_t batch, int64_t start, int64_t end,
                                const char *next_token);
int cw_get_metric_data_parse(const struct aws_response *resp, struct cw_metric_data *out,
                             struct aws_error *err);
/* The result with that Id, or NULL. */
const struct cw_metric_result *cw_metric_data_find(const struct cw_metric_data *d,
                                                   const char *id);
/* The datapoint with the greatest timestamp; false when the result has none. */
bool cw_metric_result_latest(const struct cw_metric_result *res, double *value,
                             int64_t *timestamp);
void cw_metric_data_free(struct cw_metric_data *d);

#endif
