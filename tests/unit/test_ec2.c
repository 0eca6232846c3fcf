/* test_ec2.c - EC2 DescribeVpcEndpoints: the request, an answer recorded from moto, paging
 * (handwritten: moto never pages) and malformed answers. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/ec2.h"
#include "aws_test_util.h"
#include "check_tap.h"

static int parse_vpce(const struct aws_response *r, struct aws_error *e)
{
    struct ec2_vpc_endpoint_list l;
    int rc;

    memset(&l, 0x5a, sizeof(l));
    rc = ec2_describe_vpc_endpoints_parse(r, &l, e);
    if (rc == -1) {
        ck_assert_ptr_null(l.endpoints);
        ck_assert_ptr_null(l.next_token);
    }
    ec2_vpc_endpoint_list_free(&l);
    return rc;
}

START_TEST(request_exact)
{
    static const char *const names[] = { "com.amazonaws.us-east-1.sns",
                                         "com.amazonaws.us-east-1.sqs",
                                         "com.amazonaws.us-east-1.s3" };
    struct ec2_vpce_params p = { .service_names = names, .nservice_names = 3,
                                 .max_results = 100 };
    struct aws_request r;

    ec2_describe_vpc_endpoints_request(&r, &p);
    ck_assert_str_eq(r.service, "ec2");
    ck_assert(!r.mutating);
    /* exactly what was sent to moto for the capture */
    ck_assert_str_eq(buf_str(&r.body),
                     "Action=DescribeVpcEndpoints&Version=2016-11-15&Filter.1.Name=service-name&"
                     "Filter.1.Value.1=com.amazonaws.us-east-1.sns&"
                     "Filter.1.Value.2=com.amazonaws.us-east-1.sqs&"
                     "Filter.1.Value.3=com.amazonaws.us-east-1.s3&MaxResults=100");
    aws_request_done(&r);
    p = (struct ec2_vpce_params){ .max_results = 1, .next_token = "n+1" };
    ec2_describe_vpc_endpoints_request(&r, &p);
    ck_assert_str_eq(buf_str(&r.body), "Action=DescribeVpcEndpoints&Version=2016-11-15&"
                                       "MaxResults=5&NextToken=n%2B1");
    aws_request_done(&r);
}
END_TEST

START_TEST(endpoints_real)
{
    struct aws_response resp;
    struct aws_error e;
    struct ec2_vpc_endpoint_list l;

    test_resp_file(&resp, "ec2/describe_vpc_endpoints.xml");
    ck_assert_int_eq(ec2_describe_vpc_endpoints_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 3);
    ck_assert_str_eq(l.endpoints[0].service_name, "com.amazonaws.us-east-1.sns");
    ck_assert_str_eq(l.endpoints[0].type, "Interface");
    ck_assert_str_eq(l.endpoints[0].state, "available");
    ck_assert(l.endpoints[0].private_dns);
    ck_assert(strncmp(l.endpoints[0].id, "vpce-", 5) == 0);
    ck_assert(strncmp(l.endpoints[0].vpc_id, "vpc-", 4) == 0);
    ck_assert_uint_eq(l.endpoints[0].ndns_names, 1);
    ck_assert(l.endpoints[0].created > 1700000000);
    ck_assert_str_eq(l.endpoints[1].service_name, "com.amazonaws.us-east-1.sqs");
    ck_assert_str_eq(l.endpoints[2].type, "Gateway");
    ck_assert(!l.endpoints[2].private_dns);
    /* one VPC for the three */
    ck_assert_str_eq(l.endpoints[0].vpc_id, l.endpoints[2].vpc_id);
    ck_assert_ptr_null(l.next_token);
    ec2_vpc_endpoint_list_free(&l);
    aws_response_done(&resp);

    test_resp_file(&resp, "ec2/describe_vpc_endpoints_handwritten_nexttoken.xml");
    ck_assert_int_eq(ec2_describe_vpc_endpoints_parse(&resp, &l, &e), 0);
    ck_assert_str_eq(l.next_token, "eyJ2IjoiMiIsImMiOiJ2cGNlLTAwMSJ9");
    ck_assert_str_eq(l.endpoints[0].state, "pending");
    ec2_vpc_endpoint_list_free(&l);
    aws_response_done(&resp);

    test_resp_str(&resp, "<DescribeVpcEndpointsResponse><vpcEndpointSet/>"
                         "</DescribeVpcEndpointsResponse>");
    ck_assert_int_eq(ec2_describe_vpc_endpoints_parse(&resp, &l, &e), 0);
    ck_assert_uint_eq(l.n, 0);
    aws_response_done(&resp);
}
END_TEST

START_TEST(endpoints_malformed)
{
    static const struct test_mutation m[] = {
        { "<privateDnsEnabled>true", "<privateDnsEnabled>yes", "endpoint 1: <privateDnsEnabled>" },
        { "<state>available</state>", "<state></state>", "endpoint 1: no <state>" },
        { "<vpcEndpointId>", "<id>", "not well-formed" },
        { "<serviceName>com.amazonaws.us-east-1.sqs</serviceName>", "", "endpoint 2: no <serviceName>" },
        { "<creationTimestamp>2026", "<creationTimestamp>x2026", "endpoint 1: <creationTimestamp>" },
        { "<DescribeVpcEndpointsResponse ", "<DescribeVpcsResponse ", "not well-formed" },
        /* XML must be UTF-8: invalid bytes are a parse error, never half a document */
        { "<state>available</state>", "<state>avail\xff\xfe" "able</state>", "not well-formed" },
    };

    test_each_mutation("ec2/describe_vpc_endpoints.xml", m, TEST_COUNT(m),
                       "EC2 DescribeVpcEndpoints: ", parse_vpce);
    test_each_truncation("ec2/describe_vpc_endpoints.xml", parse_vpce);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ec2");
    TCase *tc = tcase_create("core");

    tcase_add_test(tc, request_exact);
    tcase_add_test(tc, endpoints_real);
    tcase_add_test(tc, endpoints_malformed);
    suite_add_tcase(s, tc);
    return check_tap_run(s);
}
