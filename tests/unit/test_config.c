/* test_config.c - profile, region and endpoint resolution, and the INI reader's edge cases.
 * Each case runs in a fresh temp HOME with every AWS_* variable cleared (Check forks per
 * test, so the environment never leaks between cases). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_tap.h"
#include "conf/awsconfig.h"
#include "tmp_home.h"

static struct aws_config *load(const char *profile, const char *region, const char *endpoint,
                               struct aws_error *err)
{
    struct aws_config_opts o = {.profile = profile, .region = region, .endpoint_url = endpoint};

    aws_error_clear(err);
    return aws_config_new(&o, err);
}

/* The endpoint of service; checks the source too. */
static void endpoint_is(struct aws_config *cfg, const char *svc, const char *want,
                        const char *want_src)
{
    struct aws_error err;
    const char *src = NULL;
    char *url;

    aws_error_clear(&err);
    url = aws_config_endpoint(cfg, svc, &src, &err);
    ck_assert_msg(url != NULL, "%s: %s", svc, err.message);
    ck_assert_str_eq(url, want);
    ck_assert_str_eq(src, want_src);
    free(url);
}

START_TEST(profile_order)
{
    struct aws_error err;
    struct aws_config *cfg;

    tmp_home_write(".aws/config", "[default]\n[profile a]\n[profile b]\n[profile c]\n");
    cfg = load(NULL, NULL, NULL, &err);
    ck_assert_str_eq(cfg->profile, "default");
    ck_assert_str_eq(cfg->profile_source, "default");
    ck_assert(!cfg->profile_explicit);
    aws_config_free(cfg);
    setenv("AWS_PROFILE", "a", 1);
    cfg = load(NULL, NULL, NULL, &err);
    ck_assert_str_eq(cfg->profile, "a");
    ck_assert_str_eq(cfg->profile_source, "AWS_PROFILE");
    ck_assert(!cfg->profile_explicit);
    aws_config_free(cfg);
    setenv("AWS_DEFAULT_PROFILE", "b", 1);  /* botocore reads it first */
    cfg = load(NULL, NULL, NULL, &err);
    ck_assert_str_eq(cfg->profile, "b");
    aws_config_free(cfg);
    cfg = load("c", NULL, NULL, &err);
    ck_assert_str_eq(cfg->profile, "c");
    ck_assert_str_eq(cfg->profile_source, "--profile");
    ck_assert(cfg->profile_explicit);
    aws_config_free(cfg);
}
END_TEST

START_TEST(region_order)
{
    struct aws_error err;
    struct aws_config *cfg;

    tmp_home_write(".aws/config", "[default]\nregion = eu-west-1\n");
    cfg = load(NULL, NULL, NULL, &err);
    ck_assert_str_eq(cfg->region, "eu-west-1");
    ck_assert_str_eq(cfg->region_source, "profile default");
    aws_config_free(cfg);
    setenv("AWS_DEFAULT_REGION", "eu-west-2", 1);
    cfg = load(NULL, NULL, NULL, &err);
    ck_assert_str_eq(cfg->region, "eu-west-2");
    ck_assert_str_eq(cfg->region_source, "AWS_DEFAULT_REGION");
    aws_config_free(cfg);
    setenv("AWS_REGION", "eu-west-3", 1);
    cfg = load(NULL, NULL, NULL, &err);
    ck_assert_str_eq(cfg->region, "eu-west-3");
    ck_assert_str_eq(cfg->region_source, "AWS_REGION");
    aws_config_free(cfg);
    cfg = load(NULL, "ap-south-1", NULL, &err);
    ck_assert_str_eq(cfg->region, "ap-south-1");
    ck_assert_str_eq(cfg->region_source, "--region");
    aws_config_free(cfg);
    /* a region is put into a host name: nothing else gets through */
    ck_assert_ptr_null(load(NULL, "eu-west-1.evil.com/", NULL, &err));
    ck_assert_ptr_nonnull(strstr(err.message, "not a valid region"));
}
END_TEST

START_TEST(no_region)
{
    struct aws_error err;
    struct aws_config *cfg = load(NULL, NULL, NULL, &err);
    const char *src;

    ck_assert_ptr_null(cfg->region);
    aws_error_clear(&err);
    ck_assert_ptr_null(aws_config_endpoint(cfg, "sqs", &src, &err));
    ck_assert_ptr_nonnull(strstr(err.message, "no region"));
    ck_assert_ptr_nonnull(strstr(err.message, "--region"));
    endpoint_is(cfg, "iam", "https://iam.amazonaws.com", "default");
    endpoint_is(cfg, "s3", "https://s3.amazonaws.com", "default");
    aws_config_free(cfg);
}
END_TEST

START_TEST(endpoint_defaults)
{
    struct aws_error err;
    struct aws_config *cfg = load(NULL, "eu-west-1", NULL, &err);

    endpoint_is(cfg, "sqs", "https://sqs.eu-west-1.amazonaws.com", "default");
    endpoint_is(cfg, "monitoring", "https://monitoring.eu-west-1.amazonaws.com", "default");
    endpoint_is(cfg, "cloudwatch", "https://monitoring.eu-west-1.amazonaws.com", "default");
    endpoint_is(cfg, "iam", "https://iam.amazonaws.com", "default");
    endpoint_is(cfg, "sts", "https://sts.eu-west-1.amazonaws.com", "default");
    endpoint_is(cfg, "portal.sso", "https://portal.sso.eu-west-1.amazonaws.com", "default");
    aws_config_free(cfg);
    cfg = load(NULL, "cn-north-1", NULL, &err);
    endpoint_is(cfg, "sqs", "https://sqs.cn-north-1.amazonaws.com.cn", "default");
    endpoint_is(cfg, "iam", "https://iam.cn-north-1.amazonaws.com.cn", "default");
    aws_config_free(cfg);
    cfg = load(NULL, "us-east-1", NULL, &err);
    endpoint_is(cfg, "s3", "https://s3.amazonaws.com", "default");
    aws_config_free(cfg);
    cfg = load(NULL, "us-gov-west-1", NULL, &err);
    endpoint_is(cfg, "iam", "https://iam.us-gov.amazonaws.com", "default");
    aws_config_free(cfg);
}
END_TEST

START_TEST(endpoint_precedence)
{
    struct aws_error err;
    struct aws_config *cfg;

    tmp_home_write(".aws/config",
               "[default]\nregion = eu-west-1\nservices = loc\nendpoint_url = http://prof:1\n"
               "[services loc]\nsqs =\n  endpoint_url = http://svc-sqs:2\n"
               "secrets_manager =\n  endpoint_url = http://svc-sm:3\n");
    cfg = load(NULL, NULL, NULL, &err);
    endpoint_is(cfg, "sqs", "http://svc-sqs:2", "services section");
    endpoint_is(cfg, "secretsmanager", "http://svc-sm:3", "services section");
    endpoint_is(cfg, "sns", "http://prof:1", "profile endpoint_url");
    aws_config_free(cfg);

    setenv("AWS_ENDPOINT_URL", "http://global:4", 1);
    cfg = load(NULL, NULL, NULL, &err);
    endpoint_is(cfg, "sqs", "http://global:4", "AWS_ENDPOINT_URL");
    endpoint_is(cfg, "sns", "http://global:4", "AWS_ENDPOINT_URL");
    aws_config_free(cfg);

    setenv("AWS_ENDPOINT_URL_SQS", "http://env-sqs:5", 1);
    setenv("AWS_ENDPOINT_URL_CLOUDWATCH", "http://env-cw:6", 1);
    setenv("AWS_ENDPOINT_URL_SSO", "http://env-sso:7", 1);
    cfg = load(NULL, NULL, NULL, &err);
    endpoint_is(cfg, "sqs", "http://env-sqs:5", "AWS_ENDPOINT_URL_SQS");
    endpoint_is(cfg, "monitoring", "http://env-cw:6", "AWS_ENDPOINT_URL_CLOUDWATCH");
    endpoint_is(cfg, "portal.sso", "http://env-sso:7", "AWS_ENDPOINT_URL_SSO");
    endpoint_is(cfg, "sns", "http://global:4", "AWS_ENDPOINT_URL");
    aws_config_free(cfg);

    cfg = load(NULL, NULL, "https://cli:8/", &err);
    endpoint_is(cfg, "sqs", "https://cli:8/", "--endpoint-url");
    endpoint_is(cfg, "iam", "https://cli:8/", "--endpoint-url");
    aws_config_free(cfg);

    /* ignoring configured endpoints keeps --endpoint-url only */
    setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "True", 1);
    cfg = load(NULL, NULL, NULL, &err);
    endpoint_is(cfg, "sqs", "https://sqs.eu-west-1.amazonaws.com", "default");
    endpoint_is(cfg, "sns", "https://sns.eu-west-1.amazonaws.com", "default");
    aws_config_free(cfg);
    cfg = load(NULL, NULL, "http://cli:9", &err);
    endpoint_is(cfg, "sqs", "http://cli:9", "--endpoint-url");
    aws_config_free(cfg);
}
END_TEST

START_TEST(endpoint_ignore_in_profile)
{
    struct aws_error err;
    struct aws_config *cfg;

    tmp_home_write(".aws/config", "[default]\nregion = eu-west-1\nendpoint_url = http://p:1\n"
                              "ignore_configured_endpoint_urls = true\n");
    cfg = load(NULL, NULL, NULL, &err);
    endpoint_is(cfg, "sqs", "https://sqs.eu-west-1.amazonaws.com", "default");
    aws_config_free(cfg);
    setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false", 1);  /* the variable decides */
    cfg = load(NULL, NULL, NULL, &err);
    endpoint_is(cfg, "sqs", "http://p:1", "profile endpoint_url");
    aws_config_free(cfg);
}
END_TEST

START_TEST(endpoint_invalid)
{
    struct aws_error err;
    struct aws_config *cfg;
    const char *src;

    ck_assert_ptr_null(load(NULL, "eu-west-1", "ftp://x", &err));
    ck_assert_ptr_nonnull(strstr(err.message, "--endpoint-url"));
    setenv("AWS_ENDPOINT_URL_SQS", "localhost:4566", 1);
    cfg = load(NULL, "eu-west-1", NULL, &err);
    aws_error_clear(&err);
    ck_assert_ptr_null(aws_config_endpoint(cfg, "sqs", &src, &err));
    ck_assert_int_eq(err.kind, AWS_ERR_CONFIG);
    ck_assert_ptr_nonnull(strstr(err.message, "AWS_ENDPOINT_URL_SQS"));
    aws_error_clear(&err);
    ck_assert_ptr_null(aws_config_endpoint(cfg, "nosuchservice", &src, &err));
    ck_assert_ptr_nonnull(strstr(err.message, "unknown service"));
    aws_config_free(cfg);
}
END_TEST

START_TEST(endpoint_url_validation)
{
    static const char *const good[] = {
        "http://127.0.0.1:4566", "https://sqs.eu-west-1.amazonaws.com", "HTTP://LOCALHOST",
        "http://[::1]:4566/", "https://h/path?x=1", "http://a_b.local:65535",
    };
    static const char *const bad[] = {
        "", "ftp://x", "localhost:4566", "http://", "http://a b", "http://h:0", "http://h:65536",
        "http://h:99999999999999999999", "http://h:", "http://[]", "http://[zz]", "http://h\n",
        "https://user@h",
    };

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        ck_assert_msg(aws_config_endpoint_valid(good[i]), "%s should be valid", good[i]);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(!aws_config_endpoint_valid(bad[i]), "%s should be invalid", bad[i]);
    ck_assert(!aws_config_endpoint_valid(NULL));
}
END_TEST

START_TEST(services_missing_section)
{
    struct aws_error err;
    struct aws_config *cfg;
    const char *src;

    tmp_home_write(".aws/config", "[default]\nregion = eu-west-1\nservices = nope\n");
    cfg = load(NULL, NULL, NULL, &err);
    aws_error_clear(&err);
    ck_assert_ptr_null(aws_config_endpoint(cfg, "sqs", &src, &err));
    ck_assert_ptr_nonnull(strstr(err.message, "[services nope]"));
    aws_config_free(cfg);
}
END_TEST

START_TEST(nested_values)
{
    struct aws_error err;
    struct aws_config *cfg;
    char *v;

    tmp_home_write(".aws/config", "[default]\ns3 =\n  addressing_style = path\n\n  # note\n"
                              "  signature_version=s3v4\nregion = eu-west-1\n"
                              "[sso-session corp]\nsso_start_url = https://corp.example/start\n");
    cfg = load(NULL, NULL, NULL, &err);
    ck_assert_msg(cfg != NULL, "%s", err.message);
    v = aws_config_nested_get(aws_config_get(cfg, "default", "s3"), "addressing_style");
    ck_assert_str_eq(v, "path");
    free(v);
    v = aws_config_nested_get(aws_config_get(cfg, "default", "s3"), "signature_version");
    ck_assert_str_eq(v, "s3v4");
    free(v);
    ck_assert_ptr_null(aws_config_nested_get(aws_config_get(cfg, "default", "s3"), "x"));
    ck_assert_ptr_null(aws_config_nested_get(aws_config_get(cfg, "default", "region"), "x"));
    ck_assert_str_eq(aws_config_get(cfg, "default", "region"), "eu-west-1");
    ck_assert_str_eq(aws_config_get_section(cfg, "sso-session", "corp", "sso_start_url"),
                     "https://corp.example/start");
    aws_config_free(cfg);
}
END_TEST

START_TEST(profile_sections)
{
    struct aws_error err;
    struct aws_config *cfg;

    tmp_home_write(".aws/config", "[x]\nregion = eu-west-1\n[profile y]\nregion = eu-west-2\n"
                              "[profile   'two words'  ]\nregion = eu-west-3\n[profile empty]\n");
    tmp_home_write(".aws/credentials", "[z]\nregion = eu-central-1\n[profile w]\nk = v\n");
    /* [x] in the config file is not a profile; [profile y] is; [z] in credentials is */
    ck_assert_ptr_null(load("x", NULL, NULL, &err));
    ck_assert_ptr_nonnull(strstr(err.message, "bare section"));
    cfg = load("y", NULL, NULL, &err);
    ck_assert_str_eq(cfg->region, "eu-west-2");
    ck_assert_ptr_null(aws_config_get(cfg, "x", "region"));
    aws_config_free(cfg);
    cfg = load("two words", NULL, NULL, &err);
    ck_assert_msg(cfg != NULL, "%s", err.message);
    ck_assert_str_eq(cfg->region, "eu-west-3");
    aws_config_free(cfg);
    cfg = load("z", NULL, NULL, &err);  /* region from the credentials file, as botocore */
    ck_assert_str_eq(cfg->region, "eu-central-1");
    aws_config_free(cfg);
    cfg = load("empty", NULL, NULL, &err);  /* a profile with no keys still exists */
    ck_assert_msg(cfg != NULL, "%s", err.message);
    aws_config_free(cfg);
    cfg = load("profile w", NULL, NULL, &err);  /* credentials sections are names as written */
    ck_assert_msg(cfg != NULL, "%s", err.message);
    aws_config_free(cfg);
}
END_TEST

START_TEST(missing_profile)
{
    struct aws_error err;
    char cfgpath[400], credpath[400];

    snprintf(cfgpath, sizeof(cfgpath), "%s/.aws/config", home);
    snprintf(credpath, sizeof(credpath), "%s/.aws/credentials", home);
    tmp_home_write(".aws/config", "[default]\n");
    ck_assert_ptr_null(load("prod", NULL, NULL, &err));
    ck_assert_int_eq(err.kind, AWS_ERR_CONFIG);
    ck_assert_ptr_nonnull(strstr(err.message, "'prod'"));
    ck_assert_ptr_nonnull(strstr(err.message, cfgpath));
    ck_assert_ptr_nonnull(strstr(err.message, credpath));
    ck_assert_ptr_nonnull(strstr(err.message, "--profile"));
    setenv("AWS_PROFILE", "nope", 1);  /* a profile named by the environment must exist too */
    ck_assert_ptr_null(load(NULL, NULL, NULL, &err));
    ck_assert_ptr_nonnull(strstr(err.message, "AWS_PROFILE"));
}
END_TEST

/* path:line at the start of the message, and a hint */
static void syntax_error_at(const char *text, int line, const char *hint)
{
    struct aws_error err;
    char want[450];

    tmp_home_write(".aws/config", text);
    ck_assert_ptr_null(load(NULL, NULL, NULL, &err));
    ck_assert_int_eq(err.kind, AWS_ERR_CONFIG);
    snprintf(want, sizeof(want), "%s/.aws/config:%d: ", home, line);
    ck_assert_msg(strncmp(err.message, want, strlen(want)) == 0, "got: %s want prefix %s",
                  err.message, want);
    ck_assert_msg(strstr(err.message, hint) != NULL, "got: %s", err.message);
}

START_TEST(syntax_errors)
{
    syntax_error_at("[default]\nregion = a\nthis line has no equals\n", 3, "fix the line");
    syntax_error_at("[default\nregion = a\n", 1, "fix the line");
    syntax_error_at("region = a\n[default]\n", 1, "outside any [section]");
    syntax_error_at("[default]\nregion = a\n# c\nREGION = b\n", 4, "first on line 2");
    syntax_error_at("[default]\n[profile a]\n[default]\n", 3, "first on line 1");
    syntax_error_at("[default]\ns3 =\n  addressing_style path\n", 3, "key = value");
    syntax_error_at("[default]\n= value\n", 2, "no key");
    syntax_error_at("[default]\n  region = a\n  no delimiter\n", 3, "fix the line");
}
END_TEST

START_TEST(credentials_file_error_names_it)
{
    struct aws_error err;

    tmp_home_write(".aws/credentials", "[default]\naws_access_key_id = A\n???\n");
    ck_assert_ptr_null(load(NULL, NULL, NULL, &err));
    ck_assert_ptr_nonnull(strstr(err.message, "/.aws/credentials:3: "));
}
END_TEST

START_TEST(unreadable_and_missing)
{
    struct aws_error err;
    struct aws_config *cfg;
    char path[400];

    /* missing files are empty */
    cfg = load(NULL, NULL, NULL, &err);
    ck_assert_ptr_nonnull(cfg);
    aws_config_free(cfg);
    /* a path below a regular file: missing, as botocore's isfile() */
    tmp_home_write("plain", "x");
    snprintf(path, sizeof(path), "%s/plain/config", home);
    setenv("AWS_CONFIG_FILE", path, 1);
    cfg = load(NULL, NULL, NULL, &err);
    ck_assert_ptr_nonnull(cfg);
    aws_config_free(cfg);
    /* a directory is an error naming it */
    snprintf(path, sizeof(path), "%s/.aws", home);
    setenv("AWS_CONFIG_FILE", path, 1);
    ck_assert_ptr_null(load(NULL, NULL, NULL, &err));
    ck_assert_ptr_nonnull(strstr(err.message, "is a directory"));
    /* /dev/null reads as empty */
    setenv("AWS_CONFIG_FILE", "/dev/null", 1);
    cfg = load(NULL, NULL, NULL, &err);
    ck_assert_ptr_nonnull(cfg);
    aws_config_free(cfg);
}
END_TEST

START_TEST(unreadable_permissions)
{
    struct aws_error err;
    char path[400];

    tmp_home_write(".aws/config", "[default]\n");
    snprintf(path, sizeof(path), "%s/.aws/config", home);
    ck_assert_int_eq(chmod(path, 0), 0);
    if (geteuid() == 0) {
        /* root reads it anyway: then it must simply load */
        struct aws_config *cfg = load(NULL, NULL, NULL, &err);

        ck_assert_msg(cfg != NULL, "%s", err.message);
        aws_config_free(cfg);
        return;
    }
    ck_assert_ptr_null(load(NULL, NULL, NULL, &err));
    ck_assert_ptr_nonnull(strstr(err.message, "cannot read"));
    ck_assert_ptr_nonnull(strstr(err.message, "Permission denied"));
}
END_TEST

START_TEST(empty_files_and_whitespace)
{
    struct aws_error err;
    struct aws_config *cfg;

    tmp_home_write(".aws/config", "");
    tmp_home_write(".aws/credentials", "\n\n   \n");
    cfg = load(NULL, NULL, NULL, &err);
    ck_assert_ptr_nonnull(cfg);
    ck_assert_ptr_null(cfg->region);
    aws_config_free(cfg);
    tmp_home_write(".aws/config", "\xef\xbb\xbf# bom, comments\n; another\n[default]\n"
                              "\t region\t=\t  eu-west-1   \n  # indented comment\n"
                              "output : json\n");
    cfg = load(NULL, NULL, NULL, &err);
    ck_assert_msg(cfg != NULL, "%s", err.message);
    ck_assert_str_eq(cfg->region, "eu-west-1");
    ck_assert_str_eq(aws_config_get(cfg, "default", "output"), "json");
    aws_config_free(cfg);
}
END_TEST

START_TEST(crlf_and_inline_semicolon)
{
    struct aws_error err;
    struct aws_config *cfg;

    tmp_home_write(".aws/config", "[default]\r\nregion = eu-west-1\r\nnote = a ; b # c\r\n"
                              "s3 =\r\n  addressing_style = path\r\n");
    cfg = load(NULL, NULL, NULL, &err);
    ck_assert_msg(cfg != NULL, "%s", err.message);
    ck_assert_str_eq(cfg->region, "eu-west-1");
    /* configparser has no inline comments: the value is all of it */
    ck_assert_str_eq(aws_config_get(cfg, "default", "note"), "a ; b # c");
    aws_config_free(cfg);
}
END_TEST

START_TEST(huge_lines)
{
    struct aws_error err;
    struct aws_config *cfg;
    size_t n = 200000;
    char *text = malloc(n + 64);

    memcpy(text, "[default]\nbig = ", 16);
    memset(text + 16, 'x', n);
    strcpy(text + 16 + n, "\nregion = eu-west-1\n");
    tmp_home_write(".aws/config", text);
    cfg = load(NULL, NULL, NULL, &err);
    ck_assert_msg(cfg != NULL, "%s", err.message);
    ck_assert_uint_eq(strlen(aws_config_get(cfg, "default", "big")), n);
    ck_assert_str_eq(cfg->region, "eu-west-1");
    aws_config_free(cfg);
    free(text);

    n = 3 * 1024 * 1024;
    text = malloc(n + 64);
    memcpy(text, "[default]\nbig = ", 16);
    memset(text + 16, 'y', n);
    strcpy(text + 16 + n, "\n");
    tmp_home_write(".aws/config", text);
    free(text);
    ck_assert_ptr_null(load(NULL, NULL, NULL, &err));
    ck_assert_ptr_nonnull(strstr(err.message, ":2: line longer than"));
}
END_TEST

START_TEST(tilde_paths)
{
    struct aws_error err;
    struct aws_config *cfg;
    char want[400];

    ck_assert_int_eq(mkdir(strcat(strcpy(want, home), "/alt"), 0700), 0);
    tmp_home_write("alt/c", "[default]\nregion = me-south-1\n");
    setenv("AWS_CONFIG_FILE", "~/alt/c", 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", "~/alt/k", 1);
    cfg = load(NULL, NULL, NULL, &err);
    snprintf(want, sizeof(want), "%s/alt/c", home);
    ck_assert_str_eq(cfg->config_file, want);
    snprintf(want, sizeof(want), "%s/alt/k", home);
    ck_assert_str_eq(cfg->credentials_file, want);
    ck_assert_str_eq(cfg->region, "me-south-1");
    aws_config_free(cfg);
}
END_TEST

static Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("config");

    tcase_add_checked_fixture(tc, tmp_home_setup, tmp_home_teardown);
    tcase_add_test(tc, profile_order);
    tcase_add_test(tc, region_order);
    tcase_add_test(tc, no_region);
    tcase_add_test(tc, endpoint_defaults);
    tcase_add_test(tc, endpoint_precedence);
    tcase_add_test(tc, endpoint_ignore_in_profile);
    tcase_add_test(tc, endpoint_invalid);
    tcase_add_test(tc, endpoint_url_validation);
    tcase_add_test(tc, services_missing_section);
    tcase_add_test(tc, nested_values);
    tcase_add_test(tc, profile_sections);
    tcase_add_test(tc, missing_profile);
    tcase_add_test(tc, syntax_errors);
    tcase_add_test(tc, credentials_file_error_names_it);
    tcase_add_test(tc, unreadable_and_missing);
    tcase_add_test(tc, unreadable_permissions);
    tcase_add_test(tc, empty_files_and_whitespace);
    tcase_add_test(tc, crlf_and_inline_semicolon);
    tcase_add_test(tc, huge_lines);
    tcase_add_test(tc, tilde_paths);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(config_suite());
}
