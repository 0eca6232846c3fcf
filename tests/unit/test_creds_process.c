/* test_creds_process.c - the credential_process command splitter (against answers from
 * Python's shlex.split, which botocore uses), the process and metadata JSON parsers on good
 * and malformed input, and the metadata providers' first steps (the IMDS skip note, the
 * container's refused hosts), run to their end on a client's wait. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_tap.h"
#include "core/client.h"
#include "creds/creds_process.h"
#include "creds/creds_provider.h"
#include "creds/creds_remote.h"
#include "tmp_home.h"

/* A provider's result, waited for on a client of its own when it is pending. */
struct ran {
    bool done;
    enum provider_result r;
    struct aws_credentials *c;
    struct aws_error err;
};

static void ran_done(struct creds_task *t, enum provider_result r, struct aws_credentials *c,
                     const struct aws_error *err)
{
    struct ran *x = t->owner;

    x->done = true;
    x->r = r;
    x->c = c;
    if (err)
        x->err = *err;
}

static enum provider_result run_provider(const struct creds_provider *p,
                                         struct creds_ctx *ctx, struct aws_credentials **out,
                                         struct aws_error *err)
{
    struct aws_config_opts opts = {0};
    struct aws_config *cfg = aws_config_new(&opts, err);
    struct ran x;
    enum provider_result r;

    memset(&x, 0, sizeof(x));
    ck_assert_ptr_nonnull(cfg);
    ctx->client = aws_client_new(cfg, NULL, NULL);
    ctx->task = NULL;
    r = p->resolve(ctx, out, err);
    if (r == PROVIDER_PENDING) {
        ck_assert_ptr_nonnull(ctx->task);
        ctx->task->done = ran_done;
        ctx->task->owner = &x;
        while (!x.done)
            aws_client_run(ctx->client, NULL, 0, 1000);
        *out = x.c;
        *err = x.err;
        r = x.r;
    }
    aws_client_free(ctx->client);
    ctx->client = NULL;
    aws_config_free(cfg);
    return r;
}

/* expected words joined by '|'; computed with python3 -c 'import shlex; shlex.split(...)' */
static const struct {
    const char *line;
    int nwords;
    const char *words[3];
} split_cases[] = {
    {"helper", 1, {"helper"}},
    {"  a   b  ", 2, {"a", "b"}},
    {"a 'b c' d", 3, {"a", "b c", "d"}},
    {"a \"b c\" d", 3, {"a", "b c", "d"}},
    {"a\\ b", 1, {"a b"}},
    {"'' x", 2, {"", "x"}},
    {"a\"b c\"d", 1, {"ab cd"}},
    {"\"a\\\"b\"", 1, {"a\"b"}},
    {"\"a\\\\b\"", 1, {"a\\b"}},
    {"\"a\\$b\"", 1, {"a\\$b"}},
    {"'a\\b'", 1, {"a\\b"}},
    {"x\\\"y", 1, {"x\"y"}},
    {"a\tb\nc", 3, {"a", "b", "c"}},
    {"#x y", 2, {"#x", "y"}},
    {"\"\" \"\"", 2, {"", ""}},
    {"a\\\\", 1, {"a\\"}},
    {"$(rm -rf x); echo", 4, {"$(rm", "-rf", "x);"}},
    {"", 0, {NULL}},
    {"   ", 0, {NULL}},
};

START_TEST(test_split)
{
    const char *why = NULL;
    char **argv = creds_shell_split(split_cases[_i].line, &why);
    int n = 0;

    ck_assert_msg(argv != NULL, "case %d: %s", _i, why);
    while (argv[n])
        n++;
    ck_assert_int_eq(n, split_cases[_i].nwords);
    for (int i = 0; i < n && i < 3; i++)
        ck_assert_str_eq(argv[i], split_cases[_i].words[i]);
    creds_argv_free(argv);
}
END_TEST

START_TEST(test_split_errors)
{
    static const char *const bad[] = {"'abc", "\"abc", "abc\\", "a 'b\" c", "\"a\\\""};
    const char *why = NULL;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        why = NULL;
        ck_assert_ptr_null(creds_shell_split(bad[i], &why));
        ck_assert_ptr_nonnull(why);
    }
}
END_TEST

#define WHAT "profile p: credential_process helper"

static struct aws_credentials *parse(const char *json, struct aws_error *err)
{
    aws_error_clear(err);
    return creds_process_parse(json, strlen(json), WHAT, err);
}

START_TEST(test_process_parse_ok)
{
    struct aws_error err;
    struct aws_credentials *c;

    c = parse("{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": \"s3cr3t\","
              " \"SessionToken\": \"tok\", \"Expiration\": \"2030-01-31T12:00:00Z\"}", &err);
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(c->access_key_id, "AKIDPROC");
    ck_assert_str_eq(c->secret_access_key, "s3cr3t");
    ck_assert_str_eq(c->session_token, "tok");
    ck_assert_int_eq((long long)c->expiration, 1896091200LL);
    ck_assert_str_eq(c->source, WHAT);
    aws_credentials_free(c);

    /* no token, no expiration (long-term keys); null counts as absent, as in botocore */
    c = parse("{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\", "
              "\"SessionToken\": null, \"Expiration\": null}", &err);
    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_null(c->session_token);
    ck_assert_int_eq((long long)c->expiration, 0);
    aws_credentials_free(c);
}
END_TEST

static const struct {
    const char *json;
    const char *want;  /* in the message */
} bad_process[] = {
    {"", "not a JSON object"},
    {"{\"Version\": 1, \"AccessKeyId\": \"A\"", "not a JSON object"},  /* truncated */
    {"[1]", "not a JSON object"},
    {"\"text\"", "not a JSON object"},
    {"{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"SEKRIT\"}", "no Version"},
    {"{\"Version\": 2, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"SEKRIT\"}", "unsupported Version"},
    {"{\"Version\": \"1\", \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"SEKRIT\"}",
     "unsupported Version"},
    {"{\"Version\": 1e400, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"SEKRIT\"}",
     "unsupported Version"},
    {"{\"Version\": 1, \"SecretAccessKey\": \"SEKRIT\"}", "no AccessKeyId"},
    {"{\"Version\": 1, \"AccessKeyId\": \"A\"}", "no SecretAccessKey"},
    {"{\"Version\": 1, \"AccessKeyId\": 12, \"SecretAccessKey\": \"SEKRIT\"}", "AccessKeyId"},
    {"{\"Version\": 1, \"AccessKeyId\": \"\", \"SecretAccessKey\": \"SEKRIT\"}", "AccessKeyId"},
    {"{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"SEKRIT\", \"SessionToken\": 5}",
     "SessionToken"},
    {"{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"SEKRIT\", "
     "\"Expiration\": \"tomorrow\"}", "Expiration"},
    {"{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"SEKRIT\", "
     "\"Expiration\": 99999999999999999999}", "Expiration"},
};

START_TEST(test_process_parse_bad)
{
    struct aws_error err;

    ck_assert_ptr_null(parse(bad_process[_i].json, &err));
    ck_assert_int_eq(err.kind, AWS_ERR_CREDENTIALS);
    ck_assert_msg(strstr(err.message, bad_process[_i].want) != NULL, "%s", err.message);
    ck_assert_msg(strncmp(err.message, WHAT, strlen(WHAT)) == 0, "%s", err.message);
    ck_assert_msg(strstr(err.message, "SEKRIT") == NULL, "%s", err.message);
}
END_TEST

START_TEST(test_process_parse_truncations)
{
    const char *doc = "{\"Version\": 1, \"AccessKeyId\": \"AKID\", \"SecretAccessKey\": "
                      "\"sekrit\", \"SessionToken\": \"tok\", \"Expiration\": "
                      "\"2030-01-31T12:00:00Z\"}";
    size_t n = strlen(doc);
    struct aws_error err;

    /* every proper prefix is an error, never a crash or a half credential */
    for (size_t i = 0; i < n; i++) {
        aws_error_clear(&err);
        ck_assert_ptr_null(creds_process_parse(doc, i, WHAT, &err));
        ck_assert_msg(strstr(err.message, "sekrit") == NULL, "%s", err.message);
    }
}
END_TEST

START_TEST(test_remote_parse)
{
    struct aws_error err;
    struct aws_credentials *c;
    const char *good = "{\"Code\": \"Success\", \"AccessKeyId\": \"ASIAR\", \"SecretAccessKey\": "
                       "\"sek\", \"Token\": \"tk\", \"Expiration\": \"2030-01-31T12:00:00Z\"}";
    static const char *const bad[] = {
        "{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\", \"Token\": \"T\"}",
        "{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\", \"Expiration\": \"2030-01-31T12:00:00Z\"}",
        "{\"AccessKeyId\": \"A\", \"Token\": \"T\", \"Expiration\": \"2030-01-31T12:00:00Z\"}",
        "{\"AccessKeyId\": [], \"SecretAccessKey\": \"S\", \"Token\": \"T\", \"Expiration\": \"x\"}",
        "{\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\", \"Token\": \"T\", \"Expiration\": \"x\"}",
        "{\"Code\": \"AssumeRoleUnauthorizedAccess\", \"Message\": \"no\"}",
        "<html>",
        "",
    };

    aws_error_clear(&err);
    c = creds_remote_parse(good, strlen(good), "instance profile role r (IMDSv2)", &err);
    ck_assert_ptr_nonnull(c);
    ck_assert_str_eq(c->access_key_id, "ASIAR");
    ck_assert_str_eq(c->session_token, "tk");
    ck_assert_int_eq((long long)c->expiration, 1896091200LL);
    aws_credentials_free(c);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        aws_error_clear(&err);
        ck_assert_ptr_null(creds_remote_parse(bad[i], strlen(bad[i]), "x", &err));
        ck_assert_int_eq(err.kind, AWS_ERR_CREDENTIALS);
    }
    for (size_t i = 0; i < strlen(good); i++) {
        aws_error_clear(&err);
        ck_assert_ptr_null(creds_remote_parse(good, i, "x", &err));
    }
}
END_TEST

/* The IMDS provider on a closed loopback port: SKIP (botocore moves on), with a note that
 * the service did not answer for the final "no credentials" message. */
START_TEST(test_imds_unanswered_note)
{
    struct aws_config_opts opts = {0};
    struct aws_error err;
    struct aws_config *cfg;
    struct aws_credentials *c = NULL;
    struct creds_ctx ctx = {0};

    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9/", 1);  /* discard: closed */
    unsetenv("AWS_EC2_METADATA_DISABLED");
    aws_error_clear(&err);
    cfg = aws_config_new(&opts, &err);
    ck_assert_ptr_nonnull(cfg);
    ctx.cfg = cfg;
    ctx.profile = cfg->profile;
    ck_assert_int_eq(run_provider(&creds_provider_imds, &ctx, &c, &err), PROVIDER_SKIP);
    ck_assert_ptr_null(c);
    ck_assert_ptr_nonnull(creds_remote_note());
    ck_assert_msg(strstr(creds_remote_note(), "http://127.0.0.1:9/ did not answer"), "%s",
                  creds_remote_note());

    setenv("AWS_EC2_METADATA_DISABLED", "TRUE", 1);
    ck_assert_int_eq(run_provider(&creds_provider_imds, &ctx, &c, &err), PROVIDER_SKIP);
    ck_assert_ptr_null(creds_remote_note());

    unsetenv("AWS_EC2_METADATA_DISABLED");
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", "not a url", 1);
    ck_assert_int_eq(run_provider(&creds_provider_imds, &ctx, &c, &err), PROVIDER_ERROR);
    ck_assert_msg(strstr(err.message, "not a url"), "%s", err.message);
    aws_config_free(cfg);
}
END_TEST

/* Container: a FULL_URI to a host botocore refuses is an error before any connection. */
START_TEST(test_container_refused_hosts)
{
    static const char *const refused[] = {
        "http://10.0.0.1/creds", "http://169.254.169.254/x", "http://example.com/x",
        "ftp://127.0.0.1/x", "http://[fd00:ec2::24]/x", "not a url",
    };
    static const char *const allowed[] = {
        "http://127.0.0.1:9/x", "http://127.200.0.1:9/x", "http://[::1]:9/x",
        "http://localhost:9/x",
    };
    struct creds_ctx ctx = {.profile = "default"};
    struct aws_credentials *c = NULL;
    struct aws_error err;

    unsetenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", refused[i], 1);
        aws_error_clear(&err);
        ck_assert_int_eq(run_provider(&creds_provider_container, &ctx, &c, &err), PROVIDER_ERROR);
        ck_assert_msg(strstr(err.message, "refused"), "%s: %s", refused[i], err.message);
    }
    /* allowed hosts get as far as connecting (port 9 is closed): a network error instead */
    for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
        setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", allowed[i], 1);
        aws_error_clear(&err);
        ck_assert_int_eq(run_provider(&creds_provider_container, &ctx, &c, &err), PROVIDER_ERROR);
        ck_assert_msg(!strstr(err.message, "refused,") && strstr(err.message, "attempts"),
                      "%s: %s", allowed[i], err.message);
    }
    unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    ck_assert_int_eq(run_provider(&creds_provider_container, &ctx, &c, &err), PROVIDER_SKIP);
    ck_assert_ptr_null(c);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("creds_process");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, tmp_home_setup, tmp_home_teardown);
    tcase_set_timeout(tc, 60);  /* the container case waits out its retries on a closed port */
    tcase_add_loop_test(tc, test_split, 0, (int)(sizeof(split_cases) / sizeof(split_cases[0])));
    tcase_add_test(tc, test_split_errors);
    tcase_add_test(tc, test_process_parse_ok);
    tcase_add_loop_test(tc, test_process_parse_bad, 0,
                        (int)(sizeof(bad_process) / sizeof(bad_process[0])));
    tcase_add_test(tc, test_process_parse_truncations);
    tcase_add_test(tc, test_remote_parse);
    tcase_add_test(tc, test_imds_unanswered_note);
    tcase_add_test(tc, test_container_refused_hosts);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(suite());
}
