/* test_sso.c - the SSO portal / SSO-OIDC clients (requests, parsers on recorded answers and
 * malformed ones) and the token cache (path, round trip, 0600, malformed files), each case
 * in a fresh temporary HOME. */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws/sso.h"
#include "aws_test_util.h"
#include "check_tap.h"
#include "creds/creds_sso.h"
#include "tmp_home.h"

static const char SECRET[] = "JdJJl5D6rUyKJLvu_46GfnwJVdytXEFZcOE1VBmg";
static const char SESSION[] = "H5V_YNO1tUYBcjSf24j3fDS5EpguWeFW4hLjdbrBm8mqWLVHKVcbuIrRx";

/* ---- requests ------------------------------------------------------------------------ */

START_TEST(role_credentials_request)
{
    struct aws_request r;

    sso_get_role_credentials_request(&r, "Read Only", "123456789012", "tok/en+");
    ck_assert_str_eq(r.method, "GET");
    ck_assert_str_eq(r.path, "/federation/credentials");
    ck_assert_str_eq(r.query, "role_name=Read%20Only&account_id=123456789012");
    ck_assert_str_eq(aws_request_header(&r, "x-amz-sso_bearer_token"), "tok/en+");
    ck_assert(r.anonymous);
    ck_assert_str_eq(r.service, "portal.sso");
    aws_request_done(&r);
}
END_TEST

static cJSON *body_json(const struct aws_request *r)
{
    cJSON *j = cJSON_ParseWithLength(r->body.data, r->body.len);

    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(aws_request_header(r, "Content-Type"), "application/json");
    ck_assert(r->anonymous);
    ck_assert_str_eq(r->method, "POST");
    return j;
}

static const char *jstr(const cJSON *j, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, k);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

START_TEST(oidc_requests)
{
    struct aws_request r;
    cJSON *j, *a;

    oidc_register_client_request(&r, "opsdeck", " sso:account:access , x:y,,");
    ck_assert_str_eq(r.path, "/client/register");
    j = body_json(&r);
    ck_assert_str_eq(jstr(j, "clientName"), "opsdeck");
    ck_assert_str_eq(jstr(j, "clientType"), "public");
    a = cJSON_GetObjectItemCaseSensitive(j, "scopes");
    ck_assert_int_eq(cJSON_GetArraySize(a), 2);
    ck_assert_str_eq(cJSON_GetArrayItem(a, 0)->valuestring, "sso:account:access");
    ck_assert_str_eq(cJSON_GetArrayItem(a, 1)->valuestring, "x:y");
    cJSON_Delete(j);
    aws_request_done(&r);

    oidc_register_client_request(&r, "opsdeck", NULL);
    j = body_json(&r);
    ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(j, "scopes"));
    cJSON_Delete(j);
    aws_request_done(&r);

    oidc_start_device_authorization_request(&r, "cid", "csecret", "https://x/start");
    ck_assert_str_eq(r.path, "/device_authorization");
    j = body_json(&r);
    ck_assert_str_eq(jstr(j, "clientId"), "cid");
    ck_assert_str_eq(jstr(j, "clientSecret"), "csecret");
    ck_assert_str_eq(jstr(j, "startUrl"), "https://x/start");
    cJSON_Delete(j);
    aws_request_done(&r);

    oidc_create_token_request(&r, "cid", "cs", OIDC_GRANT_DEVICE_CODE, "dev\"code");
    ck_assert_str_eq(r.path, "/token");
    j = body_json(&r);
    ck_assert_str_eq(jstr(j, "grantType"), "urn:ietf:params:oauth:grant-type:device_code");
    ck_assert_str_eq(jstr(j, "deviceCode"), "dev\"code");
    ck_assert_ptr_null(jstr(j, "refreshToken"));
    cJSON_Delete(j);
    aws_request_done(&r);

    oidc_create_token_request(&r, "cid", "cs", OIDC_GRANT_REFRESH_TOKEN, "rt");
    j = body_json(&r);
    ck_assert_str_eq(jstr(j, "grantType"), "refresh_token");
    ck_assert_str_eq(jstr(j, "refreshToken"), "rt");
    ck_assert_ptr_null(jstr(j, "deviceCode"));
    cJSON_Delete(j);
    aws_request_done(&r);
}
END_TEST

/* ---- parsers ------------------------------------------------------------------------- */

static int parse_role(const struct aws_response *r, struct aws_error *e)
{
    struct sso_role_credentials c;
    int rc = sso_get_role_credentials_parse(r, &c, e);

    if (rc < 0) {
        ck_assert_ptr_null(c.access_key_id);
        ck_assert_ptr_null(c.secret_access_key);
        /* a failure never quotes the answer: the keys must not reach a message */
        ck_assert_ptr_null(strstr(e->message, SECRET));
        ck_assert_ptr_null(strstr(e->message, SESSION));
    }
    sso_role_credentials_free(&c);
    return rc;
}

static int parse_register(const struct aws_response *r, struct aws_error *e)
{
    struct oidc_client c;
    int rc = oidc_register_client_parse(r, &c, e);

    if (rc < 0)
        ck_assert_ptr_null(c.client_secret);
    oidc_client_free(&c);
    return rc;
}

static int parse_device(const struct aws_response *r, struct aws_error *e)
{
    struct oidc_device_auth d;
    int rc = oidc_start_device_authorization_parse(r, &d, e);

    if (rc < 0)
        ck_assert_ptr_null(d.device_code);
    oidc_device_auth_free(&d);
    return rc;
}

static int parse_token(const struct aws_response *r, struct aws_error *e)
{
    struct oidc_token t;
    int rc = oidc_create_token_parse(r, &t, e);

    if (rc < 0)
        ck_assert_ptr_null(t.access_token);
    oidc_token_free(&t);
    return rc;
}

START_TEST(parse_recorded)
{
    struct aws_response resp;
    struct aws_error e;
    struct sso_role_credentials c;
    struct oidc_client cl;
    struct oidc_device_auth d;
    struct oidc_token t;

    test_resp_file(&resp, "sso/get_role_credentials.json");
    ck_assert_int_eq(sso_get_role_credentials_parse(&resp, &c, &e), 0);
    ck_assert_str_eq(c.access_key_id, "ASIACE2QNLU023W5XG1F");
    ck_assert_str_eq(c.secret_access_key, SECRET);
    ck_assert_ptr_nonnull(strstr(c.session_token, SESSION));
    ck_assert_int_eq(c.expiration, 1795609934);  /* milliseconds on the wire */
    sso_role_credentials_free(&c);
    aws_response_done(&resp);

    test_resp_file(&resp, "sso/register_client.json");
    ck_assert_int_eq(oidc_register_client_parse(&resp, &cl, &e), 0);
    ck_assert_str_eq(cl.client_id, "t1aashzhasqa7ctyz4r2i9");
    ck_assert_int_eq(strlen(cl.client_secret), 64);
    ck_assert_int_eq(cl.secret_expires_at, 1803382323);
    oidc_client_free(&cl);
    aws_response_done(&resp);

    test_resp_file(&resp, "sso/start_device_authorization.json");
    ck_assert_int_eq(oidc_start_device_authorization_parse(&resp, &d, &e), 0);
    ck_assert_str_eq(d.user_code, "NRNR-KASR");
    ck_assert_str_eq(d.verification_uri, "http://127.0.0.1:33401/device");
    ck_assert_str_eq(d.verification_uri_complete,
                     "http://127.0.0.1:33401/device?user_code=NRNR-KASR");
    ck_assert_int_eq(d.expires_in, 600);
    ck_assert_int_eq(d.interval, 1);
    oidc_device_auth_free(&d);
    aws_response_done(&resp);

    test_resp_file(&resp, "sso/create_token.json");
    ck_assert_int_eq(oidc_create_token_parse(&resp, &t, &e), 0);
    ck_assert_int_eq(strncmp(t.access_token, "EMTFfSA46hZ", 11), 0);
    ck_assert_int_eq(t.expires_in, 28800);
    ck_assert_int_eq(strncmp(t.refresh_token, "hNN6UncFYn6", 11), 0);
    oidc_token_free(&t);
    aws_response_done(&resp);
}
END_TEST

START_TEST(parse_optional_fields)
{
    struct aws_response resp;
    struct aws_error e;
    struct oidc_device_auth d;
    struct oidc_token t;

    /* interval absent: RFC 8628's 5 s; no verificationUriComplete */
    test_resp_str(&resp, "{\"deviceCode\":\"d\",\"userCode\":\"U\",\"verificationUri\":\"v\","
                         "\"expiresIn\":60}");
    ck_assert_int_eq(oidc_start_device_authorization_parse(&resp, &d, &e), 0);
    ck_assert_int_eq(d.interval, 5);
    ck_assert_ptr_null(d.verification_uri_complete);
    oidc_device_auth_free(&d);
    aws_response_done(&resp);

    test_resp_str(&resp, "{\"accessToken\":\"a\",\"expiresIn\":1,\"refreshToken\":null}");
    ck_assert_int_eq(oidc_create_token_parse(&resp, &t, &e), 0);
    ck_assert_ptr_null(t.refresh_token);
    oidc_token_free(&t);
    aws_response_done(&resp);
}
END_TEST

START_TEST(parse_truncated)
{
    test_each_truncation("sso/get_role_credentials.json", parse_role);
    test_each_truncation("sso/register_client.json", parse_register);
    test_each_truncation("sso/start_device_authorization.json", parse_device);
    test_each_truncation("sso/create_token.json", parse_token);
}
END_TEST

START_TEST(parse_mutated)
{
    static const struct test_mutation role[] = {
        {"\"accessKeyId\"", "\"accessKey\"", "accessKeyId"},
        {"\"ASIACE2QNLU023W5XG1F\"", "17", "accessKeyId"},
        {"\"ASIACE2QNLU023W5XG1F\"", "\"\"", "accessKeyId"},
        {"\"secretAccessKey\": \"JdJJl5D6rUyKJLvu_46GfnwJVdytXEFZcOE1VBmg\"",
         "\"secretAccessKey\": [\"JdJJl5D6rUyKJLvu_46GfnwJVdytXEFZcOE1VBmg\"]",
         "secretAccessKey"},
        {"\"sessionToken\"", "\"SessionToken\"", "sessionToken"},
        {"1795609934277", "\"1795609934277\"", "expiration"},
        {"1795609934277", "1795609934277.5", "expiration"},
        {"1795609934277", "-1", "expiration"},
        {"1795609934277", "1e300", "expiration"},
        {"1795609934277", "99999999999999999999", "expiration"},
        {"\"expiration\"", "\"expires\"", "expiration"},
        {"\"roleCredentials\": {", "\"roleCredentials\": \"x\", \"y\": {", "roleCredentials"},
        {"\"roleCredentials\"", "\"credentials\"", "roleCredentials"},
    };
    static const struct test_mutation reg[] = {
        {"\"clientSecret\"", "\"secret\"", "clientSecret"},
        {"\"t1aashzhasqa7ctyz4r2i9\"", "null", "clientId"},
        {"1803382323", "\"soon\"", "clientSecretExpiresAt"},
        {"1803382323", "0", "clientSecretExpiresAt"},
    };
    static const struct test_mutation dev[] = {
        {"\"userCode\"", "\"user_code\"", "userCode"},
        {"\"deviceCode\"", "\"device\"", "deviceCode"},
        {"\"verificationUri\":", "\"uri\":", "verificationUri"},
        {"\"verificationUriComplete\": \"", "\"verificationUriComplete\": 7, \"x\": \"",
         "verificationUriComplete"},
        {"600", "0", "expiresIn"},
        {"600", "86401", "expiresIn"},
        {"\"interval\": 1", "\"interval\": -5", "interval"},
        {"\"interval\": 1", "\"interval\": true", "interval"},
    };
    static const struct test_mutation tok[] = {
        {"\"accessToken\"", "\"access_token\"", "accessToken"},
        {"28800", "-1", "expiresIn"},
        {"28800", "\"28800\"", "expiresIn"},
        {"\"refreshToken\": \"", "\"refreshToken\": false, \"x\": \"", "refreshToken"},
    };

    test_each_mutation("sso/get_role_credentials.json", role, TEST_COUNT(role),
                       "SSO GetRoleCredentials: ", parse_role);
    test_each_mutation("sso/register_client.json", reg, TEST_COUNT(reg),
                       "SSO-OIDC RegisterClient: ", parse_register);
    test_each_mutation("sso/start_device_authorization.json", dev, TEST_COUNT(dev),
                       "SSO-OIDC StartDeviceAuthorization: ", parse_device);
    test_each_mutation("sso/create_token.json", tok, TEST_COUNT(tok),
                       "SSO-OIDC CreateToken: ", parse_token);
}
END_TEST

START_TEST(parse_not_json)
{
    static const char *const bodies[] = {"", "null", "[]", "\"x\"", "{", "<xml/>", "{}"};

    for (size_t i = 0; i < TEST_COUNT(bodies); i++) {
        struct aws_response resp;
        struct aws_error e;

        test_resp_str(&resp, bodies[i]);
        aws_error_clear(&e);
        ck_assert_int_eq(parse_role(&resp, &e), -1);
        ck_assert_parse_error(&e, "SSO GetRoleCredentials");
        aws_error_clear(&e);
        ck_assert_int_eq(parse_token(&resp, &e), -1);
        ck_assert_parse_error(&e, "SSO-OIDC CreateToken");
        aws_response_done(&resp);
    }
}
END_TEST

/* ---- profile settings ---------------------------------------------------------------- */

static const char CONFIG[] =
    "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\n"
    "sso_role_name = ReadOnly\n"
    "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\n"
    "sso_region = eu-west-1\nsso_registration_scopes = sso:account:access\n"
    "[profile old]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-2\n"
    "sso_account_id = 1\nsso_role_name = R\n"
    "[profile clash]\nsso_session = corp\nsso_region = us-west-2\nsso_account_id = 1\n"
    "sso_role_name = R\n"
    "[profile nosess]\nsso_session = nope\nsso_account_id = 1\nsso_role_name = R\n"
    "[profile norole]\nsso_session = corp\n";

static struct aws_config *load_cfg(void)
{
    struct aws_config_opts o = {0};
    struct aws_error e;
    struct aws_config *cfg;

    tmp_home_write(".aws/config", CONFIG);
    cfg = aws_config_new(&o, &e);
    ck_assert_msg(cfg != NULL, "%s", e.message);
    return cfg;
}

START_TEST(profile_settings)
{
    struct aws_config *cfg = load_cfg();
    struct sso_profile p;
    struct aws_error e;
    char *path;

    ck_assert_int_eq(sso_profile_load(cfg, "dev", true, &p, &e), 0);
    ck_assert_str_eq(p.session, "corp");
    ck_assert_str_eq(p.start_url, "https://example.awsapps.com/start");
    ck_assert_str_eq(p.region, "eu-west-1");
    ck_assert_str_eq(p.scopes, "sso:account:access");
    ck_assert_str_eq(p.account_id, "123456789012");
    path = sso_token_cache_path(&p);
    /* botocore: sha1 of the session name (python3 hashlib.sha1(b"corp")) */
    ck_assert_ptr_nonnull(strstr(path, "/.aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f"
                                       ".json"));
    ck_assert_int_eq(strncmp(path, home, strlen(home)), 0);
    free(path);
    sso_profile_done(&p);

    ck_assert_int_eq(sso_profile_load(cfg, "old", true, &p, &e), 0);
    ck_assert_ptr_null(p.session);
    ck_assert_str_eq(p.region, "us-east-2");
    path = sso_token_cache_path(&p);  /* legacy: sha1 of the start URL */
    ck_assert_ptr_nonnull(strstr(path, "e8be5486177c5b5392bd9aa76563515b29358e6e.json"));
    free(path);
    sso_profile_done(&p);

    ck_assert_int_eq(sso_profile_load(cfg, "clash", true, &p, &e), -1);
    ck_assert_msg(strstr(e.message, "sso_region") && strstr(e.message, "clash") &&
                  strstr(e.message, "us-west-2"), "%s", e.message);
    ck_assert_int_eq(sso_profile_load(cfg, "nosess", true, &p, &e), -1);
    ck_assert_msg(strstr(e.message, "[sso-session nope]"), "%s", e.message);
    ck_assert_int_eq(sso_profile_load(cfg, "norole", true, &p, &e), -1);
    ck_assert_msg(strstr(e.message, "sso_account_id, sso_role_name") &&
                  strstr(e.message, "norole"), "%s", e.message);
    ck_assert_int_eq(sso_profile_load(cfg, "norole", false, &p, &e), 0);  /* login: enough */
    sso_profile_done(&p);
    aws_config_free(cfg);
}
END_TEST

/* ---- the token cache ----------------------------------------------------------------- */

static char *cache_file(const char *name)
{
    char *p = malloc(strlen(home) + 64);

    sprintf(p, "%s/.aws/sso/cache/%s", home, name);
    return p;
}

static void cache_dir_make(void)
{
    char cmd[400];

    snprintf(cmd, sizeof(cmd), "mkdir -p '%s/.aws/sso/cache'", home);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(cache_round_trip)
{
    struct sso_token t = {0}, u;
    struct aws_error e;
    struct stat st;
    char *path = cache_file("x.json"), *dir = cache_file("");
    FILE *f;
    char text[4096];
    size_t n;

    t.access_token = strdup("at-secret");
    t.expires_at = 1900000000;
    t.refresh_token = strdup("rt-secret");
    t.client_id = strdup("cid");
    t.client_secret = strdup("cs-secret");
    t.registration_expires_at = 1900000100;
    t.region = strdup("eu-west-1");
    t.start_url = strdup("https://x/start");
    ck_assert_msg(sso_token_save(path, &t, &e) == 0, "%s", e.message);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    ck_assert_int_eq(stat(dir, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0700);
    f = fopen(path, "r");
    n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    /* botocore's format: ISO 8601 with Z */
    ck_assert_ptr_nonnull(strstr(text, "\"expiresAt\":\t\"2030-03-17T17:46:40Z\""));
    ck_assert_int_eq(sso_token_load(path, &u, &e), 0);
    ck_assert_str_eq(u.access_token, "at-secret");
    ck_assert_int_eq(u.expires_at, 1900000000);
    ck_assert_str_eq(u.refresh_token, "rt-secret");
    ck_assert_str_eq(u.client_secret, "cs-secret");
    ck_assert_int_eq(u.registration_expires_at, 1900000100);
    ck_assert_str_eq(u.start_url, "https://x/start");
    sso_token_done(&u);
    /* overwriting leaves no temp file behind */
    ck_assert_int_eq(sso_token_save(path, &t, &e), 0);
    {
        char cmd[600];
        sprintf(cmd, "test $(ls -A '%s' | wc -l) -eq 1", dir);
        ck_assert_int_eq(system(cmd), 0);
    }
    sso_token_done(&t);
    free(path);
    free(dir);
}
END_TEST

START_TEST(cache_malformed)
{
    static const struct {
        const char *text, *needle;
    } bad[] = {
        {"not json", "not a JSON object"},
        {"[1]", "not a JSON object"},
        {"", "not a JSON object"},
        {"{\"expiresAt\":\"2030-01-01T00:00:00Z\"}", "no accessToken"},
        {"{\"accessToken\":\"\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}", "no accessToken"},
        {"{\"accessToken\":\"zz-secret\"}", "no expiresAt"},
        {"{\"accessToken\":\"zz-secret\",\"expiresAt\":\"tomorrow\"}", "'expiresAt' is not"},
        {"{\"accessToken\":\"zz-secret\",\"expiresAt\":\"2030-02-30T00:00:00Z\"}",
         "'expiresAt' is not"},
        {"{\"accessToken\":\"zz-secret\",\"expiresAt\":\"2030-01-01T00:00:00\"}",
         "'expiresAt' is not"},
        {"{\"accessToken\":\"zz-secret\",\"expiresAt\":1893456000}", "'expiresAt' is not a "
                                                                     "string"},
        {"{\"accessToken\":[\"zz-secret\"],\"expiresAt\":\"2030-01-01T00:00:00Z\"}",
         "'accessToken' is not a string"},
        {"{\"accessToken\":\"zz-secret\",\"expiresAt\":\"2030-01-01T00:00:00Z\","
         "\"registrationExpiresAt\":\"x\"}", "registrationExpiresAt"},
        {"{\"accessToken\":\"zz-secret\",\"expiresAt\":\"2030-01-01T00:00:00Z\","
         "\"clientSecret\":5}", "clientSecret"},
    };
    char *path = cache_file("bad.json");

    cache_dir_make();
    tmp_home_write(".aws/sso/cache/bad.json", "");
    for (size_t i = 0; i < TEST_COUNT(bad); i++) {
        struct sso_token t;
        struct aws_error e;

        tmp_home_write(".aws/sso/cache/bad.json", bad[i].text);
        aws_error_clear(&e);
        ck_assert_int_eq(sso_token_load(path, &t, &e), -1);
        ck_assert_ptr_null(t.access_token);
        ck_assert_int_eq(e.kind, AWS_ERR_CREDENTIALS);
        ck_assert_msg(strstr(e.message, bad[i].needle) && strstr(e.message, path),
                      "case %zu: %s", i, e.message);
        ck_assert_ptr_null(strstr(e.message, "zz-secret"));
    }
    free(path);
}
END_TEST

START_TEST(cache_missing_and_odd_files)
{
    struct sso_token t;
    struct aws_error e;
    char *path = cache_file("none.json"), *dir = cache_file("dir.json");
    char *big;

    ck_assert_int_eq(sso_token_load(path, &t, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.message, "not logged in"));
    cache_dir_make();
    tmp_home_write(".aws/sso/cache/x", "");
    ck_assert_int_eq(mkdir(dir, 0700), 0);
    ck_assert_int_eq(sso_token_load(dir, &t, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.message, "regular file"));
    big = malloc(2 * 1024 * 1024 + 1);
    memset(big, ' ', 2 * 1024 * 1024);
    big[2 * 1024 * 1024] = '\0';
    tmp_home_write(".aws/sso/cache/big.json", big);
    free(big);
    free(path);
    path = cache_file("big.json");
    ck_assert_int_eq(sso_token_load(path, &t, &e), -1);
    ck_assert_ptr_nonnull(strstr(e.message, "1 MiB"));
    free(path);
    free(dir);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sso");
    TCase *tc = tcase_create("core");

    tcase_add_checked_fixture(tc, tmp_home_setup, tmp_home_teardown);
    tcase_add_test(tc, role_credentials_request);
    tcase_add_test(tc, oidc_requests);
    tcase_add_test(tc, parse_recorded);
    tcase_add_test(tc, parse_optional_fields);
    tcase_add_test(tc, parse_truncated);
    tcase_add_test(tc, parse_mutated);
    tcase_add_test(tc, parse_not_json);
    tcase_add_test(tc, profile_settings);
    tcase_add_test(tc, cache_round_trip);
    tcase_add_test(tc, cache_malformed);
    tcase_add_test(tc, cache_missing_and_odd_files);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(suite());
}
