/* tmp_home.h - a fresh temporary HOME with an empty ~/.aws for tests of config and
 * credential resolution, and every AWS_* variable that could steer them cleared. Check forks
 * per test, so what a case changes never leaks into the next one. */
#ifndef OPSDECK_TMP_HOME_H
#define OPSDECK_TMP_HOME_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

/* The temporary HOME of the running case. */
static char home[256];

static const char *const tmp_home_aws_vars[] = {
    "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
    "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SQS",
    "AWS_ENDPOINT_URL_SNS", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_CLOUDWATCH",
    "AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL_SSO",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CREDENTIAL_EXPIRATION",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
};

/* A checked fixture: tcase_add_checked_fixture(tc, tmp_home_setup, tmp_home_teardown). */
static inline void tmp_home_setup(void)
{
    const char *tmp = getenv("TMPDIR");
    char path[300];

    for (size_t i = 0; i < sizeof(tmp_home_aws_vars) / sizeof(tmp_home_aws_vars[0]); i++)
        unsetenv(tmp_home_aws_vars[i]);
    /* a case that ends with no credentials must not ask 169.254.169.254: loopback only */
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    /* nor read the developer's own keyring */
    setenv("OPSDECK_KEYRING", "off", 1);
    snprintf(home, sizeof(home), "%s/opsdeck-home-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(home));
    setenv("HOME", home, 1);
    snprintf(path, sizeof(path), "%s/.aws", home);
    ck_assert_int_eq(mkdir(path, 0700), 0);
}

static inline void tmp_home_teardown(void)
{
    char cmd[400];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", home);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", home);
}

/* Writes text to rel, a path under the temporary HOME (".aws/config"). */
static inline void tmp_home_write(const char *rel, const char *text)
{
    char path[400];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", home, rel);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

#endif
