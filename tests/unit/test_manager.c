/* test_manager.c - the credential manager's cache: per profile, refresh ahead of expiry,
 * keeping old credentials when a refresh fails, switch, report; and the keyring's secret
 * JSON. No network and no keyring (OPSDECK_KEYRING=off: the tests must not read or write the
 * keyring of whoever runs them); expiry is simulated with AWS_CREDENTIAL_EXPIRATION. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_tap.h"
#include "creds/creds.h"
#include "creds/creds_provider.h"
#include "creds/keyring.h"
#include "tmp_home.h"
#include "util/xalloc.h"
#include "util/timeutil.h"

static const char CREDS[] =
    "[a]\naws_access_key_id = AKIAPROFILEA00001\naws_secret_access_key = secret-a\n"
    "[b]\naws_access_key_id = AKIAPROFILEB00001\naws_secret_access_key = secret-b\n"
    "[base]\naws_access_key_id = AKIABASE000000001\naws_secret_access_key = secret-base\n";

static void setup(void)
{
    tmp_home_setup();
    setenv("OPSDECK_KEYRING", "off", 1);
}

static struct aws_config *config(const char *profile)
{
    struct aws_config_opts o = {.profile = profile};
    struct aws_error err;
    struct aws_config *cfg;

    aws_error_clear(&err);
    cfg = aws_config_new(&o, &err);
    ck_assert_msg(cfg != NULL, "%s", err.message);
    return cfg;
}

/* Environment keys that expire in `in` seconds (0: no expiration). */
static void env_keys(const char *akid, long in)
{
    setenv("AWS_ACCESS_KEY_ID", akid, 1);
    setenv("AWS_SECRET_ACCESS_KEY", "env-secret-value", 1);
    if (in) {
        char iso[64];
        time_t t = time(NULL) + in;
        struct tm tm;

        gmtime_r(&t, &tm);
        strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
        setenv("AWS_CREDENTIAL_EXPIRATION", iso, 1);
    } else {
        unsetenv("AWS_CREDENTIAL_EXPIRATION");
    }
}

/* The access key id creds_manager_get answers, or the error message prefixed with "ERR:". */
static const char *get_akid(struct creds_manager *cm)
{
    static char out[1100];
    const struct aws_credentials *c = NULL;
    struct aws_error err;

    aws_error_clear(&err);
    if (creds_manager_get(cm, NULL, NULL, &c, &err) == CREDS_OK)
        snprintf(out, sizeof(out), "%s", c->access_key_id);
    else
        snprintf(out, sizeof(out), "ERR:%s", err.message);
    return out;
}

START_TEST(cache_keeps_static_keys)
{
    struct aws_config *cfg;
    struct creds_manager *cm;

    tmp_home_write(".aws/credentials", CREDS);
    cfg = config("a");
    cm = creds_manager_new(cfg);
    ck_assert_str_eq(get_akid(cm), "AKIAPROFILEA00001");
    /* keys that do not expire are not read again: the file changing is not seen */
    tmp_home_write(".aws/credentials", "[a]\naws_access_key_id = AKIACHANGED000001\n"
                   "aws_secret_access_key = x\n");
    ck_assert_str_eq(get_akid(cm), "AKIAPROFILEA00001");
    ck_assert_str_eq(creds_manager_method(cm), "shared-credentials-file");
    creds_manager_free(cm);
    aws_config_free(cfg);
}
END_TEST

START_TEST(invalidate_rereads)
{
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct creds_report r[4];

    tmp_home_write(".aws/credentials", CREDS);
    setenv("AWS_PROFILE", "a", 1);  /* not --profile: the environment still counts */
    cfg = config(NULL);
    cm = creds_manager_new(cfg);
    ck_assert_str_eq(get_akid(cm), "AKIAPROFILEA00001");
    env_keys("AKIAENVAFTER00001", 0);
    ck_assert_str_eq(get_akid(cm), "AKIAPROFILEA00001");  /* cached */
    creds_manager_invalidate(cm);
    ck_assert_uint_eq(creds_manager_report(cm, r, 4), 0);
    ck_assert_ptr_null(creds_manager_method(cm));
    ck_assert_str_eq(get_akid(cm), "AKIAENVAFTER00001");
    ck_assert_str_eq(creds_manager_method(cm), "env");
    creds_manager_free(cm);
    aws_config_free(cfg);
}
END_TEST

START_TEST(refresh_ahead_of_expiry)
{
    struct aws_config *cfg;
    struct creds_manager *cm;

    cfg = config(NULL);
    cm = creds_manager_new(cfg);
    env_keys("AKIASHORTLIVED001", 120);  /* inside the 5-minute window */
    ck_assert_str_eq(get_akid(cm), "AKIASHORTLIVED001");
    env_keys("AKIARENEWED000001", 3600);
    ck_assert_str_eq(get_akid(cm), "AKIARENEWED000001");
    /* now an hour left: no refresh, the environment changing is not seen */
    env_keys("AKIANOTASKED00001", 3600);
    ck_assert_str_eq(get_akid(cm), "AKIARENEWED000001");
    creds_manager_free(cm);
    aws_config_free(cfg);
}
END_TEST

/* A refresh that brings credentials as short-lived as before is not repeated on every get
 * (the default hold-off): a provider near its end is not hammered. */
START_TEST(short_lived_refresh_held_off)
{
    struct aws_config *cfg = config(NULL);
    struct creds_manager *cm = creds_manager_new(cfg);

    env_keys("AKIASHORTLIVED001", 120);
    ck_assert_str_eq(get_akid(cm), "AKIASHORTLIVED001");
    env_keys("AKIASHORTLIVED002", 120);
    ck_assert_str_eq(get_akid(cm), "AKIASHORTLIVED002");  /* the first refresh happens */
    env_keys("AKIASHORTLIVED003", 3600);
    ck_assert_str_eq(get_akid(cm), "AKIASHORTLIVED002");  /* then a pause */
    creds_manager_set_refresh_holdoff(cm, 0);
    ck_assert_str_eq(get_akid(cm), "AKIASHORTLIVED002");  /* the pause already set stands */
    creds_manager_free(cm);
    aws_config_free(cfg);
}
END_TEST

START_TEST(not_refreshed_outside_window)
{
    struct aws_config *cfg = config(NULL);
    struct creds_manager *cm = creds_manager_new(cfg);

    env_keys("AKIASIXMINUTES001", CREDS_REFRESH_AHEAD + 60);
    ck_assert_str_eq(get_akid(cm), "AKIASIXMINUTES001");
    env_keys("AKIANOTASKED00001", 3600);
    ck_assert_str_eq(get_akid(cm), "AKIASIXMINUTES001");
    creds_manager_free(cm);
    aws_config_free(cfg);
}
END_TEST

START_TEST(failed_refresh_keeps_valid_old)
{
    struct aws_config *cfg = config(NULL);
    struct creds_manager *cm = creds_manager_new(cfg);
    struct creds_report r[2];

    creds_manager_set_refresh_holdoff(cm, 0);
    env_keys("AKIASHORTLIVED001", 120);
    ck_assert_str_eq(get_akid(cm), "AKIASHORTLIVED001");
    setenv("AWS_CREDENTIAL_EXPIRATION", "not a time", 1);  /* the refresh fails */
    ck_assert_str_eq(get_akid(cm), "AKIASHORTLIVED001");
    ck_assert_uint_eq(creds_manager_report(cm, r, 2), 1);
    ck_assert_msg(strstr(r[0].refresh_error, "AWS_CREDENTIAL_EXPIRATION") != NULL, "%s",
                  r[0].refresh_error);
    /* the next get tries again (no hold-off here) and succeeds: the failure is gone */
    env_keys("AKIARENEWED000001", 3600);
    ck_assert_str_eq(get_akid(cm), "AKIARENEWED000001");
    ck_assert_uint_eq(creds_manager_report(cm, r, 2), 1);
    ck_assert_str_eq(r[0].refresh_error, "");
    creds_manager_free(cm);
    aws_config_free(cfg);
}
END_TEST

START_TEST(failed_refresh_held_off)
{
    struct aws_config *cfg = config(NULL);
    struct creds_manager *cm = creds_manager_new(cfg);

    creds_manager_set_refresh_holdoff(cm, 3600);
    env_keys("AKIASHORTLIVED001", 120);
    ck_assert_str_eq(get_akid(cm), "AKIASHORTLIVED001");
    unsetenv("AWS_SECRET_ACCESS_KEY");  /* partial keys: the refresh fails */
    ck_assert_str_eq(get_akid(cm), "AKIASHORTLIVED001");
    /* within the hold-off the provider is not asked again, even though it would work now */
    env_keys("AKIARENEWED000001", 3600);
    ck_assert_str_eq(get_akid(cm), "AKIASHORTLIVED001");
    creds_manager_free(cm);
    aws_config_free(cfg);
}
END_TEST

START_TEST(expired_is_an_error)
{
    struct aws_config *cfg = config(NULL);
    struct creds_manager *cm = creds_manager_new(cfg);
    struct creds_report r[1];
    const char *got;

    env_keys("AKIAEXPIRED000001", -10);
    got = get_akid(cm);
    ck_assert_msg(strncmp(got, "ERR:", 4) == 0 && strstr(got, "expired"), "%s", got);
    ck_assert_uint_eq(creds_manager_report(cm, r, 1), 0);
    creds_manager_free(cm);
    aws_config_free(cfg);
}
END_TEST

START_TEST(switch_drops_everything)
{
    struct aws_config *a, *b;
    struct creds_manager *cm;
    struct creds_report r[4];

    tmp_home_write(".aws/credentials", CREDS);
    a = config("a");
    b = config("b");
    cm = creds_manager_new(a);
    ck_assert_str_eq(get_akid(cm), "AKIAPROFILEA00001");
    ck_assert_uint_eq(creds_manager_report(cm, r, 4), 1);
    creds_manager_switch(cm, b);
    aws_config_free(a);  /* the old config may go once switched */
    ck_assert_uint_eq(creds_manager_report(cm, r, 4), 0);
    ck_assert_ptr_null(creds_manager_method(cm));
    ck_assert_str_eq(get_akid(cm), "AKIAPROFILEB00001");
    ck_assert_uint_eq(creds_manager_report(cm, r, 4), 1);
    ck_assert_str_eq(r[0].profile, "b");
    creds_manager_free(cm);
    aws_config_free(b);
}
END_TEST

START_TEST(report_fields)
{
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct creds_report r[2];
    const char *iso;
    int64_t want;

    cfg = config(NULL);
    cm = creds_manager_new(cfg);
    env_keys("AKIAREPORT0000001", 3600);
    iso = getenv("AWS_CREDENTIAL_EXPIRATION");
    ck_assert_int_eq(timeutil_parse_iso8601(iso, &want), 0);
    ck_assert_uint_eq(creds_manager_report(cm, r, 2), 0);
    ck_assert_str_eq(get_akid(cm), "AKIAREPORT0000001");
    ck_assert_uint_eq(creds_manager_report(cm, r, 2), 1);
    ck_assert_str_eq(r[0].profile, "default");
    ck_assert_str_eq(r[0].method, "env");
    ck_assert_str_eq(r[0].source, "environment: AWS_ACCESS_KEY_ID ...0001");
    ck_assert_int_eq((long long)r[0].expiration, (long long)want);
    ck_assert(r[0].active);
    ck_assert_str_eq(r[0].refresh_error, "");
    /* max 0: nothing written, the count still told */
    ck_assert_uint_eq(creds_manager_report(cm, NULL, 0), 1);
    ck_assert_ptr_null(strstr(r[0].source, "env-secret-value"));
    creds_manager_free(cm);
    aws_config_free(cfg);
}
END_TEST

/* Source profiles of chains are cached per profile next to the active one. */
START_TEST(per_profile_cache)
{
    struct aws_config *cfg;
    struct creds_manager *cm;
    struct creds_report r[4];
    struct aws_credentials *c = NULL;
    struct aws_error err;
    size_t n;

    tmp_home_write(".aws/credentials", CREDS);
    cfg = config("a");
    cm = creds_manager_new(cfg);
    ck_assert_str_eq(get_akid(cm), "AKIAPROFILEA00001");
    {
        struct creds_ctx ctx = {.cm = cm, .cfg = cfg, .profile = "a"};

        aws_error_clear(&err);
        ck_assert_int_eq(creds_resolve_profile(&ctx, "base", &c, &err, NULL), PROVIDER_OK);
        ck_assert_str_eq(c->access_key_id, "AKIABASE000000001");
        aws_credentials_free(c);  /* the caller's copy; the cache keeps its own */
        ck_assert_int_eq(creds_resolve_profile(&ctx, "base", &c, &err, NULL), PROVIDER_OK);
        ck_assert_str_eq(c->access_key_id, "AKIABASE000000001");
        aws_credentials_free(c);
    }
    n = creds_manager_report(cm, r, 4);
    ck_assert_uint_eq(n, 2);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(r[i].profile, "base") == 0) {
            ck_assert(!r[i].active);
            ck_assert_str_eq(r[i].method, "shared-credentials-file");
        } else {
            ck_assert_str_eq(r[i].profile, "a");
            ck_assert(r[i].active);
        }
    }
    /* the active profile's credentials are still those of a */
    ck_assert_str_eq(get_akid(cm), "AKIAPROFILEA00001");
    creds_manager_free(cm);
    aws_config_free(cfg);
}
END_TEST

START_TEST(keyring_off_falls_through)
{
    const char *why = NULL;

    ck_assert(!keyring_available(true, &why));
    ck_assert_str_eq(why, "turned off by OPSDECK_KEYRING=off");
}
END_TEST

/* ---- the keyring's secret JSON ----------------------------------------------------------- */

START_TEST(json_round_trip)
{
    struct aws_credentials *in = creds_new("AKIAJSON000000001", "se\"cr\\et\x01/+=",
                                           "tok\nen", 1900000000, "src \"q\"");
    struct keyring_meta meta = {"assume-role", "abc123"}, got_meta = {0};
    struct aws_credentials *out = NULL;
    struct aws_error err;
    char *json = keyring_encode(in, &meta);

    aws_error_clear(&err);
    ck_assert_int_eq(keyring_decode(json, &out, &got_meta, &err), 0);
    ck_assert_str_eq(out->access_key_id, in->access_key_id);
    ck_assert_str_eq(out->secret_access_key, in->secret_access_key);
    ck_assert_str_eq(out->session_token, in->session_token);
    ck_assert_str_eq(out->source, in->source);
    ck_assert_int_eq((long long)out->expiration, 1900000000LL);
    ck_assert_str_eq(got_meta.method, "assume-role");
    ck_assert_str_eq(got_meta.fingerprint, "abc123");
    xfree_secret(json);
    aws_credentials_free(in);
    aws_credentials_free(out);
    keyring_meta_done(&got_meta);

    /* no token, no meta */
    in = creds_new("AKIAJSON000000002", "s", NULL, 0, "x");
    json = keyring_encode(in, NULL);
    ck_assert_int_eq(keyring_decode(json, &out, NULL, &err), 0);
    ck_assert_ptr_null(out->session_token);
    ck_assert_int_eq((long long)out->expiration, 0);
    xfree_secret(json);
    aws_credentials_free(in);
    aws_credentials_free(out);
}
END_TEST

START_TEST(json_malformed)
{
    static const char *const bad[] = {
        "", "null", "[]", "{", "{\"version\":1", "not json",
        "{\"version\":2,\"expiration\":0,\"access_key_id\":\"A\",\"secret_access_key\":\"s\"}",
        "{\"expiration\":0,\"access_key_id\":\"A\",\"secret_access_key\":\"s\"}",
        "{\"version\":1,\"access_key_id\":\"A\",\"secret_access_key\":\"s\"}",
        "{\"version\":1,\"expiration\":\"0\",\"access_key_id\":\"A\",\"secret_access_key\":\"s\"}",
        "{\"version\":1,\"expiration\":-1,\"access_key_id\":\"A\",\"secret_access_key\":\"s\"}",
        "{\"version\":1,\"expiration\":1e300,\"access_key_id\":\"A\",\"secret_access_key\":\"s\"}",
        "{\"version\":1,\"expiration\":0,\"secret_access_key\":\"s\"}",
        "{\"version\":1,\"expiration\":0,\"access_key_id\":\"A\"}",
        "{\"version\":1,\"expiration\":0,\"access_key_id\":\"\",\"secret_access_key\":\"s\"}",
        "{\"version\":1,\"expiration\":0,\"access_key_id\":5,\"secret_access_key\":\"s\"}",
        "{\"version\":1,\"expiration\":0,\"access_key_id\":\"A\",\"secret_access_key\":\"s\","
        "\"session_token\":[1]}",
        "{\"version\":1,\"expiration\":0,\"access_key_id\":\"A\",\"secret_access_key\":\"s\","
        "\"method\":{}}",
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct aws_credentials *out = (struct aws_credentials *)&bad;  /* must stay untouched */
        struct keyring_meta meta = {0};
        struct aws_error err;

        aws_error_clear(&err);
        ck_assert_msg(keyring_decode(bad[i], &out, &meta, &err) == -1, "accepted %s", bad[i]);
        ck_assert_ptr_eq(out, (struct aws_credentials *)&bad);
        ck_assert_ptr_null(meta.method);
        ck_assert_int_eq(err.kind, AWS_ERR_PARSE);
        ck_assert_msg(strstr(err.message, "opsdeck creds remove") != NULL, "%s", err.message);
    }
    /* every truncation of a valid document fails cleanly */
    {
        struct aws_credentials *in = creds_new("AKIAJSON000000003", "sec", "tok", 5, "x");
        char *json = keyring_encode(in, NULL);
        size_t n = strlen(json);

        for (size_t cut = 0; cut < n; cut++) {
            char *t = xstrndup(json, cut);
            struct aws_credentials *out = NULL;
            struct aws_error err;

            ck_assert_msg(keyring_decode(t, &out, NULL, &err) == -1, "accepted %s", t);
            ck_assert_ptr_null(out);
            free(t);
        }
        xfree_secret(json);
        aws_credentials_free(in);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("manager");
    TCase *tc = tcase_create("manager");

    tcase_add_checked_fixture(tc, setup, tmp_home_teardown);
    tcase_add_test(tc, cache_keeps_static_keys);
    tcase_add_test(tc, invalidate_rereads);
    tcase_add_test(tc, refresh_ahead_of_expiry);
    tcase_add_test(tc, short_lived_refresh_held_off);
    tcase_add_test(tc, not_refreshed_outside_window);
    tcase_add_test(tc, failed_refresh_keeps_valid_old);
    tcase_add_test(tc, failed_refresh_held_off);
    tcase_add_test(tc, expired_is_an_error);
    tcase_add_test(tc, switch_drops_everything);
    tcase_add_test(tc, report_fields);
    tcase_add_test(tc, per_profile_cache);
    tcase_add_test(tc, keyring_off_falls_through);
    tcase_add_test(tc, json_round_trip);
    tcase_add_test(tc, json_malformed);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(suite());
}
