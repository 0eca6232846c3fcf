/* test_sts.c - STS GetCallerIdentity builder and parser, on a moto capture. */
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

static Suite *sts_suite(void)
{
    Suite *s = suite_create("sts");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, request_exact);
    tcase_add_test(tc, identity_real);
    tcase_add_test(tc, identity_malformed);
    tcase_add_test(tc, truncated_and_empty);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return check_tap_run(sts_suite());
}
