/* reach.c - is there a path to SNS and SQS from here, and is it private? Each cycle sends
 * one small read to each (SNS ListTopics, SQS ListQueues with MaxResults 1) and notes the
 * endpoint it went to, whether it answered, in how long, and the latest failure with its
 * time (kept while later calls succeed, so "unreachable at 03:12" is still there after the
 * network came back); and lists the VPC endpoints for SNS, SQS and S3 (EC2
 * DescribeVpcEndpoints, paged). Console only: the snapshot does not run it. */
#include "config.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/ec2.h"
#include "aws/sns.h"
#include "aws/sqs.h"
#include "core/pager.h"
#include "poll/sources/common.h"
#include "poll/sources/sources.h"
#include "util/timeutil.h"
#include "util/xalloc.h"

enum { R_SNS, R_SQS, R_VPCE };

static const char *const probe_keys[] = {[R_SNS] = "sns", [R_SQS] = "sqs"};

struct probe {
    bool answered;
    int64_t latency_ms;
    char *endpoint;
    struct aws_error *err;
};

struct reach_state {
    int64_t t0;
    struct probe p[2];
    cJSON *vpces;                 /* the endpoints for SNS, SQS and S3 found so far */
    struct aws_pager pager;
    struct aws_error *vpce_err;
};

static void ask_vpces(struct source_run *run, const char *token)
{
    struct ec2_vpce_params p = {.max_results = 1000, .next_token = token};
    struct aws_request r;

    ec2_describe_vpc_endpoints_request(&r, &p);
    source_send(run, &r, R_VPCE, 0);
}

static void reach_start(struct source_run *run, void *state)
{
    struct reach_state *st = state;
    struct sqs_list_queues_params qp = {.max_results = 1};
    struct aws_request r;

    st->t0 = timeutil_mono_ms();
    st->vpces = cJSON_CreateArray();
    sns_list_topics_request(&r, NULL);
    source_send(run, &r, R_SNS, 0);
    sqs_list_queues_request(&r, &qp);
    source_send(run, &r, R_SQS, 0);
    ask_vpces(run, NULL);
}

/* "com.amazonaws.eu-west-1.sns" -> "sns"; NULL for a service that is not SNS, SQS or S3. */
static const char *vpce_service(const char *name)
{
    static const char *const ours[] = {"sns", "sqs", "s3"};
    const char *dot = name ? strrchr(name, '.') : NULL;

    for (size_t i = 0; dot && i < sizeof(ours) / sizeof(ours[0]); i++)
        if (strcmp(dot + 1, ours[i]) == 0)
            return ours[i];
    return NULL;
}

static void on_vpces(struct source_run *run, struct reach_state *st,
                     const struct aws_response *resp, const struct aws_error *err)
{
    struct ec2_vpc_endpoint_list l = {0};
    struct aws_error perr;

    aws_error_clear(&perr);
    if (!err && (ec2_describe_vpc_endpoints_parse(resp, &l, &perr) < 0 ||
                 aws_pager_next(&st->pager, l.next_token, resp, &perr) < 0)) {
        err = &perr;
        source_error(run, err);
    }
    if (err) {
        ec2_vpc_endpoint_list_free(&l);
        sources_error_keep(&st->vpce_err, err);
        return;
    }
    for (size_t i = 0; i < l.n; i++) {
        const struct ec2_vpc_endpoint *e = &l.endpoints[i];
        const char *svc = vpce_service(e->service_name);
        cJSON *o;

        if (!svc)
            continue;
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "service", svc);
        cJSON_AddStringToObject(o, "id", e->id);
        cJSON_AddStringToObject(o, "vpc", e->vpc_id ? e->vpc_id : "");
        cJSON_AddStringToObject(o, "type", e->type ? e->type : "");
        cJSON_AddStringToObject(o, "state", e->state);
        cJSON_AddBoolToObject(o, "private_dns", e->private_dns);
        cJSON_AddItemToArray(st->vpces, o);
    }
    if (l.next_token)
        ask_vpces(run, l.next_token);
    ec2_vpc_endpoint_list_free(&l);
}

static void reach_answer(struct source_run *run, void *state, unsigned tag, size_t index,
                         const struct aws_response *resp, const struct aws_error *err)
{
    struct reach_state *st = state;
    struct probe *p;
    const char *ep;

    (void)index;
    if (tag == R_VPCE) {
        on_vpces(run, st, resp, err);
        return;
    }
    /* the probes repeat the topics' and queues' list calls: their "error" rows stay theirs */
    source_own_outcome(run);
    p = &st->p[tag];
    p->answered = true;
    p->latency_ms = timeutil_mono_ms() - st->t0;
    ep = resp ? resp->endpoint : err->endpoint;
    p->endpoint = ep && *ep ? xstrdup(ep) : NULL;
    if (err)
        sources_error_keep(&p->err, err);
}

static void write_probe(struct store *s, int64_t now_s, const struct probe *p, const char *key)
{
    const struct store_res *old = store_find(s, "reach", key);
    struct store_res *r;
    double last_ok;

    if (!p->answered)
        return;
    /* what the row said before: the last success while failing, the last failure after */
    last_ok = old && store_res_num(old, "last_ok", &last_ok) ? last_ok : -1;
    r = store_update_begin(s, "reach", key);
    store_set(r, "endpoint", store_value_str(p->endpoint));
    store_set_int(r, "ok", p->err == NULL);
    store_set_int(r, "latency_ms", p->latency_ms);
    if (!p->err) {
        store_set_double(r, "last_ok", (double)now_s);
    } else {
        if (last_ok >= 0)
            store_set_double(r, "last_ok", last_ok);
        else
            store_set_unknown(r, "last_ok");
        store_set_str(r, "error", p->err->message[0] ? p->err->message : p->err->code);
        store_set_str(r, "error_code", p->err->code);
        store_set_double(r, "error_at", (double)now_s);
        store_set_int(r, "network", p->err->kind == AWS_ERR_NETWORK ||
                                        p->err->kind == AWS_ERR_TIMEOUT);
    }
    store_update_commit(r);
}

static void reach_commit(struct source_run *run, void *state)
{
    struct reach_state *st = state;
    struct store *s = source_store(run);
    struct store_res *r;
    char *json;

    for (int i = R_SNS; i <= R_SQS; i++)
        write_probe(s, source_wall_s(run), &st->p[i], probe_keys[i]);
    r = store_update_begin(s, "reach", "vpce");
    if (st->vpce_err) {
        store_set_str(r, "error", st->vpce_err->message[0] ? st->vpce_err->message
                                                          : st->vpce_err->code);
        store_update_commit(r);
        return;
    }
    json = cJSON_PrintUnformatted(st->vpces);
    store_set_str(r, "list", json);
    store_set_str(r, "error", "");
    store_update_commit(r);
    free(json);
}

static void reach_done(void *state)
{
    struct reach_state *st = state;

    for (int i = 0; i < 2; i++) {
        free(st->p[i].endpoint);
        free(st->p[i].err);
    }
    cJSON_Delete(st->vpces);
    free(st->vpce_err);
    aws_pager_done(&st->pager);
}

static const char *const reach_kinds[] = {"reach", NULL};

const struct source reach_source = {
    .name = "reach",
    .kinds = reach_kinds,
    .views = SOURCE_VIEW(APPCONFIG_VIEW_SNS) | SOURCE_VIEW(APPCONFIG_VIEW_OVERVIEW),
    .live_only = true,
    .state_size = sizeof(struct reach_state),
    .start = reach_start,
    .answer = reach_answer,
    .commit = reach_commit,
    .done = reach_done,
};
