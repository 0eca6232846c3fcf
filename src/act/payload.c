/* payload.c - "fetch-payload": the S3 payload an extended-client pointer names (a peeked
 * message in the store, sqs_s3_pointer), read with a ranged GetObject of its first 64 KiB
 * for the message viewer. A read: nothing is changed, nothing asked.
 *
 * It writes to the message's row (kind "message"): payload_b64 (the bytes read, base64:
 * an object may hold NUL bytes), payload_first, payload_last, payload_total (the object's
 * size, -1 when S3 did not say), or payload_error (cause, profile, endpoint, fix). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/action.h"
#include "aws/s3.h"
#include "aws/sqs_check.h"
#include "conf/awsconfig.h"
#include "core/proto.h"
#include "util/xalloc.h"

#define PAYLOAD_PREVIEW (64 * 1024)

struct payload {
    char *bucket, *key;
};

static void put_error(struct act_run *run, const char *line)
{
    struct store *s = act_run_env(run)->results;
    struct store_res *r;

    if (!s)
        return;
    r = store_update_begin(s, "message", act_run_target(run)->key);
    store_set_str(r, "payload_error", line);
    store_update_commit(r);
}

static int payload_start(void *priv, struct act_run *run)
{
    struct payload *p = priv;
    const struct act_env *env = act_run_env(run);
    const struct store_res *m = env->store ? store_find(env->store, "message",
                                                        act_run_target(run)->key) : NULL;
    const char *body = m ? store_res_str(m, "body") : NULL, *source = NULL;
    struct s3_endpoint ep = {0};
    struct s3_location loc;
    struct aws_request req;
    struct aws_error err;
    char *url;
    char line[1200];

    if (!body || !sqs_s3_pointer(body, &p->bucket, &p->key)) {
        act_run_finish(run, ACT_FAILED, "this message is not an S3 extended-payload pointer");
        return -1;
    }
    aws_error_clear(&err);
    url = env->cfg ? aws_config_endpoint(env->cfg, "s3", &source, &err) : NULL;
    if (!url) {
        if (!env->cfg)
            aws_error_set(&err, AWS_ERR_CONFIG, "no AWS configuration to reach S3 with");
        act_run_describe_error(run, &err, line, sizeof(line));
        put_error(run, line);
        act_run_finish(run, ACT_FAILED, "%s", line);
        return -1;
    }
    ep.url = url;
    ep.configured = source && strcmp(source, "default") != 0;
    if (s3_location_init(&loc, p->bucket, &ep, &err) < 0) {
        free(url);
        act_run_describe_error(run, &err, line, sizeof(line));
        put_error(run, line);
        act_run_finish(run, ACT_FAILED, "%s", line);
        return -1;
    }
    s3_get_object_request(&req, &loc, p->key, NULL, 0, PAYLOAD_PREVIEW - 1);
    s3_location_done(&loc);
    free(url);
    return act_send(run, &req, 0, NULL);
}

static void payload_answer(void *priv, struct act_run *run, int tag,
                           const struct aws_response *resp, const struct aws_error *err)
{
    struct payload *p = priv;
    struct store *s = act_run_env(run)->results;
    struct s3_range range;
    struct aws_error perr;
    struct store_res *r;
    char line[1200], *b64;

    (void)tag;
    aws_error_clear(&perr);
    if (!resp || s3_get_object_range_parse(resp, &range, &perr) < 0) {
        act_run_describe_error(run, resp ? &perr : err, line, sizeof(line));
        put_error(run, line);
        act_run_finish(run, ACT_FAILED, "s3://%s/%s: %s", p->bucket, p->key, line);
        return;
    }
    if (s) {
        size_t n = resp->body.len < PAYLOAD_PREVIEW ? resp->body.len : PAYLOAD_PREVIEW;

        b64 = proto_base64_encode(resp->body.data, n);
        r = store_update_begin(s, "message", act_run_target(run)->key);
        store_set_str(r, "payload_b64", b64);
        store_set_int(r, "payload_first", range.first);
        store_set_int(r, "payload_last", range.first + (int64_t)n - 1);
        store_set_int(r, "payload_total", range.total);
        store_set_str(r, "payload_error", "");
        store_update_commit(r);
        free(b64);
    }
    act_run_finish(run, ACT_DONE, "read the first %lld bytes of s3://%s/%s",
                   (long long)(resp->body.len < PAYLOAD_PREVIEW ? resp->body.len
                                                                : PAYLOAD_PREVIEW),
                   p->bucket, p->key);
}

static void payload_done(void *priv)
{
    struct payload *p = priv;

    free(p->bucket);
    free(p->key);
}

const struct action fetch_payload_action = {
    .name = "fetch-payload",
    .title = "Fetch the S3 payload",
    .target_kind = "message",
    .mutates = false,
    .confirm = ACT_CONFIRM_NONE,
    .private_size = sizeof(struct payload),
    .start = payload_start,
    .answer = payload_answer,
    .done = payload_done,
};
