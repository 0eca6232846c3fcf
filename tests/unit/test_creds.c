/* test_creds.c - the credential manager: provider order, partial keys, expiration, errors
 * that name the profile and files, and secrets that never reach a message. Each case runs
 * in a fresh temp HOME with every AWS_* variable cleared (Check forks per test). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_tap.h"
#include "cmd/cmdwait.h"
#include "core/client.h"
#include "creds/creds.h"
#include "tmp_home.h"

static const char CREDS[] =
    "[default]\naws_access_key_id = AKIAFILE000000001\naws_secret_access_key = file-secret\n"
    "[dev]\naws_access_key_id = AKIAFILEDEV000001\naws_secret_access_key = dev-secret\n"
    "aws_session_token = dev-token\n";
static const char CONFIG[] =
    "[default]\naws_access_key_id = AKIACONF000000001\naws_secret_access_key = conf-secret\n"
    "[profile cfgonly]\naws_access_key_id = AKIACFGONLY000001\naws_secret_access_key = c-secret\n"
    "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = nokeys\n"
    "[profile webid]\nrole_arn = arn:aws:iam::123456789012:role/w\n"
    "web_identity_token_file = /nonexistent/token\n"
    "[profile sso]\nsso_session = corp\nsso_account_id = 1\n"
    "[profile ssold]\nsso_start_url = https://x/start\n"
    "[profile proc]\ncredential_process = /bin/echo\n"
    "[profile nokeys]\nregion = eu-west-1\n"
    "[profile half]\naws_access_key_id = AKIAHALF000000001\n";

/* Resolves with a fresh config and manager; returns the status, fills the outputs. */
struct got {
    enum creds_status st;
    char akid[64], secret[64], token[64], source[512], method[64];
    time_t expiration;
    struct aws_error err;
};

static struct got resolve(const char *profile)
{
    struct aws_config_opts o = {.profile = profile};
    struct got g;
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct aws_client *client;
    const struct aws_credentials *c = NULL;

    memset(&g, 0, sizeof(g));
    cfg = aws_config_new(&o, &g.err);
    ck_assert_msg(cfg != NULL, "%s", g.err.message);
    cm = creds_manager_new(cfg);
    /* as the commands do: a credential_process child runs on the client's wait */
    client = aws_client_new(cfg, creds_manager_source(cm), NULL);
    g.st = cmdwait_credentials(cm, client, &c, &g.err);
    if (g.st == CREDS_OK) {
        snprintf(g.akid, sizeof(g.akid), "%s", c->access_key_id);
        snprintf(g.secret, sizeof(g.secret), "%s", c->secret_access_key);
        snprintf(g.token, sizeof(g.token), "%s", c->session_token ? c->session_token : "");
        snprintf(g.source, sizeof(g.source), "%s", c->source);
        snprintf(g.method, sizeof(g.method), "%s", creds_manager_method(cm));
        g.expiration = c->expiration;
    } else {
        ck_assert_ptr_null(c);
        ck_assert_int_eq(g.err.kind, AWS_ERR_CREDENTIALS);
    }
    aws_client_free(client);
    creds_manager_free(cm);
    aws_config_free(cfg);
    return g;
}

static void set_env_keys(void)
{
    setenv("AWS_ACCESS_KEY_ID", "AKIAENV0000000001", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "env-secret", 1);
}

START_TEST(precedence)
{
    struct got g;

    tmp_home_write(".aws/config", CONFIG);
    g = resolve(NULL);  /* config only: no credentials file yet */
    ck_assert_str_eq(g.akid, "AKIACONF000000001");
    ck_assert_str_eq(g.method, "config-file");
    tmp_home_write(".aws/credentials", CREDS);
    g = resolve(NULL);
    ck_assert_str_eq(g.akid, "AKIAFILE000000001");
    ck_assert_str_eq(g.secret, "file-secret");
    ck_assert_str_eq(g.method, "shared-credentials-file");
    ck_assert_ptr_nonnull(strstr(g.source, "/.aws/credentials"));
    set_env_keys();
    g = resolve(NULL);
    ck_assert_str_eq(g.akid, "AKIAENV0000000001");
    ck_assert_str_eq(g.method, "env");
    ck_assert_str_eq(g.token, "");
    ck_assert_int_eq(g.expiration, 0);
    /* AWS_PROFILE does not skip the environment; --profile does */
    setenv("AWS_PROFILE", "dev", 1);
    g = resolve(NULL);
    ck_assert_str_eq(g.method, "env");
    g = resolve("dev");
    ck_assert_str_eq(g.akid, "AKIAFILEDEV000001");
    ck_assert_str_eq(g.token, "dev-token");
    g = resolve("cfgonly");
    ck_assert_str_eq(g.akid, "AKIACFGONLY000001");
    ck_assert_str_eq(g.method, "config-file");
}
END_TEST

START_TEST(session_tokens)
{
    struct got g;

    set_env_keys();
    setenv("AWS_SESSION_TOKEN", "b-token", 1);
    g = resolve(NULL);
    ck_assert_str_eq(g.token, "b-token");
    setenv("AWS_SECURITY_TOKEN", "a-token", 1);  /* botocore reads it first */
    g = resolve(NULL);
    ck_assert_str_eq(g.token, "a-token");
}
END_TEST

START_TEST(half_set_env)
{
    struct got g;

    setenv("AWS_ACCESS_KEY_ID", "AKIAHALF000000001", 1);
    g = resolve(NULL);
    ck_assert_int_eq(g.st, CREDS_ERROR);
    ck_assert_ptr_nonnull(strstr(g.err.message, "AWS_SECRET_ACCESS_KEY is not"));
    unsetenv("AWS_ACCESS_KEY_ID");
    setenv("AWS_SECRET_ACCESS_KEY", "lonely-secret", 1);
    g = resolve(NULL);
    ck_assert_int_eq(g.st, CREDS_ERROR);
    ck_assert_ptr_nonnull(strstr(g.err.message, "AWS_ACCESS_KEY_ID is not"));
    ck_assert_ptr_null(strstr(g.err.message, "lonely-secret"));
    /* with --profile the environment is not consulted at all */
    tmp_home_write(".aws/credentials", CREDS);
    g = resolve("default");
    ck_assert_int_eq(g.st, CREDS_OK);
    ck_assert_str_eq(g.method, "shared-credentials-file");
}
END_TEST

START_TEST(expiration)
{
    struct got g;

    set_env_keys();
    setenv("AWS_CREDENTIAL_EXPIRATION", "2099-01-02T03:04:05Z", 1);
    g = resolve(NULL);
    ck_assert_int_eq(g.st, CREDS_OK);
    ck_assert_int_eq(g.expiration, 4071006245);
    setenv("AWS_CREDENTIAL_EXPIRATION", "2099-01-02T04:04:05.123+01:00", 1);
    g = resolve(NULL);
    ck_assert_int_eq(g.expiration, 4071006245);
    setenv("AWS_CREDENTIAL_EXPIRATION", "soon", 1);
    g = resolve(NULL);
    ck_assert_int_eq(g.st, CREDS_ERROR);
    ck_assert_ptr_nonnull(strstr(g.err.message, "AWS_CREDENTIAL_EXPIRATION"));
    ck_assert_ptr_nonnull(strstr(g.err.message, "ISO 8601"));
    setenv("AWS_CREDENTIAL_EXPIRATION", "2001-01-01T00:00:00Z", 1);  /* already expired */
    g = resolve(NULL);
    ck_assert_int_eq(g.st, CREDS_ERROR);
    ck_assert_ptr_nonnull(strstr(g.err.message, "expired"));
    ck_assert_ptr_null(strstr(g.err.message, "env-secret"));
}
END_TEST

START_TEST(no_credentials)
{
    struct got g;

    tmp_home_write(".aws/config", CONFIG);
    g = resolve("nokeys");
    ck_assert_int_eq(g.st, CREDS_ERROR);
    ck_assert_ptr_nonnull(strstr(g.err.message, "profile nokeys"));
    ck_assert_ptr_nonnull(strstr(g.err.message, "/.aws/credentials"));
    ck_assert_ptr_nonnull(strstr(g.err.message, "/.aws/config"));
    ck_assert_ptr_nonnull(strstr(g.err.message, "AWS_ACCESS_KEY_ID"));
    ck_assert_ptr_nonnull(strstr(g.err.message, "--profile"));
}
END_TEST

/* Providers that claim a profile answer for it, with an error naming it, rather than fall
 * through to another provider. None of these cases reaches the network. */
START_TEST(claimed_profiles_fail_with_their_own_error)
{
    struct got g;

    tmp_home_write(".aws/config", CONFIG);
    /* assume role whose source_profile has no credentials: error before any STS call */
    g = resolve("role");
    ck_assert_int_eq(g.st, CREDS_ERROR);
    ck_assert_msg(strstr(g.err.message, "role") && strstr(g.err.message, "nokeys"), "%s",
                  g.err.message);
    /* web identity is not built: said so, naming the profile */
    g = resolve("webid");
    ck_assert_int_eq(g.st, CREDS_ERROR);
    ck_assert_msg(strstr(g.err.message, "web identity") && strstr(g.err.message, "not support") &&
                  strstr(g.err.message, "webid"), "%s", g.err.message);
    /* sso_session naming a section that does not exist */
    g = resolve("sso");
    ck_assert_int_eq(g.st, CREDS_ERROR);
    ck_assert_msg(strstr(g.err.message, "sso-session corp") && strstr(g.err.message, "sso"),
                  "%s", g.err.message);
    /* sso_start_url alone is not an SSO profile for botocore (no account or role) */
    g = resolve("ssold");
    ck_assert_int_eq(g.st, CREDS_ERROR);
    ck_assert_ptr_nonnull(strstr(g.err.message, "no credentials for profile ssold"));
}
END_TEST

START_TEST(credentials_file_before_credential_process)
{
    struct got g;

    tmp_home_write(".aws/config", CONFIG);
    tmp_home_write(".aws/credentials", "[proc]\naws_access_key_id = AKIAPROC000000001\n"
                                   "aws_secret_access_key = p\n");
    /* botocore order: the credentials file comes before credential_process */
    g = resolve("proc");
    ck_assert_int_eq(g.st, CREDS_OK);
    ck_assert_str_eq(g.method, "shared-credentials-file");
}
END_TEST

START_TEST(partial_file_keys)
{
    struct got g;

    tmp_home_write(".aws/config", CONFIG);
    g = resolve("half");
    ck_assert_int_eq(g.st, CREDS_ERROR);
    ck_assert_ptr_nonnull(strstr(g.err.message, "aws_secret_access_key"));
    ck_assert_ptr_nonnull(strstr(g.err.message, "half"));
    tmp_home_write(".aws/credentials", "[default]\naws_access_key_id =\naws_secret_access_key = s\n");
    g = resolve(NULL);
    ck_assert_int_eq(g.st, CREDS_ERROR);
    ck_assert_ptr_nonnull(strstr(g.err.message, "empty aws_access_key_id"));
}
END_TEST

START_TEST(source_has_no_secret)
{
    struct got g;

    tmp_home_write(".aws/credentials", CREDS);
    g = resolve("dev");
    ck_assert_ptr_nonnull(strstr(g.source, "profile dev"));
    ck_assert_ptr_nonnull(strstr(g.source, "...0001"));
    ck_assert_ptr_null(strstr(g.source, "AKIAFILEDEV000001"));
    ck_assert_ptr_null(strstr(g.source, "dev-secret"));
    ck_assert_ptr_null(strstr(g.source, "dev-token"));
    set_env_keys();
    g = resolve(NULL);
    ck_assert_ptr_nonnull(strstr(g.source, "environment"));
    ck_assert_ptr_null(strstr(g.source, "AKIAENV0000000001"));
    ck_assert_ptr_null(strstr(g.source, "env-secret"));
}
END_TEST

START_TEST(cache_and_invalidate)
{
    struct aws_error err;
    struct aws_config *cfg;
    struct creds_manager *cm;
    const struct aws_credentials *a, *b;

    set_env_keys();
    aws_error_clear(&err);
    cfg = aws_config_new(NULL, &err);
    cm = creds_manager_new(cfg);
    ck_assert_int_eq(creds_manager_get(cm, NULL, NULL, &a, &err), CREDS_OK);
    setenv("AWS_ACCESS_KEY_ID", "AKIAROTATED000001", 1);
    ck_assert_int_eq(creds_manager_get(cm, NULL, NULL, &b, &err), CREDS_OK);
    ck_assert_ptr_eq(a, b);  /* cached: the environment is not re-read */
    ck_assert_str_eq(b->access_key_id, "AKIAENV0000000001");
    creds_manager_invalidate(cm);
    ck_assert_ptr_null(creds_manager_method(cm));
    ck_assert_int_eq(creds_manager_get(cm, NULL, NULL, &b, &err), CREDS_OK);
    ck_assert_str_eq(b->access_key_id, "AKIAROTATED000001");
    creds_manager_free(cm);
    aws_config_free(cfg);
    creds_manager_free(NULL);
    aws_credentials_free(NULL);
}
END_TEST

static Suite *creds_suite(void)
{
    Suite *s = suite_create("creds");
    TCase *tc = tcase_create("creds");

    tcase_add_checked_fixture(tc, tmp_home_setup, tmp_home_teardown);
    tcase_add_test(tc, precedence);
    tcase_add_test(tc, session_tokens);
    tcase_add_test(tc, half_set_env);
    tcase_add_test(tc, expiration);
    tcase_add_test(tc, no_credentials);
    tcase_add_test(tc, claimed_profiles_fail_with_their_own_error);
    tcase_add_test(tc, credentials_file_before_credential_process);
    tcase_add_test(tc, partial_file_keys);
    tcase_add_test(tc, source_has_no_secret);
    tcase_add_test(tc, cache_and_invalidate);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(creds_suite());
}
