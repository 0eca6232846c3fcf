/* test_action.c - the action framework without a screen: placeholders and attributes as
 * text (malformed ones included), forms and their checks, jobs as store rows on a fake
 * clock, a run through the real gate and client to a small HTTP server (http_stub.h): a
 * test job that sends one write per tick, its progress, cancel and read-only refusal; and
 * the send-message action's form, checks and answers. */
#include "config.h"
#include "check_tap.h"

#include <cjson/cJSON.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act/action.h"
#include "act/form.h"
#include "act/gate.h"
#include "act/job.h"
#include "act/template.h"
#include "conf/appconfig.h"
#include "conf/awsconfig.h"
#include "core/client.h"
#include "creds/creds.h"
#include "http_stub.h"
#include "poll/store.h"
#include "tmp_home.h"

/* ---- placeholders ----------------------------------------------------------------------- */

static bool matches(const char *s, const char *re)
{
    regex_t r;
    bool ok;

    ck_assert_int_eq(regcomp(&r, re, REG_EXTENDED | REG_NOSUB), 0);
    ok = regexec(&r, s, 0, NULL, 0) == 0;
    regfree(&r);
    return ok;
}

START_TEST(placeholders_expand)
{
    char why[256];
    /* 2026-11-18T11:06:40.123Z */
    char *s = template_expand("id={{uuid}} at={{now}} {{uuid}}", 1795000000123LL, why,
                              sizeof(why));

    ck_assert_ptr_nonnull(s);
    ck_assert_msg(matches(s, "^id=[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                             "[0-9a-f]{12} at=2026-11-18T11:06:40\\.123Z [0-9a-f-]{36}$"),
                  "%s", s);
    /* two {{uuid}} are two different ids */
    ck_assert(strncmp(s + 3, s + strlen(s) - 36, 36) != 0);
    ck_assert_int_eq(template_expanded_len("id={{uuid}} at={{now}} {{uuid}}", why, sizeof(why)),
                     (long)strlen(s));
    free(s);
    s = template_expand("no placeholder, a {{ alone and }} alone", 0, why, sizeof(why));
    ck_assert_str_eq(s, "no placeholder, a {{ alone and }} alone");
    free(s);
    s = template_expand("{{uuid", 0, why, sizeof(why));
    ck_assert_str_eq(s, "{{uuid");
    free(s);
    s = template_expand("{{}} {{{uuid}}}", 0, why, sizeof(why));   /* braces around one */
    ck_assert_msg(matches(s, "^\\{\\{\\}\\} \\{[0-9a-f-]{36}\\}$"), "%s", s);
    ck_assert_int_eq(template_expanded_len("{{}} {{{uuid}}}", why, sizeof(why)),
                     (long)strlen(s));
    free(s);
    s = template_expand("", 0, why, sizeof(why));
    ck_assert_str_eq(s, "");
    free(s);
}
END_TEST

START_TEST(unknown_placeholder_is_an_error)
{
    char why[256];

    ck_assert_ptr_null(template_expand("x {{UUID}} y", 0, why, sizeof(why)));
    ck_assert_ptr_nonnull(strstr(why, "unknown placeholder {{UUID}}"));
    ck_assert_int_eq(template_expanded_len("{{now_}}", why, sizeof(why)), -1);
    ck_assert_ptr_null(template_expand("{{uid}}", 0, why, sizeof(why)));
    ck_assert_ptr_nonnull(strstr(why, "{{uuid}} or {{now}}"));
}
END_TEST

/* ---- attributes as text ------------------------------------------------------------------- */

START_TEST(attributes_parse)
{
    struct tmpl_attrs a;
    char why[256];

    ck_assert_int_eq(tmpl_attrs_parse("# comment\n"
                                      "eventType=OrderCreated\n"
                                      "\n"
                                      "  retries = Number:3  \r\n"
                                      "ratio=Number.float:-1.5e3\n"
                                      "blob=Binary:AP8Q\n"
                                      "colon=Foo:bar\n"
                                      "nested=String:Number:5\n",
                                      &a, why, sizeof(why)),
                     0);
    ck_assert_uint_eq(a.n, 6);
    ck_assert_str_eq(a.v[0].name, "eventType");
    ck_assert_str_eq(a.v[0].type, "String");
    ck_assert_str_eq(a.v[0].value, "OrderCreated");
    ck_assert_str_eq(a.v[1].name, "retries");
    ck_assert_str_eq(a.v[1].type, "Number");
    ck_assert_str_eq(a.v[1].value, "3");
    ck_assert_str_eq(a.v[2].type, "Number.float");
    ck_assert_str_eq(a.v[3].type, "Binary");
    ck_assert_str_eq(a.v[4].type, "String");          /* Foo is not a type */
    ck_assert_str_eq(a.v[4].value, "Foo:bar");
    ck_assert_str_eq(a.v[5].value, "Number:5");       /* only the first colon */
    for (size_t i = 0; i < a.n; i++) {
        size_t len;
        char *v = tmpl_attr_value(&a.v[i], 0, &len, why, sizeof(why));

        ck_assert_msg(v != NULL, "%s", why);
        if (i == 3) {
            ck_assert_uint_eq(len, 3);
            ck_assert(memcmp(v, "\x00\xff\x10", 3) == 0);
        }
        free(v);
    }
    tmpl_attrs_free(&a);
    ck_assert_int_eq(tmpl_attrs_parse("", &a, why, sizeof(why)), 0);
    ck_assert_uint_eq(a.n, 0);
}
END_TEST

START_TEST(attributes_malformed)
{
    static const struct {
        const char *text, *needle;
    } bad[] = {
        {"noequals", "line 1 has no '='"},
        {"ok=1\n=value", "line 2: the name must have a name of 1"},
        {"a b=1", "letters, digits"},
        {".x=1", "no '.' at either end"},
        {"a..b=1", "two in a row"},
        {"AWS.thing=1", "reserved"},
        {"amazon.x=1", "reserved"},
        {"a=1\na=2", "line 2: a is given twice"},
        {"a=", "a has no value"},
        {"a=Number:", "a has no value"},
        {"a1=1\na2=1\na3=1\na4=1\na5=1\na6=1\na7=1\na8=1\na9=1\na10=1\na11=1",
         "line 11: a message takes at most 10"},
    };
    struct tmpl_attrs a;
    char why[256];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(tmpl_attrs_parse(bad[i].text, &a, why, sizeof(why)) == -1, "%s accepted",
                      bad[i].text);
        ck_assert_msg(strstr(why, bad[i].needle), "'%s': '%s' lacks '%s'", bad[i].text, why,
                      bad[i].needle);
        ck_assert_uint_eq(a.n, 0);
        ck_assert_ptr_null(a.v);
    }
}
END_TEST

START_TEST(attribute_values_checked)
{
    static const struct {
        const char *type, *value, *needle;
    } bad[] = {
        {"Number", "12abc", "is not a number"},
        {"Number", "1e", "is not a number"},
        {"Number", ".", "is not a number"},
        {"Number", "123456789012345678901234567890123456789", "is not a number"},   /* 39 */
        {"Binary", "not base64!", "is not base64"},
        {"Binary", "abc", "is not base64"},
        {"String", "{{nope}}", "unknown placeholder"},
    };
    char why[256];
    size_t len;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct tmpl_attr a = {"k", (char *)bad[i].type, (char *)bad[i].value};

        ck_assert_ptr_null(tmpl_attr_value(&a, 0, &len, why, sizeof(why)));
        ck_assert_msg(strstr(why, bad[i].needle), "'%s': %s", bad[i].value, why);
    }
    struct tmpl_attr ok = {"k", "Number", "-0001234567890123456789012345678901234567.5e-10"};
    char *v = tmpl_attr_value(&ok, 0, &len, why, sizeof(why));   /* leading zeros don't count */
    ck_assert_msg(v != NULL, "%s", why);
    free(v);
    struct tmpl_attr pad = {"k", "Binary", "YQ=="};
    v = tmpl_attr_value(&pad, 0, &len, why, sizeof(why));
    ck_assert_uint_eq(len, 1);
    ck_assert_int_eq(v[0], 'a');
    free(v);
}
END_TEST

/* ---- forms -------------------------------------------------------------------------------- */

START_TEST(form_checks)
{
    struct form f;
    struct form_field *fl;
    const char *const choices[] = {"a", "b"};
    size_t bad, idx[8];
    char why[256];

    form_init(&f, "t");
    fl = form_add(&f, "body", "Body", FORM_TEXT);
    fl->required = true;
    fl = form_add(&f, "delay", "Delay", FORM_NUMBER);
    fl->min = 0;
    fl->max = 900;
    fl = form_add(&f, "id", "Id", FORM_LINE);
    fl->max_len = 4;
    fl = form_add(&f, "pick", "Pick", FORM_CHOICE);
    form_set_choices(fl, choices, 2);
    form_set(&f, "pick", "a");
    fl = form_add(&f, "gone", "Gone", FORM_LINE);
    fl->required = true;
    fl->hidden = true;

    ck_assert_int_eq(form_visible(&f, idx, 8), 4);
    ck_assert_int_eq(form_check(&f, why, sizeof(why), &bad), -1);
    ck_assert_str_eq(why, "Body: required");
    ck_assert_uint_eq(bad, 0);
    form_set(&f, "body", "line 1\nline 2");
    ck_assert_int_eq(form_check(&f, why, sizeof(why), &bad), 0);   /* hidden: not checked */
    form_set(&f, "delay", "901");
    ck_assert_int_eq(form_check(&f, why, sizeof(why), &bad), -1);
    ck_assert_str_eq(why, "Delay: 901 is outside 0 to 900");
    ck_assert_uint_eq(bad, 1);
    form_set(&f, "delay", "9x");
    ck_assert_int_eq(form_check(&f, why, sizeof(why), &bad), -1);
    ck_assert_str_eq(why, "Delay: '9x' is not a whole number");
    form_set(&f, "delay", "");
    ck_assert_int_eq(form_long(&f, "delay", -1), -1);
    form_set(&f, "id", "a\nb");
    ck_assert_int_eq(form_check(&f, why, sizeof(why), &bad), -1);
    ck_assert_str_eq(why, "Id: one line only");
    form_set(&f, "id", "12345");
    ck_assert_int_eq(form_check(&f, why, sizeof(why), &bad), -1);
    ck_assert_str_eq(why, "Id: longer than 4 bytes");
    form_set(&f, "id", "\xc3");
    ck_assert_int_eq(form_check(&f, why, sizeof(why), &bad), -1);
    ck_assert_str_eq(why, "Id: not valid UTF-8 text");
    form_set(&f, "id", "");
    form_set(&f, "pick", "c");
    ck_assert_int_eq(form_check(&f, why, sizeof(why), &bad), -1);
    ck_assert_str_eq(why, "Pick: 'c' is not one of the choices");
    ck_assert_ptr_null(form_field(&f, "nope"));
    ck_assert_str_eq(form_value(&f, "nope"), "");
    form_done(&f);
}
END_TEST

/* ---- jobs ---------------------------------------------------------------------------------- */

static int64_t fake_now;

static int64_t fake_clock(void *arg)
{
    (void)arg;
    return fake_now;
}

static int cancels;

static void count_cancel(void *ud)
{
    (void)ud;
    cancels++;
}

START_TEST(jobs_are_store_rows)
{
    struct store *s = store_new();
    struct jobs *js = jobs_new(s, fake_clock, NULL);
    struct job *a, *b;
    const struct store_res *r;
    int64_t v;
    double rate;

    fake_now = 1000;
    a = jobs_add(js, "Send test messages", "orders", 10);
    b = jobs_add(js, "Export", "orders-dlq", -1);
    ck_assert_str_eq(job_key(a), "0001");
    ck_assert_str_eq(job_key(b), "0002");
    ck_assert_uint_eq(store_count(s, "job"), 2);
    r = store_find(s, "job", "0001");
    ck_assert_str_eq(store_res_str(r, "action"), "Send test messages");
    ck_assert_str_eq(store_res_str(r, "resource"), "orders");
    ck_assert_str_eq(store_res_str(r, "state"), "running");
    ck_assert(store_res_int(r, "total", &v) && v == 10);
    ck_assert(store_res_int(r, "done", &v) && v == 0);
    ck_assert(!store_res_num(r, "rate", &rate));            /* unknown, not 0 */
    ck_assert(!store_res_int(store_find(s, "job", "0002"), "total", &v));
    ck_assert_uint_eq(jobs_running(js), 2);

    fake_now = 1500;                                       /* too soon to tell a rate */
    job_progress(a, 1, -1);
    ck_assert(!store_res_num(store_find(s, "job", "0001"), "rate", &rate));
    fake_now = 3000;                                       /* 2 s in, 4 done: 2/s */
    job_progress(a, 4, -1);
    r = store_find(s, "job", "0001");
    ck_assert(store_res_int(r, "done", &v) && v == 4);
    ck_assert(store_res_int(r, "total", &v) && v == 10);
    ck_assert(store_res_num(r, "rate", &rate));
    ck_assert_double_eq_tol(rate, 2.0, 1e-9);

    /* a phase says what it does before its units move; it goes with NULL, and with the end */
    ck_assert_ptr_null(store_res_str(r, "phase"));
    job_set_phase(a, "checking the partial file: 42%");
    r = store_find(s, "job", "0001");
    ck_assert_str_eq(store_res_str(r, "phase"), "checking the partial file: 42%");
    ck_assert(store_res_int(r, "done", &v) && v == 4);     /* the rest of the row stays */
    job_set_phase(a, NULL);
    ck_assert_ptr_null(store_res_str(store_find(s, "job", "0001"), "phase"));
    job_set_phase(b, "checking the partial file: 7%");

    /* cancelling asks the owner; without one it cannot be cancelled */
    ck_assert_int_eq(jobs_cancel(js, "0001"), -1);
    job_set_cancel(a, count_cancel, NULL);
    ck_assert_int_eq(jobs_cancel(js, "0001"), 0);
    ck_assert_int_eq(cancels, 1);
    ck_assert_str_eq(store_res_str(store_find(s, "job", "0001"), "state"), "cancelling");
    ck_assert_int_eq(jobs_cancel(js, "0001"), -1);         /* once */
    ck_assert_int_eq(jobs_cancel(js, "9999"), -1);
    job_set_state(a, JOB_CANCELLED, NULL);
    job_set_state(b, JOB_FAILED, "access denied");
    r = store_find(s, "job", "0002");
    ck_assert_str_eq(store_res_str(r, "state"), "failed");
    ck_assert_str_eq(store_res_str(r, "error"), "access denied");
    ck_assert(store_res_int(r, "ended", &v));
    ck_assert_ptr_null(store_res_str(r, "phase"));          /* ended: no phase left over */
    job_set_phase(b, "checking the partial file: 9%");     /* nor a new one */
    ck_assert_ptr_null(store_res_str(store_find(s, "job", "0002"), "phase"));
    job_progress(b, 5, 5);                                 /* an ended job stays ended */
    ck_assert(store_res_int(store_find(s, "job", "0002"), "done", &v) && v == 0);
    ck_assert_uint_eq(jobs_running(js), 0);
    jobs_free(js);
    store_free(s);
}
END_TEST

/* ---- runs, through the real gate and client ---------------------------------------------- */

#define OK_JSON(body) \
    "HTTP/1.1 200 OK\r\nx-amzn-RequestId: r-1\r\nContent-Type: application/x-amz-json-1.0\r\n" \
    "Content-Length: " #body "\r\n\r\n"

/* MD5("hello") is 5d41402abc4b2a76b9719d911017c592 */
static const char sqs_ok[] =
    "HTTP/1.1 200 OK\r\nx-amzn-RequestId: r-1\r\nContent-Type: application/x-amz-json-1.0\r\n"
    "Content-Length: 73\r\n\r\n"
    "{\"MessageId\":\"m-1\",\"MD5OfMessageBody\":\"5d41402abc4b2a76b9719d911017c592\"}";

struct rig {
    struct http_stub srv;
    struct aws_config *acfg;
    struct creds_manager *cm;
    struct aws_client *client;
    struct appconfig *app;
    struct gate *gate;
    struct store *store;
    struct jobs *jobs;
    struct act_env env;
    char audit[400];
};

static void rig_init(struct rig *r, const char *response, const char *profile, bool production)
{
    memset(r, 0, sizeof(*r));
    snprintf(r->audit, sizeof(r->audit), "%s/audit.jsonl", home);
    http_stub_start(&r->srv, response, NULL);
    r->client = http_stub_client(&r->srv, &r->acfg, &r->cm);
    if (production) {
        char path[400];

        snprintf(path, sizeof(path), "%s/opsdeck.conf", home);
        tmp_home_write("opsdeck.conf", "[profile prod]\nenvironment = production\n");
        r->app = appconfig_load(path);
    } else {
        r->app = appconfig_new();
    }
    r->gate = gate_new(r->client, r->app, profile, "us-east-1", NULL, r->audit);
    gate_set_identity(r->gate, "arn:aws:iam::123456789012:user/t", "123456789012");
    r->store = store_new();
    fake_now = 0;
    r->jobs = jobs_new(r->store, fake_clock, NULL);
    r->env = (struct act_env){.gate = r->gate, .store = r->store, .app = r->app,
                              .jobs = r->jobs, .clock = fake_clock};
}

static void rig_drain(struct rig *r)
{
    while (aws_client_pending(r->client) > 0)
        aws_client_run(r->client, NULL, 0, 1000);
}

static void rig_done(struct rig *r)
{
    aws_client_free(r->client);
    gate_free(r->gate);
    http_stub_stop(&r->srv);
    jobs_free(r->jobs);
    store_free(r->store);
    creds_manager_free(r->cm);
    appconfig_free(r->app);
    aws_config_free(r->acfg);
}

/* The test job: `total` writes, one per tick, 100 ms apart on the run's clock. */
struct testjob {
    int total, sent, answered;
    int64_t next;
    bool stop;
};

static void testjob_send(struct testjob *t, struct act_run *run)
{
    struct aws_request req;
    cJSON *p = cJSON_CreateObject();

    aws_request_init_mutating(&req, "sqs", "SendMessage", "POST");
    aws_request_set_header(&req, "X-Amz-Target", "AmazonSQS.SendMessage");
    cJSON_AddNumberToObject(p, "n", t->sent);
    if (act_send(run, &req, t->sent, p) == 0)
        t->sent++;
    cJSON_Delete(p);
}

static int testjob_start(void *priv, struct act_run *run)
{
    struct testjob *t = priv;

    t->total = 3;
    act_run_job(run, t->total);
    testjob_send(t, run);
    t->next = act_run_now(run) + 100;
    return act_run_failed(run) ? -1 : 0;
}

static void testjob_answer(void *priv, struct act_run *run, int tag,
                           const struct aws_response *resp, const struct aws_error *err)
{
    struct testjob *t = priv;

    (void)tag;
    (void)err;
    t->answered += resp != NULL;
    act_run_progress(run, t->answered, t->total);
    if (t->stop)
        act_run_finish(run, ACT_CANCELLED, "test job cancelled after %d", t->answered);
    else if (t->answered == t->total)
        act_run_finish(run, ACT_DONE, "test job done: %d", t->answered);
}

static int testjob_tick(void *priv, struct act_run *run, int64_t now)
{
    struct testjob *t = priv;

    if (t->stop || t->sent == t->total)
        return -1;
    if (now < t->next)
        return (int)(t->next - now);
    testjob_send(t, run);
    t->next = now + 100;
    return 100;
}

static void testjob_cancel(void *priv, struct act_run *run)
{
    struct testjob *t = priv;

    t->stop = true;
    if (t->answered == t->sent)
        act_run_finish(run, ACT_CANCELLED, "test job cancelled after %d", t->answered);
}

static const struct action testjob_action = {
    .name = "test-job", .title = "Test job", .target_kind = "queue", .mutates = true,
    .confirm = ACT_CONFIRM_YESNO, .private_size = sizeof(struct testjob),
    .start = testjob_start, .answer = testjob_answer, .tick = testjob_tick,
    .cancel = testjob_cancel,
};

static const struct act_target orders = {"queue", "http://q/123/orders", "orders"};

START_TEST(a_job_runs_paced_and_reports_progress)
{
    struct rig r;
    struct act_run *run;
    const struct store_res *row;
    char what[256], where[256];
    int64_t v;

    rig_init(&r, OK_JSON(2) "{}", "dev", false);
    run = act_run_new(&testjob_action, &r.env, &orders);
    ck_assert_int_eq(act_run_state(run), ACT_CONFIRM);      /* no form */
    ck_assert_int_eq(act_run_confirm(run), ACT_CONFIRM_YESNO);
    act_run_describe(run, what, sizeof(what), where, sizeof(where));
    ck_assert_str_eq(what, "Test job: orders");
    ck_assert_str_eq(where, "profile dev · account 123456789012 · region us-east-1");
    ck_assert_int_eq(act_run_start(run, "yes"), 0);
    ck_assert_int_eq(act_run_state(run), ACT_RUNNING);
    ck_assert_uint_eq(act_run_pending(run), 1);
    ck_assert_uint_eq(jobs_running(r.jobs), 1);
    rig_drain(&r);
    row = store_find(r.store, "job", "0001");
    ck_assert_str_eq(store_res_str(row, "action"), "Test job");
    ck_assert_str_eq(store_res_str(row, "resource"), "orders");
    ck_assert(store_res_int(row, "done", &v) && v == 1);
    /* not due yet: nothing more is sent, and the run says when it is */
    fake_now = 40;
    ck_assert_int_eq(act_run_tick(run, fake_now), 60);
    ck_assert_uint_eq(act_run_pending(run), 0);
    fake_now = 100;
    ck_assert_int_eq(act_run_tick(run, fake_now), 100);
    ck_assert_uint_eq(act_run_pending(run), 1);
    rig_drain(&r);
    fake_now = 200;
    act_run_tick(run, fake_now);
    rig_drain(&r);
    ck_assert_int_eq(act_run_state(run), ACT_DONE);
    ck_assert_str_eq(act_run_result(run), "test job done: 3");
    row = store_find(r.store, "job", "0001");
    ck_assert_str_eq(store_res_str(row, "state"), "done");
    ck_assert(store_res_int(row, "done", &v) && v == 3);
    ck_assert_uint_eq(jobs_running(r.jobs), 0);
    act_run_free(run);
    rig_done(&r);
    ck_assert_int_eq(r.srv.requests, 3);
}
END_TEST

START_TEST(a_job_is_cancelled_from_the_jobs_list)
{
    struct rig r;
    struct act_run *run;
    FILE *f;
    char line[4096];
    int requests = 0, confirmed = 0;

    rig_init(&r, OK_JSON(2) "{}", "dev", false);
    run = act_run_new(&testjob_action, &r.env, &orders);
    ck_assert_int_eq(act_run_start(run, "yes"), 0);
    rig_drain(&r);
    ck_assert_int_eq(jobs_cancel(r.jobs, "0001"), 0);       /* as :jobs does */
    ck_assert_int_eq(act_run_state(run), ACT_CANCELLED);
    ck_assert_str_eq(act_run_result(run), "test job cancelled after 1");
    ck_assert_str_eq(store_res_str(store_find(r.store, "job", "0001"), "state"), "cancelled");
    fake_now = 1000;
    ck_assert_int_eq(act_run_tick(run, fake_now), -1);      /* nothing more goes out */
    ck_assert_uint_eq(act_run_pending(run), 0);
    act_run_free(run);
    rig_done(&r);
    ck_assert_int_eq(r.srv.requests, 1);
    /* the audit says how the write was confirmed */
    f = fopen(r.audit, "r");
    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof(line), f)) {
        requests += strstr(line, "\"event\":\"request\"") != NULL;
        confirmed += strstr(line, "\"confirmation\":\"yes\"") != NULL;
    }
    fclose(f);
    ck_assert_int_eq(requests, 1);
    ck_assert_int_eq(confirmed, 1);
}
END_TEST

START_TEST(production_asks_for_the_typed_name_and_read_only_refuses)
{
    struct rig r;
    struct act_run *run;
    char why[512];

    rig_init(&r, OK_JSON(2) "{}", "prod", true);
    run = act_run_new(&testjob_action, &r.env, &orders);
    ck_assert_int_eq(act_run_confirm(run), ACT_CONFIRM_TYPED);
    ck_assert(act_run_refused(run, why, sizeof(why)));
    ck_assert_ptr_nonnull(strstr(why, "environment = production"));
    ck_assert_int_eq(act_run_start(run, "typed"), -1);
    ck_assert_int_eq(act_run_state(run), ACT_FAILED);
    ck_assert_str_eq(act_run_result(run), why);
    ck_assert_uint_eq(store_count(r.store, "job"), 0);      /* never started: no job */
    act_run_free(run);
    gate_set_writes(r.gate, GATE_WRITES_ON);
    run = act_run_new(&testjob_action, &r.env, &orders);
    ck_assert(!act_run_refused(run, why, sizeof(why)));
    ck_assert_int_eq(act_run_start(run, "typed"), 0);
    rig_drain(&r);
    act_run_cancel(run);
    act_run_free(run);
    rig_done(&r);
    ck_assert_int_eq(r.srv.requests, 1);
}
END_TEST

/* A peek asks nothing outside production (its form states the cost); in a production
 * profile it takes the queue's name typed, as every write does there. */
START_TEST(peek_confirms_only_in_production)
{
    struct rig r;
    struct act_run *run;

    rig_init(&r, "{}", "dev", false);
    run = act_run_new(&peek_action, &r.env, &orders);
    ck_assert_int_eq(act_run_confirm(run), ACT_CONFIRM_NONE);
    act_run_free(run);
    rig_done(&r);

    rig_init(&r, "{}", "prod", true);
    run = act_run_new(&peek_action, &r.env, &orders);
    ck_assert_int_eq(act_run_confirm(run), ACT_CONFIRM_TYPED);
    act_run_free(run);
    /* export stays yes/no outside production */
    rig_done(&r);
    rig_init(&r, "{}", "dev", false);
    run = act_run_new(&export_action, &r.env, &orders);
    ck_assert_int_eq(act_run_confirm(run), ACT_CONFIRM_YESNO);
    act_run_free(run);
    rig_done(&r);
    ck_assert_int_eq(r.srv.requests, 0);
}
END_TEST

/* The rule for every write, not one action at a time: in a production profile each action
 * of the registry that sends a write asks for the resource's name typed, and outside
 * production it asks what it declares. The writes an on-call engineer makes are among
 * them, so an action wrongly declared as not writing fails here too. */
START_TEST(every_write_is_typed_in_production)
{
    static const char *const writers[] = {"send-message", "publish", "toggle-flip", "redrive",
                                          "purge", "peek", "export", NULL};
    struct rig r;
    size_t nmut = 0;

    for (const char *const *w = writers; *w; w++) {
        bool found = false;

        for (const struct action *const *a = action_registry; *a; a++)
            if (strcmp((*a)->name, *w) == 0) {
                ck_assert_msg((*a)->mutates, "%s sends a write: it must be marked mutates", *w);
                found = true;
            }
        ck_assert_msg(found, "%s is in the action registry", *w);
    }
    for (const struct action *const *a = action_registry; *a; a++) {
        struct act_run *run;

        if (!(*a)->mutates)
            continue;
        nmut++;
        rig_init(&r, "{}", "prod", true);
        run = act_run_new(*a, &r.env, &orders);
        ck_assert_msg(act_run_confirm(run) == ACT_CONFIRM_TYPED,
                      "%s in production: the name typed", (*a)->name);
        act_run_free(run);
        rig_done(&r);
        rig_init(&r, "{}", "dev", false);
        run = act_run_new(*a, &r.env, &orders);
        ck_assert_msg(act_run_confirm(run) == (*a)->confirm, "%s outside production: as declared",
                      (*a)->name);
        act_run_free(run);
        ck_assert_int_eq(r.srv.requests, 0);
        rig_done(&r);
    }
    ck_assert_uint_ge(nmut, 7);
}
END_TEST

START_TEST(freeing_a_run_with_answers_on_the_way)
{
    struct rig r;
    struct act_run *run;

    rig_init(&r, OK_JSON(2) "{}", "dev", false);
    run = act_run_new(&testjob_action, &r.env, &orders);
    ck_assert_int_eq(act_run_start(run, "yes"), 0);
    act_run_free(run);            /* the answer arrives after: nobody is called */
    rig_drain(&r);
    ck_assert_uint_eq(gate_pending(r.gate), 0);
    rig_done(&r);
}
END_TEST

/* ---- send-message ---------------------------------------------------------------------------- */

static void queue_row(struct store *s, const char *url, const char *attrs)
{
    struct store_res *q = store_update_begin(s, "queue", url);

    store_set_str(q, "name", "orders");
    if (attrs)
        store_set_str(q, "attributes", attrs);
    store_update_commit(q);
}

START_TEST(send_message_form_follows_the_queue)
{
    struct rig r;
    struct act_run *run;
    struct form *f;
    char why[512];
    size_t bad;

    rig_init(&r, sqs_ok, "dev", false);
    /* not read yet: the check says so instead of guessing */
    queue_row(r.store, orders.key, NULL);
    run = act_run_new(&send_message_action, &r.env, &orders);
    f = act_run_form(run);
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_null(form_field(f, "template"));          /* no templates configured */
    form_set(f, "body", "hello");
    ck_assert_int_eq(act_run_check(run, why, sizeof(why), &bad), -1);
    ck_assert_ptr_nonnull(strstr(why, "not read yet"));
    act_run_free(run);

    /* a FIFO queue: group and dedup ids, no delay */
    queue_row(r.store, orders.key, "{\"MaximumMessageSize\":\"1024\",\"FifoQueue\":\"true\"}");
    run = act_run_new(&send_message_action, &r.env, &orders);
    f = act_run_form(run);
    ck_assert(form_field(f, "delay")->hidden);
    ck_assert(!form_field(f, "group_id")->hidden);
    ck_assert_str_eq(form_value(f, "group_id"), "opsdeck-test");
    ck_assert_str_eq(form_value(f, "dedup_id"), "{{uuid}}");
    ck_assert(form_field(f, "dedup_id")->required);
    ck_assert(form_field(f, "rate")->hidden);
    form_set(f, "count", "5");
    act_run_changed(run, "count");
    ck_assert(!form_field(f, "rate")->hidden);
    act_run_free(run);

    /* content-based deduplication: the dedup id may stay empty */
    queue_row(r.store, orders.key, "{\"MaximumMessageSize\":\"1024\",\"FifoQueue\":\"true\","
                                   "\"ContentBasedDeduplication\":\"true\"}");
    run = act_run_new(&send_message_action, &r.env, &orders);
    f = act_run_form(run);
    ck_assert(!form_field(f, "dedup_id")->required);
    ck_assert_str_eq(form_value(f, "dedup_id"), "");
    act_run_free(run);
    rig_done(&r);
    ck_assert_int_eq(r.srv.connections, 0);
}
END_TEST

START_TEST(send_message_checks_before_sending)
{
    struct rig r;
    struct act_run *run;
    struct form *f;
    char why[512], big[1100];
    size_t bad;

    rig_init(&r, sqs_ok, "dev", false);
    queue_row(r.store, orders.key, "{\"MaximumMessageSize\":\"1024\",\"FifoQueue\":\"false\"}");
    run = act_run_new(&send_message_action, &r.env, &orders);
    f = act_run_form(run);
    memset(big, 'x', 1000);
    big[1000] = '\0';
    form_set(f, "body", big);
    form_set(f, "attributes", "k=vv");                     /* 1 + 6 + 2: 1009 */
    ck_assert_int_eq(act_run_check(run, why, sizeof(why), &bad), 0);
    ck_assert_int_eq(act_run_state(run), ACT_CONFIRM);
    form_set(f, "attributes", "k=vv\nid={{uuid}}");        /* + 2 + 6 + 36: 1053 */
    ck_assert_int_eq(act_run_check(run, why, sizeof(why), &bad), -1);
    ck_assert_msg(strstr(why, "the message is 1.0 KiB (1053 bytes, body and attributes); "
                              "orders takes at most 1.0 KiB (MaximumMessageSize 1024)"),
                  "%s", why);
    form_set(f, "attributes", "");
    form_set(f, "body", "bell \a here");
    ck_assert_int_eq(act_run_check(run, why, sizeof(why), &bad), -1);
    ck_assert_ptr_nonnull(strstr(why, "Body: byte 6 is a character SQS refuses"));
    form_set(f, "body", "{{nope}}");
    ck_assert_int_eq(act_run_check(run, why, sizeof(why), &bad), -1);
    ck_assert_ptr_nonnull(strstr(why, "Body: unknown placeholder"));
    form_set(f, "body", "hello");
    form_set(f, "attributes", "n=Number:x");
    ck_assert_int_eq(act_run_check(run, why, sizeof(why), &bad), -1);
    ck_assert_ptr_nonnull(strstr(why, "'x' is not a number"));
    form_set(f, "attributes", "");
    form_set(f, "delay", "901");
    ck_assert_int_eq(act_run_check(run, why, sizeof(why), &bad), -1);
    ck_assert_str_eq(why, "Delay (s): 901 is outside 0 to 900");
    act_run_free(run);
    rig_done(&r);
    ck_assert_int_eq(r.srv.connections, 0);                /* a refused form sends nothing */
}
END_TEST

START_TEST(send_message_sends_and_says_the_message_id)
{
    struct rig r;
    struct act_run *run;
    struct form *f;
    char why[512];
    size_t bad;

    rig_init(&r, sqs_ok, "dev", false);
    queue_row(r.store, orders.key, "{\"MaximumMessageSize\":\"262144\"}");
    run = act_run_new(&send_message_action, &r.env, &orders);
    f = act_run_form(run);
    form_set(f, "body", "hello");
    form_set(f, "attributes", "eventType=Test");
    ck_assert_int_eq(act_run_check(run, why, sizeof(why), &bad), 0);
    ck_assert_int_eq(act_run_start(run, "yes"), 0);
    rig_drain(&r);
    ck_assert_int_eq(act_run_state(run), ACT_DONE);
    ck_assert_str_eq(act_run_result(run), "sent to orders: message id m-1");
    ck_assert_uint_eq(store_count(r.store, "job"), 0);      /* one message: not a job */
    act_run_free(run);

    /* the answer's MD5 is not the body's: a failure, said as one */
    run = act_run_new(&send_message_action, &r.env, &orders);
    f = act_run_form(run);
    form_set(f, "body", "not hello");
    ck_assert_int_eq(act_run_check(run, why, sizeof(why), &bad), 0);
    ck_assert_int_eq(act_run_start(run, "yes"), 0);
    rig_drain(&r);
    ck_assert_int_eq(act_run_state(run), ACT_FAILED);
    ck_assert_ptr_nonnull(strstr(act_run_result(run), "MD5OfMessageBody"));
    act_run_free(run);
    rig_done(&r);
    ck_assert_int_eq(r.srv.requests, 2);
}
END_TEST

START_TEST(send_message_copies_are_a_paced_job)
{
    struct rig r;
    struct act_run *run;
    struct form *f;
    char why[512];
    size_t bad;
    int64_t v;

    rig_init(&r, sqs_ok, "dev", false);
    queue_row(r.store, orders.key, "{\"MaximumMessageSize\":\"262144\"}");
    run = act_run_new(&send_message_action, &r.env, &orders);
    f = act_run_form(run);
    form_set(f, "body", "hello");
    form_set(f, "count", "3");
    act_run_changed(run, "count");
    form_set(f, "rate", "2");                              /* one every 500 ms */
    ck_assert_int_eq(act_run_check(run, why, sizeof(why), &bad), 0);
    ck_assert_int_eq(act_run_start(run, "yes"), 0);
    ck_assert_uint_eq(act_run_pending(run), 1);
    rig_drain(&r);
    ck_assert(store_res_int(store_find(r.store, "job", "0001"), "done", &v) && v == 1);
    ck_assert_int_eq(act_run_tick(run, 499), 1);           /* not yet */
    ck_assert_uint_eq(act_run_pending(run), 0);
    act_run_tick(run, 500);
    ck_assert_uint_eq(act_run_pending(run), 1);
    rig_drain(&r);
    act_run_tick(run, 1000);
    rig_drain(&r);
    ck_assert_int_eq(act_run_state(run), ACT_DONE);
    ck_assert_str_eq(act_run_result(run), "sent 3 test messages to orders (last message id m-1)");
    ck_assert_str_eq(store_res_str(store_find(r.store, "job", "0001"), "state"), "done");
    act_run_free(run);
    rig_done(&r);
    ck_assert_int_eq(r.srv.requests, 3);
}
END_TEST

static Suite *action_suite(void)
{
    Suite *s = suite_create("action");
    TCase *tc = tcase_create("action");

    tcase_add_checked_fixture(tc, tmp_home_setup, tmp_home_teardown);
    tcase_add_test(tc, placeholders_expand);
    tcase_add_test(tc, unknown_placeholder_is_an_error);
    tcase_add_test(tc, attributes_parse);
    tcase_add_test(tc, attributes_malformed);
    tcase_add_test(tc, attribute_values_checked);
    tcase_add_test(tc, form_checks);
    tcase_add_test(tc, jobs_are_store_rows);
    tcase_add_test(tc, a_job_runs_paced_and_reports_progress);
    tcase_add_test(tc, a_job_is_cancelled_from_the_jobs_list);
    tcase_add_test(tc, production_asks_for_the_typed_name_and_read_only_refuses);
    tcase_add_test(tc, freeing_a_run_with_answers_on_the_way);
    tcase_add_test(tc, send_message_form_follows_the_queue);
    tcase_add_test(tc, send_message_checks_before_sending);
    tcase_add_test(tc, send_message_sends_and_says_the_message_id);
    tcase_add_test(tc, send_message_copies_are_a_paced_job);
    tcase_add_test(tc, peek_confirms_only_in_production);
    tcase_add_test(tc, every_write_is_typed_in_production);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(action_suite());
}
