/* test_sts.c - STS GetCallerIdentity builder and parser, on a moto capture. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "aws/sts.h"
#include "aws_test_util.h"
#include "check_tap.h"

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
    static const struct {
        const char *from, *to, *needle;
    } m[] = {
        { "<Account>123456789012</Account>", "", "no <Account>" },
        { "<Account>123456789012</Account>", "<Account/>", "no <Account>" },
        { "<Arn>arn:aws:sts::123456789012:user/moto</Arn>", "", "no <Arn>" },
        { "<GetCallerIdentityResult>", "<Other>", "not well-formed" },
        { "</GetCallerIdentityResponse>", "", "not well-formed" },
        { "<GetCallerIdentityResponse", "<!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
          "<GetCallerIdentityResponse", "DTD" },
    };
    char *orig = test_read_capture("sts/get_caller_identity.xml");

    for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
        struct aws_response resp;
        struct aws_error e;
        struct sts_identity id;
        char *body = test_replace(orig, m[i].from, m[i].to);

        test_resp_str(&resp, body);
        ck_assert_msg(sts_get_caller_identity_parse(&resp, &id, &e) == -1, "mutation %zu accepted",
                      i);
        ck_assert_parse_error(&e, "STS GetCallerIdentity: ");
        ck_assert_parse_error(&e, m[i].needle);
        ck_assert_ptr_null(id.account);
        ck_assert_ptr_null(id.arn);
        aws_response_done(&resp);
        free(body);
    }
    free(orig);
}
END_TEST

START_TEST(truncated_and_empty)
{
    char *orig = test_read_capture("sts/get_caller_identity.xml");
    size_t len = strlen(orig);

    for (size_t cut = 0; cut < len; cut++) {
        struct aws_response resp;
        struct aws_error e;
        struct sts_identity id;

        test_resp_set(&resp, orig, cut);
        ck_assert_msg(sts_get_caller_identity_parse(&resp, &id, &e) == -1, "cut %zu accepted", cut);
        ck_assert_int_eq(e.kind, AWS_ERR_PARSE);
        aws_response_done(&resp);
    }
    free(orig);
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
