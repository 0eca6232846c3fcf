/* test_gate.c - the one gate for every write, against a real client and a small HTTP server
 * on 127.0.0.1 (http_stub.h) that reports every connection and request it sees:
 *   - a mutating request sent straight to the client is refused, with or without a gate
 *     registered, and not one byte reaches the server;
 *   - read-only (every reason, in its order) refuses before anything is signed or sent;
 *   - a write through the gate is in the audit log before it reaches the server, and its
 *     outcome (status, request id) after; a read through the gate is not audited;
 *   - an audit log that cannot be written, or an fsync that fails, keeps the write unsent;
 *   - a write still pending when the session ends is audited as "unknown"; a forgotten
 *     caller is not called back but its write is still audited. */
#include "config.h"
#include "check_tap.h"

#include <cjson/cJSON.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "act/audit.h"
#include "act/gate.h"
#include "conf/appconfig.h"
#include "conf/awsconfig.h"
#include "core/client.h"
#include "creds/creds.h"
#include "http_stub.h"
#include "tmp_home.h"

#define OK_RESPONSE \
    "HTTP/1.1 200 OK\r\nx-amzn-RequestId: req-gate-1\r\nContent-Type: application/json\r\n" \
    "Content-Length: 2\r\n\r\n{}"

struct rig {
    struct http_stub srv;
    struct aws_config *acfg;
    struct creds_manager *cm;
    struct aws_client *client;
    struct appconfig *app;
    char audit[400];
};

struct answer {
    int calls;
    bool ok;
    struct aws_error err;
};

static void on_answer(const struct aws_response *resp, const struct aws_error *err, void *ud)
{
    struct answer *a = ud;

    a->calls++;
    a->ok = resp != NULL;
    if (err)
        a->err = *err;
}

/* response NULL: a server that never answers. */
static void rig_init(struct rig *r, const char *response, const char *appconfig_text)
{
    memset(r, 0, sizeof(*r));
    snprintf(r->audit, sizeof(r->audit), "%s/state/opsdeck/audit.jsonl", home);
    http_stub_start(&r->srv, response, r->audit);
    r->client = http_stub_client(&r->srv, &r->acfg, &r->cm);
    if (appconfig_text) {
        tmp_home_write("opsdeck.conf", appconfig_text);
        char path[400];
        snprintf(path, sizeof(path), "%s/opsdeck.conf", home);
        r->app = appconfig_load(path);
        ck_assert_msg(r->app->nerrors == 0, "%s", r->app->nerrors ? r->app->errors[0] : "");
    } else {
        r->app = appconfig_new();
    }
}

static void drain(struct aws_client *c)
{
    while (aws_client_pending(c) > 0)
        aws_client_run(c, NULL, 0, 1000);
}

/* Frees the client (and the gate after it), then stops the server and reads its report. */
static void rig_done(struct rig *r, struct gate *g)
{
    aws_client_free(r->client);
    gate_free(g);
    http_stub_stop(&r->srv);
    creds_manager_free(r->cm);
    aws_config_free(r->acfg);
    appconfig_free(r->app);
}

static void mutating_request(struct aws_request *req)
{
    aws_request_init_mutating(req, "sqs", "SendMessage", "POST");
    aws_request_set_header(req, "Content-Type", "application/x-amz-json-1.0");
    aws_request_set_header(req, "X-Amz-Target", "AmazonSQS.SendMessage");
    buf_puts(&req->body, "{\"QueueUrl\":\"q\",\"MessageBody\":\"secret body\"}");
}

static void read_request(struct aws_request *req)
{
    aws_request_init(req, "sqs", "ListQueues", "POST");
    aws_request_set_header(req, "Content-Type", "application/x-amz-json-1.0");
    aws_request_set_header(req, "X-Amz-Target", "AmazonSQS.ListQueues");
    buf_puts(&req->body, "{}");
}

/* The audit file's lines, parsed; asserts each is a JSON object. */
static size_t audit_lines(const char *path, cJSON **out, size_t max)
{
    FILE *f = fopen(path, "r");
    char line[8192];
    size_t n = 0;

    if (!f)
        return 0;
    while (fgets(line, sizeof(line), f)) {
        cJSON *o = cJSON_Parse(line);

        ck_assert_msg(o && cJSON_IsObject(o), "audit line %zu is not a JSON object: %s", n + 1,
                      line);
        if (n < max)
            out[n] = o;
        else
            cJSON_Delete(o);
        n++;
    }
    fclose(f);
    return n;
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ---- the client refuses what the gate did not pass ----------------------------------------- */

START_TEST(client_without_gate_refuses_a_write)
{
    struct rig r;
    struct aws_request req;
    struct answer a = {0};
    struct aws_client_stats st;

    rig_init(&r, OK_RESPONSE, NULL);
    mutating_request(&req);
    aws_client_send(r.client, &req, on_answer, &a);
    ck_assert_int_eq(a.calls, 0);            /* never called back from inside send */
    drain(r.client);
    ck_assert_int_eq(a.calls, 1);
    ck_assert(!a.ok);
    ck_assert_int_eq(a.err.kind, AWS_ERR_REFUSED);
    ck_assert_ptr_nonnull(strstr(a.err.message, "SendMessage"));
    ck_assert_ptr_nonnull(strstr(a.err.message, "write gate"));
    aws_client_get_stats(r.client, &st);
    ck_assert_int_eq(st.requests, 0);        /* never signed, never attempted */
    rig_done(&r, NULL);
    ck_assert_int_eq(r.srv.connections, 0);
    ck_assert_int_eq(r.srv.bytes, 0);
}
END_TEST

START_TEST(client_with_gate_refuses_a_write_sent_around_it)
{
    struct rig r;
    struct aws_request req;
    struct answer a = {0};
    struct gate *g;
    struct stat sb;

    rig_init(&r, OK_RESPONSE, NULL);
    g = gate_new(r.client, r.app, "dev", "us-east-1", NULL, r.audit);
    mutating_request(&req);
    /* a field the gate checks does not exist: setting anything in req cannot forge a pass */
    aws_client_send(r.client, &req, on_answer, &a);
    drain(r.client);
    ck_assert_int_eq(a.calls, 1);
    ck_assert_int_eq(a.err.kind, AWS_ERR_REFUSED);
    ck_assert_int_ne(stat(r.audit, &sb), 0);   /* not audited either: it was not a write */
    rig_done(&r, g);
    ck_assert_int_eq(r.srv.connections, 0);
}
END_TEST

START_TEST(a_read_is_not_gated_nor_audited)
{
    struct rig r;
    struct aws_request req;
    struct answer a = {0}, b = {0};
    struct aws_error err;
    struct gate *g;
    struct stat sb;

    rig_init(&r, OK_RESPONSE, NULL);
    g = gate_new(r.client, r.app, "dev", "us-east-1", NULL, r.audit);
    read_request(&req);
    aws_client_send(r.client, &req, on_answer, &a);     /* straight to the client: fine */
    read_request(&req);
    ck_assert_int_eq(gate_send(g, &req, NULL, on_answer, &b, &err), 0);
    drain(r.client);
    ck_assert(a.ok && b.ok);
    ck_assert_int_ne(stat(r.audit, &sb), 0);
    rig_done(&r, g);
    ck_assert_int_eq(r.srv.requests, 2);
}
END_TEST

/* ---- a write through the gate --------------------------------------------------------------- */

START_TEST(a_write_is_audited_before_it_is_sent_and_after)
{
    struct rig r;
    struct aws_request req;
    struct answer a = {0};
    struct aws_error err;
    struct gate *g;
    struct stat sb;
    cJSON *lines[4] = {0}, *params = cJSON_CreateObject();
    char dir[400];

    rig_init(&r, OK_RESPONSE, NULL);
    g = gate_new(r.client, r.app, "dev", "us-east-1", NULL, r.audit);
    gate_set_identity(g, "arn:aws:iam::123456789012:user/alice", "123456789012");
    cJSON_AddNumberToObject(params, "body_bytes", 11);
    mutating_request(&req);
    struct gate_write w = {.resource = "https://sqs.example/123/orders", .params = params};
    ck_assert_int_eq(gate_send(g, &req, &w, on_answer, &a, &err), 0);
    ck_assert_int_eq(gate_pending(g), 1);
    /* the request line is on disk before the client has even started the transfer */
    ck_assert_int_eq(audit_lines(r.audit, lines, 4), 1);
    cJSON_Delete(lines[0]);
    drain(r.client);
    ck_assert_int_eq(a.calls, 1);
    ck_assert(a.ok);
    ck_assert_int_eq(gate_pending(g), 0);
    ck_assert_int_eq(audit_lines(r.audit, lines, 4), 2);

    ck_assert_str_eq(jstr(lines[0], "event"), "request");
    ck_assert_str_eq(jstr(lines[0], "action"), "SendMessage");
    ck_assert_str_eq(jstr(lines[0], "service"), "sqs");
    ck_assert_str_eq(jstr(lines[0], "profile"), "dev");
    ck_assert_str_eq(jstr(lines[0], "account"), "123456789012");
    ck_assert_str_eq(jstr(lines[0], "region"), "us-east-1");
    ck_assert_str_eq(jstr(lines[0], "caller_arn"), "arn:aws:iam::123456789012:user/alice");
    ck_assert_str_eq(jstr(lines[0], "resource"), "https://sqs.example/123/orders");
    ck_assert_ptr_nonnull(jstr(lines[0], "time"));
    ck_assert(cJSON_IsObject(cJSON_GetObjectItem(lines[0], "parameters")));
    ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(lines[0], "parameters"),
                                         "body_bytes")->valueint, 11);
    ck_assert_str_eq(jstr(lines[1], "event"), "outcome");
    ck_assert_str_eq(jstr(lines[1], "id"), jstr(lines[0], "id"));
    ck_assert_str_eq(jstr(lines[1], "status"), "ok");
    ck_assert_str_eq(jstr(lines[1], "request_id"), "req-gate-1");
    ck_assert_int_eq(cJSON_GetObjectItem(lines[1], "http_status")->valueint, 200);
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(lines[1], "error")));
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(lines[1], "result")));   /* nothing asked */
    for (int i = 0; i < 2; i++) {
        char *text = cJSON_PrintUnformatted(lines[i]);
        ck_assert_msg(!strstr(text, "secret body"), "the body is in the audit: %s", text);
        free(text);
        cJSON_Delete(lines[i]);
    }
    ck_assert_int_eq(stat(r.audit, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0600);
    snprintf(dir, sizeof(dir), "%s/state/opsdeck", home);
    ck_assert_int_eq(stat(dir, &sb), 0);
    ck_assert_int_eq(sb.st_mode & 0777, 0700);
    cJSON_Delete(params);
    rig_done(&r, g);
    ck_assert_int_eq(r.srv.requests, 1);
    ck_assert(r.srv.watch_seen[0]);      /* the server saw the audit line already written */
    ck_assert_ptr_nonnull(strstr(r.srv.first_line[0], "POST /"));
}
END_TEST

START_TEST(a_failed_write_is_audited_with_its_error)
{
    struct rig r;
    struct aws_request req;
    struct answer a = {0};
    struct aws_error err;
    struct gate *g;
    cJSON *lines[4] = {0};
    const cJSON *e;

    rig_init(&r,
             "HTTP/1.1 400 Bad Request\r\nx-amzn-RequestId: req-gate-2\r\n"
             "Content-Type: application/x-amz-json-1.0\r\nContent-Length: 86\r\n\r\n"
             "{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\",\"message\":\"The queue does not "
             "exist.\"}",
             NULL);
    g = gate_new(r.client, r.app, "dev", "us-east-1", NULL, r.audit);
    mutating_request(&req);
    ck_assert_int_eq(gate_send(g, &req, NULL, on_answer, &a, &err), 0);
    drain(r.client);
    ck_assert_int_eq(a.calls, 1);
    ck_assert(!a.ok);
    ck_assert_int_eq(audit_lines(r.audit, lines, 4), 2);
    ck_assert_str_eq(jstr(lines[1], "status"), "failed");
    ck_assert_int_eq(cJSON_GetObjectItem(lines[1], "http_status")->valueint, 400);
    e = cJSON_GetObjectItem(lines[1], "error");
    ck_assert(cJSON_IsObject(e));
    ck_assert_str_eq(jstr(e, "code"), "QueueDoesNotExist");
    ck_assert_str_eq(jstr(lines[1], "request_id"), "req-gate-2");
    cJSON_Delete(lines[0]);
    cJSON_Delete(lines[1]);
    rig_done(&r, g);
}
END_TEST

/* ---- what the outcome line keeps of the answer ------------------------------------------------ */

#define SENT_RESPONSE \
    "HTTP/1.1 200 OK\r\nx-amzn-RequestId: req-gate-3\r\nContent-Type: " \
    "application/x-amz-json-1.0\r\nContent-Length: 76\r\n\r\n" \
    "{\"MessageId\":\"5fea7756-0ea4-451a-a703-a558b933e274\",\"SequenceNumber\":\"1000\"}"

static int result_calls;
static struct answer *result_caller;   /* its calls when the hook ran */
static int result_caller_calls = -1;

/* Keeps the answer's ids, as a test-message action does. */
static void keep_ids(const struct aws_response *resp, cJSON *result)
{
    cJSON *o = cJSON_ParseWithLength(resp->body.data, resp->body.len);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "MessageId");
    const cJSON *seq = cJSON_GetObjectItemCaseSensitive(o, "SequenceNumber");

    result_calls++;
    if (result_caller)
        result_caller_calls = result_caller->calls;
    if (cJSON_IsString(id))
        cJSON_AddStringToObject(result, "message_id", id->valuestring);
    if (cJSON_IsString(seq))
        cJSON_AddStringToObject(result, "sequence_number", seq->valuestring);
    cJSON_Delete(o);
}

static void keep_nothing(const struct aws_response *resp, cJSON *result)
{
    (void)resp;
    (void)result;
    result_calls++;
}

/* One write with result hook fn answered by response; its outcome line (the caller frees). */
static cJSON *outcome_with(const char *response, gate_result_fn fn, bool forget,
                           struct answer *a)
{
    struct rig r;
    struct aws_request req;
    struct aws_error err;
    struct gate *g;
    cJSON *lines[4] = {0};

    result_calls = 0;
    result_caller = a;
    result_caller_calls = -1;
    rig_init(&r, response, NULL);
    unlink(r.audit);              /* one write's lines per call */
    g = gate_new(r.client, r.app, "dev", "us-east-1", NULL, r.audit);
    mutating_request(&req);
    struct gate_write w = {.resource = "https://sqs.example/123/orders", .result = fn};
    ck_assert_int_eq(gate_send(g, &req, &w, on_answer, a, &err), 0);
    if (forget)
        gate_forget(g, a);
    drain(r.client);
    ck_assert_int_eq(audit_lines(r.audit, lines, 4), 2);
    cJSON_Delete(lines[0]);
    rig_done(&r, g);
    result_caller = NULL;
    return lines[1];
}

START_TEST(outcome_keeps_what_the_answer_says)
{
    struct answer a = {0};
    cJSON *o = outcome_with(SENT_RESPONSE, keep_ids, false, &a);
    const cJSON *res = cJSON_GetObjectItem(o, "result");

    ck_assert_str_eq(jstr(o, "status"), "ok");
    ck_assert(cJSON_IsObject(res));
    ck_assert_str_eq(jstr(res, "message_id"), "5fea7756-0ea4-451a-a703-a558b933e274");
    ck_assert_str_eq(jstr(res, "sequence_number"), "1000");
    ck_assert_int_eq(cJSON_GetArraySize(res), 2);
    ck_assert_str_eq(jstr(o, "request_id"), "req-gate-3");
    ck_assert_int_eq(result_calls, 1);
    ck_assert_int_eq(result_caller_calls, 0);   /* read before the caller was called back */
    ck_assert_int_eq(a.calls, 1);
    cJSON_Delete(o);
}
END_TEST

START_TEST(outcome_of_a_forgotten_caller_keeps_the_answer_too)
{
    struct answer a = {0};
    cJSON *o = outcome_with(SENT_RESPONSE, keep_ids, true, &a);
    const cJSON *res = cJSON_GetObjectItem(o, "result");

    ck_assert_int_eq(a.calls, 0);
    ck_assert(cJSON_IsObject(res));
    ck_assert_str_eq(jstr(res, "message_id"), "5fea7756-0ea4-451a-a703-a558b933e274");
    cJSON_Delete(o);
}
END_TEST

START_TEST(outcome_result_is_null_when_there_is_nothing_to_keep)
{
    struct answer a = {0};
    cJSON *o;

    /* a failed write: the hook is not asked, the error says what happened */
    o = outcome_with("HTTP/1.1 400 Bad Request\r\nx-amzn-RequestId: req-gate-4\r\n"
                     "Content-Type: application/x-amz-json-1.0\r\nContent-Length: 86\r\n\r\n"
                     "{\"__type\":\"com.amazonaws.sqs#QueueDoesNotExist\",\"message\":\"The queue "
                     "does not exist.\"}",
                     keep_ids, false, &a);
    ck_assert_str_eq(jstr(o, "status"), "failed");
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "result")));
    ck_assert_int_eq(result_calls, 0);
    cJSON_Delete(o);
    /* an answer that does not hold what the hook looks for: null, not an empty object */
    memset(&a, 0, sizeof(a));
    o = outcome_with(OK_RESPONSE, keep_ids, false, &a);
    ck_assert_str_eq(jstr(o, "status"), "ok");
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "result")));
    ck_assert_int_eq(result_calls, 1);
    cJSON_Delete(o);
    memset(&a, 0, sizeof(a));
    o = outcome_with(SENT_RESPONSE, keep_nothing, false, &a);
    ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "result")));
    ck_assert_int_eq(result_calls, 1);
    cJSON_Delete(o);
}
END_TEST

/* ---- read-only ------------------------------------------------------------------------------- */

/* gate_send of one write that must be refused for a reason containing `because`. */
static void assert_refused(struct rig *r, struct gate *g, const char *because)
{
    struct aws_request req;
    struct answer a = {0};
    struct aws_error err;
    char why[1024];

    ck_assert(gate_read_only(g, why, sizeof(why)));
    ck_assert_msg(strstr(why, because), "'%s' does not say '%s'", why, because);
    mutating_request(&req);
    ck_assert_int_eq(gate_send(g, &req, NULL, on_answer, &a, &err), -1);
    ck_assert_int_eq(err.kind, AWS_ERR_READ_ONLY);
    ck_assert_str_eq(err.message, why);
    ck_assert_str_eq(err.action, "SendMessage");
    ck_assert_int_eq(aws_client_pending(r->client), 0);
    drain(r->client);
    ck_assert_int_eq(a.calls, 0);
}

static void assert_allowed(struct rig *r, struct gate *g)
{
    struct aws_request req;
    struct answer a = {0};
    struct aws_error err;

    ck_assert(!gate_read_only(g, NULL, 0));
    mutating_request(&req);
    ck_assert_int_eq(gate_send(g, &req, NULL, on_answer, &a, &err), 0);
    drain(r->client);
    ck_assert(a.ok);
}

START_TEST(read_only_flag_refuses_and_nothing_reaches_the_server)
{
    struct rig r;
    struct gate_policy pol = {.read_only = true, .allow_writes = true};
    struct gate *g;
    struct stat sb;

    rig_init(&r, OK_RESPONSE, NULL);
    g = gate_new(r.client, r.app, "dev", "us-east-1", &pol, r.audit);
    assert_refused(&r, g, "--read-only");
    gate_set_writes(g, GATE_WRITES_ON);          /* cannot lift an explicit read-only */
    assert_refused(&r, g, "--read-only");
    ck_assert(!gate_can_turn_on(g, NULL, 0));
    ck_assert_int_ne(stat(r.audit, &sb), 0);      /* a refused write is never audited */
    rig_done(&r, g);
    ck_assert_int_eq(r.srv.connections, 0);
    ck_assert_int_eq(r.srv.bytes, 0);
}
END_TEST

START_TEST(production_is_read_only_unless_allowed)
{
    struct rig r;
    struct gate_policy allow = {.allow_writes = true};
    struct gate *g, *g2;

    rig_init(&r, OK_RESPONSE, "[profile prod]\nenvironment = production\n");
    g = gate_new(r.client, r.app, "prod", "eu-west-1", NULL, r.audit);
    ck_assert(gate_production(g));
    assert_refused(&r, g, "[profile prod] environment = production");
    assert_refused(&r, g, "--allow-writes/:writes on");
    ck_assert(gate_can_turn_on(g, NULL, 0));
    gate_set_writes(g, GATE_WRITES_ON);
    assert_allowed(&r, g);
    gate_set_writes(g, GATE_WRITES_OFF);
    assert_refused(&r, g, ":writes off");
    gate_free(g);
    /* --allow-writes: the same profile may write from the start */
    g2 = gate_new(r.client, r.app, "prod", "eu-west-1", &allow, r.audit);
    assert_allowed(&r, g2);
    rig_done(&r, g2);
    ck_assert_int_eq(r.srv.requests, 2);
}
END_TEST

START_TEST(explicit_read_only_settings_beat_allow_writes)
{
    struct rig r;
    struct gate_policy allow = {.allow_writes = true};
    struct gate *g;

    rig_init(&r, OK_RESPONSE,
             "[profile stage]\nread_only = true\n[profile prod]\nenvironment = production\n");
    g = gate_new(r.client, r.app, "stage", "eu-west-1", &allow, r.audit);
    assert_refused(&r, g, "read-only: [profile stage] read_only = true in");
    ck_assert(!gate_can_turn_on(g, NULL, 0));
    gate_set_writes(g, GATE_WRITES_ON);
    assert_refused(&r, g, "set it to false");
    gate_free(g);
    r.app->read_only = true;       /* [general] read_only = true */
    g = gate_new(r.client, r.app, "dev", "eu-west-1", &allow, r.audit);
    assert_refused(&r, g, "read-only: [general] read_only = true in");
    rig_done(&r, g);
    ck_assert_int_eq(r.srv.connections, 0);
}
END_TEST

START_TEST(writes_off_makes_any_profile_read_only)
{
    struct rig r;
    struct gate *g;

    rig_init(&r, OK_RESPONSE, NULL);
    g = gate_new(r.client, r.app, "dev", "us-east-1", NULL, r.audit);
    ck_assert(!gate_production(g));
    assert_allowed(&r, g);
    gate_set_writes(g, GATE_WRITES_OFF);
    assert_refused(&r, g, ":writes off");
    gate_set_writes(g, GATE_WRITES_DEFAULT);
    assert_allowed(&r, g);
    rig_done(&r, g);
    ck_assert_int_eq(r.srv.requests, 2);
}
END_TEST

/* ---- the audit log must be written first ------------------------------------------------------ */

START_TEST(unwritable_audit_log_refuses_the_write)
{
    struct rig r;
    struct aws_request req;
    struct answer a = {0};
    struct aws_error err;
    struct gate *g;
    char blocker[400];

    rig_init(&r, OK_RESPONSE, NULL);
    /* a file where the log's directory should be */
    snprintf(blocker, sizeof(blocker), "%s/state", home);
    tmp_home_write("state", "not a directory\n");
    g = gate_new(r.client, r.app, "dev", "us-east-1", NULL, r.audit);
    mutating_request(&req);
    ck_assert_int_eq(gate_send(g, &req, NULL, on_answer, &a, &err), -1);
    ck_assert_int_eq(err.kind, AWS_ERR_REFUSED);
    ck_assert_ptr_nonnull(strstr(err.message, r.audit));
    ck_assert_ptr_nonnull(strstr(err.message, "nothing was sent"));
    drain(r.client);
    ck_assert_int_eq(a.calls, 0);
    rig_done(&r, g);
    ck_assert_int_eq(r.srv.connections, 0);
}
END_TEST

static int syncs;

static int sync_counts(int fd)
{
    (void)fd;
    syncs++;
    return 0;
}

static int sync_fails(int fd)
{
    (void)fd;
    errno = EIO;
    return -1;
}

START_TEST(every_audit_line_is_synced_and_a_failed_sync_refuses)
{
    struct aws_client_stats st;
    struct rig r;
    struct aws_request req;
    struct answer a = {0};
    struct aws_error err;
    struct gate *g;

    rig_init(&r, OK_RESPONSE, NULL);
    g = gate_new(r.client, r.app, "dev", "us-east-1", NULL, r.audit);
    audit_set_sync(gate_audit(g), sync_counts);
    mutating_request(&req);
    syncs = 0;
    ck_assert_int_eq(gate_send(g, &req, NULL, on_answer, &a, &err), 0);
    /* the line, and the directory of the new file, before the request is even attempted */
    ck_assert_int_eq(syncs, 2);
    aws_client_get_stats(r.client, &st);
    ck_assert_int_eq(st.requests, 0);
    drain(r.client);
    ck_assert_int_eq(syncs, 3);                  /* the outcome line */

    audit_set_sync(gate_audit(g), sync_fails);
    mutating_request(&req);
    ck_assert_int_eq(gate_send(g, &req, NULL, on_answer, &a, &err), -1);
    ck_assert_int_eq(err.kind, AWS_ERR_REFUSED);
    ck_assert_ptr_nonnull(strstr(err.message, "syncing it to disk"));
    drain(r.client);
    ck_assert_int_eq(a.calls, 1);
    rig_done(&r, g);
    ck_assert_int_eq(r.srv.requests, 1);
}
END_TEST

/* ---- the session ends ------------------------------------------------------------------------ */

START_TEST(pending_write_at_the_end_is_audited_unknown)
{
    struct rig r;
    struct aws_request req;
    struct answer a = {0};
    struct aws_error err;
    struct gate *g;
    cJSON *lines[4] = {0};

    rig_init(&r, NULL, NULL);     /* the server holds every request */
    g = gate_new(r.client, r.app, "dev", "us-east-1", NULL, r.audit);
    mutating_request(&req);
    ck_assert_int_eq(gate_send(g, &req, NULL, on_answer, &a, &err), 0);
    /* run until the request is on its way (the server never answers) */
    for (int i = 0; i < 100; i++) {
        struct aws_client_stats st;

        aws_client_get_stats(r.client, &st);
        if (st.requests > 0)
            break;
        aws_client_run(r.client, NULL, 0, 100);
    }
    rig_done(&r, g);              /* client first, then the gate */
    ck_assert_int_eq(a.calls, 0);
    ck_assert_int_eq(audit_lines(r.audit, lines, 4), 2);
    ck_assert_str_eq(jstr(lines[1], "status"), "unknown");
    ck_assert_ptr_nonnull(strstr(jstr(lines[1], "error"), "may or may not"));
    cJSON_Delete(lines[0]);
    cJSON_Delete(lines[1]);
}
END_TEST

START_TEST(forgotten_caller_is_not_called_but_audited)
{
    struct rig r;
    struct aws_request req;
    struct answer a = {0};
    struct aws_error err;
    struct gate *g;
    cJSON *lines[4] = {0};

    rig_init(&r, OK_RESPONSE, NULL);
    g = gate_new(r.client, r.app, "dev", "us-east-1", NULL, r.audit);
    mutating_request(&req);
    ck_assert_int_eq(gate_send(g, &req, NULL, on_answer, &a, &err), 0);
    gate_forget(g, &a);
    drain(r.client);
    ck_assert_int_eq(a.calls, 0);
    ck_assert_int_eq(audit_lines(r.audit, lines, 4), 2);
    ck_assert_str_eq(jstr(lines[1], "status"), "ok");
    cJSON_Delete(lines[0]);
    cJSON_Delete(lines[1]);
    rig_done(&r, g);
}
END_TEST

static Suite *gate_suite(void)
{
    Suite *s = suite_create("gate");
    TCase *tc = tcase_create("gate");

    tcase_add_checked_fixture(tc, tmp_home_setup, tmp_home_teardown);
    tcase_add_test(tc, client_without_gate_refuses_a_write);
    tcase_add_test(tc, client_with_gate_refuses_a_write_sent_around_it);
    tcase_add_test(tc, a_read_is_not_gated_nor_audited);
    tcase_add_test(tc, a_write_is_audited_before_it_is_sent_and_after);
    tcase_add_test(tc, a_failed_write_is_audited_with_its_error);
    tcase_add_test(tc, outcome_keeps_what_the_answer_says);
    tcase_add_test(tc, outcome_of_a_forgotten_caller_keeps_the_answer_too);
    tcase_add_test(tc, outcome_result_is_null_when_there_is_nothing_to_keep);
    tcase_add_test(tc, read_only_flag_refuses_and_nothing_reaches_the_server);
    tcase_add_test(tc, production_is_read_only_unless_allowed);
    tcase_add_test(tc, explicit_read_only_settings_beat_allow_writes);
    tcase_add_test(tc, writes_off_makes_any_profile_read_only);
    tcase_add_test(tc, unwritable_audit_log_refuses_the_write);
    tcase_add_test(tc, every_audit_line_is_synced_and_a_failed_sync_refuses);
    tcase_add_test(tc, pending_write_at_the_end_is_audited_unknown);
    tcase_add_test(tc, forgotten_caller_is_not_called_but_audited);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(gate_suite());
}
