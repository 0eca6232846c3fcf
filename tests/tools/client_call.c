/* client_call - one AWS call made the way opsdeck makes it: the service client's request
 * builder, the whole client stack (config, credentials, signing, HTTP engine, retries) and
 * the client's parser, with the parsed result printed as one JSON object. The integration
 * tests compare that with what boto3 says about the same data.
 *
 *   client_call ACTION [NAME=VALUE]...     (NAME may repeat for lists)
 *
 * ACTION is the service client's function stem ("sqs_receive_message", "s3_head_object",
 * "iam_report"...; `client_call list` prints them). Configuration comes from the
 * environment (AWS_ENDPOINT_URL, AWS_REGION, keys), as for opsdeck. Output: the parsed
 * result as JSON on stdout, exit 0; or {"error": line, "code": ..., "kind": ...,
 * "http_status": N, "bucket_region": ...} and exit 1. Strings are printed as parsed
 * (cJSON escapes control characters), numbers as numbers, -1 for "absent". */
#include "config.h"
#include "aws/ec2.h"
#include "aws/events.h"
#include "aws/iam.h"
#include "aws/lambda.h"
#include "aws/logs.h"
#include "aws/s3.h"
#include "aws/secretsmanager.h"
#include "aws/sns.h"
#include "aws/sqs.h"
#include "aws/ssm.h"
#include "conf/awsconfig.h"
#include "core/client.h"
#include "core/sigv4.h"
#include "creds/creds.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- arguments ---- */

static int nargs;
static char **args;

static const char *arg(const char *name)
{
    size_t n = strlen(name);

    for (int i = 0; i < nargs; i++)
        if (strncmp(args[i], name, n) == 0 && args[i][n] == '=')
            return args[i] + n + 1;
    return NULL;
}

static int argi(const char *name, int dflt)
{
    const char *v = arg(name);

    return v ? atoi(v) : dflt;
}

/* Every value of a repeated NAME, in order; the caller frees the array. */
static const char **arg_list(const char *name, size_t *n)
{
    const char **out = calloc((size_t)nargs + 1, sizeof(char *));
    size_t len = strlen(name);

    *n = 0;
    for (int i = 0; i < nargs; i++)
        if (strncmp(args[i], name, len) == 0 && args[i][len] == '=')
            out[(*n)++] = args[i] + len + 1;
    return out;
}

/* ---- JSON output helpers ---- */

static void put_str(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static void put_num(cJSON *o, const char *k, int64_t v)
{
    cJSON_AddNumberToObject(o, k, (double)v);
}

static void put_bool(cJSON *o, const char *k, bool v)
{
    cJSON_AddBoolToObject(o, k, v);
}

static cJSON *kv_object(const struct kv *a, size_t n)
{
    cJSON *o = cJSON_CreateObject();

    for (size_t i = 0; i < n; i++)
        cJSON_AddStringToObject(o, a[i].name, a[i].value);
    return o;
}

static cJSON *str_array(char *const *a, size_t n)
{
    cJSON *arr = cJSON_CreateArray();

    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(a[i]));
    return arr;
}

static cJSON *failures(const struct sqs_batch_failure *f, size_t n)
{
    cJSON *arr = cJSON_CreateArray();

    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        put_str(o, "id", f[i].id);
        put_str(o, "code", f[i].code);
        put_bool(o, "sender_fault", f[i].sender_fault);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

/* ---- one call ---- */

struct call {
    struct aws_config *cfg;
    struct aws_client *client;
    bool done;
    bool ok;
    struct aws_response resp;
    struct aws_error err;
};

static void on_done(const struct aws_response *resp, const struct aws_error *err, void *ud)
{
    struct call *c = ud;

    c->done = true;
    if (resp) {
        c->ok = true;
        c->resp.status = resp->status;
        for (size_t i = 0; i < resp->nheaders; i++)
            aws_response_add_header(&c->resp, resp->headers[i].name, resp->headers[i].value);
        buf_append(&c->resp.body, resp->body.data ? resp->body.data : "", resp->body.len);
    } else {
        c->err = *err;
    }
}

/* Sends r and waits; false (with c->err) when the call failed. */
static bool send_wait(struct call *c, struct aws_request *r)
{
    c->done = c->ok = false;
    aws_response_done(&c->resp);
    aws_response_init(&c->resp);
    aws_client_send(c->client, r, on_done, c);
    aws_request_done(r);
    while (!c->done)
        aws_client_run(c->client, NULL, 0, 1000);
    return c->ok;
}

static int print_json(cJSON *o)
{
    char *s = cJSON_PrintUnformatted(o);

    printf("%s\n", s);
    free(s);
    cJSON_Delete(o);
    return 0;
}

static int print_error(struct call *c)
{
    cJSON *o = cJSON_CreateObject();
    char line[2048];

    aws_error_describe(&c->err, c->cfg->profile, line, sizeof(line));
    put_str(o, "error", line);
    put_str(o, "code", c->err.code);
    put_str(o, "kind", aws_error_kind_name(c->err.kind));
    put_num(o, "http_status", c->err.http_status);
    put_str(o, "bucket_region", c->err.bucket_region);
    print_json(o);
    return 1;
}

/* A parser's failure is an error like any other. */
static int parse_failed(struct call *c, const struct aws_error *e)
{
    c->err = *e;
    return print_error(c);
}

/* ---- S3 location from the config ---- */

static int locate(struct call *c, struct s3_location *loc)
{
    const char *src = NULL, *style = arg("addressing");
    struct aws_error e;
    char *url;
    struct s3_endpoint ep;
    int rc;

    aws_error_clear(&e);
    url = aws_config_endpoint(c->cfg, "s3", &src, &e);
    if (!url)
        return parse_failed(c, &e), -1;
    ep = (struct s3_endpoint){
        .url = url,
        .configured = src && strcmp(src, "default") != 0,
        .region = arg("region") ? arg("region") : c->cfg->region,
        .style = style && strcmp(style, "path") == 0      ? S3_ADDRESSING_PATH
                 : style && strcmp(style, "virtual") == 0 ? S3_ADDRESSING_VIRTUAL
                                                          : S3_ADDRESSING_AUTO,
    };
    rc = s3_location_init(loc, arg("bucket"), &ep, &e);
    free(url);
    if (rc < 0)
        return parse_failed(c, &e), -1;
    return 0;
}

/* ---- the actions ---- */

typedef int (*action_fn)(struct call *c);

static cJSON *message_json(const struct sqs_message *m)
{
    cJSON *o = cJSON_CreateObject(), *ma = cJSON_CreateObject();

    put_str(o, "message_id", m->message_id);
    put_str(o, "receipt_handle", m->receipt_handle);
    put_str(o, "body", m->body);
    put_str(o, "md5_of_body", m->md5_of_body);
    put_num(o, "receive_count", m->receive_count);
    put_num(o, "sent_ms", m->sent_ms);
    put_num(o, "first_receive_ms", m->first_receive_ms);
    put_str(o, "group_id", m->group_id);
    put_str(o, "dedup_id", m->dedup_id);
    put_str(o, "sequence_number", m->sequence_number);
    put_str(o, "dlq_source_arn", m->dlq_source_arn);
    cJSON_AddItemToObject(o, "attributes", kv_object(m->attrs, m->nattrs));
    for (size_t i = 0; i < m->nmattrs; i++) {
        const struct sqs_msg_attr *a = &m->mattrs[i];
        cJSON *v = cJSON_CreateObject();
        put_str(v, "data_type", a->data_type);
        if (a->type == SQS_ATTR_BINARY) {
            cJSON *bytes = cJSON_CreateArray();
            for (size_t j = 0; j < a->binary_len; j++)
                cJSON_AddItemToArray(bytes, cJSON_CreateNumber(a->binary[j]));
            cJSON_AddItemToObject(v, "binary", bytes);
        } else {
            put_str(v, "string_value", a->string_value);
        }
        cJSON_AddItemToObject(ma, a->name, v);
    }
    cJSON_AddItemToObject(o, "message_attributes", ma);
    return o;
}

static int sqs_receive(struct call *c)
{
    struct sqs_receive_params p = { .queue_url = arg("queue_url"),
                                    .max_messages = argi("max", 10),
                                    .visibility_timeout = argi("visibility", -1),
                                    .wait_seconds = argi("wait", 0) };
    struct aws_request r;
    struct sqs_message_list l;
    struct aws_error e;
    cJSON *o, *arr;

    sqs_receive_message_request(&r, &p);
    if (!send_wait(c, &r))
        return print_error(c);
    if (sqs_receive_message_parse(&c->resp, &l, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(o, "messages");
    for (size_t i = 0; i < l.n; i++)
        cJSON_AddItemToArray(arr, message_json(&l.msgs[i]));
    sqs_message_list_free(&l);
    return print_json(o);
}

/* attr=NAME:TYPE:VALUE (Binary values in hex) for SQS and SNS. */
struct attr_args {
    char **names, **types, **values;
    unsigned char **bins;
    size_t n;
};

static void attr_args_read(struct attr_args *a)
{
    size_t n;
    const char **raw = arg_list("attr", &n);

    memset(a, 0, sizeof(*a));
    a->names = calloc(n + 1, sizeof(char *));
    a->types = calloc(n + 1, sizeof(char *));
    a->values = calloc(n + 1, sizeof(char *));
    a->bins = calloc(n + 1, sizeof(unsigned char *));
    for (size_t i = 0; i < n; i++) {
        char *s = strdup(raw[i]), *t = strchr(s, ':'), *v = t ? strchr(t + 1, ':') : NULL;
        if (!v) {
            free(s);
            continue;
        }
        *t++ = '\0';
        *v++ = '\0';
        a->names[a->n] = s;
        a->types[a->n] = t;
        a->values[a->n] = v;
        if (strcmp(t, "Binary") == 0) {
            size_t len = strlen(v) / 2;
            a->bins[a->n] = calloc(len + 1, 1);
            for (size_t j = 0; j < len; j++)
                sscanf(v + 2 * j, "%2hhx", &a->bins[a->n][j]);
        }
        a->n++;
    }
    free(raw);
}

static void attr_args_free(struct attr_args *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->names[i]);
        free(a->bins[i]);
    }
    free(a->names);
    free(a->types);
    free(a->values);
    free(a->bins);
}

static int sqs_send(struct call *c)
{
    struct attr_args aa;
    struct sqs_msg_attr_in *in;
    struct sqs_send_params p;
    struct aws_request r;
    struct sqs_sent s;
    struct aws_error e;
    cJSON *o;

    attr_args_read(&aa);
    in = calloc(aa.n + 1, sizeof(*in));
    for (size_t i = 0; i < aa.n; i++)
        in[i] = (struct sqs_msg_attr_in){ .name = aa.names[i], .data_type = aa.types[i],
                                          .string_value = aa.values[i], .binary = aa.bins[i],
                                          .binary_len = strlen(aa.values[i]) / 2 };
    p = (struct sqs_send_params){ .queue_url = arg("queue_url"), .body = arg("body"),
                                  .delay_seconds = argi("delay", -1), .attrs = in,
                                  .nattrs = aa.n, .group_id = arg("group"),
                                  .dedup_id = arg("dedup") };
    sqs_send_message_request(&r, &p);
    free(in);
    attr_args_free(&aa);
    if (!send_wait(c, &r))
        return print_error(c);
    if (sqs_send_message_parse(&c->resp, &s, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    put_str(o, "message_id", s.message_id);
    put_str(o, "md5_of_body", s.md5_of_body);
    put_str(o, "md5_of_attrs", s.md5_of_attrs);
    put_str(o, "sequence_number", s.sequence_number);
    sqs_sent_free(&s);
    return print_json(o);
}

static int sqs_send_batch(struct call *c)
{
    size_t n;
    const char **bodies = arg_list("body", &n);
    struct sqs_send_params *entries = calloc(n + 1, sizeof(*entries));
    char ids[10][8];
    struct aws_request r;
    struct sqs_send_batch_result b;
    struct aws_error e;
    cJSON *o, *ok;

    for (size_t i = 0; i < n && i < 10; i++) {
        snprintf(ids[i], sizeof(ids[i]), "m%zu", i);
        entries[i] = (struct sqs_send_params){ .id = ids[i], .body = bodies[i],
                                               .delay_seconds = i == 0 ? -1
                                                                       : argi("delay", -1) };
    }
    sqs_send_message_batch_request(&r, arg("queue_url"), entries, n > 10 ? 10 : n);
    free(entries);
    free(bodies);
    if (!send_wait(c, &r))
        return print_error(c);
    if (sqs_send_message_batch_parse(&c->resp, &b, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    ok = cJSON_AddArrayToObject(o, "ok");
    for (size_t i = 0; i < b.nok; i++)
        cJSON_AddItemToArray(ok, cJSON_CreateString(b.ok[i].id));
    cJSON_AddItemToObject(o, "failed", failures(b.failed, b.nfailed));
    sqs_send_batch_result_free(&b);
    return print_json(o);
}

/* handle=H (repeated): a batch of those receipt handles, ids h0, h1, ... */
static int sqs_handle_batch(struct call *c, bool delete)
{
    size_t n;
    const char **handles = arg_list("handle", &n);
    struct sqs_batch_entry *entries = calloc(n + 1, sizeof(*entries));
    char ids[10][8];
    struct aws_request r;
    struct sqs_batch_result b;
    struct aws_error e;
    cJSON *o;

    for (size_t i = 0; i < n && i < 10; i++) {
        snprintf(ids[i], sizeof(ids[i]), "h%zu", i);
        entries[i] = (struct sqs_batch_entry){ ids[i], handles[i], argi("visibility", 0) };
    }
    if (delete)
        sqs_delete_message_batch_request(&r, arg("queue_url"), entries, n > 10 ? 10 : n);
    else
        sqs_change_message_visibility_batch_request(&r, arg("queue_url"), entries,
                                                    n > 10 ? 10 : n);
    free(entries);
    free(handles);
    if (!send_wait(c, &r))
        return print_error(c);
    if (sqs_batch_parse(&c->resp, delete ? "DeleteMessageBatch" : "ChangeMessageVisibilityBatch",
                        &b, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "ok", str_array(b.ok_ids, b.nok));
    cJSON_AddItemToObject(o, "failed", failures(b.failed, b.nfailed));
    sqs_batch_result_free(&b);
    return print_json(o);
}

static int sqs_delete_batch(struct call *c)
{
    return sqs_handle_batch(c, true);
}

static int sqs_visibility_batch(struct call *c)
{
    return sqs_handle_batch(c, false);
}

/* Calls whose answer carries nothing: {"ok": true}. */
static int no_answer(struct call *c, struct aws_request *r)
{
    cJSON *o;

    if (!send_wait(c, r))
        return print_error(c);
    o = cJSON_CreateObject();
    put_bool(o, "ok", true);
    return print_json(o);
}

static int sqs_visibility(struct call *c)
{
    struct aws_request r;

    sqs_change_message_visibility_request(&r, arg("queue_url"), arg("handle"),
                                          argi("visibility", 0));
    return no_answer(c, &r);
}

static int sqs_delete(struct call *c)
{
    struct aws_request r;

    sqs_delete_message_request(&r, arg("queue_url"), arg("handle"));
    return no_answer(c, &r);
}

static int sqs_purge(struct call *c)
{
    struct aws_request r;

    sqs_purge_queue_request(&r, arg("queue_url"));
    return no_answer(c, &r);
}

static int sqs_url(struct call *c)
{
    struct aws_request r;
    struct aws_error e;
    char *url;
    cJSON *o;

    sqs_get_queue_url_request(&r, arg("name"), arg("owner"));
    if (!send_wait(c, &r))
        return print_error(c);
    if (sqs_get_queue_url_parse(&c->resp, &url, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    put_str(o, "queue_url", url);
    free(url);
    return print_json(o);
}

static int sqs_move_start(struct call *c)
{
    struct sqs_move_params p = { .source_arn = arg("source"), .destination_arn = arg("dest"),
                                 .max_per_second = argi("rate", 0) };
    struct aws_request r;
    struct aws_error e;
    char *handle;
    cJSON *o;

    sqs_start_message_move_task_request(&r, &p);
    if (!send_wait(c, &r))
        return print_error(c);
    if (sqs_start_message_move_task_parse(&c->resp, &handle, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    put_str(o, "task_handle", handle);
    free(handle);
    return print_json(o);
}

static int sqs_move_list(struct call *c)
{
    struct aws_request r;
    struct sqs_move_task_list l;
    struct aws_error e;
    cJSON *o, *arr;

    sqs_list_message_move_tasks_request(&r, arg("source"), argi("max", 0));
    if (!send_wait(c, &r))
        return print_error(c);
    if (sqs_list_message_move_tasks_parse(&c->resp, &l, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(o, "tasks");
    for (size_t i = 0; i < l.n; i++) {
        cJSON *v = cJSON_CreateObject();
        put_str(v, "task_handle", l.tasks[i].task_handle);
        put_str(v, "status", l.tasks[i].status);
        put_str(v, "destination_arn", l.tasks[i].destination_arn);
        put_num(v, "moved", l.tasks[i].moved);
        put_num(v, "to_move", l.tasks[i].to_move);
        put_num(v, "max_per_second", l.tasks[i].max_per_second);
        put_str(v, "failure_reason", l.tasks[i].failure_reason);
        cJSON_AddItemToArray(arr, v);
    }
    sqs_move_task_list_free(&l);
    return print_json(o);
}

static int sqs_move_cancel(struct call *c)
{
    struct aws_request r;
    struct aws_error e;
    int64_t moved;
    cJSON *o;

    sqs_cancel_message_move_task_request(&r, arg("handle"));
    if (!send_wait(c, &r))
        return print_error(c);
    if (sqs_cancel_message_move_task_parse(&c->resp, &moved, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    put_num(o, "moved", moved);
    return print_json(o);
}

static int sns_publish(struct call *c)
{
    struct attr_args aa;
    struct sns_msg_attr_in *in;
    struct sns_publish_params p;
    struct aws_request r;
    struct sns_published out;
    struct aws_error e;
    cJSON *o;

    attr_args_read(&aa);
    in = calloc(aa.n + 1, sizeof(*in));
    for (size_t i = 0; i < aa.n; i++)
        in[i] = (struct sns_msg_attr_in){ .name = aa.names[i], .data_type = aa.types[i],
                                          .string_value = aa.values[i], .binary = aa.bins[i],
                                          .binary_len = strlen(aa.values[i]) / 2 };
    p = (struct sns_publish_params){ .topic_arn = arg("topic_arn"), .message = arg("message"),
                                     .subject = arg("subject"), .attrs = in, .nattrs = aa.n,
                                     .group_id = arg("group"), .dedup_id = arg("dedup") };
    sns_publish_request(&r, &p);
    free(in);
    attr_args_free(&aa);
    if (!send_wait(c, &r))
        return print_error(c);
    if (sns_publish_parse(&c->resp, &out, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    put_str(o, "message_id", out.message_id);
    put_str(o, "sequence_number", out.sequence_number);
    sns_published_free(&out);
    return print_json(o);
}

static int sns_sub_attrs(struct call *c)
{
    struct aws_request r;
    struct sns_subscription_attrs a;
    struct aws_error e;
    cJSON *o;

    sns_get_subscription_attributes_request(&r, arg("arn"));
    if (!send_wait(c, &r))
        return print_error(c);
    if (sns_get_subscription_attributes_parse(&c->resp, &a, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    put_str(o, "protocol", a.protocol);
    put_str(o, "endpoint", a.endpoint);
    put_str(o, "topic_arn", a.topic_arn);
    put_bool(o, "pending", a.pending);
    put_bool(o, "raw_delivery", a.raw_delivery);
    put_str(o, "filter_policy", a.filter_policy);
    put_str(o, "filter_policy_scope", a.filter_policy_scope);
    put_str(o, "redrive_dlq_arn", a.redrive_dlq_arn);
    cJSON_AddItemToObject(o, "attributes", kv_object(a.attrs, a.nattrs));
    sns_subscription_attrs_free(&a);
    return print_json(o);
}

static int sns_topic_attrs(struct call *c)
{
    struct aws_request r;
    struct sns_topic_attrs a;
    struct aws_error e;
    cJSON *o, *fb;

    sns_get_topic_attributes_request(&r, arg("arn"));
    if (!send_wait(c, &r))
        return print_error(c);
    if (sns_get_topic_attributes_parse(&c->resp, &a, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    put_str(o, "kms_master_key_id", a.kms_master_key_id);
    put_bool(o, "fifo", a.fifo);
    fb = cJSON_AddObjectToObject(o, "feedback");
    for (int p = 0; p < SNS_PROTO_COUNT; p++) {
        cJSON *f = cJSON_CreateObject();
        put_str(f, "success_role", a.feedback[p].success_role);
        put_str(f, "failure_role", a.feedback[p].failure_role);
        put_num(f, "sample_rate", a.feedback[p].sample_rate);
        cJSON_AddItemToObject(fb, sns_protocol_prefix((enum sns_protocol)p), f);
    }
    sns_topic_attrs_free(&a);
    return print_json(o);
}

static int s3_head_bucket(struct call *c)
{
    struct s3_location loc;
    struct aws_request r;
    char region[32];
    cJSON *o;
    bool ok;

    if (locate(c, &loc) < 0)
        return 1;
    s3_head_bucket_request(&r, &loc);
    s3_location_done(&loc);
    ok = send_wait(c, &r);
    o = cJSON_CreateObject();
    put_bool(o, "ok", ok);
    put_num(o, "http_status", ok ? c->resp.status : c->err.http_status);
    put_str(o, "region", s3_bucket_region(ok ? &c->resp : NULL, ok ? NULL : &c->err, region) == 0
                             ? region : NULL);
    return print_json(o);
}

static int s3_location(struct call *c)
{
    struct s3_location loc;
    struct aws_request r;
    struct aws_error e;
    char *region;
    cJSON *o;

    if (locate(c, &loc) < 0)
        return 1;
    s3_get_bucket_location_request(&r, &loc);
    s3_location_done(&loc);
    if (!send_wait(c, &r))
        return print_error(c);
    if (s3_get_bucket_location_parse(&c->resp, &region, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    put_str(o, "region", region);
    free(region);
    return print_json(o);
}

static int s3_head_object(struct call *c)
{
    struct s3_location loc;
    struct aws_request r;
    struct s3_object_head h;
    struct aws_error e;
    cJSON *o;

    if (locate(c, &loc) < 0)
        return 1;
    s3_head_object_request(&r, &loc, arg("key"), arg("version"));
    s3_location_done(&loc);
    if (!send_wait(c, &r))
        return print_error(c);
    if (s3_head_object_parse(&c->resp, &h, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    put_num(o, "size", h.size);
    put_str(o, "content_type", h.content_type);
    put_str(o, "etag", h.etag);
    put_num(o, "mtime", h.mtime);
    put_str(o, "storage_class", h.storage_class);
    put_str(o, "sse", h.sse);
    put_str(o, "kms_key_id", h.kms_key_id);
    put_str(o, "version_id", h.version_id);
    put_num(o, "tag_count", h.tag_count);
    put_bool(o, "restore_requested", h.restore_requested);
    put_bool(o, "restore_ongoing", h.restore_ongoing);
    put_num(o, "restore_expiry", h.restore_expiry);
    cJSON_AddItemToObject(o, "metadata", kv_object(h.metadata, h.nmetadata));
    s3_object_head_free(&h);
    return print_json(o);
}

static int s3_get_range(struct call *c)
{
    struct s3_location loc;
    struct aws_request r;
    struct s3_range rg;
    struct aws_error e;
    const char *last = arg("last");
    cJSON *o;
    char *hex;

    if (locate(c, &loc) < 0)
        return 1;
    s3_get_object_request(&r, &loc, arg("key"), arg("version"), argi("first", 0),
                          last ? atoi(last) : -1);
    s3_location_done(&loc);
    if (!send_wait(c, &r))
        return print_error(c);
    if (s3_get_object_range_parse(&c->resp, &rg, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    put_num(o, "first", rg.first);
    put_num(o, "last", rg.last);
    put_num(o, "total", rg.total);
    hex = calloc(c->resp.body.len * 2 + 1, 1);
    for (size_t i = 0; i < c->resp.body.len; i++)
        sprintf(hex + 2 * i, "%02x", (unsigned char)c->resp.body.data[i]);
    put_str(o, "data_hex", hex);
    free(hex);
    return print_json(o);
}

static int s3_tagging(struct call *c)
{
    struct s3_location loc;
    struct aws_request r;
    struct s3_tag_list t;
    struct aws_error e;
    cJSON *o;

    if (locate(c, &loc) < 0)
        return 1;
    s3_get_object_tagging_request(&r, &loc, arg("key"), arg("version"));
    s3_location_done(&loc);
    if (!send_wait(c, &r))
        return print_error(c);
    if (s3_get_object_tagging_parse(&c->resp, &t, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    cJSON_AddItemToObject(o, "tags", kv_object(t.tags, t.n));
    s3_tag_list_free(&t);
    return print_json(o);
}

static int s3_versions(struct call *c)
{
    struct s3_location loc;
    struct s3_list_versions_params p;
    struct aws_request r;
    struct s3_version_list l;
    struct aws_error e;
    cJSON *o, *arr;

    if (locate(c, &loc) < 0)
        return 1;
    p = (struct s3_list_versions_params){ .loc = &loc, .prefix = arg("prefix"),
                                          .key_marker = arg("key_marker"),
                                          .version_id_marker = arg("version_marker"),
                                          .max_keys = argi("max", 0) };
    s3_list_object_versions_request(&r, &p);
    s3_location_done(&loc);
    if (!send_wait(c, &r))
        return print_error(c);
    if (s3_list_object_versions_parse(&c->resp, &l, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(o, "versions");
    for (size_t i = 0; i < l.n; i++) {
        cJSON *v = cJSON_CreateObject();
        put_str(v, "key", l.versions[i].key);
        put_str(v, "version_id", l.versions[i].version_id);
        put_bool(v, "is_latest", l.versions[i].is_latest);
        put_bool(v, "delete_marker", l.versions[i].delete_marker);
        put_num(v, "size", l.versions[i].size);
        cJSON_AddItemToArray(arr, v);
    }
    put_str(o, "next_key_marker", l.next_key_marker);
    put_str(o, "next_version_id_marker", l.next_version_id_marker);
    s3_version_list_free(&l);
    return print_json(o);
}

static int s3_list(struct call *c)
{
    struct s3_location loc;
    struct s3_list_objects_params p;
    struct aws_request r;
    struct s3_object_list l;
    struct aws_error e;
    cJSON *o, *arr;

    if (locate(c, &loc) < 0)
        return 1;
    p = (struct s3_list_objects_params){ .loc = &loc, .prefix = arg("prefix"),
                                         .delimiter = arg("delimiter"),
                                         .continuation_token = arg("token"),
                                         .start_after = arg("start_after"),
                                         .max_keys = argi("max", 0) };
    s3_list_objects_v2_request(&r, &p);
    s3_location_done(&loc);
    if (!send_wait(c, &r))
        return print_error(c);
    if (s3_list_objects_v2_parse(&c->resp, &l, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(o, "keys");
    for (size_t i = 0; i < l.nobjects; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(l.objects[i].key));
    cJSON_AddItemToObject(o, "prefixes", str_array(l.prefixes, l.nprefixes));
    put_str(o, "next_token", l.next_token);
    s3_object_list_free(&l);
    return print_json(o);
}

/* No request: the URL for key, signed with the environment's keys at the given time. */
static int s3_presign(struct call *c)
{
    struct s3_location loc;
    struct sigv4_credentials cr = { .access_key_id = getenv("AWS_ACCESS_KEY_ID"),
                                    .secret_access_key = getenv("AWS_SECRET_ACCESS_KEY"),
                                    .session_token = getenv("AWS_SESSION_TOKEN") };
    struct aws_error e;
    const char *when = arg("when");
    char *url = NULL;
    cJSON *o;

    if (locate(c, &loc) < 0)
        return 1;
    if (s3_presign_get(&loc, arg("key"), arg("version"), &cr,
                       when ? (time_t)atoll(when) : time(NULL), argi("expires", 900),
                       argi("max_expires", 0), &url, &e) < 0) {
        s3_location_done(&loc);
        return parse_failed(c, &e);
    }
    s3_location_done(&loc);
    o = cJSON_CreateObject();
    put_str(o, "url", url);
    free(url);
    return print_json(o);
}

static int logs_filter(struct call *c)
{
    const char *start = arg("start_ms"), *end = arg("end_ms");
    struct logs_filter_params p = { .log_group = arg("group"), .filter_pattern = arg("pattern"),
                                    .start_ms = start ? atoll(start) : -1,
                                    .end_ms = end ? atoll(end) : -1, .limit = argi("limit", 0),
                                    .next_token = arg("token") };
    struct aws_request r;
    struct logs_event_list l;
    struct aws_error e;
    cJSON *o, *arr;

    logs_filter_log_events_request(&r, &p);
    if (!send_wait(c, &r))
        return print_error(c);
    if (logs_filter_log_events_parse(&c->resp, &l, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(o, "events");
    for (size_t i = 0; i < l.n; i++) {
        cJSON *ev = cJSON_CreateObject();
        struct sns_delivery_record rec;
        put_str(ev, "message", l.events[i].message);
        put_num(ev, "timestamp", l.events[i].timestamp_ms);
        if (sns_delivery_record_parse(l.events[i].message, &rec, &e) == 0) {
            put_str(ev, "destination", rec.destination);
            put_num(ev, "status_code", rec.has_status_code ? rec.status_code : -1);
            sns_delivery_record_free(&rec);
        }
        cJSON_AddItemToArray(arr, ev);
    }
    put_str(o, "next_token", l.next_token);
    logs_event_list_free(&l);
    return print_json(o);
}

static int logs_groups(struct call *c)
{
    struct logs_describe_params p = { .prefix = arg("prefix"), .limit = argi("limit", 0),
                                      .next_token = arg("token") };
    struct aws_request r;
    struct logs_group_list l;
    struct aws_error e;
    cJSON *o, *arr;

    logs_describe_log_groups_request(&r, &p);
    if (!send_wait(c, &r))
        return print_error(c);
    if (logs_describe_log_groups_parse(&c->resp, &l, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(o, "groups");
    for (size_t i = 0; i < l.n; i++) {
        cJSON *g = cJSON_CreateObject();
        put_str(g, "name", l.groups[i].name);
        put_num(g, "retention_days", l.groups[i].retention_days);
        cJSON_AddItemToArray(arr, g);
    }
    put_str(o, "next_token", l.next_token);
    logs_group_list_free(&l);
    return print_json(o);
}

static int ec2_vpce(struct call *c)
{
    size_t n;
    const char **names = arg_list("service", &n);
    struct ec2_vpce_params p = { .service_names = names, .nservice_names = n,
                                 .max_results = argi("max", 0), .next_token = arg("token") };
    struct aws_request r;
    struct ec2_vpc_endpoint_list l;
    struct aws_error e;
    cJSON *o, *arr;

    ec2_describe_vpc_endpoints_request(&r, &p);
    free(names);
    if (!send_wait(c, &r))
        return print_error(c);
    if (ec2_describe_vpc_endpoints_parse(&c->resp, &l, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(o, "endpoints");
    for (size_t i = 0; i < l.n; i++) {
        cJSON *v = cJSON_CreateObject();
        put_str(v, "id", l.endpoints[i].id);
        put_str(v, "vpc_id", l.endpoints[i].vpc_id);
        put_str(v, "service_name", l.endpoints[i].service_name);
        put_str(v, "state", l.endpoints[i].state);
        put_str(v, "type", l.endpoints[i].type);
        put_bool(v, "private_dns", l.endpoints[i].private_dns);
        cJSON_AddItemToArray(arr, v);
    }
    put_str(o, "next_token", l.next_token);
    ec2_vpc_endpoint_list_free(&l);
    return print_json(o);
}

static int iam_policy(struct call *c)
{
    struct aws_request r;
    struct iam_password_policy p;
    struct aws_error e;
    cJSON *o;

    iam_get_account_password_policy_request(&r);
    if (!send_wait(c, &r))
        return print_error(c);
    if (iam_get_account_password_policy_parse(&c->resp, &p, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    put_bool(o, "expire_passwords", p.expire_passwords);
    put_num(o, "max_age_days", p.max_age_days);
    put_bool(o, "hard_expiry", p.hard_expiry);
    put_num(o, "min_length", p.min_length);
    return print_json(o);
}

static int iam_user(struct call *c)
{
    struct aws_request r;
    struct iam_user u;
    struct iam_login_profile lp;
    struct aws_error e;
    cJSON *o = cJSON_CreateObject();

    iam_get_user_request(&r, arg("user"));
    if (!send_wait(c, &r))
        return cJSON_Delete(o), print_error(c);
    if (iam_get_user_parse(&c->resp, &u, &e) < 0)
        return cJSON_Delete(o), parse_failed(c, &e);
    put_str(o, "name", u.name);
    put_str(o, "arn", u.arn);
    put_num(o, "created", u.created);
    iam_user_free(&u);
    iam_get_login_profile_request(&r, arg("user"));
    if (!send_wait(c, &r))
        return cJSON_Delete(o), print_error(c);
    if (iam_get_login_profile_parse(&c->resp, &lp, &e) < 0)
        return cJSON_Delete(o), parse_failed(c, &e);
    put_num(o, "login_profile_created", lp.created);
    put_bool(o, "reset_required", lp.reset_required);
    iam_login_profile_free(&lp);
    return print_json(o);
}

static int iam_keys(struct call *c)
{
    struct aws_request r;
    struct iam_access_key_list l;
    struct aws_error e;
    cJSON *o, *arr;

    iam_list_access_keys_request(&r, arg("user"), arg("marker"));
    if (!send_wait(c, &r))
        return print_error(c);
    if (iam_list_access_keys_parse(&c->resp, &l, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(o, "keys");
    for (size_t i = 0; i < l.n; i++) {
        struct iam_key_last_used k;
        cJSON *v = cJSON_CreateObject();
        put_str(v, "id", l.keys[i].id);
        put_str(v, "status", l.keys[i].status);
        put_num(v, "created", l.keys[i].created);
        iam_get_access_key_last_used_request(&r, l.keys[i].id);
        if (send_wait(c, &r) && iam_get_access_key_last_used_parse(&c->resp, &k, &e) == 0) {
            put_num(v, "last_used", k.last_used);
            put_str(v, "last_used_service", k.service);
            iam_key_last_used_free(&k);
        }
        cJSON_AddItemToArray(arr, v);
    }
    put_str(o, "marker", l.marker);
    iam_access_key_list_free(&l);
    return print_json(o);
}

static int iam_generate(struct call *c)
{
    struct aws_request r;
    struct iam_report_state st;
    struct aws_error e;
    cJSON *o;

    iam_generate_credential_report_request(&r);
    if (!send_wait(c, &r))
        return print_error(c);
    if (iam_generate_credential_report_parse(&c->resp, &st, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    put_str(o, "state", st.state);
    iam_report_state_free(&st);
    return print_json(o);
}

static int iam_report(struct call *c)
{
    struct aws_request r;
    struct iam_credential_report cr;
    struct iam_report rep;
    struct aws_error e;
    cJSON *o, *arr;

    iam_get_credential_report_request(&r);
    if (!send_wait(c, &r))
        return print_error(c);
    if (iam_get_credential_report_parse(&c->resp, &cr, &e) < 0)
        return parse_failed(c, &e);
    if (iam_report_parse_csv(cr.csv, cr.len, &rep, &e) < 0) {
        iam_credential_report_free(&cr);
        return parse_failed(c, &e);
    }
    o = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(o, "rows");
    for (size_t i = 0; i < rep.n; i++) {
        cJSON *v = cJSON_CreateObject();
        put_str(v, "user", rep.rows[i].user);
        put_bool(v, "password_enabled", rep.rows[i].password_enabled);
        put_num(v, "password_last_changed", rep.rows[i].password_last_changed);
        put_num(v, "key1_last_rotated", rep.rows[i].keys[0].last_rotated);
        put_bool(v, "key1_active", rep.rows[i].keys[0].active);
        cJSON_AddItemToArray(arr, v);
    }
    iam_report_free(&rep);
    iam_credential_report_free(&cr);
    return print_json(o);
}

static cJSON *secret_json(const struct secretsmanager_secret *s)
{
    cJSON *v = cJSON_CreateObject();

    put_str(v, "name", s->name);
    put_str(v, "arn", s->arn);
    put_bool(v, "rotation_enabled", s->rotation_enabled);
    put_num(v, "rotation_days", s->rotation_days);
    put_num(v, "last_rotated", s->last_rotated);
    put_num(v, "next_rotation", s->next_rotation);
    put_num(v, "last_changed", s->last_changed);
    return v;
}

static int sm_list(struct call *c)
{
    struct secretsmanager_list_params p = { .max_results = argi("max", 0),
                                            .next_token = arg("token"),
                                            .name_prefix = arg("prefix") };
    struct aws_request r;
    struct secretsmanager_secret_list l;
    struct aws_error e;
    cJSON *o, *arr;

    secretsmanager_list_secrets_request(&r, &p);
    if (!send_wait(c, &r))
        return print_error(c);
    if (secretsmanager_list_secrets_parse(&c->resp, &l, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(o, "secrets");
    for (size_t i = 0; i < l.n; i++)
        cJSON_AddItemToArray(arr, secret_json(&l.secrets[i]));
    put_str(o, "next_token", l.next_token);
    secretsmanager_secret_list_free(&l);
    return print_json(o);
}

static int sm_describe(struct call *c)
{
    struct aws_request r;
    struct secretsmanager_secret s;
    struct aws_error e;

    secretsmanager_describe_secret_request(&r, arg("id"));
    if (!send_wait(c, &r))
        return print_error(c);
    if (secretsmanager_describe_secret_parse(&c->resp, &s, &e) < 0)
        return parse_failed(c, &e);
    cJSON *o = secret_json(&s);
    secretsmanager_secret_free(&s);
    return print_json(o);
}

/* SecureString values are printed only as "secret" and their length: the test checks the
 * decrypted value arrived without this tool ever printing it. */
static cJSON *parameter_json(const struct ssm_parameter *p)
{
    cJSON *v = cJSON_CreateObject();

    put_str(v, "name", p->name);
    put_str(v, "type", p->type);
    put_str(v, "value", p->secure ? "secret" : p->value);
    if (p->secure)
        put_num(v, "value_len", (int64_t)strlen(p->value));
    put_num(v, "version", p->version);
    put_num(v, "last_modified", p->last_modified);
    return v;
}

static int ssm_get(struct call *c)
{
    struct aws_request r;
    struct ssm_parameter p;
    struct aws_error e;

    ssm_get_parameter_request(&r, arg("name"), argi("decrypt", 0) != 0);
    if (!send_wait(c, &r))
        return print_error(c);
    if (ssm_get_parameter_parse(&c->resp, &p, &e) < 0)
        return parse_failed(c, &e);
    cJSON *o = parameter_json(&p);
    ssm_parameter_free(&p);
    return print_json(o);
}

static int ssm_list_out(struct call *c, int (*parse)(const struct aws_response *,
                                                     struct ssm_parameter_list *,
                                                     struct aws_error *))
{
    struct ssm_parameter_list l;
    struct aws_error e;
    cJSON *o, *arr;

    if (parse(&c->resp, &l, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(o, "parameters");
    for (size_t i = 0; i < l.n; i++)
        cJSON_AddItemToArray(arr, parameter_json(&l.params[i]));
    cJSON_AddItemToObject(o, "invalid", str_array(l.invalid, l.ninvalid));
    put_str(o, "next_token", l.next_token);
    ssm_parameter_list_free(&l);
    return print_json(o);
}

static int ssm_get_many(struct call *c)
{
    size_t n;
    const char **names = arg_list("name", &n);
    struct aws_request r;

    ssm_get_parameters_request(&r, names, n, argi("decrypt", 0) != 0);
    free(names);
    if (!send_wait(c, &r))
        return print_error(c);
    return ssm_list_out(c, ssm_get_parameters_parse);
}

static int ssm_by_path(struct call *c)
{
    struct ssm_path_params p = { .path = arg("path"), .recursive = argi("recursive", 0) != 0,
                                 .with_decryption = argi("decrypt", 0) != 0,
                                 .max_results = argi("max", 0), .next_token = arg("token") };
    struct aws_request r;

    ssm_get_parameters_by_path_request(&r, &p);
    if (!send_wait(c, &r))
        return print_error(c);
    return ssm_list_out(c, ssm_get_parameters_by_path_parse);
}

static int ssm_put(struct call *c)
{
    struct ssm_put_params p = { .name = arg("name"), .value = arg("value"),
                                .type = arg("type"), .overwrite = argi("overwrite", 0) != 0 };
    struct aws_request r;
    struct aws_error e;
    int64_t version;
    cJSON *o;

    ssm_put_parameter_request(&r, &p);
    if (!send_wait(c, &r))
        return print_error(c);
    if (ssm_put_parameter_parse(&c->resp, &version, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    put_num(o, "version", version);
    return print_json(o);
}

static cJSON *rule_json(const struct events_rule *x)
{
    cJSON *v = cJSON_CreateObject();

    put_str(v, "name", x->name);
    put_str(v, "bus", x->bus);
    put_str(v, "state", x->state);
    put_str(v, "schedule", x->schedule);
    put_str(v, "pattern", x->pattern);
    return v;
}

static int ev_buses(struct call *c)
{
    struct events_list_params p = { .limit = argi("limit", 0), .next_token = arg("token") };
    struct aws_request r;
    struct events_bus_list l;
    struct aws_error e;
    cJSON *o, *arr;

    events_list_event_buses_request(&r, &p);
    if (!send_wait(c, &r))
        return print_error(c);
    if (events_list_event_buses_parse(&c->resp, &l, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(o, "buses");
    for (size_t i = 0; i < l.n; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(l.buses[i].name));
    put_str(o, "next_token", l.next_token);
    events_bus_list_free(&l);
    return print_json(o);
}

static int ev_rules(struct call *c)
{
    struct events_list_params p = { .limit = argi("limit", 0), .next_token = arg("token") };
    struct aws_request r;
    struct events_rule_list l;
    struct aws_error e;
    cJSON *o, *arr;

    events_list_rules_request(&r, arg("bus"), &p);
    if (!send_wait(c, &r))
        return print_error(c);
    if (events_list_rules_parse(&c->resp, &l, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(o, "rules");
    for (size_t i = 0; i < l.n; i++)
        cJSON_AddItemToArray(arr, rule_json(&l.rules[i]));
    put_str(o, "next_token", l.next_token);
    events_rule_list_free(&l);
    return print_json(o);
}

static int ev_describe(struct call *c)
{
    struct aws_request r;
    struct events_rule x;
    struct events_target_list t;
    struct aws_error e;
    cJSON *o, *arr;

    events_describe_rule_request(&r, arg("name"), arg("bus"));
    if (!send_wait(c, &r))
        return print_error(c);
    if (events_describe_rule_parse(&c->resp, &x, &e) < 0)
        return parse_failed(c, &e);
    o = rule_json(&x);
    events_rule_free(&x);
    events_list_targets_by_rule_request(&r, arg("name"), arg("bus"), NULL);
    if (!send_wait(c, &r))
        return cJSON_Delete(o), print_error(c);
    if (events_list_targets_by_rule_parse(&c->resp, &t, &e) < 0)
        return cJSON_Delete(o), parse_failed(c, &e);
    arr = cJSON_AddArrayToObject(o, "targets");
    for (size_t i = 0; i < t.n; i++)
        cJSON_AddItemToArray(arr, cJSON_CreateString(t.targets[i].arn));
    events_target_list_free(&t);
    return print_json(o);
}

static int ev_enable(struct call *c)
{
    struct aws_request r;

    if (argi("enabled", 1))
        events_enable_rule_request(&r, arg("name"), arg("bus"));
    else
        events_disable_rule_request(&r, arg("name"), arg("bus"));
    return no_answer(c, &r);
}

static cJSON *esm_json(const struct lambda_esm *m)
{
    cJSON *v = cJSON_CreateObject();

    put_str(v, "uuid", m->uuid);
    put_str(v, "state", m->state);
    put_str(v, "function_arn", m->function_arn);
    put_str(v, "event_source_arn", m->event_source_arn);
    put_num(v, "batch_size", m->batch_size);
    put_num(v, "max_concurrency", m->max_concurrency);
    return v;
}

static int lambda_list(struct call *c)
{
    struct lambda_esm_list_params p = { .function_name = arg("function"),
                                        .event_source_arn = arg("source"),
                                        .max_items = argi("max", 0), .marker = arg("marker") };
    struct aws_request r;
    struct lambda_esm_list l;
    struct aws_error e;
    cJSON *o, *arr;

    lambda_list_event_source_mappings_request(&r, &p);
    if (!send_wait(c, &r))
        return print_error(c);
    if (lambda_list_event_source_mappings_parse(&c->resp, &l, &e) < 0)
        return parse_failed(c, &e);
    o = cJSON_CreateObject();
    arr = cJSON_AddArrayToObject(o, "mappings");
    for (size_t i = 0; i < l.n; i++)
        cJSON_AddItemToArray(arr, esm_json(&l.mappings[i]));
    put_str(o, "next_marker", l.next_marker);
    lambda_esm_list_free(&l);
    return print_json(o);
}

static int lambda_one(struct call *c)
{
    const char *enabled = arg("enabled");
    struct aws_request r;
    struct lambda_esm m;
    struct aws_error e;

    if (enabled)
        lambda_update_event_source_mapping_request(&r, arg("uuid"), atoi(enabled) != 0);
    else
        lambda_get_event_source_mapping_request(&r, arg("uuid"));
    if (!send_wait(c, &r))
        return print_error(c);
    if (lambda_event_source_mapping_parse(&c->resp, &m, &e) < 0)
        return parse_failed(c, &e);
    cJSON *o = esm_json(&m);
    lambda_esm_free(&m);
    return print_json(o);
}

static const struct {
    const char *name;
    action_fn fn;
} actions[] = {
    { "sqs_receive_message", sqs_receive },
    { "sqs_send_message", sqs_send },
    { "sqs_send_message_batch", sqs_send_batch },
    { "sqs_delete_message_batch", sqs_delete_batch },
    { "sqs_change_message_visibility_batch", sqs_visibility_batch },
    { "sqs_change_message_visibility", sqs_visibility },
    { "sqs_delete_message", sqs_delete },
    { "sqs_purge_queue", sqs_purge },
    { "sqs_get_queue_url", sqs_url },
    { "sqs_start_message_move_task", sqs_move_start },
    { "sqs_list_message_move_tasks", sqs_move_list },
    { "sqs_cancel_message_move_task", sqs_move_cancel },
    { "sns_publish", sns_publish },
    { "sns_get_subscription_attributes", sns_sub_attrs },
    { "sns_get_topic_attributes", sns_topic_attrs },
    { "s3_head_bucket", s3_head_bucket },
    { "s3_get_bucket_location", s3_location },
    { "s3_head_object", s3_head_object },
    { "s3_get_object", s3_get_range },
    { "s3_get_object_tagging", s3_tagging },
    { "s3_list_object_versions", s3_versions },
    { "s3_list_objects_v2", s3_list },
    { "s3_presign_get", s3_presign },
    { "logs_filter_log_events", logs_filter },
    { "logs_describe_log_groups", logs_groups },
    { "ec2_describe_vpc_endpoints", ec2_vpce },
    { "iam_get_account_password_policy", iam_policy },
    { "iam_get_user", iam_user },
    { "iam_list_access_keys", iam_keys },
    { "iam_generate_credential_report", iam_generate },
    { "iam_get_credential_report", iam_report },
    { "secretsmanager_list_secrets", sm_list },
    { "secretsmanager_describe_secret", sm_describe },
    { "ssm_get_parameter", ssm_get },
    { "ssm_get_parameters", ssm_get_many },
    { "ssm_get_parameters_by_path", ssm_by_path },
    { "ssm_put_parameter", ssm_put },
    { "events_list_event_buses", ev_buses },
    { "events_list_rules", ev_rules },
    { "events_describe_rule", ev_describe },
    { "events_set_rule", ev_enable },
    { "lambda_list_event_source_mappings", lambda_list },
    { "lambda_event_source_mapping", lambda_one },
};

static bool pass_writes(void *ud, const struct aws_request *req)
{
    (void)ud;
    (void)req;
    return true;
}

int main(int argc, char **argv)
{
    struct aws_config_opts co = { 0 };
    struct call c;
    struct aws_error err;
    struct creds_manager *cm;
    int rc = 2;

    if (argc < 2) {
        fprintf(stderr, "usage: client_call ACTION [NAME=VALUE]... (client_call list)\n");
        return 2;
    }
    if (strcmp(argv[1], "list") == 0) {
        for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
            printf("%s\n", actions[i].name);
        return 0;
    }
    nargs = argc - 2;
    args = argv + 2;
    memset(&c, 0, sizeof(c));
    aws_error_clear(&err);
    c.cfg = aws_config_new(&co, &err);
    if (!c.cfg) {
        printf("{\"error\": \"config\"}\n");
        return 1;
    }
    cm = creds_manager_new(c.cfg);
    c.client = aws_client_new(c.cfg, creds_manager_source(cm), NULL);
    /* the writes this tool makes are the test's own: it stands in for the write gate (the
     * gate itself, its confirmations and audit, are tested in test_gate and its tests) */
    aws_client_set_gate(c.client, pass_writes, NULL);
    aws_response_init(&c.resp);
    for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
        if (strcmp(argv[1], actions[i].name) == 0)
            rc = actions[i].fn(&c);
    if (rc == 2)
        fprintf(stderr, "client_call: no action %s\n", argv[1]);
    aws_response_done(&c.resp);
    aws_client_free(c.client);
    creds_manager_free(cm);
    aws_config_free(c.cfg);
    return rc;
}
