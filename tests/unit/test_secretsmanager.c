/* test_secretsmanager.c - Secrets Manager ListSecrets (paged) and DescribeSecret: requests,
 * answers recorded from moto, an overdue rotation, malformed answers. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/secretsmanager.h"
#include "aws_test_util.h"
#include "check_tap.h"

static int parse_list(const struct aws_response *r, struct aws_error *e)
{
    struct secretsmanager_secret_list l;
    int rc;

    memset(&l, 0x5a, sizeof(l));
    rc = secretsmanager_list_secrets_parse(r, &l, e);
    if (rc == -1) {
        ck_assert_ptr_null(l.secrets);
        ck_assert_ptr_null(l.next_token);
    }
    secretsmanager_secret_list_free(&l);
    return rc;
}

static int parse_describe(const struct aws_response *r, struct aws_error *e)
{
    struct secretsmanager_secret s;
    int rc;

    memset(&s, 0x5a, sizeof(s));
    rc = secretsmanager_describe_secret_parse(r, &s, e);
    if (rc == -1)
        ck_assert_ptr_null(s.name);
    secretsmanager_secret_free(&s);
    return rc;
}

START_TEST(requests_exact)
{
    struct aws_request r;
    struct secretsmanager_list_params p = { .max_results = 500, .next_token = "2",
                                            .name_prefix = "app/" };

    secretsmanager_list_secrets_request(&r, &p);
    ck_assert_str_eq(r.service, "secretsmanager");
    ck_assert(!r.mutating);
    ck_assert_str_eq(aws_request_header(&r, "X-Amz-Target"), "secretsmanager.ListSecrets");
    ck_assert_str_eq(aws_request_header(&r, "Content-Type"), "application/x-amz-json-1.1");
    ck_assert_str_eq(buf_str(&r.body), "{\"MaxResults\":100,\"NextToken\":\"2\","
                                       "\"Filters\":[{\"Key\":\"name\",\"Values\":[\"app/\"]}]}");
    aws_request_done(&r);
    secretsmanager_list_secrets_request(&r, NULL);
    ck_assert_str_eq(buf_str(&r.body), "{}");
    aws_request_done(&r);
    secretsmanager_describe_secret_request(&r, "app/pw0");
    ck_assert_str_eq(aws_request_header(&r, "X-Amz-Target"), "secretsmanager.DescribeSecret");
    ck_assert_str_eq(buf_str(&r.body), "{\"SecretId\":\"app/pw0\"}");
    aws_request_done(&r);
}
END_TEST

START_TEST(list_paged_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct secretsmanager_secret_list l;
    const struct secretsmanager_secret *s;

    test_resp_file(&resp, "secretsmanager/list_secrets_page1.json");
    ck_assert_int_eq(secretsmanager_list_secrets_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_str_eq(l.next_token, "2");
    s = &l.secrets[0];
    ck_assert_str_eq(s->name, "app/pw0");
    ck_assert(strncmp(s->arn, "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/pw0-",
                      61) == 0);
    ck_assert_str_eq(s->description, "app password 0");
    ck_assert(s->rotation_enabled);
    ck_assert_int_eq(s->rotation_days, 1);
    ck_assert_str_eq(s->rotation_lambda_arn,
                     "arn:aws:lambda:us-east-1:123456789012:function:rotator");
    ck_assert(s->last_rotated > 1700000000);
    /* a day after the rotation (moto rounds the two times apart by up to a second) */
    ck_assert(s->next_rotation >= s->last_rotated + 86399 &&
              s->next_rotation <= s->last_rotated + 86401);
    /* null dates are "not known", not the epoch */
    ck_assert_int_eq(s->last_accessed, -1);
    ck_assert_int_eq(s->deleted, -1);
    ck_assert_ptr_null(s->kms_key_id);
    s = &l.secrets[1];
    ck_assert(!s->rotation_enabled);
    ck_assert_int_eq(s->next_rotation, -1);
    ck_assert_int_eq(s->rotation_days, -1);
    secretsmanager_secret_list_free(&l);
    aws_response_done(&resp);

    test_resp_file(&resp, "secretsmanager/list_secrets_page2.json");
    ck_assert_int_eq(secretsmanager_list_secrets_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_str_eq(l.secrets[0].name, "app/pw2");
    ck_assert_ptr_null(l.next_token);
    secretsmanager_secret_list_free(&l);
    aws_response_done(&resp);

    test_resp_file(&resp, "secretsmanager/list_secrets_handwritten_overdue.json");
    ck_assert_int_eq(secretsmanager_list_secrets_parse(&resp, &l, &e), 0);
    s = &l.secrets[0];
    ck_assert_str_eq(s->rotation_schedule, "rate(4 hours)");
    ck_assert_int_eq(s->rotation_days, -1);
    ck_assert_int_eq(s->next_rotation, 1796214400);
    ck_assert(s->next_rotation < s->last_changed);   /* before the capture: overdue */
    secretsmanager_secret_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

START_TEST(describe_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct secretsmanager_secret s;

    test_resp_file(&resp, "secretsmanager/describe_secret.json");
    ck_assert_int_eq(secretsmanager_describe_secret_parse(&resp, &s, &e), 0);
    ck_assert_str_eq(s.name, "app/pw0");
    ck_assert(s.rotation_enabled);
    ck_assert(s.created > 1700000000 && s.last_changed >= s.created);
    secretsmanager_secret_free(&s);
    aws_response_done(&resp);
}
END_TEST

START_TEST(malformed)
{
    static const struct test_mutation m[] = {
        { "\"Name\": \"app/pw0\"", "\"Nom\": \"app/pw0\"", "secret 1: no Name" },
        { "\"RotationEnabled\": true", "\"RotationEnabled\": \"yes\"", "'RotationEnabled' is a string" },
        { "\"NextRotationDate\": 1", "\"NextRotationDate\": -1", "'NextRotationDate' is -1" },
        { "\"NextRotationDate\": 1", "\"NextRotationDate\": \"2026\", \"x\": 1",
          "'NextRotationDate' is a string" },
        { "\"AutomaticallyAfterDays\": 1", "\"AutomaticallyAfterDays\": 0", "AutomaticallyAfterDays" },
        { "\"RotationRules\": {", "\"RotationRules\": [], \"r\": {", "'RotationRules' is an array" },
        { "\"NextToken\": \"2\"", "\"NextToken\": 2", "'NextToken' is a number" },
        { "{\"SecretList\": [", "{\"SecretList\": {}, \"s\": [", "'SecretList' is an object" },
    };
    static const struct test_mutation d[] = {
        { "\"ARN\": \"", "\"Arn\": \"", "Secrets Manager DescribeSecret: no ARN" },
        { "\"LastChangedDate\": 1", "\"LastChangedDate\": 1e300, \"l\": 1", "LastChangedDate" },
    };

    test_each_mutation("secretsmanager/list_secrets_page1.json", m, TEST_COUNT(m),
                       "Secrets Manager ListSecrets: ", parse_list);
    test_each_truncation("secretsmanager/list_secrets_page1.json", parse_list);
    test_each_mutation("secretsmanager/describe_secret.json", d, TEST_COUNT(d),
                       "Secrets Manager DescribeSecret: ", parse_describe);
    test_each_truncation("secretsmanager/describe_secret.json", parse_describe);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("secretsmanager");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, requests_exact);
    tcase_add_test(tc, list_paged_real);
    tcase_add_test(tc, describe_real);
    tcase_add_test(tc, malformed);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
