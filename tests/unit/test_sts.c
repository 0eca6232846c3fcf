/* test_sts.c - STS GetCallerIdentity, AssumeRole and GetSessionToken builders and parsers, on
 * moto captures and malformed variants of them. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sts.h"
#include "aws_test_util.h"
#include "check_tap.h"

/* test_parse_fn adapter: parse, check a failure left nothing behind, free. */
static int parse_identity(const struct aws_response *r, struct aws_error *e)
{
    struct sts_identity id;
    int rc = sts_get_caller_identity_parse(r, &id, e);

    if (rc == -1) {
        ck_assert_ptr_null(id.account);
        ck_assert_ptr_null(id.arn);
    }
    sts_identity_free(&id);
    return rc;
}

START_TEST(request_exact)
{
    struct aws_request r;

    sts_get_caller_identity_request(&r);
    ck_assert_str_eq(r.service, "sts");
    ck_assert_str_eq(r.action, "GetCallerIdentity");
    ck_assert_str_eq(r.method, "POST");
    ck_assert_str_eq(r.path, "/");
    ck_assert_str_eq(buf_str(&r.body), "Action=GetCallerIdentity&Version=2011-06-15");
    ck_assert_str_eq(aws_request_header(&r, "Content-Type"),
                     "application/x-www-form-urlencoded; charset=utf-8");
    aws_request_done(&r);
}
END_TEST

START_TEST(identity_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct sts_identity id;

    test_resp_file(&resp, "sts/get_caller_identity.xml");
    ck_assert_int_eq(sts_get_caller_identity_parse(&resp, &id, &e), 0);
    ck_assert_str_eq(id.account, "123456789012");
    ck_assert_str_eq(id.arn, "arn:aws:sts::123456789012:user/moto");
    ck_assert_str_eq(id.user_id, "AKIAIOSFODNN7EXAMPLE");
    sts_identity_free(&id);
    ck_assert_ptr_null(id.account);
    aws_response_done(&resp);
}
END_TEST

START_TEST(identity_malformed)
{
    static const struct test_mutation m[] = {
        { "<Account>123456789012</Account>", "", "no <Account>" },
        { "<Account>123456789012</Account>", "<Account/>", "no <Account>" },
        { "<Arn>arn:aws:sts::123456789012:user/moto</Arn>", "", "no <Arn>" },
        { "<GetCallerIdentityResult>", "<Other>", "not well-formed" },
        { "</GetCallerIdentityResponse>", "", "not well-formed" },
        { "<GetCallerIdentityResponse", "<!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
          "<GetCallerIdentityResponse", "DTD" },
    };
    test_each_mutation("sts/get_caller_identity.xml", m, TEST_COUNT(m), "STS GetCallerIdentity: ",
                       parse_identity);
}
END_TEST

START_TEST(truncated_and_empty)
{
    test_each_truncation("sts/get_caller_identity.xml", parse_identity);
}
END_TEST

/* test_parse_fn adapters for the temporary-credential parsers. */
static int parse_assume(const struct aws_response *r, struct aws_error *e)
{
    struct sts_credentials c;
    int rc = sts_assume_role_parse(r, &c, e);

    if (rc == -1) {
        ck_assert_ptr_null(c.access_key_id);
        ck_assert_ptr_null(c.secret_access_key);
        ck_assert_ptr_null(c.session_token);
        ck_assert_ptr_null(c.assumed_role_arn);
    }
    sts_credentials_free(&c);
    return rc;
}

static int parse_session(const struct aws_response *r, struct aws_error *e)
{
    struct sts_credentials c;
    int rc = sts_get_session_token_parse(r, &c, e);

    if (rc == -1) {
        ck_assert_ptr_null(c.access_key_id);
        ck_assert_ptr_null(c.secret_access_key);
        ck_assert_ptr_null(c.session_token);
    }
    sts_credentials_free(&c);
    return rc;
}

START_TEST(assume_role_request_all)
{
    struct aws_request r;
    struct sts_assume_role_params p = {
        .role_arn = "arn:aws:iam::123456789012:role/on call", .session_name = "alice@ops",
        .duration_seconds = 900, .external_id = "a&b=c", .serial_number =
        "arn:aws:iam::123456789012:mfa/alice", .token_code = "012345"};

    sts_assume_role_request(&r, &p);
    ck_assert_str_eq(r.service, "sts");
    ck_assert_str_eq(r.action, "AssumeRole");
    ck_assert_str_eq(r.method, "POST");
    ck_assert_str_eq(buf_str(&r.body), "Action=AssumeRole&Version=2011-06-15"
                     "&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fon%20call"
                     "&RoleSessionName=alice%40ops&DurationSeconds=900&ExternalId=a%26b%3Dc"
                     "&SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice"
                     "&TokenCode=012345");
    aws_request_done(&r);
}
END_TEST

START_TEST(assume_role_request_minimal)
{
    struct aws_request r;
    struct sts_assume_role_params p = {.role_arn = "arn:aws:iam::1:role/r",
                                       .session_name = "s1"};

    sts_assume_role_request(&r, &p);
    /* no DurationSeconds, ExternalId or MFA parameters when not configured */
    ck_assert_str_eq(buf_str(&r.body), "Action=AssumeRole&Version=2011-06-15"
                     "&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr&RoleSessionName=s1");
    aws_request_done(&r);
}
END_TEST

START_TEST(session_token_request)
{
    struct aws_request r;
    struct sts_session_token_params p = {.duration_seconds = 3600,
                                         .serial_number = "GAHT12345678", .token_code = "999999"};
    struct sts_session_token_params none = {0};

    sts_get_session_token_request(&r, &p);
    ck_assert_str_eq(r.action, "GetSessionToken");
    ck_assert_str_eq(buf_str(&r.body), "Action=GetSessionToken&Version=2011-06-15"
                     "&DurationSeconds=3600&SerialNumber=GAHT12345678&TokenCode=999999");
    aws_request_done(&r);
    sts_get_session_token_request(&r, &none);
    ck_assert_str_eq(buf_str(&r.body), "Action=GetSessionToken&Version=2011-06-15");
    aws_request_done(&r);
}
END_TEST

START_TEST(assume_role_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct sts_credentials c;

    test_resp_file(&resp, "sts/assume_role.xml");
    ck_assert_int_eq(sts_assume_role_parse(&resp, &c, &e), 0);
    ck_assert_str_eq(c.access_key_id, "ASIARZPUZDIKAQMPJUN4");
    ck_assert_str_eq(c.secret_access_key, "Py1ShYDQDaGxl8sAShd/kLWUoV5Z1NRSswHKX0mN");
    ck_assert_int_eq(strncmp(c.session_token, "FQoGZXIvYXdzEBYaDby6", 20), 0);
    ck_assert_uint_eq(strlen(c.session_token), 356);
    ck_assert_int_eq(c.expiration, 1795607087);   /* 2026-11-25T11:44:47.188695Z */
    ck_assert_str_eq(c.assumed_role_arn,
                     "arn:aws:sts::123456789012:assumed-role/oncall/opsdeck-capture");
    ck_assert_str_eq(c.assumed_role_id, "AROA3X42LBCD95LJHRXXW:opsdeck-capture");
    sts_credentials_free(&c);
    ck_assert_ptr_null(c.secret_access_key);
    aws_response_done(&resp);
}
END_TEST

START_TEST(session_token_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct sts_credentials c;

    test_resp_file(&resp, "sts/get_session_token.xml");
    ck_assert_int_eq(sts_get_session_token_parse(&resp, &c, &e), 0);
    ck_assert_str_eq(c.access_key_id, "AKIAIOSFODNN7EXAMPLE");
    ck_assert_str_eq(c.secret_access_key, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY");
    ck_assert_int_eq(strncmp(c.session_token, "AQoEXAMPLEH4aoAH0gNC", 20), 0);
    ck_assert_int_eq(c.expiration, 1795607087);
    ck_assert_ptr_null(c.assumed_role_arn);
    sts_credentials_free(&c);
    aws_response_done(&resp);

    /* the two actions' answers are not interchangeable */
    test_resp_file(&resp, "sts/get_session_token.xml");
    ck_assert_int_eq(sts_assume_role_parse(&resp, &c, &e), -1);
    ck_assert_parse_error(&e, "STS AssumeRole: ");
    aws_response_done(&resp);
}
END_TEST

START_TEST(assume_role_malformed)
{
    static const struct test_mutation m[] = {
        { "<AccessKeyId>ASIARZPUZDIKAQMPJUN4</AccessKeyId>", "", "no <AccessKeyId>" },
        { "<AccessKeyId>ASIARZPUZDIKAQMPJUN4</AccessKeyId>", "<AccessKeyId/>", "no <AccessKeyId>" },
        { "<SecretAccessKey>", "<Secret>", "not well-formed" },
        { "<SessionToken>FQoG", "<SessionToken><x/></SessionToken><Other>FQoG", "not well-formed" },
        { "<Expiration>2026-11-25T11:44:47.188695Z</Expiration>", "", "no <Expiration>" },
        { "2026-11-25T11:44:47.188695Z", "tomorrow", "<Expiration> is not an ISO 8601 time" },
        { "2026-11-25T11:44:47.188695Z", "2026-11-25T11:44:47", "<Expiration> is not" },
        { "2026-11-25T11:44:47.188695Z", "99999999999-11-25T11:44:47Z", "<Expiration> is not" },
        { "2026-11-25T11:44:47.188695Z", "2026-13-45T11:44:47Z", "<Expiration> is not" },
        { "<Credentials>", "<Creds>", "not well-formed" },
        { "<AssumedRoleUser>", "<Assumed>", "not well-formed" },
        { "<Arn>arn:aws:sts::123456789012:assumed-role/oncall/opsdeck-capture</Arn>", "",
          "no <Arn>" },
        { "<AssumeRoleResult>", "<GetSessionTokenResult>", "not well-formed" },
        { "<AssumeRoleResponse", "<!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
          "<AssumeRoleResponse", "DTD" },
    };
    test_each_mutation("sts/assume_role.xml", m, TEST_COUNT(m), "STS AssumeRole: ",
                       parse_assume);
}
END_TEST

START_TEST(assume_role_missing_blocks)
{
    /* well-formed documents that lack a whole block */
    static const char *const docs[] = {
        "<AssumeRoleResponse><AssumeRoleResult><AssumedRoleUser><Arn>a</Arn></AssumedRoleUser>"
        "</AssumeRoleResult></AssumeRoleResponse>",
        "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId>"
        "<SecretAccessKey>S</SecretAccessKey><SessionToken>T</SessionToken>"
        "<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult>"
        "</AssumeRoleResponse>",
        "<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>",
        "{\"Credentials\": {}}",
    };
    static const char *const needles[] = {"no <Credentials>", "no <AssumedRoleUser>",
                                          "ErrorResponse", ""};

    for (size_t i = 0; i < TEST_COUNT(docs); i++) {
        struct aws_response resp;
        struct aws_error e;

        test_resp_str(&resp, docs[i]);
        aws_error_clear(&e);
        ck_assert_int_eq(parse_assume(&resp, &e), -1);
        ck_assert_parse_error(&e, "STS AssumeRole: ");
        ck_assert_msg(strstr(e.message, needles[i]), "'%s' lacks '%s'", e.message, needles[i]);
        aws_response_done(&resp);
    }
}
END_TEST

START_TEST(session_token_malformed)
{
    static const struct test_mutation m[] = {
        { "<SessionToken>", "<Token>", "not well-formed" },
        { "<SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>", "",
          "no <SecretAccessKey>" },
        { "2026-11-25T11:44:47.196498Z", "", "no <Expiration>" },
        { "2026-11-25T11:44:47.196498Z", "1795592687", "<Expiration> is not" },
        { "<GetSessionTokenResult>", "<AssumeRoleResult>", "not well-formed" },
    };
    test_each_mutation("sts/get_session_token.xml", m, TEST_COUNT(m), "STS GetSessionToken: ",
                       parse_session);
}
END_TEST

START_TEST(credentials_truncated)
{
    test_each_truncation("sts/assume_role.xml", parse_assume);
    test_each_truncation("sts/get_session_token.xml", parse_session);
}
END_TEST

START_TEST(parse_error_has_no_secret)
{
    /* a broken answer that carries a secret: the message must not quote it */
    static const char doc[] = "<AssumeRoleResponse><AssumeRoleResult><Credentials>"
        "<AccessKeyId>A</AccessKeyId><SecretAccessKey>SECRETSECRET</SecretAccessKey>"
        "<SessionToken>TOKENTOKEN</SessionToken><Expiration>SECRETSECRET</Expiration>"
        "</Credentials></AssumeRoleResult></AssumeRoleResponse>";
    struct aws_response resp;
    struct aws_error e;

    test_resp_str(&resp, doc);
    ck_assert_int_eq(parse_assume(&resp, &e), -1);
    ck_assert_ptr_null(strstr(e.message, "SECRET"));
    ck_assert_ptr_null(strstr(e.message, "TOKEN"));
    aws_response_done(&resp);
}
END_TEST

static Suite *sts_suite(void)
{
    Suite *s = suite_create("sts");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, request_exact);
    tcase_add_test(tc, identity_real);
    tcase_add_test(tc, identity_malformed);
    tcase_add_test(tc, truncated_and_empty);
    tcase_add_test(tc, assume_role_request_all);
    tcase_add_test(tc, assume_role_request_minimal);
    tcase_add_test(tc, session_token_request);
    tcase_add_test(tc, assume_role_real);
    tcase_add_test(tc, session_token_real);
    tcase_add_test(tc, assume_role_malformed);
    tcase_add_test(tc, assume_role_missing_blocks);
    tcase_add_test(tc, session_token_malformed);
    tcase_add_test(tc, credentials_truncated);
    tcase_add_test(tc, parse_error_has_no_secret);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(sts_suite());
}
