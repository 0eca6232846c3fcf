/* test_ssm.c - SSM parameters: GetParameter(s), GetParametersByPath (paged), PutParameter;
 * WithDecryption only when asked, SecureString values never copied out unprotected;
 * requests, answers recorded from moto, malformed answers. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/ssm.h"
#include "aws_test_util.h"
#include "check_tap.h"

static int parse_one(const struct aws_response *r, struct aws_error *e)
{
    struct ssm_parameter p;
    int rc;

    memset(&p, 0x5a, sizeof(p));
    rc = ssm_get_parameter_parse(r, &p, e);
    if (rc == -1) {
        ck_assert_ptr_null(p.name);
        ck_assert_ptr_null(p.value);
    }
    ssm_parameter_free(&p);
    return rc;
}

static int parse_path(const struct aws_response *r, struct aws_error *e)
{
    struct ssm_parameter_list l;
    int rc;

    memset(&l, 0x5a, sizeof(l));
    rc = ssm_get_parameters_by_path_parse(r, &l, e);
    if (rc == -1) {
        ck_assert_ptr_null(l.params);
        ck_assert_ptr_null(l.next_token);
    }
    ssm_parameter_list_free(&l);
    return rc;
}

START_TEST(requests_exact)
{
    static const char *const names[] = { "/opsdeck/flags/outbound", "/opsdeck/nope" };
    struct ssm_path_params pp = { .path = "/opsdeck", .recursive = true, .max_results = 50,
                                  .next_token = "2" };
    struct ssm_put_params put = { .name = "/opsdeck/flags/outbound", .value = "off",
                                  .type = "String", .overwrite = true };
    struct aws_request r;

    ssm_get_parameter_request(&r, "/opsdeck/flags/outbound", false);
    ck_assert_str_eq(r.service, "ssm");
    ck_assert(!r.mutating);
    ck_assert_str_eq(aws_request_header(&r, "X-Amz-Target"), "AmazonSSM.GetParameter");
    /* no WithDecryption unless asked */
    ck_assert_str_eq(buf_str(&r.body), "{\"Name\":\"/opsdeck/flags/outbound\"}");
    aws_request_done(&r);
    ssm_get_parameter_request(&r, "/opsdeck/secret", true);
    ck_assert_str_eq(buf_str(&r.body), "{\"Name\":\"/opsdeck/secret\",\"WithDecryption\":true}");
    aws_request_done(&r);
    ssm_get_parameters_request(&r, names, 2, false);
    ck_assert_str_eq(buf_str(&r.body),
                     "{\"Names\":[\"/opsdeck/flags/outbound\",\"/opsdeck/nope\"]}");
    aws_request_done(&r);
    ssm_get_parameters_by_path_request(&r, &pp);
    ck_assert_str_eq(aws_request_header(&r, "X-Amz-Target"), "AmazonSSM.GetParametersByPath");
    ck_assert_str_eq(buf_str(&r.body), "{\"Path\":\"/opsdeck\",\"Recursive\":true,"
                                       "\"MaxResults\":10,\"NextToken\":\"2\"}");
    aws_request_done(&r);
    ssm_put_parameter_request(&r, &put);
    ck_assert(r.mutating);
    ck_assert_str_eq(r.action, "PutParameter");
    ck_assert_str_eq(aws_request_header(&r, "X-Amz-Target"), "AmazonSSM.PutParameter");
    ck_assert_str_eq(buf_str(&r.body), "{\"Name\":\"/opsdeck/flags/outbound\",\"Value\":\"off\","
                                       "\"Type\":\"String\",\"Overwrite\":true}");
    aws_request_done(&r);
    put = (struct ssm_put_params){ .name = "/n", .value = "s\"3" };
    ssm_put_parameter_request(&r, &put);
    ck_assert_str_eq(buf_str(&r.body), "{\"Name\":\"/n\",\"Value\":\"s\\\"3\"}");
    aws_request_done(&r);
}
END_TEST

START_TEST(get_parameter_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct ssm_parameter p;

    test_resp_file(&resp, "ssm/get_parameter.json");
    ck_assert_int_eq(ssm_get_parameter_parse(&resp, &p, &e), 0);
    ck_assert_str_eq(p.name, "/opsdeck/flags/outbound");
    ck_assert_str_eq(p.type, "String");
    ck_assert(!p.secure);
    ck_assert_str_eq(p.value, "on");
    ck_assert_int_eq(p.version, 1);
    ck_assert(p.last_modified > 1700000000);
    ck_assert_str_eq(p.data_type, "text");
    ck_assert_str_eq(p.arn, "arn:aws:ssm:us-east-1:123456789012:parameter/opsdeck/flags/outbound");
    ssm_parameter_free(&p);
    aws_response_done(&resp);

    test_resp_file(&resp, "ssm/get_parameter_secure_decrypted.json");
    ck_assert_int_eq(ssm_get_parameter_parse(&resp, &p, &e), 0);
    ck_assert(p.secure);
    ck_assert_str_eq(p.value, "hunter2-not-real");
    ssm_parameter_free(&p);
    ck_assert_ptr_null(p.value);
    aws_response_done(&resp);

    /* without decryption the value is not the plain text (moto: a marked ciphertext) */
    test_resp_file(&resp, "ssm/get_parameter_secure_encrypted.json");
    ck_assert_int_eq(ssm_get_parameter_parse(&resp, &p, &e), 0);
    ck_assert(p.secure);
    ck_assert_str_ne(p.value, "hunter2-not-real");
    ssm_parameter_free(&p);
    aws_response_done(&resp);
}
END_TEST

START_TEST(get_parameters_and_path_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct ssm_parameter_list l;
    int64_t version = 0;

    test_resp_file(&resp, "ssm/get_parameters.json");
    ck_assert_int_eq(ssm_get_parameters_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_str_eq(l.params[0].value, "on");
    ck_assert_uint_eq(l.ninvalid, 1);
    ck_assert_str_eq(l.invalid[0], "/opsdeck/nope");
    ck_assert_ptr_null(l.next_token);
    ssm_parameter_list_free(&l);
    aws_response_done(&resp);

    test_resp_file(&resp, "ssm/get_parameters_by_path_page1.json");
    ck_assert_int_eq(ssm_get_parameters_by_path_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_str_eq(l.params[1].name, "/opsdeck/flags/deep/limit");
    ck_assert_str_eq(l.next_token, "2");
    ssm_parameter_list_free(&l);
    aws_response_done(&resp);
    test_resp_file(&resp, "ssm/get_parameters_by_path_page2.json");
    ck_assert_int_eq(ssm_get_parameters_by_path_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_str_eq(l.params[0].type, "StringList");
    ck_assert_str_eq(l.params[0].value, "a,b");
    ck_assert(l.params[1].secure);
    ssm_parameter_list_free(&l);
    aws_response_done(&resp);

    test_resp_file(&resp, "ssm/put_parameter.json");
    ck_assert_int_eq(ssm_put_parameter_parse(&resp, &version, &e), 0);
    ck_assert_int_eq(version, 2);
    aws_response_done(&resp);
    test_resp_str(&resp, "{\"Tier\": \"Standard\"}");
    ck_assert_int_eq(ssm_put_parameter_parse(&resp, &version, &e), -1);
    ck_assert_parse_error(&e, "SSM PutParameter: no Version");
    ck_assert_int_eq(version, -1);
    aws_response_done(&resp);
}
END_TEST

static int parse_meta(const struct aws_response *r, struct aws_error *e)
{
    struct ssm_param_meta_list l;
    int rc;

    memset(&l, 0x5a, sizeof(l));
    rc = ssm_describe_parameters_parse(r, &l, e);
    if (rc == -1) {
        ck_assert_ptr_null(l.params);
        ck_assert_ptr_null(l.next_token);
    }
    ssm_param_meta_list_free(&l);
    return rc;
}

/* DescribeParameters: who changed a parameter (what GetParameters does not say), its
 * date and version; the description as it came (hostile text is the view's to escape). */
START_TEST(describe_parameters_real)
{
    struct aws_request r;
    struct aws_response resp;
    struct aws_error e;
    struct ssm_param_meta_list l;
    const char *names[] = {"/opsdeck/flags/outbound", "/opsdeck/b"};

    ssm_describe_parameters_request(&r, names, 2, "tok");
    ck_assert(!r.mutating);
    ck_assert_str_eq(aws_request_header(&r, "X-Amz-Target"), "AmazonSSM.DescribeParameters");
    ck_assert_str_eq(buf_str(&r.body),
                     "{\"ParameterFilters\":[{\"Key\":\"Name\",\"Option\":\"Equals\","
                     "\"Values\":[\"/opsdeck/flags/outbound\",\"/opsdeck/b\"]}],"
                     "\"MaxResults\":50,\"NextToken\":\"tok\"}");
    aws_request_done(&r);

    test_resp_file(&resp, "ssm/describe_parameters.json");
    ck_assert_int_eq(ssm_describe_parameters_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_str_eq(l.params[0].name, "/opsdeck/flags/outbound");
    ck_assert_str_eq(l.params[0].type, "String");
    ck_assert_str_eq(l.params[0].last_modified_user, "N/A");   /* moto's word for it */
    ck_assert_int_eq(l.params[0].version, 1);
    ck_assert_int_eq(l.params[0].last_modified, 1796318389);
    ck_assert_ptr_nonnull(strstr(l.params[0].description, "\x1b[31m"));
    ck_assert_ptr_null(l.next_token);
    ssm_param_meta_list_free(&l);
    aws_response_done(&resp);

    /* AWS's own form: an IAM ARN; no LastModifiedUser at all is "not given", not an error */
    test_resp_str(&resp, "{\"Parameters\": [{\"Name\": \"/a\", \"LastModifiedUser\": "
                         "\"arn:aws:iam::123456789012:user/alice\"}, {\"Name\": \"/b\"}], "
                         "\"NextToken\": \"n2\"}");
    ck_assert_int_eq(ssm_describe_parameters_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 2);
    ck_assert_str_eq(l.params[0].last_modified_user, "arn:aws:iam::123456789012:user/alice");
    ck_assert_ptr_null(l.params[1].last_modified_user);
    ck_assert_int_eq(l.params[1].version, -1);
    ck_assert_int_eq(l.params[1].last_modified, -1);
    ck_assert_str_eq(l.next_token, "n2");
    ssm_param_meta_list_free(&l);
    aws_response_done(&resp);
}
END_TEST

START_TEST(malformed)
{
    static const struct test_mutation one[] = {
        { "\"Type\": \"String\"", "\"Type\": \"Blob\"", "Type 'Blob' is not String" },
        { "\"Value\": \"on\"", "\"Val\": \"on\"", "SSM GetParameter: no Value" },
        { "\"Value\": \"on\"", "\"Value\": true", "'Value' is a boolean" },
        { "\"Version\": 1", "\"Version\": 0", "'Version' is 0" },
        { "\"LastModifiedDate\": 1", "\"LastModifiedDate\": \"x\", \"l\": 1", "LastModifiedDate" },
        { "{\"Parameter\": {", "{\"Param\": {", "no Parameter" },
        { "\"Name\": \"/opsdeck", "\"Name\": 5, \"n\": \"/opsdeck", "'Name' is a number" },
    };
    static const struct test_mutation path[] = {
        { "\"NextToken\": \"2\"", "\"NextToken\": [2]", "'NextToken' is an array" },
        { "\"Type\": \"String\"", "\"Kind\": \"String\"", "parameter 1: no Type" },
        { "{\"Parameters\": [", "{\"Parameters\": [null, ", "parameter 1: not an object" },
    };
    static const struct test_mutation meta[] = {
        { "\"Name\": \"/opsdeck", "\"Nom\": \"/opsdeck", "parameter 1: no Name" },
        { "\"LastModifiedUser\": \"N/A\"", "\"LastModifiedUser\": 7",
          "'LastModifiedUser' is a number" },
        { "\"LastModifiedDate\": 1", "\"LastModifiedDate\": -1, \"l\": 1", "LastModifiedDate" },
        { "\"Version\": 1", "\"Version\": \"1\"", "'Version' is a string" },
        { "{\"Parameters\": [", "{\"Parameters\": \"x\", \"p\": [", "'Parameters' is a string" },
    };

    test_each_mutation("ssm/get_parameter.json", one, TEST_COUNT(one), "SSM GetParameter: ",
                       parse_one);
    test_each_truncation("ssm/get_parameter.json", parse_one);
    test_each_mutation("ssm/get_parameters_by_path_page1.json", path, TEST_COUNT(path),
                       "SSM GetParametersByPath: ", parse_path);
    test_each_truncation("ssm/get_parameters_by_path_page1.json", parse_path);
    test_each_mutation("ssm/describe_parameters.json", meta, TEST_COUNT(meta),
                       "SSM DescribeParameters: ", parse_meta);
    test_each_truncation("ssm/describe_parameters.json", parse_meta);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ssm");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, requests_exact);
    tcase_add_test(tc, get_parameter_real);
    tcase_add_test(tc, get_parameters_and_path_real);
    tcase_add_test(tc, describe_parameters_real);
    tcase_add_test(tc, malformed);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
