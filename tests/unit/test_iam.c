/* test_iam.c - IAM: password policy, user, login profile, access keys and their last use,
 * the credential report and its CSV; requests, answers recorded from moto, handwritten ones
 * for what moto leaves out, and malformed input (the CSV parser especially). */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/iam.h"
#include "aws_test_util.h"
#include "check_tap.h"
#include "core/proto.h"
#include "util/xalloc.h"

START_TEST(requests_exact)
{
    struct aws_request r;

    iam_get_account_password_policy_request(&r);
    ck_assert_str_eq(r.service, "iam");
    ck_assert(!r.mutating);
    ck_assert_str_eq(buf_str(&r.body), "Action=GetAccountPasswordPolicy&Version=2010-05-08");
    aws_request_done(&r);
    iam_get_user_request(&r, "alice");
    ck_assert_str_eq(buf_str(&r.body), "Action=GetUser&Version=2010-05-08&UserName=alice");
    aws_request_done(&r);
    iam_get_user_request(&r, NULL);
    ck_assert_str_eq(buf_str(&r.body), "Action=GetUser&Version=2010-05-08");
    aws_request_done(&r);
    iam_get_login_profile_request(&r, "a+b");
    ck_assert_str_eq(buf_str(&r.body), "Action=GetLoginProfile&Version=2010-05-08&UserName=a%2Bb");
    aws_request_done(&r);
    iam_list_access_keys_request(&r, "alice", "m/1");
    ck_assert_str_eq(buf_str(&r.body),
                     "Action=ListAccessKeys&Version=2010-05-08&UserName=alice&Marker=m%2F1");
    aws_request_done(&r);
    iam_get_access_key_last_used_request(&r, "AKIAX");
    ck_assert_str_eq(buf_str(&r.body),
                     "Action=GetAccessKeyLastUsed&Version=2010-05-08&AccessKeyId=AKIAX");
    aws_request_done(&r);
    /* generating the report changes no user, key or policy: allowed in read-only mode */
    iam_generate_credential_report_request(&r);
    ck_assert(!r.mutating);
    ck_assert_str_eq(buf_str(&r.body), "Action=GenerateCredentialReport&Version=2010-05-08");
    aws_request_done(&r);
    iam_get_credential_report_request(&r);
    ck_assert_str_eq(r.action, "GetCredentialReport");
    aws_request_done(&r);
}
END_TEST

static int parse_policy(const struct aws_response *r, struct aws_error *e)
{
    struct iam_password_policy p;

    return iam_get_account_password_policy_parse(r, &p, e);
}

START_TEST(password_policy)
{
    static const struct test_mutation m[] = {
        { "<MaxPasswordAge>90", "<MaxPasswordAge>ninety", "<MaxPasswordAge>" },
        { "<MaxPasswordAge>90", "<MaxPasswordAge>0", "<MaxPasswordAge>" },
        { "<HardExpiry>true", "<HardExpiry>1", "<HardExpiry>" },
        { "<MaxPasswordAge>90</MaxPasswordAge>", "", "ExpirePasswords without MaxPasswordAge" },
        { "<PasswordPolicy>", "<Policy>", "not well-formed" },
        { "<PasswordReusePrevention>3", "<PasswordReusePrevention>300", "PasswordReusePrevention" },
    };
    struct aws_response resp;
    struct aws_error e;
    struct iam_password_policy p;

    test_resp_file(&resp, "iam/get_account_password_policy.xml");
    ck_assert_int_eq(iam_get_account_password_policy_parse(&resp, &p, &e), 0);
    ck_assert(p.expire_passwords);
    ck_assert_int_eq(p.max_age_days, 90);
    ck_assert(p.hard_expiry);
    ck_assert_int_eq(p.min_length, 12);
    ck_assert_int_eq(p.reuse_prevention, 3);
    ck_assert(p.require_symbols);
    ck_assert(!p.require_numbers);
    ck_assert(!p.allow_users_to_change);
    aws_response_done(&resp);
    /* a policy without expiry */
    test_resp_str(&resp, "<GetAccountPasswordPolicyResponse><GetAccountPasswordPolicyResult>"
                         "<PasswordPolicy><ExpirePasswords>false</ExpirePasswords>"
                         "</PasswordPolicy></GetAccountPasswordPolicyResult>"
                         "</GetAccountPasswordPolicyResponse>");
    ck_assert_int_eq(iam_get_account_password_policy_parse(&resp, &p, &e), 0);
    ck_assert(!p.expire_passwords);
    ck_assert_int_eq(p.max_age_days, -1);
    ck_assert_int_eq(p.min_length, -1);
    aws_response_done(&resp);
    test_each_mutation("iam/get_account_password_policy.xml", m, TEST_COUNT(m),
                       "IAM GetAccountPasswordPolicy: ", parse_policy);
    test_each_truncation("iam/get_account_password_policy.xml", parse_policy);
}
END_TEST

static int parse_user(const struct aws_response *r, struct aws_error *e)
{
    struct iam_user u;
    int rc;

    memset(&u, 0x5a, sizeof(u));
    rc = iam_get_user_parse(r, &u, e);
    if (rc == -1)
        ck_assert_ptr_null(u.name);
    iam_user_free(&u);
    return rc;
}

static int parse_profile(const struct aws_response *r, struct aws_error *e)
{
    struct iam_login_profile p;
    int rc;

    memset(&p, 0x5a, sizeof(p));
    rc = iam_get_login_profile_parse(r, &p, e);
    if (rc == -1)
        ck_assert_ptr_null(p.user);
    iam_login_profile_free(&p);
    return rc;
}

START_TEST(user_and_login_profile)
{
    static const struct test_mutation um[] = {
        { "<UserName>alice</UserName>", "", "IAM GetUser: no <UserName>" },
        { "<CreateDate>2026", "<CreateDate>yesterday 2026", "<CreateDate> is not an ISO 8601" },
        { "<User>", "<Usr>", "not well-formed" },
    };
    static const struct test_mutation pm[] = {
        { "<PasswordResetRequired>false", "<PasswordResetRequired>no", "PasswordResetRequired" },
        { "<LoginProfile>", "<Login>", "not well-formed" },
    };
    struct aws_response resp;
    struct aws_error e;
    struct iam_user u;
    struct iam_login_profile p;

    test_resp_file(&resp, "iam/get_user.xml");
    ck_assert_int_eq(iam_get_user_parse(&resp, &u, &e), 0);
    ck_assert_str_eq(u.name, "alice");
    ck_assert_str_eq(u.arn, "arn:aws:iam::123456789012:user/alice");
    ck_assert_str_eq(u.path, "/");
    ck_assert(u.created > 1700000000);
    /* moto leaves PasswordLastUsed out until the password is used */
    ck_assert_int_eq(u.password_last_used, -1);
    iam_user_free(&u);
    aws_response_done(&resp);
    test_resp_file(&resp, "iam/get_login_profile.xml");
    ck_assert_int_eq(iam_get_login_profile_parse(&resp, &p, &e), 0);
    ck_assert_str_eq(p.user, "alice");
    ck_assert(p.created > 1700000000);
    ck_assert(!p.reset_required);
    iam_login_profile_free(&p);
    aws_response_done(&resp);
    test_each_mutation("iam/get_user.xml", um, TEST_COUNT(um), "IAM GetUser: ", parse_user);
    test_each_truncation("iam/get_user.xml", parse_user);
    test_each_mutation("iam/get_login_profile.xml", pm, TEST_COUNT(pm), "IAM GetLoginProfile: ",
                       parse_profile);
    test_each_truncation("iam/get_login_profile.xml", parse_profile);
}
END_TEST

static int parse_keys(const struct aws_response *r, struct aws_error *e)
{
    struct iam_access_key_list l;
    int rc;

    memset(&l, 0x5a, sizeof(l));
    rc = iam_list_access_keys_parse(r, &l, e);
    if (rc == -1)
        ck_assert_ptr_null(l.keys);
    iam_access_key_list_free(&l);
    return rc;
}

START_TEST(access_keys)
{
    static const struct test_mutation m[] = {
        { "<Status>Active</Status>", "", "key 1: no <Status>" },
        { "<AccessKeyId>AKIA", "<KeyId>AKIA", "not well-formed" },
        { "<CreateDate>2026", "<CreateDate>2026-13", "key 1: <CreateDate>" },
        { "</AccessKeyMetadata>", "</AccessKeyMetadata><IsTruncated>true</IsTruncated>",
          "IsTruncated without a <Marker>" },
        { "</AccessKeyMetadata>", "</AccessKeyMetadata><IsTruncated>sure</IsTruncated>",
          "<IsTruncated>" },
    };
    struct aws_response resp;
    struct aws_error e;
    struct iam_access_key_list l;
    struct iam_key_last_used k;
    char *body;

    test_resp_file(&resp, "iam/list_access_keys.xml");
    ck_assert_int_eq(iam_list_access_keys_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 2);
    ck_assert(strncmp(l.keys[0].id, "AKIA", 4) == 0);
    ck_assert_str_eq(l.keys[0].status, "Active");
    ck_assert_str_eq(l.keys[1].status, "Inactive");
    ck_assert_str_eq(l.keys[0].user, "alice");
    ck_assert(l.keys[0].created <= l.keys[1].created);
    ck_assert_ptr_null(l.marker);
    iam_access_key_list_free(&l);
    aws_response_done(&resp);
    /* a second page exists: the marker is exposed */
    body = test_read_capture("iam/list_access_keys.xml");
    {
        char *paged = test_replace(body, "</AccessKeyMetadata>",
                                   "</AccessKeyMetadata><IsTruncated>true</IsTruncated>"
                                   "<Marker>page-2</Marker>");
        test_resp_str(&resp, paged);
        free(paged);
    }
    free(body);
    ck_assert_int_eq(iam_list_access_keys_parse(&resp, &l, &e), 0);
    ck_assert_str_eq(l.marker, "page-2");
    iam_access_key_list_free(&l);
    aws_response_done(&resp);
    test_each_mutation("iam/list_access_keys.xml", m, TEST_COUNT(m), "IAM ListAccessKeys: ",
                       parse_keys);
    test_each_truncation("iam/list_access_keys.xml", parse_keys);

    test_resp_file(&resp, "iam/get_access_key_last_used.xml");
    ck_assert_int_eq(iam_get_access_key_last_used_parse(&resp, &k, &e), 0);
    ck_assert_str_eq(k.user, "alice");
    ck_assert_int_eq(k.last_used, -1);
    ck_assert_str_eq(k.service, "N/A");
    iam_key_last_used_free(&k);
    aws_response_done(&resp);
    test_resp_str(&resp, "<GetAccessKeyLastUsedResponse><GetAccessKeyLastUsedResult>"
                         "<AccessKeyLastUsed><LastUsedDate>2026-12-01T08:00:00Z</LastUsedDate>"
                         "<ServiceName>sqs</ServiceName><Region>eu-west-1</Region>"
                         "</AccessKeyLastUsed></GetAccessKeyLastUsedResult>"
                         "</GetAccessKeyLastUsedResponse>");
    ck_assert_int_eq(iam_get_access_key_last_used_parse(&resp, &k, &e), 0);
    ck_assert_int_eq(k.last_used, 1796112000);
    ck_assert_str_eq(k.region, "eu-west-1");
    iam_key_last_used_free(&k);
    aws_response_done(&resp);
    test_resp_str(&resp, "<GetAccessKeyLastUsedResponse><GetAccessKeyLastUsedResult>"
                         "<UserName>a</UserName></GetAccessKeyLastUsedResult>"
                         "</GetAccessKeyLastUsedResponse>");
    ck_assert_int_eq(iam_get_access_key_last_used_parse(&resp, &k, &e), -1);
    ck_assert_parse_error(&e, "IAM GetAccessKeyLastUsed: no <AccessKeyLastUsed>");
    aws_response_done(&resp);
}
END_TEST

START_TEST(credential_report_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct iam_report_state st;
    struct iam_credential_report c;
    struct iam_report rep;
    const struct iam_report_row *w;

    test_resp_file(&resp, "iam/generate_credential_report.xml");
    ck_assert_int_eq(iam_generate_credential_report_parse(&resp, &st, &e), 0);
    ck_assert_str_eq(st.state, "STARTED");
    ck_assert_ptr_nonnull(st.description);
    iam_report_state_free(&st);
    aws_response_done(&resp);

    test_resp_file(&resp, "iam/get_credential_report.xml");
    ck_assert_int_eq(iam_get_credential_report_parse(&resp, &c, &e), 0);
    ck_assert_str_eq(c.format, "text/csv");
    ck_assert_int_eq(c.generated, 1422907322);   /* moto's fixed 2015-02-02T20:02:02Z */
    ck_assert(strncmp(c.csv, "user,arn,user_creation_time,", 28) == 0);
    ck_assert_int_eq(iam_report_parse_csv(c.csv, c.len, &rep, &e), 0);
    ck_assert_uint_eq(rep.n, 1);
    w = iam_report_find(&rep, "alice");
    ck_assert_ptr_nonnull(w);
    ck_assert(w->password_enabled);
    ck_assert(w->password_last_changed > 1700000000);
    ck_assert_int_eq(w->password_last_used, -1);       /* no_information */
    ck_assert_int_eq(w->password_next_rotation, -1);   /* moto: not_supported */
    ck_assert(w->keys[0].active);
    ck_assert(!w->keys[1].active);
    ck_assert(w->keys[1].last_rotated > 1700000000);
    ck_assert_int_eq(w->keys[0].last_used, -1);
    ck_assert_ptr_null(w->keys[0].last_used_region);
    ck_assert_str_eq(kv_get(w->fields, w->nfields, "cert_1_active"), "false");
    ck_assert_ptr_null(iam_report_find(&rep, "bob"));
    iam_report_free(&rep);
    iam_credential_report_free(&c);
    aws_response_done(&resp);
}
END_TEST

START_TEST(credential_report_root_handwritten)
{
    struct aws_response resp;
    struct aws_error e;
    struct iam_credential_report c;
    struct iam_report rep;
    const struct iam_report_row *w;

    test_resp_file(&resp, "iam/get_credential_report_handwritten_root.xml");
    ck_assert_int_eq(iam_get_credential_report_parse(&resp, &c, &e), 0);
    ck_assert_int_eq(iam_report_parse_csv(c.csv, c.len, &rep, &e), 0);
    ck_assert_uint_eq(rep.n, 2);
    w = &rep.rows[0];
    ck_assert_str_eq(w->user, "<root_account>");
    ck_assert(!w->password_enabled);                   /* not_supported */
    ck_assert(w->mfa_active);
    ck_assert_int_eq(w->password_last_used, 1796040000);
    w = iam_report_find(&rep, "alice");
    /* 90 days after the change, as the policy says */
    ck_assert_int_eq(w->password_next_rotation, w->password_last_changed + 90 * 86400);
    ck_assert_int_eq(w->keys[0].last_used, 1796112000);
    ck_assert_str_eq(w->keys[0].last_used_region, "eu-west-1");
    ck_assert_str_eq(w->keys[0].last_used_service, "sqs");
    iam_report_free(&rep);
    iam_credential_report_free(&c);
    aws_response_done(&resp);
}
END_TEST

static int parse_report(const struct aws_response *r, struct aws_error *e)
{
    struct iam_credential_report c;
    int rc;

    memset(&c, 0x5a, sizeof(c));
    rc = iam_get_credential_report_parse(r, &c, e);
    if (rc == -1)
        ck_assert_ptr_null(c.csv);
    iam_credential_report_free(&c);
    return rc;
}

START_TEST(credential_report_malformed)
{
    static const struct test_mutation m[] = {
        { "<Content>dXNlci", "<Content>*XNlci", "<Content> is not base64" },
        { "<Content>dXNlci", "<Content>dXNlci=", "<Content> is not base64" },
        { "<GeneratedTime>2015", "<GeneratedTime>x2015", "<GeneratedTime>" },
        { "<Content>", "<Contents>", "not well-formed" },
    };
    struct aws_response resp;
    struct aws_error e;
    struct iam_credential_report c;
    char *nul = proto_base64_encode("user,arn\na\0b,x\n", 15);
    char *body = xasprintf("<GetCredentialReportResponse><GetCredentialReportResult>"
                           "<Content>%s</Content></GetCredentialReportResult>"
                           "</GetCredentialReportResponse>", nul);

    test_each_mutation("iam/get_credential_report.xml", m, TEST_COUNT(m),
                       "IAM GetCredentialReport: ", parse_report);
    test_each_truncation("iam/get_credential_report.xml", parse_report);
    test_resp_str(&resp, body);
    ck_assert_int_eq(iam_get_credential_report_parse(&resp, &c, &e), -1);
    ck_assert_parse_error(&e, "holds a NUL byte");
    aws_response_done(&resp);
    free(nul);
    free(body);
}
END_TEST

/* The CSV parser on its own: quoting, line ends, and every way a line can be wrong. */
START_TEST(csv_parser)
{
    static const struct {
        const char *csv, *needle;
    } bad[] = {
        { "", "empty report" },
        { "\n\n", "empty report" },
        { "name,arn\nx,y\n", "no user or arn column" },
        { "user,arn\nalice\n", "line 2 has 1 fields, the header 2" },
        { "user,arn\nalice,a,b\n", "line 2 has 3 fields" },
        { "user,arn\n\"alice,a\n", "line 2: a quoted field is not closed" },
        { "user,arn\n\"ali\"ce,a\n", "line 2: text after a closing quote" },
        { "user,arn\nal\"ice,a\n", "line 2: a quote inside an unquoted field" },
        { "user,arn\nal\rice,a\n", "carriage return inside a field" },
        { "user,arn,password_enabled\nalice,a,yes\n", "line 2: password_enabled is not true" },
        { "user,arn,password_last_changed\nalice,a,last week\n",
          "line 2: password_last_changed is not a time: 'last week'" },
        { "user,arn,access_key_2_last_rotated\nalice,a,2026-02-30T00:00:00+00:00\n",
          "access_key_2_last_rotated is not a time" },
        { "user,arn\n,a\n", "line 2: empty user" },
        { "user,arn\nok,a\nbad\n", "line 3 has 1 fields" },
    };
    struct iam_report rep;
    struct aws_error e;
    const char *ok = "user,arn,password_enabled,password_next_rotation\r\n"
                     "\"al,\"\"ice\"\"\",arn:x,true,2027-01-01T00:00:00+00:00\r\n"
                     "\r\n"
                     "b\xc3\xa9\x1b[1mob,arn:y,false,N/A";

    for (size_t i = 0; i < TEST_COUNT(bad); i++) {
        aws_error_clear(&e);
        memset(&rep, 0x5a, sizeof(rep));
        ck_assert_int_eq(iam_report_parse_csv(bad[i].csv, strlen(bad[i].csv), &rep, &e), -1);
        ck_assert_parse_error(&e, "IAM credential report: ");
        ck_assert_parse_error(&e, bad[i].needle);
        ck_assert_ptr_null(rep.rows);
        ck_assert_uint_eq(rep.n, 0);
    }
    ck_assert_int_eq(iam_report_parse_csv("user,arn\na\0,b\n", 14, &rep, &e), -1);
    ck_assert_parse_error(&e, "NUL");
    ck_assert_int_eq(iam_report_parse_csv(NULL, 0, &rep, &e), -1);

    ck_assert_int_eq(iam_report_parse_csv(ok, strlen(ok), &rep, &e), 0);
    ck_assert_uint_eq(rep.n, 2);
    ck_assert_str_eq(rep.rows[0].user, "al,\"ice\"");
    ck_assert(rep.rows[0].password_enabled);
    ck_assert_int_eq(rep.rows[0].password_next_rotation, 1798761600);
    /* names are untrusted text, kept as they are for the sanitiser */
    ck_assert_str_eq(rep.rows[1].user, "b\xc3\xa9\x1b[1mob");
    ck_assert_int_eq(rep.rows[1].password_next_rotation, -1);
    ck_assert_int_eq(rep.rows[1].user_created, -1);      /* no such column */
    iam_report_free(&rep);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("iam");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, requests_exact);
    tcase_add_test(tc, password_policy);
    tcase_add_test(tc, user_and_login_profile);
    tcase_add_test(tc, access_keys);
    tcase_add_test(tc, credential_report_real);
    tcase_add_test(tc, credential_report_root_handwritten);
    tcase_add_test(tc, credential_report_malformed);
    tcase_add_test(tc, csv_parser);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
